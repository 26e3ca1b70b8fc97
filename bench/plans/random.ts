/** A small seeded PRNG (mulberry32) and the helpers the plan generator draws with. Deterministic. */
export class Rng {
  private a: number;

  constructor(seed: number) {
    this.a = seed | 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.a = (this.a + 0x6d2b79f5) | 0;
    let t = Math.imul(this.a ^ (this.a >>> 15), 1 | this.a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }

  /** Lower-case hex of `n` digits (uids, hashes). */
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(this.next() * 16)];
    return s;
  }

  /** Words of filler text, for descriptions and configuration files. */
  words(n: number): string {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.pick(WORDS));
    return out.join(' ');
  }
}

/** A seed derived from a base seed and a label, so that each part of a plan has its own stream. */
export function subSeed(seed: number, label: string): number {
  let h = seed ^ 0x9e3779b9;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const WORDS = [
  'request', 'timeout', 'upstream', 'cache', 'retry', 'buffer', 'worker', 'listen', 'session',
  'compress', 'header', 'proxy', 'pool', 'limit', 'route', 'metric', 'trace', 'queue', 'batch',
  'shard', 'replica', 'index', 'token', 'client', 'server', 'region', 'zone', 'backend', 'frontend',
  'gateway', 'ledger', 'invoice', 'customer', 'account', 'payment', 'document', 'archive', 'report',
];
