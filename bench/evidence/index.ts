/**
 * `npm run bench evidence`: times `kz-residency report` on generated plans of growing size, in
 * process: the whole collection (check, inventory, provenance, picture), the Graphviz layout of the
 * picture alone (WebAssembly, a fresh instance each time as the command does), and rendering the
 * pack's files; and the size of index.html and the SVG. Plans come from bench/plans (the same seeded generator as bench/check).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPolicyPack } from '../../cli/check';
import { renderSvg } from '../../cli/evidence/graph';
import { collectEvidence, packFiles } from '../../cli/evidence/run';
import { generatePlan } from '../plans/generate';
import { registryDocument } from '../plans/sites';

const SIZES = (process.env.KZ_BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kz-bench-evidence-'));
  try {
    const sites = path.join(dir, 'sites.json');
    const registry = registryDocument();
    writeFileSync(sites, JSON.stringify(registry));
    loadPolicyPack(); // warm the module cache; collectEvidence compiles the pack itself
    process.stdout.write('resources  stores  collect (ms)  graphviz (ms)  files (ms)  index.html (KiB)  svg (KiB)\n');
    for (const n of SIZES) {
      const plan = path.join(dir, `plan-${n}.json`);
      generatePlan(plan, n, 20261130);
      let t = performance.now();
      const ev = await collectEvidence({ targets: [plan], sites, version: 'bench', now: '2026-11-23' });
      const collectMs = performance.now() - t;
      t = performance.now();
      await renderSvg(ev.dot);
      const vizMs = performance.now() - t;
      t = performance.now();
      const files = packFiles(ev);
      const filesMs = performance.now() - t;
      const kib = (s: string) => (Buffer.byteLength(s) / 1024).toFixed(0);
      process.stdout.write(
        `${String(n).padStart(9)}  ${String(ev.pack.inventory.stores.length).padStart(6)}  ${collectMs.toFixed(0).padStart(12)}  ${vizMs.toFixed(0).padStart(13)}  ${filesMs.toFixed(0).padStart(10)}  ${kib(files['index.html'] ?? '').padStart(16)}  ${kib(files['data-flow.svg'] ?? '').padStart(9)}\n`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench/evidence: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
