/**
 * `kz-residency test [dir]`: runs the `test_*` rules of the `*_test.rego` files in a directory,
 * with `opa test` semantics (engine/rego runTests). A user's own directory is compiled together
 * with the bundled pack (without the pack's tests) when it refers to `data.kz.…`, so their tests
 * can use `data.kz.lib.*` and `data.kz.residency.*`; only their tests are run.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { PolicyEngineError } from '../engine/engine';
import { loadRegoDirectory } from '../engine/load';
import { CoverageTracker, compile, coverageReport, formatTestReport, loadCapabilities, runTests, type Capabilities } from '../engine/rego';
import { UsageError } from './errors';

export interface PolicyTestOptions {
  readonly verbose: boolean;
  /** Only tests whose name matches this regular expression. */
  readonly run?: string;
  /** The bundled policy pack, compiled alongside a user's directory. */
  readonly packDir: string;
  /** Print OPA's JSON line-coverage report instead of the test report (`opa test --coverage`). */
  readonly coverage?: boolean;
  /** An OPA capabilities JSON file: a policy calling a builtin outside it fails to compile. */
  readonly capabilities?: string;
  /** Accept Rego v0 modules and the builtins OPA 1.x removed (`--v0-compatible`). */
  readonly v0Compatible?: boolean;
}

function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** `text` goes to stdout; `failures` (with --coverage only) to stderr. */
export function runPolicyTests(dir: string, opts: PolicyTestOptions): { text: string; failed: boolean; failures?: string } {
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
  let capabilities: Capabilities | undefined;
  if (opts.capabilities !== undefined) {
    try {
      capabilities = loadCapabilities(opts.capabilities);
    } catch (e) {
      throw new UsageError(`--capabilities: ${e instanceof PolicyEngineError ? e.message : String(e)}`);
    }
  }
  const policy = compile(sources, { capabilities, v0Compatible: opts.v0Compatible });
  const tracker = opts.coverage ? new CoverageTracker() : undefined;
  const report = runTests(policy, { filter, coverage: tracker });
  if (report.results.length === 0)
    throw new UsageError(`${dir}: no test_* rules found${opts.run ? ` matching /${opts.run}/` : ''}`);
  const failed = report.failed + report.errored > 0;
  const text = formatTestReport(report, { verbose: opts.verbose });
  if (tracker) {
    // as `opa test --coverage`: the JSON report on stdout; failing tests are still the exit status
    return { text: JSON.stringify(coverageReport(policy.modules, tracker), null, 2) + '\n', failed, failures: failed ? text + '\n' : undefined };
  }
  return { text: text.endsWith('\n') ? text : text + '\n', failed };
}
