/**
 * The evaluator: a continuation-passing tree walker over the compiled rules (compile.ts).
 * Each enumeration calls its continuation once per solution; a continuation returns `true` to
 * stop (first solution found), `false` to go on.
 *
 * Speed, without changing results:
 * - rule values are cached per query (and per `with` context): a rule is evaluated once however
 *   often it is referenced; user-function results are cached by argument values (compound
 *   values by identity: values are immutable);
 * - terms with a single value (refs with bound keys, calls, literals) and bodies made only of
 *   such filters and assignments are evaluated directly, without continuations (`fast`);
 * - `some x in coll` followed by `x.path == known` or `f(x) == known` iterates only the matching
 *   elements through an index built once per collection (the equality is still evaluated);
 * - input JSON is converted lazily (see value.ts), so `input.a[k]` is a hash lookup.
 */
import { BuiltinError, type BuiltinContext } from './builtins/types';
import type { CExpr, CRule, CTerm, CWith, DocNode, FnTarget, SomeInIndex, WalkPlan } from './compiler/ir';
import { objectPairs } from './compiler/vars';
import { FnResultCache, UNDEF } from './fn-cache';
import type { CoverageTracker } from './coverage';
import { RegoError, type Location } from './errors';
import { RObject, RSet, ValueError, formatValue, hashKey, isObject, jsonGet, objClone, objForEach, objGet, objGetStr, objSize, valueEquals, type ObjectValue, type Value } from './value';

export type Frame = (Value | undefined)[];
type K = () => boolean;
type VK = (v: Value) => boolean;

type Mock = { kind: 'value'; value: Value } | { kind: 'fn'; fn: FnTarget };

interface Ctx {
  input: Value | undefined;
  data: Value;
  /** rule-tree paths replaced by `with data.… as` (key: path joined by NUL) */
  overrides: Map<string, Value> | null;
  mocks: Map<string, Mock> | null;
  cache: Map<DocNode, Value | typeof UNDEF>;
  /** user-function results by argument identity (values are immutable), in bounded memory */
  fnCache: FnResultCache;
  /** indexes of collections by a function of their elements (depend on mocks, so per context) */
  callIndexes: Map<SomeInIndex, WeakMap<object, { m: Map<string, Value[]>; always: Value[] }>>;
}

/**
 * Entries per generation of the function-result cache (fn-cache.ts). Measured on the generated
 * 100,000-resource plan (about 3 million distinct calls), `check` end to end: 2^17 entries 103 s
 * and 1.53 GB peak, 2^19 96 s and 2.33 GB, 2^21 72 s and 1.70 GB, 2^22 47 s and 1.60 GB, no bound
 * 57 s and 1.57 GB: a cache that evicts what the next rule asks for again costs time and, in
 * garbage, memory too. So the bound is set where realistic plans do not reach it, and only
 * larger ones pay with recomputation instead of memory.
 */
const FN_CACHE_GENERATION = 1 << 22;

export interface EvalOptions {
  input?: Value;
  data: Value;
  strict: boolean;
  print: (msg: string) => void;
  /** Records the rows of the expressions evaluated and the rule heads that produced a value. */
  coverage?: CoverageTracker;
  /** Entries per generation of the function-result cache (default FN_CACHE_GENERATION). */
  functionCacheEntries?: number;
}

const NUL = '\u0000';

/** `fast` could not evaluate the term without enumeration. */
const NOPE: unique symbol = Symbol('nope');
type Fast = Value | undefined | typeof NOPE;

function evalError(code: string, msg: string, loc: Location | undefined): RegoError {
  return new RegoError(code, msg, loc, false);
}

export class Evaluator {
  ctx: Ctx;
  private readonly strict: boolean;
  private readonly bctx: BuiltinContext;
  private readonly print: (msg: string) => void;
  private readonly cover: CoverageTracker | null;
  private now: bigint | null = null;
  private readonly fnCacheEntries: number;

  constructor(
    private readonly root: DocNode,
    opts: EvalOptions,
  ) {
    this.fnCacheEntries = opts.functionCacheEntries ?? FN_CACHE_GENERATION;
    this.ctx = { input: opts.input, data: opts.data, overrides: null, mocks: null, cache: new Map(), fnCache: new FnResultCache(this.fnCacheEntries), callIndexes: new Map() };
    this.strict = opts.strict;
    this.print = opts.print;
    this.cover = opts.coverage ?? null;
    this.bctx = {
      strict: opts.strict,
      queryCache: new Map(),
      nowNs: (): bigint => {
        if (this.now === null) this.now = BigInt(Date.now()) * BigInt(1000000);
        return this.now;
      },
    };
  }

  /** Uses `value` as the value of `node` (computed by another evaluation of the same input). */
  seedRuleValue(node: DocNode, value: Value): void {
    this.ctx.cache.set(node, value);
  }

  // -------------------------------------------------------------------------------------------
  // Bodies and expressions

  evalBody(body: CExpr[], i0: number, f: Frame, k: K): boolean {
    let i = i0;
    // filters and assignments of single values run in a loop, without continuations
    const cover = this.cover;
    while (i < body.length) {
      const e = body[i];
      if (cover) cover.hit(e.loc);
      if (e.withs.length !== 0) break;
      const r = this.fastStep(e, f);
      if (r === NOPE) break;
      if (r === false) return false;
      if (r !== true) {
        // a single value bound: the rest of the body runs with it, then the slot is freed
        const stop = this.evalBody(body, i + 1, f, k);
        f[r] = undefined;
        return stop;
      }
      i++;
    }
    if (i === body.length) return k();
    const e = body[i];
    if (cover) cover.hit(e.loc);
    if (e.k === 'term' && e.term.t === 'call') {
      const wp = e.walkPlan === undefined ? walkPlanOf(e, body, i) : e.walkPlan;
      if (wp !== null && f[wp.valSlot] === undefined && (wp.pathSlot < 0 || f[wp.pathSlot] === undefined) && this.ctx.mocks === null) {
        const root = this.fast(wp.root, f);
        if (root !== NOPE) return root !== undefined && this.walkBody(wp, root, body, i, f, k);
      }
    }
    if (i + 1 === body.length) return this.evalExpr(e, f, k);
    return this.evalExpr(e, f, () => this.evalBody(body, i + 1, f, k));
  }

