/**
 * The Rego value model shared by the evaluator and the builtins.
 *
 * Representation (chosen so that a large JSON input costs nothing to use):
 * - null, boolean, string: the JS primitives.
 * - number: a JS `number` for floats and for integers within ±(2^53-1); a `bigint` for integers
 *   beyond that range, so they stay exact as in OPA. Invariant: a `bigint` is never a safe integer
 *   (use `normNumber` after building one). `3` and `3.0` are the same JS number.
 * - array: a plain JS array of values (treat as immutable once built).
 * - object: either a plain JS object as JSON.parse makes it (`JsonObject`: the input and base
 *   documents are used as they are, never converted or copied, and never modified), or an
 *   `RObject` built by evaluation (string keys in a Map, other keys by hash). Code reads objects
 *   of both kinds through the `obj*` functions below.
 * - set: `RSet` (O(1) membership: strings by value, other scalars by key text, compound values
 *   by a structural hash code with an equality check, so no set holds a serialisation of its
 *   elements).
 */
import type { JsonValue } from '../engine';

/** A plain object from JSON (the input document, base data, json/yaml.unmarshal): read-only. */
export type JsonObject = { [key: string]: Value };

export type Value = null | boolean | number | bigint | string | Value[] | RSet | RObject | JsonObject;

/** An object value of either representation. */
export type ObjectValue = RObject | JsonObject;

export type TypeName = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'set' | 'object';

/** An error from a value operation (e.g. divide by zero); callers map it to eval_builtin_error. */
export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

// ---------------------------------------------------------------------------------------------
// Kinds

export function isObject(v: Value | undefined): v is ObjectValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RSet);
}

/** A plain JSON object (not an RObject, array or set). */
export function isJsonObject(v: Value | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RSet) && !(v instanceof RObject);
}

const hasOwn = Object.prototype.hasOwnProperty;

/** A property of a plain object; inherited ones (`constructor`, `__proto__`) are not keys. */
export function jsonGet(o: JsonObject, k: string): Value | undefined {
  const v = o[k];
  if (v === undefined) return undefined;
  if (typeof v === 'function' || k === '__proto__') return hasOwn.call(o, k) ? o[k] : undefined;
  return v;
}

// ---------------------------------------------------------------------------------------------
// Objects of either representation

export function objGetStr(o: ObjectValue, k: string): Value | undefined {
  return o instanceof RObject ? o.getStr(k) : jsonGet(o, k);
}

export function objGet(o: ObjectValue, k: Value): Value | undefined {
  if (o instanceof RObject) return o.get(k);
  return typeof k === 'string' ? jsonGet(o, k) : undefined;
}

export function objSize(o: ObjectValue): number {
  if (o instanceof RObject) return o.size;
  // a key whose value is undefined (an object built in code, not parsed) is no key
  let n = 0;
  for (const k in o) if (o[k] !== undefined && hasOwn.call(o, k)) n++;
  return n;
}

/** Calls fn for each entry (insertion order); stops early when fn returns true. Returns whether stopped. */
export function objForEach(o: ObjectValue, fn: (k: Value, v: Value) => boolean | void): boolean {
  if (o instanceof RObject) return o.forEach(fn);
  for (const k in o) {
    const v = o[k];
    if (v === undefined || !hasOwn.call(o, k)) continue;
    if (fn(k, v) === true) return true;
  }
  return false;
}

export function objEntries(o: ObjectValue): [Value, Value][] {
  if (o instanceof RObject) return o.entries();
  const out: [Value, Value][] = [];
  for (const k of Object.keys(o)) if (o[k] !== undefined) out.push([k, o[k]]);
  return out;
}

export function objKeys(o: ObjectValue): Value[] {
  return o instanceof RObject ? o.keys() : Object.keys(o).filter((k) => o[k] !== undefined);
}

