/** Aggregates: count, sum, product, max, min, sort, all, any (OPA topdown/aggregates.go). */
import { RObject, RSet, add, compareValues, isNumber, mul, valueEquals, type Value } from '../value';
import { def, elemErr, runeLength, typeErr } from './util';
import type { BuiltinDef } from './types';

function members(v: Value, pos: number): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof RSet) return v.sorted();
  return typeErr(pos, v, 'set', 'array');
}

function numbers(v: Value, pos: number): Array<number | bigint> {
  const xs = members(v, pos);
  for (const x of xs) if (!isNumber(x)) elemErr(pos, v, x, 'number');
  return xs as Array<number | bigint>;
}

export const aggregates: BuiltinDef[] = [
  def('count', 1, ([x]) => {
    if (typeof x === 'string') return runeLength(x);
    if (Array.isArray(x)) return x.length;
    if (x instanceof RSet || x instanceof RObject) return x.size;
    return typeErr(1, x, 'array', 'object', 'set', 'string');
  }),
  def('sum', 1, ([x]) => numbers(x, 1).reduce<number | bigint>((a, b) => add(a, b), 0)),
  def('product', 1, ([x]) => numbers(x, 1).reduce<number | bigint>((a, b) => mul(a, b), 1)),
  def('max', 1, ([x]) => {
    const xs = members(x, 1);
    if (xs.length === 0) return undefined;
    return xs.reduce((a, b) => (compareValues(a, b) >= 0 ? a : b));
  }),
  def('min', 1, ([x]) => {
    const xs = members(x, 1);
    if (xs.length === 0) return undefined;
    return xs.reduce((a, b) => (compareValues(a, b) <= 0 ? a : b));
  }),
  def('sort', 1, ([x]) => {
    if (x instanceof RSet) return x.sorted().slice();
    if (Array.isArray(x)) return x.slice().sort(compareValues);
    return typeErr(1, x, 'array', 'set');
  }),
  def('all', 1, ([x]) => members(x, 1).every((e) => e === true)),
  def('any', 1, ([x]) => members(x, 1).some((e) => e === true)),
  // `x in xs` and `k, v in xs` (OPA's internal.member_2 / internal.member_3)
  def('internal.member_2', 2, ([x, c]) => {
    if (Array.isArray(c)) return c.some((e) => valueEquals(e, x));
    if (c instanceof RSet) return c.has(x);
    if (c instanceof RObject) return c.forEach((_k, v) => valueEquals(v, x));
    return false;
  }),
  def('internal.member_3', 3, ([k, x, c]) => {
    if (Array.isArray(c))
      return (
        isNumber(k) &&
        Number.isInteger(Number(k)) &&
        Number(k) >= 0 &&
        Number(k) < c.length &&
        valueEquals(c[Number(k)], x)
      );
    if (c instanceof RObject) {
      const v = c.get(k);
      return v !== undefined && valueEquals(v, x);
    }
    return false;
  }),
];
