#!/usr/bin/env node
/**
 * `npm run build` (and `prepare`, so `npm pack` and installs from a git URL build too): compiles the
 * library and the command to dist/ with declarations, then copies the policy pack beside the code
 * (dist/policies, without *_test.rego) because the guard and the command load it from there.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

fs.rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

fs.cpSync(path.join(root, 'policies'), path.join(dist, 'policies'), {
  recursive: true,
  filter: (src) => fs.statSync(src).isDirectory() || (/\.(rego|json)$/.test(src) && !src.endsWith('_test.rego')),
});
