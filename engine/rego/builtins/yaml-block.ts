/**
 * A fast reader for the plain block subset of YAML that Helm values files are written in:
 * block mappings and sequences, plain and single-line quoted scalars, comments. It returns
 * `undefined` for anything outside that subset (flow collections, block scalars, anchors, tags,
 * multi-line plain scalars, tabs, several documents, keys that are not plainly strings, ...),
 * and the caller then uses the full YAML parser, so results never differ from it: scalars that
 * could be anything but a string (`yes`, `0x1f`, `1e3`, `~`, ...) are resolved by the full parser
 * too (`resolveScalar`). Large values documents are read about ten times faster this way.
 */

export type YamlJson = null | boolean | number | string | YamlJson[] | { [key: string]: YamlJson };

/** Thrown inside the reader to give up on the fast path. */
class NotSimple extends Error {}
const NOT_SIMPLE = new NotSimple();

interface Line {
  /** Indentation (spaces). */
  readonly indent: number;
  /** The text after the indentation, comments and trailing spaces kept (see plainOrQuoted). */
  readonly text: string;
}

/** A plain scalar that is surely a string: it starts with a letter, `_` or `/` ... */
const SAFE_START = /^[A-Za-z_/]/;
/** ... and is not one of YAML 1.1's words for booleans and null. Others go to the full parser. */
const SPECIAL_WORD = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;
/** Characters that cannot start a plain scalar in the subset (indicators and flow/structure). */
const BAD_START = /^[[\]{}&*!|>%@`,?]/;

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    let i = start;
    while (i < end && text.charCodeAt(i) === 32) i++;
    if (i < end) {
      const c = text.charCodeAt(i);
      if (c !== 35 /* # */) {
        let e = end;
        while (e > i && text.charCodeAt(e - 1) === 32) e--;
        out.push({ indent: i - start, text: text.slice(i, e) });
      }
    }
    start = end + 1;
  }
  return out;
}

/**
 * Reads `text` if it is in the subset; `resolveScalar` resolves a plain scalar that may not be a
 * string (it must behave as the full parser on that scalar alone; undefined: give up).
 */
export function readBlockYaml(text: string, resolveScalar: (plain: string) => YamlJson | undefined): YamlJson | undefined {
  if (text.indexOf('\t') >= 0 || text.indexOf('\r') >= 0) return undefined;
  const lines = splitLines(text);
  let pos = 0;
  if (lines.length > 0 && lines[0].indent === 0 && lines[0].text === '---') pos = 1;
  if (pos >= lines.length) return undefined;
  for (let i = pos; i < lines.length; i++) {
    const t = lines[i].text;
    if (lines[i].indent === 0 && (t.startsWith('---') || t.startsWith('...'))) return undefined;
  }

  const scalar = (raw: string): YamlJson => {
    const s = stripComment(raw);
    if (s === '') return null;
    const c = s.charCodeAt(0);
    if (c === 34 /* " */) return doubleQuoted(s);
    if (c === 39 /* ' */) return singleQuoted(s);
    if (s === '{}') return {};
    if (s === '[]') return [];
    if (BAD_START.test(s) || s === '-' || s.startsWith('- ') || s.includes(': ') || s.endsWith(':')) throw NOT_SIMPLE;
    if (SAFE_START.test(s) && !SPECIAL_WORD.test(s)) return s;
    const r = resolveScalar(s);
    if (r === undefined) throw NOT_SIMPLE;
    return r;
  };

  /** `key: rest` → [key, rest] (rest may be ''); null when the line is not a mapping entry. */
  const entry = (t: string): [string, string] | null => {
    const c = t.charCodeAt(0);
    if (c === 34 || c === 39) {
      const close = quotedEnd(t);
      if (close < 0 || t.charCodeAt(close + 1) !== 58 /* : */) return null;
      const after = t.slice(close + 2);
      if (after !== '' && after.charCodeAt(0) !== 32) return null;
      const key = c === 34 ? doubleQuoted(t.slice(0, close + 1)) : singleQuoted(t.slice(0, close + 1));
      if (key === '__proto__' || key === '<<') throw NOT_SIMPLE;
      return [key, after.trimStart()];
    }
    let colon = t.indexOf(': ');
    if (colon < 0) {
      if (!t.endsWith(':')) return null;
      colon = t.length - 1;
    }
    const key = t.slice(0, colon);
    if (!SAFE_START.test(key) || SPECIAL_WORD.test(key) || key.includes(' #') || key === '__proto__' || key.endsWith(' ')) throw NOT_SIMPLE;
    return [key, t.slice(colon + 1).trimStart()];
  };

  const block = (indent: number): YamlJson => {
    const first = lines[pos];
    if (first.text === '-' || first.text.startsWith('- ')) return sequence(indent);
    return mapping(indent);
  };

  /** The value of an entry whose text after `key:` / `- ` is `rest`, the entry being at `indent`. */
  const valueAfter = (rest: string, indent: number, seqAllowedAtSameIndent: boolean): YamlJson => {
    if (stripComment(rest) !== '') return scalar(rest);
    if (pos >= lines.length) return null;
    const next = lines[pos];
    if (next.indent > indent) return block(next.indent);
    if (seqAllowedAtSameIndent && next.indent === indent && (next.text === '-' || next.text.startsWith('- '))) return sequence(indent);
    return null;
  };

  const mapping = (indent: number, firstLineText?: string): YamlJson => {
    const out: { [key: string]: YamlJson } = {};
    const seen = new Set<string>();
    let first = firstLineText;
    for (;;) {
      let t: string;
      if (first !== undefined) {
        // the entry on a sequence item's dash line (already consumed)
        t = first;
        first = undefined;
      } else {
        if (pos >= lines.length) break;
        const l = lines[pos];
        if (l.indent < indent) break;
        if (l.indent > indent) throw NOT_SIMPLE;
        t = l.text;
        pos++;
      }
      const e = entry(t);
      if (e === null) throw NOT_SIMPLE;
      const [key, rest] = e;
      if (seen.has(key)) throw NOT_SIMPLE; // the full parser reports duplicates
      seen.add(key);
      out[key] = valueAfter(rest, indent, true);
    }
    return out;
  };

  const sequence = (indent: number): YamlJson => {
    const out: YamlJson[] = [];
    while (pos < lines.length) {
      const l = lines[pos];
      if (l.indent < indent) break;
      if (l.indent > indent) throw NOT_SIMPLE;
      if (l.text !== '-' && !l.text.startsWith('- ')) break;
      pos++;
      const rest = l.text === '-' ? '' : l.text.slice(2);
      const content = rest.trimStart();
      const col = indent + 2 + (rest.length - content.length);
      if (content === '' || content.startsWith('#')) {
        out.push(valueAfter('', indent, false));
        continue;
      }
      if (content === '-' || content.startsWith('- ')) throw NOT_SIMPLE;
      const c = content.charCodeAt(0);
      const looksLikeEntry = c === 34 || c === 39 ? entryAfterQuote(content) : content.includes(': ') || content.endsWith(':');
      if (looksLikeEntry) {
        // a compact mapping: its first entry is on the dash line, the others at its column
        out.push(mapping(col, content));
        continue;
      }
      out.push(scalar(content));
    }
    return out;
  };

  try {
    const top = lines[pos];
    if (top.indent !== 0) return undefined;
    const isSeq = top.text === '-' || top.text.startsWith('- ');
    if (!isSeq && entry(top.text) === null) return undefined;
    const v = block(0);
    if (pos !== lines.length) return undefined;
    return v;
  } catch (e) {
    if (e instanceof NotSimple) return undefined;
    throw e;
  }
}

/** A quoted scalar followed by `:` (a mapping entry with a quoted key). */
function entryAfterQuote(t: string): boolean {
  const close = quotedEnd(t);
  return close >= 0 && t.charCodeAt(close + 1) === 58 && (close + 2 === t.length || t.charCodeAt(close + 2) === 32);
}

/** Index of the closing quote of the quoted scalar starting at 0, or -1. */
function quotedEnd(t: string): number {
  const q = t.charCodeAt(0);
  for (let i = 1; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (q === 34 && c === 92 /* \ */) {
      i++;
      continue;
    }
    if (c === q) {
      if (q === 39 && t.charCodeAt(i + 1) === 39) {
        i++;
        continue;
      }
      return i;
    }
  }
  return -1;
}

/** A plain scalar's text without a trailing ` # comment` (quoted scalars are handled apart). */
function stripComment(raw: string): string {
  const c = raw.charCodeAt(0);
  if (c === 34 || c === 39) {
    const close = quotedEnd(raw);
    if (close < 0) throw NOT_SIMPLE;
    const after = raw.slice(close + 1).trimStart();
    if (after !== '' && !after.startsWith('#')) throw NOT_SIMPLE;
    if (after.startsWith('#') && raw.charCodeAt(close + 1) !== 32) throw NOT_SIMPLE;
    return raw.slice(0, close + 1);
  }
  if (raw.startsWith('#')) return '';
  const hash = raw.indexOf(' #');
  return (hash < 0 ? raw : raw.slice(0, hash)).trimEnd();
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0', ' ': ' ' };

function doubleQuoted(s: string): string {
  const close = quotedEnd(s);
  if (close !== s.length - 1) throw NOT_SIMPLE;
  let out = '';
  for (let i = 1; i < close; i++) {
    const ch = s[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = s[++i];
    const simple = ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) {
      const code = parseInt(s.slice(i + 1, i + 5), 16);
      if (code >= 0xd800 && code <= 0xdfff) throw NOT_SIMPLE;
      out += String.fromCharCode(code);
      i += 4;
      continue;
    }
    throw NOT_SIMPLE;
  }
  return out;
}

function singleQuoted(s: string): string {
  const close = quotedEnd(s);
  if (close !== s.length - 1) throw NOT_SIMPLE;
  return s.slice(1, close).replace(/''/g, "'");
}
