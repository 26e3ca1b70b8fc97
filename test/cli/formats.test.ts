/**
 * The formatters are pure functions of a check result and the rule catalogue: each is compared
 * with a golden file (UPDATE_GOLDEN=1 to regenerate) for a hand-made result carrying the
 * characters each format must escape, and checked for its format's own rules: GitHub's limit of
 * annotations per step, SARIF's relative URIs and help links, JUnit's statuses, Markdown at
 * pull-request width.
 */
import { GITHUB_ANNOTATIONS_PER_STEP, escapeData, escapeProperty, formatGithub } from '../../cli/format/github';
import { formatJson } from '../../cli/format/json';
import { formatJunit } from '../../cli/format/junit';
import { formatMarkdown, unbreakable } from '../../cli/format/markdown';
import { SRCROOT, buildSarif, formatSarif } from '../../cli/format/sarif';
import { formatText } from '../../cli/format/text';
import type { CheckResult, Finding } from '../../cli/report';
import { expectGolden } from './golden';
import { sarifValidator } from './helpers';
import { RULES, sampleResult } from './fixtures/result';

const DOCS = { version: '0.1.0', docsBase: 'https://example.org/kz-residency/docs', informationUri: 'https://example.org/kz-residency' };

describe('formatters on a hand-made result', () => {
  const result = sampleResult();

  test('text (no colour) matches its golden file; the last line is the verdict', () => {
    const out = formatText(result, RULES, { color: false });
    expectGolden('sample.txt', out);
    expect(out).not.toMatch(/\x1b\[/);
    expect(out).toContain('at infra/main.ts:12');
    expect(out.trimEnd().split('\n').pop()).toBe(
      'FAIL 3 denied (2 critical, 1 high), 1 warning, 1 waived, 1 expired waiver, 1 unused waiver',
    );
  });

  test('text with colour uses ANSI escapes', () => {
    expect(formatText(result, RULES, { color: true })).toMatch(/\x1b\[31m/);
  });

  test('json matches its golden file and has the contract keys, each finding with its fingerprint', () => {
    const out = formatJson(result);
    expectGolden('sample.json', out);
    const doc = JSON.parse(out) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['deny', 'warn', 'waived', 'expired_waivers', 'unused_waivers', 'summary']);
    for (const f of doc.deny as Array<Record<string, unknown>>) {
      expect(typeof f.rule).toBe('string');
      expect(typeof f.resource).toBe('string');
      expect(typeof f.message).toBe('string');
      expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  test('markdown matches its golden file and escapes what it must', () => {
    const out = formatMarkdown(result, RULES);
    expectGolden('sample.md', out);
    expect(out).toContain('`violations/kyc\\|selfies`');
    expect(out).toContain('&lt;foreign&gt; LB &amp; proxy');
    expect(out).toContain('<details>');
    expect(out).toContain('**expired 2026-01-31**');
    expect(out).toContain('**matches nothing**');
  });

  test('markdown stays readable at pull-request width: narrow table, ids that do not break, right plurals', () => {
    const one = sampleResult();
    const single: CheckResult = { ...one, summary: { ...one.summary, resources: 1 } };
    const out = formatMarkdown(single, RULES);
    expect(out).toContain('1 resource,');
    expect(out).not.toMatch(/\b1 resources\b/);
    const header = out.split('\n').find((l) => l.startsWith('| severity'));
    expect(header?.split('|').length).toBeLessThanOrEqual(7); // five columns
    const row = out.split('\n').find((l) => l.includes('Primary store of personal data'));
    expect(row).toContain(`**${unbreakable('KZ-RES-001')}**`);
    expect(row).not.toContain('KZ-RES-001'); // ordinary hyphens would let the column wrap there
    // findings as list items, where a long message wraps instead of squeezing a table
    expect(out).toMatch(/^- `violations\/primary\/store` \(site hq-fra\) — `infra\/main\.ts:12`<br>/m);
  });

  test('markdown orders the rules for triage: critical first', () => {
    const out = formatMarkdown(result, RULES);
    const rows = out.split('\n').filter((l) => /^\| [🟥🟧🟨⬜]/u.test(l));
    expect(rows[0]).toMatch(/critical/);
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
    const deny: Finding[] = [];
    for (let r = 0; r < 22; r++) {
      for (let i = 0; i < 60; i++) {
        deny.push({ ...template, rule: `KZ-T-${String(r).padStart(3, '0')}`, resource: `stack/store-${i}`, message: 'x'.repeat(200) });
      }
    }
    const out = formatMarkdown({ ...base, deny, summary: { ...base.summary, deny: deny.length } }, RULES);
    expect(out.length).toBeLessThan(65536);
    expect(out).toMatch(/… and \d+ more/);
    expect(out.match(/<details>/g)).toHaveLength(22 + 1); // every rule keeps its section (+1 warning rule)
  });

  test('github workflow commands match the golden file, point at the code and escape data and properties', () => {
    const out = formatGithub(result);
    expectGolden('sample.github.txt', out);
    const lines = out.trimEnd().split('\n');
    for (const line of lines.slice(0, -1))
      expect(line).toMatch(/^::(error|warning|notice) (file=[^,:]+,(line=\d+,)?)?title=[^:]*::/);
    expect(lines[0]).toMatch(/^::error file=infra\/main\.ts,line=12,title=KZ-RES-001 \[critical\]/);
    expect(out).toContain('100%25 unproven,%0Afail closed');
    expect(lines[lines.length - 1]).toBe(
      'kz-residency: FAIL: 3 denied (2 critical, 1 high), 1 warning, 1 waived, 2 waivers that did nothing (profile audit-ready)',
    );
    expect(escapeData('a%b\r\nc')).toBe('a%25b%0D%0Ac');
    expect(escapeProperty('KZ-RES-001: a, b')).toBe('KZ-RES-001%3A a%2C b');
  });

  test('github: past the annotations GitHub shows per step, the summary line says how many more', () => {
    const big = sampleResult(20);
    const out = formatGithub(big);
    const errors = out.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(23);
    expect(out.trimEnd().split('\n').pop()).toMatch(
      new RegExp(`GitHub shows ${GITHUB_ANNOTATIONS_PER_STEP} annotations of each kind per step: 13 more errors only in the job summary and code scanning$`),
    );
  });

  test('sarif matches its golden file and is valid SARIF 2.1.0, with relative URIs, help links and the tool page', () => {
    const out = formatSarif(result, RULES, DOCS);
    expectGolden('sample.sarif', out);
    const validate = sarifValidator();
    const doc = JSON.parse(out) as unknown;
    expect(validate(doc)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    const log = buildSarif(result, RULES, DOCS);
    const run = log.runs[0];
    expect(run.tool.driver.informationUri).toBe('https://example.org/kz-residency');
    expect(run.tool.driver.rules?.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(run.tool.driver.rules?.[0].helpUri).toBe('https://example.org/kz-residency/docs/rules.md#kz-res-001');
    expect(run.originalUriBaseIds?.[SRCROOT]).toBeDefined();
    const r0 = run.results?.[0];
    expect(r0?.ruleId).toBe('KZ-RES-001');
    expect(r0?.level).toBe('error');
    expect(r0?.locations?.[0].logicalLocations?.[0].fullyQualifiedName).toBe('violations/primary/store');
    expect(r0?.locations?.[0].physicalLocation?.artifactLocation).toEqual({ uri: 'infra/main.ts', uriBaseId: SRCROOT });
    expect(r0?.locations?.[0].physicalLocation?.region?.startLine).toBe(12);
    expect(r0?.partialFingerprints?.['kzResidencyFinding/v2']).toBe(result.deny[0].fingerprint);
    const waived = run.results?.find((r) => r.suppressions);
    expect(waived?.suppressions?.[0]).toMatchObject({ kind: 'external', status: 'accepted' });
    const warn = run.results?.find((r) => r.ruleId === 'KZ-GOV-002');
    expect(warn?.level).toBe('note');
  });

  test('sarif: with a baseline, each result says new or unchanged', () => {
    const known: CheckResult = {
      ...result,
      deny: result.deny.map((f, i) => ({ ...f, baseline: i === 0 ? 'new' : 'known' })),
    };
    const states = buildSarif(known, RULES).runs[0].results?.slice(0, 3).map((r) => r.baselineState);
    expect(states).toEqual(['new', 'unchanged', 'unchanged']);
  });

  test('the SARIF schema fixture rejects what SARIF forbids', () => {
    const validate = sarifValidator();
    const log = JSON.parse(formatSarif(result, RULES)) as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    log.runs[0].results[0].level = 'fatal';
    expect(validate(log)).toBe(false);
    const noMessage = JSON.parse(formatSarif(result, RULES)) as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    delete noMessage.runs[0].results[0].message;
    expect(validate(noMessage)).toBe(false);
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false);
  });

  test('junit matches its golden file: one testcase per rule and resource, each with its status', () => {
    const out = formatJunit(result, RULES, { timeSeconds: 0 });
    expectGolden('sample.junit.xml', out);
    expect(out).toContain('<testsuites name="kz-residency" tests="6" failures="3" errors="0" skipped="1"');
    expect(out).toContain('name="violations/kyc|selfies" status="failed"');
    expect(out).toContain('<skipped message="waived until 2026-12-31');
    // a warning is a test case of its own, visible as such, not a pass with a note
    expect(out).toMatch(/<testcase classname="kz-residency\.KZ-GOV-002" name="violations" status="warning">[\s\S]*?<system-out>warning: /);
    expect(out).toContain('name="violations/standby/store" status="passed"/>');
  });

  test('junit: denials the gate lets through (baseline, --fail-on) are not failures', () => {
    const gated: CheckResult = {
      ...result,
      deny: result.deny.map((f) => ({ ...f, baseline: 'known' })),
      summary: { ...result.summary, gate: { ...result.summary.gate, baseline: 'base.json', failing: 0, known: 3 } },
    };
    const out = formatJunit(gated, RULES, { timeSeconds: 0 });
    expect(out).toContain('failures="0"');
    expect(out).toContain('status="denied"');
    expect(out).toContain('<property name="not-failing" value="known in the baseline"/>');
  });
});
