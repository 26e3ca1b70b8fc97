/** net.cidr_* for IPv4 and IPv6 (OPA topdown/cidr.go, Go's net package rules). */
import { RSet, isObject, objSortedEntries, type Value } from '../value';
import { def, fail, str } from './util';
import type { BuiltinDef } from './types';

interface Net {
  bits: 32 | 128;
  /** network address (masked) */
  addr: bigint;
  prefix: number;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = BigInt(0);
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << BigInt(8)) | BigInt(n);
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  if (s.includes('%')) return undefined;
  let tail4: bigint | undefined;
  let text = s;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tail4 = parseV4(s.slice(lastColon + 1));
    if (tail4 === undefined) return undefined;
    text = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 ? (halves[1] === '' ? [] : halves[1].split(':')) : [];
  const groups = halves.length === 2 ? head.length + tail.length : head.length;
  if (halves.length === 1 && groups !== 8) return undefined;
  if (halves.length === 2 && groups > 7) return undefined;
  const all = halves.length === 2 ? [...head, ...Array(8 - groups).fill('0'), ...tail] : head;
  let v = BigInt(0);
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << BigInt(16)) | BigInt(parseInt(g, 16));
  }
  if (tail4 !== undefined) v = (v & ~BigInt(0xffffffff)) | tail4;
  return v;
}

function mask(bits: number, prefix: number): bigint {
  const all = (BigInt(1) << BigInt(bits)) - BigInt(1);
  return all ^ ((BigInt(1) << BigInt(bits - prefix)) - BigInt(1));
}

export function parseCidr(s: string): Net | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = s.slice(0, slash);
  const pre = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(pre)) return undefined;
  const prefix = Number(pre);
  const v4 = parseV4(ip);
  if (v4 !== undefined) {
    if (prefix > 32) return undefined;
    return { bits: 32, addr: v4 & mask(32, prefix), prefix };
  }
  const v6 = parseV6(ip);
  if (v6 !== undefined) {
    if (prefix > 128) return undefined;
    return { bits: 128, addr: v6 & mask(128, prefix), prefix };
  }
  return undefined;
}

function parseIp(s: string): Net | undefined {
  const v4 = parseV4(s);
  if (v4 !== undefined) return { bits: 32, addr: v4, prefix: 32 };
  const v6 = parseV6(s);
  if (v6 !== undefined) return { bits: 128, addr: v6, prefix: 128 };
  return undefined;
}

function cidrOrFail(s: string): Net {
  const n = parseCidr(s);
  if (!n) return fail(`invalid CIDR address: ${s}`);
  return n;
}

/** IPv4 networks are compared as IPv4-mapped IPv6 when mixed with IPv6 (as Go does). */
function toV6(n: Net): Net {
  if (n.bits === 128) return n;
  return { bits: 128, addr: (BigInt(0xffff) << BigInt(32)) | n.addr, prefix: n.prefix + 96 };
}

function contains(a: Net, b: Net): boolean {
  if (a.bits !== b.bits) {
    a = toV6(a);
    b = toV6(b);
  }
  if (b.prefix < a.prefix) return false;
  return (b.addr & mask(a.bits, a.prefix)) === a.addr;
}

const MAX_EXPAND = 1 << 20;

