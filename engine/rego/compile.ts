/**
 * The compile step: resolves names (rules, imports, builtins), numbers variables into frame
 * slots, orders each body for safety (rejecting unsafe variables), builds the rule tree indexed
 * by path, and rejects recursion. The evaluator (eval.ts) runs the result.
 */
import type { Expr, Module, Rule, Term } from './ast';
import type { BuiltinDef } from './builtins/types';
import { RegoError, RegoErrors, notSupported, type Location } from './errors';
import { annotationValue, toAnnotation, type Annotation, type RawDoc } from './metadata';
import type { Capabilities } from './capabilities';
import { callName } from './parser';
import { RObject, makeObject, makeSet, valueEquals, type Value } from './value';

// ---------------------------------------------------------------------------------------------
// Compiled terms and expressions

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
  | { t: 'acompr'; term: CTerm; body: CExpr[]; needs: number[] }
  | { t: 'scompr'; term: CTerm; body: CExpr[]; needs: number[] }
  | { t: 'ocompr'; key: CTerm; value: CTerm; body: CExpr[]; needs: number[] }
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

export type CExpr = (
  | { k: 'term'; term: CTerm }
  | { k: 'unify'; left: CTerm; right: CTerm }
  | { k: 'assign'; left: CTerm; right: CTerm }
  | { k: 'some' }
  | { k: 'somein'; key: CTerm | null; value: CTerm; coll: CTerm; index?: SomeInIndex }
  | { k: 'every'; key: CTerm | null; value: CTerm; coll: CTerm; body: CExpr[] }
  | { k: 'not'; expr: CExpr }
) & { withs: CWith[]; loc: Location };

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

// ---------------------------------------------------------------------------------------------

const NO_NEEDS: number[] = [];

function union(...lists: number[][]): number[] {
  let out: number[] | null = null;
  for (const l of lists) {
    if (l.length === 0) continue;
    if (out === null) {
      out = l;
      continue;
    }
    const s: Set<number> = new Set<number>(out);
    let changed = false;
    for (const x of l) {
      if (!s.has(x)) {
        s.add(x);
        changed = true;
      }
    }
    if (changed) out = Array.from(s);
  }
  return out ?? NO_NEEDS;
}

/** Vars that a term can bind (ref path vars, output args, var itself). */
function termVars(t: CTerm, out: Set<number>): void {
  switch (t.t) {
    case 'var':
      out.add(t.slot);
      return;
    case 'input':
    case 'data':
      for (const p of t.path) termVars(p, out);
      return;
    case 'ref':
      termVars(t.head, out);
      for (const p of t.path) termVars(p, out);
      return;
    case 'array':
    case 'set':
      for (const i of t.items) termVars(i, out);
      return;
    case 'object':
      for (const [k, v] of t.items) {
        termVars(k, out);
        termVars(v, out);
      }
      return;
    case 'call':
      for (const a of t.args) termVars(a, out);
      if (t.out) termVars(t.out, out);
      return;
    default:
      for (const n of t.needs) out.add(n);
      return;
  }
}

export interface Builtins {
  get(name: string): BuiltinDef | undefined;
}

// ---------------------------------------------------------------------------------------------
// Scopes

class Scope {
  readonly names = new Map<string, number>();
  nslots = 0;
  wild = 0;
  slotNames: string[] = [];
  /** slots referenced directly at each body level, for comprehension closures */
  newSlot(name: string): number {
    const s = this.nslots++;
    this.slotNames.push(name);
    return s;
  }
  slot(name: string): number {
    let s: number | undefined = this.names.get(name);
    if (s === undefined) {
      s = this.newSlot(name);
      this.names.set(name, s);
    }
    return s;
  }
}

interface ModuleEnv {
  pkg: string[];
  /** alias → path ['input', ...] or ['data', ...] */
  imports: Map<string, string[]>;
  /** first ref segment of every rule in the package */
  ruleNames: Set<string>;
  /** Rego v1 rules apply (the default, or the module imports rego.v1): builtins removed in OPA 1.x are unavailable */
  v1?: boolean;
}

export type { Annotation } from './metadata';

export interface CompileOutput {
  root: DocNode;
  rules: CRule[];
  annotations: Annotation[];
}

export interface CompilerOptions {
  /** Accept Rego v0 modules and the builtins OPA 1.x removed (OPA's `--v0-compatible`). */
  v0Compatible?: boolean;
  /** Only these builtins may be called (OPA's capabilities); default: every builtin. */
  capabilities?: Capabilities;
}

export class Compiler {
  readonly root = new DocNode([], null);
  readonly rules: CRule[] = [];
  readonly annotations: Annotation[] = [];
  private readonly pkgRuleNames = new Map<string, Set<string>>();
  private readonly pkgAnnotations = new Map<string, Annotation[]>();
  /** rules referenced by each rule node (for the recursion check) */
  private readonly deps = new Map<DocNode, Set<DocNode>>();
  private curDeps: Set<DocNode> | null = null;
  private curRule: CRule | null = null;
  private errors: RegoError[] = [];

  constructor(
    private readonly builtins: Builtins,
    private readonly options: CompilerOptions = {},
  ) {}

  /** OPA's error for a builtin outside the capabilities (the same as for an unknown function). */
  private checkCapability(name: string, loc: Location): void {
    const caps = this.options.capabilities;
    if (caps && !caps.builtins.has(name)) throw new RegoError('rego_type_error', `undefined function ${name}`, loc);
  }

  compileModules(modules: Module[]): CompileOutput {
    // 1. rule names per package, annotations of packages
    for (const m of modules) {
      const key = m.pkg.join('.');
      let names = this.pkgRuleNames.get(key);
      if (!names) this.pkgRuleNames.set(key, (names = new Set()));
      for (const r of m.rules) {
        const h = r.head.ref[0];
        if (h.type === 'var') names.add(h.name);
      }
      for (const a of m.annotations) {
        const ann = toAnnotation(a.data, a.scope as Annotation['scope'], 'data.' + m.pkg.join('.'), a.loc);
        this.annotations.push(ann);
        const list = this.pkgAnnotations.get(key) ?? [];
        list.push(ann);
        this.pkgAnnotations.set(key, list);
      }
    }
    // 2. place rules in the tree (so that calls can resolve), then compile bodies
    const pending: Array<[CRule, Rule, ModuleEnv]> = [];
    for (const m of modules) {
      // a package is a document even without rules (`package a.b` alone makes data.a.b {})
      let pkgNode = this.root;
      for (const p of m.pkg) pkgNode = pkgNode.child(p);
      const env: ModuleEnv = { pkg: m.pkg, imports: new Map(), ruleNames: this.pkgRuleNames.get(m.pkg.join('.')) as Set<string> };
      for (const imp of m.imports) this.addImport(env, imp.path, imp.alias, imp.loc);
      env.v1 = !this.options.v0Compatible || m.imports.some((i) => callName(i.path) === 'rego.v1');
      for (const r of m.rules) {
        try {
          const cr = this.placeRule(r, env);
          pending.push([cr, r, env]);
        } catch (e) {
          if (e instanceof RegoError) this.errors.push(e);
          else throw e;
        }
      }
    }
    this.checkTree(this.root);
    this.flush();
    for (const [cr, r, env] of pending) {
      try {
        this.compileRule(cr, r, env);
      } catch (e) {
        if (e instanceof RegoError) this.errors.push(e);
        else throw e;
      }
    }
    this.flush();
    this.checkRecursion();
    this.flush();
    return { root: this.root, rules: this.rules, annotations: this.annotations };
  }

