import type { JsonValue } from '../../../engine/engine';
import { compile, RegoError } from '../../../engine/rego/index';

function evalRule(src: string, path: string, opts: { input?: JsonValue; data?: JsonValue; strictBuiltinErrors?: boolean } = {}): JsonValue | undefined {
  return compile([{ file: 'test.rego', source: src }]).evaluate(path, opts);
}

function compileError(src: string): RegoError {
  try {
    compile([{ file: 'test.rego', source: src }]);
  } catch (e) {
    if (e instanceof RegoError) return e;
    throw e;
  }
  throw new Error('expected a compile error');
}

function evalError(src: string, path: string, opts: { input?: JsonValue; strictBuiltinErrors?: boolean } = {}): RegoError {
  try {
    evalRule(src, path, opts);
  } catch (e) {
    if (e instanceof RegoError) return e;
    throw e;
  }
  throw new Error('expected an evaluation error');
}

describe('rules and documents', () => {
  const src = `package t
default allow := false
allow if input.role == "admin"
deny contains msg if { some u in input.users; not u.ok; msg := sprintf("%s is not ok", [u.name]) }
by_name[u.name] := u.age if { some u in input.users }
f(x) := x * 2
g(x) := y if { y := f(x) + 1 }
xs := [x | some x in [3, 1, 2]; x > 1]
s := {x | some x in [3, 1, 3]}
o := {k: v | some k, v in {"a": 1, "b": 2}; v > 1}
all_pos if { every x in input.nums { x > 0 } }
`;
  const input = { role: 'admin', users: [{ name: 'a', age: 1, ok: true }, { name: 'b', age: 2, ok: false }], nums: [1, 2] };

  it('evaluates a package to an object of its rules', () => {
    expect(evalRule(src, 'data.t', { input })).toEqual({
      allow: true,
      all_pos: true,
      by_name: { a: 1, b: 2 },
      deny: ['b is not ok'],
      o: { b: 2 },
      s: [1, 3],
      xs: [3, 2],
    });
  });

  it('accepts slash paths and gives undefined for undefined rules', () => {
    expect(evalRule(src, 't/allow', { input: { role: 'x' } })).toBe(false);
    expect(evalRule(src, 't/all_pos', { input: { nums: [1, -1] } })).toBeUndefined();
    expect(evalRule(src, 't/nope')).toBeUndefined();
  });

  it('distinguishes undefined from false', () => {
    const p = 'package t\np := false\nq if false\nr if not q\ns if not p';
    expect(evalRule(p, 't/p')).toBe(false);
    expect(evalRule(p, 't/q')).toBeUndefined();
    expect(evalRule(p, 't/r')).toBe(true);
    expect(evalRule(p, 't/s')).toBe(true); // not false is true, as in OPA
  });

  it('calls functions with several definitions and else', () => {
    const p = `package t
f(x) := "neg" if x < 0
f(x) := "zero" if x == 0
g(x) := 1 if { x == "a" } else := 2 if { x == "b" } else := 3
r := [f(-1), f(0), g("a"), g("b"), g("c")]
u := f(1)`;
    expect(evalRule(p, 't/r')).toEqual(['neg', 'zero', 1, 2, 3]);
    expect(evalRule(p, 't/u')).toBeUndefined();
  });

  it('supports ref heads (single- and multi-value)', () => {
    const p = `package t
a.b.c := 1
a.b[x] := 2 if { some x in ["d"] }
s.t[x] contains y if { some x in ["k"]; some y in [2, 1] }`;
    expect(evalRule(p, 't')).toEqual({ a: { b: { c: 1, d: 2 } }, s: { t: { k: [1, 2] } } });
    expect(evalRule(p, 'data.t.a.b.d')).toBe(2);
  });

  it('unifies arrays and objects with variables', () => {
    const p = `package t
p := [a, b] if { [a, 2] = [1, b] }
q := v if { {"k": v} = input }`;
    expect(evalRule(p, 't/p')).toEqual([1, 2]);
    expect(evalRule(p, 't/q', { input: { k: 'x' } })).toBe('x');
  });

  it('keeps integers beyond 2^53 exact in arithmetic and comparison', () => {
    const p = `package t
big := 9007199254740993
p if big + 1 == 9007199254740994
q if big != 9007199254740992
r := 3 == 3.0
t := 7 / 2`;
    expect(evalRule(p, 't/p')).toBe(true);
    expect(evalRule(p, 't/q')).toBe(true);
    expect(evalRule(p, 't/r')).toBe(true);
    expect(evalRule(p, 't/t')).toBe(3.5);
  });

  it('handles sets and objects with non-string keys', () => {
    const p = 'package t\no := {1: "a", [1]: 2}\ns := {[1], 1, "a", null}\nm := o[[1]]';
    expect(evalRule(p, 't/o')).toEqual({ '1': 'a', '[1]': 2 });
    expect(evalRule(p, 't/s')).toEqual([null, 1, 'a', [1]]);
    expect(evalRule(p, 't/m')).toBe(2);
  });

  it('reads raw strings and base data', () => {
    const p = 'package t\nr := `a\\b`\nd := data.cfg.x';
    expect(evalRule(p, 't/r')).toBe('a\\b');
    expect(evalRule(p, 't/d', { data: { cfg: { x: 5 } } })).toBe(5);
  });
});

