/** Numbers (OPA topdown/numbers.go): numbers.range, numbers.range_step. Arithmetic is in arithmetic.ts. */
import { isNumber, type Value } from '../value';
import { def, fail, int, typeErr } from './util';
import type { BuiltinDef } from './types';

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
];