/** Entries sorted by key in OPA's order (do not modify the result). */
export function objSortedEntries(o: ObjectValue): [Value, Value][] {
  if (o instanceof RObject) return o.sortedEntries();
  const keys = Object.keys(o).sort();
  const out: [Value, Value][] = [];
  for (const k of keys) if (o[k] !== undefined) out.push([k, o[k]]);
  return out;
}

/** A modifiable copy. */
export function objClone(o: ObjectValue): RObject {
  if (o instanceof RObject) return o.clone();
  const c = new RObject();
  for (const k of Object.keys(o)) if (o[k] !== undefined) c.set(k, o[k]);
  return c;
}

// ---------------------------------------------------------------------------------------------
// Hash keys: a canonical string per value; equal values (by Rego equality) have equal keys.
// For scalars (set members, index keys); compound values have hashCode below.

export function hashKey(v: Value): string {
  // strings are their own key (no allocation) unless they start with NUL; every other key
  // starts with NUL and a type letter, so the two never collide
  switch (typeof v) {
    case 'string':
      return v.length === 0 || v.charCodeAt(0) !== 0 ? v : '\u0000' + v;
    case 'number':
      return numberKey(v);
    case 'bigint':
      return '\u0000n' + v.toString();
    case 'boolean':
      return v ? '\u0000T' : '\u0000F';
    default:
      break;
  }
  if (v === null) return '\u0000N';
  if (Array.isArray(v)) {
    let s = '\u0000[';
    for (let i = 0; i < v.length; i++) {
      const k = hashKey(v[i]);
      s += k.length + ':' + k;
    }
    return s;
  }
  if (v instanceof RSet) {
    const ks = v.sorted().map(hashKey);
    let s = '\u0000{';
    for (const k of ks) s += k.length + ':' + k;
    return s;
  }
  const ks: string[] = [];
  objForEach(v, (k, val) => {
    const hk = hashKey(k);
    const hv = hashKey(val);
    ks.push(hk.length + ':' + hk + hv.length + ':' + hv);
  });
  ks.sort();
  return '\u0000(' + ks.join('');
}

function numberKey(n: number): string {
  if (Number.isInteger(n) && !Number.isSafeInteger(n) && Number.isFinite(n)) return '\u0000n' + BigInt(n).toString();
  return '\u0000n' + String(n);
}

