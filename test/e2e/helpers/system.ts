/**
 * Root-only plumbing for the tunnel end-to-end suites: checks that the machine can run them,
 * creates a pair of network namespaces joined by a veth pair, starts processes inside them and
 * cleans everything up BY ID (namespaces by name, processes by PID), in afterAll and, through a
 * detached watchdog, also when the test process is killed by a signal or crashes.
 *
 * Addresses are only given to interfaces inside the namespaces created here (192.0.2.0/30,
 * TEST-NET-1, on the veth; the tunnel's own addresses on the tunnel interfaces). Nothing is routed
 * out of them and no traffic is sent to any address outside them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Result of a synchronous command. */
export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command synchronously (no shell). Throws with stderr when `check` and it fails. */
export function run(
  cmd: string,
  args: readonly string[],
  opts: { input?: string | Buffer; check?: boolean; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): RunResult {
  const r = spawnSync(cmd, args, {
    input: opts.input,
    env: opts.env ?? process.env,
    timeout: opts.timeoutMs ?? 30000,
    encoding: 'utf8',
  });
  const res: RunResult = { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  if ((opts.check ?? true) && (r.error !== undefined || r.status !== 0)) {
    const why = r.error !== undefined ? r.error.message : `exit ${String(r.status)}`;
    throw new Error(`${cmd} ${args.join(' ')}: ${why}\n${res.stderr}${res.stdout}`);
  }
  return res;
}

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin')
    .split(':')
    .concat(['/usr/sbin', '/sbin'])) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** Absolute path of the stunnel binary (Debian ships `stunnel4`, with `stunnel` as a link). */
export function stunnelBinary(): string {
  return which('stunnel4') ?? which('stunnel') ?? 'stunnel4';
}

/** Why this machine cannot run the tunnel suites, or undefined when it can. Cached. */
let envCache: { reason: string | undefined } | undefined;
export function tunnelEnvironmentProblem(): string | undefined {
  if (envCache !== undefined) return envCache.reason;
  envCache = { reason: probe() };
  return envCache.reason;
}

function probe(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return `creating network namespaces needs root (uid is ${String(process.getuid?.())}); run as root, as .ci/run does`;
  }
  const missing = [
    'ip',
    'ss',
    'wg',
    'wg-quick',
    'wireguard-go',
    'tcpdump',
    'openssl',
    'socat',
    'setpriv',
  ].filter((c) => which(c) === undefined);
  if (which('stunnel4') === undefined && which('stunnel') === undefined) missing.push('stunnel4');
  if (!fs.existsSync('/usr/lib/postgresql/15/bin/postgres')) missing.push('postgresql-15');
  if (!fs.existsSync('/usr/lib/postgresql/15/lib/pgaudit.so')) missing.push('postgresql-15-pgaudit');
  if (missing.length > 0) {
    return `missing tools: ${missing.join(', ')} (apt-get install wireguard-go wireguard-tools iproute2 stunnel4 libengine-gost-openssl openssl tcpdump socat util-linux postgresql-15 postgresql-15-pgaudit)`;
  }
  const gost = run('openssl', ['engine', 'gost'], { check: false });
  if (gost.status !== 0)
    return `the OpenSSL GOST engine does not load (install libengine-gost-openssl): ${gost.stderr.trim()}`;
  if (!fs.existsSync('/dev/net/tun')) return 'no /dev/net/tun: wireguard-go cannot create its interface';
  const probeNs = `kzres-probe-${process.pid}`;
  const add = run('ip', ['netns', 'add', probeNs], { check: false });
  if (add.status !== 0) return `cannot create a network namespace: ${add.stderr.trim()}`;
  run('ip', ['netns', 'del', probeNs], { check: false });
  return undefined;
}

/**
 * `describe` for a tunnel suite: runs it when the machine can; otherwise prints why and
 * skips it, or, with CI=true, registers a failing test carrying the reason (non-zero exit).
 */
