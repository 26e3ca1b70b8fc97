/** Encodings: json.*, yaml.*, base64.*, base64url.*, hex.*, urlquery.*. */
import { parse as parseYaml, stringify as stringifyYaml, YAMLParseError, type Tags } from 'yaml';
import type { JsonValue } from '../../engine';
import { RObject, RSet, formatNumber, fromJson, isObject, objEntries, objForEach, objGetStr, objSortedEntries, toJson, typeName, type ObjectValue, type Value } from '../value';
import { def, fail, obj, operandErr, str, typeErr } from './util';
import { readBlockYaml, type YamlJson } from './yaml-block';
import type { BuiltinDef } from './types';

/** Go's json.Marshal escaping (HTML-safe: <, >, & and U+2028/2029 as \u escapes). */
function quoteJson(s: string): string {
  return JSON.stringify(s).replace(
    /[<>&\u2028\u2029]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

function numberText(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString();
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return formatNumber(n);
  return String(n); // JS and Go's encoding/json agree: 0.1, 1e-7, 1e+21
}

/** Compact or indented JSON text of a Rego value, as OPA's json.marshal writes it (keys sorted). */
export function marshal(v: Value, indent = '', prefix = '', depth = 0): string {
  const nl = indent || prefix ? '\n' + prefix + indent.repeat(depth + 1) : '';
  const end = indent || prefix ? '\n' + prefix + indent.repeat(depth) : '';
  const colon = indent || prefix ? ': ' : ':';
  switch (typeof v) {
    case 'string':
      return quoteJson(v);
    case 'number':
    case 'bigint':
      return numberText(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      break;
  }
  if (v === null) return 'null';
  const items = Array.isArray(v) ? v : v instanceof RSet ? v.sorted() : undefined;
  if (items) {
    if (items.length === 0) return '[]';
    return '[' + items.map((x) => nl + marshal(x, indent, prefix, depth + 1)).join(',') + end + ']';
  }
  const entries = objEntries(v as ObjectValue)
    .map(([k, x]): [string, Value] => [typeof k === 'string' ? k : marshal(k), x]);
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (entries.length === 0) return '{}';
  return (
    '{' +
    entries.map(([k, x]) => nl + quoteJson(k) + colon + marshal(x, indent, prefix, depth + 1)).join(',') +
    end +
    '}'
  );
}

function unmarshalJson(s: string): Value {
  try {
    return fromJson(JSON.parse(s) as JsonValue);
  } catch (e) {
    return fail((e as Error).message);
  }
}

function yamlError(e: unknown, text: string): never {
  if (e instanceof YAMLParseError) {
    const line = e.linePos?.[0]?.line ?? 1;
    if (
      /flow (sequence|collection|map)|Missing , or :|Expected flow/i.test(e.message) ||
      e.code === 'MISSING_CHAR'
    ) {
      const closer = text.trimStart().startsWith('{') ? "'}'" : "']'";
      return fail(`yaml: line ${line}: did not find expected ',' or ${closer}`);
    }
    return fail(`yaml: line ${line}: ${e.message.split('\n')[0]}`);
  }
  return fail(`yaml: ${(e as Error).message}`);
}

/**
 * OPA reads YAML with sigs.k8s.io/yaml over go-yaml v2: YAML 1.1 scalars (`yes` is true), but a
 * timestamp-like scalar stays the string it was written as (go-yaml v2 keeps it a string for an
 * untyped target), and so do sexagesimal numbers, which go-yaml v2 does not read.
 */
const YAML_OPTIONS = {
  version: '1.1',
  uniqueKeys: true,
  customTags: (tags: Tags): Tags => tags.filter((t) => typeof t === 'string' || !isTimeTag(t)),
} as const;

/** The YAML 1.1 tags go-yaml v2 does not apply to untyped values: timestamps and base-60 numbers. */
function isTimeTag(t: object): boolean {
  const { tag, format } = t as { tag?: string; format?: string };
  return tag === 'tag:yaml.org,2002:timestamp' || format === 'TIME';
}

/** Plain scalars resolved by the full parser for the block reader (yaml-block.ts), by text. */
const plainScalars = new Map<string, YamlJson | undefined>();

function resolvePlainScalar(s: string): YamlJson | undefined {
  if (plainScalars.has(s)) return plainScalars.get(s);
  let v: YamlJson | undefined;
  try {
    v = normaliseYaml(parseYaml(s, YAML_OPTIONS)) as YamlJson;
  } catch {
    v = undefined;
  }
  if (plainScalars.size >= 10000) plainScalars.clear();
  plainScalars.set(s, v);
  return v;
}

function parseYamlText(s: string): Value {
  const fast = readBlockYaml(s, resolvePlainScalar);
  if (fast !== undefined) return fromJson(fast as JsonValue);
  let doc: unknown;
  try {
    doc = parseYaml(s, { ...YAML_OPTIONS, maxAliasCount: 1000 });
  } catch (e) {
    return yamlError(e, s);
  }
  return fromJson(normaliseYaml(doc) as JsonValue);
}

/** YAML values that JSON lacks (dates, binary, non-string keys) become JSON as Go's YAMLToJSON does. */
function normaliseYaml(x: unknown): unknown {
  if (x === undefined) return null;
  if (x instanceof Date) return x.toISOString();
  if (x instanceof Uint8Array) return Buffer.from(x).toString('base64');
  if (Array.isArray(x)) return x.map(normaliseYaml);
  if (x instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of x) o[String(k)] = normaliseYaml(v);
    return o;
  }
  if (typeof x === 'bigint') return Number(x);
  if (x !== null && typeof x === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) o[k] = normaliseYaml(v);
    return o;
  }
  return x;
}

function b64decode(s: string, url: boolean): string {
  const alphabet = url ? /^[A-Za-z0-9_-]*={0,2}$/ : /^[A-Za-z0-9+/]*={0,2}$/;
  if (!alphabet.test(s) || (!url && s.length % 4 !== 0))
    return fail('illegal base64 data at input byte ' + Math.max(0, s.search(/[^A-Za-z0-9+/=_-]/)));
  return Buffer.from(s, url ? 'base64url' : 'base64').toString('utf8');
}

/** Go's url.QueryEscape. */
function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%7E/g, '~');
}

