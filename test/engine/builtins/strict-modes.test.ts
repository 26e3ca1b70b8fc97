/**
 * Builtin errors through the interpreter: in strict mode they stop evaluation with OPA's
 * "<file>:<row>: <code>: <builtin>: <message>"; otherwise the call is undefined.
 */
import { compile } from '../../../engine/rego/index';

function run(body: string, strict: boolean): unknown {
  const policy = compile([
    { file: 'b.rego', source: `package b\n\nimport rego.v1\n\np := x if {\n\t${body}\n}\n` },
  ]);
  return policy.query('data.b.p = x', { strictBuiltinErrors: strict, input: { n: 1, s: 'x', o: 'object' } });
}

function strictError(body: string): { code: unknown; message: string } {
  try {
    run(body, true);
  } catch (e) {
    return { code: (e as { code?: unknown }).code, message: (e as Error).message };
  }
  throw new Error(`expected ${body} to fail in strict mode`);
}

const cases: Array<[string, string, string]> = [
  [
    'x := count(input.n)',
    'eval_type_error',
    'b.rego:6: eval_type_error: count: operand 1 must be one of {array, object, set, string} but got number',
  ],
  [
    'x := object.get(input.o, ["a"], 2)',
    'eval_type_error',
    'object.get: operand 1 must be object but got string',
  ],
  [
    'x := strings.any_prefix_match(input.n, "a")',
    'eval_type_error',
    'strings.any_prefix_match: operand 1 must be one of {string, set, array} but got number',
  ],
  ['x := units.parse_bytes(input.s)', 'eval_builtin_error', 'units.parse_bytes: no byte amount provided'],
  [
    'x := regex.match(concat("", ["(", input.s]), "a")',
    'eval_builtin_error',
    'regex.match: error parsing regexp',
  ],
  ['x := to_number(input.s)', 'eval_builtin_error', 'invalid syntax'],
  ['x := time.add_date(0, 2262 + input.n, 1, 1)', 'eval_builtin_error', 'time outside of valid range'],
];

describe('builtin errors in strict and non-strict mode', () => {
  it.each(cases)('%s', (body, code, message) => {
    expect(run(body, false)).toEqual([]);
    const e = strictError(body);
    expect(e.code).toBe(code);
    expect(e.message).toContain(message);
  });

  it('results flow back as JSON (sets as arrays, big integers kept)', () => {
    expect(run('x := {"a": units.parse("10Ki"), "b": object.keys({"z": 1, "y": 2})}', true)).toEqual([
      { x: { a: 10240, b: ['y', 'z'] } },
    ]);
  });

  it('walk is a relation the evaluator iterates', () => {
    const policy = compile([
      {
        file: 'w.rego',
        source: 'package w\n\nimport rego.v1\n\npaths contains p if {\n\twalk({"a": [1]}, [p, _])\n}\n',
      },
    ]);
    expect(policy.evaluate('w/paths')).toEqual([[], ['a'], ['a', 0]]);
  });
});
