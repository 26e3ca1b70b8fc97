/** Types and casts: to_number, type_name, is_*, and the deprecated cast_* builtins. */
import { RSet, isNumber, isObject, parseNumber, typeName, makeSet, type Value } from '../value';
import { def, fail, typeErr } from './util';
import type { BuiltinDef } from './types';

const GO_FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function is(name: string, test: (v: Value) => boolean): BuiltinDef {
  return def(name, 1, ([v]) => test(v));
}

export const casts: BuiltinDef[] = [
  def('to_number', 1, ([v]) => {
    if (v === null) return 0;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (isNumber(v)) return v;
    if (typeof v === 'string') {
      if (!GO_FLOAT.test(v)) return fail(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
      const n = parseNumber(v.replace(/^\+/, ''));
      if (typeof n === 'number' && !Number.isFinite(n))
        return fail(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: value out of range`);
      return n;
    }
    return typeErr(1, v, 'null', 'boolean', 'number', 'string');
  }),
  def('type_name', 1, ([v]) => typeName(v)),
  is('is_number', isNumber),
  is('is_string', (v) => typeof v === 'string'),
  is('is_boolean', (v) => typeof v === 'boolean'),
  is('is_array', Array.isArray),
  is('is_set', (v) => v instanceof RSet),
  is('is_object', (v) => isObject(v)),
  is('is_null', (v) => v === null),
  // deprecated (OPA v0) casts
  def('cast_null', 1, ([v]) => (v === null ? null : typeErr(1, v, 'null'))),
  def('cast_boolean', 1, ([v]) => (typeof v === 'boolean' ? v : typeErr(1, v, 'boolean'))),
  def('cast_string', 1, ([v]) => (typeof v === 'string' ? v : typeErr(1, v, 'string'))),
  def('cast_array', 1, ([v]) =>
    Array.isArray(v) ? v : v instanceof RSet ? v.sorted().slice() : typeErr(1, v, 'array', 'set'),
  ),
  def('cast_set', 1, ([v]) =>
    v instanceof RSet ? v : Array.isArray(v) ? makeSet(v) : typeErr(1, v, 'array', 'set'),
  ),
  def('cast_object', 1, ([v]) => (isObject(v) ? v : typeErr(1, v, 'object'))),
];
