/** Loading Rego sources from disk for the interpreter. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { RegoSource } from './engine';
import { PolicyEngineError } from './engine';

export interface LoadOptions {
  /** Include `*_test.rego` files (for `runTests`). */
  includeTests: boolean;
}

/**
 * Every `.rego` file under `dir` (recursive), sorted by path. File names in the result are
 * relative to `dir`'s parent when `dir` is named (e.g. `policies/kz/residency/store.rego` for
 * `dir` = `.../policies`), so they do not depend on the working directory.
 */
export function loadRegoDirectory(dir: string, opts: LoadOptions): RegoSource[] {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new PolicyEngineError(`${dir}: no such directory`, 'engine_error');
  }
  if (!st.isDirectory()) throw new PolicyEngineError(`${dir}: not a directory`, 'engine_error');
  const base = join(dir, '..');
  const out: RegoSource[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else if (name.endsWith('.rego')) {
        if (!opts.includeTests && name.endsWith('_test.rego')) continue;
        out.push({ file: relative(base, p).split(sep).join('/'), source: readFileSync(p, 'utf8') });
      }
    }
  };
  walk(dir);
  out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return out;
}
