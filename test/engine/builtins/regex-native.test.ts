/**
 * regex.match runs on V8's engine for the RE2 patterns regex-native.ts translates: on random
 * strings (ASCII, control characters, Unicode spaces, astral characters), V8 and re2js must agree
 * for the pack's own patterns, the team policies' likely ones, and corner cases of the syntax.
 */
import fc from 'fast-check';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { RE2JS } from 're2js';
import { nativeRegex, translateRe2 } from '../../../engine/rego/builtins/regex-native';

function regoFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? regoFiles(p) : n.endsWith('.rego') ? [p] : [];
  });
}

/** Every raw-string literal of the shipped pack (the patterns it matches with). */
const packPatterns = [...new Set(regoFiles(path.resolve(__dirname, '../../../policies')).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/`([^`]*)`/g)].map((m) => m[1])))];

const corner = [
  'a.c', '^a$', '\\s+', '\\S', '[\\s]', '\\bfoo\\b', 'x{2,3}', 'a{,2}', '[]a]', '[^]a]', '[a-z-]', '\\x41', '\\x{1F600}',
  '(?P<n>a)b', '(?:ab)+', 'a*?b', '\\.\\-\\#', 'é.', '^.$', 'a{2}', '\\d{3}-\\d{4}', '[\\d\\w]+', '\\A\\z', 'foo$', '$', '',
  '.*', '[^\\n]', '\\/', '{', '}', ']', '(a)(b)', '\\\\', '^(x|y)?z$', '^[0-9]+(\\.[0-9]+)?$', 'a|b|', '[.]', '[\\]]', '\\t\\n',
];

const chars = fc.constantFrom('a', 'b', 'c', 'x', 'y', 'z', 'A', '0', '1', '9', '.', '-', '_', '/', ':', '=', ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2028', 'é', '😀', '"', '\\', '[', ']', '{', '}', '$', '^', 'B', 'E', 'G', 'I', 'N', 'K', 'P', 'R', 'S', 'T', 'Y', 'e', 'k', 'p', 'r', 's', 't', 'w');
/** Strings the pack's patterns look for, so that matches are tried as well as misses. */
const likely = ['password', 'db_password', 'secretName', 'existing_secret', 'api-key', 'token_file', 'PrivateKey = ' + 'A'.repeat(43) + '=', '-----BEGIN RSA PRIVATE KEY-----', 'module.a["x"].module.b[0]', 'https://k8s.ala.example.kz:6443', 'kz-ala-1', '${var.x}', 'secret:abc', '1.2.3', 'foo[1]', 'abab', 'x:y', 'a.c'];
const strings = fc.oneof(
  fc.array(chars, { maxLength: 24 }).map((a) => a.join('')),
  fc.tuple(fc.constantFrom(...likely), fc.array(chars, { maxLength: 4 }), fc.array(chars, { maxLength: 4 })).map(([l, a, b]) => a.join('') + l + b.join('')),
);

describe('regex.match on V8 agrees with RE2', () => {
  const patterns = [...packPatterns, ...corner].filter((p) => {
    try {
      RE2JS.compile(p);
      return true;
    } catch {
      return false;
    }
  });

  test('most of the pack’s patterns are translated', () => {
    const translated = packPatterns.filter((p) => nativeRegex(p) !== null);
    expect(translated.length).toBeGreaterThan(packPatterns.length / 2);
  });

  test.each(patterns)('%j', (p) => {
    const re2 = RE2JS.compile(p);
    const js = nativeRegex(p);
    if (js === null) return; // left to re2js
    fc.assert(
      fc.property(strings, (s) => js.test(s) === re2.matcher(s).find()),
      { numRuns: 300, seed: 1 },
    );
  });

  test('what is not translated', () => {
    for (const p of ['(?i)abc', '\\pL', '[[:alpha:]]', '\\Qa.b\\E', '(a|b)*', '(a+)+', 'a{1001}', '(?s).', '\\C']) expect(translateRe2(p)).toBeNull();
    expect(translateRe2('^[0-9]+(\\.[0-9]+)?$')).not.toBeNull(); // an optional group is safe
  });
});
