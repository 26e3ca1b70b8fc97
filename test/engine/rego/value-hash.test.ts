/**
 * Sets find compound members by a hash code that reads values only a few levels deep
 * (value.ts hashCode): equal values must have equal codes whatever their representation (an
 * RObject built by evaluation, or a JSON object), key order and nesting, so that set membership
 * is Rego equality; and a set of large resource views must not hash their values in full.
 */
import fc from 'fast-check';
import { RSet, hashCode, makeObject, makeSet, valueEquals, type Value } from '../../../engine/rego/value';

const json = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.string({ maxLength: 80 }),
    fc.array(tie('v'), { maxLength: 20 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('v'), { maxKeys: 20 }),
  ),
})).v;

/** The same JSON value as RObjects (keys in either order) or JSON objects, chosen by `seed`. */
function variant(j: unknown, seed: number): Value {
  if (Array.isArray(j)) return j.map((x, i) => variant(x, seed + i));
  if (j !== null && typeof j === 'object') {
    const entries = Object.entries(j as Record<string, unknown>).map(([k, x], i): [Value, Value] => [k, variant(x, seed * 31 + i)]);
    if (seed % 2 === 0) return makeObject(seed % 3 === 0 ? entries.reverse() : entries);
    const o: Record<string, Value> = {};
    for (const [k, x] of entries) o[k as string] = x;
    return o;
  }
  return j as Value;
}

test('equal values have equal hash codes and are found in sets, in any representation', () => {
  fc.assert(
    fc.property(json, fc.nat(), fc.nat(), (j, a, b) => {
      const x = variant(j, a);
      const y = variant(j, b);
      return valueEquals(x, y) && hashCode(x) === hashCode(y) && makeSet([x]).has(y) && hashCode(makeSet([x, 1])) === hashCode(makeSet([1, y]));
    }),
    { numRuns: 3000, seed: 7 },
  );
});

test('values that differ only deep down collide, and the set still tells them apart', () => {
  const deep = (leaf: string): Value => ({ a: { b: { c: { d: leaf } } } });
  expect(hashCode(deep('x'))).toBe(hashCode(deep('y')));
  const s = new RSet();
  expect(s.add(deep('x'))).toBe(true);
  expect(s.add(deep('y'))).toBe(true);
  expect(s.add(deep('x'))).toBe(false);
  expect(s.size).toBe(2);
  expect(s.has(deep('y'))).toBe(true);
  expect(s.has(deep('z'))).toBe(false);
});