  /**
   * A body `walk(root, [path, value]), F1, …, Fn, rest` where the filters F do not use `path`
   * (walkPlanOf): each value is bound and the filters run before the path array is built, so
   * it is built only for the values that pass them. Same solutions, in the same order, as
   * binding both first: the filters do not depend on the path.
   */
  private walkBody(wp: WalkPlan, root: Value, body: CExpr[], i: number, f: Frame, k: K): boolean {
    const stack: Value[] = [];
    const from = i + 1;
    const to = wp.filtersEnd;
    const valSlot = wp.valSlot;
    const pathSlot = wp.pathSlot;
    const assigned: number[] = [];
    const onNode = (v: Value): boolean => {
      f[valSlot] = v;
      const pass = this.runFilters(body, from, to, f, assigned);
      let stop = false;
      if (pass !== false) {
        if (pass === NOPE) {
          // a filter this loop cannot run: undo, and go the ordinary way from the first filter
          for (const s of assigned) f[s] = undefined;
          assigned.length = 0;
        }
        if (pathSlot >= 0) f[pathSlot] = stack.slice();
        stop = this.evalBody(body, pass === NOPE ? from : to, f, k);
        if (pathSlot >= 0) f[pathSlot] = undefined;
      }
      for (const s of assigned) f[s] = undefined;
      assigned.length = 0;
      f[valSlot] = undefined;
      return stop;
    };
    return visitTree(root, stack, onNode);
  }

  /** Runs body[from..to) as filters and assignments of single values; true, false, or NOPE. */
  private runFilters(body: CExpr[], from: number, to: number, f: Frame, assigned: number[]): boolean | typeof NOPE {
    const cover = this.cover;
    for (let j = from; j < to; j++) {
      const e = body[j];
      if (cover) cover.hit(e.loc);
      const r = this.fastStep(e, f);
      if (r === NOPE || r === false) return r;
      if (r !== true) assigned.push(r);
    }
    return true;
  }

  /**
   * One filter or assignment of a single value, without continuations: true when it holds, false
   * when it fails, the slot it bound, or NOPE when it needs the general evaluator.
   */
  private fastStep(e: CExpr, f: Frame): boolean | number | typeof NOPE {
    if (e.k === 'term') {
      const g = this.fast(e.term, f);
      if (g === NOPE) return NOPE;
      return g !== undefined && g !== false;
    }
    if (e.k === 'not') {
      const inner = e.expr;
      if (inner.k !== 'term' || inner.withs.length !== 0) return NOPE;
      const g = this.fast(inner.term, f);
      if (g === NOPE) return NOPE;
      return g === undefined || g === false;
    }
    if (e.k !== 'assign' && e.k !== 'unify') return NOPE;
    let slot: number;
    let rhs: CTerm;
    if (e.left.t === 'var' && f[e.left.slot] === undefined) {
      slot = e.left.slot;
      rhs = e.right;
    } else if (e.k === 'unify' && e.right.t === 'var' && f[e.right.slot] === undefined) {
      slot = e.right.slot;
      rhs = e.left;
    } else return NOPE;
    const g = this.fast(rhs, f);
    if (g === NOPE) return NOPE;
    if (g === undefined) return false;
    f[slot] = g;
    return slot;
  }

  evalExpr(e: CExpr, f: Frame, k: K): boolean {
    if (e.withs.length > 0) return this.evalWith(e, f, k);
    return this.evalExprNoWith(e, f, k);
  }

  private evalExprNoWith(e: CExpr, f: Frame, k: K): boolean {
    switch (e.k) {
      case 'term': {
        const t = e.term;
        const g = this.fast(t, f);
        if (g !== NOPE) return g !== undefined && g !== false && k();
        return this.evalTerm(t, f, (v) => v !== false && k());
      }
      case 'unify':
        return this.unifyTerms(e.left, e.right, f, k);
      case 'assign': {
        const g = this.fast(e.right, f);
        if (g !== NOPE) return g !== undefined && this.unifyValue(e.left, g, f, k);
        return this.evalTerm(e.right, f, (v) => this.unifyValue(e.left, v, f, k));
      }
      case 'some':
        return k();
      case 'somein': {
        const key = e.key;
        const val = e.value;
        const ix = e.index;
        if (ix) {
          const c = this.fast(e.coll, f);
          if (c !== NOPE && c !== null && typeof c === 'object' && collSize(c) >= 16) {
            let other: Fast;
            try {
              other = this.fast(ix.other, f);
            } catch {
              other = NOPE; // errors surface (or not) in the ordinary evaluation
            }
            if (other !== NOPE) {
              if (other === undefined) return false;
              const cands = ix.path ? lookupIndex(c, ix.path, other) : this.lookupCallIndex(c, ix, val, f, other);
              for (let n = 0; n < cands.length; n += 2) {
                const ck = cands[n];
                const cv = cands[n + 1];
                const stop = key ? this.unifyValue(key, ck, f, () => this.unifyValue(val, cv, f, k)) : this.unifyValue(val, cv, f, k);
                if (stop) return true;
              }
              return false;
            }
          }
        }
        return this.evalTerm(e.coll, f, (c) =>
          forEachEntry(c, (ck, cv) => (key ? this.unifyValue(key, ck, f, () => this.unifyValue(val, cv, f, k)) : this.unifyValue(val, cv, f, k))),
        );
      }
      case 'every': {
        const key = e.key;
        const val = e.value;
        const body = e.body;
        return this.evalTerm(e.coll, f, (c) => {
          if (!(Array.isArray(c) || c instanceof RSet || isObject(c))) return false;
          const failed = forEachEntry(c, (ck, cv) => {
            const ok = key
              ? this.unifyValue(key, ck, f, () => this.unifyValue(val, cv, f, () => this.evalBody(body, 0, f, () => true)))
              : this.unifyValue(val, cv, f, () => this.evalBody(body, 0, f, () => true));
            return !ok;
          });
          return failed ? false : k();
        });
      }
      case 'not': {
        const found = this.evalExpr(e.expr, f, () => true);
        return found ? false : k();
      }
    }
  }

  private evalWith(e: CExpr, f: Frame, k: K): boolean {
    const saved = this.ctx;
    const next: Ctx = { input: saved.input, data: saved.data, overrides: saved.overrides, mocks: saved.mocks, cache: new Map(), fnCache: new FnResultCache(this.fnCacheEntries), callIndexes: new Map() };
    for (const w of e.withs) {
      let val: Value | undefined;
      if (w.kind === 'fn' && w.valueFn) {
        next.mocks = new Map(next.mocks ?? []);
        next.mocks.set(w.fnKey, { kind: 'fn', fn: w.valueFn });
        continue;
      }
      if (w.valueFn && w.kind !== 'fn') {
        // a function named as a value for input/data: an error in OPA
        throw evalError('rego_compile_error', 'with keyword value must not be a function', w.loc);
      }
      this.evalTerm(w.value, f, (v) => {
        val = v;
        return true;
      });
      if (val === undefined) return false;
      this.applyWith(next, w, val);
    }
    this.ctx = next;
    try {
      return this.evalExprNoWith(e, f, () => {
        this.ctx = saved;
        try {
          return k();
        } finally {
          this.ctx = next;
        }
      });
    } finally {
      this.ctx = saved;
    }
  }

