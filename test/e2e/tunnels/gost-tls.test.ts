/**
 * Issue 6, gost-tls profile: runs the stunnel.conf files that EncryptedTunnel synthesizes into its
 * ConfigMaps with Debian's stunnel4 and the OpenSSL GOST engine (libengine-gost-openssl) between a
 * "kz" and an "hq" network namespace, with GOST R 34.10-2012 certificates generated on the fly.
 * As the standby does, the connection starts at HQ (hq gateway = stunnel client on the local port)
 * and ends at the "primary" in kz (kz gateway = stunnel server); a PostgreSQL-like stream with a
 * marker crosses it and a capture of the veth is inspected. (The replication suites run the same
 * files through the images' entrypoint with real PostgreSQL.)
 */
import * as path from 'node:path';
import { GOST_CIPHER_SUITES } from '../../../constructs/tunnel-config';
import { plaintextControl } from '../helpers/control';
import { makeGostSecrets, makeRogueGostClient } from '../helpers/pki';
import { GOST_SUITE_NUMBERS, readPcap, serverHelloCipher } from '../helpers/pcap';
import {
  substitute,
  HQ_ENDPOINT_HOST,
  KZ_ENDPOINT_HOST,
  type RenderedSide,
  type RenderedTunnel,
} from '../helpers/rendered';
import { describeTunnels, readLog, stunnelBinary, waitFor, type Lab, type Started } from '../helpers/system';
import { deliver, expectArrivedIntactUnseen, setUpTunnelLab, writeRunnable } from '../helpers/tunnel-lab';
import { makePayload, received, send, startCapture, startReceiver, stopCapture } from '../helpers/traffic';

const KZ_GATEWAY_NAME = KZ_ENDPOINT_HOST;
/** Where the "primary" listens in the kz namespace (what the primary's -rw service stands for). */
const PRIMARY_PORT = 15432;