  private flush(): void {
    if (this.errors.length === 0) return;
    const errs = this.errors;
    this.errors = [];
    throw errs.length === 1 ? errs[0] : new RegoErrors(errs);
  }

  private addImport(env: ModuleEnv, path: Term, alias: string | null, loc: Location): void {
    const segs = refStrings(path);
    if (!segs) throw new RegoError('rego_parse_error', 'invalid import path', loc);
    if (segs[0] === 'future' || (segs[0] === 'rego' && segs[1] === 'v1')) return;
    if (segs[0] !== 'data' && segs[0] !== 'input') throw new RegoError('rego_parse_error', `invalid import path ${segs.join('.')}: must begin with input or data`, loc);
    const name = alias ?? segs[segs.length - 1];
    if (segs.length === 1 && alias === null && segs[0] === 'input') return;
    env.imports.set(name, segs);
  }

  // ---- placing rules --------------------------------------------------------------------------

  private placeRule(r: Rule, env: ModuleEnv): CRule {
    const ref = r.head.ref;
    const name = (ref[0] as { name: string }).name;
    let node = this.root;
    for (const p of env.pkg) node = node.child(p);
    node = node.child(name);
    let i = 1;
    for (; i < ref.length; i++) {
      const seg = ref[i];
      if (seg.type === 'scalar' && typeof seg.value === 'string') node = node.child(seg.value);
      else break;
    }
    let kind: CRule['kind'];
    if (r.isDefault) kind = 'default';
    else if (r.head.args) kind = 'func';
    else if (i < ref.length) kind = 'general';
    else if (r.head.key) kind = 'multi';
    else kind = 'complete';
    if (r.head.args && i < ref.length) throw notSupported('functions with variables in the name', r.loc);
    if (r.elseRule && (kind === 'multi' || kind === 'general')) {
      throw new RegoError('rego_parse_error', 'else keyword cannot be used on multi-value rules', r.elseRule.loc);
    }
    const cr: CRule = {
      kind,
      node,
      refSegs: [],
      key: null,
      value: { t: 'val', v: true, needs: NO_NEEDS },
      args: null,
      body: [],
      nslots: 0,
      elseRule: null,
      constValue: true,
      loc: r.loc,
      src: r,
      metaRule: new RObject(),
      metaChain: [],
    };
    switch (kind) {
      case 'default':
        if (r.head.args) {
          node.funcs.push(cr);
          cr.kind = 'func';
        } else {
          if (node.defaultRule) throw new RegoError('rego_type_error', `multiple default rules ${node.pathText} found`, r.loc);
          node.defaultRule = cr;
        }
        break;
      case 'func':
        node.funcs.push(cr);
        break;
      case 'general':
        node.general.push(cr);
        break;
      case 'multi':
        node.multi.push(cr);
        break;
      default:
        node.complete.push(cr);
    }
    this.rules.push(cr);
    return cr;
  }

  private checkTree(node: DocNode): void {
    const kinds = [node.complete.length > 0 || node.defaultRule !== null, node.multi.length > 0, node.funcs.length > 0].filter(Boolean).length;
    if (kinds > 1) {
      const r = node.rules()[0];
      this.errors.push(new RegoError('rego_type_error', `conflicting rules ${node.pathText} found`, r.loc));
    }
    if (node.funcs.length > 0) {
      const arities = new Set(node.funcs.map((f) => (f.src.head.args as Term[]).length));
      if (arities.size > 1) this.errors.push(new RegoError('rego_type_error', `conflicting rules ${node.pathText} found`, node.funcs[0].loc));
    }
    if ((node.complete.length > 0 || node.defaultRule || node.multi.length > 0 || node.funcs.length > 0) && node.children.size > 0) {
      const r = node.rules()[0];
      this.errors.push(new RegoError('rego_type_error', `rule ${node.pathText} conflicts with rules below it`, r.loc));
    }
    for (const c of node.children.values()) this.checkTree(c);
  }

  // ---- compiling rules ------------------------------------------------------------------------

  private compileRule(cr: CRule, r: Rule, env: ModuleEnv): void {
    const scope = new Scope();
    // declared names: args, `some`, `:=`, every vars, some-in vars (they shadow rule names)
    const declared = new Set<string>();
    for (let x: Rule | null = r; x; x = x.elseRule) {
      if (x.head.args) for (const a of x.head.args) collectVarNames(a, declared);
      collectDeclared(x.body, declared);
    }
    for (const root of ['input', 'data']) {
      if (declared.has(root)) throw new RegoError('rego_compile_error', `variables must not shadow ${root} (use a different variable name)`, r.loc);
    }
    this.curDeps = this.deps.get(cr.node) ?? new Set();
    this.deps.set(cr.node, this.curDeps);
    this.curRule = cr;
    const ctx: BodyCtx = { scope, env, declared, outer: [] };
    let cur: CRule = cr;
    let src: Rule | null = r;
    this.fillMeta(cr, r, env);
    while (src) {
      this.compileRuleDef(cur, src, ctx);
      if (src.elseRule) {
        const next: CRule = { ...cur, elseRule: null, src: src.elseRule, loc: src.elseRule.loc };
        cur.elseRule = next;
        cur = next;
      }
      src = src.elseRule;
    }
    for (let x: CRule | null = cr; x; x = x.elseRule) x.nslots = scope.nslots;
    this.curDeps = null;
    this.curRule = null;
  }

