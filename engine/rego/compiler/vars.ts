/** Variables of compiled and parsed terms and expressions, shared by the compiler passes. */
import type { Expr, Term } from '../ast';
import { valueEquals } from '../value';
import type { CExpr, CTerm } from './ir';

export const NO_NEEDS: number[] = [];

export function union(...lists: number[][]): number[] {
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
export function termVars(t: CTerm, out: Set<number>): void {
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

/** Vars enumerated by the ref paths inside a term (not inside comprehensions). */
export function refOutputs(t: CTerm, out: Set<number>): void {
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

export function refSegNeeds(t: CTerm): number[] {
  // a var in a ref path is an output (iteration), so it is not needed
  if (t.t === 'var') return NO_NEEDS;
  if (t.t === 'array' || t.t === 'object') return NO_NEEDS; // patterns unified against keys
  return t.needs;
}

export function allNeeds(t: CTerm): number[] {
  const s = new Set<number>();
  termVars(t, s);
  return Array.from(s);
}

/** Every slot an expression mentions: its own terms' (as {@link exprOutputs}), then those of
 * `every` and `not` bodies, then the `with` values. */
export function exprSlots(e: CExpr, out: Set<number>): void {
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

export function missingOf(needs: number[], bound: Set<number>): number[] {
  return needs.filter((n) => !bound.has(n));
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

/** The slots of an expression's own terms (term, unify/assign sides, some-in key, value and collection). */
export function exprOutputs(e: CExpr, bound: Set<number>): void {
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
export function exprVarNames(e: Expr, out: Set<string>): void {
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

export function collectVarNames(t: Term, out: Set<string>): void {
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

export function collectDeclared(body: Expr[], out: Set<string>): void {
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
