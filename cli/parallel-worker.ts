/**
 * A worker thread of cli/parallel.ts: loads the same inputs as the main thread, prepares the
 * same deployment, compiles the pack (from the cache) and evaluates the rule paths it is given.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { InterpreterEngine } from '../engine/interpreter';
import { loadAllInputs } from '../plan/input';
import { loadPolicyPack } from './check';
import { prepareDeployment } from './evaluate';
import type { WorkerJob, WorkerResult } from './parallel';

function run(job: WorkerJob): WorkerResult {
  const inputs = loadAllInputs(job.targets);
  const prepared = prepareDeployment(inputs, job.prepare);
  const pack = loadPolicyPack(job.policiesDir, job.policyDirs, job.compileOptions);
  const session = (pack.engine as InterpreterEngine).policy.session({ input: prepared.document, data: prepared.data });
  return { values: job.paths.map((p) => [p, session.evaluate(p)]) };
}

let result: WorkerResult;
try {
  result = run(workerData as WorkerJob);
} catch (e) {
  result = { error: e instanceof Error ? e.message : String(e) };
}
parentPort?.postMessage(result);