  private compileRuleDef(cr: CRule, r: Rule, ctx: BodyCtx): void {
    const scope = ctx.scope;
    const bound = new Set<number>();
    const headTerms: CTerm[] = [];
    if (r.head.args) {
      cr.args = r.head.args.map((a) => this.term(a, ctx, true));
      for (const a of cr.args) termVars(a, bound);
    }
    // the body first, then the head terms, which see every body var (comprehensions in heads)
    const levelSlots = new Set<number>(bound);
    this.prescan(r.body, ctx, levelSlots);
    const assigned = new Set<string>();
    if (r.head.args) for (const a of r.head.args) collectVarNames(a, assigned);
    const body = this.bodyExprs(r.body, { ...ctx, outer: [...ctx.outer, levelSlots], assigned });
    const hctx: BodyCtx = { ...ctx, outer: [...ctx.outer, levelSlots] };
    if (cr.kind === 'general') {
      const ref = r.head.ref;
      let i = 1;
      while (i < ref.length && ref[i].type === 'scalar' && typeof (ref[i] as { value: Value }).value === 'string') i++;
      cr.refSegs = ref.slice(i).map((t) => this.term(t, hctx, false));
      headTerms.push(...cr.refSegs);
    }
    if (r.head.key) {
      cr.key = this.term(r.head.key, hctx, false);
      headTerms.push(cr.key);
    }
    if (r.head.value) {
      cr.value = this.term(r.head.value, hctx, false);
      headTerms.push(cr.value);
    } else {
      cr.value = { t: 'val', v: true, needs: NO_NEEDS };
    }
    cr.constValue = cr.value.t === 'val' && cr.kind !== 'general' && cr.kind !== 'multi';
    // head terms need their vars bound by the body
    const ordered = this.order(body, bound, r.loc, scope);
    cr.body = ordered;
    const vs = new Set<number>();
    for (const h of headTerms) for (const n of h.needs) vs.add(n);
    for (const s of vs) {
      if (!bound.has(s)) {
        throw new RegoError('rego_unsafe_var_error', `var ${scope.slotNames[s]} is unsafe`, r.loc);
      }
    }
  }

  private fillMeta(cr: CRule, r: Rule, env: ModuleEnv): void {
    const rulePath = 'data.' + [...env.pkg, ...refStrings2(r.head.ref)].join('.');
    const chain: Value[] = [];
    const own: Annotation[] = [];
    for (const a of r.annotations) {
      const ann = toAnnotation(a.data, (a.scope ?? 'rule') as Annotation['scope'], rulePath, a.loc);
      this.annotations.push(ann);
      own.push(ann);
    }
    const pathArr = rulePath.split('.').slice(1);
    const byScope = (s: string): Annotation[] => own.filter((a) => a.scope === s);
    const docAnns = cr.node.rules().filter((x) => x !== cr).flatMap((x) => x.src.annotations.filter((a) => a.scope === 'document'));
    const entries: Array<[string[], Annotation | RawDoc | null]> = [];
    for (const a of byScope('rule')) entries.push([pathArr, a]);
    for (const a of byScope('document')) entries.push([pathArr, a]);
    for (const a of docAnns) entries.push([pathArr, { scope: 'document', data: a.data }]);
    const pkgAnns = this.pkgAnnotations.get(env.pkg.join('.')) ?? [];
    for (const a of pkgAnns.filter((x) => x.scope === 'package')) entries.push([env.pkg, a]);
    for (let n = env.pkg.length; n >= 1; n--) {
      const anns = this.pkgAnnotations.get(env.pkg.slice(0, n).join('.')) ?? [];
      for (const a of anns.filter((x) => x.scope === 'subpackages')) entries.push([env.pkg.slice(0, n), a]);
    }
    if (entries.length === 0 || (entries[0][1] && (entries[0][1] as Annotation).scope !== 'rule' && (entries[0][1] as Annotation).scope !== 'document')) {
      chain.push(makeObject([['path', pathArr]]));
    }
    for (const [p, a] of entries) {
      chain.push(makeObject([
        ['annotations', annotationValue(a)],
        ['path', p],
      ]));
    }
    cr.metaChain = chain;
    const first = entries[0]?.[1] as Annotation | undefined;
    cr.metaRule = first && (first.scope === 'rule' || first.scope === 'document') ? annotationValue(first) : new RObject();
  }

  // ---- terms ----------------------------------------------------------------------------------

  private term(t: Term, ctx: BodyCtx, argPattern: boolean): CTerm {
    switch (t.type) {
      case 'scalar':
        return { t: 'val', v: t.value, needs: NO_NEEDS };
      case 'var': {
        const v = this.varTerm(t.name, t.loc, ctx, argPattern);
        if (v.t === 'data') this.recordDep(v.path);
        return v;
      }
      case 'ref':
        return this.refTerm(t, ctx);
      case 'array': {
        const items = t.items.map((x) => this.term(x, ctx, argPattern));
        return constFold({ t: 'array', items, needs: union(...items.map((x) => x.needs)) });
      }
      case 'set': {
        const items = t.items.map((x) => this.term(x, ctx, argPattern));
        return constFold({ t: 'set', items, needs: union(...items.map((x) => x.needs)) });
      }
      case 'object': {
        const items = t.items.map(([k, v]) => [this.term(k, ctx, argPattern), this.term(v, ctx, argPattern)] as [CTerm, CTerm]);
        return constFold({ t: 'object', items, needs: union(...items.flatMap(([k, v]) => [k.needs, v.needs])) });
      }
      case 'arraycompr':
      case 'setcompr':
      case 'objectcompr':
        return this.compr(t, ctx);
      case 'call':
        return this.callTerm(t, ctx);
    }
  }

  private varTerm(name: string, loc: Location, ctx: BodyCtx, argPattern: boolean): CTerm {
    if (name === '_') {
      const s = ctx.scope.newSlot('_');
      return { t: 'var', slot: s, name: '_', needs: [s] };
    }
    if (!argPattern && !ctx.declared.has(name)) {
      const g = this.globalRef(name, ctx, loc);
      if (g) return g;
    }
    const s = ctx.scope.slot(name);
    return { t: 'var', slot: s, name, needs: [s] };
  }

  /** A name that refers to input, data, an import or a rule of the package; null for a local var. */
  private globalRef(name: string, ctx: BodyCtx, loc: Location): CTerm | null {
    if (name === 'input') return { t: 'input', path: [], needs: NO_NEEDS, loc };
    if (name === 'data') return this.dataTerm([], loc);
    const imp = ctx.env.imports.get(name);
    if (imp) {
      const segs: CTerm[] = imp.slice(1).map((s) => ({ t: 'val', v: s, needs: NO_NEEDS }));
      return imp[0] === 'input' ? { t: 'input', path: segs, needs: NO_NEEDS, loc } : this.dataTerm(segs, loc);
    }
    if (ctx.env.ruleNames.has(name)) {
      return this.dataTerm([...ctx.env.pkg, name].map((s) => ({ t: 'val', v: s, needs: NO_NEEDS })), loc);
    }
    return null;
  }

  private dataTerm(path: CTerm[], loc: Location): CTerm {
    return { t: 'data', path, needs: union(...path.map(refSegNeeds)), loc };
  }

