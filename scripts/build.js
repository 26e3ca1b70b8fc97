#!/usr/bin/env node
/**
 * `npm run build` (and `prepare`, so `npm pack` and installs from a git URL build too): compiles the
 * library and the command to dist/ with declarations (tsconfig.build.json), then copies the policy
 * pack beside the code (dist/policies, without *_test.rego) because the guard and the command load it
 * from there, wherever the package is installed.
 *
 * The compile is incremental (its state in node_modules/.cache, never shipped): `npm pack` in the
 * package test right after `npm ci` recompiles nothing. Output whose source is gone is removed, and a
 * missing dist/ forces a full compile, so dist/ never holds what the sources no longer say.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const buildInfo = path.join(root, 'node_modules', '.cache', 'kz-residency', 'tsconfig.build.tsbuildinfo');

if (!fs.existsSync(path.join(dist, 'index.js'))) {
  fs.rmSync(dist, { recursive: true, force: true });
  fs.rmSync(buildInfo, { force: true });
}

const tsc = spawnSync(
  process.execPath,
  [
    require.resolve('typescript/bin/tsc'),
    '-p',
    path.join(root, 'tsconfig.build.json'),
    '--incremental',
    '--tsBuildInfoFile',
    buildInfo,
  ],
  { stdio: 'inherit' },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

/** Removes compiled files (and then empty folders) under dist/ whose TypeScript source no longer exists. */
function prune(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (file === path.join(dist, 'policies')) continue;
      prune(file);
      if (fs.readdirSync(file).length === 0) fs.rmdirSync(file);
      continue;
    }
    const m = /^(.*)\.(js|d\.ts)$/.exec(path.relative(dist, file));
    if (m && !fs.existsSync(path.join(root, `${m[1]}.ts`))) fs.rmSync(file);
  }
}
prune(dist);

/**
 * Makes dist/policies hold exactly the pack's policies and schemas (no *_test.rego). Only files that
 * differ are written, so a rebuild with nothing changed (the package test's `npm pack`) leaves the
 * pack untouched while other processes (a synth-time guard in a parallel test) read it.
 */
function syncPolicies(from, to) {
  const wanted = new Set();
  const copy = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const src = path.join(dir, entry.name);
      if (entry.isDirectory()) copy(src);
      else if (/\.(rego|json)$/.test(entry.name) && !entry.name.endsWith('_test.rego')) {
        const rel = path.relative(from, src);
        wanted.add(rel);
        const dest = path.join(to, rel);
        const content = fs.readFileSync(src);
        if (!fs.existsSync(dest) || !fs.readFileSync(dest).equals(content)) {
          fs.mkdirSync(path.dirname(dest), { recursive: true });
          fs.writeFileSync(dest, content);
        }
      }
    }
  };
  const clean = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        clean(file);
        if (fs.readdirSync(file).length === 0) fs.rmdirSync(file);
      } else if (!wanted.has(path.relative(to, file))) fs.rmSync(file);
    }
  };
  fs.mkdirSync(to, { recursive: true });
  copy(from);
  clean(to);
}
syncPolicies(path.join(root, 'policies'), path.join(dist, 'policies'));