/** A hash of a string: all of a short one, the length and both ends of a long one. */
function strHash(s: string): number {
  let h = 0x811c9dc5 ^ s.length;
  const n = s.length;
  if (n <= 64) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  } else {
    for (let i = 0; i < 32; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    for (let i = n - 32; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  return h | 0;
}

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** How deep hashCode looks into nested values, and how many members of a collection it reads. */
const HASH_DEPTH = 3;
const HASH_MEMBERS = 16;

/**
 * A 32-bit structural hash: equal values (by Rego equality) have equal codes. It reads values
 * only HASH_DEPTH levels deep and at most HASH_MEMBERS members of an array (and the values of
 * objects of at most that many keys): a set of resource views must not hash every view's planned
 * values in full. Values that differ only deeper collide, and the equality check sorts them out.
 */
export function hashCode(v: Value): number {
  return hashAt(v, HASH_DEPTH);
}

function hashAt(v: Value, depth: number): number {
  switch (typeof v) {
    case 'string':
      return strHash(v);
    case 'number':
    case 'bigint':
    case 'boolean':
      return strHash(hashKey(v));
    default:
      break;
  }
  if (v === null) return 0x2545f491;
  if (Array.isArray(v)) {
    let h = 0x3c6ef372 ^ v.length;
    if (depth > 0) {
      const n = Math.min(v.length, HASH_MEMBERS);
      for (let i = 0; i < n; i++) h = Math.imul(h ^ hashAt(v[i], depth - 1), 0x01000193);
    }
    return mix(h);
  }
  // (cached codes are full-depth ones: a nested value is hashed to this depth whatever its kind,
  // so that an RObject and an equal JSON object have the same code)
  if (v instanceof RSet) return depth === HASH_DEPTH ? v.hashCode() : setHash(v, depth);
  if (depth === 0) return 0x1b873593;
  return depth === HASH_DEPTH && v instanceof RObject ? v.hashCode() : objectHash(v, depth);
}

function setHash(s: RSet, depth: number): number {
  if (depth === 0) return 0x510e527f;
  let h = 0x510e527f;
  const items = s.values();
  for (let i = 0; i < items.length; i++) h = (h + mix(hashAt(items[i], depth - 1))) | 0;
  return mix(h ^ items.length);
}

/** Order-independent: entries combine by addition (values only for small objects). */
function objectHash(o: ObjectValue, depth: number): number {
  let h = 0x6a09e667;
  let n = 0;
  const withValues = objSize(o) <= HASH_MEMBERS;
  objForEach(o, (k, val) => {
    const hk = Math.imul(hashAt(k, depth - 1), 0x9e3779b1);
    h = (h + mix(withValues ? hk ^ hashAt(val, depth - 1) : hk)) | 0;
    n++;
  });
  return mix(h ^ n);
}

// ---------------------------------------------------------------------------------------------
// Sets

/** Compound members whose hash codes collide share a bucket. */
class Bucket {
  constructor(readonly members: Value[]) {}
}

export class RSet {
  /** Members in insertion order. */
  private readonly items: Value[] = [];
  private strs: Set<string> | null = null;
  /** Scalars other than strings by hashKey; compound values by hashCode. */
  private others: Map<string | number, Value | Bucket> | null = null;
  private sortedCache: Value[] | null = null;
  private hash: number | undefined = undefined;

  get size(): number {
    return this.items.length;
  }

  has(v: Value): boolean {
    if (typeof v === 'string') return this.strs !== null && this.strs.has(v);
    const others = this.others;
    if (others === null) return false;
    if (v === null || typeof v !== 'object') return others.has(hashKey(v));
    const e = others.get(hashCode(v));
    if (e === undefined) return false;
    if (e instanceof Bucket) return e.members.some((m) => valueEquals(m, v));
    return valueEquals(e as Value, v);
  }

  /** Adds in place (only while building); returns false when already present. */
  add(v: Value): boolean {
    if (typeof v === 'string') {
      if (this.strs === null) this.strs = new Set();
      else if (this.strs.has(v)) return false;
      this.strs.add(v);
    } else {
      if (this.others === null) this.others = new Map();
      const others = this.others;
      if (v === null || typeof v !== 'object') {
        const k = hashKey(v);
        if (others.has(k)) return false;
        others.set(k, v);
      } else {
        const h = hashCode(v);
        const e = others.get(h);
        if (e === undefined) others.set(h, v);
        else if (e instanceof Bucket) {
          if (e.members.some((m) => valueEquals(m, v))) return false;
          e.members.push(v);
        } else {
          if (valueEquals(e as Value, v)) return false;
          others.set(h, new Bucket([e as Value, v]));
        }
      }
    }
    this.items.push(v);
    this.sortedCache = null;
    this.hash = undefined;
    return true;
  }

  /** Members in insertion order (do not modify). */
  values(): Value[] {
    return this.items;
  }

  /** Elements in OPA's order (cached). */
  sorted(): Value[] {
    if (!this.sortedCache) this.sortedCache = this.items.slice().sort(compareValues);
    return this.sortedCache;
  }

  hashCode(): number {
    if (this.hash === undefined) this.hash = setHash(this, HASH_DEPTH);
    return this.hash;
  }
}

// ---------------------------------------------------------------------------------------------
// Objects built by evaluation

/** A string key that a JS object would order before the others (an array index) or treat specially. */
function specialKey(k: string): boolean {
  const c = k.charCodeAt(0);
  return (c >= 48 && c <= 57 && /^(0|[1-9][0-9]*)$/.test(k) && Number(k) < 4294967295) || k === '__proto__';
}

export class RObject {
  /**
   * String keys, in a plain JS object while they are ordinary names: objects of one shape (the
   * resource views, findings) then share V8's hidden class and take a fraction of a Map's memory.
   * A key a JS object would order first (an array index) or treat specially (`__proto__`) moves
   * them all to `m`, which keeps insertion order for any key.
   */
  private p: Record<string, Value> | null = {};
  private m: Map<string, Value> | null = null;
  /** number of string keys */
  private n = 0;
  /** non-string keys by hash key */
  private o: Map<string, [Value, Value]> | null = null;
  private hash: number | undefined = undefined;
  private sortedCache: [Value, Value][] | null = null;

  get size(): number {
    return this.n + (this.o ? this.o.size : 0);
  }
  getStr(k: string): Value | undefined {
    const p = this.p;
    if (p !== null) {
      const v = p[k];
      // inherited properties (constructor, toString, __proto__) are not keys
      return v === undefined || typeof v === 'function' || k === '__proto__' ? undefined : v;
    }
    return (this.m as Map<string, Value>).get(k);
  }
  get(k: Value): Value | undefined {
    if (typeof k === 'string') return this.getStr(k);
    if (!this.o) return undefined;
    const e = this.o.get(hashKey(k));
    return e ? e[1] : undefined;
  }
  has(k: Value): boolean {
    return this.get(k) !== undefined;
  }
  /** Sets in place (only while building). */
  set(k: Value, v: Value): void {
    this.hash = undefined;
    this.sortedCache = null;
    if (typeof k === 'string') {
      let p = this.p;
      if (p !== null && specialKey(k)) {
        this.m = new Map(Object.entries(p));
        this.p = p = null;
      }
      if (p !== null) {
        if (!hasOwn.call(p, k)) this.n++;
        p[k] = v;
      } else {
        const m = this.m as Map<string, Value>;
        if (!m.has(k)) this.n++;
        m.set(k, v);
      }
      return;
    }
    if (!this.o) this.o = new Map();
    this.o.set(hashKey(k), [k, v]);
  }
  /** Entries: string keys first in insertion order, then other keys. */
  entries(): [Value, Value][] {
    const out: [Value, Value][] = [];
    this.forEach((k, v) => {
      out.push([k, v]);
    });
    return out;
  }
  keys(): Value[] {
    const out: Value[] = [];
    this.forEach((k) => {
      out.push(k);
    });
    return out;
  }
  /** Calls fn for each entry; stops early when fn returns true. Returns whether stopped. */
  forEach(fn: (k: Value, v: Value) => boolean | void): boolean {
    const p = this.p;
    if (p !== null) {
      for (const k in p) if (hasOwn.call(p, k) && fn(k, p[k]) === true) return true;
    } else for (const [k, v] of this.m as Map<string, Value>) if (fn(k, v) === true) return true;
    if (this.o) for (const e of this.o.values()) if (fn(e[0], e[1]) === true) return true;
    return false;
  }
  private stringKeys(): string[] {
    return this.p !== null ? Object.keys(this.p) : Array.from((this.m as Map<string, Value>).keys());
  }
  /** Entries sorted by key in OPA's order (cached; do not modify the result). */
  sortedEntries(): [Value, Value][] {
    if (this.sortedCache === null) this.sortedCache = this.computeSorted();
    return this.sortedCache;
  }
  private computeSorted(): [Value, Value][] {
    if (this.o === null) return this.stringKeys().sort().map((k) => [k, this.getStr(k) as Value]);
    return this.entries().sort((a, b) => compareValues(a[0], b[0]));
  }
  /** Keys in OPA's order, not cached (for a walk that visits an object once). */
  sortedKeys(): Value[] {
    if (this.sortedCache !== null) return this.sortedCache.map((e) => e[0]);
    if (this.o === null) return this.stringKeys().sort();
    return this.keys().sort(compareValues);
  }
  /** A shallow copy that can be modified. */
  clone(): RObject {
    const c = new RObject();
    if (this.p !== null) {
      const cp = c.p as Record<string, Value>;
      for (const k in this.p) if (hasOwn.call(this.p, k)) cp[k] = this.p[k];
    } else {
      c.p = null;
      c.m = new Map(this.m as Map<string, Value>);
    }
    c.n = this.n;
    if (this.o) c.o = new Map(this.o);
    return c;
  }
  hashCode(): number {
    if (this.hash === undefined) this.hash = objectHash(this, HASH_DEPTH);
    return this.hash;
  }
}

// ---------------------------------------------------------------------------------------------
// Constructors and JSON conversion

export function makeSet(values: Iterable<Value>): RSet {
  const s = new RSet();
  for (const v of values) s.add(v);
  return s;
}

export function makeObject(entries: Iterable<[Value, Value]>): RObject {
  const o = new RObject();
  for (const [k, v] of entries) o.set(k, v);
  return o;
}

/**
 * A JSON value as a Rego value: the same value, not a copy (objects are used as JsonObjects).
 * It must be JSON: no `undefined` anywhere (see `fromJsonChecked` for values built in code).
 */
export function fromJson(j: JsonValue): Value {
  return j === undefined ? null : (j as Value);
}

/**
 * Like fromJson, for JSON-like values built in code that may hold `undefined` (an absent
 * optional field): such values are copied without them, as JSON.stringify would drop them.
 */
export function fromJsonChecked(j: JsonValue): Value {
  return hasUndefined(j) ? (JSON.parse(JSON.stringify(j)) as Value) : (j as Value);
}

function hasUndefined(j: unknown): boolean {
  if (j === undefined) return true;
  if (j === null || typeof j !== 'object') return false;
  if (Array.isArray(j)) return j.some(hasUndefined);
  for (const k of Object.keys(j)) if (hasUndefined((j as Record<string, unknown>)[k])) return true;
  return false;
}

/** Converts to JSON: sets become arrays in OPA order, objects get sorted keys, non-string keys become their JSON text. */
export function toJson(v: Value): JsonValue {
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'number':
      return v;
    case 'bigint':
      return Number(v);
    default:
      break;
  }
  if (v === null) return null;
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof RSet) return v.sorted().map(toJson);
  const out: { [k: string]: JsonValue } = {};
  for (const [k, val] of objSortedEntries(v)) {
    const key = typeof k === 'string' ? k : JSON.stringify(toJson(k));
    out[key] = toJson(val);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Type names, order, equality

export function typeName(v: Value): TypeName {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      break;
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof RSet) return 'set';
  return 'object';
}

function kindRank(v: Value): number {
  switch (typeof v) {
    case 'boolean':
      return 1;
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
      return 3;
    default:
      break;
  }
  if (v === null) return 0;
  if (Array.isArray(v)) return 4;
  if (v instanceof RSet) return 6;
  return 5;
}

/** OPA's total order: null < boolean < number < string < array < object < set. */
export function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  const ra = kindRank(a);
  const rb = kindRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return a === b ? 0 : a ? 1 : -1;
    case 2:
      return compareNumbers(a as number | bigint, b as number | bigint);
    case 3:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 4:
      return compareArrays(a as Value[], b as Value[]);
    case 5: {
      const ea = objSortedEntries(a as ObjectValue);
      const eb = objSortedEntries(b as ObjectValue);
      const n = Math.min(ea.length, eb.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(ea[i][0], eb[i][0]);
        if (c !== 0) return c;
        const d = compareValues(ea[i][1], eb[i][1]);
        if (d !== 0) return d;
      }
      return ea.length === eb.length ? 0 : ea.length < eb.length ? -1 : 1;
    }
    default:
      return compareArrays((a as RSet).sorted(), (b as RSet).sorted());
  }
}

