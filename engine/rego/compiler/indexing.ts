/**
 * Pass 5, indexing: `some x in coll` followed (later in the ordered body) by `x.a.b == other` or
 * `f(x) == other`, where `other` is known before the iteration, gets a SomeInIndex: the evaluator
 * then iterates only the elements that can match, through an index built once per collection.
 * The equality itself is still evaluated, so results do not change.
 */
import type { CExpr, CRule, CTerm, SomeInIndex } from './ir';
import { exprOutputs, termVars } from './vars';

/** Indexes the bodies of a rule, its else chain and everything nested in them. */
export function indexRule(first: CRule): void {
  for (let cr: CRule | null = first; cr; cr = cr.elseRule) {
    const bound = new Set<number>();
    for (const a of cr.args ?? []) termVars(a, bound);
    indexBody(cr.body, bound);
    for (const h of [...cr.refSegs, ...(cr.key ? [cr.key] : []), cr.value]) indexTerm(h);
  }
}

/** Indexes an ordered body whose vars in `bound` are bound before it runs. */
export function indexBody(body: CExpr[], bound: Set<number>): void {
  const b = new Set(bound);
  for (let i = 0; i < body.length; i++) {
    const e = body[i];
    indexNested(e);
    if (e.k === 'somein' && e.value.t === 'var' && e.withs.length === 0) {
      const idx = findIndexable(e.value.slot, body, i + 1, b);
      if (idx) e.index = idx;
    }
    exprOutputs(e, b);
  }
}

function indexNested(e: CExpr): void {
  switch (e.k) {
    case 'term':
      indexTerm(e.term);
      break;
    case 'unify':
    case 'assign':
      indexTerm(e.left);
      indexTerm(e.right);
      break;
    case 'somein':
      indexTerm(e.coll);
      break;
    case 'every': {
      indexTerm(e.coll);
      const bound = new Set<number>(e.closure);
      if (e.key) termVars(e.key, bound);
      termVars(e.value, bound);
      indexBody(e.body, bound);
      break;
    }
    case 'not':
      indexNested(e.expr);
      break;
    default:
      break;
  }
  for (const w of e.withs) indexTerm(w.value);
}

function indexTerm(t: CTerm): void {
  switch (t.t) {
    case 'acompr':
    case 'scompr':
    case 'ocompr':
      indexBody(t.body, new Set(t.needs));
      (t.t === 'ocompr' ? [t.key, t.value] : [t.term]).forEach(indexTerm);
      return;
    case 'ref':
      indexTerm(t.head);
      t.path.forEach(indexTerm);
      return;
    case 'input':
    case 'data':
      t.path.forEach(indexTerm);
      return;
    case 'array':
    case 'set':
      t.items.forEach(indexTerm);
      return;
    case 'object':
      for (const [k, v] of t.items) {
        indexTerm(k);
        indexTerm(v);
      }
      return;
    case 'call':
      t.args.forEach(indexTerm);
      return;
    default:
      return;
  }
}

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
