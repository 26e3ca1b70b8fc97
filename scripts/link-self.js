#!/usr/bin/env node
/**
 * Development only (run by `prepare`): links node_modules/kz-residency to this checkout, so an example
 * run from its own folder (`cd examples/law-firm && npx cdktf synth`) imports 'kz-residency' exactly as
 * a copied-out app does, from the built package. Tests and the root typecheck map the name to the
 * sources instead (tsconfig paths, jest moduleNameMapper).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const link = path.join(root, 'node_modules', 'kz-residency');
if (!fs.existsSync(path.join(root, 'node_modules'))) process.exit(0);
try {
  if (fs.lstatSync(link).isSymbolicLink()) process.exit(0);
} catch {
  // absent: create it
}
fs.symlinkSync('..', link, 'dir');
