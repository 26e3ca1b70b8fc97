#!/usr/bin/env node
/**
 * `npm run test:cdktn`: the construct, stack, guard and example tests against CDK Terrain (cdktn, the
 * community continuation of cdktf) instead of cdktf 0.21, the way a user switches: `cdktf` aliased to
 * cdktn through npm (`"cdktf": "npm:cdktn@<version>"` with an override, so the provider bindings'
 * own `require('cdktf')` gets cdktn too) and a constructs version inside cdktn's peer range.
 *
 * It runs in a temporary copy of the repository, so this checkout's install stays on cdktf.
 * KZ_CDKTN_VERSION picks another cdktn version; KZ_KEEP_CDKTN_COPY=1 keeps the copy for a look.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const cdktn = process.env.KZ_CDKTN_VERSION || '0.24.0';
const SUITES = ['test/constructs', 'test/stacks', 'test/cli/guard.test.ts', 'test/examples'];

function sh(cmd, args, cwd) {
  process.stdout.write(`$ ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
}

/** The repository's files (tracked, and new ones not ignored): no node_modules, dist or synth output. */
function sourceFiles() {
  const r = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ls-files: ${r.stderr}`);
  return r.stdout.split('\0').filter((f) => f && fs.existsSync(path.join(root, f)));
}

function main() {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'kz-cdktn-'));
  const copy = path.join(parent, 'kz-residency');
  // the suites read ../shared beside the repository (chart schemas), as in this checkout
  const shared = path.resolve(root, '..', 'shared');
  if (fs.existsSync(shared)) fs.symlinkSync(shared, path.join(parent, 'shared'), 'dir');
  try {
    for (const f of sourceFiles()) {
      fs.mkdirSync(path.dirname(path.join(copy, f)), { recursive: true });
      fs.copyFileSync(path.join(root, f), path.join(copy, f));
    }
    const pkgFile = path.join(copy, 'package.json');
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
    pkg.devDependencies.cdktf = `npm:cdktn@${cdktn}`;
    pkg.overrides = { ...(pkg.overrides || {}), cdktf: '$cdktf' };
    fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2) + '\n');

    // --ignore-scripts: no build of dist/ and no native tools are needed to run the suites from source
    sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], copy);
    const probe = spawnSync(
      process.execPath,
      ['-p', "const c = require('cdktf/package.json'); `${c.name} ${c.version}, constructs ${require('constructs/package.json').version}`"],
      { cwd: copy, encoding: 'utf8' },
    );
    const running = probe.stdout.trim();
    if (!running.startsWith(`cdktn ${cdktn},`)) throw new Error(`cdktf resolves to "${running}", not cdktn ${cdktn}`);
    process.stdout.write(`cdktf is ${running}\n`);
    // the example test runs `cdktf synth` in examples/law-firm, which imports the built package
    sh(process.execPath, ['scripts/build.js'], copy);
    sh(process.execPath, ['scripts/link-self.js'], copy);
    sh(process.execPath, [path.join(copy, 'node_modules', 'jest', 'bin', 'jest.js'), ...SUITES], copy);
    process.stdout.write(`CDK Terrain: the construct, stack, guard and example suites pass on ${running}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`test:cdktn: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    if (process.env.KZ_KEEP_CDKTN_COPY === '1') process.stdout.write(`copy kept in ${copy}\n`);
    else fs.rmSync(parent, { recursive: true, force: true });
  }
}

process.exitCode = main();
