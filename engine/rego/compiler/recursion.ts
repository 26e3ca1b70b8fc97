/**
 * Pass 4, recursion: a rule may not depend on itself, directly or through other rules or
 * functions (OPA's rego_recursion_error). A rule depends on every rule a data ref in it can reach:
 * `data.a.b` on the rules at and below a.b, `data.a[x]` on every rule below a, `data[2]` on none
 * (no rule has a non-string key).
 */
import { RegoError } from '../errors';
import type { CExpr, CRule, CTerm, DocNode } from './ir';

/** Throws rego_recursion_error naming the cycle. */
export function checkRecursion(root: DocNode, rules: CRule[]): void {
  const deps = new Map<DocNode, Set<DocNode>>();
  for (const first of rules) {
    let set = deps.get(first.node);
    if (!set) deps.set(first.node, (set = new Set()));
    const add = (n: DocNode): void => void (set as Set<DocNode>).add(n);
    for (let cr: CRule | null = first; cr; cr = cr.elseRule) {
      for (const t of [...(cr.args ?? []), ...cr.refSegs, ...(cr.key ? [cr.key] : []), cr.value]) termDeps(root, t, add);
      for (const e of cr.body) exprDeps(root, e, add);
    }
  }
  // a dependency on an inner node is one on every rule node below it
  const ruleDeps = new Map<DocNode, DocNode[]>();
  const below = (n: DocNode, acc: DocNode[]): void => {
    if (n.hasOwnRules()) acc.push(n);
    for (const c of n.children.values()) below(c, acc);
  };
  for (const [n, ds] of deps) {
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

/** The node a data ref reaches through constant keys (stopping at rules), or null for none. */
function dataNode(root: DocNode, path: CTerm[]): DocNode | null {
  let node = root;
  for (const p of path) {
    if (node.hasOwnRules()) break;
    if (p.t === 'val' && typeof p.v !== 'string') return null;
    if (p.t !== 'val' || typeof p.v !== 'string') break;
    const c = node.children.get(p.v);
    if (!c) return null;
    node = c;
  }
  return node;
}

function termDeps(root: DocNode, t: CTerm, add: (n: DocNode) => void): void {
  switch (t.t) {
    case 'data': {
      const n = dataNode(root, t.path);
      if (n) add(n);
      t.path.forEach((p) => termDeps(root, p, add));
      return;
    }
    case 'input':
      t.path.forEach((p) => termDeps(root, p, add));
      return;
    case 'ref':
      termDeps(root, t.head, add);
      t.path.forEach((p) => termDeps(root, p, add));
      return;
    case 'array':
    case 'set':
      t.items.forEach((x) => termDeps(root, x, add));
      return;
    case 'object':
      for (const [k, v] of t.items) {
        termDeps(root, k, add);
        termDeps(root, v, add);
      }
      return;
    case 'acompr':
    case 'scompr':
      termDeps(root, t.term, add);
      t.body.forEach((e) => exprDeps(root, e, add));
      return;
    case 'ocompr':
      termDeps(root, t.key, add);
      termDeps(root, t.value, add);
      t.body.forEach((e) => exprDeps(root, e, add));
      return;
    case 'call':
      if (t.fn.kind === 'func') add(t.fn.node);
      t.args.forEach((a) => termDeps(root, a, add));
      if (t.out) termDeps(root, t.out, add);
      return;
    default:
      return;
  }
}

function exprDeps(root: DocNode, e: CExpr, add: (n: DocNode) => void): void {
  switch (e.k) {
    case 'term':
      termDeps(root, e.term, add);
      break;
    case 'unify':
    case 'assign':
      termDeps(root, e.left, add);
      termDeps(root, e.right, add);
      break;
    case 'somein':
      if (e.key) termDeps(root, e.key, add);
      termDeps(root, e.value, add);
      termDeps(root, e.coll, add);
      break;
    case 'every':
      termDeps(root, e.coll, add);
      e.body.forEach((x) => exprDeps(root, x, add));
      break;
    case 'not':
      exprDeps(root, e.expr, add);
      break;
    default:
      break;
  }
  for (const w of e.withs) termDeps(root, w.value, add);
}
