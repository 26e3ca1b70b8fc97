#!/usr/bin/env node
'use strict';
// An installed package runs the compiled dist/ (plain Node, no TypeScript at run time). In a source
// checkout (cli/main.ts beside this folder, tsx installed as a devDependency) the command runs the
// TypeScript sources through tsx, so a change is live without a build.
const fs = require('node:fs');
const path = require('node:path');

const source = path.join(__dirname, '..', 'cli', 'main.ts');
const compiled = path.join(__dirname, '..', 'dist', 'cli', 'main.js');

function resolvable(id) {
  try {
    require.resolve(id);
    return true;
  } catch {
    return false;
  }
}

if (fs.existsSync(source) && resolvable('tsx/cjs')) {
  require('tsx/cjs');
  require(source);
} else if (fs.existsSync(compiled)) {
  require(compiled);
} else {
  process.stderr.write(
    `kz-residency: ${compiled} is missing: run \`npm run build\` in ${path.resolve(__dirname, '..')}\n`,
  );
  process.exitCode = 2;
}
