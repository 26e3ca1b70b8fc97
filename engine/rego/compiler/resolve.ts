/**
 * Pass 2, resolution: each rule body, head and query becomes the compiled form (ir.ts). Names
 * resolve to input, data, imports, rules of the package, local variables (numbered into frame
 * slots, with comprehensions capturing the vars of enclosing bodies) or builtins, which must be
 * in the capabilities and, in Rego v1, not among those OPA 1.x removed. Bodies stay in source
 * order: the safety pass orders them.
 */
import type { Expr, Rule, Term } from '../ast';
import type { Capabilities } from '../capabilities';
import { RegoError, type Location } from '../errors';
import { annotationValue, toAnnotation, type Annotation, type RawDoc } from '../metadata';
import { callName } from '../parser';
import { RObject, makeObject, makeSet, type Value } from '../value';
import type { Builtins, CExpr, CRule, CTerm, CWith, DocNode, FnTarget } from './ir';
import type { ModuleEnv, RuleTree } from './tree';
import { NO_NEEDS, allNeeds, collectDeclared, collectVarNames, exprSlots, exprVarNames, refOutputs, refSegNeeds, termVars, union } from './vars';

export class Scope {
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

export interface BodyCtx {
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

export interface ResolveOptions {
  capabilities?: Capabilities;
}

export class Resolver {
  /** the rule being resolved (rego.metadata.rule() and chain() are its constants) */
  private curRule: CRule | null = null;

  constructor(
    private readonly tree: RuleTree,
    private readonly builtins: Builtins,
    private readonly options: ResolveOptions = {},
  ) {}

  /** OPA's error for a builtin outside the capabilities (the same as for an unknown function). */
  private checkCapability(name: string, loc: Location): void {
    const caps = this.options.capabilities;
    if (caps && !caps.builtins.has(name)) throw new RegoError('rego_type_error', `undefined function ${name}`, loc);
  }

  /** Resolves a rule (and its else chain): slots for its vars, resolved names in its terms. */
  resolveRule(cr: CRule, r: Rule, env: ModuleEnv): void {
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
    this.curRule = cr;
    const ctx: BodyCtx = { scope, env, declared, outer: [] };
    let cur: CRule = cr;
    let src: Rule | null = r;
    this.fillMeta(cr, r, env);
    while (src) {
      this.resolveRuleDef(cur, src, ctx);
      if (src.elseRule) {
        const next: CRule = { ...cur, elseRule: null, src: src.elseRule, loc: src.elseRule.loc };
        cur.elseRule = next;
        cur = next;
      }
      src = src.elseRule;
    }
    for (let x: CRule | null = cr; x; x = x.elseRule) {
      x.nslots = scope.nslots;
      x.slotNames = scope.slotNames;
    }
    this.curRule = null;
  }

  private resolveRuleDef(cr: CRule, r: Rule, ctx: BodyCtx): void {
    const bound = new Set<number>();
    if (r.head.args) {
      cr.args = r.head.args.map((a) => this.term(a, ctx, true));
      for (const a of cr.args) termVars(a, bound);
    }
    // the body first, then the head terms, which see every body var (comprehensions in heads)
    const levelSlots = new Set<number>(bound);
    this.prescan(r.body, ctx, levelSlots);
    const assigned = new Set<string>();
    if (r.head.args) for (const a of r.head.args) collectVarNames(a, assigned);
    cr.body = this.bodyExprs(r.body, { ...ctx, outer: [...ctx.outer, levelSlots], assigned });
    const hctx: BodyCtx = { ...ctx, outer: [...ctx.outer, levelSlots] };
    if (cr.kind === 'general') {
      const ref = r.head.ref;
      let i = 1;
      while (i < ref.length && ref[i].type === 'scalar' && typeof (ref[i] as { value: Value }).value === 'string') i++;
      cr.refSegs = ref.slice(i).map((t) => this.term(t, hctx, false));
    }
    if (r.head.key) cr.key = this.term(r.head.key, hctx, false);
    cr.value = r.head.value ? this.term(r.head.value, hctx, false) : { t: 'val', v: true, needs: NO_NEEDS };
    cr.constValue = cr.value.t === 'val' && cr.kind !== 'general' && cr.kind !== 'multi';
  }

