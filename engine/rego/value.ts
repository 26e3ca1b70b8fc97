/**
 * The Rego value model shared by the evaluator and the builtins.
 *
 * Representation (chosen for speed on plain JSON input):
 * - null, boolean, string: the JS primitives.
 * - number: a JS `number` for floats and for integers within ±(2^53-1); a `bigint` for integers
 *   beyond that range, so they stay exact as in OPA. Invariant: a `bigint` is never a safe integer
 *   (use `normNumber` after building one). `3` and `3.0` are the same JS number.
 * - array: a plain JS array of values (treat as immutable once built).
 * - set: `RSet`, keyed by a canonical hash string per value (O(1) membership).
 * - object: `RObject`; string keys live in a `Map<string, Value>`, other keys in a second map keyed
 *   by their hash. An object built by `fromJson` converts its children lazily, on first access, so
 *   that a large plan is not walked up front.
 */
import type { JsonValue } from '../engine';

export type Value = null | boolean | number | bigint | string | Value[] | RSet | RObject;

export type TypeName = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'set' | 'object';

/** An error from a value operation (e.g. divide by zero); callers map it to eval_builtin_error. */
export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

// ---------------------------------------------------------------------------------------------
// Hash keys: a canonical string per value; equal values (by Rego equality) have equal keys.

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
    const ks = Array.from(v.map.keys()).sort();
    let s = '\u0000{';
    for (const k of ks) s += k.length + ':' + k;
    return s;
  }
  const cached = v.hashCache;
  if (cached !== undefined) return cached;
  const ks: string[] = [];
  v.forEach((k, val) => {
    const hk = hashKey(k);
    const hv = hashKey(val);
    ks.push(hk.length + ':' + hk + hv.length + ':' + hv);
  });
  ks.sort();
  const h = '\u0000(' + ks.join('');
  v.hashCache = h;
  return h;
}

function numberKey(n: number): string {
  if (Number.isInteger(n) && !Number.isSafeInteger(n) && Number.isFinite(n)) return '\u0000n' + BigInt(n).toString();
  return '\u0000n' + String(n);
}

// ---------------------------------------------------------------------------------------------
// Sets

export class RSet {
  /** hash key → value */
  readonly map: Map<string, Value>;
  private sortedCache: Value[] | null = null;
  constructor(map?: Map<string, Value>) {
    this.map = map ?? new Map();
  }
  get size(): number {
    return this.map.size;
  }
  has(v: Value): boolean {
    return this.map.has(hashKey(v));
  }
  /** Adds in place (only while building); returns false when already present. */
  add(v: Value): boolean {
    const k = hashKey(v);
    if (this.map.has(k)) return false;
    this.map.set(k, v);
    this.sortedCache = null;
    return true;
  }
  values(): IterableIterator<Value> {
    return this.map.values();
  }
  /** Elements in OPA's order (cached). */
  sorted(): Value[] {
    if (!this.sortedCache) this.sortedCache = Array.from(this.map.values()).sort(compareValues);
    return this.sortedCache;
  }
}

// ---------------------------------------------------------------------------------------------
// Objects

type RawObject = { [key: string]: JsonValue };

