#!/usr/bin/env node
// Runs the TypeScript sources through tsx so that the command works straight after `npm ci`.
require('tsx/cjs');
require('../cli/main.ts');
