/** The Rego AST: every node carries its location (file:row:col). */
import type { Location } from './errors';
import type { Value } from './value';

export type Term =
  | { type: 'scalar'; value: Value; loc: Location }
  | { type: 'var'; name: string; loc: Location }
  | { type: 'ref'; head: Term; path: Term[]; loc: Location }
  | { type: 'array'; items: Term[]; loc: Location }
  | { type: 'set'; items: Term[]; loc: Location }
  | { type: 'object'; items: [Term, Term][]; loc: Location }
  | { type: 'arraycompr'; term: Term; body: Expr[]; loc: Location }
  | { type: 'setcompr'; term: Term; body: Expr[]; loc: Location }
  | { type: 'objectcompr'; key: Term; value: Term; body: Expr[]; loc: Location }
  /** A call: `op` is the dotted name as written (e.g. `count`, `data.x.f`, `lib.f`); operators use OPA's names. */
  | { type: 'call'; op: string; opTerm: Term; args: Term[]; loc: Location };

export interface With {
  target: Term;
  value: Term;
  loc: Location;
}

export type ExprKind =
  | { kind: 'term'; term: Term }
  | { kind: 'unify'; left: Term; right: Term }
  | { kind: 'assign'; left: Term; right: Term }
  | { kind: 'some'; vars: Term[] }
  | { kind: 'somein'; key: Term | null; value: Term; coll: Term }
  | { kind: 'every'; key: Term | null; value: Term; coll: Term; body: Expr[] }
  | { kind: 'not'; expr: Expr };

export type Expr = ExprKind & { loc: Location; withs: With[] };

export interface RuleHead {
  /** The head reference: first element a var (the rule name), then path terms. */
  ref: Term[];
  args: Term[] | null;
  /** `p contains x` */
  key: Term | null;
  /** `:= v` / `= v`; null means `true` */
  value: Term | null;
  assign: boolean;
  /** v0 `p[x] { }` partial set: the key is the last ref element. */
  loc: Location;
}

export interface Rule {
  head: RuleHead;
  body: Expr[];
  isDefault: boolean;
  /** Next in an `else` chain. */
  elseRule: Rule | null;
  loc: Location;
  annotations: RawAnnotation[];
  module: Module;
}

export interface Import {
  path: Term; // a ref rooted at data or input, or future/rego
  alias: string | null;
  loc: Location;
}

export interface Module {
  file: string;
  /** Package path without `data`, e.g. ['kz', 'residency']. */
  pkg: string[];
  pkgLoc: Location;
  imports: Import[];
  rules: Rule[];
  annotations: RawAnnotation[];
}

/** One `# METADATA` block as parsed. */
export interface RawAnnotation {
  scope?: string;
  data: Record<string, unknown>;
  loc: Location;
}
