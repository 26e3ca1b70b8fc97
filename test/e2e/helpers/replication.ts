/**
 * The replication proof, shared by both profiles: a HybridDeployment with an HQ replica is
 * synthesized; a real PostgreSQL 15 primary runs in the "kz" namespace and a real standby in the
 * "hq" namespace, both configured from the synthesized CloudNativePG values; the two gateways run
 * the synthesized files through the images' entrypoint; the standby is bootstrapped with
 * pg_basebackup through the tunnel from the synthesized replica origin, then streams.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TunnelProfile } from '../../../constructs/tunnel-config';
import { GATEWAY_ENTRYPOINT } from '../../../constructs/encrypted-tunnel';
import { plaintextControl } from './control';
import {
  HQ_LB_HOST,
  KZ_LB_HOST,
  STORE,
  arr,
  obj,
  str,
  synthesizeDeployment,
  type Obj,
  type SynthDeployment,
} from './deployment';
import {
  ENTRYPOINT_SCRIPT,
  isReady,
  prepareGateway,
  startGateway,
  waitReady,
  stopGateway,
  type PreparedGateway,
} from './gateway';
import { GOST_SUITE_NUMBERS, readPcap, serverHelloCipher, wireGuardMessages } from './pcap';
import { makeGostSecrets, makeWireGuardSecrets } from './pki';
import {
  PG_BIN,
  asPostgres,
  configure,
  deriveConfig,
  initdb,
  makeDatabasePki,
  postgresDir,
  postgresFiles,
  sql,
  sqlOver,
  start,
  stop,
  type Instance,
} from './postgres';
import { describeTunnels, Lab, readLog, sleep, waitFor, type Started } from './system';
import { startCapture, stopCapture } from './traffic';

const APP_PASSWORD = 'app-e2e-password';
const TABLE = 'residents';

function origin(values: Obj): Obj {
  return obj(obj(obj(values.replica).origin).pg_basebackup);
}

/** The libpq connection string the replica cluster's external cluster stands for. */
function originConninfo(values: Obj, files: { cert: string; key: string; rootCert: string }): string {
  const o = origin(values);
  return [
    `host=${str(o.host, 'origin host')}`,
    `port=${String(o.port)}`,
    `user=${str(o.username, 'origin username')}`,
    `dbname=${str(o.database, 'origin database')}`,
    `sslmode=${str(o.sslMode, 'origin sslMode')}`,
    `sslcert=${files.cert}`,
    `sslkey=${files.key}`,
    `sslrootcert=${files.rootCert}`,
    `application_name=${STORE}-replica`,
    'connect_timeout=5',
  ].join(' ');
}

function portOf(endpoint: string): number {
  return Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
}