describeTunnels(
  'gost-tls tunnel between kz and hq namespaces (real stunnel4 + OpenSSL GOST engine, rendered stunnel.conf)',
  () => {
    let lab: Lab;
    let ns: { kz: string; hq: string; kzAddr: string; hqAddr: string };
    let active: RenderedTunnel;
    let suspended: RenderedTunnel;
    let secrets: { kz: string; hq: string };
    let certInfo: { signatureAlgorithm: string; publicKeyAlgorithm: string };
    const running: Started[] = [];

    beforeAll(() => {
      ({ lab, ns, active, suspended, secrets } = setUpTunnelLab('gt', 'gost-tls'));
      // the hq certificate carries the name the kz gateway dials (what a load balancer's certificate would)
      certInfo = makeGostSecrets(lab.dir, {
        kz: { dir: secrets.kz, name: KZ_GATEWAY_NAME },
        hq: { dir: secrets.hq, name: HQ_ENDPOINT_HOST },
      });
    });

    afterAll(() => {
      lab?.dispose();
    });

    /** Writes one side's synthesized stunnel.conf with the run-time substitutions and starts stunnel. */
    async function startGateway(
      side: 'kz' | 'hq',
      rendered: RenderedTunnel,
      tag: string,
      expectStart = true,
    ): Promise<Started> {
      const r: RenderedSide = rendered[side];
      const text = r.files['stunnel.conf'];
      expect(text).toBeDefined();
      const pairs: Array<[string, string]> = [[r.secretMountPath, secrets[side]]];
      if (rendered === active) {
        if (side === 'hq')
          pairs.push([
            `connect = ${KZ_ENDPOINT_HOST}:${rendered.port}`,
            `connect = ${ns.kzAddr}:${rendered.port}`,
          ]);
        else
          pairs.push([
            `connect = ${rendered.sourceHost}:${rendered.sourcePort}`,
            `connect = 127.0.0.1:${PRIMARY_PORT}`,
          ]);
      }
      const runnable = substitute(`${r.address} stunnel.conf`, text, pairs);
      const file = writeRunnable(lab, side, tag, 'stunnel.conf', runnable);
      const proc = lab.start(`stunnel-${side}-${tag}`, ns[side], stunnelBinary(), [file]);
      running.push(proc);
      if (expectStart) {
        await waitFor(
          `stunnel (${side}, ${tag}) to accept connections`,
          () =>
            /Accepting new connections|Configuration failed/.test(readLog(proc.log)) ||
            proc.exitCode() !== undefined,
          10000,
        );
        if (!/Accepting new connections/.test(readLog(proc.log)))
          throw new Error(`stunnel ${side} did not start:\n${readLog(proc.log)}`);
      }
      return proc;
    }

    async function stopAll(): Promise<void> {
      for (const p of running.splice(0)) await lab.stop(p);
    }

    test('the gateway pods run these files with stunnel (entrypoint gost-tls <file>, which execs stunnel <file>)', () => {
      for (const side of ['kz', 'hq'] as const) {
        const cmd = active[side].command;
        expect(cmd.slice(1)).toEqual(['gost-tls', `${active[side].configMountPath}/stunnel.conf`]);
      }
    });

    test('the synthesized files load the GOST engine, allow only GOST suites and name the Secret, never a key', () => {
      for (const side of ['kz', 'hq'] as const) {
        const text = active[side].files['stunnel.conf'];
        expect(text).toMatch(/^engine = gost$/m);
        expect(text).toMatch(/^verifyChain = yes$/m);
        expect(text).toMatch(new RegExp(`^CAfile = ${active[side].secretMountPath}/ca\\.crt$`, 'm'));
        // the HQ side opens the connection (the standby dials its source): it is the TLS client
        expect(text).toMatch(new RegExp(`^client = ${side === 'hq' ? 'yes' : 'no'}$`, 'm'));
        const ciphers = /^ciphers = (.+)$/m.exec(text)?.[1]?.split(':') ?? [];
        expect(ciphers.length).toBeGreaterThan(0);
        for (const c of ciphers) expect(c).toMatch(/^GOST2012-/);
        expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY|BEGIN CERTIFICATE/);
      }
    });

    test('active: the payload crosses only inside GOST TLS, intact, with a GOST suite negotiated', async () => {
      const kzGw = await startGateway('kz', active, 'active');
      const hqGw = await startGateway('hq', active, 'active');
      const { payload, marker, sha256 } = makePayload();
      const cap = await startCapture(lab, ns.kz, lab.vethName('kz'), 'gost-active');
      const { summary, ...delivery } = await deliver({ lab, ns }, cap, payload, {
        receiveAt: { host: '127.0.0.1', port: PRIMARY_PORT },
        sendTo: { host: '127.0.0.1', port: active.localPort },
        withinMs: 10000,
        from: 'hq',
      });

      const { packets, bytes } = expectArrivedIntactUnseen({
        ...delivery,
        payload,
        marker,
        sha256,
        pcap: cap.pcap,
      });
      // every TCP segment on the veth belongs to the TLS connection to the hq gateway's port
      const tcp = packets.filter((p) => p.proto === 'tcp');
      expect(tcp.length).toBeGreaterThan(0);
      for (const p of tcp) expect([p.sport, p.dport]).toContain(active.port);
      const tlsBytes = tcp.reduce((n, p) => n + p.payload.length, 0);
      expect(tlsBytes).toBeGreaterThan(payload.length);

      // the cipher suite, from the wire (ServerHello) and from both stunnels' logs
      const wireSuite = serverHelloCipher(packets, active.port);
      expect(wireSuite).toBeDefined();
      expect(Object.keys(GOST_SUITE_NUMBERS).map(Number)).toContain(wireSuite);
      const logged: Record<string, string> = {};
      for (const [side, gw] of [
        ['kz', kzGw],
        ['hq', hqGw],
      ] as const) {
        const log = readLog(gw.log);
        const m = /(TLSv1\.2) ciphersuite: (\S+)/.exec(log);
        expect(m).not.toBeNull();
        const suite = m?.[2] ?? '';
        expect(suite).toMatch(/GOST2012/);
        expect(GOST_CIPHER_SUITES.some((c) => suite.endsWith(c))).toBe(true);
        logged[side] = `${m?.[1]} ${suite}`;
      }
      expect(readLog(hqGw.log)).toMatch(/Certificate accepted at depth=0: .*CN=kzres-kz-gateway/);
      expect(readLog(kzGw.log)).toMatch(/Certificate accepted at depth=0: .*CN=tunnel\.hq\.example\.com/);
      // each side also checks the peer's name: the hq side the name it dialled, the kz side the hq's
      expect(readLog(hqGw.log)).toContain(`Host name "${KZ_ENDPOINT_HOST}" matched`);
      expect(readLog(kzGw.log)).toContain(`Host name "${HQ_ENDPOINT_HOST}" matched`);

      console.info(
        [
          `gost-tls e2e: payload ${payload.length} bytes, sha256 ${sha256.slice(0, 16)}… arrived intact at the kz primary port, sent from HQ`,
          `negotiated: kz ${logged.kz}; hq ${logged.hq}; ServerHello on the wire 0x${(wireSuite ?? 0).toString(16)} = ${GOST_SUITE_NUMBERS[wireSuite ?? 0]}`,
          `certificates: ${certInfo.publicKeyAlgorithm}; signed ${certInfo.signatureAlgorithm}`,
          `capture on ${lab.vethName('kz')}: ${packets.length} packets, ${bytes.length} bytes, ${tlsBytes} bytes of TLS (${summary}); marker in plaintext: no`,
        ].join('\n'),
      );
    });

    test('the kz gateway refuses a client offering no GOST suite, one without a certificate, and an impostor', () => {
      const nonGost = lab.nsRun(
        ns.hq,
        'openssl',
        [
          's_client',
          '-connect',
          `${ns.kzAddr}:${active.port}`,
          '-tls1_2',
          '-cipher',
          'ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA256',
          '-brief',
        ],
        { check: false, timeoutMs: 10000 },
      );
      expect(`${nonGost.stdout}${nonGost.stderr}`).not.toMatch(/Ciphersuite: /);
      expect(nonGost.status).not.toBe(0);

      const noCert = lab.nsRun(
        ns.hq,
        'openssl',
        [
          's_client',
          '-engine',
          'gost',
          '-connect',
          `${ns.kzAddr}:${active.port}`,
          '-tls1_2',
          '-cipher',
          GOST_CIPHER_SUITES.join(':'),
          '-CAfile',
          path.join(secrets.hq, 'ca.crt'),
          '-verify_return_error',
        ],
        { check: false, timeoutMs: 10000, input: 'SELECT 1;\n' },
      );
      const out = `${noCert.stdout}${noCert.stderr}`;
      // the server (GOST certificate) is verified by the client, then the server rejects it for sending no certificate
      expect(out).toMatch(/Verification: OK|Verify return code: 0/);
      expect(out).toMatch(/alert|error|Cipher is \(NONE\)/i);
      // and the kz gateway says why, for each of the two attempts
      const kzLog = readLog(running.find((p) => p.name === 'stunnel-kz-active')?.log ?? '');
      expect(kzLog).toMatch(/no shared cipher/);
      expect(kzLog).toMatch(/peer did not return a certificate/);

      // an impostor with the hq gateway's name but a certificate from another CA is rejected too
      const rogue = makeRogueGostClient(lab.dir, HQ_ENDPOINT_HOST);
      const impostor = lab.nsRun(
        ns.hq,
        'openssl',
        [
          's_client',
          '-engine',
          'gost',
          '-connect',
          `${ns.kzAddr}:${active.port}`,
          '-tls1_2',
          '-cipher',
          GOST_CIPHER_SUITES.join(':'),
          '-cert',
          rogue.cert,
          '-key',
          rogue.key,
        ],
        { check: false, timeoutMs: 10000, input: 'SELECT 1;\n' },
      );
      expect(`${impostor.stdout}${impostor.stderr}`).toMatch(/alert|error/i);
      const kzLog2 = readLog(running.find((p) => p.name === 'stunnel-kz-active')?.log ?? '');
      expect(kzLog2).toMatch(/Rejected by CERT at depth=0: .*CN=tunnel\.hq\.example\.com/);
    });

    test('control: the same marker sent outside the tunnel IS seen in a capture (the check can fail)', async () => {
      await plaintextControl(lab, ns, 'gost');
    });

    test('suspended (kill switch): the synthesized files have no service; the payload does not arrive', async () => {
      await stopAll();
      expect(suspended.kz.replicas).toBe('0');
      expect(suspended.hq.replicas).toBe('0');
      for (const side of ['kz', 'hq'] as const) {
        const text = suspended[side].files['stunnel.conf'];
        expect(text).toMatch(/KILL SWITCH ENGAGED/);
        expect(text).not.toMatch(/^\[|^accept|^connect/m);
      }
      const { payload, marker } = makePayload();
      const cap = await startCapture(lab, ns.kz, lab.vethName('kz'), 'gost-suspended');
      const rx = await startReceiver(
        lab,
        ns.kz,
        '127.0.0.1',
        PRIMARY_PORT,
        payload.length,
        'receiver-suspended',
      );
      const hqGw = await startGateway('hq', suspended, 'suspended', false);
      const kzGw = await startGateway('kz', suspended, 'suspended', false);
      const sent = await send(lab, ns.hq, '127.0.0.1', active.localPort, payload, 4000, 'sender-suspended');
      const direct = await send(lab, ns.hq, ns.kzAddr, active.port, payload, 1000, 'sender-suspended-direct');
      const got = await received(rx.out, 1000);
      await stopCapture(lab, cap);
      await lab.stop(rx.proc);
      expect(sent.code).toBe(3);
      expect(direct.code).toBe(3);
      expect(got).toBeUndefined();
      expect(readPcap(cap.pcap).bytes.includes(Buffer.from(marker))).toBe(false);
      // stunnel refuses a configuration without services: the gateway stays down (fail closed)
      for (const gw of [kzGw, hqGw]) {
        await waitFor('suspended stunnel to exit', () => gw.exitCode() !== undefined, 5000);
        expect(gw.exitCode()).not.toBe(0);
      }
      console.info(
        `gost-tls kill switch: both stunnels refuse to start (exit ${String(kzGw.exitCode())}/${String(hqGw.exitCode())}: ${/Configuration failed/.exec(readLog(kzGw.log))?.[0] ?? 'no service'}); sender gave up after 4 s`,
      );
    });
  },
);
