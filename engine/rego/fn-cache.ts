/**
 * Results of user-function calls, by function and argument values (compound values by identity,
 * which is sound because values are immutable), in bounded memory: two generations of at most
 * `limit` entries each. Entries go into the young generation; when it is full it becomes the old
 * one and the previous old generation is dropped; a hit in the old generation is copied into the
 * young one. Recently used results stay, and the cache never holds more than two generations,
 * whatever the plan's size (it used to keep every result of the evaluation without bound). The
 * generation size is the evaluator's (eval.ts FN_CACHE_GENERATION): evicting too early costs more
 * than it saves (recomputation, and garbage that raises the peak), so it is set above what
 * realistic plans need.
 */
import type { DocNode } from './compiler/ir';
import type { Value } from './value';

/** One Map level per argument but the last, which maps to the result (no arguments: under RESULT). */
type Level = Map<Value | typeof RESULT, unknown>;
const RESULT: unique symbol = Symbol('result');
/** A cached "undefined" (distinct from the Rego value null). */
export const UNDEF: unique symbol = Symbol('undefined');

export type CachedResult = Value | typeof UNDEF;

export class FnResultCache {
  private young = new Map<DocNode, Level>();
  private old: Map<DocNode, Level> | null = null;
  private count = 0;

  constructor(private readonly limit: number) {}

  /** The cached result (UNDEF: cached undefined), or undefined when not cached. */
  get(node: DocNode, args: readonly Value[], order: readonly number[]): CachedResult | undefined {
    const y = lookup(this.young, node, args, order);
    if (y !== undefined) return y;
    if (this.old === null) return undefined;
    const o = lookup(this.old, node, args, order);
    if (o !== undefined) this.set(node, args, order, o);
    return o;
  }

  set(node: DocNode, args: readonly Value[], order: readonly number[], result: CachedResult): void {
    let m = this.young.get(node);
    if (!m) {
      m = new Map();
      this.young.set(node, m);
    }
    const n = args.length;
    for (let i = 0; i < n - 1; i++) {
      const a = args[order[i]];
      let next = m.get(a) as Level | undefined;
      if (!next) {
        next = new Map();
        m.set(a, next);
      }
      m = next;
    }
    m.set(n === 0 ? RESULT : args[order[n - 1]], result);
    if (++this.count >= this.limit) {
      this.old = this.young;
      this.young = new Map();
      this.count = 0;
    }
  }
}

function lookup(gen: Map<DocNode, Level>, node: DocNode, args: readonly Value[], order: readonly number[]): CachedResult | undefined {
  let m = gen.get(node);
  if (!m) return undefined;
  const n = args.length;
  for (let i = 0; i < n - 1; i++) {
    m = m.get(args[order[i]]) as Level | undefined;
    if (!m) return undefined;
  }
  return m.get(n === 0 ? RESULT : args[order[n - 1]]) as CachedResult | undefined;
}