describe('with', () => {
  const src = `package t
f(x) := x + 1
g(_) := 42
p := input.a
q := data.cfg.v
r := f(1)
c := count([1, 2])
test_input if p == 5 with input as {"a": 5}
test_data if q == 7 with data.cfg.v as 7
test_fn_value if r == 10 with f as 10
test_fn_fn if r == 42 with f as g
test_builtin if c == 9 with count as 9
test_rule if { r == 3 with r as 3 }`;

  it('mocks input, data, functions and builtins as opa test does', () => {
    const pol = compile([{ file: 'x.rego', source: src }]);
    for (const t of ['test_input', 'test_data', 'test_fn_value', 'test_fn_fn', 'test_builtin', 'test_rule']) {
      expect([t, pol.evaluate(`t/${t}`)]).toEqual([t, true]);
    }
    // mocks do not leak out of the expression
    expect(pol.evaluate('t/r')).toBe(2);
  });
});

describe('errors', () => {
  it('rejects unsafe variables naming the variable', () => {
    const e = compileError('package t\np if { x }');
    expect(e.code).toBe('rego_unsafe_var_error');
    expect(e.message).toBe('test.rego:2:8: rego_unsafe_var_error: var x is unsafe');
    expect(compileError('package t\np contains y if { true }').message).toContain('var y is unsafe');
  });

  it('requires named vars in negated expressions to be bound (wildcards may not be)', () => {
    expect(compileError('package t\np if { not input.q[x] }').message).toBe('test.rego:2:8: rego_unsafe_var_error: var x is unsafe');
    expect(evalRule('package t\np if { not input.q[_] }', 't/p', { input: { q: [] } })).toBe(true);
    expect(evalRule('package t\np if { some x in [1]; not input.q[x] }', 't/p', { input: { q: [] } })).toBe(true);
  });

  it('rejects recursion before evaluation', () => {
    const e = compileError('package t\np if q\nq if p');
    expect(e.code).toBe('rego_recursion_error');
    expect(e.message).toContain('data.t.p -> data.t.q -> data.t.p');
  });

  it('rejects unknown functions and wrong arity as type errors', () => {
    expect(compileError('package t\np if foo(1)').message).toBe('test.rego:2:6: rego_type_error: undefined function foo');
    const e = compileError('package t\np if count(1, 2, 3)');
    expect(e.code).toBe('rego_type_error');
    expect(e.message).toContain('count: arity mismatch');
  });

  it('rejects := of a variable used above', () => {
    expect(compileError('package t\np if { count(x) > 0; x := [1] }').message).toBe('test.rego:2:22: rego_compile_error: var x referenced above');
  });

  it('rejects a second := of a variable', () => {
    expect(compileError('package t\np if { x := 1; x := 2 }').message).toBe('test.rego:2:16: rego_compile_error: var x assigned above');
  });

  it('raises conflicts in complete rules, functions and object keys', () => {
    expect(evalError('package t\np := 1\np := 2', 't/p').message).toBe('test.rego:3: eval_conflict_error: complete rules must not produce multiple outputs');
    expect(evalError('package t\np := x if { some x in [1, 2] }', 't/p').code).toBe('eval_conflict_error');
    expect(evalError('package t\nf(_) := 1\nf(_) := 2\np := f(0)', 't/p').message).toContain('functions must not produce multiple outputs for same inputs');
    expect(evalError('package t\no[k] := v if { some v in [1, 2]; k := "a" }', 't/o').message).toContain('object keys must be unique');
  });

  it('makes builtin errors undefined, or errors in strict mode', () => {
    const src = 'package t\np := to_number("x")';
    expect(evalRule(src, 't/p')).toBeUndefined();
    const e = evalError(src, 't/p', { strictBuiltinErrors: true });
    expect(e.code).toBe('eval_builtin_error');
    expect(e.message.startsWith('test.rego:2: eval_builtin_error: to_number:')).toBe(true);
  });

  it('fails clearly on builtins that are not implemented', () => {
    const e = evalError('package t\np := http.send({"url": "x"})', 't/p');
    expect(e.message).toContain('not supported: builtin http.send');
    expect(e.code).toBe('engine_error');
    // also in non-strict mode: never a silent undefined
    expect(evalError('package t\np := http.send({})\nq := 1 if { p == 1 } else := 2', 't/q').code).toBe('engine_error');
    // and mockable, as in opa test
    expect(evalRule('package t\nq := x if { x := http.send({}) with http.send as {"status_code": 200} }', 't/q')).toEqual({ status_code: 200 });
  });
});

