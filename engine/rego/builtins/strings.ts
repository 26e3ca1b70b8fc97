/** String builtins (OPA topdown/strings.go): concat, split, trim family, sprintf, indexof, … */
import { RSet, isInteger, isObject, objSortedEntries, type Value } from '../value';
import { sprintf } from './sprintf';
import { def, fail, int, num, operandErr, runeLength, str, strings as stringList, typeErr } from './util';
import type { BuiltinDef } from './types';

const runes = (s: string): string[] => Array.from(s);

function trimLeftSet(s: string, cut: string): string {
  const set = new Set(runes(cut));
  const r = runes(s);
  let i = 0;
  while (i < r.length && set.has(r[i])) i++;
  return r.slice(i).join('');
}

function trimRightSet(s: string, cut: string): string {
  const set = new Set(runes(cut));
  const r = runes(s);
  let j = r.length;
  while (j > 0 && set.has(r[j - 1])) j--;
  return r.slice(0, j).join('');
}

/** Go's unicode.IsSpace set, as strings.TrimSpace uses. */
const SPACE =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** Go's strings.Replace with n = -1 (empty `old` inserts `new` around every rune). */
export function replaceAll(s: string, old: string, repl: string): string {
  if (old === '') return repl + runes(s).join(repl) + (s === '' ? '' : repl);
  return s.split(old).join(repl);
}

/** Go's strings.Split (empty separator splits into runes). */
function goSplit(s: string, sep: string): string[] {
  if (sep === '') return runes(s);
  return s.split(sep);
}

/** Go's strings.Count: non-overlapping; empty substring counts runes + 1. */
function goCount(s: string, sub: string): number {
  if (sub === '') return runeLength(s) + 1;
  let n = 0;
  let i = s.indexOf(sub);
  while (i >= 0) {
    n++;
    i = s.indexOf(sub, i + sub.length);
  }
  return n;
}

/** Index in code points of a UTF-16 offset. */
function runeIndex(s: string, utf16: number): number {
  return runeLength(s.slice(0, utf16));
}

function anyMatch(name: 'prefix' | 'suffix') {
  return (args: Value[]): Value => {
    const search = stringList(args, 0, ['string', 'set', 'array']);
    const base = stringList(args, 1, ['string', 'set', 'array']);
    for (const s of search)
      for (const b of base) if (name === 'prefix' ? s.startsWith(b) : s.endsWith(b)) return true;
    return false;
  };
}

