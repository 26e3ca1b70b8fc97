/**
 * `kz-residency test [dir]`: runs the `test_*` rules of the `*_test.rego` files in a directory,
 * with `opa test` semantics (engine/rego runTests). A user's own directory is compiled together
 * with the bundled pack (without the pack's tests) when it refers to `data.kz.…`, so their tests
 * can use `data.kz.lib.*` and `data.kz.residency.*`; only their tests are run.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadRegoDirectory } from '../engine/load';
import { compile, formatTestReport, runTests } from '../engine/rego';
import { UsageError } from './errors';

export interface PolicyTestOptions {
  readonly verbose: boolean;
  /** Only tests whose name matches this regular expression. */
  readonly run?: string;
  /** The bundled policy pack, compiled alongside a user's directory. */
  readonly packDir: string;
}

function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export function runPolicyTests(dir: string, opts: PolicyTestOptions): { text: string; failed: boolean } {
  if (!existsSync(dir)) throw new UsageError(`${dir}: no such directory`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`${dir}: not a directory`);
  const own = loadRegoDirectory(dir, { includeTests: true });
  if (!own.some((s) => s.file.endsWith('_test.rego')))
    throw new UsageError(`${dir}: no *_test.rego files found`);
  const abs = path.resolve(dir);
  const pack = path.resolve(opts.packDir);
  // The pack is added only when the user's policies use it (data.kz.…), so their tests do not depend on it otherwise.
  const usesPack = own.some((s) => /\bdata\.kz\./.test(s.source));
  const withPack = usesPack && !inside(abs, pack) && !inside(pack, abs) && existsSync(pack);
  const sources = withPack ? [...loadRegoDirectory(pack, { includeTests: false }), ...own] : own;
  let filter: RegExp | undefined;
  if (opts.run !== undefined) {
    try {
      filter = new RegExp(opts.run);
    } catch (e) {
      throw new UsageError(`--run: not a regular expression: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const report = runTests(compile(sources), { filter });
  if (report.results.length === 0)
    throw new UsageError(`${dir}: no test_* rules found${opts.run ? ` matching /${opts.run}/` : ''}`);
  const text = formatTestReport(report, { verbose: opts.verbose });
  return { text: text.endsWith('\n') ? text : text + '\n', failed: report.failed + report.errored > 0 };
}
