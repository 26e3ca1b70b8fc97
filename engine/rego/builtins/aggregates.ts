/**
 * Aggregates (OPA topdown/aggregates.go): count, sum, product, max, min, sort, all, any, and
 * membership, the builtins behind `x in c` (internal.member_2) and `k, x in c` (internal.member_3).
 */
import { RSet, compareValues, isNumber, isObject, objForEach, objGet, objSize, valueEquals, type Value } from '../value';
import { decimalProduct, decimalSum } from './decimal';
import { def, elemErr, runeLength, typeErr } from './util';
import type { BuiltinDef } from './types';

function members(v: Value, pos: number): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof RSet) return v.sorted();
  return typeErr(pos, v, 'set', 'array');
}

/** all/any take an array or set (OPA names them in that order in its error). */
function truths(v: Value): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof RSet) return v.sorted();
  return typeErr(1, v, 'array', 'set');
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
    if (x instanceof RSet) return x.size;
    if (isObject(x)) return objSize(x);
    return typeErr(1, x, 'array', 'object', 'set', 'string');
  }),
  def('sum', 1, ([x]) => decimalSum(numbers(x, 1))),
  def('product', 1, ([x]) => decimalProduct(numbers(x, 1))),
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
    return typeErr(1, x, 'set', 'array');
  }),
  def('all', 1, ([x]) => truths(x).every((e) => e === true)),
  def('any', 1, ([x]) => truths(x).some((e) => e === true)),
  // `x in xs` and `k, v in xs` (OPA's internal.member_2 / internal.member_3)
  def('internal.member_2', 2, ([x, c]) => {
    if (Array.isArray(c)) return c.some((e) => valueEquals(e, x));
    if (c instanceof RSet) return c.has(x);
    if (isObject(c)) return objForEach(c, (_k, v) => valueEquals(v, x));
    return false;
  }),
  def('internal.member_3', 3, ([k, x, c]) => {
    if (c instanceof RSet) return c.has(k) && valueEquals(k, x);
    if (Array.isArray(c)) {
      if (!isNumber(k)) return false;
      const i = Number(k);
      return Number.isInteger(i) && i >= 0 && i < c.length && valueEquals(c[i], x);
    }
    if (isObject(c)) {
      const v = objGet(c, k);
      return v !== undefined && valueEquals(v, x);
    }
    return false;
  }),
];