export function describeTunnels(name: string, fn: () => void): void {
  const problem = tunnelEnvironmentProblem();
  if (problem === undefined) {
    describe(name, fn);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      test('can run the real tunnel software (CI=true requires it)', () => {
        throw new Error(`tunnel e2e cannot run here: ${problem}`);
      });
    });
  } else {
    // straight to stderr: jest drops the console output of a suite whose tests are all skipped
    process.stderr.write(`\nSKIPPED ${name}\n  because ${problem}\n  (with CI=true this is a failure)\n`);
    describe.skip(`${name} [skipped: ${problem}]`, fn);
  }
}

/** A process started by a suite, with its log file. */
export interface Started {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  readonly log: string;
  /** resolves with the exit code (or signal name) when the process ends */
  readonly exited: Promise<number | string>;
  exitCode(): number | string | undefined;
}

/**
 * A watchdog, started detached beside the test process: when that process disappears (killed by
 * a signal, crashed, or jest aborted) it kills the PIDs and deletes the namespaces listed in the
 * state file. A normal run stops it (by its PID) after cleaning up itself. Signal handlers in a
 * jest test file would not do: jest gives the test a copy of `process`, and its listeners never fire.
 */
const REAPER_JS = `
const fs = require('fs'); const { spawnSync } = require('child_process');
const [parent, state] = [Number(process.argv[2]), process.argv[3]];
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
process.on('SIGTERM', () => process.exit(0));
setInterval(() => {
  if (alive(parent)) return;
  let s = { pids: [], namespaces: [], etcDirs: [] };
  try { s = JSON.parse(fs.readFileSync(state, 'utf8')); } catch {}
  for (const pid of s.pids) { try { process.kill(pid, 'SIGKILL'); } catch {} }
  for (const ns of s.namespaces) {
    const r = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' });
    for (const pid of (r.stdout || '').split(/\s+/).filter(Boolean)) { try { process.kill(Number(pid), 'SIGKILL'); } catch {} }
    spawnSync('ip', ['netns', 'del', ns]);
  }
  for (const d of s.etcDirs || []) fs.rmSync(d, { recursive: true, force: true });
  if (process.argv[4] === 'remove') fs.rmSync(require('path').dirname(state), { recursive: true, force: true });
  process.exit(0);
}, 250);
`;

/** Everything a suite created, for cleanup by id. */
export class Lab {
  readonly dir: string;
  readonly pids = new Set<number>();
  readonly namespaces: string[] = [];
  /** /etc/netns/<namespace> directories created for the namespaces' /etc/hosts. */
  private readonly etcDirs: string[] = [];
  private readonly stateFile: string;
  private readonly reaper: ChildProcess;

