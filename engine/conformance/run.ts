/**
 * `npm run conformance [-- --cases DIR] [--v0-compatible] [--filter=RE]`: runs OPA's
 * conformance cases (default ../shared/opa-conformance; `--cases` points at another folder of
 * OPA's YAML cases, e.g. a local checkout's v1/test/cases/testdata/v1, never committed here)
 * through the interpreter, prints the pass rate per category and overall, and writes every
 * failing case with its reason to engine/conformance/failures.txt.
 *
 * Cases run as Rego v1, as OPA 1.x runs them. A case whose modules are Rego v0 (they do not
 * compile as v1 but do with `v0Compatible`) is skipped and counted apart, unless
 * `--v0-compatible` is given, which runs every case with OPA's `--v0-compatible` semantics.
 * `runConformance` is also used by test/engine/conformance.test.ts.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JsonValue } from '../engine';
import { compile } from '../rego/index';
import { compareRows, loadCases, type ConformanceCase } from './cases';

export const DEFAULT_CONFORMANCE_DIR = resolve(__dirname, '..', '..', '..', 'shared', 'opa-conformance');
export const DEFAULT_FAILURES_FILE = resolve(__dirname, 'failures.txt');

export interface CaseOutcome {
  note: string;
  category: string;
  file: string;
  passed: boolean;
  /** Skipped: Rego v0 modules in a v1 run (not counted in the rate). */
  skipped?: boolean;
  /** Why it failed or was skipped (absent when it passed). */
  reason?: string;
  durationMs: number;
}

export interface CategoryTally {
  category: string;
  passed: number;
  /** Cases run (skipped ones excluded). */
  total: number;
  skipped: number;
}

export interface ConformanceReport {
  outcomes: CaseOutcome[];
  categories: CategoryTally[];
  passed: number;
  total: number;
  /** Rego v0 cases not run (see the module comment). */
  skipped: number;
  /** passed / total, 0..1 */
  rate: number;
}

export interface ConformanceOptions {
  /** Folder of the cases; default ../shared/opa-conformance next to the repo. */
  dir?: string;
  /** Only cases whose note or file matches. */
  filter?: RegExp;
  /** Called after each case (for progress output). */
  onCase?: (outcome: CaseOutcome) => void;
  /** Run every case with OPA's --v0-compatible semantics (v0 syntax and removed builtins). */
  v0Compatible?: boolean;
}

