/** Runs the real command (`node bin/kz-residency.js …`) from the repository root. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

export const ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(__dirname, 'fixtures');
/** Paths relative to the repository root, as a user would type them there. */
export const fx = (name: string) => path.relative(ROOT, path.join(FIXTURES, name));

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the command. The environment is the test's less what would change the output (colours,
 * a GitHub step summary); `input` is given on standard input.
 */
export function kz(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  opts: { readonly input?: string; readonly cwd?: string } = {},
): Run {
  const base = { ...process.env };
  delete base.GITHUB_STEP_SUMMARY;
  delete base.FORCE_COLOR;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'kz-residency.js'), ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input,
    encoding: 'utf8',
    env: { ...base, NO_COLOR: '1', ...env },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Replaces what changes from run to run (temporary paths, durations) with placeholders. */
export function stable(text: string, replacements: Record<string, string> = {}): string {
  let out = text;
  for (const [from, to] of Object.entries(replacements)) out = out.split(from).join(to);
  return out.replace(/"durationMs": \d+/g, '"durationMs": 0').replace(/ time="[\d.]+"/g, ' time="0"');
}

/** A validator for SARIF 2.1.0 (test/cli/fixtures/sarif-2.1.0.schema.json, written from the specification). */
export function sarifValidator() {
  const schema = JSON.parse(readFileSync(path.join(FIXTURES, 'sarif-2.1.0.schema.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** Synthesizes an example in a child process, as `cdktf synth` does (test/cli/synth-example.ts); returns its cdktf.out. */
export function synthInChild(name: string, outdir: string): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'synth-example.ts'), name, outdir], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (r.status !== 0) throw new Error(`synth of examples/${name} failed: ${r.stderr}`);
  return outdir;
}
