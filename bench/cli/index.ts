/**
 * `npm run bench cli`: times `kz-residency check` on generated plans of growing size — in-process
 * (load + evaluate + format, policy pack compiled once) and end to end (the real bin in a child
 * process, Node and tsx start-up included). Plans come from bench/engine/plan.ts (deterministic).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPolicyPack, runCheck } from '../../cli/check';
import { render } from '../../cli/format';
import { SITES, generatePlan } from '../engine/plan';

const SIZES = (process.env.KZ_BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
const ROOT = path.resolve(__dirname, '..', '..');

function registry(): object {
  return {
    sites: SITES.map((s) => ({
      id: s.id,
      jurisdiction: s.country,
      city: s.country === 'KZ' ? (s.id.includes('ala') ? 'Almaty' : 'Astana') : 'Frankfurt',
      kubernetes: { endpoints: [s.endpoint], region: s.id },
    })),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kz-bench-cli-'));
  try {
    const sites = path.join(dir, 'sites.json');
    writeFileSync(sites, JSON.stringify(registry()));
    let t = performance.now();
    const pack = loadPolicyPack();
    process.stdout.write(
      `policy pack: ${pack.rules.length} rules compiled in ${(performance.now() - t).toFixed(0)} ms\n`,
    );
    process.stdout.write('resources  check (ms)  text (ms)  sarif (ms)  denied  end-to-end bin (ms)\n');
    for (const n of SIZES) {
      const plan = path.join(dir, `plan-${n}.json`);
      writeFileSync(plan, JSON.stringify(generatePlan(n)));
      t = performance.now();
      const { result, rules } = await runCheck({ targets: [plan], sites, pack, now: '2026-11-23' });
      const checkMs = performance.now() - t;
      t = performance.now();
      render('text', result, rules);
      const textMs = performance.now() - t;
      t = performance.now();
      render('sarif', result, rules);
      const sarifMs = performance.now() - t;
      t = performance.now();
      const run = spawnSync(
        process.execPath,
        [
          path.join(ROOT, 'bin', 'kz-residency.js'),
          'check',
          plan,
          '--sites',
          sites,
          '--format',
          'json',
          '--now',
          '2026-11-23',
        ],
        {
          encoding: 'utf8',
          maxBuffer: 256 * 1024 * 1024,
        },
      );
      const e2eMs = performance.now() - t;
      if (run.status !== 0 && run.status !== 1)
        process.stdout.write(`  bin exited ${run.status}: ${run.stderr.trim()}\n`);
      process.stdout.write(
        `${String(n).padStart(9)}  ${checkMs.toFixed(0).padStart(10)}  ${textMs.toFixed(1).padStart(9)}  ${sarifMs.toFixed(1).padStart(10)}  ${String(result.summary.deny).padStart(6)}  ${e2eMs.toFixed(0).padStart(19)}\n`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench/cli: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
