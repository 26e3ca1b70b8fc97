/**
 * `npm run synth`: synthesizes every example into its own `examples/<name>/cdktf.out`
 * (cdk.tf.json per stack, plus sites.json), in-process, without a terraform binary.
 * Usage: tsx examples/synth-all.ts [name...]
 */
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { buildFintechBiometric } from './fintech-biometric/main';
import { buildLawFirm } from './law-firm/main';
import { buildViolations } from './violations/main';

/** Every example: folder name and the function that builds it into an app. */
export const EXAMPLES: ReadonlyArray<{ name: string; build: (app: App) => unknown }> = [
  { name: 'law-firm', build: buildLawFirm },
  { name: 'fintech-biometric', build: buildFintechBiometric },
  { name: 'violations', build: buildViolations },
];

/** Synthesizes one example into `outdir` (default `examples/<name>/cdktf.out`); returns the outdir. */
export function synthExample(name: string, outdir = path.join(__dirname, name, 'cdktf.out')): string {
  const example = EXAMPLES.find((e) => e.name === name);
  if (!example)
    throw new Error(`unknown example ${JSON.stringify(name)} (${EXAMPLES.map((e) => e.name).join(', ')})`);
  rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir, skipValidation: false });
  example.build(app);
  app.synth();
  return outdir;
}

if (require.main === module) {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : EXAMPLES.map((e) => e.name);
  let failed = 0;
  for (const name of names) {
    try {
      const out = synthExample(name);
      process.stdout.write(`synthesized ${name} -> ${path.relative(process.cwd(), out)}\n`);
    } catch (e) {
      failed++;
      process.stderr.write(`${name}: ${(e as Error).message}\n`);
    }
  }
  process.exit(failed === 0 ? 0 : 1);
}
