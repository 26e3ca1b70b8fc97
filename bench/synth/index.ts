/**
 * bench/synth: time to synthesize the law-firm example (three stacks, sites.json) in-process,
 * median of several runs with heap growth, and its ratio to a baseline measured in the same run:
 * the synth of a bare stack with one namespace on one site's provider.
 * Run by `npm run bench` (node --expose-gc); `BENCH_RUNS` sets the number of runs (default 7).
 */
import * as path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { App, TerraformStack } from 'cdktf';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { KzSite, SiteProviders } from '../../constructs';
import { residencyLabels } from '../../constructs/vocabulary';
import { buildLawFirm } from '../../examples/law-firm/main';

const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 7));
const registry = path.resolve(__dirname, '../../examples/law-firm/sites.yaml');

interface Sample {
  ms: number;
  heapMb: number;
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) g();
}

function measure(build: (app: App) => void): Sample {
  const outdir = mkdtempSync(path.join(tmpdir(), 'kz-bench-synth-'));
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  const app = new App({ outdir });
  build(app);
  app.synth();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
  rmSync(outdir, { recursive: true, force: true });
  return { ms, heapMb };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const site = KzSite.fromRegistry(registry, 'kz-ala-1');
const baseline = (app: App): void => {
  const stack = new TerraformStack(app, 'bare');
  new NamespaceV1(stack, 'ns', {
    provider: SiteProviders.of(stack, site).kubernetes,
    metadata: { name: 'bare', labels: residencyLabels({ dataClass: 'public', role: 'cache', site }) },
  });
};
const lawFirm = (app: App): void => {
  buildLawFirm(app);
};

// warm-up (module loading, JIT) is not measured
measure(baseline);
measure(lawFirm);

const base: Sample[] = [];
const law: Sample[] = [];
for (let i = 0; i < RUNS; i++) {
  base.push(measure(baseline));
  law.push(measure(lawFirm));
}
const b = median(base.map((s) => s.ms));
const l = median(law.map((s) => s.ms));
const fmt = (n: number): string => n.toFixed(1);
process.stdout.write(`runs: ${RUNS} (median)\n`);
process.stdout.write(
  `baseline (1 stack, 1 namespace):     ${fmt(b)} ms, heap +${fmt(median(base.map((s) => s.heapMb)))} MB\n`,
);
process.stdout.write(
  `law-firm (3 stacks, sites.json):     ${fmt(l)} ms, heap +${fmt(median(law.map((s) => s.heapMb)))} MB\n`,
);
process.stdout.write(`ratio law-firm / baseline:           ${(l / b).toFixed(2)}x\n`);
process.stdout.write(
  `peak RSS:                            ${fmt(process.memoryUsage().rss / 1024 / 1024)} MB\n`,
);
