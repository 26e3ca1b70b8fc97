/**
 * Runs every `*_test.rego` beside the policies through the interpreter's test runner (opa test
 * semantics) and checks the rule metadata that reports, SARIF and docs are built from.
 */
import * as path from 'node:path';
import { loadRegoDirectory } from '../../engine/load';
import { compile, formatTestReport, runTests, type TestReport } from '../../engine/rego';

const POLICIES = path.resolve(__dirname, '../../policies');

describe('Rego unit tests (policies/**/*_test.rego)', () => {
  const policy = compile(loadRegoDirectory(POLICIES, { includeTests: true }));
  const report: TestReport = runTests(policy);

  afterAll(() => {
    // The runner's own summary, ending with the line "N passed, N failed".
    process.stdout.write(`\nRego policy tests:\n${formatTestReport(report, { verbose: false })}\n`);
  });

  it('finds the policy tests', () => {
    expect(report.results.length).toBeGreaterThanOrEqual(100);
  });

  it('passes every Rego test', () => {
    const bad = report.results.filter((r) => r.status !== 'pass').map((r) => `${r.file}:${r.row} ${r.package}.${r.name}: ${r.status}${r.error ? ` (${r.error})` : ''}`);
    expect(bad).toEqual([]);
    expect(report.failed + report.errored).toBe(0);
  });

  it('has tests for every area file', () => {
    const files = new Set(report.results.map((r) => path.basename(r.file)));
    for (const area of [
      'store', 'backup', 'crossborder', 'firsttouch', 'audit', 'security', 'governance', 'ur832', 'report',
      'plan', 'providers', 'kube', 'helm', 'endpoint', 'sites', 'regions', 'location', 'classification',
      'stores', 'settings', 'flows', 'tunnels', 'secrets',
    ]) {
      expect(files).toContain(`${area}_test.rego`);
    }
  });
});

describe('rule metadata', () => {
  const policy = compile(loadRegoDirectory(POLICIES, { includeTests: false }));
  const rules = policy.annotations.filter((a) => a.scope === 'rule' && a.custom && typeof a.custom.id === 'string');
  const custom = (a: (typeof rules)[number], k: string): unknown => a.custom?.[k];

  it('every deny rule of every area carries an id', () => {
    const ids = rules.map((a) => String(custom(a, 'id'))).sort();
    expect(ids).toEqual([
      'KZ-AUD-001', 'KZ-AUD-002', 'KZ-AUD-003', 'KZ-BAK-001', 'KZ-BAK-002', 'KZ-FT-001', 'KZ-GOV-001', 'KZ-GOV-002',
      'KZ-RES-001', 'KZ-RES-002', 'KZ-RES-003', 'KZ-RES-004', 'KZ-RES-005', 'KZ-RES-006', 'KZ-SEC-001', 'KZ-SEC-002',
      'KZ-UR-001', 'KZ-UR-002', 'KZ-XBT-001', 'KZ-XBT-002', 'KZ-XBT-003', 'KZ-XBT-004',
    ]);
    for (const a of rules) expect(a.path).toMatch(/^data\.kz\.residency\.[a-z0-9]+\.deny$/);
  });

  it.each(rules.map((a) => [String(custom(a, 'id')), a] as const))('%s has complete metadata', (_id, a) => {
    expect(typeof a.title).toBe('string');
    expect(typeof a.description).toBe('string');
    expect(['critical', 'high', 'medium', 'low']).toContain(custom(a, 'severity'));
    expect(['law', 'practice']).toContain(custom(a, 'basis'));
    expect(typeof custom(a, 'law')).toBe('string');
    expect(typeof custom(a, 'remediation')).toBe('string');
    const profiles = custom(a, 'profiles');
    expect(Array.isArray(profiles)).toBe(true);
    for (const p of profiles as unknown[]) expect(['law', 'audit-ready', 'ur832']).toContain(p);
    const law = String(custom(a, 'law'));
    if (custom(a, 'basis') === 'law') {
      // a law rule cites a statute or regulation, and denies in the law profile
      expect(law).toMatch(/^(Law No\. 94-V|Rules for personal-data protection)/);
      expect(profiles).toEqual(['law', 'audit-ready', 'ur832']);
    } else {
      // a practice rule cites the audit guidance and never pretends to be law
      expect(law).toMatch(/^Audit guidance/);
      expect(profiles).not.toContain('law');
    }
  });
});
