/** Running npm and the installed command in throw-away consumer folders, as a user's shell would. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment of a user's shell: none of the `npm_*` variables that `npm test` sets for this
 * process (they would make a nested npm act on this repository), no colours, no cdktf telemetry.
 */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.toLowerCase().startsWith('npm_') && !keep.has(k.toLowerCase())) continue;
    if (k === 'INIT_CWD') continue;
    env[k] = v;
  }
  return {
    ...env,
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    CHECKPOINT_DISABLE: '1',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    ...extra,
  };
}

/** Runs a command to completion without blocking the event loop (several installs run side by side). */
export function run(
  command: string,
  args: readonly string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: opts.cwd,
      env: opts.env ?? userEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 240_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Throws with the command's output when it did not exit 0: a failed setup step says why. */
export async function ok(
  command: string,
  args: readonly string[],
  opts: Parameters<typeof run>[2],
): Promise<Run> {
  const r = await run(command, args, opts);
  if (r.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${opts.cwd}) exited ${r.status}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`,
    );
  }
  return r;
}

/** `npm install` as a user runs it, taking what the npm cache already holds before asking the registry. */
export function npmInstall(cwd: string, args: readonly string[] = [], env?: NodeJS.ProcessEnv): Promise<Run> {
  return ok('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...args], { cwd, env });
}

/** The exact version of a package in this repository's lock file (so consumer installs hit the npm cache). */
export function lockedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const v = lock.packages[`node_modules/${name}`]?.version;
  if (!v) throw new Error(`package-lock.json: no node_modules/${name}`);
  return v;
}

/** One check's JSON report from stdout. */
export interface JsonReport {
  readonly deny: ReadonlyArray<{ readonly rule: string; readonly resource: string }>;
  readonly summary: { readonly result: string; readonly deny: number; readonly rules: number };
}
export function jsonReport(r: Run): JsonReport {
  try {
    return JSON.parse(r.stdout) as JsonReport;
  } catch {
    throw new Error(
      `not a JSON report (exit ${r.status}):\n${r.stdout.slice(0, 2000)}\n${r.stderr.slice(0, 2000)}`,
    );
  }
}
