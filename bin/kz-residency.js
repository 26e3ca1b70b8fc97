#!/usr/bin/env node
'use strict';
// In a source checkout (cli/main.ts beside this folder) the command runs the TypeScript sources through
// tsx, a devDependency, so a change is live without a build; an installed package runs the compiled dist/.
const fs = require('node:fs');
const path = require('node:path');

const source = path.join(__dirname, '..', 'cli', 'main.ts');
if (fs.existsSync(source)) {
  require('tsx/cjs');
  require(source);
} else {
  require('../dist/cli/main.js');
}
