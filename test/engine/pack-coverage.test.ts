/**
 * The shipped pack's line coverage by its own Rego tests (as `opa test --coverage` counts it),
 * printed by `npm test`. The pack's files must be covered by their tests, test files excluded.
 */
import { resolve } from 'node:path';
import { loadRegoDirectory } from '../../engine/load';
import { CoverageTracker, compile, coverageReport, runTests } from '../../engine/rego';

const POLICIES = resolve(__dirname, '..', '..', 'policies');

describe('policy pack coverage', () => {
  const policy = compile(loadRegoDirectory(POLICIES, { includeTests: true }));
  const tracker = new CoverageTracker();
  const tests = runTests(policy, { coverage: tracker });
  const report = coverageReport(
    policy.modules.filter((m) => !m.file.endsWith('_test.rego')),
    tracker,
  );

  afterAll(() => {
    const total = report.covered_lines + report.not_covered_lines;
    process.stdout.write(`\nRego policy coverage (policies/, tests excluded): ${report.coverage}% of ${total} lines\n`);
  });

  it('is measured over every policy file, each covered by its tests', () => {
    expect(tests.failed + tests.errored).toBe(0);
    const files = Object.keys(report.files);
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const f of files) expect(report.files[f].covered_lines ?? 0).toBeGreaterThan(0);
    expect(report.coverage).toBeGreaterThan(80);
  });
});
