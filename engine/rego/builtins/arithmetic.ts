/**
 * Arithmetic (OPA topdown/arithmetic.go): the operators by their builtin names — `+` plus,
 * `-` minus (numbers, or set difference), `*` mul, `/` div, `%` rem — and abs, round, ceil, floor.
 * Numbers are exact: integers beyond 2^53 are bigints, decimals follow OPA's big.Float rules (value.ts).
 */
import { RSet, add, div, isInteger, isNumber, mul, rem, sub } from '../value';
import { def, fail, num, typeErr } from './util';
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

export const arithmetic: BuiltinDef[] = [
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
      for (const v of a.values()) if (!b.has(v)) out.add(v);
      return out;
    }
    return typeErr(1, a, 'number', 'set');
  }),
  def('abs', 1, (args) => {
    const v = num(args, 0);
    return typeof v === 'bigint' ? (v < BigInt(0) ? -v : v) : Math.abs(v);
  }),
  intOp('round', roundHalfAway),
  intOp('ceil', Math.ceil),
  intOp('floor', Math.floor),
];
