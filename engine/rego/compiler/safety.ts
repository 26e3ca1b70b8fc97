/**
 * Pass 3, safety and scheduling (OPA's reordering; regorus' scheduler): each body is ordered so
 * that every expression runs once the variables it needs are bound, by an earlier expression or
 * by itself (a ref enumerates its index vars, `x := …` and unification bind theirs). A variable
 * that nothing can bind is `rego_unsafe_var_error`, as in OPA. Comprehension and `every` bodies
 * are scheduled on their own, with the enclosing variables they use bound.
 */
import { RegoError, type Location } from '../errors';
import type { CExpr, CRule, CTerm } from './ir';
import { NO_NEEDS, exprOutputs, exprSlots, missingOf, objectPairs, termVars } from './vars';

/** Orders the bodies of a rule and its else chain; head vars must be bound by the body. */
export function scheduleRule(first: CRule): void {
  for (let cr: CRule | null = first; cr; cr = cr.elseRule) {
    const names = cr.slotNames;
    const bound = new Set<number>();
    for (const a of cr.args ?? []) termVars(a, bound);
    cr.body = scheduleBody(cr.body, bound, cr.loc, names);
    const head = [...cr.refSegs, ...(cr.key ? [cr.key] : []), cr.value];
    for (const h of head) scheduleTerm(h, names);
    for (const h of head) {
      for (const s of h.needs) if (!bound.has(s)) throw new RegoError('rego_unsafe_var_error', `var ${names[s]} is unsafe`, cr.src.loc);
    }
  }
}

/** Orders a body (its nested bodies first); adds the vars it binds to `bound`. */
export function scheduleBody(body: CExpr[], bound: Set<number>, loc: Location, names: string[]): CExpr[] {
  for (const e of body) scheduleNested(e, names);
  return order(body, bound, loc, names);
}

function scheduleNested(e: CExpr, names: string[]): void {
  switch (e.k) {
    case 'term':
      scheduleTerm(e.term, names);
      break;
    case 'unify':
    case 'assign':
      scheduleTerm(e.left, names);
      scheduleTerm(e.right, names);
      break;
    case 'somein':
      scheduleTerm(e.coll, names);
      break;
    case 'every': {
      scheduleTerm(e.coll, names);
      const bound = new Set<number>(e.closure);
      if (e.key) termVars(e.key, bound);
      termVars(e.value, bound);
      e.body = scheduleBody(e.body, bound, e.loc, names);
      break;
    }
    case 'not':
      scheduleNested(e.expr, names);
      break;
    default:
      break;
  }
  for (const w of e.withs) scheduleTerm(w.value, names);
}

/** Schedules the comprehensions inside a term. */
function scheduleTerm(t: CTerm, names: string[]): void {
  switch (t.t) {
    case 'acompr':
    case 'scompr':
    case 'ocompr': {
      const head = t.t === 'ocompr' ? [t.key, t.value] : [t.term];
      const bound = new Set<number>(t.needs);
      t.body = scheduleBody(t.body, bound, t.loc, names);
      for (const h of head) scheduleTerm(h, names);
      for (const h of head) for (const s of h.needs) if (!bound.has(s)) throw new RegoError('rego_unsafe_var_error', `var ${names[s]} is unsafe`, t.loc);
      return;
    }
    case 'ref':
      scheduleTerm(t.head, names);
      t.path.forEach((p) => scheduleTerm(p, names));
      return;
    case 'input':
    case 'data':
      t.path.forEach((p) => scheduleTerm(p, names));
      return;
    case 'array':
    case 'set':
      t.items.forEach((x) => scheduleTerm(x, names));
      return;
    case 'object':
      for (const [k, v] of t.items) {
        scheduleTerm(k, names);
        scheduleTerm(v, names);
      }
      return;
    case 'call':
      t.args.forEach((a) => scheduleTerm(a, names));
      if (t.out) scheduleTerm(t.out, names);
      return;
    default:
      return;
  }
}

/** Orders a body so that every expression's inputs are bound first; adds outputs to `bound`. */
function order(body: CExpr[], bound: Set<number>, loc: Location, names: string[]): CExpr[] {
  const remaining = body.slice();
  const out: CExpr[] = [];
  const boundBefore: Set<number>[] = [];
  while (remaining.length > 0) {
    let progressed = false;
    for (let i = 0; i < remaining.length; i++) {
      const e = remaining[i];
      if (exprReady(e, bound, names)) {
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
      const missing = exprMissing(e, bound, names);
      const name = missing.length > 0 ? names[missing[0]] : '?';
      throw new RegoError('rego_unsafe_var_error', `var ${name} is unsafe`, e.loc ?? loc);
    }
  }
  return out;
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
      return missingOf(e.coll.needs, bound).length === 0 && missingOf(e.closure, bound).length === 0;
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
      return m.length ? m : missingOf(e.closure, bound);
    }
    case 'not': {
      const m = notMissing(e.expr, bound, names);
      return m.length ? m : exprMissing(e.expr, bound, names);
    }
    default:
      return [];
  }
}
