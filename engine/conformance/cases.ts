/**
 * Loading and comparing OPA's conformance cases (YAML, see opa-conformance/README.md).
 * Knows nothing about the interpreter: run.ts wires the two together.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { JsonValue } from '../engine';

export interface ConformanceCase {
  /** `category/description`, not always unique. */
  note: string;
  /** The folder the file sits in, e.g. `aggregates`. */
  category: string;
  /** The YAML file, relative to the conformance root. */
  file: string;
  query: string;
  modules: string[];
  data: JsonValue;
  /** Present when the case gives `input`; `inputTerm` is the raw Rego term text of `input_term`. */
  input?: JsonValue;
  hasInput: boolean;
  inputTerm?: string;
  wantResult?: Array<Record<string, JsonValue>>;
  sortBindings: boolean;
  wantErrorCode?: string;
  wantError?: string;
  strictError: boolean;
}

type Raw = Record<string, unknown>;

function isRecord(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/** Reads every case under `root` (one folder per category). Throws naming the file on bad YAML. */
export function loadCases(root: string): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const path of yamlFiles(root)) {
    const file = relative(root, path).split(sep).join('/');
    const category = file.includes('/') ? file.slice(0, file.indexOf('/')) : '(root)';
    let doc: unknown;
    try {
      doc = parseYaml(readFileSync(path, 'utf8'), { maxAliasCount: -1 });
    } catch (e) {
      throw new Error(`${file}: invalid YAML: ${(e as Error).message}`);
    }
    if (!isRecord(doc) || !Array.isArray(doc.cases)) throw new Error(`${file}: cases: expected a list`);
    doc.cases.forEach((c: unknown, i: number) => {
      if (!isRecord(c)) throw new Error(`${file}: cases[${i}]: expected a mapping`);
      const modules = Array.isArray(c.modules) ? c.modules.map(String) : [];
      cases.push({
        note: String(c.note ?? `${file}#${i}`),
        category,
        file,
        query: String(c.query ?? ''),
        modules,
        data: (c.data ?? {}) as JsonValue,
        input: c.input as JsonValue | undefined,
        hasInput: 'input' in c,
        inputTerm: c.input_term === undefined ? undefined : String(c.input_term),
        wantResult: Array.isArray(c.want_result)
          ? (c.want_result as Array<Record<string, JsonValue>>)
          : undefined,
        sortBindings: c.sort_bindings === true,
        wantErrorCode: c.want_error_code === undefined ? undefined : String(c.want_error_code),
        wantError: c.want_error === undefined ? undefined : String(c.want_error ?? ''),
        strictError: c.strict_error === true,
      });
    });
  }
  return cases;
}

/** OPA's type order for the total order used to sort bindings: null < boolean < number < string < array < object. */
function rank(v: JsonValue): number {
  if (v === null) return 0;
  switch (typeof v) {
    case 'boolean':
      return 1;
    case 'number':
      return 2;
    case 'string':
      return 3;
    default:
      return Array.isArray(v) ? 4 : 6;
  }
}

export function compareJson(a: JsonValue, b: JsonValue): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (a === null || b === null) return 0;
  if (typeof a === 'boolean' || typeof a === 'number')
    return a === b ? 0 : (a as number | boolean) < (b as number | boolean) ? -1 : 1;
  if (typeof a === 'string') return a === b ? 0 : a < (b as string) ? -1 : 1;
  if (Array.isArray(a)) {
    const bb = b as JsonValue[];
    for (let i = 0; i < Math.min(a.length, bb.length); i++) {
      const c = compareJson(a[i], bb[i]);
      if (c !== 0) return c;
    }
    return a.length - bb.length;
  }
  const ao = a as Record<string, JsonValue>;
  const bo = b as Record<string, JsonValue>;
  const ak = Object.keys(ao).sort();
  const bk = Object.keys(bo).sort();
  for (let i = 0; i < Math.min(ak.length, bk.length); i++) {
    if (ak[i] !== bk[i]) return ak[i] < bk[i] ? -1 : 1;
    const c = compareJson(ao[ak[i]], bo[bk[i]]);
    if (c !== 0) return c;
  }
  return ak.length - bk.length;
}

/** A canonical text for a JSON value: keys sorted, numbers by value (3 and 3.0 are the same). */
export function canonical(v: JsonValue | undefined): string {
  if (v === undefined) return 'undefined';
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'number' && Object.is(v, -0)) return '0';
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
    .join(',')}}`;
}

function normaliseRow(row: Record<string, JsonValue>, sortBindings: boolean): string {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = sortBindings && Array.isArray(v) ? [...v].sort(compareJson) : v;
  }
  return canonical(out);
}

/** Compares result rows as a multiset. Returns undefined when equal, else a reason. */
export function compareRows(
  want: Array<Record<string, JsonValue>>,
  got: Array<Record<string, JsonValue>>,
  sortBindings: boolean,
): string | undefined {
  const w = want.map((r) => normaliseRow(r ?? {}, sortBindings)).sort();
  const g = got.map((r) => normaliseRow(r, sortBindings)).sort();
  if (w.length === g.length && w.every((x, i) => x === g[i])) return undefined;
  const show = (rows: string[]): string => (rows.length === 0 ? '[] (undefined)' : `[${rows.join(', ')}]`);
  return `want ${show(w)}, got ${show(g)}`.slice(0, 2000);
}
