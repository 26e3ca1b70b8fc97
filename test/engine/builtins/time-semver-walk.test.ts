import { call, callRaw, err } from './helpers';

describe('time', () => {
  it('now_ns is the per-query clock', () => {
    expect(callRaw('time.now_ns')).toBe(BigInt('1700000000123456789'));
  });
  it('parse_rfc3339_ns, parse_ns, parse_duration_ns', () => {
    expect(callRaw('time.parse_rfc3339_ns', '2017-06-02T19:00:00.123-07:00')).toBe(
      BigInt('1496455200123000000'),
    );
    expect(callRaw('time.parse_rfc3339_ns', '1970-01-01T00:00:00Z')).toBe(0);
    expect(err('time.parse_rfc3339_ns', '2017-06-02').code).toBe('eval_builtin_error');
    expect(callRaw('time.parse_ns', '2006-01-02', '2022-02-03')).toBe(BigInt('1643846400000000000'));
    expect(callRaw('time.parse_ns', 'RFC822Z', '02 Jan 06 15:04 -0700')).toBe(BigInt('1136239440000000000'));
    expect(call('time.parse_duration_ns', '1h30m')).toBe(5400000000000);
  });
  it('date, clock, weekday, with zones', () => {
    expect(call('time.date', BigInt('1517814000000000000'))).toEqual([2018, 2, 5]);
    expect(call('time.clock', BigInt('1517814000000000000'))).toEqual([7, 0, 0]);
    expect(call('time.weekday', BigInt('1517832000000000000'))).toBe('Monday');
    expect(call('time.weekday', BigInt('1518177600000000000'))).toBe('Friday');
    expect(call('time.clock', [BigInt('1517814000000000000'), 'Asia/Almaty'])).toEqual([13, 0, 0]);
    expect(err('time.date', BigInt('1582977600000000000000'))).toEqual({
      code: 'eval_builtin_error',
      message: 'time.date: timestamp too big',
    });
  });
  it('add_date, diff, format', () => {
    expect(callRaw('time.add_date', BigInt('1585852421593912000'), 3, 9, 12)).toBe(
      BigInt('1705257221593912000'),
    );
    expect(err('time.add_date', 0, 2262, 1, 1)).toEqual({
      code: 'eval_builtin_error',
      message: 'time.add_date: time outside of valid range',
    });
    expect(call('time.diff', 0, BigInt('86400000000000'))).toEqual([0, 0, 1, 0, 0, 0]);
    expect(call('time.format', BigInt('1517814000123000000'))).toBe('2018-02-05T07:00:00.123Z');
    expect(call('time.format', [0, 'UTC', '2006-01-02'])).toBe('1970-01-01');
  });
});

describe('semver', () => {
  it('compare and is_valid', () => {
    expect(call('semver.compare', '1.0.0', '1.0.1')).toBe(-1);
    expect(call('semver.compare', '1.0.0-alpha', '1.0.0')).toBe(-1);
    expect(call('semver.compare', '1.0.0-alpha.2', '1.0.0-alpha.10')).toBe(-1);
    expect(call('semver.compare', '2.0.0+build', '2.0.0')).toBe(0);
    expect(err('semver.compare', '1', '1.0.0')).toEqual({
      code: 'eval_builtin_error',
      message: 'semver.compare: operand 1: string "1" is not a valid SemVer',
    });
    expect(call('semver.is_valid', 'v1.0.0')).toBe(false);
    expect(call('semver.is_valid', '1.0.0-rc.1')).toBe(true);
  });
});

describe('walk and graph', () => {
  it('walk yields every [path, value] pair', () => {
    expect(call('walk', { a: [1] })).toEqual([
      [[], { a: [1] }],
      [['a'], [1]],
      [['a', 0], 1],
    ]);
  });
  it('graph.reachable', () => {
    expect(call('graph.reachable', { a: ['b'], b: ['c'], c: [], d: ['a'] }, ['a'])).toEqual(['a', 'b', 'c']);
  });
});

describe('time, OPA details', () => {
  it('accepts [ns] and [ns, tz] in add_date and reports non-integer timestamps as too big', () => {
    expect(callRaw('time.add_date', [0, 'UTC'], 0, 1, 0)).toBe(2678400000000000);
    expect(err('time.date', 1.5).message).toBe('time.date: timestamp too big');
    expect(err('time.date', 'x').message).toBe(
      'time.date: operand 1 must be either number (ns) or [number (ns), string (tz)] but got string',
    );
    expect(call('time.date', [0])).toEqual([1970, 1, 1]);
  });
  it('diff borrows the days of the earlier month', () => {
    // 2024-01-31 → 2024-03-01: Go/OPA give 1 month 1 day
    const jan31 = BigInt(Date.UTC(2024, 0, 31)) * BigInt(1e6);
    const mar1 = BigInt(Date.UTC(2024, 2, 1)) * BigInt(1e6);
    expect(call('time.diff', jan31, mar1)).toEqual([0, 1, 1, 0, 0, 0]);
  });
});