  constructor(readonly tag: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `kzres-e2e-${tag}-`));
    // traversable (not listable) by the unprivileged users the gateways and PostgreSQL run as
    fs.chmodSync(this.dir, 0o711);
    removeStaleNamespaces();
    this.stateFile = path.join(this.dir, 'cleanup-state.json');
    this.persist();
    const reaperJs = path.join(this.dir, 'reaper.js');
    fs.writeFileSync(reaperJs, REAPER_JS);
    this.reaper = spawn(
      process.execPath,
      [
        reaperJs,
        String(process.pid),
        this.stateFile,
        process.env.KZRES_KEEP_E2E === undefined ? 'remove' : 'keep',
      ],
      {
        detached: true,
        stdio: 'ignore',
      },
    );
    this.reaper.unref();
  }

  /** Writes the PIDs and namespaces to clean up, for the watchdog. */
  private persist(): void {
    fs.writeFileSync(
      this.stateFile,
      JSON.stringify({ pids: [...this.pids], namespaces: this.namespaces, etcDirs: this.etcDirs }),
    );
  }

  /** Namespace names for this run: kzres-<side>-<pid>-<tag>. */
  nsName(side: 'kz' | 'hq'): string {
    return `kzres-${side}-${process.pid}-${this.tag}`;
  }

  /** veth end names (at most 15 characters). */
  vethName(side: 'kz' | 'hq'): string {
    return `v${side[0]}${this.tag.slice(0, 2)}${process.pid}`.slice(0, 15);
  }

  /**
   * Creates the kz and hq namespaces joined by a veth pair: kz 192.0.2.1/30, hq 192.0.2.2/30,
   * loopback up in both, no default route (nothing leaves them).
   */
  createNamespaces(): { kz: string; hq: string; kzAddr: string; hqAddr: string } {
    const kz = this.nsName('kz');
    const hq = this.nsName('hq');
    for (const ns of [kz, hq]) {
      run('ip', ['netns', 'add', ns]);
      this.namespaces.push(ns);
      this.persist();
      run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    const vk = this.vethName('kz');
    const vh = this.vethName('hq');
    run('ip', ['link', 'add', vk, 'netns', kz, 'type', 'veth', 'peer', 'name', vh, 'netns', hq]);
    run('ip', ['-n', kz, 'addr', 'add', '192.0.2.1/30', 'dev', vk]);
    run('ip', ['-n', hq, 'addr', 'add', '192.0.2.2/30', 'dev', vh]);
    run('ip', ['-n', kz, 'link', 'set', vk, 'up']);
    run('ip', ['-n', hq, 'link', 'set', vh, 'up']);
    const routes = run('ip', ['-n', kz, 'route', 'show', 'default']).stdout.trim();
    if (routes !== '') throw new Error(`namespace ${kz} unexpectedly has a default route: ${routes}`);
    return { kz, hq, kzAddr: '192.0.2.1', hqAddr: '192.0.2.2' };
  }

  /**
   * Name resolution inside `ns`, as the cluster's DNS would give it: `ip netns exec` bind-mounts
   * /etc/netns/<ns>/hosts over /etc/hosts for the processes it starts. Call before starting them.
   */
  setHosts(ns: string, entries: Record<string, string>): void {
    const dir = path.join('/etc/netns', ns);
    fs.mkdirSync(dir, { recursive: true });
    if (!this.etcDirs.includes(dir)) this.etcDirs.push(dir);
    this.persist();
    const lines = [
      '127.0.0.1 localhost',
      ...Object.entries(entries).map(([host, addr]) => `${addr} ${host}`),
    ];
    fs.writeFileSync(path.join(dir, 'hosts'), lines.join('\n') + '\n', { mode: 0o644 });
  }

  /** PIDs of every descendant of `pid` (children, their children, ...), read from /proc. */
  descendants(pid: number): number[] {
    const children = new Map<number, number[]>();
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
      } catch {
        /* gone */
      }
    }
    const out: number[] = [];
    const walk = (p: number): void => {
      for (const c of children.get(p) ?? []) {
        out.push(c);
        walk(c);
      }
    };
    walk(pid);
    return out;
  }

  /** Runs a command inside a namespace synchronously. */
  nsRun(
    ns: string,
    cmd: string,
    args: readonly string[],
    opts: { check?: boolean; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
  ): RunResult {
    return run('ip', ['netns', 'exec', ns, cmd, ...args], opts);
  }

  /**
   * Starts a long-running process inside a namespace (`ip netns exec` execs it, so the PID is
   * the process's own), output to a log file; its PID is recorded for cleanup.
   */
  start(name: string, ns: string, cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv): Started {
    const log = path.join(this.dir, `${name}.log`);
    const fd = fs.openSync(log, 'w');
    const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], {
      stdio: ['ignore', fd, fd],
      env: env ?? process.env,
    });
    fs.closeSync(fd);
    if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
    const pid = child.pid;
    this.pids.add(pid);
    this.persist();
    let code: number | string | undefined;
    const exited = new Promise<number | string>((resolve) => {
      child.on('exit', (c, sig) => {
        code = c ?? sig ?? 'unknown';
        this.pids.delete(pid);
        if (fs.existsSync(this.dir)) this.persist();
        resolve(code);
      });
    });
    return { name, pid, child, log, exited, exitCode: () => code };
  }

  /** Records a PID this suite caused to exist (e.g. the wireguard-go daemon wg-quick forks). */
  adopt(pid: number): void {
    this.pids.add(pid);
    this.persist();
  }

  /** Stops one started process by PID: SIGTERM, then SIGKILL after `graceMs`. */
  async stop(p: Started, signal: NodeJS.Signals = 'SIGTERM', graceMs = 2000): Promise<void> {
    if (p.exitCode() !== undefined) return;
    try {
      process.kill(p.pid, signal);
    } catch {
      return;
    }
    let handle: NodeJS.Timeout | undefined;
    const timer = new Promise<'timeout'>((r) => {
      handle = setTimeout(() => r('timeout'), graceMs);
    });
    const first = await Promise.race([p.exited, timer]);
    clearTimeout(handle);
    if (first === 'timeout') {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      await p.exited;
    }
  }

  /** Kills every recorded PID and deletes the namespaces; safe to call twice. */
  cleanupSync(): void {
    for (const pid of this.pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    this.pids.clear();
    for (const ns of this.namespaces.splice(0)) {
      // whatever still runs in a namespace this suite created was started by it (daemons forked by
      // the processes it started, e.g. wireguard-go or PostgreSQL backends): kill them by PID
      const left = run('ip', ['netns', 'pids', ns], { check: false }).stdout.split(/\s+/).filter(Boolean);
      for (const pid of left) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      run('ip', ['netns', 'del', ns], { check: false });
    }
    for (const d of this.etcDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    if (fs.existsSync(this.dir)) this.persist();
  }

  /** Full cleanup: processes, namespaces, the watchdog; keeps the log dir when KZRES_KEEP_E2E is set. */
  dispose(): void {
    this.cleanupSync();
    if (this.reaper.pid !== undefined && this.reaper.exitCode === null) {
      try {
        process.kill(this.reaper.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
    }
    if (process.env.KZRES_KEEP_E2E === undefined) fs.rmSync(this.dir, { recursive: true, force: true });
    else console.warn(`kept e2e files in ${this.dir}`);
  }
}

/** Deletes kzres-* namespaces left by earlier runs whose process is gone (never those of a live PID). */
function removeStaleNamespaces(): void {
  const list = run('ip', ['netns', 'list'], { check: false }).stdout;
  for (const line of list.split('\n')) {
    const m = /^(kzres-(?:kz|hq|probe)-(\d+)(?:-[a-z0-9]+)?)\b/.exec(line.trim());
    if (m === null) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || fs.existsSync(`/proc/${pid}`)) continue;
    run('ip', ['netns', 'del', m[1]], { check: false });
  }
}

/** The network namespace inode of a process, or undefined when it is gone. */
function netnsOf(pid: number | 'self'): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return undefined;
  }
}

/**
 * PIDs of processes whose command line is exactly `argv` and that run inside namespace `ns`
 * (compared by namespace inode), e.g. the wireguard-go daemon wg-quick started for an interface.
 */
export function findProcessesInNamespace(ns: string, argv: readonly string[]): number[] {
  const nsInode = run('ip', ['netns', 'exec', ns, 'readlink', '/proc/self/ns/net']).stdout.trim();
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const args = cmdline.split('\0').filter((a) => a !== '');
    if (args.length !== argv.length || args.some((a, i) => path.basename(a) !== argv[i] && a !== argv[i]))
      continue;
    if (netnsOf(pid) === nsInode) found.push(pid);
  }
  return found;
}

/** Waits until `predicate` is true (polling), or throws with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  predicate: () => boolean,
  timeoutMs = 10000,
  everyMs = 100,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (predicate()) return;
    await sleep(everyMs);
  }
  if (predicate()) return;
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Reads a log file, '' when absent. */
export function readLog(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
