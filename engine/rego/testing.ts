/** A test runner with `opa test` semantics: every `test_*` rule; pass when defined and not false. */
import type { JsonValue } from '../engine';
import type { CoverageTracker } from './coverage';
import type { CompiledPolicy } from './index';

export interface TestResult {
  name: string;
  package: string;
  file: string;
  row: number;
  status: 'pass' | 'fail' | 'error';
  error?: string;
  /** Lines written by `print` during the test (shown for failures, and with verbose). */
  output?: string[];
  durationMs: number;
}

export interface TestReport {
  results: TestResult[];
  passed: number;
  failed: number;
  errored: number;
}

/**
 * Runs every `test_*` rule (not functions) of the policy. `print` output is captured per test;
 * pass `print` to also see it as it happens, and a CoverageTracker to collect line coverage.
 */
export function runTests(
  policy: CompiledPolicy,
  opts: { filter?: RegExp; data?: JsonValue; input?: JsonValue; print?: (msg: string) => void; coverage?: CoverageTracker } = {},
): TestReport {
  const results: TestResult[] = [];
  for (const t of policy.testRules()) {
    const name = t.path[t.path.length - 1];
    const pkg = 'data.' + t.path.slice(0, -1).join('.');
    if (opts.filter && !opts.filter.test(`${pkg}.${name}`) && !opts.filter.test(name)) continue;
    const started = performance.now();
    let status: TestResult['status'];
    let error: string | undefined;
    const output: string[] = [];
    const print = (msg: string): void => {
      output.push(msg);
      opts.print?.(msg);
    };
    try {
      const v = policy.evaluateValue('data.' + t.path.join('.'), { data: opts.data, input: opts.input, print, coverage: opts.coverage });
      status = v === undefined || v === false ? 'fail' : 'pass';
    } catch (e) {
      status = 'error';
      error = e instanceof Error ? e.message : String(e);
    }
    const result: TestResult = { name, package: pkg, file: t.file, row: t.row, status, durationMs: performance.now() - started };
    if (error !== undefined) result.error = error;
    if (output.length > 0) result.output = output;
    results.push(result);
  }
  return {
    results,
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    errored: results.filter((r) => r.status === 'error').length,
  };
}

/** `opa test`-like text: failures (and with verbose every test), then `N passed, N failed`. */
export function formatTestReport(report: TestReport, opts: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  let lastFile = '';
  for (const r of report.results) {
    if (!opts.verbose && r.status === 'pass') continue;
    if (r.file !== lastFile) {
      if (lines.length > 0) lines.push('');
      lines.push(`${r.file}:`);
      lastFile = r.file;
    }
    const label = r.status === 'pass' ? 'PASS' : r.status === 'fail' ? 'FAIL' : 'ERROR';
    lines.push(`${r.package}.${r.name}: ${label} (${formatMs(r.durationMs)})`);
    if (r.error) lines.push(`  ${r.error}`);
    for (const o of r.output ?? []) lines.push(`  ${o}`);
  }
  if (lines.length > 0) lines.push('-'.repeat(80));
  let summary = `${report.passed} passed, ${report.failed} failed`;
  if (report.errored > 0) summary += `, ${report.errored} errored`;
  lines.push(summary);
  return lines.join('\n');
}

function formatMs(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  return `${ms.toFixed(1)}ms`;
}
