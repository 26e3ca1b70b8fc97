/**
 * `npm run demo`: synthesizes the three examples (examples/law-firm, examples/fintech-biometric,
 * examples/violations), runs `kz-residency check` on each synth output, prints each report,
 * and ends with one line per example (`law-firm: pass`, `violations: 7 denied`). It exits 0
 * when the compliant examples pass and the violating one is denied — the point of the demo —
 * and 1 otherwise (2 when an example cannot be synthesized or checked).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPolicyPack, runCheck } from './check';
import { describeError, wantsColor } from './main';
import { formatText } from './format/text';
import { synthExample as synthInProcess } from '../examples/synth-all';

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

/**
 * Synthesizes an example in-process with examples/synth-all.ts (the same code as `npm run synth`)
 * into `outdir`; returns the synth output directory.
 */
export function synthExample(name: string, outdir: string): string {
  if (!existsSync(path.join(ROOT, 'examples', name, 'main.ts')))
    throw new Error(`examples/${name}: no main.ts (is the example there yet?)`);
  // An example app that guards itself at synth would stop the violating one before it can be shown.
  process.env.KZ_RESIDENCY_GUARD = 'off';
  return synthInProcess(name, outdir);
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
        // The reviewed registry is the example's sites.yaml, never the sites.json its app wrote.
        const sites = path.join(ROOT, 'examples', ex.name, 'sites.yaml');
        const { result, rules } = await runCheck({ targets: [synthDir], sites, pack });
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
