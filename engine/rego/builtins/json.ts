/**
 * json.patch (RFC 6902, OPA topdown/json.go) and JSON Schema (json.verify_schema,
 * json.match_schema). json.patch works on Rego values, so that, as in OPA, a set member is
 * addressed by its value; an npm JSON-Patch library only knows JSON and would lose sets, hence
 * this implementation of OPA's edit-tree rules. Any failing operation makes the result undefined,
 * as in OPA. JSON Schema validation is Ajv (drafts 4, 6 and 7, as OPA's gojsonschema supports).
 */
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type AjvDraft04 from 'ajv-draft-04';
import type { JsonValue } from '../../engine';
import { RObject, RSet, isObject, makeObject, objClone, objEntries, objGet, objGetStr, toJson, valueEquals, type ObjectValue, type Value } from '../value';
import { def, operandErr, typeErr } from './util';
import type { BuiltinDef } from './types';

class PatchError extends Error {}

/** OPA's parsePath: `/a/b` (leading slashes trimmed, ~1 and ~0 decoded) or an array of keys. */
function patchPath(p: Value | undefined): Value[] {
  if (typeof p === 'string') {
    if (p === '') return [];
    return p
      .replace(/^\/+/, '')
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  if (Array.isArray(p)) return p;
  throw new PatchError('path must be a string or an array');
}

function arrayIndex(seg: Value, len: number, forInsert: boolean): number {
  if (forInsert && seg === '-') return len;
  let n: number;
  if (typeof seg === 'string' && /^(0|[1-9][0-9]*)$/.test(seg)) n = Number(seg);
  else if (typeof seg === 'number' && Number.isInteger(seg)) n = seg;
  else throw new PatchError('invalid array index');
  if (n < 0 || n > (forInsert ? len : len - 1)) throw new PatchError('array index out of range');
  return n;
}

function child(v: Value, seg: Value): Value {
  if (isObject(v)) {
    const c = objGet(v, seg);
    if (c === undefined) throw new PatchError('no such key');
    return c;
  }
  if (Array.isArray(v)) return v[arrayIndex(seg, v.length, false)];
  if (v instanceof RSet) {
    if (!v.has(seg)) throw new PatchError('no such set member');
    return seg;
  }
  throw new PatchError('path goes through a scalar');
}

function getAt(v: Value, path: Value[]): Value {
  return path.reduce<Value>((cur, seg) => child(cur, seg), v);
}

/** A copy of `v` with `fn` applied to the node at `path` (copy-on-write along the path). */
function update(v: Value, path: Value[], fn: (parent: Value, seg: Value) => Value): Value {
  if (path.length === 1) return fn(v, path[0]);
  const [seg, ...rest] = path;
  const c = child(v, seg);
  const nc = update(c, rest, fn);
  if (isObject(v)) {
    const o = objClone(v);
    o.set(seg, nc);
    return o;
  }
  if (Array.isArray(v)) {
    const a = v.slice();
    a[arrayIndex(seg, v.length, false)] = nc;
    return a;
  }
  const s = new RSet();
  for (const e of (v as RSet).values()) s.add(valueEquals(e, seg) ? nc : e);
  return s;
}

function insertAt(v: Value, path: Value[], value: Value): Value {
  if (path.length === 0) return value;
  return update(v, path, (parent, seg) => {
    if (isObject(parent)) {
      const o = objClone(parent);
      o.set(seg, value);
      return o;
    }
    if (Array.isArray(parent)) {
      const a = parent.slice();
      a.splice(arrayIndex(seg, parent.length, true), 0, value);
      return a;
    }
    if (parent instanceof RSet) {
      const s = new RSet();
      for (const e of parent.values()) s.add(e);
      s.add(value);
      return s;
    }
    throw new PatchError('cannot insert into a scalar');
  });
}

function deleteAt(v: Value, path: Value[]): Value {
  if (path.length === 0) throw new PatchError('cannot delete the whole document');
  return update(v, path, (parent, seg) => {
    if (isObject(parent)) {
      if (objGet(parent, seg) === undefined) throw new PatchError('no such key');
      return makeObject(objEntries(parent).filter(([k]) => !valueEquals(k, seg)));
    }
    if (Array.isArray(parent)) {
      const a = parent.slice();
      a.splice(arrayIndex(seg, parent.length, false), 1);
      return a;
    }
    if (parent instanceof RSet) {
      if (!parent.has(seg)) throw new PatchError('no such set member');
      const s = new RSet();
      for (const e of parent.values()) if (!valueEquals(e, seg)) s.add(e);
      return s;
    }
    throw new PatchError('cannot delete from a scalar');
  });
}

function attr(op: ObjectValue, name: string): Value {
  const v = objGetStr(op, name);
  if (v === undefined) throw new PatchError(`missing '${name}' attribute`);
  return v;
}

function applyPatch(doc: Value, ops: Value[]): Value {
  let cur = doc;
  for (const o of ops) {
    if (!isObject(o)) throw new PatchError('must be an array of JSON-Patch objects');
    const op = attr(o, 'op');
    if (typeof op !== 'string') throw new PatchError("attribute 'op' must be a string");
    const path = patchPath(attr(o, 'path'));
    switch (op) {
      case 'add':
        cur = insertAt(cur, path, attr(o, 'value'));
        break;
      case 'remove':
        cur = deleteAt(cur, path);
        break;
      case 'replace':
        // replacing the root replaces the whole document
        cur = path.length === 0 ? attr(o, 'value') : insertAt(deleteAt(cur, path), path, attr(o, 'value'));
        break;
      case 'move': {
        const from = patchPath(attr(o, 'from'));
        const chunk = getAt(cur, from);
        cur = insertAt(deleteAt(cur, from), path, chunk);
        break;
      }
      case 'copy': {
        const from = patchPath(attr(o, 'from'));
        cur = insertAt(cur, path, getAt(cur, from));
        break;
      }
      case 'test':
        if (!valueEquals(getAt(cur, path), attr(o, 'value'))) throw new PatchError('test failed');
        break;
      default:
        throw new PatchError(`unrecognized op '${op}'`);
    }
  }
  return cur;
}

// ---- JSON Schema -------------------------------------------------------------------------------

/** Built on first use: most evaluations never validate a schema. */
let ajvs: { ajv07: Ajv; ajv04: AjvDraft04 } | null = null;
function getAjvs(): { ajv07: Ajv; ajv04: AjvDraft04 } {
  if (!ajvs) {
    // required here, not imported: loading Ajv takes ~100 ms of every start otherwise
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const AjvClass = (require('ajv') as { default: typeof Ajv }).default;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv04Class = (require('ajv-draft-04') as { default: typeof AjvDraft04 }).default;
    ajvs = { ajv07: new AjvClass({ allErrors: true, strict: false, validateSchema: true }), ajv04: new Ajv04Class({ allErrors: true, strict: false }) };
  }
  return ajvs;
}
const schemaCache = new Map<string, ValidateFunction | Error>();

function schemaOf(v: Value, pos: number): JsonValue {
  if (typeof v === 'string') {
    try {
      return JSON.parse(v) as JsonValue;
    } catch (e) {
      throw new SchemaError(`${(e as Error).message}`);
    }
  }
  if (isObject(v)) return toJson(v);
  if (typeof v === 'boolean') return v;
  return typeErr(pos, v, 'string', 'object', 'boolean');
}

class SchemaError extends Error {}

/** Compiles a schema with the Ajv of its `$schema` draft (07 and 06 share Ajv's default). */
function compileSchema(schema: JsonValue): ValidateFunction {
  const key = JSON.stringify(schema);
  let c = schemaCache.get(key);
  if (!c) {
    try {
      const { ajv07, ajv04 } = getAjvs();
      const draft = typeof schema === 'object' && schema !== null && !Array.isArray(schema) ? String(schema.$schema ?? '') : '';
      const ajv = draft.includes('draft-04') ? ajv04 : ajv07;
      if (draft.includes('draft-06') && !ajv07.getSchema('http://json-schema.org/draft-06/schema')) {
        ajv07.addMetaSchema(DRAFT06_META);
      }
      c = ajv.compile(schema as object);
    } catch (e) {
      c = new Error((e as Error).message);
    }
    if (schemaCache.size > 200) schemaCache.clear();
    schemaCache.set(key, c);
  }
  if (c instanceof Error) throw new SchemaError(c.message);
  return c;
}

/** The draft-06 meta-schema's identity is enough for Ajv to accept `$schema: draft-06`. */
const DRAFT06_META = { $id: 'http://json-schema.org/draft-06/schema', $schema: 'http://json-schema.org/draft-06/schema' };

/** One validation error as OPA's json.match_schema reports it (gojsonschema's fields). */
function errorObject(e: ErrorObject): RObject {
  const segs = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let field = segs.length === 0 ? '(root)' : segs.join('.');
  let type: string = e.keyword;
  let desc = e.message ?? '';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      type = 'required';
      desc = `${String(p.missingProperty)} is required`;
      break;
    case 'type':
      type = 'invalid_type';
      desc = `Invalid type. Expected: ${String(p.type)}, given: ${'given' in p ? String(p.given) : 'other'}`;
      break;
    case 'enum':
      desc = `${field} must be one of the following: ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
      break;
    case 'additionalProperties':
      type = 'additional_property_not_allowed';
      desc = `Additional property ${String(p.additionalProperty)} is not allowed`;
      break;
    case 'minimum':
      type = 'number_gte';
      desc = `Must be greater than or equal to ${String(p.limit)}`;
      break;
    case 'maximum':
      type = 'number_lte';
      desc = `Must be less than or equal to ${String(p.limit)}`;
      break;
    case 'minLength':
      type = 'string_gte';
      desc = `String length must be greater than or equal to ${String(p.limit)}`;
      break;
    case 'maxLength':
      type = 'string_lte';
      desc = `String length must be less than or equal to ${String(p.limit)}`;
      break;
    case 'pattern':
      type = 'pattern';
      desc = `Does not match pattern '${String(p.pattern)}'`;
      break;
    case 'minItems':
      type = 'array_min_items';
      desc = `Array must have at least ${String(p.limit)} items`;
      break;
    case 'maxItems':
      type = 'array_max_items';
      desc = `Array must have at most ${String(p.limit)} items`;
      break;
    case 'const':
      desc = `${field} does not match: ${JSON.stringify(p.allowedValue)}`;
      break;
    default:
      break;
  }
  if (field === '') field = '(root)';
  return makeObject([
    ['error', `${field}: ${desc}`],
    ['type', type],
    ['field', field],
    ['desc', desc],
  ]);
}

/** gojsonschema's type names of a JSON value, for "given: …". */
function gojsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function documentOf(v: Value): JsonValue {
  if (typeof v === 'string') {
    try {
      return JSON.parse(v) as JsonValue;
    } catch (e) {
      throw new SchemaError((e as Error).message);
    }
  }
  if (isObject(v) || Array.isArray(v) || v instanceof RSet) return toJson(v);
  return typeErr(1, v, 'string', 'object', 'array', 'set');
}

export const json: BuiltinDef[] = [
  def('json.patch', 2, ([doc, ops]) => {
    if (!Array.isArray(ops)) return typeErr(2, ops, 'array');
    try {
      return applyPatch(doc, ops);
    } catch (e) {
      if (e instanceof PatchError) return undefined;
      throw e;
    }
  }),
  def('json.verify_schema', 1, ([s]) => {
    try {
      compileSchema(schemaOf(s, 1));
      return [true, null];
    } catch (e) {
      if (e instanceof SchemaError) return [false, e.message];
      throw e;
    }
  }),
  def('json.match_schema', 2, ([d, s]) => {
    let validate: ValidateFunction;
    try {
      validate = compileSchema(schemaOf(s, 2));
    } catch (e) {
      if (e instanceof SchemaError) return operandErr(2, `must be valid JSON schema: ${e.message}`);
      throw e;
    }
    let doc: JsonValue;
    try {
      doc = documentOf(d);
    } catch (e) {
      if (e instanceof SchemaError) return operandErr(1, `must be valid JSON: ${e.message}`);
      throw e;
    }
    if (validate(doc)) return [true, []];
    const errors = (validate.errors ?? []).map((e) => {
      if (e.keyword === 'type') {
        const at = e.instancePath.split('/').slice(1).reduce<unknown>((cur, k) => (cur as Record<string, unknown>)?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
        (e.params as Record<string, unknown>).given = gojsonType(at);
      }
      return errorObject(e);
    });
    return [false, errors];
  }),
];