function errorParts(e: unknown): { code: string | undefined; message: string } {
  if (e instanceof Error) {
    const code = (e as Error & { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : undefined, message: e.message };
  }
  return { code: undefined, message: String(e) };
}

/** Parses `input_term`: JSON when it is JSON, else a Rego term evaluated by the interpreter. */
function inputFromTerm(term: string): JsonValue | undefined {
  try {
    return JSON.parse(term) as JsonValue;
  } catch {
    const policy = compile([{ file: 'input_term.rego', source: `package __input_term\nx := ${term}\n` }]);
    return policy.evaluate('data.__input_term.x');
  }
}

/** Whether the case's modules are Rego v0: they fail to compile as v1 but compile as v0. */
function isV0Case(c: ConformanceCase, v1Error: unknown): boolean {
  const code = errorParts(v1Error).code;
  if (code !== 'rego_parse_error' && code !== 'rego_type_error') return false;
  try {
    compile(
      c.modules.map((source, i) => ({ file: `test-${i}.rego`, source })),
      { v0Compatible: true },
    );
    return true;
  } catch {
    return false;
  }
}

/** Runs one case and says whether it passed, and why not. */
export function runCase(c: ConformanceCase, runOpts: { v0Compatible?: boolean } = {}): CaseOutcome {
  const started = performance.now();
  const done = (passed: boolean, reason?: string): CaseOutcome => ({
    note: c.note,
    category: c.category,
    file: c.file,
    passed,
    reason,
    durationMs: performance.now() - started,
  });
  let rows: Array<Record<string, JsonValue>>;
  try {
    const input = c.inputTerm !== undefined ? inputFromTerm(c.inputTerm) : c.hasInput ? c.input : undefined;
    let policy;
    try {
      policy = compile(
        c.modules.map((source, i) => ({ file: `test-${i}.rego`, source })),
        { v0Compatible: runOpts.v0Compatible === true },
      );
    } catch (e) {
      if (!runOpts.v0Compatible && isV0Case(c, e)) {
        return { ...done(false, 'Rego v0 modules (run with --v0-compatible)'), skipped: true };
      }
      throw e;
    }
    const opts: { input?: JsonValue; data?: JsonValue; strictBuiltinErrors?: boolean } = {
      data: c.data,
      strictBuiltinErrors: c.strictError,
    };
    if (input !== undefined) opts.input = input;
    rows = policy.query(c.query, opts);
  } catch (e) {
    const { code, message } = errorParts(e);
    if (c.wantResult !== undefined)
      return done(false, `want a result, got error ${code ?? '(no code)'}: ${message}`);
    if (c.wantErrorCode !== undefined && code !== c.wantErrorCode) {
      return done(false, `want error code ${c.wantErrorCode}, got ${code ?? '(no code)'}: ${message}`);
    }
    if (c.wantError && !message.includes(c.wantError)) {
      return done(
        false,
        `want error containing ${JSON.stringify(c.wantError)}, got ${code ?? '(no code)'}: ${message}`,
      );
    }
    return done(true);
  }
  if (c.wantResult === undefined) {
    const want = [c.wantErrorCode, c.wantError && JSON.stringify(c.wantError)].filter(Boolean).join(' ');
    return done(false, `want error ${want}, got ${JSON.stringify(rows).slice(0, 500)}`);
  }
  const reason = compareRows(c.wantResult, rows, c.sortBindings);
  return reason === undefined ? done(true) : done(false, reason);
}

/** Runs every case and tallies per category. */
export function runConformance(opts: ConformanceOptions = {}): ConformanceReport {
  const dir = opts.dir ?? DEFAULT_CONFORMANCE_DIR;
  const cases = loadCases(dir).filter(
    (c) => !opts.filter || opts.filter.test(c.note) || opts.filter.test(c.file),
  );
  const outcomes: CaseOutcome[] = [];
  for (const c of cases) {
    const o = runCase(c, { v0Compatible: opts.v0Compatible });
    outcomes.push(o);
    opts.onCase?.(o);
  }
  const byCat = new Map<string, CategoryTally>();
  for (const o of outcomes) {
    const t = byCat.get(o.category) ?? { category: o.category, passed: 0, total: 0, skipped: 0 };
    if (o.skipped) t.skipped++;
    else t.total++;
    if (o.passed) t.passed++;
    byCat.set(o.category, t);
  }
  const run = outcomes.filter((o) => !o.skipped);
  const passed = run.filter((o) => o.passed).length;
  return {
    outcomes,
    categories: [...byCat.values()].sort((a, b) => (a.category < b.category ? -1 : 1)),
    passed,
    total: run.length,
    skipped: outcomes.length - run.length,
    rate: run.length === 0 ? 0 : passed / run.length,
  };
}

const pct = (p: number, t: number): string =>
  t === 0 ? '  -  ' : `${((100 * p) / t).toFixed(1).padStart(5)}%`;

/** The per-category table and the overall line. */
export function formatReport(r: ConformanceReport): string {
  const width = Math.max(8, ...r.categories.map((c) => c.category.length));
  const skipped = (n: number): string => (n > 0 ? `  (${n} v0 skipped)` : '');
  const lines = r.categories.map(
    (c) =>
      `${c.category.padEnd(width)}  ${String(c.passed).padStart(4)}/${String(c.total).padEnd(4)}  ${pct(c.passed, c.total)}${skipped(c.skipped)}`,
  );
  lines.push(
    `${'overall'.padEnd(width)}  ${String(r.passed).padStart(4)}/${String(r.total).padEnd(4)}  ${pct(r.passed, r.total)}${skipped(r.skipped)}`,
  );
  return lines.join('\n');
}

/** The failing cases, one block each: note, file, reason. */
export function formatFailures(r: ConformanceReport): string {
  const failed = r.outcomes.filter((o) => !o.passed && !o.skipped);
  const head = `# ${failed.length} failing of ${r.total} conformance cases (${pct(r.passed, r.total).trim()} pass)\n`;
  return (
    head +
    failed.map((o) => `\n${o.note}  [${o.file}]\n  ${(o.reason ?? '').replace(/\n/g, '\n  ')}\n`).join('')
  );
}

function main(): number {
  const args = process.argv.slice(2);
  let dir = DEFAULT_CONFORMANCE_DIR;
  let dirArg = false;
  let filter: RegExp | undefined;
  let v0Compatible = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--cases') {
      const next = args[++i];
      if (next === undefined) {
        process.stderr.write('conformance: --cases needs a folder of OPA YAML cases\n');
        return 2;
      }
      dir = resolve(next);
      dirArg = true;
    } else if (a.startsWith('--cases=')) {
      dir = resolve(a.slice('--cases='.length));
      dirArg = true;
    } else if (a.startsWith('--filter=')) filter = new RegExp(a.slice('--filter='.length));
    else if (a === '--v0-compatible') v0Compatible = true;
    else if (!a.startsWith('--')) {
      dir = resolve(a);
      dirArg = true;
    } else {
      process.stderr.write(
        `conformance: unknown option ${a} (options: --cases DIR, --filter=RE, --v0-compatible)\n`,
      );
      return 2;
    }
  }
  if (!existsSync(dir)) {
    const needs =
      "OPA's conformance cases: the YAML files of test/cases/testdata/v1/<category>/ in the open-policy-agent/opa repository";
    if (dirArg) {
      process.stderr.write(`conformance: ${dir}: no such folder; give a folder of ${needs}\n`);
      return 2;
    }
    // A user's clone has no ../shared: nothing to run is not a failure, and the message says what would run.
    process.stdout.write(
      `conformance: skipped: ${dir} is absent. It needs ${needs} (not part of this repository); ` +
        'put them there, or run `npm run conformance -- --cases <folder>`.\n',
    );
    return 0;
  }
  const report = runConformance({ dir, filter, v0Compatible });
  process.stdout.write(`${formatReport(report)}\n`);
  writeFileSync(DEFAULT_FAILURES_FILE, formatFailures(report));
  process.stdout.write(`failing cases and reasons: ${DEFAULT_FAILURES_FILE}\n`);
  return 0;
}

if (require.main === module) process.exit(main());
