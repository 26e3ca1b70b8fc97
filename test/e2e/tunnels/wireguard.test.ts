/**
 * Issue 6, wireguard profile: runs the wg-quick files that EncryptedTunnel synthesizes into its
 * ConfigMaps with wg-quick + wireguard-go between a "kz" and an "hq" network namespace, sends a
 * PostgreSQL-like stream with a marker through the tunnel and inspects a capture of the veth. This
 * is the WireGuard layer alone; the replication suites run the same files (with the TCP forwarder)
 * through the images' entrypoint, carrying real PostgreSQL.
 */
import { makeWireGuardSecrets } from '../helpers/pki';
import { readPcap, wireGuardMessages } from '../helpers/pcap';
import { substitute, HQ_ENDPOINT_HOST, type RenderedSide, type RenderedTunnel } from '../helpers/rendered';
import { describeTunnels, findProcessesInNamespace, type Lab } from '../helpers/system';
import { deliver, expectArrivedIntactUnseen, setUpTunnelLab, writeRunnable } from '../helpers/tunnel-lab';
import { makePayload, received, send, startCapture, startReceiver, stopCapture } from '../helpers/traffic';
import { plaintextControl } from '../helpers/control';

const DB_PORT = 5432;

describeTunnels(
  'wireguard tunnel between kz and hq namespaces (real wireguard-go, rendered wg-quick files)',
  () => {
    let lab: Lab;
    let ns: { kz: string; hq: string; kzAddr: string; hqAddr: string };
    let active: RenderedTunnel;
    let suspended: RenderedTunnel;
    let secrets: { kz: string; hq: string };
    let keys: { kzPublic: string; hqPublic: string };
    const ifname = { kz: `wk${process.pid}`.slice(0, 15), hq: `wh${process.pid}`.slice(0, 15) };
    const up: Array<{ side: 'kz' | 'hq'; file: string }> = [];

    beforeAll(() => {
      ({ lab, ns, active, suspended, secrets } = setUpTunnelLab('wg', 'wireguard'));
      keys = makeWireGuardSecrets(secrets.kz, secrets.hq);
    });

    afterAll(() => {
      for (const { side, file } of up.splice(0)) {
        lab?.nsRun(ns[side], 'wg-quick', ['down', file], { check: false });
      }
      lab?.dispose();
    });

    /** Writes one side's synthesized wg-quick file with the run-time substitutions and brings it up. */
    function bringUp(side: 'kz' | 'hq', rendered: RenderedSide, tag: string): { file: string; text: string } {
      const entries = Object.entries(rendered.files).filter(([n]) => n !== 'forward.conf');
      expect(entries).toHaveLength(1);
      const [name, text] = entries[0];
      expect(name).toMatch(/\.conf$/);
      const pairs: Array<[string, string]> = [[rendered.secretMountPath, secrets[side]]];
      // the kz side dials the hq gateway's load balancer name; here, the hq namespace's veth address
      if (side === 'kz' && rendered === active.kz)
        pairs.push([`endpoint ${HQ_ENDPOINT_HOST}:`, `endpoint ${ns.hqAddr}:`]);
      const runnable = substitute(`${rendered.address} ${name}`, text, pairs);
      const file = writeRunnable(lab, side, tag, `${ifname[side]}.conf`, runnable);
      lab.nsRun(ns[side], 'wg-quick', ['up', file], {
        env: { ...process.env, WG_QUICK_USERSPACE_IMPLEMENTATION: 'wireguard-go' },
      });
      up.push({ side, file });
      for (const pid of findProcessesInNamespace(ns[side], ['wireguard-go', ifname[side]])) lab.adopt(pid);
      return { file, text: runnable };
    }

    function bringDown(): void {
      for (const { side, file } of up.splice(0)) {
        lab.nsRun(ns[side], 'wg-quick', ['down', file], { check: false });
        for (const pid of findProcessesInNamespace(ns[side], ['wireguard-go', ifname[side]])) {
          try {
            process.kill(pid, 'SIGTERM');
          } catch {
            /* gone */
          }
        }
      }
    }

    test('the gateway pods run these files (entrypoint wireguard <wg-quick file> <forward.conf>, which runs wg-quick up <file>)', () => {
      for (const side of ['kz', 'hq'] as const) {
        expect(active[side].command.slice(1)).toEqual([
          'wireguard',
          `${active[side].configMountPath}/wg-${side}.conf`,
          `${active[side].configMountPath}/forward.conf`,
        ]);
      }
    });

    test('the synthesized files name the Secret, never a key', () => {
      for (const side of ['kz', 'hq'] as const) {
        const text = active[side].files[`wg-${side}.conf`];
        expect(text).toContain('[Interface]');
        expect(text).toContain(`${active[side].secretMountPath}/private-key`);
        expect(text).not.toMatch(/PrivateKey\s*=|PublicKey\s*=|[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=/);
      }
    });

    test('active: the payload crosses only inside WireGuard, intact, after a real handshake', async () => {
      // capture first: the kz side's persistent keepalive starts the handshake as soon as it is up
      const cap = await startCapture(lab, ns.kz, lab.vethName('kz'), 'wg-active');
      bringUp('hq', active.hq, 'active');
      bringUp('kz', active.kz, 'active');
      const { payload, marker, sha256 } = makePayload();
      const hqTunnelAddr = '10.231.0.2';
      expect(active.kz.files['wg-kz.conf']).toContain(`allowed-ips ${hqTunnelAddr}/32`);
      const { summary, ...delivery } = await deliver({ lab, ns }, cap, payload, {
        receiveAt: { host: hqTunnelAddr, port: DB_PORT },
        sendTo: { host: hqTunnelAddr, port: DB_PORT },
        withinMs: 15000,
      });

      const { packets, bytes } = expectArrivedIntactUnseen({
        ...delivery,
        payload,
        marker,
        sha256,
        pcap: cap.pcap,
      });
      // nothing but WireGuard (UDP on the tunnel port) and ARP crossed the veth: no TCP at all
      expect(packets.filter((p) => p.proto === 'tcp')).toHaveLength(0);
      const msgs = wireGuardMessages(packets, active.port);
      expect(msgs[1] ?? 0).toBeGreaterThanOrEqual(1); // handshake initiation
      expect(msgs[2] ?? 0).toBeGreaterThanOrEqual(1); // handshake response
      expect(msgs[4] ?? 0).toBeGreaterThan(payload.length / 1500); // transport data carrying the stream

      const handshakes: Record<string, string> = {};
      for (const side of ['kz', 'hq'] as const) {
        const hs = lab.nsRun(ns[side], 'wg', ['show', ifname[side], 'latest-handshakes']).stdout.trim();
        const [peer, when] = hs.split(/\s+/);
        expect(peer).toBe(side === 'kz' ? keys.hqPublic : keys.kzPublic);
        expect(Number(when)).toBeGreaterThan(0);
        handshakes[side] = hs;
      }
      const transfer = lab.nsRun(ns.kz, 'wg', ['show', ifname.kz, 'transfer']).stdout.trim();
      const impl =
        findProcessesInNamespace(ns.kz, ['wireguard-go', ifname.kz]).length > 0 ? 'wireguard-go' : 'kernel';
      console.info(
        [
          `wireguard e2e (${impl}): payload ${payload.length} bytes, sha256 ${sha256.slice(0, 16)}… arrived intact at hq`,
          `capture on ${lab.vethName('kz')}: ${packets.length} packets, ${bytes.length} bytes (${summary}); marker in plaintext: no`,
          `WireGuard messages in capture: initiation ${msgs[1] ?? 0}, response ${msgs[2] ?? 0}, transport ${msgs[4] ?? 0}`,
          `latest-handshakes kz: ${handshakes.kz}; transfer kz (rx tx): ${transfer}`,
        ].join('\n'),
      );
    });

    test('control: the same marker sent outside the tunnel IS seen in a capture (the check can fail)', async () => {
      await plaintextControl(lab, ns, 'wg');
    });

    test('suspended (kill switch): the synthesized files carry nothing; the payload does not arrive', async () => {
      bringDown();
      expect(suspended.kz.replicas).toBe('0');
      expect(suspended.hq.replicas).toBe('0');
      for (const side of ['kz', 'hq'] as const) {
        const text = suspended[side].files[`wg-${side}.conf`];
        expect(text).toMatch(/KILL SWITCH ENGAGED/);
        expect(text).not.toMatch(/\bpeer\b.*allowed-ips|\[Peer\]/);
      }
      const cap = await startCapture(lab, ns.kz, lab.vethName('kz'), 'wg-suspended');
      bringUp('hq', suspended.hq, 'suspended');
      bringUp('kz', suspended.kz, 'suspended');
      for (const side of ['kz', 'hq'] as const) {
        expect(lab.nsRun(ns[side], 'wg', ['show', ifname[side], 'peers']).stdout.trim()).toBe('');
      }
      const { payload, marker } = makePayload();
      const rx = await startReceiver(lab, ns.hq, '10.231.0.2', DB_PORT, payload.length, 'receiver-suspended');
      const sent = await send(lab, ns.kz, '10.231.0.2', DB_PORT, payload, 4000, 'sender-suspended');
      const got = await received(rx.out, 1000);
      await stopCapture(lab, cap);
      await lab.stop(rx.proc);
      expect(sent.code).toBe(3); // the client gave up: no connection through the tunnel
      expect(got).toBeUndefined();
      const { packets, bytes } = readPcap(cap.pcap);
      expect(bytes.includes(Buffer.from(marker))).toBe(false);
      expect(wireGuardMessages(packets, suspended.port)).toEqual({});
      console.info(
        `wireguard kill switch: no peer configured; sender gave up after 4 s; ${packets.length} packets on the veth, none WireGuard`,
      );
    });
  },
);
