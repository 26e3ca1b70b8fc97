import { call, err, set } from './helpers';

describe('strings', () => {
  it('basic functions', () => {
    expect(call('concat', ', ', ['a', 'b'])).toBe('a, b');
    expect(call('concat', '-', set('b', 'a'))).toBe('a-b');
    expect(err('concat', ',', 1).message).toBe(
      'concat: operand 2 must be one of {set, array} but got number',
    );
    expect(err('concat', ',', [1]).message).toBe(
      'concat: operand 2 must be array of strings but got array containing number',
    );
    expect(call('contains', 'abc', 'b')).toBe(true);
    expect(call('startswith', 'abc', 'ab')).toBe(true);
    expect(call('endswith', 'abc', 'bc')).toBe(true);
    expect(call('lower', 'AbC')).toBe('abc');
    expect(call('upper', 'AbC')).toBe('ABC');
    expect(call('split', 'a.b.c', '.')).toEqual(['a', 'b', 'c']);
    expect(call('split', 'åb', '')).toEqual(['å', 'b']);
    expect(err('upper', 1)).toEqual({
      code: 'eval_type_error',
      message: 'upper: operand 1 must be string but got number',
    });
  });
  it('trim family', () => {
    expect(call('trim', '  xx ', ' ')).toBe('xx');
    expect(call('trim_left', 'aabca', 'a')).toBe('bca');
    expect(call('trim_right', 'aabca', 'a')).toBe('aabc');
    expect(call('trim_prefix', 'prefix-x', 'prefix-')).toBe('x');
    expect(call('trim_suffix', 'x.rego', '.rego')).toBe('x');
    expect(call('trim_space', '\t x \n')).toBe('x');
  });
  it('replace, replace_n', () => {
    expect(call('replace', 'a-b-c', '-', '+')).toBe('a+b+c');
    expect(call('strings.replace_n', { a: '1', b: '2' }, 'abc')).toBe('12c');
  });
  it('indexof, indexof_n, substring count runes', () => {
    expect(call('indexof', 'åäö', 'ö')).toBe(2);
    expect(call('indexof', 'abc', 'z')).toBe(-1);
    expect(call('indexof_n', 'abab', 'b')).toEqual([1, 3]);
    expect(call('substring', 'åäöx', 1, 2)).toBe('äö');
    expect(call('substring', 'abc', 1, -1)).toBe('bc');
    expect(call('substring', 'abc', 5, 1)).toBe('');
    expect(err('substring', 'abc', -1, 1)).toEqual({
      code: 'eval_builtin_error',
      message: 'substring: negative offset',
    });
  });
  it('format_int', () => {
    expect(call('format_int', 15.5, 16)).toBe('f');
    expect(call('format_int', -5, 2)).toBe('-101');
  });
  it('any_prefix_match / any_suffix_match', () => {
    expect(call('strings.any_prefix_match', 'foo/bar', ['baz', 'foo'])).toBe(true);
    expect(call('strings.any_suffix_match', set('a.rego', 'b.txt'), '.txt')).toBe(true);
    expect(err('strings.any_prefix_match', 1, 'a').message).toBe(
      'strings.any_prefix_match: operand 1 must be one of {string, set, array} but got number',
    );
    expect(err('strings.any_prefix_match', 'a', [1]).message).toBe(
      'strings.any_prefix_match: operand 2 must be array of strings but got array containing number',
    );
  });
  it('reverse and count', () => {
    expect(call('strings.reverse', 'åbc')).toBe('cbå');
    expect(err('strings.reverse', 1).message).toBe('reverse: operand 1 must be string but got number');
    expect(call('strings.count', 'cheese', 'e')).toBe(3);
    expect(call('strings.count', 'five', '')).toBe(5);
  });
  it('sprintf follows Go fmt', () => {
    expect(call('sprintf', 'hi %02d', [5])).toBe('hi 05');
    expect(call('sprintf', 'hi %02X.%02X', [127, 1])).toBe('hi 7F.01');
    expect(call('sprintf', '%s', [true])).toBe('true');
    expect(call('sprintf', '%v %v', [1.5, { a: [1] }])).toBe('1.5 {"a": [1]}');
    expect(call('sprintf', '%.2f|%6.1f|%-4d|', [3.14159, 2.26, 7])).toBe('3.14|   2.3|7   |');
    expect(call('sprintf', '%q %x %t %%', ['a"b', 'hi', false])).toBe('"a\\"b" 6869 false %');
    expect(call('sprintf', '%s', [BigInt('123456789123456789123')])).toBe('123456789123456789123');
    expect(call('sprintf', '%d %d', [1])).toBe('1 %!d(MISSING)');
    expect(call('sprintf', '%s', ['a', 'b'])).toBe('a%!(EXTRA string=b)');
    expect(call('sprintf', '%v', [1e-7])).toBe('1e-07');
    expect(call('sprintf', '%v %v %v', [1234567.5, 123456.5, 1e300])).toBe('1.2345675e+06 123456.5 1e+300');
    expect(err('sprintf', '%s', 'x').message).toBe('sprintf: operand 2 must be array but got string');
  });
});

describe('strings, OPA details', () => {
  it('indexof and indexof_n reject an empty search string', () => {
    expect(err('indexof', 'abc', '')).toEqual({
      code: 'eval_builtin_error',
      message: 'indexof: empty search character',
    });
    expect(err('indexof_n', 'abc', '').code).toBe('eval_builtin_error');
  });
  it('replace_n names non-string keys and values', () => {
    expect(err('strings.replace_n', { a: 1 }, 'a').message).toBe(
      'strings.replace_n: operand 1 non-string value found in pattern object',
    );
  });
});

describe('upper and lower, rune by rune as Go', () => {
  it('keep ß, lower every Σ to σ, and İ to i', () => {
    expect(call('upper', 'straße')).toBe('STRAßE');
    expect(call('lower', 'ΟΔΟΣ')).toBe('οδοσ');
    expect(call('lower', 'İ')).toBe('i');
    expect(call('upper', 'ǆ')).toBe('Ǆ');
  });
});
