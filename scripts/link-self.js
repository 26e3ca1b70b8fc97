#!/usr/bin/env node
/**
 * Development only (run by `prepare`): makes this checkout resolvable as an installed `kz-residency`,
 * so that an example run from its own folder (`cd examples/law-firm && npx cdktf synth`, then
 * `npm run check`) imports 'kz-residency' and runs the command exactly as a copied-out app does:
 *   node_modules/kz-residency           -> ..  (the package, resolved through its exports to dist/)
 *   node_modules/.bin/kz-residency      -> ../../bin/kz-residency.js
 * Tests and the root typecheck map the name to the sources instead (tsconfig paths, jest
 * moduleNameMapper). Nothing here runs in an installed copy: `prepare` does not run for a dependency
 * installed from a tarball or the registry, and a git install discards its build folder's node_modules.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const modules = path.join(root, 'node_modules');
if (!fs.existsSync(modules)) process.exit(0);

/** Creates `link` -> `target` (relative) unless a link is already there; never replaces a real file. */
function ensureLink(link, target, type) {
  try {
    if (fs.lstatSync(link).isSymbolicLink()) return;
    process.stderr.write(`link-self: ${path.relative(root, link)} exists and is not a link: left alone\n`);
    return;
  } catch {
    // absent: create it
  }
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(target, link, type);
}

ensureLink(path.join(modules, 'kz-residency'), '..', 'dir');
ensureLink(
  path.join(modules, '.bin', 'kz-residency'),
  path.join('..', '..', 'bin', 'kz-residency.js'),
  'file',
);
