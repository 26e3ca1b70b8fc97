/**
 * Real PostgreSQL 15 (Debian's postgresql-15 + postgresql-15-pgaudit) inside the lab's network
 * namespaces, configured from the CloudNativePG cluster chart values the constructs synthesized:
 * `cluster.postgresql.parameters`, `pg_hba` and `shared_preload_libraries` are used as they are.
 * What the operator adds in a pod is added the way the operator does it (pkg/postgres/configuration.go
 * of CloudNativePG: the fixed pg_hba/pg_ident rules, the mandatory TLS/hot-standby settings and the
 * replication defaults below). Lab-only differences, each named: listen on 127.0.0.1 (the pod's
 * `*` would collide with the gateway in the same namespace), log to stderr with the user in the line
 * prefix (the operator logs JSON with the user name), certificates generated here (the operator
 * generates them in a cluster).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Obj } from './deployment';
import { arr, obj, str } from './deployment';
import { type Lab, type Started, readLog, run, waitFor } from './system';

export const PG_BIN = '/usr/lib/postgresql/15/bin';

/** CloudNativePG's fixed pg_hba rules, before the user's (configuration.go, hbaTemplateString). */
export const CNPG_FIXED_HBA = [
  'local all all peer map=local',
  'hostssl postgres streaming_replica all cert map=cnpg_streaming_replica',
  'hostssl replication streaming_replica all cert map=cnpg_streaming_replica',
];
/** The operator's default rule, after the user's. */
export const CNPG_DEFAULT_HBA = 'host all all all scram-sha-256';
/** CloudNativePG's fixed pg_ident rules. */
export const CNPG_FIXED_IDENT = [
  'local postgres postgres',
  'cnpg_streaming_replica streaming_replica streaming_replica',
];
/** CloudNativePG's global defaults that matter for streaming (configuration.go, GlobalDefaultSettings). */
export const CNPG_REPLICATION_DEFAULTS: Readonly<Record<string, string>> = {
  wal_level: 'logical',
  wal_keep_size: '512MB',
  wal_sender_timeout: '5s',
  wal_receiver_timeout: '5s',
  ssl_max_protocol_version: 'TLSv1.3',
  hot_standby: 'on',
  ssl: 'on',
};

/** Files of one instance's certificates. */
export interface InstanceTls {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

/** The chart values' `cluster.postgresql` section, checked. */
export function chartPostgresql(values: Obj): {
  parameters: Record<string, string>;
  pgHba: string[];
  preload: string[];
} {
  const pg = obj(obj(values.cluster).postgresql);
  const parameters: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(pg.parameters))) parameters[k] = str(v, `parameter ${k}`);
  return {
    parameters,
    pgHba: arr(pg.pg_hba).map((l) => str(l, 'pg_hba line')),
    preload: arr(pg.shared_preload_libraries).map((l) => str(l, 'shared_preload_libraries')),
  };
}