export class RObject {
  /** string keys (materialized form) */
  private s: Map<string, Value> | null;
  /** non-string keys by hash */
  private o: Map<string, [Value, Value]> | null = null;
  /** JSON-backed form: children are converted on first access and memoized in `conv` */
  private raw: RawObject | null;
  private conv: Record<string, Value> | null = null;
  private rawSize = -1;
  /** hashKey of this object, computed once (cleared by `set`). */
  hashCache: string | undefined = undefined;
  private sortedCache: [Value, Value][] | null = null;
  constructor(raw?: RawObject) {
    if (raw) {
      this.raw = raw;
      this.s = null;
    } else {
      this.raw = null;
      this.s = new Map();
    }
  }
  private rawGet(raw: RawObject, k: string): Value | undefined {
    const conv = this.conv;
    if (conv !== null) {
      const c = conv[k];
      if (c !== undefined) return c;
    }
    if (!Object.prototype.hasOwnProperty.call(raw, k)) return undefined;
    const rv = raw[k];
    if (rv === null || typeof rv !== 'object') return rv === undefined ? undefined : rv;
    const v = fromJson(rv);
    if (this.conv === null) this.conv = Object.create(null) as Record<string, Value>;
    this.conv[k] = v;
    return v;
  }
  /** Converts to the Map form (before a modification). */
  private str(): Map<string, Value> {
    if (this.s) return this.s;
    const m = new Map<string, Value>();
    const raw = this.raw as RawObject;
    for (const k in raw) {
      if (Object.prototype.hasOwnProperty.call(raw, k)) m.set(k, this.rawGet(raw, k) as Value);
    }
    this.s = m;
    this.raw = null;
    this.conv = null;
    return m;
  }
  get size(): number {
    const raw = this.raw;
    if (raw !== null) {
      if (this.rawSize < 0) {
        let n = 0;
        for (const k in raw) if (Object.prototype.hasOwnProperty.call(raw, k)) n++;
        this.rawSize = n;
      }
      return this.rawSize;
    }
    return (this.s as Map<string, Value>).size + (this.o ? this.o.size : 0);
  }
  getStr(k: string): Value | undefined {
    const raw = this.raw;
    if (raw !== null) return this.rawGet(raw, k);
    return (this.s as Map<string, Value>).get(k);
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
    this.hashCache = undefined;
    this.sortedCache = null;
    if (typeof k === 'string') {
      this.str().set(k, v);
      return;
    }
    this.str();
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
    const raw = this.raw;
    if (raw !== null) {
      for (const k in raw) {
        if (!Object.prototype.hasOwnProperty.call(raw, k)) continue;
        if (fn(k, this.rawGet(raw, k) as Value) === true) return true;
      }
      return false;
    }
    for (const [k, v] of this.s as Map<string, Value>) if (fn(k, v) === true) return true;
    if (this.o) for (const e of this.o.values()) if (fn(e[0], e[1]) === true) return true;
    return false;
  }
  /** Entries sorted by key in OPA's order (cached; do not modify the result). */
  sortedEntries(): [Value, Value][] {
    if (this.sortedCache === null) this.sortedCache = this.computeSorted();
    return this.sortedCache;
  }
  private computeSorted(): [Value, Value][] {
    if (this.o === null) {
      const keys: string[] = [];
      this.forEach((k) => {
        keys.push(k as string);
      });
      keys.sort();
      return keys.map((k) => [k, this.getStr(k) as Value]);
    }
    return this.entries().sort((a, b) => compareValues(a[0], b[0]));
  }
  /** A shallow copy that can be modified. */
  clone(): RObject {
    const c = new RObject();
    const m = c.s as Map<string, Value>;
    this.forEach((k, v) => {
      if (typeof k === 'string') m.set(k, v);
    });
    if (this.o) c.o = new Map(this.o);
    return c;
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

/** Converts a JSON value (cheap: objects convert their children lazily). */
export function fromJson(j: JsonValue): Value {
  if (j === null || typeof j !== 'object') {
    if (j === undefined) return null;
    return j;
  }
  if (Array.isArray(j)) {
    const out: Value[] = new Array(j.length);
    for (let i = 0; i < j.length; i++) {
      const e = j[i];
      out[i] = e === null || typeof e !== 'object' ? e : fromJson(e);
    }
    return out;
  }
  return new RObject(j);
}

/** Converts to JSON: sets become arrays in OPA order, non-string keys become their JSON text. */
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
  for (const [k, val] of v.sortedEntries()) {
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
  if (v instanceof RObject) return 5;
  return 6;
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
      const ea = (a as RObject).sortedEntries();
      const eb = (b as RObject).sortedEntries();
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
    for (const k of a.map.keys()) if (!b.map.has(k)) return false;
    return true;
  }
  if (!(a instanceof RObject) || !(b instanceof RObject) || a.size !== b.size) return false;
  return !a.forEach((k, v) => {
    const w = b.get(k);
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
  return '{' + v.sortedEntries().map(([k, x]) => formatValue(k) + ': ' + formatValue(x)).join(', ') + '}';
}

export function formatNumber(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString();
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}
