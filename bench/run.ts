/**
 * `npm run bench`: runs every bench/<name>/index.ts in its own process, one after the other,
 * so that one benchmark's heap does not skew the next. Each prints its own figures and ratios.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = __dirname;
const only = process.argv.slice(2);
const suites = readdirSync(root)
  .filter((name) => statSync(join(root, name)).isDirectory() && existsSync(join(root, name, 'index.ts')))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

let failed = 0;
for (const name of suites) {
  process.stdout.write(`\n=== bench/${name} ===\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(root, name, 'index.ts')], {
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    failed++;
    process.stdout.write(`bench/${name} exited with status ${run.status}\n`);
  }
}
if (suites.length === 0) process.stdout.write('no benchmarks found under bench/\n');
process.exit(failed === 0 ? 0 : 1);
