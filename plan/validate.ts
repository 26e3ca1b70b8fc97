/**
 * Reads a YAML or JSON data file (sites registry, waivers) and validates it against one of the
 * JSON Schemas in policies/data/, turning ajv's errors into short lines a user can act on:
 * `sites.yaml: sites[1].jurisdiction: must match ^[A-Z]{2}$`.
 */
import * as path from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parseDocument } from 'yaml';
import { InputError, fieldPath, type InputIssue } from './errors';
import { lineColumn, parseJsonText, readTextFile } from './json';


let ajv: Ajv2020 | undefined;
function getAjv(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
    addFormats(ajv);
  }
  return ajv;
}

const compiled = new Map<object, ValidateFunction>();

/** Parses a `.yaml`/`.yml` file as YAML 1.2 and anything else as JSON (YAML when it is not JSON). */
export function readDataFile(file: string): unknown {
  const text = readTextFile(file);
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return parseJsonText(text, file);
  if (ext !== '.yaml' && ext !== '.yml' && /^\s*[{[]/.test(text)) return parseJsonText(text, file);
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const at = lineColumn(text, e.pos[0]);
    const where = `line ${at.line}, column ${at.column}`;
    throw new InputError(file, where, `not valid YAML: ${firstLine(e.message)}`);
  }
  if (doc.contents === null) throw new InputError(file, undefined, 'the file is empty');
  return doc.toJS({ maxAliasCount: 100 });
}

function firstLine(s: string): string {
  const line = s.split('\n')[0].trim();
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

/** Validates `value` against `schema`; throws one InputError listing up to MAX_ISSUES problems. */
export function validateAgainstSchema(value: unknown, schema: object, file: string): void {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = getAjv().compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return;
  const issues = describeAjvErrors(validate.errors ?? []);
  throw InputError.many(file, issues);
}

/** `/sites/1/jurisdiction` → `['sites', 1, 'jurisdiction']`. */
export function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

function describe(e: ErrorObject): InputIssue | undefined {
  const at = pointerSegments(e.instancePath);
  const p = e.params as Record<string, unknown>;
  // a branch of an anyOf reports through the anyOf itself ("must have cidrs or entity")
  if (/\/anyOf\/[0-9]+\//.test(e.schemaPath)) return undefined;
  switch (e.keyword) {
    case 'anyOf': {
      const branches = (e.parentSchema as { anyOf?: { required?: string[] }[] } | undefined)?.anyOf ?? [];
      const names = branches.flatMap((b) => b.required ?? []);
      return { field: fieldPath(at) || undefined, problem: names.length ? `must have ${names.join(' or ')}` : 'matches none of the allowed forms' };
    }
    case 'maxProperties':
    case 'minProperties': {
      const names = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return { field: fieldPath(at) || undefined, problem: `must set exactly one of ${names.join(' or ')}` };
    }
    case 'not':
      if (e.schemaPath.includes('/pem/')) return { field: fieldPath(at), problem: 'holds a private key; the registry never holds secrets' };
      return { field: fieldPath(at) || undefined, problem: e.message ?? e.keyword };
    case 'required':
      return { field: fieldPath([...at, String(p.missingProperty)]), problem: 'is required' };
    case 'additionalProperties':
      return { field: fieldPath([...at, String(p.additionalProperty)]), problem: 'is not a known field' };
    case 'type':
      return { field: fieldPath(at) || undefined, problem: `must be ${article(String(p.type))}` };
    case 'pattern': {
      const pattern = String(p.pattern);
      if (pattern === '\\S') return { field: fieldPath(at), problem: 'must not be blank' };
      if (pattern.startsWith('^[Hh][Tt][Tt][Pp]')) return { field: fieldPath(at), problem: 'must be an absolute http(s) URL such as https://k8s.example.kz' };
      if (e.schemaPath.includes('/cidr/')) return { field: fieldPath(at), problem: 'must be a CIDR such as 10.20.0.10/32' };
      if (e.schemaPath.includes('/pem/')) return { field: fieldPath(at), problem: 'must be a PEM certificate bundle (-----BEGIN CERTIFICATE-----)' };
      return { field: fieldPath(at), problem: `must match ${pattern}` };
    }
    case 'enum':
      return { field: fieldPath(at), problem: `must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')}` };
    case 'const':
      return { field: fieldPath(at), problem: `must be ${JSON.stringify(p.allowedValue)}` };
    case 'minItems':
      return { field: fieldPath(at), problem: Number(p.limit) === 1 ? 'must not be empty' : `must have at least ${String(p.limit)} items` };
    case 'minLength':
      return { field: fieldPath(at), problem: 'must not be empty' };
    case 'format': {
      const f = String(p.format);
      const what: Record<string, string> = {
        date: 'must be an ISO date YYYY-MM-DD that exists',
        uri: 'must be an absolute URL such as https://k8s.example.kz',
        hostname: 'must be a host name such as app.example.kz',
      };
      return { field: fieldPath(at), problem: what[f] ?? `must be a valid ${f}` };
    }
    case 'if':
    case 'then':
      return undefined; // the failing branch's own error is reported
    default:
      return { field: fieldPath(at) || undefined, problem: e.message ?? e.keyword };
  }
}

function article(type: string): string {
  const t = type.replace(/,/g, ' or ');
  return /^(object|array|integer)/.test(t) ? `an ${t}` : `a ${t}`;
}

/** Turns ajv errors into one issue per field, most useful first, without duplicates. */
export function describeAjvErrors(errors: readonly ErrorObject[]): InputIssue[] {
  const out: InputIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const d = describe(e);
    if (!d) continue;
    // a pattern failing next to a format failure on the same URL says the same thing twice
    const key = `${d.field ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}
