/**
 * The classes of disagreement with OPA found on held-out conformance cases (issue 17), each
 * pinned by OPA's documented behaviour: documents, safety, unification, recursion, v1 by default
 * and capabilities.
 */
import { compile, parseCapabilities, type CompileOptions } from '../../../engine/rego';
import { resolve } from 'node:path';
import type { JsonValue } from '../../../engine/engine';
import { loadRegoDirectory } from '../../../engine/load';

function q(src: string | string[], query: string, opts: { input?: JsonValue; data?: JsonValue } = {}, copts: CompileOptions = {}): Array<Record<string, JsonValue>> {
  const mods = (Array.isArray(src) ? src : [src]).map((source, i) => ({ file: `m${i}.rego`, source }));
  return compile(mods, copts).query(query, opts);
}

function compileError(src: string, copts: CompileOptions = {}): { code: string; message: string } {
  try {
    compile([{ file: 'm.rego', source: src }], copts);
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message };
  }
  throw new Error('compiled');
}

describe('documents', () => {
  it('an empty package is an empty object under data', () => {
    expect(q('package a.b', 'x := data.a.b')).toEqual([{ x: {} }]);
    expect(q(['package a.b', 'package c\np := 1'], 'x := data')).toEqual([{ x: { a: { b: {} }, c: { p: 1 } } }]);
  });

  it('a number in a ref reaches the numeric-looking key of base data, not of input or rules', () => {
    const data = { nested: { '2': 'two', '1.5': 'x' }, arr: ['a', 'b', 'c'] };
    expect(q('package t', 'x := data.nested[2]', { data })).toEqual([{ x: 'two' }]);
    expect(q('package t', 'x := data.arr[2]', { data })).toEqual([{ x: 'c' }]);
    expect(q('package t', 'x := input.m[2]', { input: { m: { '2': 'two' } } })).toEqual([]);
    expect(q('package t\nr := {"2": "two"}', 'x := data.t.r[2]')).toEqual([]);
  });
});

describe('safety (valid policies OPA accepts must compile)', () => {
  it('a var bound by a ref index may be a plain argument of the same call', () => {
    const input = { names: { ab: 'abc', x: 'y' }, m: { a: 'a', b: 'c' } };
    expect(q('package t\np contains k if { some k; startswith(input.names[k], k) }', 'x := data.t.p', { input })).toEqual([{ x: ['ab'] }]);
    expect(q('package t\np contains k if { startswith(k, input.names[k]) }', 'x := data.t.p', { input })).toEqual([{ x: [] }]);
    expect(q('package t\np contains k if { input.m[k] != k }', 'x := data.t.p', { input })).toEqual([{ x: ['b'] }]);
    expect(q('package t\nq[x] := x if { some x in [1, 2] }\np contains x if { q[x] == x }', 'x := data.t.p')).toEqual([{ x: [1, 2] }]);
  });

  it('object literals unify key by key across bindings', () => {
    expect(q('package t\np := [x, y, z] if { x = 1; {"a": [x], "b": y} = {"a": [z], "b": x} }', 'x := data.t.p')).toEqual([{ x: [1, 1, 1] }]);
  });

  it('a var that nothing binds is still unsafe, with OPA code', () => {
    expect(compileError('package t\np if { startswith(k, "a") }').code).toBe('rego_unsafe_var_error');
  });
});

describe('recursion', () => {
  it('data[2] depends on no rule', () => {
    expect(q('package t\np := data[2]', 'x := data.t.p', { data: { '2': 'two' } })).toEqual([{ x: 'two' }]);
  });

  it('a real cycle is still rejected', () => {
    expect(compileError('package t\np if q\nq if p').code).toBe('rego_recursion_error');
  });
});

describe('Rego v1 by default', () => {
  it('rejects v0 bodies and builtins removed in OPA 1.x unless v0Compatible', () => {
    expect(compileError('package t\np { true }').code).toBe('rego_parse_error');
    expect(compileError('package t\np if re_match("a", "a")').message).toContain('undefined function re_match');
    expect(q('package t\np { re_match("a", "a") }\nq[x] { x := 1 }', 'x := data.t', {}, { v0Compatible: true })).toEqual([{ x: { p: true, q: [1] } }]);
  });
});

describe('capabilities', () => {
  const caps = parseCapabilities({ builtins: [{ name: 'count' }, { name: 'eq' }, { name: 'assign' }, { name: 'equal' }] }, 'caps.json');

  it('a call outside them fails to compile with OPA message', () => {
    const e = compileError('package t\np if startswith("ab", "a")', { capabilities: caps });
    expect(e.code).toBe('rego_type_error');
    expect(e.message).toBe('m.rego:2:6: rego_type_error: undefined function startswith');
    expect(compileError('package t\np if 1 + 1 == 2', { capabilities: caps }).message).toContain('undefined function plus');
  });

  it('calls inside them compile', () => {
    expect(q('package t\np := count([1]) == 1', 'x := data.t.p', {}, { capabilities: caps })).toEqual([{ x: true }]);
  });

  it('a malformed document names the file and field', () => {
    expect(() => parseCapabilities({ builtins: [{ decl: {} }] }, 'caps.json')).toThrow('caps.json: builtins[0].name: expected a string');
    expect(() => parseCapabilities([], 'caps.json')).toThrow('caps.json: capabilities must be a JSON object');
  });
});

describe('dates as Go parses them', () => {
  it('time.parse_rfc3339_ns refuses a day the month does not have', () => {
    const e = (): unknown => q('package t', 'x := time.parse_rfc3339_ns("2026-02-30T00:00:00Z")');
    expect(q('package t', 'x := time.parse_rfc3339_ns("2026-02-30T00:00:00Z")')).toEqual([]);
    expect(e).not.toThrow();
    expect(() => compile([{ file: 'm.rego', source: 'package t\np := time.parse_rfc3339_ns("2026-02-30T00:00:00Z")' }]).evaluate('t/p', { strictBuiltinErrors: true })).toThrow(
      'time.parse_rfc3339_ns: parsing time "2026-02-30T00:00:00Z": day out of range',
    );
    expect(q('package t', 'x := time.parse_rfc3339_ns("2024-02-29T00:00:00Z")')).toEqual([{ x: 1709164800000000000 }]);
  });

  it('the pack, evaluated through the engine API, takes a waiver dated 2026-02-30 as invalid, as OPA does', () => {
    const pack = loadRegoDirectory(resolve(__dirname, '..', '..', '..', 'policies'), { includeTests: false });
    const waiver = { rule: 'KZ-RES-001', resource: 'x.y', reason: 'r', approved_by: 'dpo', expires: '2026-02-30' };
    const data = { kz_residency: { now: '2026-01-01', waivers: [waiver] } };
    const policy = compile(pack);
    expect(policy.evaluate('data.kz.residency.invalid_waivers', { input: {}, data })).toEqual([waiver]);
    expect(policy.evaluate('data.kz.residency.expired_waivers', { input: {}, data })).toEqual([]);
  });
});
