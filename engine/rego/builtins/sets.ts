/** Set builtins: union, intersection, and the operators `|` (or) and `&` (and). `-` is in numbers.ts. */
import { RSet, type Value } from '../value';
import { def, elemErr, set, typeErr } from './util';
import type { BuiltinDef } from './types';

function setsOf(v: Value): RSet[] {
  if (!(v instanceof RSet)) return typeErr(1, v, 'set');
  const out: RSet[] = [];
  for (const s of v.values()) {
    if (!(s instanceof RSet)) return elemErr(1, v, s, 'set');
    out.push(s);
  }
  return out;
}

function unionAll(sets: RSet[]): RSet {
  const out = new RSet();
  for (const s of sets) for (const v of s.values()) out.add(v);
  return out;
}

function intersectAll(sets: RSet[]): RSet {
  const out = new RSet();
  if (sets.length === 0) return out;
  const [first, ...rest] = [...sets].sort((a, b) => a.size - b.size);
  for (const v of first.values()) if (rest.every((s) => s.has(v))) out.add(v);
  return out;
}

export const sets: BuiltinDef[] = [
  def('union', 1, ([v]) => unionAll(setsOf(v))),
  def('intersection', 1, ([v]) => intersectAll(setsOf(v))),
  def('or', 2, (args) => unionAll([set(args, 0), set(args, 1)])),
  def('and', 2, (args) => intersectAll([set(args, 0), set(args, 1)])),
];

/** The names OPA 1.x removed (v0-compatible modules only). */
export const setsLegacy: BuiltinDef[] = [
  def('set_diff', 2, (args) => {
    const a = set(args, 0);
    const b = set(args, 1);
    const out = new RSet();
    for (const v of a.values()) if (!b.has(v)) out.add(v);
    return out;
  }),
];
