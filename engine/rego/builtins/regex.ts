/**
 * Regular expressions with RE2 semantics, as OPA's Go `regexp`: patterns are compiled by re2js, a
 * pure-JavaScript port of RE2 (no native addon, so nothing to build on a user's machine, and
 * synchronous, which the evaluator needs). RE2 refuses backreferences and lookaround, knows `\z`
 * but not `\Z`, `\x{41}`, `(?i)` anywhere in the pattern, and Unicode-aware `.`; its syntax errors
 * read as Go's (`error parsing regexp: invalid escape sequence: \`\Z\``).
 */
import { RE2JS } from 're2js';
import type { Value } from '../value';
import { knownNativeRegex, nativeRegex } from './regex-native';
import { def, fail, int, str } from './util';
import type { BuiltinDef } from './types';

/** Compiled patterns, least recently used first (a bounded cache: policies use a few dozen). */
const cache = new Map<string, RE2JS | Error>();
const CACHE_SIZE = 4096;

/** The compiled pattern; invalid patterns fail as OPA's builtins do (Go's message). */
export function compileRegex(pattern: string): RE2JS {
  let r = cache.get(pattern);
  if (r) {
    cache.delete(pattern);
    cache.set(pattern, r);
  } else {
    try {
      r = RE2JS.compile(pattern);
    } catch (e) {
      r = new Error((e as Error).message);
    }
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(pattern, r);
  }
  if (r instanceof Error) return fail(r.message);
  return r;
}

/** regex.match: V8's engine where it matches as RE2 does (regex-native.ts), else re2js. */
function matches(pattern: string, s: string): boolean {
  let native = knownNativeRegex(pattern);
  if (native === undefined) {
    compileRegex(pattern); // RE2 decides what is valid
    native = nativeRegex(pattern);
  }
  return native ? native.test(s) : compileRegex(pattern).matcher(s).find();
}

/** One match: the whole match and each group (null when the group did not take part). */
export interface Match {
  start: number;
  end: number;
  groups: Array<string | null>;
  named: Record<string, string | null>;
}

/**
 * Go's FindAll semantics: successive non-overlapping matches, at most `n` (all when n < 0);
 * an empty match abutting the preceding match is ignored.
 */
export function findAll(re: RE2JS, s: string, n: number): Match[] {
  const out: Match[] = [];
  if (n === 0) return out;
  const m = re.matcher(s);
  let pos = 0;
  let prevEnd = -1;
  while ((n < 0 || out.length < n) && pos <= s.length && m.find(pos)) {
    const start = m.start();
    const end = m.end();
    if (end === start) {
      const cp = s.codePointAt(start);
      pos = start + (cp !== undefined && cp > 0xffff ? 2 : 1);
      if (start === prevEnd) continue;
    } else pos = end;
    const groups: Array<string | null> = [];
    for (let g = 0; g <= m.groupCount(); g++) groups.push(m.group(g));
    out.push({ start, end, groups, named: m.getNamedGroups() });
    prevEnd = end;
  }
  return out;
}

/** Go's Regexp.Split. */
function goSplit(re: RE2JS, s: string, n: number): string[] {
  if (n === 0) return [];
  if (re.pattern() !== '' && s.length === 0) return [''];
  const matches = findAll(re, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && out.length === n - 1) break;
    end = m.start;
    if (m.end !== 0) out.push(s.slice(beg, end));
    beg = m.end;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** Go's Regexp.Expand template syntax: `$1`, `${1}`, `$name` (longest run of word characters), `$$`. */
function expand(template: string, m: Match): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_all, d: string, braced?: string, bare?: string) => {
    if (d === '$') return '$';
    const name = braced ?? bare ?? '';
    if (/^\d+$/.test(name)) return m.groups[Number(name)] ?? '';
    return m.named[name] ?? '';
  });
}

/** Go's regexp.QuoteMeta. */
function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/**
 * OPA's regex.template_match: the template is literal text with regular expressions between the
 * delimiters (`urn:foo:{.*}`); braces must balance (OPA reuses gorilla/mux's template parser).
 */
function templateRegex(template: string, open: string, close: string): RE2JS {
  const idxs: number[] = [];
  let level = 0;
  let idx = 0;
  for (let i = 0; i < template.length; i++) {
    if (template[i] === open) {
      if (level++ === 0) idx = i;
    } else if (template[i] === close) {
      if (--level === 0) idxs.push(idx, i + 1);
      else if (level < 0) return fail(`unbalanced braces in "${template}"`);
    }
  }
  if (level !== 0) return fail(`unbalanced braces in "${template}"`);
  let pattern = '^';
  let end = 0;
  for (let i = 0; i < idxs.length; i += 2) {
    pattern += `${quoteMeta(template.slice(end, idxs[i]))}(${template.slice(idxs[i] + 1, idxs[i + 1] - 1)})`;
    end = idxs[i + 1];
  }
  return compileRegex(pattern + quoteMeta(template.slice(end)) + '$');
}

function firstChar(args: Value[], i: number): string {
  const s = str(args, i);
  return Array.from(s)[0] ?? '';
}

export const regex: BuiltinDef[] = [
  def('regex.match', 2, (args) => matches(str(args, 0), str(args, 1))),
  def('regex.is_valid', 1, ([p]) => {
    if (typeof p !== 'string') return false;
    try {
      compileRegex(p);
      return true;
    } catch {
      return false;
    }
  }),
  def('regex.find_n', 3, (args) => findAll(compileRegex(str(args, 0)), str(args, 1), int(args, 2)).map((m) => m.groups[0] ?? '')),
  def('regex.find_all_string_submatch_n', 3, (args) =>
    findAll(compileRegex(str(args, 0)), str(args, 1), int(args, 2)).map((m) => m.groups.map((g) => g ?? '') as Value[]),
  ),
  def('regex.split', 2, (args) => goSplit(compileRegex(str(args, 0)), str(args, 1), -1)),
  def('regex.replace', 3, (args) => {
    const s = str(args, 0);
    const re = compileRegex(str(args, 1));
    const t = str(args, 2);
    let out = '';
    let last = 0;
    for (const m of findAll(re, s, -1)) {
      out += s.slice(last, m.start) + expand(t, m);
      last = m.end;
    }
    return out + s.slice(last);
  }),
  def('regex.template_match', 4, (args) => {
    const re = templateRegex(str(args, 0), firstChar(args, 2), firstChar(args, 3));
    return re.matcher(str(args, 1)).find();
  }),
];

/** The name OPA 1.x removed (v0-compatible modules only). */
export const regexLegacy: BuiltinDef[] = [def('re_match', 2, (args, ctx) => regex[0].fn(args, ctx), { label: 're_match' })];
