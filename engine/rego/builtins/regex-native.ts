/**
 * RE2 patterns that JavaScript's own regular expressions match identically, translated for
 * `regex.match`: re2js (a JavaScript port of RE2) takes 3–15 µs per match, V8's engine a tenth
 * of that, and policies match every key of every resource. Only a conservative subset is
 * translated; everything else stays with re2js (regex.ts), which also remains the judge of a
 * pattern's validity and the engine of every other regex builtin.
 *
 * The subset, with what differs between the two engines and how it is bridged:
 * - literals, `.`, `^`, `$`, groups, alternation, `* + ?` and `{n,m}` (lazy forms too);
 *   `.` excludes only `\n` in RE2 (JS also excludes `\r`, U+2028/2029): written `[^\n]`;
 * - `\d \D \w \W \b \B` (ASCII in both), `\s` (RE2: `[\t\n\f\r ]`, JS: any Unicode space):
 *   written as RE2's class; `\A`, `\z`; `\n \t \r \f \v \a`, `\x41`, `\x{41}`; escaped punctuation;
 * - character classes of literals, ranges and the escapes above;
 * - the `u` flag, so that `.` and classes take a code point as RE2 takes a UTF-8 character.
 * Not translated: flags (`(?i)`), Unicode classes (`\pL`), POSIX classes, `\Q…\E`, `\C`, octal
 * escapes, repeats above 1000, and any group repeated more than once that contains a repeat or an
 * alternation (a backtracking engine can take exponential time on those; RE2 never does).
 */

const SYNTAX = new Set(['^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/']);
const RE2_SPACE = '\\t\\n\\f\\r ';

