/**
 * Regular expressions. OPA uses Go's RE2; patterns are translated to JavaScript where the
 * syntax differs (leading `(?i)`/`(?s)`/`(?m)` flags, `(?P<name>`, `\A`, `\z`, `\Q…\E`, POSIX
 * classes). RE2 features with no JavaScript equivalent fail with "not supported: …".
 */
import type { Value } from '../value';
import { def, fail, int, str } from './util';
import type { BuiltinDef } from './types';

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-/:-@[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp | Error>();

function escapeLiteral(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Translates an RE2 pattern to a JavaScript RegExp source and flags. */
export function translate(pattern: string): { source: string; flags: string } {
  let flags = '';
  let p = pattern;
  // leading flag groups: (?i) (?s) (?m) (?is) …
  for (;;) {
    const m = /^\(\?([imsU]+)\)/.exec(p);
    if (!m) break;
    for (const f of m[1]) {
      if (f === 'U') throw new Error('not supported: the (?U) flag');
      if (!flags.includes(f)) flags += f;
    }
    p = p.slice(m[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) throw new Error('trailing backslash at end of expression');
      if (n === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        const lit = end < 0 ? p.slice(i + 2) : p.slice(i + 2, end);
        out += escapeLiteral(lit);
        i = end < 0 ? p.length : end + 1;
        continue;
      }
      if (!inClass && n === 'A') {
        out += '(?<![\\s\\S])';
        i++;
        continue;
      }
      if (!inClass && n === 'z') {
        out += '(?![\\s\\S])';
        i++;
        continue;
      }
      if (n === 'p' || n === 'P') {
        if (!flags.includes('u')) flags += 'u';
        if (p[i + 2] !== '{') {
          out += `\\${n}{${p[i + 2]}}`;
          i += 2;
          continue;
        }
      }
      if (n === 'C') throw new Error('not supported: \\C');
      out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && p[i + 1] === ':') {
        const end = p.indexOf(':]', i + 2);
        if (end > 0) {
          let name = p.slice(i + 2, end);
          const neg = name.startsWith('^');
          if (neg) name = name.slice(1);
          const cls = POSIX[name];
          if (!cls) throw new Error(`invalid character class range: [:${name}:]`);
          if (neg) throw new Error('not supported: negated POSIX class');
          out += cls;
          i = end + 1;
          continue;
        }
      }
      if (c === '[') {
        out += '\\[';
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (p[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && p[i + 1] === '?') {
      if (p[i + 2] === 'P' && p[i + 3] === '<') {
        out += '(?<';
        i += 3;
        continue;
      }
      if (p[i + 2] === ':' || p[i + 2] === '<' || p[i + 2] === '=' || p[i + 2] === '!') {
        if (p[i + 2] === '=' || p[i + 2] === '!')
          throw new Error('invalid or unsupported Perl syntax: `(?' + p[i + 2] + '`');
        out += c;
        continue;
      }
      throw new Error('not supported: inline flag groups other than a leading (?i), (?s) or (?m)');
    }
    out += c;
  }
  return { source: out, flags };
}

/** A compiled (global) RegExp for an RE2 pattern; invalid patterns fail as OPA's builtins do. */
export function compileRegex(pattern: string): RegExp {
  let r = cache.get(pattern);
  if (!r) {
    try {
      const t = translate(pattern);
      r = new RegExp(t.source, t.flags + 'g');
    } catch (e) {
      const msg = (e as Error).message;
      r = new Error(
        msg.startsWith('not supported')
          ? msg
          : `error parsing regexp: ${msg.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}`,
      );
    }
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, r);
  }
  if (r instanceof Error) return fail(r.message);
  return r;
}

/** Go's FindAll…Index semantics: an empty match right after the previous match is skipped. */
export function findAll(re: RegExp, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  if (n === 0) return out;
  re.lastIndex = 0;
  let prevEnd = -1;
  while (n < 0 || out.length < n) {
    const m = re.exec(s);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    if (m[0].length === 0) {
      const cp = s.codePointAt(start);
      re.lastIndex = start + (cp !== undefined && cp > 0xffff ? 2 : 1);
      if (start === prevEnd) {
        if (start >= s.length) break;
        continue;
      }
    }
    out.push(m);
    prevEnd = end;
    if (start >= s.length) break;
  }
  re.lastIndex = 0;
  return out;
}

function goSplit(re: RegExp, s: string, n: number): string[] {
  if (n === 0) return [];
  if (re.source !== '(?:)' && s.length === 0) return [''];
  const matches = findAll(re, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && out.length === n - 1) break;
    end = m.index;
    if (m.index + m[0].length !== 0) out.push(s.slice(beg, end));
    beg = m.index + m[0].length;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** Go's Regexp.Expand template syntax ($1, ${1}, ${name}, $$) to a function of the match. */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(
    /\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g,
    (_all, d: string, braced?: string, bare?: string) => {
      if (d === '$') return '$';
      const name = braced ?? bare ?? '';
      if (/^\d+$/.test(name)) return m[Number(name)] ?? '';
      return m.groups?.[name] ?? '';
    },
  );
}

export const regex: BuiltinDef[] = [
  def('regex.match', 2, (args) => {
    const re = compileRegex(str(args, 0));
    re.lastIndex = 0;
    const r = re.test(str(args, 1));
    re.lastIndex = 0;
    return r;
  }),
  def('regex.is_valid', 1, ([p]) => {
    if (typeof p !== 'string') return false;
    try {
      compileRegex(p);
      return true;
    } catch {
      return false;
    }
  }),
  def('regex.find_n', 3, (args) => {
    const re = compileRegex(str(args, 0));
    return findAll(re, str(args, 1), int(args, 2)).map((m) => m[0]);
  }),
  def('regex.find_all_string_submatch_n', 3, (args) => {
    const re = compileRegex(str(args, 0));
    return findAll(re, str(args, 1), int(args, 2)).map((m) => Array.from(m, (g) => g ?? '') as Value[]);
  }),
  def('regex.split', 2, (args) => goSplit(compileRegex(str(args, 0)), str(args, 1), -1)),
  def('regex.replace', 3, (args) => {
    const s = str(args, 0);
    const re = compileRegex(str(args, 1));
    const t = str(args, 2);
    let out = '';
    let last = 0;
    for (const m of findAll(re, s, -1)) {
      out += s.slice(last, m.index) + expand(t, m);
      last = m.index + m[0].length;
    }
    return out + s.slice(last);
  }),
];

/** The deprecated name still used by old modules. */
export const regexLegacy: BuiltinDef[] = [
  def('re_match', 2, (args, ctx) => regex[0].fn(args, ctx), { label: 're_match' }),
];
