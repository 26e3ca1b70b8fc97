/**
 * Numbers and arithmetic: abs, round, ceil, floor, numbers.range, numbers.range_step, and the
 * builtins behind the operators (plus, minus, mul, div, rem; `-` also on sets).
 */
import { RSet, add, div, isInteger, isNumber, mul, rem, sub, type Value } from '../value';
import { def, fail, int, num, typeErr } from './util';
import type { BuiltinDef } from './types';

function roundHalfAway(n: number): number {
  const r = Math.sign(n) * Math.round(Math.abs(n));
  return r === 0 ? 0 : r;
}

function intOp(name: string, f: (x: number) => number): BuiltinDef {
  return def(name, 1, (args) => {
    const v = num(args, 0);
    if (typeof v === 'bigint') return v;
    const r = f(v);
    return r === 0 ? 0 : r;
  });
}

/** numbers.range operands: OPA reports a non-number as `must be integer`. */
function integer(args: Value[], i: number): number {
  if (!isNumber(args[i])) return typeErr(i + 1, args[i], 'integer');
  return int(args, i);
}

function range(a: number, b: number, step: number): Value[] {
  const out: Value[] = [];
  if (a <= b) for (let i = a; i <= b; i += step) out.push(i);
  else for (let i = a; i >= b; i -= step) out.push(i);
  return out;
}

export const numbers: BuiltinDef[] = [
  def('abs', 1, (args) => {
    const v = num(args, 0);
    return typeof v === 'bigint' ? (v < BigInt(0) ? -v : v) : Math.abs(v);
  }),
  intOp('round', roundHalfAway),
  intOp('ceil', Math.ceil),
  intOp('floor', Math.floor),
  def('numbers.range', 2, (args) => {
    const a = integer(args, 0);
    const b = integer(args, 1);
    if (Math.abs(b - a) > 1e7) fail('range too large');
    return range(a, b, 1);
  }),
  def('numbers.range_step', 3, (args) => {
    const a = integer(args, 0);
    const b = integer(args, 1);
    const step = integer(args, 2);
    if (step <= 0) fail('step must be a positive integer');
    if (Math.abs(b - a) / step > 1e7) fail('range too large');
    return range(a, b, step);
  }),
  def('plus', 2, (args) => add(num(args, 0), num(args, 1))),
  def('mul', 2, (args) => mul(num(args, 0), num(args, 1))),
  def('div', 2, (args) => div(num(args, 0), num(args, 1))),
  def('rem', 2, (args) => {
    const a = num(args, 0);
    const b = num(args, 1);
    if (!isInteger(a) || !isInteger(b)) fail('modulo on floating-point number');
    return rem(a, b);
  }),
  def('minus', 2, ([a, b]) => {
    if (isNumber(a)) {
      if (!isNumber(b)) return typeErr(2, b, 'number');
      return sub(a, b);
    }
    if (a instanceof RSet) {
      if (!(b instanceof RSet)) return typeErr(2, b, 'set');
      const out = new RSet();
      for (const [k, v] of a.map) if (!b.map.has(k)) out.map.set(k, v);
      return out;
    }
    return typeErr(1, a, 'number', 'set');
  }),
];
