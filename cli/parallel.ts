/**
 * Evaluating a deployment of several stacks or plans on the machine's cores. The inputs are one
 * deployment (cli/evaluate.ts merges them, so that deployment-level rules see everything), so
 * the work is split by rule, not by input: the findings of each area of the pack
 * (`kz.residency.<area>.deny`) are computed on worker threads, each loading the same inputs and
 * compiling the pack from the cache (cli/pack-cache.ts), while the main thread computes its own
 * share; the report is then evaluated once with every area's findings given to it
 * (EvalOpts.ruleValues). The report sorts what it lists, so the result is the same, in the same
 * order, whichever thread finishes first; a worker that fails is replaced by evaluating its
 * share here.
 *
 * Used when several input files hold at least PARALLEL_FROM_RESOURCES resources together and the
 * machine has more than one core; `KZ_RESIDENCY_WORKERS=N` forces N workers, `=0` none. Each
 * worker holds its own copy of the deployment, so a single input is always evaluated on the main
 * thread (its memory is what the benchmark's peak-memory target measures).
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { JsonValue } from '../engine/engine';
import type { InterpreterEngine } from '../engine/interpreter';
import type { PolicyCompileOptions } from './check';
import type { PrepareOptions, PreparedDeployment } from './evaluate';

export const PARALLEL_FROM_RESOURCES = 5000;

/** What a worker needs to prepare the same deployment as the main thread. */
export interface WorkerJob {
  readonly targets: readonly string[];
  /** The main thread's options, whole, so that the worker's deployment is the same one. */
  readonly prepare: PrepareOptions;
  readonly policiesDir?: string;
  readonly policyDirs?: readonly string[];
  readonly compileOptions?: PolicyCompileOptions;
  /** Rule paths to evaluate (`kz/residency/store/deny`). */
  readonly paths: readonly string[];
}

export interface WorkerResult {
  readonly values?: Array<[string, JsonValue | undefined]>;
  readonly error?: string;
}

/** How many worker threads to use for `inputs` files holding `resources` resources (0: none). */
export function workerCount(inputs: number, resources: number, fromStdin: boolean, env: NodeJS.ProcessEnv = process.env): number {
  const forced = env.KZ_RESIDENCY_WORKERS;
  if (forced !== undefined && forced !== '') {
    const n = Number(forced);
    return Number.isInteger(n) && n >= 0 ? Math.min(n, 16) : 0;
  }
  if (fromStdin || inputs < 2 || resources < PARALLEL_FROM_RESOURCES) return 0;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(0, Math.min(cores - 1, 3));
}

/** Splits paths into `n` groups of about the same number (round-robin over the sorted paths). */
function groups(paths: readonly string[], n: number): string[][] {
  const out: string[][] = Array.from({ length: n }, () => []);
  paths.forEach((p, i) => out[i % n].push(p));
  return out;
}

function startWorker(job: WorkerJob): Promise<WorkerResult> {
  const ts = __filename.endsWith('.ts');
  const entry = path.join(__dirname, ts ? 'parallel-worker.ts' : 'parallel-worker.js');
  // from the TypeScript sources (a checkout, tests), the worker registers tsx as bin/kz-residency.js does
  const worker = ts
    ? new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(entry)});`, { eval: true, workerData: job })
    : new Worker(entry, { workerData: job });
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: WorkerResult): void => {
      if (settled) return;
      settled = true;
      resolve(r);
      void worker.terminate();
    };
    worker.on('message', (m: WorkerResult) => done(m));
    worker.on('error', (e) => done({ error: e.message }));
    worker.on('exit', (code) => done({ error: `worker exited with ${code}` }));
  });
}

/**
 * The report of `entrypoint` for `prepared`, with the areas' findings computed on `workers`
 * threads and the main one. `onWorkerDone(done, total)` follows the workers.
 */
export async function evaluateInParallel(
  engine: InterpreterEngine,
  entrypoint: string,
  prepared: PreparedDeployment,
  job: Omit<WorkerJob, 'paths'>,
  workers: number,
  onWorkerDone?: (done: number, total: number) => void,
): Promise<JsonValue | undefined> {
  const policy = engine.policy;
  const pkg = entrypoint.split('/').slice(0, -1).join('/');
  const parts = groups(policy.rulesNamed(pkg, 'deny'), workers + 1);
  const session = policy.session({ input: prepared.document, data: prepared.data });
  let finished = 0;
  const pending = parts.slice(1).map((paths) =>
    paths.length === 0
      ? Promise.resolve<WorkerResult>({ values: [] })
      : startWorker({ ...job, paths }).then((r) => {
          onWorkerDone?.(++finished, parts.length - 1);
          return r;
        }),
  );
  // the main thread's share, while the workers work
  for (const p of parts[0]) session.evaluate(p);
  const results = await Promise.all(pending);
  results.forEach((r, i) => {
    if (r.values) for (const [p, v] of r.values) if (v !== undefined) session.seed(p, v);
    // a worker that failed: its share is evaluated here
    else for (const p of parts[i + 1]) session.evaluate(p);
  });
  return session.evaluate(entrypoint);
}