  /** Records a dependency of the current rule on a data path (for the recursion check). */
  private recordDep(path: CTerm[]): void {
    if (this.curDeps) {
      let node: DocNode | undefined = this.root;
      for (const p of path) {
        if (node.hasOwnRules()) break;
        if (p.t === 'val' && typeof p.v !== 'string') {
          // data[2]: no rule has a non-string key, so the ref depends on no rule
          node = undefined;
          break;
        }
        if (p.t !== 'val' || typeof p.v !== 'string') break;
        const c: DocNode | undefined = node.children.get(p.v);
        if (!c) {
          node = undefined;
          break;
        }
        node = c;
      }
      if (node) this.curDeps.add(node);
    }
  }

  private refTerm(t: Extract<Term, { type: 'ref' }>, ctx: BodyCtx): CTerm {
    const path = t.path.map((p) => this.term(p, ctx, false));
    const head = t.head.type === 'var' ? this.varTerm(t.head.name, t.head.loc, ctx, false) : this.term(t.head, ctx, false);
    if (head.t === 'input') return { t: 'input', path: [...head.path, ...path], needs: union(...path.map(refSegNeeds)), loc: t.loc };
    if (head.t === 'data') {
      const full = [...head.path, ...path];
      this.recordDep(full);
      return this.dataTerm(full, t.loc);
    }
    return { t: 'ref', head, path, needs: union(head.needs, ...path.map(refSegNeeds)), loc: t.loc };
  }

  private compr(t: Extract<Term, { type: 'arraycompr' | 'setcompr' | 'objectcompr' }>, ctx: BodyCtx): CTerm {
    const inner: BodyCtx = { ...ctx, declared: new Set(ctx.declared) };
    collectDeclared(t.body, inner.declared);
    const levelSlots = new Set<number>();
    this.prescan(t.body, inner, levelSlots);
    const headTerms: CTerm[] = [];
    let res: CTerm;
    const before = ctx.scope.nslots;
    if (t.type === 'objectcompr') {
      const k = this.term(t.key, inner, false);
      const v = this.term(t.value, inner, false);
      headTerms.push(k, v);
      for (const h of headTerms) termVars(h, levelSlots);
      const body = t.body.map((e) => this.expr(e, { ...inner, outer: [...ctx.outer, levelSlots], assigned: new Set() }));
      res = { t: 'ocompr', key: k, value: v, body, needs: NO_NEEDS };
    } else {
      const x = this.term(t.term, inner, false);
      headTerms.push(x);
      termVars(x, levelSlots);
      const body = t.body.map((e) => this.expr(e, { ...inner, outer: [...ctx.outer, levelSlots], assigned: new Set() }));
      res = t.type === 'arraycompr' ? { t: 'acompr', term: x, body, needs: NO_NEEDS } : { t: 'scompr', term: x, body, needs: NO_NEEDS };
    }
    // closure vars: slots used inside that also appear at enclosing levels
    const used = new Set<number>();
    for (const h of headTerms) for (const n of allNeeds(h)) used.add(n);
    for (const e of res.body) exprSlots(e, used);
    const closure: number[] = [];
    for (const s of used) {
      if (ctx.outer.some((lvl) => lvl.has(s))) closure.push(s);
    }
    void before;
    res.needs = closure;
    // order the body now, assuming closure vars bound
    const bound = new Set<number>(closure);
    res.body = this.order(res.body, bound, t.loc, ctx.scope);
    for (const h of headTerms) for (const n of h.needs) if (!bound.has(n)) throw new RegoError('rego_unsafe_var_error', `var ${ctx.scope.slotNames[n]} is unsafe`, t.loc);
    return res;
  }

  private callTerm(t: Extract<Term, { type: 'call' }>, ctx: BodyCtx): CTerm {
    const { fn, arity } = this.resolveFn(t.op, ctx, t.loc);
    let args = t.args.map((a) => this.term(a, ctx, false));
    if (fn.kind === 'const') {
      if (args.length !== 0) throw new RegoError('rego_type_error', `${t.op}: arity mismatch`, t.loc);
      return { t: 'val', v: fn.value, needs: NO_NEEDS };
    }
    let out: CTerm | null = null;
    if (arity >= 0) {
      if (args.length === arity + 1) {
        out = args[arity];
        args = args.slice(0, arity);
      } else if (args.length !== arity) {
        throw new RegoError('rego_type_error', `${fn.name}: arity mismatch\n\thave: (${args.length} args)\n\twant: (${arity} args)`, t.loc);
      }
    }
    // vars that a ref inside the arguments enumerates are outputs of the call, not inputs (OPA
    // hoists such refs into expressions of their own before the call)
    const outs = new Set<number>();
    for (const a of args) refOutputs(a, outs);
    let needs = union(...args.map((a) => a.needs));
    let argOrder: number[] | undefined;
    if (outs.size > 0 && needs.some((n) => outs.has(n))) {
      needs = needs.filter((n) => !outs.has(n));
      const binds = args.map((a) => {
        const o = new Set<number>();
        refOutputs(a, o);
        return o.size > 0;
      });
      argOrder = [...args.keys()].filter((i) => binds[i]).concat([...args.keys()].filter((i) => !binds[i]));
    }
    return { t: 'call', fn, args, out, needs, loc: t.loc, name: fn.name, argOrder };
  }

  resolveFn(op: string, ctx: BodyCtx, loc: Location): { fn: FnTarget; arity: number } {
    const segs = op.split('.');
    let full: string[] | null = null;
    if (segs[0] === 'data') full = segs.slice(1);
    else if (ctx.env.imports.has(segs[0]) && !ctx.declared.has(segs[0])) {
      const imp = ctx.env.imports.get(segs[0]) as string[];
      if (imp[0] === 'data') full = [...imp.slice(1), ...segs.slice(1)];
    } else if (ctx.env.ruleNames.has(segs[0])) full = [...ctx.env.pkg, ...segs];
    if (full) {
      let node: DocNode | undefined = this.root;
      for (const s of full) {
        node = node.children.get(s);
        if (!node) break;
      }
      if (node && node.funcs.length > 0) {
        this.curDeps?.add(node);
        return { fn: { kind: 'func', node, name: node.pathText }, arity: (node.funcs[0].src.head.args as Term[]).length };
      }
      if (segs[0] === 'data' || ctx.env.ruleNames.has(segs[0])) {
        throw new RegoError('rego_type_error', `undefined function ${full ? 'data.' + full.join('.') : op}`, loc);
      }
    }
    this.checkCapability(op, loc);
    if (op === 'rego.metadata.rule' && this.curRule) return { fn: { kind: 'const', name: op, value: this.curRule.metaRule }, arity: 0 };
    if (op === 'rego.metadata.chain' && this.curRule) return { fn: { kind: 'const', name: op, value: this.curRule.metaChain }, arity: 0 };
    if (ctx.env.v1 && DEPRECATED_BUILTINS.has(op)) {
      throw new RegoError('rego_type_error', `undefined function ${op} (deprecated built-in, not available in Rego v1)`, loc);
    }
    if (op === 'print') return { fn: { kind: 'print', name: 'print' }, arity: -1 };
    const b = this.builtins.get(op);
    if (b) return { fn: { kind: 'builtin', name: op, def: b }, arity: b.arity };
    throw new RegoError('rego_type_error', `undefined function ${op}`, loc);
  }

