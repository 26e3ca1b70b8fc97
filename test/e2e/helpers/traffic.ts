/**
 * The payload sent through the tunnels and the tiny node TCP server/client that send and receive
 * it inside the namespaces, plus the tcpdump capture on the veth.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Lab, type Started, readLog, sleep, waitFor } from './system';

/**
 * A PostgreSQL-like stream carrying a unique marker: a v3 StartupMessage (user, database,
 * application_name = marker), a simple Query and ~48 KiB of DataRow-like rows of personal data,
 * each row carrying the marker, so it spans many packets.
 */
export function makePayload(): { payload: Buffer; marker: string; sha256: string } {
  const marker = `KZRES-MARKER-${randomBytes(8).toString('hex')}`;
  const params = Buffer.from(
    ['user', 'kzres_replicator', 'database', 'golden_record', 'application_name', marker, ''].join('\0') +
      '\0',
  );
  const startup = Buffer.alloc(8);
  startup.writeInt32BE(8 + params.length, 0);
  startup.writeInt32BE(196608, 4); // protocol 3.0
  const query = Buffer.from(`SELECT iin, full_name FROM residents WHERE tag = '${marker}';\0`);
  const q = Buffer.alloc(5);
  q.write('Q', 0);
  q.writeInt32BE(4 + query.length, 1);
  const rows: Buffer[] = [];
  for (let i = 0; i < 400; i++) {
    const row = Buffer.from(
      `${String(900101300000 + i)}|Resident ${i} of Almaty|${marker}|${'x'.repeat(40)}`,
    );
    const h = Buffer.alloc(5);
    h.write('D', 0);
    h.writeInt32BE(4 + row.length, 1);
    rows.push(h, row);
  }
  const payload = Buffer.concat([startup, params, q, query, ...rows]);
  return { payload, marker, sha256: createHash('sha256').update(payload).digest('hex') };
}

const SERVER_JS = `
const net = require('net'); const fs = require('fs'); const crypto = require('crypto');
const [host, port, out, expected] = [process.argv[2], Number(process.argv[3]), process.argv[4], Number(process.argv[5])];
const srv = net.createServer((c) => {
  const chunks = []; let n = 0;
  const done = () => { const b = Buffer.concat(chunks); fs.writeFileSync(out, b);
    console.log('received ' + b.length + ' sha256 ' + crypto.createHash('sha256').update(b).digest('hex')); };
  c.on('data', (d) => { chunks.push(d); n += d.length; if (n >= expected) { done(); c.end(); } });
  c.on('end', () => { if (n < expected) done(); });
  c.on('error', (e) => console.log('connection error ' + e.message));
});
srv.listen(port, host, () => console.log('listening ' + host + ':' + port));
`;

const CLIENT_JS = `
const net = require('net'); const fs = require('fs');
const [host, port, file, deadline] = [process.argv[2], Number(process.argv[3]), process.argv[4], Date.now() + Number(process.argv[5])];
const payload = fs.readFileSync(file);
function attempt() {
  const c = net.connect({ host, port, timeout: 1500 });
  let sent = false;
  c.on('connect', () => { sent = true; console.log('connected'); c.end(payload); });
  c.on('timeout', () => { console.log('connect timeout'); c.destroy(); retry(); });
  c.on('error', (e) => { console.log('error ' + e.code); if (!sent) retry(); });
  c.on('close', () => { if (sent) { console.log('sent ' + payload.length); process.exit(0); } });
}
function retry() { if (Date.now() > deadline) { console.log('gave up'); process.exit(3); } setTimeout(attempt, 250); }
attempt();
`;

/** Writes the server and client scripts into the lab dir; returns their paths. */
export function writeScripts(lab: Lab): { server: string; client: string } {
  const server = path.join(lab.dir, 'server.js');
  const client = path.join(lab.dir, 'client.js');
  fs.writeFileSync(server, SERVER_JS);
  fs.writeFileSync(client, CLIENT_JS);
  return { server, client };
}

/** Starts the receiving server in `ns` on host:port; resolves once it listens. */
export async function startReceiver(
  lab: Lab,
  ns: string,
  host: string,
  port: number,
  expected: number,
  name = 'receiver',
): Promise<{ proc: Started; out: string }> {
  const { server } = writeScripts(lab);
  const out = path.join(lab.dir, `${name}.bin`);
  const proc = lab.start(name, ns, process.execPath, [server, host, String(port), out, String(expected)]);
  await waitFor(
    `${name} to listen on ${host}:${port}`,
    () => readLog(proc.log).includes('listening') || proc.exitCode() !== undefined,
    10000,
  );
  if (proc.exitCode() !== undefined) throw new Error(`${name} exited: ${readLog(proc.log)}`);
  return { proc, out };
}

/** Sends the payload from `ns` to host:port, retrying the connection until `withinMs` passes. */
export async function send(
  lab: Lab,
  ns: string,
  host: string,
  port: number,
  payload: Buffer,
  withinMs: number,
  name = 'sender',
): Promise<{ code: number | string; log: string }> {
  const { client } = writeScripts(lab);
  const file = path.join(lab.dir, `${name}.payload`);
  fs.writeFileSync(file, payload);
  const proc = lab.start(name, ns, process.execPath, [client, host, String(port), file, String(withinMs)]);
  const code = await proc.exited;
  return { code, log: readLog(proc.log) };
}

/** Waits up to `ms` for the receiver to have written its output; returns it, or undefined. */
export async function received(out: string, ms: number): Promise<Buffer | undefined> {
  try {
    await waitFor(`payload at ${out}`, () => fs.existsSync(out), ms);
  } catch {
    return undefined;
  }
  return fs.readFileSync(out);
}

/** Starts tcpdump on `iface` in `ns`, writing every full frame to a pcap; resolves once it captures. */
export async function startCapture(
  lab: Lab,
  ns: string,
  iface: string,
  name: string,
): Promise<{ proc: Started; pcap: string }> {
  const pcap = path.join(lab.dir, `${name}.pcap`);
  const proc = lab.start(name, ns, 'tcpdump', [
    '-i',
    iface,
    '-n',
    '--immediate-mode',
    '-U',
    '-s',
    '0',
    '-Z',
    'root',
    '-w',
    pcap,
  ]);
  await waitFor(
    `tcpdump on ${iface}`,
    () => /listening on/.test(readLog(proc.log)) || proc.exitCode() !== undefined,
    10000,
  );
  if (proc.exitCode() !== undefined) throw new Error(`tcpdump exited: ${readLog(proc.log)}`);
  return { proc, pcap };
}

/** Stops a capture (SIGINT flushes the file) and returns tcpdump's summary line. */
export async function stopCapture(lab: Lab, cap: { proc: Started }): Promise<string> {
  await sleep(300); // let the last frames reach the file
  await lab.stop(cap.proc, 'SIGINT', 3000);
  return readLog(cap.proc.log)
    .trim()
    .split('\n')
    .filter((l) => /packets captured/.test(l))
    .join('; ');
}
