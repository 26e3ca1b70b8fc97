/**
 * The compiled form the passes produce and the evaluator (eval.ts) runs: terms and expressions
 * with variables numbered into frame slots, rules, and the rule tree (DocNode) indexed by path.
 */
import type { Rule } from '../ast';
import type { BuiltinDef } from '../builtins/types';
import type { Location } from '../errors';
import type { Value } from '../value';

export type CTerm =
  | { t: 'val'; v: Value; needs: number[] }
  /** A number key in a path into base data: indexes arrays by `n`, objects by `s` (eval.ts baseKeys). */
  | { t: 'baseKey'; n: number | bigint; s: string; needs: number[] }
  | { t: 'var'; slot: number; name: string; needs: number[] }
  | { t: 'input'; path: CTerm[]; needs: number[]; loc: Location }
  | { t: 'data'; path: CTerm[]; needs: number[]; loc: Location; start?: { node: DocNode; i: number } }
  | { t: 'ref'; head: CTerm; path: CTerm[]; needs: number[]; loc: Location }
  | { t: 'array'; items: CTerm[]; needs: number[] }
  | { t: 'set'; items: CTerm[]; needs: number[] }
  | { t: 'object'; items: [CTerm, CTerm][]; needs: number[] }
  | { t: 'acompr'; term: CTerm; body: CExpr[]; needs: number[]; loc: Location }
  | { t: 'scompr'; term: CTerm; body: CExpr[]; needs: number[]; loc: Location }
  | { t: 'ocompr'; key: CTerm; value: CTerm; body: CExpr[]; needs: number[]; loc: Location }
  | {
      t: 'call';
      fn: FnTarget;
      args: CTerm[];
      out: CTerm | null;
      needs: number[];
      loc: Location;
      name: string;
      /** Argument evaluation order when a ref in one argument binds a var another one uses
       * (`startswith(input.names[k], k)`): those args first, as OPA hoists refs out of calls. */
      argOrder?: number[];
      /** The evaluator's argument array for builtin calls (eval.ts fast). */
      scratch?: Value[];
    };

export type FnTarget =
  | { kind: 'builtin'; name: string; def: BuiltinDef }
  | { kind: 'func'; node: DocNode; name: string }
  /** `print`: its arguments are evaluated by the evaluator itself (undefined ones print `<undefined>`) */
  | { kind: 'print'; name: 'print' }
  | { kind: 'const'; name: string; value: Value };

export interface CWith {
  /** 'input' | 'data' | 'fn' */
  kind: 'input' | 'data' | 'fn';
  path: string[];
  /** for fn: the key of the mocked function (builtin name or data path) */
  fnKey: string;
  value: CTerm;
  /** when the value names a function */
  valueFn: FnTarget | null;
  loc: Location;
}

/**
 * `some x in coll` followed (later in the body) by `x.a.b == other`, where `other` is known before
 * the iteration: the evaluator iterates only the elements whose `a.b` equals `other` (through an
 * index built once per collection). The equality itself is still evaluated.
 */
export interface SomeInIndex {
  /** x.a.b: the path below x */
  path: string[] | null;
  /** or a call whose only variable is x, e.g. lib.name(x) */
  call: CTerm | null;
  other: CTerm;
}

/**
 * `walk(root, [path, value])` followed by expressions that do not use `path` (eval.ts): those
 * run on each value before the path array is built, so it is built only for the values that
 * pass them. Computed by the evaluator on first use (null: not this shape).
 */
export interface WalkPlan {
  root: CTerm;
  valSlot: number;
  /** -1 when the path is `_` */
  pathSlot: number;
  /** body[i + 1 .. filtersEnd) are simple filters that do not use the path */
  filtersEnd: number;
}

export type CExpr = (
  | { k: 'term'; term: CTerm }
  | { k: 'unify'; left: CTerm; right: CTerm }
  | { k: 'assign'; left: CTerm; right: CTerm }
  | { k: 'some' }
  | { k: 'somein'; key: CTerm | null; value: CTerm; coll: CTerm; index?: SomeInIndex }
  /** `closure`: the slots of enclosing bodies the every body uses (bound before it runs) */
  | { k: 'every'; key: CTerm | null; value: CTerm; coll: CTerm; body: CExpr[]; closure: number[] }
  | { k: 'not'; expr: CExpr }
) & { withs: CWith[]; loc: Location; walkPlan?: WalkPlan | null };

export interface CRule {
  kind: 'complete' | 'multi' | 'general' | 'func' | 'default';
  node: DocNode;
  /** general rules: the ref terms after the node's path */
  refSegs: CTerm[];
  /** multi-value: the element term */
  key: CTerm | null;
  /** value term (true when absent) */
  value: CTerm;
  args: CTerm[] | null;
  body: CExpr[];
  nslots: number;
  /** the name of each slot (shared by an else chain), for error messages */
  slotNames: string[];
  elseRule: CRule | null;
  /** the value is a constant: one solution suffices */
  constValue: boolean;
  loc: Location;
  src: Rule;
  /** `rego.metadata.rule()` / `chain()` values */
  metaRule: Value;
  metaChain: Value;
}

export class DocNode {
  readonly children = new Map<string, DocNode>();
  complete: CRule[] = [];
  defaultRule: CRule | null = null;
  multi: CRule[] = [];
  general: CRule[] = [];
  funcs: CRule[] = [];
  /** Argument order for the evaluator's call cache (scalar arguments first; fixed on the first call). */
  argOrder: number[] | null = null;
  constructor(
    readonly path: string[],
    readonly parent: DocNode | null,
  ) {}
  child(name: string): DocNode {
    let c = this.children.get(name);
    if (!c) {
      c = new DocNode([...this.path, name], this);
      this.children.set(name, c);
    }
    return c;
  }
  hasOwnRules(): boolean {
    return this.complete.length > 0 || this.defaultRule !== null || this.multi.length > 0 || this.general.length > 0 || this.funcs.length > 0;
  }
  get pathText(): string {
    return ['data', ...this.path].join('.');
  }
  /** All rules at this node (not below). */
  rules(): CRule[] {
    const out = [...this.complete, ...this.multi, ...this.general, ...this.funcs];
    if (this.defaultRule) out.push(this.defaultRule);
    return out;
  }
}

export interface Builtins {
  get(name: string): BuiltinDef | undefined;
}