  // ---- expressions ----------------------------------------------------------------------------

  private expr(e: Expr, ctx: BodyCtx): CExpr {
    const withs = e.withs.map((w) => this.withMod(w, ctx));
    const loc = e.loc;
    const lvl = ctx.outer[ctx.outer.length - 1];
    const note = (t: CTerm): CTerm => {
      if (lvl) termVars(t, lvl);
      return t;
    };
    let out: CExpr;
    switch (e.kind) {
      case 'term':
        out = { k: 'term', term: note(this.term(e.term, ctx, false)), withs, loc };
        break;
      case 'unify':
        out = { k: 'unify', left: note(this.term(e.left, ctx, false)), right: note(this.term(e.right, ctx, false)), withs, loc };
        break;
      case 'assign': {
        if (ctx.assigned) {
          const names = new Set<string>();
          collectVarNames(e.left, names);
          for (const n of names) {
            if (ctx.assigned.has(n)) throw new RegoError('rego_compile_error', `var ${n} assigned above`, e.loc);
            ctx.assigned.add(n);
          }
        }
        const right = note(this.term(e.right, ctx, false));
        const left = note(this.term(e.left, ctx, true));
        out = { k: 'assign', left, right, withs, loc };
        break;
      }
      case 'some':
        for (const v of e.vars) if (v.type === 'var') note(this.varTerm(v.name, v.loc, ctx, true));
        out = { k: 'some', withs, loc };
        break;
      case 'somein': {
        const coll = note(this.term(e.coll, ctx, false));
        const key = e.key ? note(this.term(e.key, ctx, true)) : null;
        const value = note(this.term(e.value, ctx, true));
        out = { k: 'somein', key, value, coll, withs, loc };
        break;
      }
      case 'every': {
        const coll = note(this.term(e.coll, ctx, false));
        const inner: BodyCtx = { ...ctx, declared: new Set(ctx.declared) };
        collectDeclared(e.body, inner.declared);
        const keyName = e.key && e.key.type === 'var' ? e.key.name : null;
        const valName = e.value.type === 'var' ? e.value.name : '_';
        if (keyName) inner.declared.add(keyName);
        inner.declared.add(valName);
        // every's vars are always fresh
        const key = keyName ? this.freshVar(keyName, ctx) : null;
        const value = this.freshVar(valName, ctx);
        const saved = new Map(ctx.scope.names);
        if (keyName && key && key.t === 'var') ctx.scope.names.set(keyName, key.slot);
        if (value.t === 'var') ctx.scope.names.set(valName, value.slot);
        const levelSlots = new Set<number>();
        if (key && key.t === 'var') levelSlots.add(key.slot);
        if (value.t === 'var') levelSlots.add(value.slot);
        this.prescan(e.body, inner, levelSlots);
        const body = e.body.map((x) => this.expr(x, { ...inner, outer: [...ctx.outer, levelSlots], assigned: new Set() }));
        // restore shadowed names
        for (const [n, s] of saved) ctx.scope.names.set(n, s);
        if (keyName && !saved.has(keyName)) ctx.scope.names.delete(keyName);
        if (!saved.has(valName)) ctx.scope.names.delete(valName);
        const used = new Set<number>();
        for (const x of body) exprSlots(x, used);
        const closure: number[] = [];
        for (const s of used) {
          if (s === (key && key.t === 'var' ? key.slot : -1) || (value.t === 'var' && s === value.slot)) continue;
          if (ctx.outer.some((l) => l.has(s))) closure.push(s);
        }
        const bound = new Set<number>(closure);
        if (key && key.t === 'var') bound.add(key.slot);
        if (value.t === 'var') bound.add(value.slot);
        const ordered = this.order(body, bound, e.loc, ctx.scope);
        const ev: CExpr = { k: 'every', key, value, coll, body: ordered, withs, loc };
        (ev as { closure?: number[] }).closure = closure;
        out = ev;
        break;
      }
      case 'not':
        out = { k: 'not', expr: this.expr(e.expr, ctx), withs, loc };
        break;
    }
    return out;
  }

  private freshVar(name: string, ctx: BodyCtx): CTerm {
    const s = ctx.scope.newSlot(name);
    return { t: 'var', slot: s, name, needs: [s] };
  }

  private withMod(w: { target: Term; value: Term; loc: Location }, ctx: BodyCtx): CWith {
    let valueFn: FnTarget | null = null;
    const vname = callName(w.value);
    if (vname !== null) valueFn = this.resolveFnQuiet(vname, ctx);
    const value: CTerm = valueFn ? { t: 'val', v: null, needs: NO_NEEDS } : this.term(w.value, ctx, false);
    const tname = callName(w.target);
    if (tname === null) throw new RegoError('rego_compile_error', 'with keyword target must reference existing input, data, or a function', w.loc);
    const segs = tname.split('.');
    if (segs[0] === 'input') return { kind: 'input', path: segs.slice(1), fnKey: '', value, valueFn, loc: w.loc };
    // function targets: user functions and builtins
    const fnTarget = this.resolveFnQuiet(tname, ctx);
    if (fnTarget) {
      const key = fnTarget.kind === 'func' ? fnTarget.node.pathText : fnTarget.name;
      return { kind: 'fn', path: [], fnKey: key, value, valueFn, loc: w.loc };
    }
    let full: string[] | null = null;
    if (segs[0] === 'data') full = segs.slice(1);
    else if (ctx.env.imports.has(segs[0])) {
      const imp = ctx.env.imports.get(segs[0]) as string[];
      if (imp[0] === 'input') return { kind: 'input', path: [...imp.slice(1), ...segs.slice(1)], fnKey: '', value, valueFn, loc: w.loc };
      full = [...imp.slice(1), ...segs.slice(1)];
    } else if (ctx.env.ruleNames.has(segs[0])) full = [...ctx.env.pkg, ...segs];
    if (!full) throw new RegoError('rego_compile_error', `with keyword target must reference existing input, data, or a function`, w.loc);
    // a path inside the value of a rule cannot be replaced (OPA: partial replacement of virtual documents)
    let node: DocNode | undefined = this.root;
    for (const seg of full) {
      if (node.hasOwnRules()) throw new RegoError('rego_compile_error', `with keyword cannot partially replace virtual document(s)`, w.loc);
      node = node.children.get(seg);
      if (!node) break;
    }
    return { kind: 'data', path: full, fnKey: '', value, valueFn, loc: w.loc };
  }