function queryUnescape(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return fail(`invalid URL escape ${JSON.stringify(s)}`);
  }
}

/** A path tree for json.filter / json.remove: `a/b/0` strings or arrays of keys. */
interface PathTree {
  leaf: boolean;
  kids: Map<string, PathTree>;
}

function jsonPaths(v: Value): PathTree {
  const root: PathTree = { leaf: false, kids: new Map() };
  const list = Array.isArray(v) ? v : v instanceof RSet ? v.sorted() : typeErr(2, v, 'set', 'array');
  for (const p of list) {
    let segs: string[];
    if (typeof p === 'string')
      // as OPA: leading slashes trimmed, every other segment kept (`a//b` has an empty key)
      segs = p === '' ? [] : p.replace(/^\/+/, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    else if (Array.isArray(p)) segs = p.map((s) => (typeof s === 'string' ? s : marshal(s)));
    else return operandErr(2, `must be one of {set, array} containing string paths or array of path segments but got ${typeName(p)}`);
    let node = root;
    for (const s of segs) {
      let next = node.kids.get(s);
      if (!next) {
        next = { leaf: false, kids: new Map() };
        node.kids.set(s, next);
      }
      node = next;
    }
    node.leaf = true;
  }
  return root;
}

function keyText(k: Value): string {
  return typeof k === 'string' ? k : marshal(k);
}

/** keep=true: only the listed paths (json.filter); keep=false: everything but them (json.remove). */
function filterPaths(v: Value, t: PathTree, keep: boolean): Value {
  if (t.leaf) return v;
  if (isObject(v)) {
    const out = new RObject();
    objForEach(v, (k, x) => {
      const sub = t.kids.get(keyText(k));
      if (keep && sub) out.set(k, filterPaths(x, sub, keep));
      else if (!keep && !sub) out.set(k, x);
      else if (!keep && sub && !sub.leaf) out.set(k, filterPaths(x, sub, keep));
    });
    return out;
  }
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const sub = t.kids.get(String(i));
      if (keep && sub) out.push(filterPaths(x, sub, keep));
      else if (!keep && !sub) out.push(x);
      else if (!keep && sub && !sub.leaf) out.push(filterPaths(x, sub, keep));
    });
    return out;
  }
  if (v instanceof RSet) {
    const out = new RSet();
    for (const x of v.sorted()) {
      const sub = t.kids.get(keyText(x));
      if (keep && sub) out.add(filterPaths(x, sub, keep));
      else if (!keep && !sub) out.add(x);
      else if (!keep && sub && !sub.leaf) out.add(filterPaths(x, sub, keep));
    }
    return out;
  }
  return v;
}

