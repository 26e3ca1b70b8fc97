import { call, err } from './helpers';

describe('regex', () => {
  it('match, with RE2 syntax translated', () => {
    expect(call('regex.match', '^[a-z]+\\[[0-9]+\\]$', 'foo[1]')).toBe(true);
    expect(call('regex.match', '(?i)^ABC$', 'abc')).toBe(true);
    expect(call('regex.match', '\\Aab\\z', 'ab')).toBe(true);
    expect(call('regex.match', '^[[:digit:]]+$', '123')).toBe(true);
    expect(call('regex.match', '(?P<x>a)b', 'ab')).toBe(true);
    expect(call('regex.match', '\\Q.*\\E', 'a.*b')).toBe(true);
  });
  it('invalid patterns are builtin errors', () => {
    const e = err('regex.match', '(', 'x');
    expect(e.code).toBe('eval_builtin_error');
    expect(e.message).toMatch(/^regex.match: error parsing regexp: /);
    expect(call('regex.is_valid', '(')).toBe(false);
    expect(call('regex.is_valid', '^a+$')).toBe(true);
    expect(call('regex.is_valid', 1)).toBe(false);
    expect(err('regex.match', '(?x)a', 'a').message).toMatch(/^regex.match: error parsing regexp: /);
  });
  it('are RE2, as Go: no backreferences or \\Z; \\x{41}, (?i) mid-pattern, Unicode . and ASCII \\s', () => {
    expect(err('regex.match', '(a)\\1', 'aa').message).toBe('regex.match: error parsing regexp: invalid escape sequence: `\\1`');
    expect(err('regex.match', 'a\\Z', 'a').message).toBe('regex.match: error parsing regexp: invalid escape sequence: `\\Z`');
    expect(call('regex.match', '^\\x{41}$', 'A')).toBe(true);
    expect(call('regex.match', '^a(?i)b$', 'aB')).toBe(true);
    expect(call('regex.match', '^a(?i)b$', 'AB')).toBe(false);
    expect(call('regex.match', '^.$', '😀')).toBe(true);
    expect(call('regex.match', '\\s', '\u00a0')).toBe(false);
    expect(call('regex.find_n', '.', 'é😀', -1)).toEqual(['é', '😀']);
  });
  it('template_match: regular expressions between delimiters, literal text around them', () => {
    expect(call('regex.template_match', 'urn:foo:{.*}', 'urn:foo:bar:baz', '{', '}')).toBe(true);
    expect(call('regex.template_match', 'urn:foo.bar:{[a-z]+}', 'urn:foo.bar:baz', '{', '}')).toBe(true);
    expect(call('regex.template_match', 'urn:foo.bar:{[a-z]+}', 'urn:fooxbar:baz', '{', '}')).toBe(false);
    expect(call('regex.template_match', 'urn:foo:<[0-9]{2}>', 'urn:foo:42', '<', '>')).toBe(true);
    expect(err('regex.template_match', 'urn:foo:{.*', 'x', '{', '}').message).toBe('regex.template_match: unbalanced braces in "urn:foo:{.*"');
  });
  it('find_n, find_all_string_submatch_n, split, replace', () => {
    expect(call('regex.find_n', '[a-z]+', 'ab cd ef', 2)).toEqual(['ab', 'cd']);
    expect(call('regex.find_n', '[a-z]+', 'ab cd ef', -1)).toEqual(['ab', 'cd', 'ef']);
    expect(call('regex.find_n', 'a*', 'baaab', -1)).toEqual(['', 'aaa', '']);
    expect(call('regex.find_all_string_submatch_n', '([a-z])(\\d)', 'a1 b2', -1)).toEqual([
      ['a1', 'a', '1'],
      ['b2', 'b', '2'],
    ]);
    expect(call('regex.split', ',\\s*', 'a, b,c')).toEqual(['a', 'b', 'c']);
    expect(call('regex.split', 'x', '')).toEqual(['']);
    expect(call('regex.replace', 'abc123', '([a-z]+)(\\d+)', '${2}-$1')).toBe('123-abc');
  });
});

describe('glob', () => {
  it('delimiters: default ".", null for none', () => {
    expect(call('glob.match', '*.github.com', ['.'], 'api.github.com')).toBe(true);
    expect(call('glob.match', '*.github.com', ['.'], 'api.not-github.com')).toBe(false);
    expect(call('glob.match', '*', [], 'foo.bar')).toBe(false);
    expect(call('glob.match', '*', null, 'foo.bar')).toBe(true);
    expect(call('glob.match', '**.com', ['.'], 'a.b.com')).toBe(true);
    expect(call('glob.match', '*/x', ['/'], 'a/b/x')).toBe(false);
  });
  it('character classes and alternatives', () => {
    expect(call('glob.match', '[!abc]at', [], 'cat')).toBe(false);
    expect(call('glob.match', '[!a-c]at', [], 'fat')).toBe(true);
    expect(call('glob.match', '?at', [], 'at')).toBe(false);
    expect(call('glob.match', '{cat,bat,[fr]at}', [], 'rat')).toBe(true);
    expect(call('glob.quote_meta', '*.github.com')).toBe('\\*.github.com');
  });
  it('type errors', () => {
    expect(err('glob.match', 1, [], 'a').message).toBe('glob.match: operand 1 must be string but got number');
  });
});

describe('glob delimiters, OPA details', () => {
  it('wants an array of single runes or null', () => {
    expect(err('glob.match', '*', 'x', 'a').message).toBe(
      'glob.match: operand 2 must be one of {array, null} but got string',
    );
    expect(err('glob.match', '*', ['ab'], 'a').message).toBe(
      'glob.match: operand 2 must be array of runes but got array containing string',
    );
  });
});
