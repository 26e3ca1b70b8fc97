import { call, err, set } from './helpers';

describe('aggregates', () => {
  it('count', () => {
    expect(call('count', [1, 2, 3])).toBe(3);
    expect(call('count', 'åäö')).toBe(3);
    expect(call('count', { a: 1 })).toBe(1);
    expect(call('count', set(1, 2, 2))).toBe(2);
    expect(err('count', 1)).toEqual({
      code: 'eval_type_error',
      message: 'count: operand 1 must be one of {array, object, set, string} but got number',
    });
    expect(err('count', null).message).toBe(
      'count: operand 1 must be one of {array, object, set, string} but got null',
    );
  });
  it('sum, product keep integers exact', () => {
    expect(call('sum', [1, 2, 3.5])).toBe(6.5);
    expect(call('sum', [49649733057, 1])).toBe(49649733058);
    expect(call('product', set(1, 2, 3, 4))).toBe(24);
    expect(err('sum', [1, 'a'])).toEqual({
      code: 'eval_type_error',
      message: 'sum: operand 1 must be array of numbers but got array containing string',
    });
    expect(err('product', 'x').message).toBe('product: operand 1 must be one of {set, array} but got string');
  });
  it('max, min, sort in OPA order', () => {
    expect(call('max', [1, 4, 2])).toBe(4);
    expect(call('min', set(3, 1, 2))).toBe(1);
    expect(call('max', [])).toBe('undefined');
    expect(call('sort', [3, 'a', null, 1])).toEqual([null, 1, 3, 'a']);
    expect(call('sort', set(2, 1))).toEqual([1, 2]);
  });
  it('all, any', () => {
    expect(call('all', [true, true])).toBe(true);
    expect(call('all', [true, 1])).toBe(false);
    expect(call('any', set(false, true))).toBe(true);
    expect(call('any', [])).toBe(false);
  });
  it('membership helpers', () => {
    expect(call('internal.member_2', 2, [1, 2])).toBe(true);
    expect(call('internal.member_2', 2, { a: 2 })).toBe(true);
    expect(call('internal.member_3', 'a', 2, { a: 2 })).toBe(true);
    expect(call('internal.member_3', 1, 2, [1, 2])).toBe(true);
  });
});

describe('aggregates, OPA details', () => {
  it('sums and multiplies decimals exactly, as OPA does', () => {
    expect(call('sum', [0.1, 0.2])).toBe(0.3);
    expect(call('product', [0.1, 3])).toBe(0.3);
    expect(call('sum', [1e21, 1])).toBe(1e21 + 1);
  });
  it('names the expected types in OPA order', () => {
    expect(err('sort', 1).message).toBe('sort: operand 1 must be one of {set, array} but got number');
    expect(err('all', 1).message).toBe('all: operand 1 must be one of {array, set} but got number');
    expect(err('any', 'x').message).toBe('any: operand 1 must be one of {array, set} but got string');
  });
  it('k, v in a set', () => {
    expect(call('internal.member_3', 'a', 'a', set('a'))).toBe(true);
    expect(call('internal.member_3', 'a', 'b', set('a'))).toBe(false);
  });
});