/** Registers the replication suite of one profile. */
export function replicationSuite(profile: TunnelProfile, tag: string): void {
  describeTunnels(
    `${profile}: a real PostgreSQL 15 standby in "hq" streams from the primary in "kz" through the synthesized tunnel`,
    () => {
      let lab: Lab;
      let ns: { kz: string; hq: string; kzAddr: string; hqAddr: string };
      let active: SynthDeployment;
      let suspended: SynthDeployment;
      const gw: { kz?: PreparedGateway; hq?: PreparedGateway } = {};
      const gwSuspended: { kz?: PreparedGateway; hq?: PreparedGateway } = {};
      const running = new Map<PreparedGateway, Started>();
      let primary: Instance;
      let standby: Instance;
      const timings: string[] = [];
      let tunnelPort = 0;
      let standbyTls: { cert: string; key: string; ca: string };

      const count = (inst: Instance): number => Number(sql(lab, inst, `SELECT count(*) FROM ${TABLE}`));
      const insertAsApp = (tagValue: string): { status: number | null; out: string } =>
        sqlOver(
          lab,
          ns.kz,
          `host=127.0.0.1 port=${primary.port} user=app dbname=app sslmode=require`,
          `INSERT INTO ${TABLE} (iin, full_name, tag) VALUES ('900101300123', 'Resident of Almaty', '${tagValue}')`,
          { PGPASSWORD: APP_PASSWORD },
        );
      async function startBoth(
        set: { kz?: PreparedGateway; hq?: PreparedGateway },
        label: string,
      ): Promise<void> {
        // both first, then their readiness: a wireguard gateway is ready only once its peer answers
        const started: Array<[PreparedGateway, Started, string]> = [];
        for (const side of ['kz', 'hq'] as const) {
          const p = set[side] as PreparedGateway;
          const name = `gateway-${side}-${label}`;
          const proc = await startGateway(lab, p, name, false);
          running.set(p, proc);
          started.push([p, proc, name]);
        }
        for (const [p, proc, name] of started) await waitReady(lab, p, proc, name);
      }
      async function stopAll(): Promise<void> {
        for (const [p, proc] of [...running]) {
          await stopGateway(lab, p, proc);
          running.delete(p);
        }
      }

      beforeAll(async () => {
        const t0 = Date.now();
        lab = new Lab(tag);
        ns = lab.createNamespaces();
        active = synthesizeDeployment(profile, 'active');
        suspended = synthesizeDeployment(profile, 'suspended');
        const sourceEndpoint = active.kz.files['stunnel.conf'] ?? active.kz.files['forward.conf'];
        const source = /^connect = (.+)$/m.exec(sourceEndpoint)?.[1] ?? '';
        const sourceHost = source.slice(0, source.lastIndexOf(':'));
        const o = origin(active.replicaValues);
        // what the clusters' DNS and load balancers would resolve
        lab.setHosts(ns.kz, { [sourceHost]: '127.0.0.1', [HQ_LB_HOST]: ns.hqAddr });
        lab.setHosts(ns.hq, { [str(o.host, 'origin host')]: '127.0.0.1', [KZ_LB_HOST]: ns.kzAddr });

        // gateway Secrets
        const secrets = { kz: path.join(lab.dir, 'kz-secret'), hq: path.join(lab.dir, 'hq-secret') };
        if (profile === 'gost-tls') {
          makeGostSecrets(lab.dir, {
            kz: { dir: secrets.kz, name: KZ_LB_HOST },
            hq: { dir: secrets.hq, name: HQ_LB_HOST },
          });
          tunnelPort = portOf(/^accept = (.+)$/m.exec(active.kz.files['stunnel.conf'])?.[1] ?? '');
        } else {
          makeWireGuardSecrets(secrets.kz, secrets.hq);
          tunnelPort = Number(/^ListenPort = (\d+)$/m.exec(active.kz.files['wg-kz.conf'])?.[1]);
        }
        const ifname = (side: 'kz' | 'hq', state: string): string | undefined =>
          profile === 'wireguard' ? `r${side[0]}${state[0]}${process.pid}`.slice(0, 15) : undefined;
        for (const side of ['kz', 'hq'] as const) {
          gw[side] = prepareGateway(lab, {
            side,
            ns: ns[side],
            gw: active[side],
            secretDir: secrets[side],
            tag: 'active',
            ifname: ifname(side, 'active'),
          });
          gwSuspended[side] = prepareGateway(lab, {
            side,
            ns: ns[side],
            gw: suspended[side],
            secretDir: secrets[side],
            tag: 'suspended',
            ifname: ifname(side, 'suspended'),
          });
        }

        // the primary, configured from the primary's chart values
        const altNames = arr(obj(obj(active.primaryValues.cluster).certificates).serverAltDNSNames).map(
          String,
        );
        const pki = makeDatabasePki(path.join(lab.dir, 'db-pki'), [
          `${STORE}-rw`,
          `${STORE}-rw.${STORE}`,
          `${STORE}-rw.${STORE}.svc`,
          ...altNames,
        ]);
        const pgRoot = postgresDir(path.join(lab.dir, 'pg'));
        fs.chmodSync(pgRoot, 0o711);
        primary = {
          name: 'primary',
          ns: ns.kz,
          dataDir: path.join(pgRoot, 'primary'),
          socketDir: path.join(pgRoot, 'primary-socket'),
          port: portOf(source),
        };
        initdb(lab, primary);
        const primaryTls = postgresFiles(path.join(pgRoot, 'primary-tls'), {
          'server.crt': pki.server.cert,
          'server.key': pki.server.key,
          'ca.crt': pki.server.ca,
        });
        configure(
          primary,
          deriveConfig(active.primaryValues, {
            port: primary.port,
            socketDir: primary.socketDir,
            tls: { cert: primaryTls['server.crt'], key: primaryTls['server.key'], ca: primaryTls['ca.crt'] },
          }),
        );
        await start(lab, primary);
        // what the operator creates (streaming_replica, the app database and owner) and pgaudit
        sql(lab, primary, 'CREATE ROLE streaming_replica LOGIN REPLICATION', 'postgres');
        sql(lab, primary, `CREATE ROLE app LOGIN PASSWORD '${APP_PASSWORD}'`, 'postgres');
        sql(lab, primary, 'CREATE ROLE kz_audit NOLOGIN', 'postgres');
        sql(lab, primary, 'CREATE DATABASE app OWNER app', 'postgres');
        sql(lab, primary, 'CREATE EXTENSION pgaudit');
        sql(
          lab,
          primary,
          `CREATE TABLE ${TABLE} (id serial PRIMARY KEY, iin text, full_name text, tag text); ALTER TABLE ${TABLE} OWNER TO app`,
        );
        timings.push(`primary up ${Date.now() - t0} ms`);

        // the standby's files: the Secrets the replica's external cluster names, as libpq reads them
        const r = origin(active.replicaValues);
        const replicationFiles = postgresFiles(path.join(pgRoot, 'hq-secrets'), {
          [`${str(obj(r.sslCertSecret).name, 'sslCertSecret')}-${str(obj(r.sslCertSecret).key, 'key')}`]:
            pki.replication.crt,
          [`${str(obj(r.sslKeySecret).name, 'sslKeySecret')}-${str(obj(r.sslKeySecret).key, 'key')}`]:
            pki.replication.key,
          [`${str(obj(r.sslRootCertSecret).name, 'sslRootCertSecret')}-${str(obj(r.sslRootCertSecret).key, 'key')}`]:
            pki.ca.crt,
        });
        const [cert, key, rootCert] = Object.values(replicationFiles);
        const standbyPki = makeDatabasePki(path.join(lab.dir, 'db-pki-hq'), [`${STORE}-replica-rw`]);
        const standbyFiles = postgresFiles(path.join(pgRoot, 'standby-tls'), {
          'server.crt': standbyPki.server.cert,
          'server.key': standbyPki.server.key,
          'ca.crt': standbyPki.server.ca,
        });
        standby = {
          name: 'standby',
          ns: ns.hq,
          dataDir: path.join(pgRoot, 'standby'),
          socketDir: path.join(pgRoot, 'standby-socket'),
          port: 5433,
        };
        postgresDir(standby.socketDir);
        standbyTls = {
          cert: standbyFiles['server.crt'],
          key: standbyFiles['server.key'],
          ca: standbyFiles['ca.crt'],
        };
        (standby as { conninfo?: string }).conninfo = originConninfo(active.replicaValues, {
          cert,
          key,
          rootCert,
        });
      }, 120000);

      afterAll(async () => {
        if (!lab) return;
        await stopAll().catch(() => undefined);
        for (const inst of [standby, primary]) if (inst) await stop(lab, inst).catch(() => undefined);
        if (timings.length > 0) console.info(`${profile} replication e2e timings: ${timings.join('; ')}`);
        lab.dispose();
      });

      test("the pods run the images' entrypoint, as the Dockerfiles install it, with the synthesized pod security", () => {
        for (const file of ['gost-tls.Dockerfile', 'wireguard.Dockerfile']) {
          const df = fs.readFileSync(path.join(path.dirname(ENTRYPOINT_SCRIPT), file), 'utf8');
          expect(df).toContain(`COPY ${path.basename(ENTRYPOINT_SCRIPT)} ${GATEWAY_ENTRYPOINT}`);
          expect(df).toContain(`ENTRYPOINT ["${GATEWAY_ENTRYPOINT}"]`);
          expect(df).toMatch(/^FROM debian:bookworm-slim@sha256:[0-9a-f]{64}$/m);
        }
        for (const side of ['kz', 'hq'] as const) {
          const g = active[side];
          expect(g.command).toEqual([GATEWAY_ENTRYPOINT]);
          expect(g.args[0]).toBe(profile);
          expect(g.readinessCommand).toEqual([GATEWAY_ENTRYPOINT, 'ready', ...g.args]);
          expect(g.waitForRollout).toBe(true);
          if (profile === 'gost-tls') {
            expect([g.runAsUser, g.runAsGroup, g.fsGroup, g.secretMode]).toEqual([
              '10001',
              '10001',
              '10001',
              '0440',
            ]);
            expect(g.capabilitiesAdded).toEqual([]);
          } else {
            expect(g.capabilitiesAdded).toEqual(['NET_ADMIN']);
          }
        }
      });

      test('the HQ cluster is a replica cluster whose source is the HQ end of the tunnel, verified in full', () => {
        const v = active.replicaValues;
        expect(v.mode).toBe('replica');
        expect(obj(obj(v.replica).bootstrap).source).toBe('pg_basebackup');
        const o = origin(v);
        expect(o).toMatchObject({ username: 'streaming_replica', sslMode: 'verify-full' });
        const hqFiles = Object.values(active.hq.files).join('\n');
        expect(hqFiles).toMatch(new RegExp(`^(accept|listen) = (0\\.0\\.0\\.0:)?${String(o.port)}$`, 'm'));
        expect(obj(obj(v.cluster).postgresql).parameters).not.toHaveProperty('default_transaction_read_only');
      });

      test('bootstrap: pg_basebackup through the tunnel, then streaming over TLS as streaming_replica', async () => {
        const t0 = Date.now();
        sql(
          lab,
          primary,
          `INSERT INTO ${TABLE} (iin, full_name, tag) VALUES ('900101300001', 'Before the base backup', 'KZRES-BASE')`,
        );
        await startBoth(gw, 'active');
        timings.push(`gateways ready ${Date.now() - t0} ms`);
        const cap = await startCapture(lab, ns.kz, lab.vethName('kz'), `${tag}-basebackup`);
        const conninfo = (standby as { conninfo?: string }).conninfo ?? '';
        const bb = asPostgres(
          lab,
          ns.hq,
          `${PG_BIN}/pg_basebackup`,
          ['-d', conninfo, '-D', standby.dataDir, '-X', 'stream', '-R', '-c', 'fast', '--no-password'],
          { check: false, timeoutMs: 180000 }, // ~10-17 s on an idle machine; generous for a loaded CI runner
        );
        await stopCapture(lab, cap);
        if (bb.status !== 0) throw new Error(`pg_basebackup failed:\n${bb.stderr}${bb.stdout}`);
        timings.push(`pg_basebackup ${Date.now() - t0} ms`);
        expect(readPcap(cap.pcap).bytes.includes(Buffer.from('Before the base backup'))).toBe(false);
        configure(
          standby,
          deriveConfig(active.replicaValues, {
            port: standby.port,
            socketDir: standby.socketDir,
            tls: standbyTls,
          }),
        );
        const auto = fs.readFileSync(path.join(standby.dataDir, 'postgresql.auto.conf'), 'utf8');
        expect(auto).toContain(
          `host=''${str(origin(active.replicaValues).host, 'host')}''`.replace(/''/g, "''"),
        );
        expect(fs.existsSync(path.join(standby.dataDir, 'standby.signal'))).toBe(true);
        await start(lab, standby);
        expect(sql(lab, standby, 'SELECT pg_is_in_recovery()')).toBe('t');
        await waitFor(
          'the standby to stream',
          () => sql(lab, standby, 'SELECT status FROM pg_stat_wal_receiver', 'postgres') === 'streaming',
          20000,
          250,
        );
        const sender = sql(
          lab,
          primary,
          "SELECT r.usename || ' ' || r.state || ' ' || s.ssl || ' ' || s.version FROM pg_stat_replication r JOIN pg_stat_ssl s USING (pid)",
          'postgres',
        );
        expect(sender).toBe('streaming_replica streaming true TLSv1.3');
        expect(sql(lab, standby, `SELECT full_name FROM ${TABLE} WHERE tag = 'KZRES-BASE'`)).toBe(
          'Before the base backup',
        );
        timings.push(`streaming ${Date.now() - t0} ms`);
        expect(readLog(primary.proc?.log ?? '')).toMatch(
          /connection authorized: user=streaming_replica .*SSL enabled/,
        );
      }, 240000);

      test('a row inserted at the primary is readable at HQ within seconds; the wire never shows it', async () => {
        const marker = `KZRES-ROW-${process.pid}-${Date.now()}`;
        const cap = await startCapture(lab, ns.kz, lab.vethName('kz'), `${tag}-stream`);
        const t0 = Date.now();
        const ins = insertAsApp(marker);
        expect(ins).toEqual({ status: 0, out: '' });
        await waitFor(
          'the row at HQ',
          () => sql(lab, standby, `SELECT count(*) FROM ${TABLE} WHERE tag = '${marker}'`) === '1',
          10000,
          100,
        );
        const lag = Date.now() - t0;
        timings.push(`row visible at HQ after ${lag} ms`);
        await sleep(300);
        const summary = await stopCapture(lab, cap);
        const { packets, bytes } = readPcap(cap.pcap);
        expect(bytes.includes(Buffer.from(marker))).toBe(false);
        expect(bytes.includes(Buffer.from('Resident of Almaty'))).toBe(false);
        const carried = packets.filter((p) => p.proto !== 'other');
        expect(carried.length).toBeGreaterThan(0);
        if (profile === 'wireguard') {
          expect(packets.filter((p) => p.proto === 'tcp')).toHaveLength(0);
          for (const p of carried) expect([p.sport, p.dport]).toContain(tunnelPort);
          expect(wireGuardMessages(packets, tunnelPort)[4] ?? 0).toBeGreaterThan(0);
        } else {
          for (const p of carried) {
            expect(p.proto).toBe('tcp');
            expect([p.sport, p.dport]).toContain(tunnelPort);
          }
        }
        console.info(
          `${profile}: row visible at HQ after ${lag} ms; capture ${packets.length} packets (${summary}); marker on the wire: no`,
        );
      });

      test('the GOST suite (gost-tls) or the WireGuard handshake (wireguard) carried the base backup', async () => {
        // a fresh standby connection, captured from its first packet
        const cap = await startCapture(lab, ns.kz, lab.vethName('kz'), `${tag}-handshake`);
        const r = asPostgres(
          lab,
          ns.hq,
          `${PG_BIN}/psql`,
          [
            '-X',
            '-A',
            '-t',
            '-d',
            `${(standby as { conninfo?: string }).conninfo ?? ''} replication=true`,
            '-c',
            'IDENTIFY_SYSTEM',
          ],
          { check: false },
        );
        await stopCapture(lab, cap);
        expect(r.status).toBe(0);
        const { packets } = readPcap(cap.pcap);
        if (profile === 'gost-tls') {
          const suite = serverHelloCipher(packets, tunnelPort);
          expect(Object.keys(GOST_SUITE_NUMBERS).map(Number)).toContain(suite);
        } else {
          expect(wireGuardMessages(packets, tunnelPort)[4] ?? 0).toBeGreaterThan(0);
        }
      });

      test('an INSERT at HQ fails: a hot standby cannot write, whatever the session sets', () => {
        const r = asPostgres(
          lab,
          ns.hq,
          `${PG_BIN}/psql`,
          [
            '-X',
            '-v',
            'ON_ERROR_STOP=1',
            '-h',
            standby.socketDir,
            '-p',
            String(standby.port),
            '-U',
            'postgres',
            '-d',
            'app',
            '-c',
            'SET default_transaction_read_only = off',
            '-c',
            `INSERT INTO ${TABLE} (iin, full_name, tag) VALUES ('1', 'written at HQ', 'KZRES-HQ')`,
          ],
          { check: false },
        );
        expect(r.status).not.toBe(0);
        expect(r.stderr).toMatch(/cannot execute INSERT in a read-only transaction/);
        expect(sql(lab, primary, `SELECT count(*) FROM ${TABLE} WHERE tag = 'KZRES-HQ'`)).toBe('0');
      });

      test('pg_hba refuses a client without TLS and admits one with TLS and the password', () => {
        const plain = sqlOver(
          lab,
          ns.kz,
          `host=127.0.0.1 port=${primary.port} user=app dbname=app sslmode=disable`,
          'SELECT 1',
          {
            PGPASSWORD: APP_PASSWORD,
          },
        );
        expect(plain.status).not.toBe(0);
        expect(plain.out).toMatch(
          /pg_hba\.conf rejects connection for host "127\.0\.0\.1", user "app", database "app", no encryption/,
        );
        const tls = sqlOver(
          lab,
          ns.kz,
          `host=127.0.0.1 port=${primary.port} user=app dbname=app sslmode=require`,
          'SELECT 1',
          {
            PGPASSWORD: APP_PASSWORD,
          },
        );
        expect(tls).toEqual({ status: 0, out: '1' });
      });

      test('pgaudit writes the INSERT with the user name', () => {
        const log = readLog(primary.proc?.log ?? '');
        const audit = log
          .split('\n')
          .filter((l) => /AUDIT: SESSION,\d+,\d+,WRITE,INSERT,TABLE,public\.residents,/.test(l));
        expect(audit.length).toBeGreaterThan(0);
        expect(audit.some((l) => /user=app db=app /.test(l) && l.includes('KZRES-ROW-'))).toBe(true);
      });

      test('control: a marker sent outside the tunnel IS seen in a capture (the check can fail)', async () => {
        await plaintextControl(lab, ns, `${tag}ctl`);
      });

      test('kill switch: the standby stops receiving and nothing crosses; re-activated, it catches up with no row lost', async () => {
        // the suspended plan: no gateway pods, no ingress for the gateway, no exits
        for (const side of ['kz', 'hq'] as const) expect(suspended[side].replicas).toBe('0');
        const dbPolicy = suspended.policies[`${STORE}-ingress`];
        expect(JSON.stringify(dbPolicy)).not.toContain('residency.kz/tunnel');
        expect(JSON.stringify(active.policies[`${STORE}-ingress`])).toContain('residency.kz/tunnel');
        for (const [name, p] of Object.entries(suspended.policies))
          if (name.endsWith('-gateway-ingress')) expect(obj(p.spec).ingress).toBeUndefined();

        await stopAll();
        // the suspended files, run the same way, start nothing
        for (const side of ['kz', 'hq'] as const) {
          const p = gwSuspended[side] as PreparedGateway;
          const proc = await startGateway(lab, p, `gateway-${side}-suspended`, false);
          await waitFor(
            `suspended ${side} gateway to refuse to start`,
            () => proc.exitCode() !== undefined,
            10000,
          );
          expect(proc.exitCode()).not.toBe(0);
          expect(readLog(proc.log)).toMatch(
            profile === 'gost-tls' ? /Configuration failed|No services/ : /kill switch engaged/,
          );
          expect(isReady(lab, p)).toBe(false);
        }
        const before = count(standby);
        const cap = await startCapture(lab, ns.kz, lab.vethName('kz'), `${tag}-suspended`);
        const tags = [1, 2, 3].map((i) => `KZRES-SUSPENDED-${i}-${Date.now()}`);
        for (const t of tags) expect(insertAsApp(t).status).toBe(0);
        await sleep(6000); // beyond wal_receiver_timeout (5 s)
        await stopCapture(lab, cap);
        expect(count(standby)).toBe(before);
        expect(sql(lab, standby, 'SELECT count(*) FROM pg_stat_wal_receiver', 'postgres')).toBe('0');
        const crossed = readPcap(cap.pcap).packets.filter((p) => p.proto !== 'other');
        expect(crossed).toEqual([]);

        const t0 = Date.now();
        await startBoth(gw, 'reactivated');
        await waitFor('the standby to catch up', () => count(standby) === count(primary), 30000, 250);
        const caughtUp = Date.now() - t0;
        timings.push(`caught up ${caughtUp} ms after re-activation`);
        for (const t of tags)
          expect(sql(lab, standby, `SELECT count(*) FROM ${TABLE} WHERE tag = '${t}'`)).toBe('1');
        expect(sql(lab, standby, `SELECT string_agg(id::text, ',' ORDER BY id) FROM ${TABLE}`)).toBe(
          sql(lab, primary, `SELECT string_agg(id::text, ',' ORDER BY id) FROM ${TABLE}`),
        );
        console.info(
          `${profile} kill switch: ${tags.length} rows held back for 6 s, 0 packets crossed; caught up ${caughtUp} ms after re-activation, ${count(standby)} rows on both sides`,
        );
      });
    },
  );
}
