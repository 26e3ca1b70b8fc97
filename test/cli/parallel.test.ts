/**
 * Several inputs evaluated on worker threads (cli/parallel.ts) give exactly the result of the
 * main thread alone, whichever worker finishes first; when workers are used; the progress line.
 */
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { generatePlan } from '../../bench/plans/generate';
import { registryDocument } from '../../bench/plans/sites';
import { runCheck } from '../../cli/check';
import { PARALLEL_FROM_RESOURCES, workerCount } from '../../cli/parallel';
import { ProgressLine } from '../../cli/progress';
import { cleanupTempDirs, tempDir } from '../plan/helpers';

afterAll(cleanupTempDirs);

test('three plans judged on two worker threads and the main thread: the same result as on one thread', async () => {
  const dir = tempDir();
  const files = [1, 2, 3].map((i) => {
    const f = path.join(dir, `stack${i}.json`);
    generatePlan(f, 150, 200 + i);
    return f;
  });
  const sites = path.join(dir, 'sites.json');
  writeFileSync(sites, JSON.stringify(registryDocument()));
  const run = async (workers: string, progress?: (d: number, t: number) => void) => {
    const saved = process.env.KZ_RESIDENCY_WORKERS;
    process.env.KZ_RESIDENCY_WORKERS = workers;
    try {
      const { result } = await runCheck({ targets: files, sites, now: '2026-11-23', onWorkers: progress });
      return JSON.stringify({ ...result, summary: { ...result.summary, durationMs: 0 } });
    } finally {
      if (saved === undefined) delete process.env.KZ_RESIDENCY_WORKERS;
      else process.env.KZ_RESIDENCY_WORKERS = saved;
    }
  };
  const seen: string[] = [];
  const parallel = await run('2', (d, t) => seen.push(`${d}/${t}`));
  const single = await run('0');
  expect(parallel).toBe(single);
  expect(seen).toEqual(['1/2', '2/2']);
  expect(JSON.parse(single).deny.length).toBeGreaterThan(0);
}, 120000);

test('the workers prepare the same deployment as the main thread, options included (--kubeconfig)', async () => {
  const dir = tempDir();
  const generated = path.join(dir, 'stack.json');
  generatePlan(generated, 60, 301);
  const fixtures = path.join(__dirname, '..', 'fixtures', 'plans');
  const targets = [path.join(fixtures, 'location-kubeconfig-kz.json'), generated];
  const sites = path.join(dir, 'sites.json');
  writeFileSync(sites, JSON.stringify(registryDocument()));
  const run = async (workers: string, kubeconfig?: string) => {
    const saved = process.env.KZ_RESIDENCY_WORKERS;
    process.env.KZ_RESIDENCY_WORKERS = workers;
    try {
      const { result } = await runCheck({ targets, sites, now: '2026-11-23', kubeconfig });
      return JSON.stringify({ ...result, summary: { ...result.summary, durationMs: 0 } });
    } finally {
      if (saved === undefined) delete process.env.KZ_RESIDENCY_WORKERS;
      else process.env.KZ_RESIDENCY_WORKERS = saved;
    }
  };
  const kubeconfig = path.join(fixtures, 'ci.kubeconfig');
  const single = await run('0', kubeconfig);
  // with 1 to 3 workers, every area of the pack is evaluated on a worker in one of the runs
  for (const workers of ['1', '2', '3']) expect(await run(workers, kubeconfig)).toBe(single);
  // the kubeconfig changes the result, so a worker that lost it would not give the same one
  expect(await run('0')).not.toBe(single);
}, 120000);

test('workers only for several large inputs on several cores, or when asked for', () => {
  expect(workerCount(1, 100000, false, {})).toBe(0); // one input: its memory is the benchmark's
  expect(workerCount(3, PARALLEL_FROM_RESOURCES - 1, false, {})).toBe(0);
  expect(workerCount(3, PARALLEL_FROM_RESOURCES, true, {})).toBe(0); // standard input cannot be read twice
  expect(workerCount(1, 10, false, { KZ_RESIDENCY_WORKERS: '2' })).toBe(2);
  expect(workerCount(5, 10 ** 6, false, { KZ_RESIDENCY_WORKERS: '0' })).toBe(0);
});

test('the progress line: only on a terminal, only for enough work, cleared at the end', () => {
  const writes: string[] = [];
  const tty = { isTTY: true, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream;
  const small = new ProgressLine(tty);
  small.start(1, 100);
  small.end();
  expect(writes).toEqual([]);
  const big = new ProgressLine(tty);
  big.start(5, 20000);
  big.workers(1, 2);
  big.end();
  expect(writes).toEqual(['\r\x1b[Kchecking 5 inputs (20000 resources)…', '\r\x1b[Kchecking 5 inputs (20000 resources): 1 of 2 worker threads done…', '\r\x1b[K']);
  const pipe = new ProgressLine({ isTTY: false, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream);
  pipe.start(9, 99999);
  pipe.end();
  expect(writes).toHaveLength(3);
});