  private resolveFnQuiet(name: string, ctx: BodyCtx): FnTarget | null {
    const segs = name.split('.');
    if (segs[0] === 'input') return null;
    if (ctx.declared.has(segs[0])) return null;
    let full: string[] | null = null;
    if (segs[0] === 'data') full = segs.slice(1);
    else if (ctx.env.imports.has(segs[0])) {
      const imp = ctx.env.imports.get(segs[0]) as string[];
      if (imp[0] === 'data') full = [...imp.slice(1), ...segs.slice(1)];
    } else if (ctx.env.ruleNames.has(segs[0])) full = [...ctx.env.pkg, ...segs];
    if (full) {
      let node: DocNode | undefined = this.root;
      for (const s of full) {
        node = node.children.get(s);
        if (!node) break;
      }
      if (node && node.funcs.length > 0) return { kind: 'func', node, name: node.pathText };
      return null;
    }
    if (name === 'print') return { kind: 'print', name: 'print' };
    const b = this.builtins.get(name);
    if (b) return { kind: 'builtin', name, def: b };
    return null;
  }

  /** Compiles the expressions of a rule body or query; `x := …` after a use of x is an error (OPA). */
  private bodyExprs(body: Expr[], ctx: BodyCtx): CExpr[] {
    const seen = new Set<string>();
    return body.map((e) => {
      if (e.kind === 'assign') {
        const names = new Set<string>();
        collectVarNames(e.left, names);
        for (const n of names) {
          if (seen.has(n) && !ctx.assigned?.has(n)) throw new RegoError('rego_compile_error', `var ${n} referenced above`, e.loc);
        }
      }
      const c = this.expr(e, ctx);
      exprVarNames(e, seen);
      return c;
    });
  }

  /**
   * Unification variables of a body (not declared with `:=`/`some`) are shared by the whole
   * body, so comprehensions anywhere in it capture them, as in OPA; declared variables are only
   * visible after their declaration.
   */
  private prescan(body: Expr[], ctx: BodyCtx, lvl: Set<number>): void {
    const names = new Set<string>();
    for (const e of body) exprVarNames(e, names);
    for (const n of names) {
      if (n === '_' || ctx.declared.has(n) || n === 'input' || n === 'data') continue;
      if (ctx.env.imports.has(n) || ctx.env.ruleNames.has(n)) continue;
      lvl.add(ctx.scope.slot(n));
    }
  }

  // ---- safety ordering ------------------------------------------------------------------------

  /** Orders a body so that every expression's inputs are bound first; adds outputs to `bound`. */
  private order(body: CExpr[], bound: Set<number>, loc: Location, scope: Scope): CExpr[] {
    const remaining = body.slice();
    const out: CExpr[] = [];
    const boundBefore: Set<number>[] = [];
    while (remaining.length > 0) {
      let progressed = false;
      for (let i = 0; i < remaining.length; i++) {
        const e = remaining[i];
        if (exprReady(e, bound, scope.slotNames)) {
          boundBefore.push(new Set(bound));
          exprOutputs(e, bound);
          out.push(e);
          remaining.splice(i, 1);
          progressed = true;
          break;
        }
      }
      if (!progressed) {
        const e = remaining[0];
        const missing = exprMissing(e, bound, scope.slotNames);
        const name = missing.length > 0 ? scope.slotNames[missing[0]] : '?';
        throw new RegoError('rego_unsafe_var_error', `var ${name} is unsafe`, e.loc ?? loc);
      }
    }
    for (let i = 0; i < out.length; i++) {
      const e = out[i];
      if (e.k === 'somein' && e.value.t === 'var' && e.withs.length === 0) {
        const idx = findIndexable(e.value.slot, out, i + 1, boundBefore[i]);
        if (idx) e.index = idx;
      }
    }
    return out;
  }

  // ---- recursion ------------------------------------------------------------------------------

  private checkRecursion(): void {
    // expand dependencies on inner nodes to every rule node below them
    const ruleDeps = new Map<DocNode, DocNode[]>();
    const below = (n: DocNode, acc: DocNode[]): void => {
      if (n.hasOwnRules()) acc.push(n);
      for (const c of n.children.values()) below(c, acc);
    };
    for (const [n, ds] of this.deps) {
      const acc: DocNode[] = [];
      for (const d of ds) below(d, acc);
      ruleDeps.set(n, acc);
    }
    const state = new Map<DocNode, number>();
    const stack: DocNode[] = [];
    const visit = (n: DocNode): void => {
      const s = state.get(n);
      if (s === 2) return;
      if (s === 1) {
        const cycle = stack.slice(stack.indexOf(n)).concat([n]);
        const r = n.rules()[0];
        throw new RegoError('rego_recursion_error', `rule ${n.pathText} is recursive: ${cycle.map((c) => c.pathText).join(' -> ')}`, r?.loc);
      }
      state.set(n, 1);
      stack.push(n);
      for (const d of ruleDeps.get(n) ?? []) visit(d);
      stack.pop();
      state.set(n, 2);
    };
    for (const n of ruleDeps.keys()) visit(n);
  }

  /** Compiles a query (no package) into an ordered body. */
  compileQuery(body: Expr[], pkg: string[] = []): { body: CExpr[]; nslots: number; vars: Map<string, number> } {
    const scope = new Scope();
    const declared = new Set<string>();
    collectDeclared(body, declared);
    const names = this.pkgRuleNames.get(pkg.join('.')) ?? new Set<string>();
    const env: ModuleEnv = { pkg, imports: new Map(), ruleNames: pkg.length ? names : new Set() };
    const ctx: BodyCtx = { scope, env, declared, outer: [] };
    const lvl = new Set<number>();
    this.prescan(body, ctx, lvl);
    const assigned = new Set<string>();
    const compiled = this.bodyExprs(body, { ...ctx, outer: [lvl], assigned });
    const ordered = this.order(compiled, new Set(), body[0]?.loc ?? { file: 'query', row: 1, col: 1 }, scope);
    return { body: ordered, nslots: scope.nslots, vars: scope.names };
  }
}

interface BodyCtx {
  /** names assigned with `:=` in this body (a second `:=` is an error) */
  assigned?: Set<string>;
  scope: Scope;
  env: ModuleEnv;
  declared: Set<string>;
  /** slot sets of each enclosing body level (innermost last) */
  outer: Set<number>[];
}


/** Builtins removed from Rego v1 (OPA 1.x): unavailable in modules that import rego.v1. */
const DEPRECATED_BUILTINS = new Set(['any', 'all', 're_match', 'net.cidr_overlap', 'set_diff', 'cast_array', 'cast_set', 'cast_string', 'cast_boolean', 'cast_null', 'cast_object']);

// ---------------------------------------------------------------------------------------------
// helpers

