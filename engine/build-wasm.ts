/**
 * `npm run build:wasm`: compiles policies/ into an OPA bundle with a WebAssembly policy,
 * `dist/policy-bundle.tar.gz`, for `--engine wasm`. Needs the `opa` binary on PATH; there is
 * no fallback, because only OPA's compiler can produce the WebAssembly module.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';

const root = resolve(__dirname, '..');
const out = join('dist', 'policy-bundle.tar.gz');
const entrypoint = 'kz/residency/report';

function findOnPath(cmd: string): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const p = join(dir, cmd + ext);
      if (existsSync(p)) return p;
    }
  }
  return undefined;
}

function main(): number {
  const opa = findOnPath('opa');
  if (!opa) {
    process.stderr.write(
      'build:wasm: the `opa` binary is not on PATH. Compiling the policies to WebAssembly needs OPA ' +
        '(https://www.openpolicyagent.org/docs/latest/#running-opa); install it and run `npm run build:wasm` again. ' +
        'Without it, use the built-in interpreter (the default engine).\n',
    );
    return 2;
  }
  mkdirSync(join(root, 'dist'), { recursive: true });
  const args = [
    'build',
    '-t',
    'wasm',
    '-e',
    entrypoint,
    'policies/',
    '-o',
    out,
    '--ignore',
    '*_test.rego',
    '--ignore',
    '*.schema.json',
  ];
  process.stdout.write(`build:wasm: ${opa} ${args.join(' ')}\n`);
  const run = spawnSync(opa, args, { cwd: root, stdio: 'inherit' });
  if (run.error) {
    process.stderr.write(`build:wasm: could not run opa: ${run.error.message}\n`);
    return 1;
  }
  if (run.status !== 0) {
    process.stderr.write(`build:wasm: opa build failed with status ${run.status}\n`);
    return run.status ?? 1;
  }
  process.stdout.write(
    `build:wasm: wrote ${out} (entrypoint ${entrypoint}); use it with --engine wasm --bundle ${out}\n`,
  );
  return 0;
}

process.exit(main());
