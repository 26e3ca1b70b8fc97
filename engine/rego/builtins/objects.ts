/** Object builtins: object.get, keys, union, union_n, remove, filter, subset. */
import { RObject, RSet, isNumber, isObject, makeSet, objClone, objForEach, objGet, objKeys, valueEquals, type ObjectValue, type Value } from '../value';
import { def, elemErr, obj, typeErr } from './util';
import type { BuiltinDef } from './types';

function child(v: Value, k: Value): Value | undefined {
  if (Array.isArray(v)) {
    if (!isNumber(k)) return undefined;
    const i = Number(k);
    return Number.isInteger(i) && i >= 0 && i < v.length ? v[i] : undefined;
  }
  if (v instanceof RSet) return v.has(k) ? k : undefined;
  if (isObject(v)) return objGet(v, k);
  return undefined;
}

/** Keys named by a set, an array or an object's keys. */
function keyList(v: Value, pos: number): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof RSet) return Array.from(v.values());
  if (isObject(v)) return objKeys(v);
  return typeErr(pos, v, 'object', 'set', 'array');
}

/** Deep merge: b's values win; objects on both sides merge recursively. */
export function union(a: ObjectValue, b: ObjectValue): RObject {
  const out = objClone(a);
  objForEach(b, (k, v) => {
    const av = out.get(k);
    out.set(k, isObject(av) && isObject(v) ? union(av, v) : v);
  });
  return out;
}

function isSubArray(sup: Value[], sub: Value[]): boolean {
  if (sub.length === 0) return true;
  for (let i = 0; i + sub.length <= sup.length; i++) {
    let ok = true;
    for (let j = 0; j < sub.length && ok; j++) ok = valueEquals(sup[i + j], sub[j]);
    if (ok) return true;
  }
  return false;
}

function subset(sup: Value, sub: Value): boolean {
  if (isObject(sup) && isObject(sub)) {
    return !objForEach(sub, (k, v) => {
      const s = objGet(sup, k);
      if (s === undefined) return true;
      if (isObject(s) && isObject(v)) return !subset(s, v);
      return !valueEquals(s, v) && !(s instanceof RSet && v instanceof RSet && subset(s, v));
    });
  }
  if (sup instanceof RSet && sub instanceof RSet) {
    for (const v of sub.values()) if (!sup.has(v)) return false;
    return true;
  }
  if (Array.isArray(sup) && Array.isArray(sub)) return isSubArray(sup, sub);
  if (sup instanceof RSet && Array.isArray(sub)) return sub.every((e) => sup.has(e));
  return valueEquals(sup, sub);
}

export const objects: BuiltinDef[] = [
  def('object.get', 3, (args) => {
    const o = obj(args, 0);
    const key = args[1];
    const dflt = args[2];
    if (Array.isArray(key)) {
      let cur: Value | undefined = o;
      for (const k of key) {
        cur = cur === undefined ? undefined : child(cur, k);
        if (cur === undefined) return dflt;
      }
      return cur;
    }
    const v = objGet(o, key);
    return v === undefined ? dflt : v;
  }),
  def('object.keys', 1, (args) => makeSet(objKeys(obj(args, 0)))),
  def('object.union', 2, (args) => union(obj(args, 0), obj(args, 1))),
  def('object.union_n', 1, ([v]) => {
    if (!Array.isArray(v)) return typeErr(1, v, 'array');
    let out = new RObject();
    for (const o of v) {
      if (!isObject(o)) return elemErr(1, v, o, 'object');
      out = union(out, o);
    }
    return out;
  }),
  def('object.remove', 2, (args) => {
    const o = obj(args, 0);
    const drop = makeSet(keyList(args[1], 2));
    const out = new RObject();
    objForEach(o, (k, v) => {
      if (!drop.has(k)) out.set(k, v);
    });
    return out;
  }),
  def('object.filter', 2, (args) => {
    const o = obj(args, 0);
    const keep = keyList(args[1], 2);
    const out = new RObject();
    for (const k of keep) {
      const v = objGet(o, k);
      if (v !== undefined) out.set(k, v);
    }
    return out;
  }),
  def('object.subset', 2, ([a, b]) => {
    const ok = (v: Value): boolean => isObject(v) || v instanceof RSet || Array.isArray(v);
    if (!ok(a)) return typeErr(1, a, 'object', 'set', 'array');
    if (!ok(b)) return typeErr(2, b, 'object', 'set', 'array');
    if (isObject(a) !== isObject(b)) return typeErr(2, b, typeofName(a));
    return subset(a, b);
  }),
];

function typeofName(v: Value): string {
  return v instanceof RSet ? 'set' : Array.isArray(v) ? 'array' : 'object';
}