/** Builtins behind operators: not worth indexing a collection by (see callOf below). */
const OPERATORS = new Set(['equal', 'neq', 'lt', 'lte', 'gt', 'gte', 'plus', 'minus', 'mul', 'div', 'rem', 'and', 'or', 'internal.member_2', 'internal.member_3']);

/** Finds `x.a.b == other` after a `some x in` (see SomeInIndex). */
function findIndexable(slot: number, body: CExpr[], from: number, before: Set<number>): SomeInIndex | null {
  const known = (t: CTerm): boolean => {
    switch (t.t) {
      case 'val':
        return true;
      case 'var':
        return before.has(t.slot);
      case 'ref':
        return known(t.head) && t.path.every(known);
      case 'input':
      case 'data':
        return t.path.every(known);
      case 'call':
        if (t.out || t.fn.kind === 'print' || (t.fn.kind === 'builtin' && t.fn.def.relation)) return false;
        return t.args.every(known);
      default:
        return false;
    }
  };
  const pathOf = (t: CTerm): string[] | null => {
    if (t.t !== 'ref' || t.head.t !== 'var' || t.head.slot !== slot || t.path.length === 0) return null;
    const out: string[] = [];
    for (const p of t.path) {
      if (p.t !== 'val' || typeof p.v !== 'string') return null;
      out.push(p.v);
    }
    return out;
  };
  for (let j = from; j < body.length; j++) {
    const e = body[j];
    if (e.withs.length > 0) continue;
    let a: CTerm | null = null;
    let b: CTerm | null = null;
    if (e.k === 'term' && e.term.t === 'call' && e.term.fn.kind === 'builtin' && e.term.fn.name === 'equal' && !e.term.out) {
      [a, b] = e.term.args;
    } else if (e.k === 'unify') {
      a = e.left;
      b = e.right;
    }
    if (!a || !b) continue;
    const pa = pathOf(a);
    if (pa && known(b)) return { path: pa, call: null, other: b };
    const pb = pathOf(b);
    if (pb && known(a)) return { path: pb, call: null, other: a };
    if (callOf(a) && known(b)) return { path: null, call: a, other: b };
    if (callOf(b) && known(a)) return { path: null, call: b, other: a };
  }
  return null;

  /** A call of a user function or builtin whose arguments only use x (by refs with static paths). */
  function callOf(t: CTerm): boolean {
    if (t.t !== 'call' || t.out || t.fn.kind === 'print' || (t.fn.kind === 'builtin' && (t.fn.def.relation || OPERATORS.has(t.fn.name)))) return false;
    let usesX = false;
    const simple = (a: CTerm): boolean => {
      if (a.t === 'val') return true;
      if (a.t === 'var') {
        if (a.slot === slot) usesX = true;
        return a.slot === slot;
      }
      if (a.t === 'ref') return simple(a.head) && a.path.every((p) => p.t === 'val');
      return false;
    };
    return t.args.every(simple) && usesX;
  }
}

/** Vars enumerated by the ref paths inside a term (not inside comprehensions). */
function refOutputs(t: CTerm, out: Set<number>): void {
  switch (t.t) {
    case 'ref':
    case 'input':
    case 'data':
      if (t.t === 'ref') refOutputs(t.head, out);
      for (const p of t.path) {
        if (p.t === 'var') out.add(p.slot);
        else refOutputs(p, out);
      }
      return;
    case 'array':
    case 'set':
      for (const i of t.items) refOutputs(i, out);
      return;
    case 'object':
      for (const [k, v] of t.items) {
        refOutputs(k, out);
        refOutputs(v, out);
      }
      return;
    case 'call':
      for (const a of t.args) refOutputs(a, out);
      return;
    default:
      return;
  }
}

function refSegNeeds(t: CTerm): number[] {
  // a var in a ref path is an output (iteration), so it is not needed
  if (t.t === 'var') return NO_NEEDS;
  if (t.t === 'array' || t.t === 'object') return NO_NEEDS; // patterns unified against keys
  return t.needs;
}

function allNeeds(t: CTerm): number[] {
  const s = new Set<number>();
  termVars(t, s);
  return Array.from(s);
}

function constFold(t: CTerm): CTerm {
  if (t.t === 'array' && t.items.every((x) => x.t === 'val')) return { t: 'val', v: t.items.map((x) => (x as { v: Value }).v), needs: NO_NEEDS };
  if (t.t === 'set' && t.items.every((x) => x.t === 'val')) return { t: 'val', v: makeSet(t.items.map((x) => (x as { v: Value }).v)), needs: NO_NEEDS };
  if (t.t === 'object' && t.items.every(([k, v]) => k.t === 'val' && v.t === 'val')) {
    const keys = new Set<string>();
    const o = new RObject();
    for (const [k, v] of t.items) {
      const kv = (k as { v: Value }).v;
      o.set(kv, (v as { v: Value }).v);
      keys.add(JSON.stringify(typeof kv === 'bigint' ? kv.toString() : kv));
    }
    if (o.size !== t.items.length) return t; // duplicate keys: evaluated (and checked) at run time
    return { t: 'val', v: o, needs: NO_NEEDS };
  }
  return t;
}

/** Every slot an expression mentions: its own terms' (as {@link exprOutputs}), then those of
 * `every` and `not` bodies, then the `with` values. */
function exprSlots(e: CExpr, out: Set<number>): void {
  exprOutputs(e, out);
  switch (e.k) {
    case 'every':
      termVars(e.coll, out);
      for (const x of e.body) exprSlots(x, out);
      break;
    case 'not':
      exprSlots(e.expr, out);
      break;
    default:
      break;
  }
  for (const w of e.withs) termVars(w.value, out);
}

function missingOf(needs: number[], bound: Set<number>): number[] {
  return needs.filter((n) => !bound.has(n));
}

/** The vars of a unification side that must be bound before it can be evaluated. */
function unifyReady(a: CTerm, b: CTerm, bound: Set<number>): boolean {
  if (missingOf(a.needs, bound).length === 0 || missingOf(b.needs, bound).length === 0) {
    // a var on one side alone can be bound from the other
    return true;
  }
  if (a.t === 'array' && b.t === 'array' && a.items.length === b.items.length) {
    const tmp = new Set(bound);
    const pending = a.items.map((x, i) => [x, b.items[i]] as [CTerm, CTerm]);
    let progress = true;
    while (pending.length > 0 && progress) {
      progress = false;
      for (let i = 0; i < pending.length; i++) {
        const [x, y] = pending[i];
        if (unifyReady(x, y, tmp)) {
          termVars(x, tmp);
          termVars(y, tmp);
          pending.splice(i, 1);
          progress = true;
          break;
        }
      }
    }
    return pending.length === 0;
  }
  const pairs = objectPairs(a, b);
  if (pairs) return unifyReady({ t: 'array', items: pairs.map((p) => p[0]), needs: NO_NEEDS }, { t: 'array', items: pairs.map((p) => p[1]), needs: NO_NEEDS }, bound);
  if (a.t === 'var' && b.t === 'var') return false;
  // object/array literal patterns with vars against a term whose needs are unbound
  return false;
}

