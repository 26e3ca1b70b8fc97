import { call, callRaw, err, set } from './helpers';

describe('encoding', () => {
  it('json.marshal sorts keys, writes sets as arrays, escapes like Go', () => {
    expect(call('json.marshal', [{ foo: set(3, 1, 2) }])).toBe('[{"foo":[1,2,3]}]');
    expect(call('json.marshal', { b: 1, a: '<&>' })).toBe('{"a":"\\u003c\\u0026\\u003e","b":1}');
    expect(call('json.marshal', [1234567890, 2000000, BigInt('123456789012345678901')])).toBe(
      '[1234567890,2000000,123456789012345678901]',
    );
    expect(call('json.marshal_with_options', { a: [1] }, { pretty: true, indent: '  ' })).toBe(
      '{\n  "a": [\n    1\n  ]\n}',
    );
  });
  it('json.unmarshal, json.is_valid', () => {
    expect(call('json.unmarshal', '[{"foo":[1,2,3]}]')).toEqual([{ foo: [1, 2, 3] }]);
    expect(err('json.unmarshal', '{').code).toBe('eval_builtin_error');
    expect(err('json.unmarshal', 1).message).toBe('json.unmarshal: operand 1 must be string but got number');
    expect(call('json.is_valid', '{"a":1}')).toBe(true);
    expect(call('json.is_valid', '{')).toBe(false);
    expect(call('json.is_valid', 1)).toBe(false);
  });
  it('yaml', () => {
    const text = call('yaml.marshal', [{ foo: set(1, 2, 3) }]) as string;
    expect(call('yaml.unmarshal', text)).toEqual([{ foo: [1, 2, 3] }]);
    expect(call('yaml.marshal', { b: 1, a: ['x'] })).toBe('a:\n- x\nb: 1\n');
    const e = err('yaml.unmarshal', '[1,2,3');
    expect(e.code).toBe('eval_builtin_error');
    expect(e.message).toContain('yaml: line 1: did not find');
    expect(call('yaml.is_valid', 'foo:\n - qux: bar\n - baz: {')).toBe(false);
    expect(call('yaml.is_valid', '{"json": "ok"}')).toBe(true);
    expect(call('yaml.is_valid', 1)).toBe(false);
  });
  it('base64, base64url, hex, urlquery', () => {
    expect(call('base64.encode', 'hello')).toBe('aGVsbG8=');
    expect(call('base64.decode', 'aGVsbG8=')).toBe('hello');
    expect(call('base64.is_valid', 'aGVsbG8=')).toBe(true);
    expect(call('base64.is_valid', 'aGVsbG8')).toBe(false);
    expect(err('base64.decode', '!!').code).toBe('eval_builtin_error');
    expect(call('base64url.encode', '\u00ff?')).toBe('w78_');
    expect(call('base64url.encode_no_pad', 'a')).toBe('YQ');
    expect(call('base64url.encode', 'a')).toBe('YQ==');
    expect(call('base64url.decode', 'YQ')).toBe('a');
    expect(call('hex.encode', 'hi')).toBe('6869');
    expect(call('hex.decode', '6869')).toBe('hi');
    expect(call('urlquery.encode', 'a b&c')).toBe('a+b%26c');
    expect(call('urlquery.decode', 'a+b%26c')).toBe('a b&c');
  });
  it('crypto hashes', () => {
    expect(call('crypto.sha256', 'abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(call('crypto.md5', 'abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
  });
});

describe('casts and types', () => {
  it('to_number', () => {
    expect(call('to_number', '-42.0')).toBe(-42);
    expect(call('to_number', false)).toBe(0);
    expect(call('to_number', true)).toBe(1);
    expect(call('to_number', null)).toBe(0);
    expect(call('to_number', 100.1)).toBe(100.1);
    expect(callRaw('to_number', '123456789012345678901')).toBe(BigInt('123456789012345678901'));
    const e = err('to_number', 'broken');
    expect(e.code).toBe('eval_builtin_error');
    expect(e.message).toContain('invalid syntax');
    expect(err('to_number', [1]).message).toBe(
      'to_number: operand 1 must be one of {null, boolean, number, string} but got array',
    );
  });
  it('type_name and is_*', () => {
    expect(call('type_name', set())).toBe('set');
    expect(call('type_name', { a: 1 })).toBe('object');
    expect(call('type_name', null)).toBe('null');
    expect(call('is_number', -42.0)).toBe(true);
    expect(call('is_string', null)).toBe(false);
    expect(call('is_boolean', 'Hello')).toBe(false);
    expect(call('is_set', [1, 2, 3])).toBe(false);
    expect(call('is_array', [1])).toBe(true);
    expect(call('is_object', {})).toBe(true);
    expect(call('is_null', null)).toBe(true);
  });
});

describe('yaml.unmarshal as go-yaml v2 (through sigs.k8s.io/yaml)', () => {
  it('keeps timestamp-like and base-60 scalars as strings, reads YAML 1.1 booleans', () => {
    expect(call('yaml.unmarshal', 'a: 2026-02-01\nb: 2001-12-14t21:59:43.10-05:00\nc: 190:20:30\nd: yes')).toEqual({
      a: '2026-02-01',
      b: '2001-12-14t21:59:43.10-05:00',
      c: '190:20:30',
      d: true,
    });
  });
});