  private fillMeta(cr: CRule, r: Rule, env: ModuleEnv): void {
    const rulePath = 'data.' + [...env.pkg, ...refStrings2(r.head.ref)].join('.');
    const chain: Value[] = [];
    const own: Annotation[] = [];
    for (const a of r.annotations) {
      const ann = toAnnotation(a.data, (a.scope ?? 'rule') as Annotation['scope'], rulePath, a.loc);
      this.tree.annotations.push(ann);
      own.push(ann);
    }
    const pathArr = rulePath.split('.').slice(1);
    const byScope = (s: string): Annotation[] => own.filter((a) => a.scope === s);
    const docAnns = cr.node.rules().filter((x) => x !== cr).flatMap((x) => x.src.annotations.filter((a) => a.scope === 'document'));
    const entries: Array<[string[], Annotation | RawDoc | null]> = [];
    for (const a of byScope('rule')) entries.push([pathArr, a]);
    for (const a of byScope('document')) entries.push([pathArr, a]);
    for (const a of docAnns) entries.push([pathArr, { scope: 'document', data: a.data }]);
    const pkgAnns = this.tree.pkgAnnotations.get(env.pkg.join('.')) ?? [];
    for (const a of pkgAnns.filter((x) => x.scope === 'package')) entries.push([env.pkg, a]);
    for (let n = env.pkg.length; n >= 1; n--) {
      const anns = this.tree.pkgAnnotations.get(env.pkg.slice(0, n).join('.')) ?? [];
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
      case 'var':
        return this.varTerm(t.name, t.loc, ctx, argPattern);
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

  private refTerm(t: Extract<Term, { type: 'ref' }>, ctx: BodyCtx): CTerm {
    const path = t.path.map((p) => this.term(p, ctx, false));
    const head = t.head.type === 'var' ? this.varTerm(t.head.name, t.head.loc, ctx, false) : this.term(t.head, ctx, false);
    if (head.t === 'input') return { t: 'input', path: [...head.path, ...path], needs: union(...path.map(refSegNeeds)), loc: t.loc };
    if (head.t === 'data') {
      return this.dataTerm([...head.path, ...path], t.loc);
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
    if (t.type === 'objectcompr') {
      const k = this.term(t.key, inner, false);
      const v = this.term(t.value, inner, false);
      headTerms.push(k, v);
      for (const h of headTerms) termVars(h, levelSlots);
      const body = t.body.map((e) => this.expr(e, { ...inner, outer: [...ctx.outer, levelSlots], assigned: new Set() }));
      res = { t: 'ocompr', key: k, value: v, body, needs: NO_NEEDS, loc: t.loc };
    } else {
      const x = this.term(t.term, inner, false);
      headTerms.push(x);
      termVars(x, levelSlots);
      const body = t.body.map((e) => this.expr(e, { ...inner, outer: [...ctx.outer, levelSlots], assigned: new Set() }));
      res = t.type === 'arraycompr' ? { t: 'acompr', term: x, body, needs: NO_NEEDS, loc: t.loc } : { t: 'scompr', term: x, body, needs: NO_NEEDS, loc: t.loc };
    }
    // closure vars: slots used inside that also appear at enclosing levels (bound before it runs)
    const used = new Set<number>();
    for (const h of headTerms) for (const n of allNeeds(h)) used.add(n);
    for (const e of res.body) exprSlots(e, used);
    res.needs = [...used].filter((s) => ctx.outer.some((lvl) => lvl.has(s)));
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
      let node: DocNode | undefined = this.tree.root;
      for (const s of full) {
        node = node.children.get(s);
        if (!node) break;
      }
      if (node && node.funcs.length > 0) {
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
        out = { k: 'every', key, value, coll, body, closure, withs, loc };
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
    let node: DocNode | undefined = this.tree.root;
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
      let node: DocNode | undefined = this.tree.root;
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

  /** Resolves a query (an unordered body) in the package `pkg` (none by default). */
  resolveQuery(body: Expr[], pkg: string[] = []): { body: CExpr[]; scope: Scope } {
    const scope = new Scope();
    const declared = new Set<string>();
    collectDeclared(body, declared);
    const names = this.tree.pkgRuleNames.get(pkg.join('.')) ?? new Set<string>();
    const env: ModuleEnv = { pkg, imports: new Map(), ruleNames: pkg.length ? names : new Set() };
    const ctx: BodyCtx = { scope, env, declared, outer: [] };
    const lvl = new Set<number>();
    this.prescan(body, ctx, lvl);
    return { body: this.bodyExprs(body, { ...ctx, outer: [lvl], assigned: new Set() }), scope };
  }
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