/** Two object literals with the same constant keys: their values paired by key; else null. */
export function objectPairs(a: CTerm, b: CTerm): Array<[CTerm, CTerm]> | null {
  if (a.t !== 'object' || b.t !== 'object' || a.items.length !== b.items.length) return null;
  const out: Array<[CTerm, CTerm]> = [];
  for (const [ka, va] of a.items) {
    if (ka.t !== 'val') return null;
    const m = b.items.find(([kb]) => kb.t === 'val' && valueEquals(kb.v, ka.v));
    if (!m) return null;
    out.push([va, m[1]]);
  }
  return out;
}

function withsReady(e: CExpr, bound: Set<number>): boolean {
  for (const w of e.withs) if (missingOf(w.value.needs, bound).length > 0) return false;
  return true;
}

function exprReady(e: CExpr, bound: Set<number>, names: string[]): boolean {
  if (!withsReady(e, bound)) return false;
  switch (e.k) {
    case 'term':
      return missingOf(e.term.needs, bound).length === 0;
    case 'unify':
      return unifyReady(e.left, e.right, bound);
    case 'assign':
      return missingOf(e.right.needs, bound).length === 0;
    case 'some':
      return true;
    case 'somein':
      return missingOf(e.coll.needs, bound).length === 0;
    case 'every': {
      const closure = (e as { closure?: number[] }).closure ?? [];
      return missingOf(e.coll.needs, bound).length === 0 && missingOf(closure, bound).length === 0;
    }
    case 'not':
      return notReady(e.expr, bound, names);
  }
}

/** Slots of a negated expression that must be bound first: every named var (OPA: vars in
 * negated expressions must be safe); only wildcards may stay unbound. */
function notMissing(e: CExpr, bound: Set<number>, names: string[]): number[] {
  const vars = new Set<number>();
  exprSlots(e, vars);
  const out: number[] = [];
  for (const s of vars) if (!bound.has(s) && names[s] !== '_') out.push(s);
  return out;
}

function notReady(e: CExpr, bound: Set<number>, names: string[]): boolean {
  if (notMissing(e, bound, names).length > 0) return false;
  if (e.k === 'term') return missingOf(e.term.needs, bound).length === 0;
  if (e.k === 'unify') return missingOf(e.left.needs, bound).length === 0 && missingOf(e.right.needs, bound).length === 0;
  return exprReady(e, bound, names);
}

function exprMissing(e: CExpr, bound: Set<number>, names: string[]): number[] {
  for (const w of e.withs) {
    const m = missingOf(w.value.needs, bound);
    if (m.length) return m;
  }
  switch (e.k) {
    case 'term':
      return missingOf(e.term.needs, bound);
    case 'unify': {
      const m = missingOf(e.left.needs, bound);
      return m.length ? m : missingOf(e.right.needs, bound);
    }
    case 'assign':
      return missingOf(e.right.needs, bound);
    case 'somein':
      return missingOf(e.coll.needs, bound);
    case 'every': {
      const m = missingOf(e.coll.needs, bound);
      return m.length ? m : missingOf((e as { closure?: number[] }).closure ?? [], bound);
    }
    case 'not': {
      const m = notMissing(e.expr, bound, names);
      return m.length ? m : exprMissing(e.expr, bound, names);
    }
    default:
      return [];
  }
}

/** The slots of an expression's own terms (term, unify/assign sides, some-in key, value and collection). */
function exprOutputs(e: CExpr, bound: Set<number>): void {
  switch (e.k) {
    case 'term':
      termVars(e.term, bound);
      break;
    case 'unify':
    case 'assign':
      termVars(e.left, bound);
      termVars(e.right, bound);
      break;
    case 'somein':
      if (e.key) termVars(e.key, bound);
      termVars(e.value, bound);
      termVars(e.coll, bound);
      break;
    default:
      break;
  }
}

/** Var names of an expression at its own level (not inside comprehensions or every bodies). */
function exprVarNames(e: Expr, out: Set<string>): void {
  const term = (t: Term): void => {
    switch (t.type) {
      case 'var':
        out.add(t.name);
        return;
      case 'ref':
        term(t.head);
        t.path.forEach(term);
        return;
      case 'array':
      case 'set':
        t.items.forEach(term);
        return;
      case 'object':
        for (const [k, v] of t.items) {
          term(k);
          term(v);
        }
        return;
      case 'call':
        t.args.forEach(term);
        return;
      default:
        return;
    }
  };
  switch (e.kind) {
    case 'term':
      term(e.term);
      break;
    case 'unify':
    case 'assign':
      term(e.left);
      term(e.right);
      break;
    case 'somein':
      if (e.key) term(e.key);
      term(e.value);
      term(e.coll);
      break;
    case 'every':
      term(e.coll);
      break;
    case 'not':
      exprVarNames(e.expr, out);
      break;
    default:
      break;
  }
  for (const w of e.withs) term(w.value);
}

function collectVarNames(t: Term, out: Set<string>): void {
  switch (t.type) {
    case 'var':
      if (t.name !== '_') out.add(t.name);
      return;
    case 'array':
    case 'set':
      for (const i of t.items) collectVarNames(i, out);
      return;
    case 'object':
      for (const [k, v] of t.items) {
        collectVarNames(k, out);
        collectVarNames(v, out);
      }
      return;
    default:
      return;
  }
}

function collectDeclared(body: Expr[], out: Set<string>): void {
  for (const e of body) {
    switch (e.kind) {
      case 'some':
        for (const v of e.vars) collectVarNames(v, out);
        break;
      case 'somein':
        if (e.key) collectVarNames(e.key, out);
        collectVarNames(e.value, out);
        break;
      case 'assign':
        collectVarNames(e.left, out);
        break;
      default:
        break;
    }
  }
}

function refStrings(t: Term): string[] | null {
  const n = callName(t);
  if (n !== null) return n.split('.');
  if (t.type === 'ref' && t.head.type === 'var') {
    const out = [t.head.name];
    for (const p of t.path) {
      if (p.type !== 'scalar' || typeof p.value !== 'string') return null;
      out.push(p.value);
    }
    return out;
  }
  return null;
}

/** The static prefix of a rule head ref as strings. */
function refStrings2(ref: Term[]): string[] {
  const out: string[] = [];
  for (const t of ref) {
    if (t.type === 'var' && out.length === 0) out.push(t.name);
    else if (t.type === 'scalar' && typeof t.value === 'string') out.push(t.value);
    else break;
  }
  return out;
}

