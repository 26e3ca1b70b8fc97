/**
 * Helpers shared by the builtin families: OPA-style operand checks and errors, and `def`
 * which prefixes every error with the builtin's name as OPA does
 * (`count: operand 1 must be one of {array, object, set, string} but got number`).
 */
import { RSet, ValueError, isInteger, isNumber, isObject, typeName, type ObjectValue, type Value } from '../value';
import { BuiltinError, type BuiltinContext, type BuiltinDef } from './types';

/** A type error about an operand, raised without the builtin name (def adds it). */
export class OperandError extends Error {}
/** A builtin failure (eval_builtin_error), raised without the builtin name. */
export class FailError extends Error {}

export function fail(message: string): never {
  throw new FailError(message);
}

/** `operand 1 must be string but got number` / `must be one of {a, b} but got c`. */
export function typeErr(pos: number, got: Value, ...expected: string[]): never {
  const want = expected.length === 1 ? expected[0] : `one of {${expected.join(', ')}}`;
  throw new OperandError(`operand ${pos} must be ${want} but got ${typeName(got)}`);
}

/** `operand 1 must be array of strings but got array containing number`. */
export function elemErr(pos: number, composite: Value, got: Value, ...expected: string[]): never {
  const t = typeName(composite);
  const want = expected.length === 1 ? `${expected[0]}s` : `(any of) {${expected.join(', ')}}`;
  throw new OperandError(`operand ${pos} must be ${t} of ${want} but got ${t} containing ${typeName(got)}`);
}

export function operandErr(pos: number, message: string): never {
  throw new OperandError(`operand ${pos} ${message}`);
}

export function str(args: Value[], i: number): string {
  const v = args[i];
  if (typeof v !== 'string') typeErr(i + 1, v, 'string');
  return v;
}

export function num(args: Value[], i: number): number | bigint {
  const v = args[i];
  if (!isNumber(v)) typeErr(i + 1, v, 'number');
  return v;
}

/** An integer operand as a JS number; `operand N must be integer number but got floating-point number`. */
export function int(args: Value[], i: number): number {
  const v = num(args, i);
  if (!isInteger(v)) operandErr(i + 1, 'must be integer number but got floating-point number');
  return Number(v);
}

export function bool(args: Value[], i: number): boolean {
  const v = args[i];
  if (typeof v !== 'boolean') typeErr(i + 1, v, 'boolean');
  return v;
}

export function arr(args: Value[], i: number): Value[] {
  const v = args[i];
  if (!Array.isArray(v)) typeErr(i + 1, v, 'array');
  return v;
}

export function obj(args: Value[], i: number): ObjectValue {
  const v = args[i];
  if (!isObject(v)) typeErr(i + 1, v, 'object');
  return v;
}

export function set(args: Value[], i: number): RSet {
  const v = args[i];
  if (!(v instanceof RSet)) typeErr(i + 1, v, 'set');
  return v;
}

/** Elements of an array or set operand (sets in OPA order). */
export function elems(args: Value[], i: number, ...expected: string[]): Value[] {
  const v = args[i];
  if (Array.isArray(v)) return v;
  if (v instanceof RSet) return v.sorted();
  return typeErr(i + 1, v, ...(expected.length ? expected : ['array', 'set']));
}

/** Strings of an array/set operand, or one string when a plain string is accepted. */
export function strings(args: Value[], i: number, expected: string[] = ['string', 'set', 'array']): string[] {
  const v = args[i];
  if (typeof v === 'string' && expected.includes('string')) return [v];
  if (Array.isArray(v) || v instanceof RSet) {
    const out: string[] = [];
    for (const e of Array.isArray(v) ? v : v.sorted()) {
      if (typeof e !== 'string') elemErr(i + 1, v, e, 'string');
      out.push(e);
    }
    return out;
  }
  return typeErr(i + 1, v, ...expected);
}

export type BuiltinFn = (args: Value[], ctx: BuiltinContext) => Value | undefined;

/**
 * Defines a builtin. Errors thrown by `fn` become BuiltinError with the name prefixed
 * (`label` when OPA reports a different name, e.g. `reverse` for strings.reverse).
 */
export function def(
  name: string,
  arity: number,
  fn: BuiltinFn,
  opts: { relation?: boolean; label?: string } = {},
): BuiltinDef {
  const label = opts.label ?? name;
  return {
    name,
    arity,
    relation: opts.relation,
    fn(args, ctx) {
      try {
        return fn(args, ctx);
      } catch (e) {
        if (e instanceof BuiltinError) throw e;
        if (e instanceof OperandError) throw new BuiltinError(`${label}: ${e.message}`, 'eval_type_error');
        if (e instanceof FailError || e instanceof ValueError)
          throw new BuiltinError(`${label}: ${e.message}`, 'eval_builtin_error');
        if (e instanceof RangeError || e instanceof SyntaxError)
          throw new BuiltinError(`${label}: ${e.message}`, 'eval_builtin_error');
        throw e;
      }
    },
  };
}

/** Counts Unicode code points. */
export function runeLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) n++;
    else {
      n++;
      i++;
    }
  }
  return n;
}