export const encoding: BuiltinDef[] = [
  def('json.marshal', 1, ([v]) => marshal(v)),
  def('json.marshal_with_options', 2, (args) => {
    const o = obj(args, 1);
    const pretty = objGetStr(o, 'pretty');
    const indentV = objGetStr(o, 'indent');
    const prefixV = objGetStr(o, 'prefix');
    for (const [k] of objEntries(o)) {
      if (k !== 'pretty' && k !== 'indent' && k !== 'prefix')
        fail(`object contained unknown key ${JSON.stringify(k)}`);
    }
    const indent = typeof indentV === 'string' ? indentV : '\t';
    const prefix = typeof prefixV === 'string' ? prefixV : '';
    if (pretty === false || (pretty === undefined && indentV === undefined && prefixV === undefined))
      return marshal(args[0]);
    return prefix + marshal(args[0], indent, prefix);
  }),
  def('json.unmarshal', 1, (args) => unmarshalJson(str(args, 0))),
  def('json.is_valid', 1, ([v]) => {
    if (typeof v !== 'string') return false;
    try {
      JSON.parse(v);
      return true;
    } catch {
      return false;
    }
  }),
  def('yaml.marshal', 1, ([v]) =>
    stringifyYaml(toJson(v), { indentSeq: false, sortMapEntries: true, lineWidth: 0 }),
  ),
  def('yaml.unmarshal', 1, (args) => parseYamlText(str(args, 0))),
  def('yaml.is_valid', 1, ([v]) => {
    if (typeof v !== 'string') return false;
    if (readBlockYaml(v, resolvePlainScalar) !== undefined) return true;
    try {
      parseYaml(v, YAML_OPTIONS);
      return true;
    } catch {
      return false;
    }
  }),
  def('base64.encode', 1, (args) => Buffer.from(str(args, 0), 'utf8').toString('base64')),
  def('base64.decode', 1, (args) => b64decode(str(args, 0), false)),
  def(
    'base64.is_valid',
    1,
    ([v]) => typeof v === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0,
  ),
  def('base64url.encode', 1, (args) => {
    const s = Buffer.from(str(args, 0), 'utf8').toString('base64url');
    return s + '='.repeat((4 - (s.length % 4)) % 4);
  }),
  def('base64url.encode_no_pad', 1, (args) => Buffer.from(str(args, 0), 'utf8').toString('base64url')),
  def('base64url.decode', 1, (args) => b64decode(str(args, 0), true)),
  def('hex.encode', 1, (args) => Buffer.from(str(args, 0), 'utf8').toString('hex')),
  def('hex.decode', 1, (args) => {
    const bytes = Buffer.from(str(args, 0), 'utf8');
    // Go's hex.DecodeString: the first bad byte (as %#U of the byte), else an odd length
    const bad = (b: number | undefined): boolean => b !== undefined && !((b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102));
    for (let i = 0; i + 1 < bytes.length; i += 2) {
      for (const b of [bytes[i], bytes[i + 1]]) if (bad(b)) return fail(`encoding/hex: invalid byte: ${goRuneU(b)}`);
    }
    if (bytes.length % 2 === 1) {
      if (bad(bytes[bytes.length - 1])) return fail(`encoding/hex: invalid byte: ${goRuneU(bytes[bytes.length - 1])}`);
      return fail('encoding/hex: odd length hex string');
    }
    return Buffer.from(bytes.toString('latin1'), 'hex').toString('utf8');
  }),
  def('urlquery.encode', 1, (args) => queryEscape(str(args, 0))),
  def('urlquery.decode', 1, (args) => queryUnescape(str(args, 0))),
  def('urlquery.decode_object', 1, (args) => {
    const s = str(args, 0);
    const out = new RObject();
    for (const part of s.split(/[&;]/)) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const k = queryUnescape(eq < 0 ? part : part.slice(0, eq));
      const val = eq < 0 ? '' : queryUnescape(part.slice(eq + 1));
      const prev = out.getStr(k);
      out.set(k, [...(Array.isArray(prev) ? prev : []), val]);
    }
    return out;
  }),
  def('json.filter', 2, (args) => filterPaths(obj(args, 0), jsonPaths(args[1]), true)),
  def('json.remove', 2, (args) => filterPaths(obj(args, 0), jsonPaths(args[1]), false)),
  def('urlquery.encode_object', 1, (args) => {
    const o = obj(args, 0);
    const parts: string[] = [];
    for (const [k, v] of objSortedEntries(o)) {
      if (typeof k !== 'string') return typeErr(1, k, 'string');
      const vals =
        typeof v === 'string'
          ? [v]
          : Array.isArray(v)
            ? v
            : v instanceof RSet
              ? v.sorted()
              : typeErr(1, v, 'string', 'array', 'set');
      for (const x of vals) {
        if (typeof x !== 'string') return typeErr(1, x, 'string');
        parts.push(`${queryEscape(k)}=${queryEscape(x)}`);
      }
    }
    return parts.join('&');
  }),
];

/** Go's %#U of a byte taken as a rune: `U+0067 'g'` (no quoted form for non-printable ones). */
function goRuneU(b: number): string {
  const hex = b.toString(16).toUpperCase().padStart(4, '0');
  const printable = (b >= 0x20 && b < 0x7f) || b >= 0xa1;
  return printable && b !== 0xad ? `U+${hex} '${String.fromCharCode(b)}'` : `U+${hex}`;
}
