/**
 * A minimal reader for the classic pcap files tcpdump writes (Ethernet link type, IPv4 TCP/UDP),
 * enough to count packets, see WireGuard message types and find a TLS ServerHello.
 */
import * as fs from 'node:fs';

/** One captured IPv4 TCP or UDP packet. */
export interface Packet {
  readonly proto: 'tcp' | 'udp' | 'other';
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  /** the transport payload */
  readonly payload: Buffer;
  /** the whole captured frame length */
  readonly length: number;
}

/** Parses a pcap file; throws on a format it does not know. */
export function readPcap(file: string): { packets: Packet[]; bytes: Buffer } {
  const buf = fs.readFileSync(file);
  if (buf.length < 24) throw new Error(`${file}: not a pcap file (${buf.length} bytes)`);
  const magic = buf.readUInt32LE(0);
  let le: boolean;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) le = true;
  else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) le = false;
  else throw new Error(`${file}: unknown pcap magic ${magic.toString(16)}`);
  const u32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const linktype = u32(20);
  if (linktype !== 1) throw new Error(`${file}: link type ${linktype}, expected Ethernet (1)`);
  const packets: Packet[] = [];
  let off = 24;
  while (off + 16 <= buf.length) {
    const incl = u32(off + 8);
    const frame = buf.subarray(off + 16, off + 16 + incl);
    off += 16 + incl;
    if (frame.length < 14 || frame.readUInt16BE(12) !== 0x0800) continue;
    const ip = frame.subarray(14);
    if (ip.length < 20) continue;
    const ihl = (ip[0] & 0x0f) * 4;
    const total = Math.min(ip.readUInt16BE(2), ip.length);
    const protoNum = ip[9];
    const src = Array.from(ip.subarray(12, 16)).join('.');
    const dst = Array.from(ip.subarray(16, 20)).join('.');
    const l4 = ip.subarray(ihl, total);
    if (protoNum === 17 && l4.length >= 8) {
      packets.push({
        proto: 'udp',
        src,
        dst,
        sport: l4.readUInt16BE(0),
        dport: l4.readUInt16BE(2),
        payload: l4.subarray(8),
        length: frame.length,
      });
    } else if (protoNum === 6 && l4.length >= 20) {
      const doff = (l4[12] >> 4) * 4;
      packets.push({
        proto: 'tcp',
        src,
        dst,
        sport: l4.readUInt16BE(0),
        dport: l4.readUInt16BE(2),
        payload: l4.subarray(doff),
        length: frame.length,
      });
    } else {
      packets.push({
        proto: 'other',
        src,
        dst,
        sport: 0,
        dport: 0,
        payload: Buffer.alloc(0),
        length: frame.length,
      });
    }
  }
  return { packets, bytes: buf };
}

/**
 * WireGuard message types seen in UDP payloads on `port`: 1 handshake initiation (148 bytes),
 * 2 handshake response (92 bytes), 3 cookie reply, 4 transport data. Returns counts per type.
 */
export function wireGuardMessages(packets: readonly Packet[], port: number): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const p of packets) {
    if (p.proto !== 'udp' || (p.sport !== port && p.dport !== port) || p.payload.length < 4) continue;
    const type = p.payload[0];
    // the three reserved bytes after the type are zero in every WireGuard message
    if (p.payload[1] !== 0 || p.payload[2] !== 0 || p.payload[3] !== 0) continue;
    const ok =
      (type === 1 && p.payload.length === 148) ||
      (type === 2 && p.payload.length === 92) ||
      (type === 3 && p.payload.length === 64) ||
      (type === 4 && p.payload.length >= 32);
    if (ok) counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

/**
 * The cipher suite (IANA number) chosen in a TLS 1.2 ServerHello sent from `serverPort`, read
 * from the first TCP segment that starts with a handshake record; undefined when none is seen.
 */
export function serverHelloCipher(packets: readonly Packet[], serverPort: number): number | undefined {
  for (const p of packets) {
    if (p.proto !== 'tcp' || p.sport !== serverPort) continue;
    const d = p.payload;
    // record: type 22 (handshake), version 3.x, length; handshake: type 2 (ServerHello)
    if (d.length < 5 + 4 + 2 + 32 + 1 || d[0] !== 0x16 || d[1] !== 0x03 || d[5] !== 0x02) continue;
    const sidLen = d[5 + 4 + 2 + 32];
    const at = 5 + 4 + 2 + 32 + 1 + sidLen;
    if (d.length < at + 2) continue;
    return d.readUInt16BE(at);
  }
  return undefined;
}

/** IANA numbers of the TLS 1.2 GOST cipher suites (RFC 9189 and the legacy 28147-89 ones). */
export const GOST_SUITE_NUMBERS: Readonly<Record<number, string>> = {
  0xc100: 'TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC (GOST2012-KUZNYECHIK-KUZNYECHIKOMAC)',
  0xc101: 'TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC (GOST2012-MAGMA-MAGMAOMAC)',
  0xc102: 'TLS_GOSTR341112_256_WITH_28147_CNT_IMIT (IANA-GOST2012-GOST8912-GOST8912)',
  0xff85: 'GOST2012-GOST8912-GOST8912 (legacy code point)',
};