function quote(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

/** postgresql.conf settings, pg_hba.conf and pg_ident.conf for plain PostgreSQL from chart values. */
export function deriveConfig(
  values: Obj,
  inst: { port: number; socketDir: string; tls: InstanceTls },
): { conf: string; hba: string; ident: string } {
  const { parameters, pgHba, preload } = chartPostgresql(values);
  const settings: Record<string, string> = {
    ...CNPG_REPLICATION_DEFAULTS,
    ...parameters,
    shared_preload_libraries: preload.join(','),
    // operator-mandatory, pointing at this instance's files
    ssl_cert_file: inst.tls.cert,
    ssl_key_file: inst.tls.key,
    ssl_ca_file: inst.tls.ca,
    port: String(inst.port),
    unix_socket_directories: inst.socketDir,
    // lab-only (see the file comment)
    listen_addresses: '127.0.0.1',
    logging_collector: 'off',
    log_destination: 'stderr',
    log_line_prefix: '%m [%p] user=%u db=%d ',
  };
  const conf = Object.entries(settings)
    .map(([k, v]) => `${k} = ${quote(v)}`)
    .join('\n');
  return {
    conf: conf + '\n',
    hba: [...CNPG_FIXED_HBA, ...pgHba, CNPG_DEFAULT_HBA].join('\n') + '\n',
    ident: CNPG_FIXED_IDENT.join('\n') + '\n',
  };
}

const AS_POSTGRES = ['--reuid=postgres', '--regid=postgres', '--init-groups'];

/** Runs a command as the postgres OS user inside `ns`. */
export function asPostgres(
  lab: Lab,
  ns: string,
  cmd: string,
  args: readonly string[],
  opts: { check?: boolean; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): ReturnType<typeof run> {
  // libpq looks for ~/.postgresql client certificates: the postgres user's home, not root's
  const env = { ...(opts.env ?? process.env), HOME: '/var/lib/postgresql' };
  return lab.nsRun(ns, 'setpriv', [...AS_POSTGRES, cmd, ...args], { ...opts, env });
}

/** A directory owned by the postgres OS user, mode 0700. */
export function postgresDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  run('chown', ['postgres:postgres', dir]);
  fs.chmodSync(dir, 0o700);
  return dir;
}

/** Copies `files` (name -> source path) into a postgres-owned dir with mode 0600; returns the new paths. */
export function postgresFiles(dir: string, files: Record<string, string>): Record<string, string> {
  postgresDir(dir);
  const out: Record<string, string> = {};
  for (const [name, src] of Object.entries(files)) {
    const dst = path.join(dir, name);
    fs.copyFileSync(src, dst);
    run('chown', ['postgres:postgres', dst]);
    fs.chmodSync(dst, 0o600);
    out[name] = dst;
  }
  return out;
}

/** One running PostgreSQL. */
export interface Instance {
  readonly name: string;
  readonly ns: string;
  readonly dataDir: string;
  readonly socketDir: string;
  readonly port: number;
  proc?: Started;
}

/** Writes the derived settings into the data directory (included from postgresql.conf). */
export function configure(inst: Instance, cfg: { conf: string; hba: string; ident: string }): void {
  const write = (f: string, text: string): void => {
    const p = path.join(inst.dataDir, f);
    fs.writeFileSync(p, text, { mode: 0o600 });
    run('chown', ['postgres:postgres', p]);
  };
  write('kz-residency.conf', cfg.conf);
  write('pg_hba.conf', cfg.hba);
  write('pg_ident.conf', cfg.ident);
  const main = path.join(inst.dataDir, 'postgresql.conf');
  const text = fs.readFileSync(main, 'utf8');
  if (!text.includes("include 'kz-residency.conf'"))
    fs.appendFileSync(main, "\ninclude 'kz-residency.conf'\n");
}

/** initdb as CloudNativePG does it for a new cluster's primary (database `app`, owner `app`, added after). */
export function initdb(lab: Lab, inst: Instance): void {
  postgresDir(inst.dataDir);
  postgresDir(inst.socketDir);
  asPostgres(lab, inst.ns, `${PG_BIN}/initdb`, [
    '-D',
    inst.dataDir,
    '-U',
    'postgres',
    '--encoding=UTF8',
    '--locale=C',
    '--auth-local=peer',
    '--auth-host=scram-sha-256',
  ]);
}

/** Starts `postgres -D` in the instance's namespace and waits until it accepts connections. */
export async function start(lab: Lab, inst: Instance): Promise<Started> {
  const proc = lab.start(`postgres-${inst.name}`, inst.ns, 'setpriv', [
    ...AS_POSTGRES,
    `${PG_BIN}/postgres`,
    '-D',
    inst.dataDir,
  ]);
  inst.proc = proc;
  await waitFor(
    `PostgreSQL ${inst.name} to accept connections`,
    () =>
      /database system is ready to accept (read-only )?connections/.test(readLog(proc.log)) ||
      proc.exitCode() !== undefined,
    30000,
  );
  if (proc.exitCode() !== undefined) throw new Error(`PostgreSQL ${inst.name} exited:\n${readLog(proc.log)}`);
  return proc;
}

/** Fast shutdown (SIGINT) of the postmaster. */
export async function stop(lab: Lab, inst: Instance): Promise<void> {
  if (inst.proc) await lab.stop(inst.proc, 'SIGINT', 10000);
}

/** Runs SQL through the instance's Unix socket as the `postgres` superuser (peer map `local`). */
export function sql(lab: Lab, inst: Instance, query: string, db = 'app'): string {
  return asPostgres(lab, inst.ns, `${PG_BIN}/psql`, [
    '-X',
    '-q',
    '-A',
    '-t',
    '-v',
    'ON_ERROR_STOP=1',
    '-h',
    inst.socketDir,
    '-p',
    String(inst.port),
    '-U',
    'postgres',
    '-d',
    db,
    '-c',
    query,
  ]).stdout.trim();
}

/** Runs SQL with a libpq connection string (TCP); returns status and output instead of throwing. */
export function sqlOver(
  lab: Lab,
  ns: string,
  conninfo: string,
  query: string,
  env: NodeJS.ProcessEnv = {},
): { status: number | null; out: string } {
  const r = asPostgres(
    lab,
    ns,
    `${PG_BIN}/psql`,
    ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', conninfo, '-c', query],
    { check: false, env: { ...process.env, ...env } },
  );
  return { status: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}

/**
 * An ordinary PKI for the database's TLS (what the operator generates per cluster): a CA, the
 * primary's server certificate with the given DNS names, and the `streaming_replica` client
 * certificate, as the `<cluster>-ca` / `<cluster>-replication` Secrets hold them.
 */
export function makeDatabasePki(
  dir: string,
  serverNames: readonly string[],
): { ca: { crt: string; key: string }; server: InstanceTls; replication: { crt: string; key: string } } {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const f = (n: string): string => path.join(dir, n);
  const key = (out: string): void => {
    run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', out]);
  };
  key(f('ca.key'));
  run('openssl', [
    'req',
    '-x509',
    '-new',
    '-key',
    f('ca.key'),
    '-days',
    '1',
    '-subj',
    '/CN=clients e2e CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    f('ca.crt'),
  ]);
  const issue = (name: string, subject: string, exts: string[]): void => {
    key(f(`${name}.key`));
    const args = [
      'req',
      '-x509',
      '-new',
      '-key',
      f(`${name}.key`),
      '-CA',
      f('ca.crt'),
      '-CAkey',
      f('ca.key'),
    ];
    args.push('-days', '1', '-subj', subject);
    for (const e of exts) args.push('-addext', e);
    run('openssl', [...args, '-out', f(`${name}.crt`)]);
  };
  issue('server', `/CN=${serverNames[0]}`, [
    `subjectAltName=${serverNames.map((n) => `DNS:${n}`).join(',')}`,
    'extendedKeyUsage=serverAuth',
  ]);
  issue('replication', '/CN=streaming_replica', ['extendedKeyUsage=clientAuth']);
  return {
    ca: { crt: f('ca.crt'), key: f('ca.key') },
    server: { cert: f('server.crt'), key: f('server.key'), ca: f('ca.crt') },
    replication: { crt: f('replication.crt'), key: f('replication.key') },
  };
}
