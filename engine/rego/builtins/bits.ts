/** Bitwise builtins on integers: bits.and, bits.or, bits.xor, bits.negate, bits.lsh, bits.rsh. */
import { normNumber, type Value } from '../value';
import { def, num, operandErr } from './util';
import type { BuiltinDef } from './types';

function bigInt(args: Value[], i: number): bigint {
  const v = num(args, i);
  if (typeof v === 'bigint') return v;
  if (!Number.isInteger(v)) return operandErr(i + 1, 'must be integer number but got floating-point number');
  return BigInt(v);
}

function shift(args: Value[]): bigint {
  const s = bigInt(args, 1);
  if (s < BigInt(0)) return operandErr(2, 'must be an unsigned integer number but got a negative integer');
  return s;
}

export const bits: BuiltinDef[] = [
  def('bits.and', 2, (args) => normNumber(bigInt(args, 0) & bigInt(args, 1))),
  def('bits.or', 2, (args) => normNumber(bigInt(args, 0) | bigInt(args, 1))),
  def('bits.xor', 2, (args) => normNumber(bigInt(args, 0) ^ bigInt(args, 1))),
  def('bits.negate', 1, (args) => normNumber(~bigInt(args, 0))),
  def('bits.lsh', 2, (args) => normNumber(bigInt(args, 0) << shift(args))),
  def('bits.rsh', 2, (args) => normNumber(bigInt(args, 0) >> shift(args))),
];
