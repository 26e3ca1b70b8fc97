/** semver.compare and semver.is_valid (SemVer 2.0.0, no leading "v"). */
import { def, fail, str } from './util';
import type { BuiltinDef } from './types';

const RE =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

interface Version {
  nums: [bigint, bigint, bigint];
  pre: string[];
}

function parse(s: string): Version | undefined {
  const m = RE.exec(s);
  if (!m) return undefined;
  return { nums: [BigInt(m[1]), BigInt(m[2]), BigInt(m[3])], pre: m[4] ? m[4].split('.') : [] };
}

export function compareSemver(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a.nums[i] !== b.nums[i]) return a.nums[i] < b.nums[i] ? -1 : 1;
  if (a.pre.length === 0 || b.pre.length === 0)
    return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (xn !== yn) return xn ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.pre.length === b.pre.length ? 0 : a.pre.length < b.pre.length ? -1 : 1;
}

export const semver: BuiltinDef[] = [
  def('semver.compare', 2, (args) => {
    const a = str(args, 0);
    const b = str(args, 1);
    const va = parse(a);
    if (!va) return fail(`operand 1: string ${JSON.stringify(a)} is not a valid SemVer`);
    const vb = parse(b);
    if (!vb) return fail(`operand 2: string ${JSON.stringify(b)} is not a valid SemVer`);
    return compareSemver(va, vb);
  }),
  def('semver.is_valid', 1, ([v]) => typeof v === 'string' && parse(v) !== undefined),
];
