/**
 * `npm run conformance`: runs OPA's conformance cases (../shared/opa-conformance) through the
 * interpreter, prints the pass rate per category and overall, and writes every failing case
 * with its reason to engine/conformance/failures.txt.
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
  /** Why it failed (absent when it passed). */
  reason?: string;
  durationMs: number;
}

export interface CategoryTally {
  category: string;
  passed: number;
  total: number;
}

export interface ConformanceReport {
  outcomes: CaseOutcome[];
  categories: CategoryTally[];
  passed: number;
  total: number;
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

/** Runs one case and says whether it passed, and why not. */
export function runCase(c: ConformanceCase): CaseOutcome {
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
    const policy = compile(c.modules.map((source, i) => ({ file: `test-${i}.rego`, source })));
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
    const o = runCase(c);
    outcomes.push(o);
    opts.onCase?.(o);
  }
  const byCat = new Map<string, CategoryTally>();
  for (const o of outcomes) {
    const t = byCat.get(o.category) ?? { category: o.category, passed: 0, total: 0 };
    t.total++;
    if (o.passed) t.passed++;
    byCat.set(o.category, t);
  }
  const passed = outcomes.filter((o) => o.passed).length;
  return {
    outcomes,
    categories: [...byCat.values()].sort((a, b) => (a.category < b.category ? -1 : 1)),
    passed,
    total: outcomes.length,
    rate: outcomes.length === 0 ? 0 : passed / outcomes.length,
  };
}

const pct = (p: number, t: number): string =>
  t === 0 ? '  -  ' : `${((100 * p) / t).toFixed(1).padStart(5)}%`;

/** The per-category table and the overall line. */
export function formatReport(r: ConformanceReport): string {
  const width = Math.max(8, ...r.categories.map((c) => c.category.length));
  const lines = r.categories.map(
    (c) =>
      `${c.category.padEnd(width)}  ${String(c.passed).padStart(3)}/${String(c.total).padEnd(3)}  ${pct(c.passed, c.total)}`,
  );
  lines.push(
    `${'overall'.padEnd(width)}  ${String(r.passed).padStart(3)}/${String(r.total).padEnd(3)}  ${pct(r.passed, r.total)}`,
  );
  return lines.join('\n');
}

/** The failing cases, one block each: note, file, reason. */
export function formatFailures(r: ConformanceReport): string {
  const failed = r.outcomes.filter((o) => !o.passed);
  const head = `# ${failed.length} failing of ${r.total} conformance cases (${pct(r.passed, r.total).trim()} pass)\n`;
  return (
    head +
    failed.map((o) => `\n${o.note}  [${o.file}]\n  ${(o.reason ?? '').replace(/\n/g, '\n  ')}\n`).join('')
  );
}

function main(): number {
  const args = process.argv.slice(2);
  const dirArg = args.find((a) => !a.startsWith('--'));
  const filterArg = args.find((a) => a.startsWith('--filter='))?.slice('--filter='.length);
  const dir = dirArg ? resolve(dirArg) : DEFAULT_CONFORMANCE_DIR;
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
        'put them there, or run `npm run conformance -- <folder>`.\n',
    );
    return 0;
  }
  const report = runConformance({ dir, filter: filterArg ? new RegExp(filterArg) : undefined });
  process.stdout.write(`${formatReport(report)}\n`);
  writeFileSync(DEFAULT_FAILURES_FILE, formatFailures(report));
  process.stdout.write(`failing cases and reasons: ${DEFAULT_FAILURES_FILE}\n`);
  return 0;
}

if (require.main === module) process.exit(main());