describe('print', () => {
  it('writes to the given sink, with <undefined> for undefined arguments', () => {
    const lines: string[] = [];
    const pol = compile([{ file: 'x.rego', source: 'package t\np if { print("hello", 1, {"a": [1]}, input.nope) }' }]);
    expect(pol.evaluate('t/p', { print: (m) => lines.push(m) })).toBe(true);
    expect(lines).toEqual(['hello 1 {"a": [1]} <undefined>']);
  });
});

describe('query', () => {
  it('returns one binding record per result', () => {
    const pol = compile([{ file: 'x.rego', source: 'package t\ns contains x if { some x in [1, 2] }\nf(x) := x + 1' }]);
    expect(pol.query('data.t.s[x]')).toEqual([{ x: 1 }, { x: 2 }]);
    expect(pol.query('y := data.t.f(1)')).toEqual([{ y: 2 }]);
    expect(pol.query('data.t.f(1) == 3')).toEqual([]);
  });
});

describe('indexed iteration', () => {
  // `some x in coll` followed by `x.k == known` (or `f(x) == known`) iterates only matching
  // elements; results (and their order) must be those of a plain scan.
  const src = `package t
items := [{"id": i, "grp": sprintf("g%d", [i % 3])} | some i in numbers.range(0, 59)]
grp(x) := x.grp
by_path(g) := [x.id | some x in items; x.grp == g]
by_call(g) := [x.id | some x in items; grp(x) == g]
scan(g) := [x.id | some x in items; y := x.grp; y == g]
p := [by_path("g1"), by_call("g1"), scan("g1"), by_path("none"), by_call("none")]`;

  it('gives the same results in the same order as a scan', () => {
    const want = Array.from({ length: 20 }, (_, i) => i * 3 + 1);
    expect(evalRule(src, 't/p')).toEqual([want, want, want, [], []]);
  });
});

describe('stack', () => {
  it('reports deep nesting as an engine error, not a crash', () => {
    const depth = 50000;
    const src = `package t\np := ${'['.repeat(depth)}input${']'.repeat(depth)}`;
    let code: string | undefined;
    try {
      evalRule(src, 't/p', { input: 1 });
    } catch (e) {
      code = (e as RegoError).code;
    }
    expect(code).toBe('engine_error');
  });
});

describe('null values', () => {
  it('are defined values, also when rule and function results are cached', () => {
    const src = `package t
n := null
f(_) := null
p := [n, f(1), f(1), n]
q if { f(1) == null; n == null }`;
    expect(evalRule(src, 't/p')).toEqual([null, null, null, null]);
    expect(evalRule(src, 't/q')).toBe(true);
    expect(evalRule(src, 't/n')).toBeNull();
  });
});

describe('comprehension scoping', () => {
  it('captures unification vars bound later in the body, not vars declared later with :=', () => {
    expect(evalRule('package t\np := y if { y := [x | x := a[_]]; a = [1, 2] }', 't/p')).toEqual([1, 2]);
    expect(evalRule('package t\nxs := {"a", "b"}\np := x if { y := {x | xs[x]}; x := count(y) }', 't/p')).toBe(2);
    expect(evalRule('package t\np := [y, z] if { y := {x | some x in [1]}; z := {x | some x in [2]} }', 't/p')).toEqual([[1], [2]]);
  });
});

describe('Rego v1 builtins', () => {
  it('rejects builtins removed in OPA 1.x in modules that import rego.v1', () => {
    const e = compileError('package t\nimport rego.v1\np if re_match("a", "a")');
    expect(e.message).toBe('test.rego:3:6: rego_type_error: undefined function re_match (deprecated built-in, not available in Rego v1)');
    expect(evalRule('package t\np if regex.match("a", "a")', 't/p')).toBe(true);
  });
});

describe('more language', () => {
  it('handles some declarations, every over objects, default functions and else on functions', () => {
    const src = `package t
p := [x, y] if { some x, y; [x, y] = [1, 2] }
q if { every k, v in {"a": 1, "b": 2} { v > 0; is_string(k) } }
default f(_) := "none"
f(x) := "one" if x == 1
r := [f(1), f(2)]`;
    expect(evalRule(src, 't')).toEqual({ p: [1, 2], q: true, r: ['one', 'none'] });
  });

  it('replaces a whole package with data overrides and leaves others alone', () => {
    const src = `package t
import data.lib
p := lib.x
lib_x_test if { p == 9 with data.lib as {"x": 9} }`;
    const lib = 'package lib\nx := 1';
    const pol = compile([
      { file: 't.rego', source: src },
      { file: 'lib.rego', source: lib },
    ]);
    expect(pol.evaluate('t/p')).toBe(1);
    expect(pol.evaluate('t/lib_x_test')).toBe(true);
  });

  it('evaluates the whole data document, skipping functions', () => {
    const pol = compile([{ file: 't.rego', source: 'package t\np := 1\nf(x) := x' }]);
    expect(pol.evaluate('data', { data: { base: true } })).toEqual({ base: true, t: { p: 1 } });
  });
});