function compareArrays(a: Value[], b: Value[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function valueEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'string' || tb === 'string' || ta === 'boolean' || tb === 'boolean') return false;
  if (isNumber(a)) return isNumber(b) && compareNumbers(a, b) === 0;
  if (a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valueEquals(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof RSet) {
    if (!(b instanceof RSet) || a.size !== b.size) return false;
    for (const x of a.values()) if (!b.has(x)) return false;
    return true;
  }
  if (!isObject(b) || !isObject(a as Value)) return false;
  const oa = a as ObjectValue;
  const ob = b;
  if (oa instanceof RObject && ob instanceof RObject && oa.hashCode() !== ob.hashCode()) return false;
  if (objSize(oa) !== objSize(ob)) return false;
  return !objForEach(oa, (k, v) => {
    const w = objGet(ob, k);
    return w === undefined || !valueEquals(v, w);
  });
}

// ---------------------------------------------------------------------------------------------
// Numbers

export function isNumber(v: Value | undefined): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

export function isInteger(v: number | bigint): boolean {
  return typeof v === 'bigint' || Number.isInteger(v);
}

/** A JS number (lossy for big integers). */
export function toJsNumber(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

/** Restores the invariant: safe integers as `number`. */
export function normNumber(v: number | bigint): number | bigint {
  if (typeof v === 'bigint') {
    if (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(v);
    return v;
  }
  return v;
}

/** Parses a Rego/JSON number literal, keeping big integers exact. */
export function parseNumber(text: string): number | bigint {
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
    return BigInt(text);
  }
  return Number(text);
}

function toBig(v: number | bigint): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

export function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  // mixed or both big
  if (typeof a === 'number' && !Number.isInteger(a)) {
    const bn = Number(b);
    return a < bn ? -1 : a > bn ? 1 : 0;
  }
  if (typeof b === 'number' && !Number.isInteger(b)) {
    const an = Number(a);
    return an < b ? -1 : an > b ? 1 : 0;
  }
  if (typeof a === 'number' && !Number.isFinite(a)) return a < 0 ? -1 : 1;
  if (typeof b === 'number' && !Number.isFinite(b)) return b < 0 ? 1 : -1;
  const x = toBig(a);
  const y = toBig(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function bothInts(a: number | bigint, b: number | bigint): boolean {
  return isInteger(a) && isInteger(b);
}

export function add(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return r;
    return normNumber(BigInt(a) + BigInt(b));
  }
  if (bothInts(a, b)) return normNumber(toBig(a) + toBig(b));
  return Number(a) + Number(b);
}

export function sub(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return r;
    return normNumber(BigInt(a) - BigInt(b));
  }
  if (bothInts(a, b)) return normNumber(toBig(a) - toBig(b));
  return Number(a) - Number(b);
}

export function mul(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return r;
    return normNumber(BigInt(a) * BigInt(b));
  }
  if (bothInts(a, b)) return normNumber(toBig(a) * toBig(b));
  return Number(a) * Number(b);
}