/** Go's net.IP.String(): dotted IPv4, or IPv6 with the longest run of zero groups as `::`. */
export function formatIp(bits: 32 | 128, v: bigint): string {
  if (bits === 32) return [24, 16, 8, 0].map((s) => Number((v >> BigInt(s)) & BigInt(255))).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(112 - 16 * i)) & BigInt(0xffff)));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export const net: BuiltinDef[] = [
  def('net.cidr_contains', 2, (args) => {
    const a = cidrOrFail(str(args, 0));
    const s = str(args, 1);
    const b = parseIp(s) ?? parseCidr(s);
    if (!b) return fail(`not a valid textual representation of an IP address or CIDR: ${s}`);
    return contains(a, b);
  }),
  def('net.cidr_overlap', 2, (args, ctx) => (net[0] as BuiltinDef).fn(args, ctx), {
    label: 'net.cidr_overlap',
  }),
  def('net.cidr_contains_matches', 2, (args) => {
    const out = new RSet();
    const pairs = (v: Value, pos: number): Array<[string, Value]> => {
      const cidrOf = (x: Value): string => {
        if (typeof x === 'string') return x;
        if (Array.isArray(x) && x.length > 0 && typeof x[0] === 'string') return x[0];
        return fail(`operand ${pos}: element must be string or non-empty array`);
      };
      if (typeof v === 'string') return [[v, v]];
      if (Array.isArray(v)) return v.map((x, i): [string, Value] => [cidrOf(x), i]);
      if (v instanceof RSet) return v.sorted().map((x): [string, Value] => [cidrOf(x), x]);
      if (isObject(v)) return objSortedEntries(v).map(([k, x]): [string, Value] => [cidrOf(x), k]);
      return [];
    };
    for (const [c1, i1] of pairs(args[0], 1)) {
      const a = cidrOrFail(c1);
      for (const [c2, i2] of pairs(args[1], 2)) {
        const b = parseIp(c2) ?? parseCidr(c2);
        if (!b) return fail(`not a valid textual representation of an IP address or CIDR: ${c2}`);
        if (contains(a, b)) out.add([i1, i2]);
      }
    }
    return out;
  }),
  def('net.cidr_expand', 1, (args) => {
    const n = cidrOrFail(str(args, 0));
    const count = BigInt(1) << BigInt(n.bits - n.prefix);
    if (count > BigInt(MAX_EXPAND)) return fail(`not supported: expanding more than ${MAX_EXPAND} addresses`);
    const out = new RSet();
    for (let i = BigInt(0); i < count; i++) out.add(formatIp(n.bits, n.addr + i));
    return out;
  }),
  def('net.cidr_intersects', 2, (args) => {
    const a = cidrOrFail(str(args, 0));
    const b = cidrOrFail(str(args, 1));
    return contains(a, b) || contains(b, a);
  }),
  def('net.cidr_is_valid', 1, ([v]) => typeof v === 'string' && parseCidr(v) !== undefined),
  def('net.cidr_merge', 1, ([v]) => {
    const list = Array.isArray(v) ? v : v instanceof RSet ? v.sorted() : fail('operand must be an array');
    return cidrMerge(list.map((e) => (typeof e === 'string' ? mergeNet(e) : fail('element must be string'))));
  }),
];

/** OPA's generateIPNet: an IPv4 address takes its classful default mask (unmasked, as Go prints
 * it), an IPv6 address needs a prefix, anything else must be a CIDR. */
function mergeNet(s: string): { net: Net; text: string } {
  const v4 = parseV4(s);
  if (v4 !== undefined) {
    const first = Number(v4 >> BigInt(24));
    const prefix = first < 0x80 ? 8 : first < 0xc0 ? 16 : 24;
    return { net: { bits: 32, addr: v4 & mask(32, prefix), prefix }, text: `${s}/${prefix}` };
  }
  if (parseV6(s) !== undefined) return fail('IPv6 invalid: needs prefix length');
  const n = cidrOrFail(s);
  return { net: n, text: `${formatIp(n.bits, n.addr)}/${n.prefix}` };
}

/** Merges into the fewest CIDRs: ranges sorted and joined when adjacent or overlapping; a range
 * that joined nothing keeps its original text, a joined one is split into aligned blocks. */
function cidrMerge(nets: Array<{ net: Net; text: string }>): RSet {
  const out = new RSet();
  for (const bits of [32, 128] as const) {
    const ranges = nets
      .filter((n) => n.net.bits === bits)
      .map((n) => {
        const first = n.net.addr;
        const last = first | ((BigInt(1) << BigInt(bits - n.net.prefix)) - BigInt(1));
        return { first, last, text: n.text as string | null };
      })
      .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    const merged: typeof ranges = [];
    for (const r of ranges) {
      const prev = merged[merged.length - 1];
      if (prev && r.first - BigInt(1) <= prev.last) {
        if (r.last > prev.last || prev.text === null || r.text !== prev.text) {
          merged[merged.length - 1] = { first: prev.first, last: r.last > prev.last ? r.last : prev.last, text: null };
        }
      } else merged.push({ ...r });
    }
    for (const r of merged) {
      if (r.text !== null) out.add(r.text);
      else for (const c of rangeToCidrs(bits, r.first, r.last)) out.add(c);
    }
  }
  return out;
}

function rangeToCidrs(bits: 32 | 128, first: bigint, last: bigint): string[] {
  const out: string[] = [];
  let cur = first;
  while (cur <= last) {
    let size = 0;
    while (size < bits) {
      const block = BigInt(1) << BigInt(size + 1);
      if (cur % block !== BigInt(0) || cur + block - BigInt(1) > last) break;
      size++;
    }
    out.push(`${formatIp(bits, cur)}/${bits - size}`);
    cur += BigInt(1) << BigInt(size);
  }
  return out;
}