  private applyWith(next: Ctx, w: CWith, val: Value): void {
    if (w.kind === 'fn') {
      next.mocks = new Map(next.mocks ?? []);
      next.mocks.set(w.fnKey, { kind: 'value', value: val });
      return;
    }
    if (w.kind === 'input') {
      next.input = w.path.length === 0 ? val : setPath(next.input, w.path, val);
      return;
    }
    // data: a path in the rule tree is overridden; base data is patched
    let node: DocNode | undefined = this.root;
    let inTree = true;
    for (const p of w.path) {
      const c: DocNode | undefined = node.children.get(p);
      if (!c) {
        inTree = node.hasOwnRules();
        break;
      }
      node = c;
    }
    if (inTree && node !== this.root) {
      next.overrides = new Map(next.overrides ?? []);
      // overriding a path also hides overrides below it
      const key = w.path.join(NUL);
      for (const kk of Array.from(next.overrides.keys())) if (kk.startsWith(key + NUL)) next.overrides.delete(kk);
      next.overrides.set(key, val);
      // a rule node with an override below it: keep the override at the deepest tree node
    } else {
      next.data = setPath(next.data, w.path, val);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Terms

  /** Every value of an array or set comprehension's term, over all solutions of its body. */
  private eachComprValue(term: CTerm, body: CExpr[], f: Frame, add: (v: Value) => void): void {
    this.evalBody(body, 0, f, () =>
      this.evalTerm(term, f, (v) => {
        add(v);
        return false;
      }),
    );
  }

  evalTerm(t: CTerm, f: Frame, k: VK): boolean {
    if (t.t !== 'val' && t.t !== 'var') {
      const g = this.fast(t, f);
      if (g !== NOPE) return g !== undefined && k(g);
    }
    switch (t.t) {
      case 'val':
        return k(t.v);
      case 'baseKey':
        return k(t.n);
      case 'var': {
        const v = f[t.slot];
        if (v === undefined) throw evalError('rego_unsafe_var_error', `var ${t.name} is unsafe`, undefined);
        return k(v);
      }
      case 'input': {
        const inp = this.ctx.input;
        if (inp === undefined) return false;
        return this.walk(inp, t.path, 0, f, k);
      }
      case 'data':
        return this.dataRef(t.path, f, k);
      case 'ref':
        return this.evalTerm(t.head, f, (h) => this.walk(h, t.path, 0, f, k));
      case 'array': {
        const n = t.items.length;
        const out: Value[] = new Array(n);
        return this.evalSeq(t.items, 0, out, f, () => k(out.slice()));
      }
      case 'set': {
        const out: Value[] = new Array(t.items.length);
        return this.evalSeq(t.items, 0, out, f, () => {
          const s = new RSet();
          for (const v of out) s.add(v);
          return k(s);
        });
      }
      case 'object': {
        const items = t.items;
        const out: Value[] = new Array(items.length * 2);
        const flat: CTerm[] = [];
        for (const [a, b] of items) flat.push(a, b);
        return this.evalSeq(flat, 0, out, f, () => {
          const o = new RObject();
          for (let i = 0; i < out.length; i += 2) o.set(out[i] as Value, out[i + 1] as Value);
          return k(o);
        });
      }
      case 'acompr': {
        const out: Value[] = [];
        this.eachComprValue(t.term, t.body, f, (v) => out.push(v));
        return k(out);
      }
      case 'scompr': {
        const out = new RSet();
        this.eachComprValue(t.term, t.body, f, (v) => out.add(v));
        return k(out);
      }
      case 'ocompr': {
        const out = new RObject();
        this.evalBody(t.body, 0, f, () =>
          this.evalTerm(t.key, f, (kv) =>
            this.evalTerm(t.value, f, (vv) => {
              const prev = out.get(kv);
              if (prev !== undefined && !valueEquals(prev, vv)) throw evalError('eval_conflict_error', 'object keys must be unique', undefined);
              out.set(kv, vv);
              return false;
            }),
          ),
        );
        return k(out);
      }
      case 'call':
        return this.evalCall(t, f, k);
    }
  }

  /** Candidates of `some x in c` whose ix.call(x) equals `other` (index cached per context). */
  private lookupCallIndex(c: Value, ix: SomeInIndex, val: CTerm, f: Frame, other: Value): Value[] {
    let byColl = this.ctx.callIndexes.get(ix);
    if (!byColl) {
      byColl = new WeakMap();
      this.ctx.callIndexes.set(ix, byColl);
    }
    let idx = byColl.get(c as object);
    if (!idx) {
      const m = new Map<string, Value[]>();
      const always: Value[] = [];
      const slot = (val as { slot: number }).slot;
      const call = ix.call as CTerm;
      forEachEntry(c, (k, v) => {
        f[slot] = v;
        let x: Fast;
        try {
          x = this.fast(call, f);
        } catch {
          x = NOPE; // leave errors to the ordinary evaluation
        } finally {
          f[slot] = undefined;
        }
        if (x === undefined) return false;
        if (x === NOPE) {
          always.push(k, v);
          return false;
        }
        const h = hashKey(x);
        const list = m.get(h);
        if (list) list.push(k, v);
        else m.set(h, [k, v]);
        return false;
      });
      idx = { m, always };
      byColl.set(c as object, idx);
    }
    const hit = idx.m.get(hashKey(other)) ?? [];
    return idx.always.length === 0 ? hit : hit.concat(idx.always);
  }

  /** Evaluates a term that has at most one value without continuations; NOPE when it cannot. */
  fast(t: CTerm, f: Frame): Fast {
    switch (t.t) {
      case 'val':
        return t.v;
      case 'var': {
        const v = f[t.slot];
        return v === undefined ? NOPE : v;
      }
      case 'input': {
        const v = this.ctx.input;
        if (v === undefined) return undefined;
        return this.fastPath(v, t.path, 0, f);
      }
      case 'ref': {
        const h = this.fast(t.head, f);
        if (h === NOPE || h === undefined) return h;
        return this.fastPath(h, t.path, 0, f);
      }
      case 'data':
        return this.fastData(t, f);
      case 'array': {
        const items = t.items;
        const out: Value[] = new Array(items.length);
        for (let i = 0; i < items.length; i++) {
          const x = this.fast(items[i], f);
          if (x === NOPE || x === undefined) return x;
          out[i] = x;
        }
        return out;
      }
      case 'set': {
        const out = new RSet();
        for (const item of t.items) {
          const x = this.fast(item, f);
          if (x === NOPE || x === undefined) return x;
          out.add(x);
        }
        return out;
      }
      case 'object': {
        const out = new RObject();
        for (const [kt, vt] of t.items) {
          const kv = this.fast(kt, f);
          if (kv === NOPE || kv === undefined) return kv;
          const vv = this.fast(vt, f);
          if (vv === NOPE || vv === undefined) return vv;
          out.set(kv, vv);
        }
        return out;
      }
      case 'call': {
        if (t.out || this.ctx.mocks) return NOPE;
        const fn = t.fn;
        if (fn.kind === 'print') return NOPE;
        if (fn.kind === 'builtin' && fn.def.relation) return NOPE;
        const args = t.args;
        // a builtin gets the call site's own argument array (no allocation per call): builtins
        // keep nothing of it, and a call site cannot be re-entered while its arguments are
        // evaluated (Rego has no recursion); what it holds until the next call is one value
        // per argument per call site
        const vals: Value[] = fn.kind === 'builtin' ? (t.scratch ??= new Array(args.length)) : new Array(args.length);
        for (let i = 0; i < args.length; i++) {
          const a = this.fast(args[i], f);
          if (a === NOPE || a === undefined) return a;
          vals[i] = a;
        }
        return this.callTarget(t, fn, vals);
      }
      default:
        return NOPE;
    }
  }

  private fastPath(v0: Value, path: CTerm[], from: number, f: Frame): Fast {
    let v: Value | undefined = v0;
    for (let i = from; i < path.length; i++) {
      const seg = path[i];
      let key: Fast;
      if (seg.t === 'val') key = seg.v;
      else if (seg.t === 'baseKey') key = isObject(v) ? seg.s : seg.n;
      else if (seg.t === 'var') {
        key = f[seg.slot];
        if (key === undefined) return NOPE;
      } else {
        key = this.fast(seg, f);
        if (key === NOPE || key === undefined) return key;
      }
      v = index(v, key);
      if (v === undefined) return undefined;
    }
    return v;
  }

  private fastData(t: Extract<CTerm, { t: 'data' }>, f: Frame): Fast {
    const path = t.path;
    let node = this.root;
    let i = 0;
    const ov = this.ctx.overrides;
    if (ov === null) {
      // the static prefix of the path through the rule tree, resolved once per term
      let st = t.start;
      if (st === undefined) {
        let n = this.root;
        let j = 0;
        while (j < path.length && !n.hasOwnRules()) {
          const seg = path[j];
          if (seg.t !== 'val' || typeof seg.v !== 'string') break;
          const c = n.children.get(seg.v);
          if (!c) break;
          n = c;
          j++;
        }
        st = { node: n, i: j };
        t.start = st;
      }
      node = st.node;
      i = st.i;
    }
    for (;;) {
      if (ov && node !== this.root) {
        const o = ov.get(node.path.join(NUL));
        if (o !== undefined) return this.fastPath(o, path, i, f);
      }
      if (node.hasOwnRules() || i === path.length) {
        const v = this.nodeValue(node);
        if (v === undefined) return undefined;
        return this.fastPath(v, path, i, f);
      }
      const seg = path[i];
      let key: Value | undefined;
      if (seg.t === 'val') key = seg.v;
      else if (seg.t === 'var') key = f[seg.slot];
      else return NOPE;
      if (key === undefined) return NOPE;
      if (typeof key === 'string') {
        const child = node.children.get(key);
        if (child) {
          node = child;
          i++;
          continue;
        }
        const base = this.baseAt(node.path);
        if (base === undefined) return undefined;
        return this.fastPath(base, baseKeys(path, i), i, f);
      }
      if (key !== null && typeof key !== 'object') {
        const base = this.baseAt(node.path);
        if (base === undefined) return undefined;
        return this.fastPath(base, baseKeys(path, i), i, f);
      }
      const v = this.nodeValue(node);
      if (v === undefined) return undefined;
      return this.fastPath(v, path, i, f);
    }
  }

  private evalSeq(items: CTerm[], i: number, out: Value[], f: Frame, k: K): boolean {
    if (i === items.length) return k();
    return this.evalTerm(items[i], f, (v) => {
      out[i] = v;
      return this.evalSeq(items, i + 1, out, f, k);
    });
  }

  /** Indexes `v` by path[i..], enumerating unbound variables. */
  walk(v: Value, path: CTerm[], i: number, f: Frame, k: VK): boolean {
    if (i === path.length) return k(v);
    const seg = path[i];
    if (seg.t === 'val') {
      const c = index(v, seg.v);
      return c !== undefined && this.walk(c, path, i + 1, f, k);
    }
    if (seg.t === 'baseKey') {
      const c = index(v, isObject(v) ? seg.s : seg.n);
      return c !== undefined && this.walk(c, path, i + 1, f, k);
    }
    if (seg.t === 'var') {
      const cur = f[seg.slot];
      if (cur !== undefined) {
        const c = index(v, cur);
        return c !== undefined && this.walk(c, path, i + 1, f, k);
      }
      const slot = seg.slot;
      if (Array.isArray(v)) {
        for (let j = 0; j < v.length; j++) {
          f[slot] = j;
          const stop = this.walk(v[j], path, i + 1, f, k);
          f[slot] = undefined;
          if (stop) return true;
        }
        return false;
      }
      if (v instanceof RSet) {
        for (const e of v.values()) {
          f[slot] = e;
          const stop = this.walk(e, path, i + 1, f, k);
          f[slot] = undefined;
          if (stop) return true;
        }
        return false;
      }
      if (isObject(v)) {
        return objForEach(v, (key, val) => {
          f[slot] = key;
          const stop = this.walk(val, path, i + 1, f, k);
          f[slot] = undefined;
          return stop;
        });
      }
      return false;
    }
    if (this.isGround(seg, f)) {
      return this.evalTerm(seg, f, (key) => {
        const c = index(v, key);
        return c !== undefined && this.walk(c, path, i + 1, f, k);
      });
    }
    // a pattern (e.g. [x, y]) unified with each key
    return forEachEntry(v, (key, val) => this.unifyValue(seg, key, f, () => this.walk(val, path, i + 1, f, k)));
  }

  private isGround(t: CTerm, f: Frame): boolean {
    const n = t.needs;
    for (let i = 0; i < n.length; i++) if (f[n[i]] === undefined) return false;
    if (t.t === 'array' || t.t === 'object') {
      const s: number[] = [];
      collectVarSlots(t, s);
      for (const x of s) if (f[x] === undefined) return false;
    }
    return true;
  }

  // -------------------------------------------------------------------------------------------
  // data and rules

  private dataRef(path: CTerm[], f: Frame, k: VK): boolean {
    let node = this.root;
    let i = 0;
    const ov = this.ctx.overrides;
    for (;;) {
      if (ov && node !== this.root) {
        const o = ov.get(node.path.join(NUL));
        if (o !== undefined) return this.walk(o, path, i, f, k);
      }
      if (node.hasOwnRules() || i === path.length) {
        const v = this.nodeValue(node);
        if (v === undefined) return false;
        return this.walk(v, path, i, f, k);
      }
      const seg = path[i];
      let key: Value | undefined;
      if (seg.t === 'val') key = seg.v;
      else if (seg.t === 'var') key = f[seg.slot];
      if (typeof key === 'string') {
        const child = node.children.get(key);
        if (child) {
          node = child;
          i++;
          continue;
        }
        const base = this.baseAt(node.path);
        if (base === undefined) return false;
        return this.walk(base, baseKeys(path, i), i, f, k);
      }
      if (key !== undefined) {
        // a ground non-string key matches no rule: only base data (whose keys are strings)
        const base = this.baseAt(node.path);
        if (base === undefined) return false;
        return this.walk(base, baseKeys(path, i), i, f, k);
      }
      const v = this.nodeValue(node);
      if (v === undefined) return false;
      return this.walk(v, path, i, f, k);
    }
  }

  private baseAt(path: string[]): Value | undefined {
    let v: Value | undefined = this.ctx.data;
    for (const p of path) {
      if (!isObject(v)) return undefined;
      v = objGetStr(v, p);
      if (v === undefined) return undefined;
    }
    return v;
  }

  /** The value of a node of the rule tree (rules merged with base data), cached per context. */
  nodeValue(node: DocNode): Value | undefined {
    const ov = this.ctx.overrides;
    if (ov && node !== this.root) {
      const o = ov.get(node.path.join(NUL));
      if (o !== undefined) return o;
    }
    const cache = this.ctx.cache;
    const c = cache.get(node);
    if (c !== undefined) return c === UNDEF ? undefined : c;
    const v = this.computeNode(node);
    this.ctx.cache.set(node, v === undefined ? UNDEF : v);
    return v;
  }

  private computeNode(node: DocNode): Value | undefined {
    if (node.funcs.length > 0) return undefined;
    if (node.complete.length > 0 || node.defaultRule) return this.evalComplete(node);
    if (node.multi.length > 0) {
      const s = new RSet();
      for (const r of node.multi) {
        const f: Frame = new Array(r.nslots);
        const key = r.key as CTerm;
        this.evalBody(r.body, 0, f, () =>
          this.evalTerm(key, f, (v) => {
            if (this.cover) this.cover.hit(r.loc);
            s.add(v);
            return false;
          }),
        );
      }
      return s;
    }
    const base = this.baseAt(node.path);
    let obj: RObject;
    const own = new Set<RObject>();
    if (isObject(base)) obj = objClone(base);
    else if (base !== undefined && node.children.size === 0 && node.general.length === 0) return base;
    else obj = new RObject();
    own.add(obj);
    for (const [name, child] of node.children) {
      const cv = this.nodeValue(child);
      if (cv !== undefined) obj.set(name, cv);
    }
    for (const r of node.general) this.evalGeneral(r, obj, own);
    return obj;
  }

  private evalComplete(node: DocNode): Value | undefined {
    let result: Value | undefined;
    for (const rule of node.complete) {
      for (let r: CRule | null = rule; r; r = r.elseRule) {
        const f: Frame = new Array(r.nslots);
        let found = false;
        const rr = r;
        this.evalBody(r.body, 0, f, () =>
          this.evalTerm(rr.value, f, (v) => {
            found = true;
            if (this.cover) this.cover.hit(rr.loc);
            if (result === undefined) result = v;
            else if (!valueEquals(result, v)) throw evalError('eval_conflict_error', 'complete rules must not produce multiple outputs', rr.loc);
            return rr.constValue;
          }),
        );
        if (found) break;
      }
    }
    if (result === undefined && node.defaultRule) {
      const d = node.defaultRule;
      if (this.cover) this.cover.hit(d.loc);
      const f: Frame = new Array(d.nslots);
      this.evalTerm(d.value, f, (v) => {
        result = v;
        return true;
      });
    }
    return result;
  }

  private evalGeneral(r: CRule, obj: RObject, own: Set<RObject>): void {
    const f: Frame = new Array(r.nslots);
    const segs = r.refSegs;
    const vals: Value[] = new Array(segs.length);
    this.evalBody(r.body, 0, f, () =>
      this.evalSeq(segs, 0, vals, f, () => {
        const leaf = r.key ?? r.value;
        if (this.cover) this.cover.hit(r.loc);
        return this.evalTerm(leaf, f, (v) => {
          let cur = obj;
          for (let j = 0; j < vals.length - 1; j++) {
            const key = vals[j];
            let next = cur.get(key);
            if (next === undefined) {
              const o = new RObject();
              own.add(o);
              cur.set(key, o);
              next = o;
            } else if (!isObject(next)) {
              throw evalError('eval_conflict_error', 'object keys must be unique', r.loc);
            } else if (!(next instanceof RObject) || !own.has(next)) {
              const o = objClone(next);
              own.add(o);
              cur.set(key, o);
              next = o;
            }
            cur = next;
          }
          const last = vals[vals.length - 1];
          if (r.key) {
            const prev = cur.get(last);
            if (prev === undefined) {
              const s = new RSet();
              s.add(v);
              cur.set(last, s);
            } else if (prev instanceof RSet) {
              prev.add(v);
            } else throw evalError('eval_conflict_error', 'object keys must be unique', r.loc);
          } else {
            const prev = cur.get(last);
            if (prev !== undefined && !valueEquals(prev, v)) throw evalError('eval_conflict_error', 'object keys must be unique', r.loc);
            cur.set(last, v);
          }
          return false;
        });
      }),
    );
  }

  /** Calls a user function; undefined when no definition applies. */
  callFunc(node: DocNode, args: Value[], loc: Location): Value | undefined {
    let result: Value | undefined;
    let deflt: CRule | null = null;
    for (const rule of node.funcs) {
      if (rule.src.isDefault) {
        deflt = rule;
        continue;
      }
      for (let r: CRule | null = rule; r; r = r.elseRule) {
        const f: Frame = new Array(r.nslots);
        let found = false;
        const rr = r;
        const params = r.args as CTerm[];
        // (no named closures here: tsx's keepNames would wrap each one in __name on every call;
        // made only when the body needs the general evaluation, most calls do not)
        const onBody = (): K =>
          this.valueCont(rr, f, loc, (v) => {
            found = true;
            if (this.cover) this.cover.hit(rr.loc);
            if (result === undefined) result = v;
            else if (!valueEquals(result, v)) throw evalError('eval_conflict_error', 'functions must not produce multiple outputs for same inputs', loc);
            return rr.constValue;
          });
        let simple = true;
        let match = true;
        for (let i = 0; i < params.length; i++) {
          const p = params[i];
          if (p.t === 'var') {
            const cur = f[p.slot];
            if (cur === undefined) f[p.slot] = args[i];
            else if (!valueEquals(cur, args[i])) match = false;
          } else if (p.t === 'val') {
            if (!valueEquals(p.v, args[i])) match = false;
          } else simple = false;
        }
        if (simple) {
          if (match) {
            // most function bodies are filters and assignments of single values: run them
            // without continuations; fall back to the general evaluation otherwise
            const fb = this.fastBody(rr.body, f);
            let v: Fast = NOPE;
            if (fb === true) v = this.fast(rr.value, f);
            if (fb === false || (fb === true && v !== NOPE)) {
              if (fb === true && v !== undefined && v !== NOPE) {
                found = true;
                if (this.cover) this.cover.hit(rr.loc);
                if (result === undefined) result = v;
                else if (!valueEquals(result, v)) throw evalError('eval_conflict_error', 'functions must not produce multiple outputs for same inputs', loc);
              }
            } else {
              f.fill(undefined);
              for (let i = 0; i < params.length; i++) {
                const p = params[i];
                if (p.t === 'var') f[p.slot] = args[i];
              }
              this.evalBody(rr.body, 0, f, onBody());
            }
          }
        } else {
          f.fill(undefined);
          const k = onBody();
          this.unifyArgs(params, args, 0, f, () => this.evalBody(rr.body, 0, f, k));
        }
        if (found) break;
      }
    }
    if (result === undefined && deflt) {
      if (this.cover) this.cover.hit(deflt.loc);
      const f: Frame = new Array(deflt.nslots);
      this.evalTerm(deflt.value, f, (v) => {
        result = v;
        return true;
      });
    }
    return result;
  }

  /** Runs a body of single-valued expressions in a fresh frame: true/false, or NOPE when it cannot. */
  private fastBody(body: CExpr[], f: Frame): boolean | typeof NOPE {
    const cover = this.cover;
    for (let i = 0; i < body.length; i++) {
      const e = body[i];
      if (cover) cover.hit(e.loc);
      if (e.withs.length !== 0) return NOPE;
      if (e.k === 'some') continue;
      const r = this.fastStep(e, f);
      if (r === NOPE || r === false) return r;
    }
    return true;
  }

  private valueCont(r: CRule, f: Frame, _loc: Location, onValue: VK): K {
    return () => this.evalTerm(r.value, f, onValue);
  }

  private unifyArgs(params: CTerm[], args: Value[], i: number, f: Frame, k: K): boolean {
    if (i === params.length) return k();
    return this.unifyValue(params[i], args[i], f, () => this.unifyArgs(params, args, i + 1, f, k));
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  private evalCall(t: Extract<CTerm, { t: 'call' }>, f: Frame, k: VK): boolean {
    if (t.fn.kind === 'print') return this.doPrint(t, f, k);
    const n = t.args.length;
    const vals: Value[] = new Array(n);
    if (t.argOrder) return this.evalSeqOrdered(t.args, t.argOrder, 0, vals, f, () => this.applyFn(t, t.fn, vals.slice(), f, k));
    return this.evalSeq(t.args, 0, vals, f, () => this.applyFn(t, t.fn, vals.slice(), f, k));
  }

  private evalSeqOrdered(items: CTerm[], order: number[], j: number, out: Value[], f: Frame, k: K): boolean {
    if (j === order.length) return k();
    const i = order[j];
    return this.evalTerm(items[i], f, (v) => {
      out[i] = v;
      return this.evalSeqOrdered(items, order, j + 1, out, f, k);
    });
  }

  private applyFn(t: Extract<CTerm, { t: 'call' }>, fn: FnTarget, vals: Value[], f: Frame, k: VK): boolean {
    const mocks = this.ctx.mocks;
    if (mocks) {
      const m = mocks.get(fn.kind === 'func' ? fn.node.pathText : fn.name);
      if (m) {
        if (m.kind === 'value') return this.out(t, m.value, f, k);
        // the replacement runs without function mocks, so it can call the original
        const saved = this.ctx;
        this.ctx = { ...saved, mocks: null, cache: new Map(), fnCache: new FnResultCache(this.fnCacheEntries), callIndexes: new Map() };
        let r: Value | undefined;
        try {
          r = this.callTarget(t, m.fn, vals);
        } finally {
          this.ctx = saved;
        }
        if (r === undefined) return false;
        if (m.fn.kind === 'builtin' && m.fn.def.relation && Array.isArray(r)) {
          for (const x of r) if (this.out(t, x, f, k)) return true;
          return false;
        }
        return this.out(t, r, f, k);
      }
    }
    if (fn.kind === 'builtin' && fn.name === 'walk' && t.out) return this.walkOut(t.out, vals[0], f, () => k(true));
    const r = this.callTarget(t, fn, vals);
    if (r === undefined) return false;
    if (fn.kind === 'builtin' && fn.def.relation) {
      if (!Array.isArray(r)) return false;
      for (const x of r) if (this.out(t, x, f, k)) return true;
      return false;
    }
    return this.out(t, r, f, k);
  }

  /**
   * `walk(root, out)` without building its relation: each [path, value] pair is unified with
   * `out` as it is visited, in OPA's order (pre-order, object keys and set members sorted); for
   * the usual `[path, value]` pattern the value is matched first and the path array is built
   * only for a value that matches (and never for a `_` path).
   */
  private walkOut(out: CTerm, root: Value, f: Frame, k: K): boolean {
    const stack: Value[] = [];
    let visitNode: (v: Value) => boolean;
    if (out.t === 'array' && out.items.length === 2) {
      const pt = out.items[0];
      const vt = out.items[1];
      const wantPath = !(pt.t === 'var' && pt.name === '_');
      const onValue: K = wantPath ? () => this.unifyValue(pt, stack.slice(), f, k) : k;
      visitNode = (v) => this.unifyValue(vt, v, f, onValue);
    } else {
      visitNode = (v) => this.unifyValue(out, [stack.slice(), v], f, k);
    }
    return visitTree(root, stack, visitNode);
  }

  private callTarget(t: Extract<CTerm, { t: 'call' }>, fn: FnTarget, vals: Value[]): Value | undefined {
    switch (fn.kind) {
      case 'builtin':
        return this.callBuiltin(t, fn, vals);
      case 'func':
        return this.callUser(t, fn.node, vals);
      case 'const':
        return fn.value;
      case 'print':
        // only reachable as a `with` replacement: print's value is true
        return true;
    }
  }

  private callBuiltin(t: Extract<CTerm, { t: 'call' }>, fn: Extract<FnTarget, { kind: 'builtin' }>, vals: Value[]): Value | undefined {
    try {
      return fn.def.fn(vals, this.bctx);
    } catch (e) {
      if (e instanceof BuiltinError) {
        if (this.strict) throw evalError(e.code, e.message, t.loc);
        return undefined;
      }
      if (e instanceof ValueError) {
        if (this.strict) throw evalError('eval_builtin_error', `${fn.name}: ${e.message}`, t.loc);
        return undefined;
      }
      // an error that stops evaluation in every mode (e.g. a builtin this engine cannot run): add where
      if (e instanceof RegoError && e.file === undefined) throw evalError(e.code, e.detail, t.loc);
      throw e;
    }
  }

  /** A user function call, cached per context: nested Maps keyed by the argument values
   * (compound values by identity, which is sound because values are immutable). */
  private callUser(t: Extract<CTerm, { t: 'call' }>, node: DocNode, vals: Value[]): Value | undefined {
    const n = vals.length;
    // scalar arguments (few distinct values) go to the outer levels, so that a call like
    // f(resource, "key") does not create one Map per resource
    let order = node.argOrder;
    if (order === null) {
      order = [];
      for (let i = 0; i < n; i++) if (vals[i] === null || typeof vals[i] !== 'object') order.push(i);
      for (let i = 0; i < n; i++) if (vals[i] !== null && typeof vals[i] === 'object') order.push(i);
      node.argOrder = order;
    }
    const cache = this.ctx.fnCache;
    const c = cache.get(node, vals, order);
    if (c !== undefined) return c === UNDEF ? undefined : c;
    const r = this.callFunc(node, vals, t.loc);
    cache.set(node, vals, order, r === undefined ? UNDEF : r);
    return r;
  }

  private out(t: Extract<CTerm, { t: 'call' }>, r: Value, f: Frame, k: VK): boolean {
    if (t.out) return this.unifyValue(t.out, r, f, () => k(true));
    return k(r);
  }

  private doPrint(t: Extract<CTerm, { t: 'call' }>, f: Frame, k: VK): boolean {
    const parts: string[] = [];
    for (const a of t.args) {
      const vs: string[] = [];
      this.evalTerm(a, f, (v) => {
        vs.push(typeof v === 'string' ? v : formatValue(v));
        return false;
      });
      parts.push(vs.length === 0 ? '<undefined>' : vs.length === 1 ? vs[0] : '{' + vs.join(', ') + '}');
    }
    this.print(parts.join(' '));
    return k(true);
  }

  // -------------------------------------------------------------------------------------------
  // Unification

  unifyTerms(a: CTerm, b: CTerm, f: Frame, k: K): boolean {
    if (a.t === 'array' && b.t === 'array') {
      if (a.items.length !== b.items.length) return false;
      return this.unifyPairs(a.items, b.items, 0, f, k);
    }
    if (a.t === 'object' && b.t === 'object') {
      if (a.items.length !== b.items.length) return false;
      const pairs = objectPairs(a, b);
      if (pairs) return this.unifyPairs(pairs.map((p) => p[0]), pairs.map((p) => p[1]), 0, f, k);
      // keys must be ground: match by key value
      return this.evalTerm(b, f, (bv) => this.unifyValue(a, bv, f, k));
    }
    if (this.isGround(b, f)) return this.evalTerm(b, f, (bv) => this.unifyValue(a, bv, f, k));
    if (this.isGround(a, f)) return this.evalTerm(a, f, (av) => this.unifyValue(b, av, f, k));
    // both have unbound vars: try evaluating the side with outputs (refs) first
    if (a.t === 'var' || a.t === 'array' || a.t === 'object') return this.evalTerm(b, f, (bv) => this.unifyValue(a, bv, f, k));
    return this.evalTerm(a, f, (av) => this.unifyValue(b, av, f, k));
  }

  private unifyPairs(as: CTerm[], bs: CTerm[], i: number, f: Frame, k: K): boolean {
    if (i === as.length) return k();
    // prefer a pair that is ready; simple left-to-right with deferral
    const a = as[i];
    const b = bs[i];
    if (!this.isGround(a, f) && !this.isGround(b, f) && !(a.t === 'array' && b.t === 'array')) {
      // defer this pair to the end if a later pair may bind its vars
      for (let j = i + 1; j < as.length; j++) {
        if (this.isGround(as[j], f) || this.isGround(bs[j], f)) {
          const na = as.slice();
          const nb = bs.slice();
          na.splice(i, 1);
          nb.splice(i, 1);
          na.push(a);
          nb.push(b);
          return this.unifyPairs(na, nb, i, f, k);
        }
      }
    }
    return this.unifyTerms(a, b, f, () => this.unifyPairs(as, bs, i + 1, f, k));
  }

  /** Unifies a term (pattern) with a value. */
  unifyValue(t: CTerm, v: Value, f: Frame, k: K): boolean {
    switch (t.t) {
      case 'var': {
        const cur = f[t.slot];
        if (cur === undefined) {
          f[t.slot] = v;
          const stop = k();
          f[t.slot] = undefined;
          return stop;
        }
        return valueEquals(cur, v) && k();
      }
      case 'val':
        return valueEquals(t.v, v) && k();
      case 'array': {
        if (!Array.isArray(v) || v.length !== t.items.length) return false;
        return this.unifyItems(t.items, v, 0, f, k);
      }
      case 'object': {
        if (!isObject(v) || objSize(v) !== t.items.length) return false;
        return this.unifyObject(t.items, v, 0, f, k);
      }
      default:
        return this.evalTerm(t, f, (tv) => valueEquals(tv, v) && k());
    }
  }

  private unifyItems(items: CTerm[], v: Value[], i: number, f: Frame, k: K): boolean {
    if (i === items.length) return k();
    return this.unifyValue(items[i], v[i], f, () => this.unifyItems(items, v, i + 1, f, k));
  }

  private unifyObject(items: [CTerm, CTerm][], v: ObjectValue, i: number, f: Frame, k: K): boolean {
    if (i === items.length) return k();
    const [kt, vt] = items[i];
    return this.evalTerm(kt, f, (key) => {
      const child = objGet(v, key);
      return child !== undefined && this.unifyValue(vt, child, f, () => this.unifyObject(items, v, i + 1, f, k));
    });
  }
}

// ---------------------------------------------------------------------------------------------

function collectVarSlots(t: CTerm, out: number[]): void {
  if (t.t === 'var') out.push(t.slot);
  else if (t.t === 'array') for (const x of t.items) collectVarSlots(x, out);
  else if (t.t === 'object')
    for (const [a, b] of t.items) {
      collectVarSlots(a, out);
      collectVarSlots(b, out);
    }
  else for (const n of t.needs) out.push(n);
}

function collSize(c: Value): number {
  if (Array.isArray(c)) return c.length;
  if (c instanceof RSet) return c.size;
  if (isObject(c)) return objSize(c);
  return 0;
}

/** Indexes of collections by the value at a path of their elements: flat [key, value, ...] lists. */
const indexes = new WeakMap<object, Map<string, Map<string, Value[]>>>();

function lookupIndex(c: Value, path: string[], other: Value): Value[] {
  const obj = c as object;
  let byPath = indexes.get(obj);
  if (!byPath) {
    byPath = new Map();
    indexes.set(obj, byPath);
  }
  const pk = path.join(NUL);
  let idx = byPath.get(pk);
  if (!idx) {
    const m = new Map<string, Value[]>();
    forEachEntry(c, (k, v) => {
      let x: Value | undefined = v;
      for (const p of path) {
        x = isObject(x) ? objGetStr(x, p) : undefined;
        if (x === undefined) return false;
      }
      const h = hashKey(x);
      const list = m.get(h);
      if (list) list.push(k, v);
      else m.set(h, [k, v]);
      return false;
    });
    idx = m;
    byPath.set(pk, idx);
  }
  return idx.get(hashKey(other)) ?? [];
}

/**
 * The path of a ref into base data, with constant number keys also given as strings: OPA's
 * storage turns ref terms into path strings, so `data.nested[2]` reaches the key "2" of a base
 * document (not of a rule's value or of input). Returns `path` itself when nothing changes.
 */
function baseKeys(path: CTerm[], from: number): CTerm[] {
  let out: CTerm[] | null = null;
  for (let i = from; i < path.length; i++) {
    const seg = path[i];
    if (seg.t === 'val' && (typeof seg.v === 'number' || typeof seg.v === 'bigint')) {
      out ??= path.slice();
      out[i] = { t: 'baseKey', n: seg.v, s: String(seg.v), needs: seg.needs };
    }
  }
  return out ?? path;
}

/** v[key] for arrays (integer index), objects and sets (membership). */
export function index(v: Value, key: Value): Value | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  if (Array.isArray(v)) {
    if (typeof key !== 'number' || !Number.isInteger(key) || key < 0 || key >= v.length) return undefined;
    return v[key];
  }
  if (v instanceof RObject) return v.get(key);
  if (v instanceof RSet) return v.has(key) ? key : undefined;
  return typeof key === 'string' ? jsonGet(v, key) : undefined;
}

/** Calls fn(key, value) for each entry of a collection; returns true when fn stopped it. */
export function forEachEntry(c: Value, fn: (k: Value, v: Value) => boolean): boolean {
  if (Array.isArray(c)) {
    for (let i = 0; i < c.length; i++) if (fn(i, c[i])) return true;
    return false;
  }
  if (c instanceof RSet) {
    for (const e of c.values()) if (fn(e, e)) return true;
    return false;
  }
  if (isObject(c)) return objForEach(c, fn);
  return false;
}

/** A copy of `base` with `val` at `path` (objects along the path are copied). */
function setPath(base: Value | undefined, path: string[], val: Value): Value {
  if (path.length === 0) return val;
  const obj = isObject(base) ? objClone(base) : new RObject();
  const [head, ...rest] = path;
  obj.set(head, setPath(obj.getStr(head), rest, val));
  return obj;
}

/**
 * Visits `root` and everything below it in OPA's walk order (pre-order; object keys and set
 * members sorted), with `stack` holding the path of the node visited; stops when `visit`
 * returns true.
 */
function visitTree(root: Value, stack: Value[], visit: (v: Value) => boolean): boolean {
  const go = (v: Value): boolean => {
    if (visit(v)) return true;
    if (typeof v !== 'object' || v === null) return false;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        stack.push(i);
        const stop = go(v[i]);
        stack.pop();
        if (stop) return true;
      }
      return false;
    }
    if (v instanceof RSet) {
      for (const x of v.sorted()) {
        stack.push(x);
        const stop = go(x);
        stack.pop();
        if (stop) return true;
      }
      return false;
    }
    if (v instanceof RObject) {
      for (const key of v.sortedKeys()) {
        stack.push(key);
        const stop = go(v.get(key) as Value);
        stack.pop();
        if (stop) return true;
      }
      return false;
    }
    const keys = Object.keys(v);
    // Terraform writes keys sorted: check before sorting
    for (let i = 1; i < keys.length; i++) {
      if (keys[i - 1] > keys[i]) {
        keys.sort();
        break;
      }
    }
    for (const key of keys) {
      const x = jsonGet(v, key);
      if (x === undefined) continue;
      stack.push(key);
      const stop = go(x);
      stack.pop();
      if (stop) return true;
    }
    return false;
  };
  return go(root);
}

