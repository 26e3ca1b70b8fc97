/**
 * Property-based (fast-check, seeded): the interpreter agrees with itself across rewrites that
 * Rego defines as equivalent, on random inputs. A disagreement is a bug in one of the paths
 * (fast evaluation, indexing, comprehension capture, function caching…).
 */
import fc from 'fast-check';
import type { JsonValue } from '../../../engine/engine';
import { compile } from '../../../engine/rego';

const SEED = 17;
const RUNS = 150;

const scalar = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom('a', 'b', 'c', ''), fc.boolean(), fc.constant(null));
const item = fc.oneof(scalar, fc.record({ k: fc.constantFrom('a', 'b', 'c'), v: fc.integer({ min: -3, max: 3 }) }));
const input = fc.record({
  xs: fc.array(item, { maxLength: 24 }),
  t: fc.integer({ min: -5, max: 5 }),
  m: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), scalar, { maxKeys: 4 }),
});

const POLICY = `package r

# a rule and its body inlined into a comprehension
above contains x if {
	some x in input.xs
	is_number(x)
	x > input.t
}
above_inline := {x | some x in input.xs; is_number(x); x > input.t}

# some x in arr and x := arr[_]
via_in := [x | some x in input.xs]
via_ref := [x | x := input.xs[_]]

# some i, x in arr and x := arr[i]
pairs_in := {[i, x] | some i, x in input.xs}
pairs_ref := {[i, x] | x := input.xs[i]}

# a function call and its body inlined
f(x) := x * 2 + 1 if is_number(x)
via_fn := [f(x) | some x in input.xs; is_number(x)]
via_inline := [x * 2 + 1 | some x in input.xs; is_number(x)]

# every and the negated comprehension
small(x) if not is_number(x)
small(x) if x < 3
all_every if {
	every x in input.xs {
		small(x)
	}
}
all_count if count([x | some x in input.xs; not small(x)]) == 0

# membership and iteration
member_in contains x if {
	some x in ["a", "b", 1, 2]
	x in input.xs
}
member_ref contains x if {
	some x in ["a", "b", 1, 2]
	input.xs[_] == x
}

# an index on x.k (the evaluator narrows the iteration) and a plain filter
by_key_indexed := [x | some x in input.xs; x.k == "a"]
by_key_plain := [x | some x in input.xs; is_object(x); object.get(x, "k", null) == "a"]

# object iteration: some k, v in obj and obj[k]
obj_in := {k: v | some k, v in input.m}
obj_ref := {k: v | v := input.m[k]}

# count/sum over a set and over its elements
n_set := count({x | some x in input.xs})
n_fold := sum([1 | some x in {y | some y in input.xs}])
`;

const policy = compile([{ file: 'r.rego', source: POLICY }]);

function both(a: string, b: string): void {
  fc.assert(
    fc.property(input, (inp) => {
      const v = policy.evaluate(`r/${a}`, { input: inp as unknown as JsonValue });
      const w = policy.evaluate(`r/${b}`, { input: inp as unknown as JsonValue });
      expect(v).toEqual(w);
    }),
    { seed: SEED, numRuns: RUNS },
  );
}

describe('equivalent rewrites evaluate alike (fast-check, seed 17)', () => {
  it('a rule and its body inlined', () => both('above', 'above_inline'));
  it('some x in arr and x := arr[_]', () => both('via_in', 'via_ref'));
  it('some i, x in arr and x := arr[i]', () => both('pairs_in', 'pairs_ref'));
  it('a function and its body inlined', () => both('via_fn', 'via_inline'));
  it('every and the negated comprehension', () =>
    fc.assert(
      fc.property(input, (inp) => {
        const e = policy.evaluate('r/all_every', { input: inp as unknown as JsonValue });
        const c = policy.evaluate('r/all_count', { input: inp as unknown as JsonValue });
        expect(e === true).toBe(c === true);
      }),
      { seed: SEED, numRuns: RUNS },
    ));
  it('x in coll and coll[_] == x', () => both('member_in', 'member_ref'));
  it('an indexed iteration and a plain filter', () => both('by_key_indexed', 'by_key_plain'));
  it('some k, v in obj and obj[k]', () => both('obj_in', 'obj_ref'));
  it('count of a set and a sum of ones', () => both('n_set', 'n_fold'));

  it('a query and the rule it names', () =>
    fc.assert(
      fc.property(input, (inp) => {
        const rows = policy.query('x := {y | some y in input.xs; is_number(y); y > input.t}', { input: inp as unknown as JsonValue });
        expect(rows).toEqual([{ x: policy.evaluate('r/above', { input: inp as unknown as JsonValue }) }]);
      }),
      { seed: SEED, numRuns: RUNS },
    ));
});
