/**
 * Runs OPA's conformance cases (../shared/opa-conformance) through the interpreter and holds
 * the pass rate at the project's bar of 99.5% (Rego v0 cases are skipped and counted apart). Skips with a reason when the shared folder is absent.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DEFAULT_FAILURES_FILE,
  formatFailures,
  formatReport,
  runConformance,
} from '../../engine/conformance/run';

const dir = resolve(__dirname, '..', '..', '..', 'shared', 'opa-conformance');
const BAR = 0.995;

if (!existsSync(dir)) {
  console.warn(`conformance: skipped, ${dir} is absent (OPA's cases are shared material, not in the repo)`);
  describe.skip('OPA conformance', () => {
    it('needs ../shared/opa-conformance', () => undefined);
  });
} else {
  describe('OPA conformance', () => {
    it(`passes at least ${BAR * 100}% of the cases`, () => {
      const report = runConformance({ dir });
      writeFileSync(DEFAULT_FAILURES_FILE, formatFailures(report));
      console.log(`${formatReport(report)}\nfailing cases: ${DEFAULT_FAILURES_FILE}`);
      expect(report.total + report.skipped).toBeGreaterThanOrEqual(600);
      expect(report.skipped).toBeLessThanOrEqual(5);
      expect(report.rate).toBeGreaterThanOrEqual(BAR);
    }, 300_000);
  });
}