/** The WalkPlan of body[i] (cached on the expression), or null when it is not that shape. */
function walkPlanOf(e: CExpr, body: CExpr[], i: number): WalkPlan | null {
  let plan: WalkPlan | null = null;
  const t = e.k === 'term' ? e.term : null;
  if (t && t.t === 'call' && t.fn.kind === 'builtin' && t.fn.name === 'walk' && e.withs.length === 0 && t.args.length === 1 && t.out && t.out.t === 'array' && t.out.items.length === 2) {
    const [pt, vt] = t.out.items;
    if (pt.t === 'var' && vt.t === 'var' && pt.slot !== vt.slot) {
      const pathSlot = pt.name === '_' ? -1 : pt.slot;
      let end = i + 1;
      while (end < body.length) {
        const x = body[end];
        const simple = x.withs.length === 0 && (x.k === 'term' || x.k === 'assign' || x.k === 'unify' || (x.k === 'not' && x.expr.k === 'term'));
        if (!simple || (pathSlot >= 0 && exprUsesSlot(x, pathSlot))) break;
        end++;
      }
      // worth it only when some filter runs before the path is needed
      if (end > i + 1 || pathSlot < 0) plan = { root: t.args[0], valSlot: vt.slot, pathSlot, filtersEnd: end };
    }
  }
  e.walkPlan = plan;
  return plan;
}

