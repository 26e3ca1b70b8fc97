/**
 * `npm run demo`: synthesizes the three examples (examples/law-firm, examples/fintech-biometric,
 * examples/violations), runs `kz-residency check` on each synth output, prints each report,
 * and ends with one line per example (`law-firm: pass`, `violations: 7 denied`). It exits 0
 * when the compliant examples pass and the violating one is denied — the point of the demo —
 * and 1 otherwise (2 when an example cannot be synthesized or checked).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPolicyPack, runCheck } from './check';
import { describeError, wantsColor } from './main';
import { formatText } from './format/text';

const ROOT = path.resolve(__dirname, '..');

interface Example {
  readonly name: string;
  readonly expect: 'pass' | 'deny';
}

export const EXAMPLES: readonly Example[] = [
  { name: 'law-firm', expect: 'pass' },
  { name: 'fintech-biometric', expect: 'pass' },
  { name: 'violations', expect: 'deny' },
];

/** Runs the example's cdktf app (the `app` command of its cdktf.json) into `outdir`; returns the synth output dir. */
export function synthExample(name: string, outdir: string): string {
  const dir = path.join(ROOT, 'examples', name);
  const cdktfJson = path.join(dir, 'cdktf.json');
  if (!existsSync(cdktfJson)) throw new Error(`examples/${name}: no cdktf.json (is the example there yet?)`);
  const config = JSON.parse(readFileSync(cdktfJson, 'utf8')) as { app?: string; output?: string };
  const app = config.app ?? 'npx tsx main.ts';
  const run = spawnSync(app, {
    cwd: dir,
    shell: true,
    encoding: 'utf8',
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1', KZ_RESIDENCY_GUARD: 'off', FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) {
    const why = (run.stderr || run.stdout || '').trim().split('\n').slice(-3).join(' | ');
    throw new Error(`examples/${name}: synth failed (\`${app}\` exited ${run.status}): ${why}`);
  }
  if (existsSync(path.join(outdir, 'manifest.json')) || (existsSync(outdir) && readdirSync(outdir).length > 0)) return outdir;
  // The app chose its own outdir: use the one cdktf.json names.
  const own = path.join(dir, config.output ?? 'cdktf.out');
  if (existsSync(own)) return own;
  throw new Error(`examples/${name}: synth wrote nothing to ${outdir} or ${own}`);
}

export async function runDemo(out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const color = wantsColor(process.stdout, process.env);
  const pack = loadPolicyPack();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kz-residency-demo-'));
  const lines: string[] = [];
  let ok = true;
  let broken = false;
  try {
    for (const ex of EXAMPLES) {
      out.write(`\n=== examples/${ex.name} (expected: ${ex.expect === 'pass' ? 'pass' : 'denied'}) ===\n`);
      try {
        const synthDir = synthExample(ex.name, path.join(tmp, ex.name));
        const { result, rules } = await runCheck({ target: synthDir, pack });
        // Inputs are named as the stacks, not as the temporary directory.
        out.write(formatText(result, rules, { color }));
        const denied = result.summary.deny;
        lines.push(denied === 0 ? `${ex.name}: pass` : `${ex.name}: ${denied} denied`);
        if ((ex.expect === 'pass') !== (denied === 0)) ok = false;
      } catch (e) {
        broken = true;
        ok = false;
        out.write(`${describeError(e)}\n`);
        lines.push(`${ex.name}: error`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  out.write('\n');
  for (const l of lines) out.write(`${l}\n`);
  if (!ok) {
    process.stderr.write(
      broken
        ? 'demo: an example could not be synthesized or checked\n'
        : 'demo: unexpected result: law-firm and fintech-biometric should pass and violations should be denied\n',
    );
  }
  return broken ? 2 : ok ? 0 : 1;
}

if (require.main === module) {
  runDemo().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`demo: ${describeError(e)}\n`);
      process.exitCode = 2;
    },
  );
}
