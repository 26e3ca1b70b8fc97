/**
 * What both tunnel tests share: the lab with its kz and hq namespaces, the tunnel synthesized
 * active and suspended, the Secret directories, the writing of a rendered file made runnable, and
 * the checks that a payload sent through an active tunnel arrived intact and never crossed the
 * veth in plaintext.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TunnelProfile } from '../../../constructs/tunnel-config';
import { readPcap } from './pcap';
import { synthesizeTunnel, type RenderedTunnel } from './rendered';
import { Lab, readLog, type Started } from './system';
import { received, send, startReceiver, stopCapture } from './traffic';

export interface TunnelLab {
  readonly lab: Lab;
  readonly ns: { kz: string; hq: string; kzAddr: string; hqAddr: string };
  readonly active: RenderedTunnel;
  readonly suspended: RenderedTunnel;
  /** Where each side's Secret files are written (what the gateway pod mounts). */
  readonly secrets: { kz: string; hq: string };
}

/** A lab tagged `tag` with its namespaces and the `profile` tunnel synthesized active and suspended. */
export function setUpTunnelLab(tag: string, profile: TunnelProfile): TunnelLab {
  const lab = new Lab(tag);
  const active = synthesizeTunnel(profile, 'active');
  const suspended = synthesizeTunnel(profile, 'suspended');
  const ns = lab.createNamespaces();
  const secrets = { kz: path.join(lab.dir, 'kz-secret'), hq: path.join(lab.dir, 'hq-secret') };
  return { lab, ns, active, suspended, secrets };
}

/** Writes a runnable (substituted) config file as `<lab>/<side>-<tag>/<name>`; returns its path. */
export function writeRunnable(lab: Lab, side: 'kz' | 'hq', tag: string, name: string, text: string): string {
  const dir = path.join(lab.dir, `${side}-${tag}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, name);
  fs.writeFileSync(file, text, { mode: 0o600 });
  return file;
}

/**
 * Sends `payload` from the `from` namespace (default kz) to `sendTo` (retrying for `withinMs`)
 * while the other namespace receives at `receiveAt`, then stops the capture and the receiver.
 * Returns what {@link expectArrivedIntactUnseen} checks and tcpdump's summary.
 */
export async function deliver(
  t: Pick<TunnelLab, 'lab' | 'ns'>,
  cap: { proc: Started; pcap: string },
  payload: Buffer,
  route: {
    receiveAt: { host: string; port: number };
    sendTo: { host: string; port: number };
    withinMs: number;
    from?: 'kz' | 'hq';
  },
): Promise<{ sent: { code: number | string }; got: Buffer | undefined; receiver: Started; summary: string }> {
  const { lab, ns } = t;
  const from = route.from ?? 'kz';
  const to = from === 'kz' ? 'hq' : 'kz';
  const rx = await startReceiver(lab, ns[to], route.receiveAt.host, route.receiveAt.port, payload.length);
  const sent = await send(lab, ns[from], route.sendTo.host, route.sendTo.port, payload, route.withinMs);
  const got = await received(rx.out, 10000);
  const summary = await stopCapture(lab, cap);
  await lab.stop(rx.proc);
  return { sent, got, receiver: rx.proc, summary };
}

/**
 * Expects the payload to have arrived whole (the sender succeeded, the receiver got every byte
 * and logged its sha256) and its marker and personal data to be absent from the capture; returns
 * the capture for the profile's own checks.
 */
export function expectArrivedIntactUnseen(delivery: {
  sent: { code: number | string };
  got: Buffer | undefined;
  receiver: Started;
  payload: Buffer;
  marker: string;
  sha256: string;
  pcap: string;
}): ReturnType<typeof readPcap> {
  const { sent, got, receiver, payload, marker, sha256 } = delivery;
  expect(sent.code).toBe(0);
  expect(got).toBeDefined();
  expect(got?.length).toBe(payload.length);
  expect(readLog(receiver.log)).toContain(`sha256 ${sha256}`);

  const capture = readPcap(delivery.pcap);
  const { bytes } = capture;
  expect(bytes.includes(Buffer.from(marker))).toBe(false);
  expect(bytes.includes(Buffer.from('golden_record'))).toBe(false);
  expect(bytes.includes(Buffer.from('Resident 1 of Almaty'))).toBe(false);
  return capture;
}
