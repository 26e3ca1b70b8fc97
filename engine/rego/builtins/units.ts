/**
 * units.parse and units.parse_bytes as OPA implements them: decimal (k, M, G, …) and binary
 * (Ki, Mi, …) suffixes, case-insensitive except `m` (milli) vs `M` (mega) in units.parse,
 * surrounding double quotes ignored, exact integers where the value is whole.
 */
import { normNumber, type Value } from '../value';
import { def, fail, str } from './util';
import type { BuiltinDef } from './types';

const B = (n: number | string): bigint => BigInt(n);
const dec = (p: number): bigint => B(10) ** B(p);
const bin = (p: number): bigint => B(2) ** B(p);

const DECIMAL: Record<string, bigint> = {
  k: dec(3),
  m: dec(6),
  g: dec(9),
  t: dec(12),
  p: dec(15),
  e: dec(18),
};
const BINARY: Record<string, bigint> = {
  ki: bin(10),
  mi: bin(20),
  gi: bin(30),
  ti: bin(40),
  pi: bin(50),
  ei: bin(60),
};

/** A decimal literal as mantissa and decimal scale (value = mantissa / 10^scale). */
function decimal(text: string): { mant: bigint; scale: number } | undefined {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === '' && (m[2] === undefined || m[2] === ''))) return undefined;
  const frac = m[2] ?? '';
  return { mant: BigInt((m[1] || '0') + frac), scale: frac.length };
}

/** mant * mult / 10^scale: an exact integer when it divides, else a float. */
function scaled(d: { mant: bigint; scale: number }, mult: bigint, extraScale = 0, truncate = false): Value {
  const scale = d.scale + extraScale;
  const num = d.mant * mult;
  const den = dec(scale);
  if (num % den === B(0) || truncate) return normNumber(num / den);
  return Number(num) / Number(den);
}

function splitAmount(s: string): [string, string] {
  const m = /^([0-9.]*)(.*)$/.exec(s) as RegExpExecArray;
  return [m[1], m[2]];
}

/** OPA drops every double quote (not only surrounding ones) before parsing. */
function unquote(s: string): string {
  return s.replace(/"/g, '');
}

export const units: BuiltinDef[] = [
  def('units.parse', 1, (args) => {
    const s = unquote(str(args, 0));
    if (s.includes(' ')) return fail('spaces not allowed in resource strings');
    const [amount, unit] = splitAmount(s);
    if (amount === '') return fail('no amount provided');
    const d = decimal(amount);
    if (!d) return fail('could not parse amount to a number');
    if (unit === '') return scaled(d, B(1));
    if (unit === 'm') return scaled(d, B(1), 3);
    const u = unit.toLowerCase();
    if (u in DECIMAL && u.length === 1) return scaled(d, DECIMAL[u]);
    if (u in BINARY) return scaled(d, BINARY[u]);
    return fail(`unit ${unit} not recognized`);
  }),
  def('units.parse_bytes', 1, (args) => {
    const s = unquote(str(args, 0));
    if (s.includes(' ')) return fail('spaces not allowed in resource strings');
    const [amount, unit] = splitAmount(s.toLowerCase());
    if (amount === '') return fail('no byte amount provided');
    const d = decimal(amount);
    if (!d) return fail('could not parse byte amount to a number');
    if (unit === '' || unit === 'b') return scaled(d, B(1), 0, true);
    const u = unit.endsWith('b') ? unit.slice(0, -1) : unit;
    if (u.length === 1 && u in DECIMAL) return scaled(d, DECIMAL[u], 0, true);
    if (u in BINARY) return scaled(d, BINARY[u], 0, true);
    return fail(`byte unit ${unit} not recognized`);
  }),
];