/** Division; throws ValueError('divide by zero'). Exact integer quotients stay integers. */
export function div(a: number | bigint, b: number | bigint): number | bigint {
  if (compareNumbers(b, 0) === 0) throw new ValueError('divide by zero');
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    if (bothInts(a, b)) {
      const x = toBig(a);
      const y = toBig(b);
      if (x % y === BigInt(0)) return normNumber(x / y);
    }
    return Number(a) / Number(b);
  }
  return a / b;
}

/** Remainder (integers only, as OPA); throws ValueError. */
export function rem(a: number | bigint, b: number | bigint): number | bigint {
  if (!bothInts(a, b)) throw new ValueError('modulo on floating-point number');
  if (compareNumbers(b, 0) === 0) throw new ValueError('modulo by zero');
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a % b;
    return r === 0 ? 0 : r; // no -0
  }
  return normNumber(toBig(a) % toBig(b));
}

// ---------------------------------------------------------------------------------------------
// Text form

/** Rego text form of a value (as OPA prints terms). */
export function formatValue(v: Value): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return formatNumber(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      break;
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) return '[' + v.map(formatValue).join(', ') + ']';
  if (v instanceof RSet) return v.size === 0 ? 'set()' : '{' + v.sorted().map(formatValue).join(', ') + '}';
  return '{' + objSortedEntries(v).map(([k, x]) => formatValue(k) + ': ' + formatValue(x)).join(', ') + '}';
}

export function formatNumber(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString();
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}