function isPunct(c: string): boolean {
  return /^[!-/:-@[-`{-~]$/.test(c);
}

/** A literal character as JS-u pattern text (outside a class). */
function lit(c: string): string {
  return SYNTAX.has(c) ? '\\' + c : c === '-' ? '-' : c;
}

/** A literal character inside a JS-u class. */
function classLit(c: string): string {
  return c === '\\' || c === ']' || c === '[' || c === '-' || c === '^' ? '\\' + c : c;
}

class Untranslatable extends Error {}
const NO = new Untranslatable();

/** The translated pattern text, or null when it is outside the subset. */
export function translateRe2(pattern: string): string | null {
  const cs = Array.from(pattern);
  let i = 0;
  let out = '';
  // per open group: whether it contains a repeat or an alternation
  const groups: { risky: boolean }[] = [];
  /** whether the last atom was a group that contained a repeat or an alternation */
  let lastGroupRisky = false;
  let haveAtom = false;

  const markRisky = (): void => {
    for (const g of groups) g.risky = true;
  };

  const hex = (): string => {
    if (cs[i] === '{') {
      const end = cs.indexOf('}', i);
      if (end < 0) throw NO;
      const h = cs.slice(i + 1, end).join('');
      if (!/^[0-9a-fA-F]{1,6}$/.test(h)) throw NO;
      i = end + 1;
      return h;
    }
    const h = (cs[i] ?? '') + (cs[i + 1] ?? '');
    if (!/^[0-9a-fA-F]{2}$/.test(h)) throw NO;
    i += 2;
    return h;
  };

  /** An escape after `\` (i at the escaped char); inClass: inside [...]. */
  const escape = (inClass: boolean): string => {
    const c = cs[i++];
    if (c === undefined) throw NO;
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return '\\' + c;
      case 's':
        return inClass ? RE2_SPACE : `[${RE2_SPACE}]`;
      case 'S':
        if (inClass) throw NO;
        return `[^${RE2_SPACE}]`;
      case 'b':
      case 'B':
        if (inClass) throw NO;
        return '\\' + c;
      case 'A':
        if (inClass) throw NO;
        return '^';
      case 'z':
        if (inClass) throw NO;
        return '$';
      case 'n':
      case 't':
      case 'r':
      case 'f':
      case 'v':
        return '\\' + c;
      case 'a':
        return '\\x07';
      case 'x':
        return `\\u{${hex()}}`;
      default:
        if (isPunct(c)) return inClass ? classLit(c) : lit(c);
        throw NO;
    }
  };

  const charClass = (): string => {
    // i is after '['
    let s = '[';
    if (cs[i] === '^') {
      s += '^';
      i++;
    }
    let first = true;
    for (;;) {
      const c = cs[i];
      if (c === undefined) throw NO;
      if (c === ']' && !first) {
        i++;
        return s + ']';
      }
      first = false;
      if (c === '[' && cs[i + 1] === ':') throw NO;
      let item: string;
      if (c === '\\') {
        i++;
        const e = cs[i];
        if (e === 'd' || e === 'D' || e === 'w' || e === 'W' || e === 's' || e === 'S') {
          s += escape(true);
          continue;
        }
        item = escape(true);
      } else {
        item = classLit(c);
        i++;
      }
      if (cs[i] === '-' && cs[i + 1] !== undefined && cs[i + 1] !== ']') {
        i++;
        let hi: string;
        if (cs[i] === '\\') {
          i++;
          hi = escape(true);
        } else hi = classLit(cs[i++]);
        s += item + '-' + hi;
      } else s += item;
    }
  };

  const repeat = (q: string): void => {
    if (!haveAtom) throw NO;
    // an optional group (at most once) cannot make a backtracking engine take exponential time
    const once = q === '?' || /^\{[01](,[01]?)?\}$/.test(q);
    if (lastGroupRisky && !once) throw NO;
    markRisky();
    out += q;
    if (cs[i] === '?') {
      out += '?';
      i++;
    }
    haveAtom = false;
    lastGroupRisky = false;
  };

  try {
    while (i < cs.length) {
      const c = cs[i];
      if (c === '\\') {
        i++;
        const e = escape(false);
        out += e;
        haveAtom = e !== '^' && e !== '$' && e !== '\\b' && e !== '\\B';
        lastGroupRisky = false;
      } else if (c === '[') {
        i++;
        out += charClass();
        haveAtom = true;
        lastGroupRisky = false;
      } else if (c === '(') {
        i++;
        if (cs[i] === '?') {
          if (cs[i + 1] === ':') i += 2;
          else if (cs[i + 1] === 'P' && cs[i + 2] === '<') {
            const end = cs.indexOf('>', i);
            if (end < 0) throw NO;
            i = end + 1;
          } else throw NO; // flags, lookaround, other group kinds
        }
        out += '(?:';
        groups.push({ risky: false });
        haveAtom = false;
      } else if (c === ')') {
        i++;
        const g = groups.pop();
        if (!g) throw NO;
        out += ')';
        haveAtom = true;
        lastGroupRisky = g.risky;
      } else if (c === '|') {
        i++;
        markRisky();
        out += '|';
        haveAtom = false;
      } else if (c === '*' || c === '+' || c === '?') {
        i++;
        repeat(c);
      } else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(cs.slice(i, i + 16).join(''));
        if (m) {
          if (Number(m[1]) > 1000 || (m[3] !== undefined && m[3] !== '' && Number(m[3]) > 1000)) throw NO;
          i += m[0].length;
          repeat(m[0]);
        } else {
          i++;
          out += '\\{';
          haveAtom = true;
          lastGroupRisky = false;
        }
      } else if (c === '.') {
        i++;
        out += '[^\\n]';
        haveAtom = true;
        lastGroupRisky = false;
      } else if (c === '^' || c === '$') {
        i++;
        out += c;
        haveAtom = false;
        lastGroupRisky = false;
      } else {
        i++;
        out += lit(c);
        haveAtom = true;
        lastGroupRisky = false;
      }
    }
    if (groups.length > 0) return null;
    return out;
  } catch (e) {
    if (e instanceof Untranslatable) return null;
    throw e;
  }
}

const cache = new Map<string, RegExp | null>();

/** The cached translation: a RegExp, null (not translatable), or undefined (not seen yet). */
export function knownNativeRegex(pattern: string): RegExp | null | undefined {
  return cache.get(pattern);
}

/**
 * A JavaScript RegExp that matches exactly as RE2 does, or null (use re2js). Call only for a
 * pattern re2js accepted.
 */
export function nativeRegex(pattern: string): RegExp | null {
  let r = cache.get(pattern);
  if (r !== undefined) return r;
  const text = translateRe2(pattern);
  r = null;
  if (text !== null) {
    try {
      r = new RegExp(text, 'u');
    } catch {
      r = null;
    }
  }
  if (cache.size >= 4096) cache.delete(cache.keys().next().value as string); // oldest first
  cache.set(pattern, r);
  return r;
}
