/**
 * The command on the examples: every format of `check` on examples/violations against golden
 * files (UPDATE_GOLDEN=1 regenerates them; `--now` fixes the date; SARIF also schema-valid), the
 * findings where the example's code is (annotations and SARIF at examples/violations/main.ts
 * lines, criticals first), and `npm run demo`'s final lines. Skips, saying why, while an example
 * is not there.
 *
 * The golden files record what the policies, the example, the plan converter, the engine and the
 * formatters produce together, so a change in any of them shows here as a diff a reviewer reads:
 * regenerate with `UPDATE_GOLDEN=1 npx jest test/cli/examples.test.ts` and review
 * `git diff test/cli/golden`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Log } from 'sarif';
import { expectGolden } from './golden';
import { ROOT, kz, sarifValidator, stable, synthInChild } from './helpers';

const FORMATS = [
  ['text', 'violations.txt'],
  ['json', 'violations.json'],
  ['markdown', 'violations.md'],
  ['github', 'violations.github.txt'],
  ['sarif', 'violations.sarif'],
  ['junit', 'violations.junit.xml'],
] as const;

const SITES = ['--sites', 'examples/violations/sites.yaml'];
const have = (name: string) => existsSync(path.join(ROOT, 'examples', name, 'cdktf.json'));
const allExamples = ['law-firm', 'fintech-biometric', 'violations'].every(have);
if (!have('violations'))
  console.warn('test/cli/examples.test.ts: examples/violations is not there yet; skipping its golden tests');

(have('violations') ? describe : describe.skip)('check on examples/violations', () => {
  let tmp = '';
  let out = '';
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'kz-violations-'));
    out = synthInChild('violations', path.join(tmp, 'cdktf.out'));
  }, 180_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test.each(FORMATS)('--format %s matches test/cli/golden/%s and exits 1', (format, golden) => {
    const r = kz(['check', out, ...SITES, '--format', format, '--now', '2026-11-23']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const text = stable(r.stdout, { [out]: 'cdktf.out' });
    expectGolden(golden, text);
    if (format === 'json') expect(JSON.parse(r.stdout)).toHaveProperty('summary.result', 'fail');
    if (format === 'junit') expect(r.stdout).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/);
    if (format === 'github') expect(r.stdout).toMatch(/^::error file=examples\/violations\/main\.ts,line=\d+,col=\d+,title=KZ-[A-Z]+-\d+ \[critical\]/);
    if (format === 'sarif') {
      const validate = sarifValidator();
      expect(validate(JSON.parse(r.stdout))).toBe(true);
    }
  });

  test('annotations and SARIF results point at the lines of examples/violations/main.ts that made the resources', () => {
    const main = readFileSync(path.join(ROOT, 'examples/violations/main.ts'), 'utf8').split('\n');
    const gh = kz(['check', out, ...SITES, '--format', 'github', '--now', '2026-11-23']).stdout.trimEnd().split('\n');
    const annotations = gh.filter((l) => l.startsWith('::'));
    expect(annotations.length).toBeGreaterThan(10);
    for (const a of annotations) {
      const m = /^::(?:error|warning|notice) file=examples\/violations\/main\.ts,line=(\d+),/.exec(a);
      expect(m).not.toBeNull();
      // the line constructs a resource: `new Release(stack, 'primary-in-frankfurt', …)`
      expect(main[Number(m?.[1]) - 1]).toMatch(/new [A-Z][A-Za-z0-9]*\(stack, '/);
    }
    expect(annotations[0]).toMatch(/title=KZ-[A-Z]+-\d+ \[critical\]/);
    // what GitHub does not show as annotations is said in the last line
    expect(gh[gh.length - 1]).toMatch(/^kz-residency: FAIL: \d+ denied \(\d+ critical.*: \d+ more errors only in the job summary and code scanning$/);

    const sarif = JSON.parse(kz(['check', out, ...SITES, '--format', 'sarif', '--now', '2026-11-23']).stdout) as Log;
    const run = sarif.runs[0];
    expect(run.tool.driver.informationUri).toMatch(/^https:\/\//);
    for (const rule of run.tool.driver.rules ?? []) expect(rule.helpUri).toMatch(/\/rules\.md#kz-[a-z]+-\d{3}$/);
    for (const r of run.results ?? []) {
      expect(r.locations?.[0].physicalLocation?.artifactLocation).toEqual({ uri: 'examples/violations/main.ts', uriBaseId: '%SRCROOT%' });
      expect(r.locations?.[0].physicalLocation?.region?.startLine).toBeGreaterThan(0);
    }
  });

  test('the violations the example is built to show are all denied', () => {
    const r = kz(['check', out, ...SITES, '--format', 'json', '--now', '2026-11-23']);
    const rules = new Set(
      (JSON.parse(r.stdout) as { deny: Array<{ rule: string }> }).deny.map((f) => f.rule),
    );
    // primary in Frankfurt, biometric replica abroad, foreign load balancer in front of the capture host,
    // plaintext tunnel key, backups only abroad
    for (const id of ['KZ-RES-001', 'KZ-XBT-003', 'KZ-FT-001', 'KZ-SEC-001', 'KZ-BAK-001'])
      expect(rules).toContain(id);
  });
});

(allExamples ? describe : describe.skip)('npm run demo', () => {
  test('ends with one line per example and exits 0 (compliant pass, violations denied)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'cli', 'demo.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const last = r.stdout.trimEnd().split('\n').slice(-3);
    expect(last[0]).toBe('law-firm: pass');
    expect(last[1]).toBe('fintech-biometric: pass');
    expect(last[2]).toMatch(/^violations: \d+ denied$/);
    expect(r.status).toBe(0);
  }, 300_000);
});
