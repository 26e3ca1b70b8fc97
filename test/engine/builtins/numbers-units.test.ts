import { call, callRaw, err } from './helpers';

describe('numbers', () => {
  it('abs, round, ceil, floor', () => {
    expect(call('abs', -3.5)).toBe(3.5);
    expect(call('round', 2.5)).toBe(3);
    expect(call('round', -2.5)).toBe(-3);
    expect(call('ceil', 1.2)).toBe(2);
    expect(call('floor', -1.2)).toBe(-2);
    expect(err('abs', 'x')).toEqual({
      code: 'eval_type_error',
      message: 'abs: operand 1 must be number but got string',
    });
  });
  it('numbers.range and range_step', () => {
    expect(call('numbers.range', 1, 3)).toEqual([1, 2, 3]);
    expect(call('numbers.range', 3, 1)).toEqual([3, 2, 1]);
    expect(call('numbers.range_step', 0, 10, 4)).toEqual([0, 4, 8]);
    expect(err('numbers.range', 1, 2.5)).toEqual({
      code: 'eval_type_error',
      message: 'numbers.range: operand 2 must be integer number but got floating-point number',
    });
    expect(err('numbers.range_step', 0, 10, 0).code).toBe('eval_builtin_error');
  });
  it('arithmetic builtins', () => {
    expect(call('plus', 1, 2)).toBe(3);
    expect(call('mul', 3, 0.5)).toBe(1.5);
    expect(call('div', 7, 2)).toBe(3.5);
    expect(call('rem', 7, 3)).toBe(1);
    expect(callRaw('plus', Number.MAX_SAFE_INTEGER, 2)).toBe(BigInt(Number.MAX_SAFE_INTEGER) + BigInt(2));
    expect(err('div', 1, 0)).toEqual({ code: 'eval_builtin_error', message: 'div: divide by zero' });
    expect(err('rem', 7, 0)).toEqual({ code: 'eval_builtin_error', message: 'rem: modulo by zero' });
  });
});

describe('units', () => {
  it('units.parse: decimal, binary, milli, quotes, exact big integers', () => {
    expect(call('units.parse', '10K')).toBe(10000);
    expect(call('units.parse', '10Ki')).toBe(10240);
    expect(call('units.parse', '10KI')).toBe(10240);
    expect(call('units.parse', '500m')).toBe(0.5);
    expect(call('units.parse', '100M')).toBe(100000000);
    expect(call('units.parse', '1.1Ki')).toBe(1126.4);
    expect(call('units.parse', '.5K')).toBe(500);
    expect(call('units.parse', '"100TI"')).toBe(109951162777600);
    expect(callRaw('units.parse', '10Ei')).toBe(BigInt('11529215046068469760'));
    expect(callRaw('units.parse', '10e')).toBe(BigInt('10000000000000000000'));
  });
  it('units.parse_bytes', () => {
    expect(call('units.parse_bytes', '10KB')).toBe(10000);
    expect(call('units.parse_bytes', '10KiB')).toBe(10240);
    expect(call('units.parse_bytes', '100m')).toBe(100000000);
    expect(call('units.parse_bytes', '1.1KiB')).toBe(1126);
    expect(call('units.parse_bytes', '"100TIB"')).toBe(109951162777600);
    expect(err('units.parse_bytes', 'GB')).toEqual({
      code: 'eval_builtin_error',
      message: 'units.parse_bytes: no byte amount provided',
    });
    expect(err('units.parse_bytes', '').message).toBe('units.parse_bytes: no byte amount provided');
    expect(err('units.parse_bytes', '0.0.0').message).toBe(
      'units.parse_bytes: could not parse byte amount to a number',
    );
    expect(err('units.parse_bytes', '100 kb').message).toBe(
      'units.parse_bytes: spaces not allowed in resource strings',
    );
    expect(err('units.parse_bytes', 1).message).toBe(
      'units.parse_bytes: operand 1 must be string but got number',
    );
  });
});

describe('numbers.range, OPA details', () => {
  it('names a non-number operand as integer and rejects a non-positive step', () => {
    expect(err('numbers.range', 'a', 2).message).toBe(
      'numbers.range: operand 1 must be integer but got string',
    );
    expect(err('numbers.range_step', 1, 5, -1).message).toBe(
      'numbers.range_step: step must be a positive integer',
    );
  });
});
