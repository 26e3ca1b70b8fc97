/**
 * uuid.rfc4122 and rand.intn (OPA topdown/uuid.go, numbers.go): random values that stay the
 * same for the same arguments within one query (OPA's per-query builtin cache); and uuid.parse,
 * which reads a UUID as Google's uuid package does (canonical, braced, urn:uuid: or 32 hex digits)
 * and gives its version and variant, plus time, node and clock sequence for versions 1 and 2.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { RObject, hashKey, makeObject, type Value } from '../value';
import { def, int, str } from './util';
import type { BuiltinDef } from './types';

/** Go's fmt "%x-%x-%x-%x-%x" of 16 random bytes with the v4 and RFC 4122 bits set. */
function newV4(): string {
  const b = randomBytes(16);
  b[8] = (b[8] & 0x3f) | 0x80;
  b[6] = (b[6] & 0x0f) | 0x40;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** google/uuid.Parse: the 16 bytes, or undefined when the text is not a UUID. */
function parseUUID(s: string): Buffer | undefined {
  let t = s;
  if (t.length === 45) {
    if (t.slice(0, 9).toLowerCase() !== 'urn:uuid:') return undefined;
    t = t.slice(9);
  } else if (t.length === 38) {
    if (t[0] !== '{' || t[37] !== '}') return undefined;
    t = t.slice(1, 37);
  } else if (t.length === 32) {
    return /^[0-9a-fA-F]{32}$/.test(t) ? Buffer.from(t, 'hex') : undefined;
  } else if (t.length !== 36) return undefined;
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(t)) return undefined;
  return Buffer.from(t.replace(/-/g, ''), 'hex');
}

function variant(b: number): string {
  if ((b & 0xc0) === 0x80) return 'RFC4122';
  if ((b & 0xe0) === 0xc0) return 'Microsoft';
  if ((b & 0xe0) === 0xe0) return 'Future';
  return 'Reserved';
}

/** macVars of OPA's internal/uuid: the local/global and multicast bits of a MAC's first byte. */
function macVars(b: number): string {
  if ((b & 3) === 3) return 'local:multicast';
  if ((b & 1) === 1) return 'global:multicast';
  if ((b & 2) === 2) return 'local:unicast';
  return 'global:unicast';
}

const GREGORIAN_OFFSET = BigInt('122192928000000000'); // 100 ns intervals from 1582-10-15 to 1970-01-01

function uuidFields(u: Buffer): RObject {
  const version = u[6] >> 4;
  const entries: Array<[Value, Value]> = [
    ['version', version],
    ['variant', variant(u[8])],
  ];
  if (version === 1 || version === 2) {
    const timeLow = version === 1 ? BigInt(u.readUInt32BE(0)) : BigInt(0);
    const t = timeLow | (BigInt(u.readUInt16BE(4)) << BigInt(32)) | (BigInt(u.readUInt16BE(6) & 0xfff) << BigInt(48));
    const since = t - GREGORIAN_OFFSET;
    const ns = (since / BigInt(10_000_000)) * BigInt(1_000_000_000) + (since % BigInt(10_000_000)) * BigInt(100);
    entries.push(['time', Number.isSafeInteger(Number(ns)) ? Number(ns) : ns]);
    entries.push(['nodeid', `${macVars(u[10])}:${u.subarray(10, 16).toString('hex')}`]);
    entries.push(['clocksequence', u.readUInt16BE(8) & 0x3fff]);
    if (version === 2) {
      entries.push(['id', u.readUInt32BE(0)]);
      const d = u[9];
      entries.push(['domain', d === 0 ? 'Person' : d === 1 ? 'Group' : d === 2 ? 'Org' : `Domain${d}`]);
    }
  }
  return makeObject(entries);
}

export const uuid: BuiltinDef[] = [
  def('uuid.rfc4122', 1, ([k], ctx) => {
    const key = `uuid.rfc4122/${hashKey(k)}`;
    let v = ctx.queryCache.get(key);
    if (v === undefined) ctx.queryCache.set(key, (v = newV4()));
    return v;
  }),
  def('uuid.parse', 1, (args) => {
    const u = parseUUID(str(args, 0));
    return u === undefined ? undefined : uuidFields(u);
  }),
  def('rand.intn', 2, (args, ctx) => {
    const s = str(args, 0);
    let n = int(args, 1);
    if (n === 0) return 0;
    if (n < 0) n = -n;
    const key = `rand.intn/${s}-${n}`;
    let v = ctx.queryCache.get(key);
    if (v === undefined) ctx.queryCache.set(key, (v = n <= 2 ** 48 ? randomInt(n) : Math.floor(Math.random() * n)));
    return v;
  }),
];
