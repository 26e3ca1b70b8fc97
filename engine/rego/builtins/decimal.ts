/**
 * Exact decimal sums and products of JS numbers, so that `sum([0.1, 0.2])` is 0.3 as in OPA
 * (which adds in big.Float / big.Int rather than float64).
 */
import { normNumber } from '../value';

interface Dec {
  mant: bigint;
  /** value = mant * 10^exp */
  exp: number;
}

function toDec(n: number | bigint): Dec {
  if (typeof n === 'bigint') return { mant: n, exp: 0 };
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(n));
  if (!m) throw new RangeError(`not a finite number: ${n}`);
  const frac = m[3] ?? '';
  return { mant: BigInt(m[1] + m[2] + frac), exp: Number(m[4] ?? 0) - frac.length };
}

function fromDec(d: Dec): number | bigint {
  if (d.exp >= 0) return normNumber(d.mant * BigInt(10) ** BigInt(d.exp));
  return Number(`${d.mant}e${d.exp}`);
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.mant * BigInt(10) ** BigInt(a.exp - exp), b.mant * BigInt(10) ** BigInt(b.exp - exp), exp];
}

function finite(xs: Array<number | bigint>): boolean {
  return xs.every((x) => typeof x === 'bigint' || Number.isFinite(x));
}

export function decimalSum(xs: Array<number | bigint>): number | bigint {
  if (!finite(xs)) return xs.reduce<number>((a, b) => a + Number(b), 0);
  let acc: Dec = { mant: BigInt(0), exp: 0 };
  for (const x of xs) {
    const [p, q, exp] = align(acc, toDec(x));
    acc = { mant: p + q, exp };
  }
  return fromDec(acc);
}

export function decimalProduct(xs: Array<number | bigint>): number | bigint {
  if (!finite(xs)) return xs.reduce<number>((a, b) => a * Number(b), 1);
  let acc: Dec = { mant: BigInt(1), exp: 0 };
  for (const x of xs) {
    const d = toDec(x);
    acc = { mant: acc.mant * d.mant, exp: acc.exp + d.exp };
  }
  return fromDec(acc);
}