export const strings: BuiltinDef[] = [
  def('concat', 2, (args) => {
    const d = str(args, 0);
    const v = args[1];
    if (!Array.isArray(v) && !(v instanceof RSet)) return typeErr(2, v, 'set', 'array');
    return stringList(args, 1, ['set', 'array']).join(d);
  }),
  def('contains', 2, (args) => str(args, 0).includes(str(args, 1))),
  def('startswith', 2, (args) => str(args, 0).startsWith(str(args, 1))),
  def('endswith', 2, (args) => str(args, 0).endsWith(str(args, 1))),
  def('lower', 1, (args) => mapRunes(str(args, 0), 'lower')),
  def('upper', 1, (args) => mapRunes(str(args, 0), 'upper')),
  def('split', 2, (args) => goSplit(str(args, 0), str(args, 1))),
  def('trim', 2, (args) => trimRightSet(trimLeftSet(str(args, 0), str(args, 1)), str(args, 1))),
  def('trim_left', 2, (args) => trimLeftSet(str(args, 0), str(args, 1))),
  def('trim_right', 2, (args) => trimRightSet(str(args, 0), str(args, 1))),
  def('trim_prefix', 2, (args) => {
    const s = str(args, 0);
    const p = str(args, 1);
    return s.startsWith(p) ? s.slice(p.length) : s;
  }),
  def('trim_suffix', 2, (args) => {
    const s = str(args, 0);
    const p = str(args, 1);
    return p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
  }),
  def('trim_space', 1, (args) => str(args, 0).replace(SPACE, '')),
  def('replace', 3, (args) => replaceAll(str(args, 0), str(args, 1), str(args, 2))),
  def('strings.replace_n', 2, (args) => {
    const v = args[0];
    if (!isObject(v)) return typeErr(1, v, 'object');
    const s = str(args, 1);
    const pairs: Array<[string, string]> = [];
    for (const [k, x] of objSortedEntries(v)) {
      if (typeof k !== 'string') return operandErr(1, 'non-string key found in pattern object');
      if (typeof x !== 'string') return operandErr(1, 'non-string value found in pattern object');
      pairs.push([k, x]);
    }
    // Go's strings.NewReplacer: at each position the first pattern (in argument order) that matches wins.
    let out = '';
    let i = 0;
    outer: while (i < s.length) {
      for (const [k, x] of pairs) {
        if (k !== '' && s.startsWith(k, i)) {
          out += x;
          i += k.length;
          continue outer;
        }
      }
      out += s[i++];
    }
    return out;
  }),
  def('sprintf', 2, (args) => {
    const f = str(args, 0);
    const v = args[1];
    if (!Array.isArray(v)) return typeErr(2, v, 'array');
    return sprintf(f, v);
  }),
  def('format_int', 2, (args) => {
    const n = num(args, 0);
    const base = num(args, 1);
    if (!isInteger(base) || ![2, 8, 10, 16].includes(Number(base)))
      return operandErr(2, 'must be one of {2, 8, 10, 16}');
    let b: bigint;
    if (typeof n === 'bigint') b = n;
    else b = BigInt(Math.trunc(n));
    return b.toString(Number(base));
  }),
  def('indexof', 2, (args) => {
    const s = str(args, 0);
    const sub = str(args, 1);
    if (sub === '') return fail('empty search character');
    const i = s.indexOf(sub);
    return i < 0 ? -1 : runeIndex(s, i);
  }),
  def('indexof_n', 2, (args) => {
    const s = str(args, 0);
    const sub = str(args, 1);
    if (sub === '') return fail('empty search character');
    const out: Value[] = [];
    let i = s.indexOf(sub);
    while (i >= 0) {
      out.push(runeIndex(s, i));
      i = s.indexOf(sub, i + 1);
    }
    return out;
  }),
  def('substring', 3, (args) => {
    const s = str(args, 0);
    const off = int(args, 1);
    const len = int(args, 2);
    if (off < 0) return fail('negative offset');
    const r = runes(s);
    if (off >= r.length) return '';
    if (len < 0) return r.slice(off).join('');
    return r.slice(off, Math.min(r.length, off + len)).join('');
  }),
  def('strings.any_prefix_match', 2, anyMatch('prefix')),
  def('strings.any_suffix_match', 2, anyMatch('suffix')),
  def('strings.reverse', 1, (args) => runes(str(args, 0)).reverse().join(''), { label: 'reverse' }),
  def('strings.count', 2, (args) => goCount(str(args, 0), str(args, 1))),
  def('strings.render_template', 2, () => fail('not supported: strings.render_template')),
];

/**
 * Go's strings.ToUpper/ToLower: each rune by its simple (one-rune) case mapping, without
 * context. JavaScript's full mapping turns ß into SS and a final Σ into ς; Go keeps ß and
 * lowers every Σ to σ. A rune whose full mapping is several runes keeps itself, except İ,
 * whose simple lower case is i.
 */
export function mapRunes(s: string, to: 'upper' | 'lower'): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return to === 'upper' ? s.toUpperCase() : s.toLowerCase();
  let out = '';
  for (const ch of s) {
    if (to === 'lower' && ch === '\u0130') {
      out += 'i';
      continue;
    }
    const m = to === 'upper' ? ch.toUpperCase() : ch.toLowerCase();
    out += [...m].length === 1 ? m : ch;
  }
  return out;
}
