/** Calls a builtin directly with JSON-ish arguments (use `set(...)` for Rego sets). */
import type { JsonValue } from '../../../engine/engine';
import { builtins, BuiltinError } from '../../../engine/rego/builtins';
import { RObject, RSet, fromJson, makeObject, makeSet, toJson, type Value } from '../../../engine/rego/value';

export const ctx = { strict: true, nowNs: (): bigint => BigInt('1700000000123456789'), queryCache: new Map() };

export type Arg = JsonValue | Value | Arg[] | { [key: string]: Arg };

export function set(...xs: Arg[]): Value {
  return makeSet(xs.map(v));
}

export function v(x: Arg): Value {
  if (typeof x === 'bigint' || x instanceof RSet || x instanceof RObject) return x;
  if (Array.isArray(x)) return (x as Arg[]).map(v);
  if (x !== null && typeof x === 'object')
    return makeObject(Object.entries(x as Record<string, Arg>).map(([k, e]): [Value, Value] => [k, v(e)]));
  return fromJson(x);
}

/** The builtin's result as JSON (sets as sorted arrays), or 'undefined'. Throws BuiltinError. */
export function call(name: string, ...args: Arg[]): JsonValue | 'undefined' {
  const b = builtins.get(name);
  if (!b) throw new Error(`no builtin ${name}`);
  const r = b.fn(args.map(v), ctx);
  return r === undefined ? 'undefined' : toJson(r);
}

/** The raw Value (for bigint checks). */
export function callRaw(name: string, ...args: Arg[]): Value | undefined {
  return (builtins.get(name) as NonNullable<ReturnType<typeof builtins.get>>).fn(args.map(v), ctx);
}

/** The error's code and message, or fails the test when the call succeeds. */
export function err(name: string, ...args: Arg[]): { code: string; message: string } {
  try {
    const r = call(name, ...args);
    throw new Error(`expected ${name} to fail, got ${JSON.stringify(r)}`);
  } catch (e) {
    if (!(e instanceof BuiltinError)) throw e;
    return { code: e.code, message: e.message };
  }
}
