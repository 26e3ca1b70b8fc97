/**
 * Property-based (fast-check, seeded): every registered builtin, called with random Rego values,
 * returns a value, returns nothing (undefined), or fails with an OPA error code — it never
 * throws anything else (a crash of the process in a real evaluation).
 */
import fc from 'fast-check';
import { builtins, BuiltinError } from '../../../engine/rego/builtins';
import { RegoError } from '../../../engine/rego/errors';
import { makeObject, makeSet, type Value } from '../../../engine/rego/value';

const SEED = 17;
const RUNS = 40;
/** test.sleep blocks by design: it is given only short durations. */
const SLOW = new Set(['test.sleep']);

const scalar: fc.Arbitrary<Value> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -300, max: 300 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  fc.bigInt({ min: -(BigInt(2) ** BigInt(70)), max: BigInt(2) ** BigInt(70) }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', '/', '10.0.0.0/8', '2001:db8::/32', 'a.b.c', '{"a":1}', '2024-02-29T00:00:00Z', '1.2.3', '*', '[a-z]+', '5ms', '10Ki', 'eyJhbGciOiJIUzI1NiJ9.e30.', 'x'),
);
const value: fc.Arbitrary<Value> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('arr'), tie('obj'), tie('set')),
  arr: fc.array(tie('v'), { maxLength: 4 }),
  obj: fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: 0, max: 3 })), tie('v')), { maxLength: 4 }).map((es) => makeObject(es as Array<[Value, Value]>)),
  set: fc.array(tie('v'), { maxLength: 4 }).map((xs) => makeSet(xs as Value[])),
})).v as fc.Arbitrary<Value>;

const OPA_CODES = new Set(['eval_type_error', 'eval_builtin_error', 'eval_conflict_error', 'engine_error']);

describe('random arguments to every builtin (fast-check, seed 17)', () => {
  const names = [...builtins.keys()].sort();
  it('covers the whole table', () => expect(names.length).toBeGreaterThan(190));

  it.each(names.filter((n) => !SLOW.has(n)))('%s returns or fails with an OPA code', (name) => {
    const def = builtins.get(name)!;
    const ctx = { strict: true, nowNs: () => BigInt('1700000000000000000'), queryCache: new Map<string, Value>() };
    fc.assert(
      fc.property(fc.array(value, { minLength: def.arity, maxLength: def.arity }), (args) => {
        try {
          def.fn(args, ctx);
        } catch (e) {
          if (e instanceof BuiltinError || e instanceof RegoError) {
            expect(OPA_CODES).toContain(e.code);
            return;
          }
          throw e;
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('test.sleep with short or invalid durations', () => {
    const def = builtins.get('test.sleep')!;
    const ctx = { strict: true, nowNs: () => BigInt(0), queryCache: new Map<string, Value>() };
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom('1ns', '1us', '1ms', 'x', ''), scalar), (d) => {
        try {
          def.fn([typeof d === 'string' && /h|m$|s$/.test(d) && !/^1(ns|us|ms)$/.test(d) ? 'bad' : d], ctx);
        } catch (e) {
          if (!(e instanceof BuiltinError)) throw e;
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
