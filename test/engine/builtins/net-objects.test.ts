import { call, err, set } from './helpers';

describe('net', () => {
  it('cidr_contains for IPv4 and IPv6 networks and addresses', () => {
    expect(call('net.cidr_contains', '10.0.0.0/8', '10.1.0.0/24')).toBe(true);
    expect(call('net.cidr_contains', '10.0.0.0/8', '192.168.1.1')).toBe(false);
    expect(
      call('net.cidr_contains', '2001:4860:4860::8888/32', '2001:4860:4860:1234:5678:1234:5678:8888/128'),
    ).toBe(true);
    expect(call('net.cidr_contains', '2001:4860::/32', 'fd1e:5bfe:8af3:9ddc::/64')).toBe(false);
  });
  it('cidr_intersects and cidr_is_valid', () => {
    expect(call('net.cidr_intersects', '192.168.1.0/25', '192.168.1.64/25')).toBe(true);
    expect(call('net.cidr_intersects', '192.168.1.0/25', '192.168.1.128/25')).toBe(false);
    expect(call('net.cidr_intersects', 'fd1e:5bfe:8af3:9ddc::/64', 'fd1e:5bfe:8af3:9ddc:1111::/72')).toBe(
      true,
    );
    expect(err('net.cidr_intersects', '192.168.1.0/28', 'not-a-cidr').code).toBe('eval_builtin_error');
    expect(call('net.cidr_is_valid', '10.0.0.0/33')).toBe(false);
    expect(call('net.cidr_is_valid', '::1/128')).toBe(true);
  });
});

describe('objects', () => {
  it('object.get with keys and paths', () => {
    expect(call('object.get', { a: 'b' }, 'a', 'c')).toBe('b');
    expect(call('object.get', { a: 1 }, [], 2)).toEqual({ a: 1 });
    expect(call('object.get', { a: { b: [{ c: 1 }] } }, ['a', 'b', 0, 'c'], 2)).toBe(1);
    expect(call('object.get', { a: { b: [1, 2, 3] } }, ['a', 'b', 'a'], 2)).toBe(2);
    expect(err('object.get', 'object', ['a'], 2)).toEqual({
      code: 'eval_type_error',
      message: 'object.get: operand 1 must be object but got string',
    });
  });
  it('keys, union, union_n', () => {
    expect(call('object.keys', { a: 1, b: 2 })).toEqual(['a', 'b']);
    expect(err('object.keys', 'x').message).toBe('object.keys: operand 1 must be object but got string');
    expect(
      call('object.union', { a: { b: { c: 1 } }, e: 1 }, { a: { b: 'foo', b1: 'bar' }, d: 7, e: 17 }),
    ).toEqual({ a: { b: 'foo', b1: 'bar' }, d: 7, e: 17 });
    expect(call('object.union_n', [{ a: 1 }, { a: { b: 1 } }, { a: { c: 2 } }])).toEqual({
      a: { b: 1, c: 2 },
    });
  });
  it('remove, filter, subset', () => {
    expect(call('object.remove', { a: 1, b: 2, c: 3 }, ['a'])).toEqual({ b: 2, c: 3 });
    expect(call('object.remove', { a: 1, b: 2 }, set('b'))).toEqual({ a: 1 });
    expect(call('object.remove', { a: 1, b: 2 }, { a: 0 })).toEqual({ b: 2 });
    expect(err('object.remove', { a: 1 }, true).message).toBe(
      'object.remove: operand 2 must be one of {object, set, array} but got boolean',
    );
    expect(err('object.remove', true, []).message).toBe(
      'object.remove: operand 1 must be object but got boolean',
    );
    expect(call('object.filter', { a: 1, b: 2 }, ['a', 'z'])).toEqual({ a: 1 });
    expect(err('object.filter', { a: 1 }, 1).message).toBe(
      'object.filter: operand 2 must be one of {object, set, array} but got number',
    );
    expect(call('object.subset', { a: { b: 1, c: 2 }, d: 3 }, { a: { b: 1 } })).toBe(true);
    expect(call('object.subset', [1, 2, 3], [2, 3])).toBe(true);
    expect(call('object.subset', [1, 2, 3], [3, 2])).toBe(false);
  });
});

describe('arrays and sets', () => {
  it('array.concat, slice, reverse', () => {
    expect(call('array.concat', [1], [2, 3])).toEqual([1, 2, 3]);
    expect(call('array.slice', [1, 2, 3, 4], 1, 3)).toEqual([2, 3]);
    expect(call('array.slice', [1, 2, 3], -5, 10)).toEqual([1, 2, 3]);
    expect(call('array.slice', [1, 2, 3], 2, 1)).toEqual([]);
    expect(call('array.reverse', [1, 2, 3])).toEqual([3, 2, 1]);
    expect(err('array.concat', 1, []).message).toBe('array.concat: operand 1 must be array but got number');
  });
  it('union, intersection and the set operators', () => {
    expect(call('union', set(set(1, 2), set(2, 3)))).toEqual([1, 2, 3]);
    expect(call('intersection', set(set(1, 2), set(2, 3)))).toEqual([2]);
    expect(call('or', set(1), set(2))).toEqual([1, 2]);
    expect(call('and', set(1, 2), set(2))).toEqual([2]);
    expect(call('minus', set(1, 2), set(2))).toEqual([1]);
    expect(err('minus', set(1), 1)).toEqual({
      code: 'eval_type_error',
      message: 'minus: operand 2 must be set but got number',
    });
    expect(err('minus', 1, set(1)).message).toBe('minus: operand 2 must be number but got set');
  });
});

describe('net, more', () => {
  it('cidr_contains names a bad second operand', () => {
    expect(err('net.cidr_contains', '10.0.0.0/8', 'x').message).toBe(
      'net.cidr_contains: not a valid textual representation of an IP address or CIDR: x',
    );
  });
  it('cidr_expand and cidr_contains_matches', () => {
    expect(call('net.cidr_expand', '192.168.0.0/31')).toEqual(['192.168.0.0', '192.168.0.1']);
    expect(call('net.cidr_expand', 'fd00::/127')).toEqual(['fd00::', 'fd00::1']);
    expect(call('net.cidr_contains_matches', ['10.0.0.0/8', '192.168.0.0/16'], { a: '10.1.2.3' })).toEqual([
      [0, 'a'],
    ]);
    expect(err('net.cidr_expand', '10.0.0.0/8').message).toContain('not supported');
  });
});
