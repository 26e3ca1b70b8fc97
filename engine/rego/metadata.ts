/**
 * `# METADATA` annotations: the YAML comment blocks (parsed with the `yaml` package), their
 * attachment scopes, and the values `rego.metadata.rule()` / `chain()` return (OPA's shapes).
 */
import { parse as parseYaml } from 'yaml';
import type { RawAnnotation } from './ast';
import { RegoError, type Location } from './errors';
import type { Comment } from './lexer';
import { RObject, makeObject, type Value } from './value';

export interface Annotation {
  scope: 'rule' | 'document' | 'package' | 'subpackages';
  title?: string;
  description?: string;
  custom?: Record<string, unknown>;
  /** e.g. data.kz.residency.store.deny */
  path: string;
  location: Location;
  [key: string]: unknown;
}

/** A document-scope annotation found on another definition of the same rule. */
export type RawDoc = { scope: string; data: Record<string, unknown> };


export interface MetaBlock {
  endRow: number;
  ann: RawAnnotation;
}

/** YAML of METADATA blocks, parsed once per text (the yaml package costs ~1 ms a block). */
const yamlCache = new Map<string, string>();

function parseYamlCached(text: string): unknown {
  const hit = yamlCache.get(text);
  if (hit !== undefined) return JSON.parse(hit) as unknown;
  const v: unknown = parseYaml(text);
  if (yamlCache.size < 5000) yamlCache.set(text, JSON.stringify(v ?? null));
  return v;
}

export function metadataBlocks(comments: Comment[], file: string): MetaBlock[] {
  const out: MetaBlock[] = [];
  for (let i = 0; i < comments.length; i++) {
    const c = comments[i];
    if (c.text.trim() !== 'METADATA') continue;
    const lines: string[] = [];
    let j = i + 1;
    let lastRow = c.row;
    while (j < comments.length && comments[j].row === lastRow + 1 && comments[j].col === c.col) {
      lines.push(comments[j].text.startsWith(' ') ? comments[j].text.slice(1) : comments[j].text);
      lastRow = comments[j].row;
      j++;
    }
    const loc = { file, row: c.row, col: c.col };
    let data: unknown;
    try {
      data = parseYamlCached(lines.join('\n'));
    } catch (e) {
      throw new RegoError('rego_parse_error', `yaml: ${(e as Error).message.split('\n')[0]}`, loc);
    }
    if (data === null || data === undefined) data = {};
    if (typeof data !== 'object' || Array.isArray(data)) throw new RegoError('rego_parse_error', 'METADATA block must be a YAML map', loc);
    const rec = data as Record<string, unknown>;
    const scope = typeof rec.scope === 'string' ? rec.scope : undefined;
    if (scope !== undefined && !['rule', 'document', 'package', 'subpackages'].includes(scope)) {
      throw new RegoError('rego_parse_error', `invalid annotation scope '${scope}'`, loc);
    }
    out.push({ endRow: lastRow, ann: { scope, data: rec, loc } });
    i = j - 1;
  }
  return out;
}

export function toAnnotation(data: Record<string, unknown>, scope: Annotation['scope'], path: string, loc: Location): Annotation {
  const a: Annotation = { ...data, scope, path, location: loc } as Annotation;
  return a;
}

function jsonish(x: unknown): Value {
  if (x === null || x === undefined) return null;
  if (typeof x === 'string' || typeof x === 'boolean' || typeof x === 'number') return x;
  if (x instanceof Date) return x.toISOString();
  if (Array.isArray(x)) return x.map(jsonish);
  if (typeof x === 'object') {
    const o = new RObject();
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) o.set(k, jsonish(v));
    return o;
  }
  return String(x);
}

/** The annotation as `rego.metadata` returns it. */
export function annotationValue(a: Annotation | RawDoc | null): Value {
  if (!a) return new RObject();
  const src: Record<string, unknown> = 'data' in a && !('location' in a) ? { ...(a as RawDoc).data, scope: a.scope } : { ...a };
  delete src.path;
  delete src.location;
  const o = new RObject();
  for (const [k, v] of Object.entries(src)) {
    if (v === undefined) continue;
    if (k === 'authors' && Array.isArray(v)) {
      o.set(k, v.map((x) => (typeof x === 'string' ? parseAuthor(x) : jsonish(x))));
    } else if (k === 'related_resources' && Array.isArray(v)) {
      o.set(k, v.map((x) => (typeof x === 'string' ? makeObject([['ref', x]]) : jsonish(x))));
    } else o.set(k, jsonish(v));
  }
  return o;
}

function parseAuthor(s: string): Value {
  const m = /^(.*?)\s*<([^>]+)>\s*$/.exec(s);
  if (m) {
    const o = new RObject();
    if (m[1]) o.set('name', m[1]);
    o.set('email', m[2]);
    return o;
  }
  return makeObject([['name', s.trim()]]);
}
