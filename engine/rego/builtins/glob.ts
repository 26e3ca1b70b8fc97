/** glob.match and glob.quote_meta with gobwas/glob semantics, as OPA uses them. */
import type { Value } from '../value';
import { def, elemErr, fail, str, typeErr } from './util';
import type { BuiltinDef } from './types';

/** Compiled globs by pattern and delimiters, least recently used first (bounded: a waivers file
 * may hold thousands of patterns, and clearing the whole cache at a limit recompiled them all). */
const caches = new Map<string, Map<string, RegExp>>();
const CACHE_SIZE = 8192;

function esc(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Translates a gobwas glob to an anchored RegExp; `*` and `?` do not cross delimiters, `**` does. */
export function globToRegex(pattern: string, delimiters: string[]): RegExp {
  const byDelims = delimiters.join('\u0000');
  let cache = caches.get(byDelims);
  if (!cache) {
    cache = new Map();
    caches.set(byDelims, cache);
  }
  const hit = cache.get(pattern);
  if (hit) {
    cache.delete(pattern);
    cache.set(pattern, hit);
    return hit;
  }
  const notDelim = delimiters.length ? `[^${delimiters.map(esc).join('')}]` : '[\\s\\S]';
  let i = 0;
  const p = Array.from(pattern);
  function seq(inAlt: boolean): string {
    let out = '';
    while (i < p.length) {
      const c = p[i];
      if (inAlt && (c === ',' || c === '}')) return out;
      i++;
      switch (c) {
        case '\\':
          if (i >= p.length) fail(`unexpected end of input in ${JSON.stringify(pattern)}`);
          out += esc(p[i++]);
          break;
        case '*':
          if (p[i] === '*') {
            i++;
            out += '[\\s\\S]*';
          } else out += `${notDelim}*`;
          break;
        case '?':
          out += notDelim;
          break;
        case '[': {
          let neg = false;
          if (p[i] === '!') {
            neg = true;
            i++;
          }
          let cls = '';
          while (i < p.length && p[i] !== ']') {
            if (p[i] === '\\') i++;
            const a = p[i++];
            if (p[i] === '-' && p[i + 1] !== undefined && p[i + 1] !== ']') {
              const b = p[i + 1];
              i += 2;
              cls += `${esc(a)}-${esc(b)}`;
            } else cls += esc(a);
          }
          if (i >= p.length) fail(`unexpected end of input in ${JSON.stringify(pattern)}`);
          i++;
          out += neg ? `[^${cls}]` : `[${cls}]`;
          break;
        }
        case '{': {
          const alts: string[] = [];
          for (;;) {
            alts.push(seq(true));
            if (i >= p.length) fail(`unexpected end of input in ${JSON.stringify(pattern)}`);
            const d = p[i++];
            if (d === '}') break;
          }
          out += `(?:${alts.join('|')})`;
          break;
        }
        default:
          out += esc(c);
      }
    }
    return out;
  }
  const src = seq(false);
  const re = new RegExp(`^(?:${src})$`, 'u');
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(pattern, re);
  return re;
}

/** OPA: null means no delimiters; an array holds single runes, and an empty one means ["."]. */
function delimiterList(v: Value): string[] {
  if (v === null) return [];
  if (!Array.isArray(v)) return typeErr(2, v, 'array', 'null');
  const out: string[] = [];
  for (const e of v) {
    if (typeof e !== 'string') return elemErr(2, v, e, 'string');
    if (Array.from(e).length !== 1) return elemErr(2, v, e, 'rune');
    out.push(e);
  }
  return out.length ? out : ['.'];
}

export const glob: BuiltinDef[] = [
  def('glob.match', 3, (args) => {
    const pattern = str(args, 0);
    const delims = delimiterList(args[1]);
    const s = str(args, 2);
    return globToRegex(pattern, delims).test(s);
  }),
  def('glob.quote_meta', 1, (args) => str(args, 0).replace(/[*?\\[\]{}]/g, '\\$&')),
];
