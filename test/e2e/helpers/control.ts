/**
 * Positive control for the "marker never appears in plaintext" assertion: the same kind of
 * payload sent in the clear across the veth (kz veth address → hq veth address, both inside the
 * test's namespaces) must be found in a capture, so a capture or search that sees nothing cannot
 * pass the tunnel tests by accident.
 */
import { readPcap } from './pcap';
import { type Lab } from './system';
import { makePayload, received, send, startCapture, startReceiver, stopCapture } from './traffic';

export async function plaintextControl(
  lab: Lab,
  ns: { kz: string; hq: string; hqAddr: string },
  tag: string,
): Promise<void> {
  const { payload, marker } = makePayload();
  const cap = await startCapture(lab, ns.kz, lab.vethName('kz'), `${tag}-plaintext-control`);
  const rx = await startReceiver(lab, ns.hq, ns.hqAddr, 15433, payload.length, `${tag}-control-receiver`);
  const sent = await send(lab, ns.kz, ns.hqAddr, 15433, payload, 5000, `${tag}-control-sender`);
  const got = await received(rx.out, 5000);
  await stopCapture(lab, cap);
  await lab.stop(rx.proc);
  expect(sent.code).toBe(0);
  expect(got?.length).toBe(payload.length);
  expect(readPcap(cap.pcap).bytes.includes(Buffer.from(marker))).toBe(true);
}