/** Whether an expression mentions slot `s` anywhere (nested bodies included). */
function exprUsesSlot(e: CExpr, s: number): boolean {
  const term = (t: CTerm): boolean => {
    switch (t.t) {
      case 'var':
        return t.slot === s;
      case 'val':
      case 'baseKey':
        return false;
      case 'input':
      case 'data':
        return t.path.some(term);
      case 'ref':
        return term(t.head) || t.path.some(term);
      case 'array':
      case 'set':
        return t.items.some(term);
      case 'object':
        return t.items.some(([a, b]) => term(a) || term(b));
      case 'acompr':
      case 'scompr':
        return term(t.term) || t.body.some((x) => exprUsesSlot(x, s));
      case 'ocompr':
        return term(t.key) || term(t.value) || t.body.some((x) => exprUsesSlot(x, s));
      case 'call':
        return t.args.some(term) || (t.out !== null && term(t.out));
    }
  };
  const own = ((): boolean => {
    switch (e.k) {
      case 'term':
        return term(e.term);
      case 'unify':
      case 'assign':
        return term(e.left) || term(e.right);
      case 'somein':
        return (e.key !== null && term(e.key)) || term(e.value) || term(e.coll);
      case 'every':
        return (e.key !== null && term(e.key)) || term(e.value) || term(e.coll) || e.body.some((x) => exprUsesSlot(x, s));
      case 'not':
        return exprUsesSlot(e.expr, s);
      case 'some':
        return false;
    }
  })();
  return own || e.withs.some((w) => term(w.value));
}
