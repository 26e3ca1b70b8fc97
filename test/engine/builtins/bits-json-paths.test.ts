import { call, callRaw, err } from './helpers';

describe('bits', () => {
  it('bitwise operations on integers, exact beyond 2^53', () => {
    expect(call('bits.and', 12, 10)).toBe(8);
    expect(call('bits.or', 12, 10)).toBe(14);
    expect(call('bits.xor', 12, 10)).toBe(6);
    expect(call('bits.negate', 5)).toBe(-6);
    expect(call('bits.rsh', 16, 2)).toBe(4);
    expect(callRaw('bits.lsh', 1, 60)).toBe(BigInt(2) ** BigInt(60));
    expect(err('bits.or', 1.5, 1)).toEqual({
      code: 'eval_type_error',
      message: 'bits.or: operand 1 must be integer number but got floating-point number',
    });
  });
});

describe('json.filter, json.remove, urlquery.decode_object', () => {
  it('keeps or drops the listed paths (strings with / or arrays of keys)', () => {
    expect(call('json.filter', { a: { b: 1, c: 2 }, d: [1, 2] }, ['a/b', 'd/1'])).toEqual({
      a: { b: 1 },
      d: [2],
    });
    expect(call('json.remove', { a: { b: 1, c: 2 }, d: [1, 2] }, ['a/b', ['d', 0]])).toEqual({
      a: { c: 2 },
      d: [2],
    });
    expect(err('json.filter', { a: 1 }, 1).message).toBe(
      'json.filter: operand 2 must be one of {set, array} but got number',
    );
  });
  it('decodes a query string into arrays of values', () => {
    expect(call('urlquery.decode_object', 'a=1&a=2&b=x%20y')).toEqual({ a: ['1', '2'], b: ['x y'] });
    expect(call('urlquery.encode_object', { a: ['1', '2'], b: 'x y' })).toBe('a=1&a=2&b=x+y');
  });
});
