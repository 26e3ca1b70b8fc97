/**
 * The formatters are pure functions of a check result and the rule catalogue: each is compared
 * with a golden file (UPDATE_GOLDEN=1 to regenerate) for a hand-made result carrying the
 * characters each format must escape, and checked for its format's own rules.
 */
import { escapeData, escapeProperty, formatGithub } from '../../cli/format/github';
import { formatJson } from '../../cli/format/json';
import { formatJunit } from '../../cli/format/junit';
import { formatMarkdown } from '../../cli/format/markdown';
import { buildSarif, formatSarif } from '../../cli/format/sarif';
import { formatText } from '../../cli/format/text';
import { expectGolden } from './golden';
import { sarifValidator } from './helpers';
import { RULES, sampleResult } from './fixtures/result';

describe('formatters on a hand-made result', () => {
  const result = sampleResult();

  test('text (no colour) matches its golden file', () => {
    const out = formatText(result, RULES, { color: false });
    expectGolden('sample.txt', out);
    expect(out).not.toMatch(/\x1b\[/);
    expect(out.trimEnd().split('\n').pop()).toBe('FAIL 3 denied, 1 warning, 1 waived, 1 expired waiver');
  });

  test('text with colour uses ANSI escapes', () => {
    expect(formatText(result, RULES, { color: true })).toMatch(/\x1b\[31m/);
  });

  test('json matches its golden file and has the contract keys', () => {
    const out = formatJson(result);
    expectGolden('sample.json', out);
    const doc = JSON.parse(out) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['deny', 'warn', 'waived', 'expired_waivers', 'summary']);
    for (const f of doc.deny as Array<Record<string, unknown>>) {
      expect(typeof f.rule).toBe('string');
      expect(typeof f.resource).toBe('string');
      expect(typeof f.message).toBe('string');
    }
  });

  test('markdown matches its golden file and escapes table cells', () => {
    const out = formatMarkdown(result, RULES);
    expectGolden('sample.md', out);
    expect(out).toContain('violations/kyc\\|selfies');
    expect(out).toContain('&lt;foreign&gt; LB &amp; proxy');
    expect(out).toContain('<details>');
    expect(out).toContain('**expired 2026-01-31**');
  });

  test('markdown stays readable at 500 findings', () => {
    const big = sampleResult(500);
    const out = formatMarkdown(big, RULES);
    expect(out).toContain('… and 482 more');
    expect(out.length).toBeLessThan(65536);
  });

  test('markdown lists fewer findings per rule when many rules fail, to stay under the comment limit', () => {
    const base = sampleResult();
    const template = base.deny[0];
    const deny = [];
    for (let r = 0; r < 22; r++) {
      for (let i = 0; i < 60; i++) {
        deny.push({
          ...template,
          rule: `KZ-T-${String(r).padStart(3, '0')}`,
          resource: `stack/store-${i}`,
          message: 'x'.repeat(200),
        });
      }
    }
    const out = formatMarkdown({ ...base, deny, summary: { ...base.summary, deny: deny.length } }, RULES);
    expect(out.length).toBeLessThan(65536);
    expect(out).toMatch(/… and \d+ more/);
    expect(out.match(/<details>/g)).toHaveLength(22 + 1); // every rule keeps its section (+1 warning rule)
  });

  test('github workflow commands match the golden file and escape data and properties', () => {
    const out = formatGithub(result);
    expectGolden('sample.github.txt', out);
    for (const line of out.trimEnd().split('\n').slice(0, -1))
      expect(line).toMatch(/^::(error|warning|notice) (file=[^,:]+,(line=\d+,)?)?title=[^:]*::/);
    expect(out).toContain('100%25 unproven,%0Afail closed');
    expect(escapeData('a%b\r\nc')).toBe('a%25b%0D%0Ac');
    expect(escapeProperty('KZ-RES-001: a, b')).toBe('KZ-RES-001%3A a%2C b');
  });

  test('sarif matches its golden file and is valid SARIF 2.1.0', () => {
    const out = formatSarif(result, RULES, { version: '0.1.0' });
    expectGolden('sample.sarif', out);
    const validate = sarifValidator();
    const doc = JSON.parse(out) as unknown;
    expect(validate.errors ?? []).toEqual([]);
    expect(validate(doc)).toBe(true);
    const log = buildSarif(result, RULES);
    const run = log.runs[0];
    expect(run.tool.driver.rules?.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    const r0 = run.results?.[0];
    expect(r0?.ruleId).toBe('KZ-RES-001');
    expect(r0?.level).toBe('error');
    expect(r0?.locations?.[0].logicalLocations?.[0].fullyQualifiedName).toBe('violations/primary/store');
    expect(r0?.locations?.[0].physicalLocation?.region?.startLine).toBe(12);
    const waived = run.results?.find((r) => r.suppressions);
    expect(waived?.suppressions?.[0]).toMatchObject({ kind: 'external', status: 'accepted' });
    const warn = run.results?.find((r) => r.ruleId === 'KZ-GOV-002');
    expect(warn?.level).toBe('note');
  });

  test('the SARIF schema fixture rejects what SARIF forbids', () => {
    const validate = sarifValidator();
    const log = JSON.parse(formatSarif(result, RULES)) as {
      runs: Array<{ results: Array<Record<string, unknown>> }>;
    };
    log.runs[0].results[0].level = 'fatal';
    expect(validate(log)).toBe(false);
    const noMessage = JSON.parse(formatSarif(result, RULES)) as {
      runs: Array<{ results: Array<Record<string, unknown>> }>;
    };
    delete noMessage.runs[0].results[0].message;
    expect(validate(noMessage)).toBe(false);
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false);
  });

  test('junit matches its golden file: one testcase per rule and checked resource', () => {
    const out = formatJunit(result, RULES, { timeSeconds: 0 });
    expectGolden('sample.junit.xml', out);
    expect(out).toContain('<testsuites name="kz-residency" tests="6" failures="3" errors="0" skipped="1"');
    expect(out).toContain('name="violations/kyc|selfies"');
    expect(out).toContain('<skipped message="waived until 2026-12-31');
  });
});
