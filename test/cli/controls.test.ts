/**
 * The CI controls, each as a user runs it (the real bin in a child process), with its exit
 * status: --fail-on, --soft-fail, --baseline, the settings file, `-` for standard input, several
 * inputs, --format FMT=FILE, --policy, --rule/--skip-rule, unused and unknown waivers,
 * --fail-on-unused-waivers, the reviewed registry (--trust-synth-registry and KZ-REG-001),
 * --source, GITHUB_STEP_SUMMARY, FORCE_COLOR and `init`. For every option that makes the input
 * unusable: exit 2, one line on stderr, nothing on stdout.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { synthToPlan } from '../../plan/synth';
import { WORKFLOW_YAML } from '../../cli/templates';
import { ROOT, fx, kz } from './helpers';

const FRA = fx('frankfurt-primary.cdk.tf.json');
const SITES = fx('sites.yaml');
const NOW = ['--now', '2026-11-23'];
const TEAM = fx('team-policies');

interface Doc {
  deny: Array<{ rule: string; resource: string; severity: string; baseline?: string; location?: { file: string; line?: number; kind: string } }>;
  warn: Array<{ rule: string; resource: string }>;
  waived: Array<{ rule: string; resource: string; waiver: { source: string } }>;
  unused_waivers: Array<{ rule: string; resource: string }>;
  summary: { result: string; inputs: Array<{ name: string }>; gate: { failing: number; known: number; fixed: number } };
}
const json = (stdout: string) => JSON.parse(stdout) as Doc;

/** Exit 2 with exactly one line on stderr, naming `mention`, and nothing on stdout. */
function expectUnusable(args: string[], mention: RegExp, opts: { cwd?: string; input?: string } = {}) {
  const r = kz(args, {}, opts);
  expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 2, stdout: '' });
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^kz-residency: /);
  expect(lines[0]).toMatch(mention);
}

let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kz-controls-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('--fail-on and --soft-fail', () => {
  test('--fail-on critical fails on the critical denial; --fail-on high lets medium denials through', () => {
    expect(kz(['check', FRA, '--sites', SITES, ...NOW, '--fail-on', 'critical']).status).toBe(1);
    const r = kz(['check', FRA, '--sites', SITES, ...NOW, '--rule', 'KZ-GOV-*', '--fail-on', 'high', '--format', 'json']);
    expect(r.status).toBe(0);
    const doc = json(r.stdout);
    expect(doc.deny.map((f) => f.severity)).toEqual(['medium', 'medium']); // still reported
    expect(doc.summary).toMatchObject({ result: 'pass', gate: { failing: 0 } });
  });

  test('--fail-on warn fails on a warning', () => {
    // profile law: KZ-AUD-003 (practice) only warns
    const args = ['check', FRA, '--sites', SITES, ...NOW, '--profile', 'law', '--rule', 'KZ-AUD-003'];
    expect(kz(args).status).toBe(0);
    expect(kz([...args, '--fail-on', 'warn']).status).toBe(1);
  });

  test('--soft-fail reports the failure and exits 0; unusable input is still 2', () => {
    const r = kz(['check', FRA, '--sites', SITES, ...NOW, '--soft-fail']);
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n').pop()).toMatch(/^FAIL .* soft-fail: exit 0$/);
    expectUnusable(['check', FRA, '--soft-fail'], /no sites registry/);
  });

  test('--fail-on with a level that is not one is exit 2', () =>
    expectUnusable(['check', FRA, '--sites', SITES, '--fail-on', 'severe'], /--fail-on.*severe.*critical, high, medium, low, warn/));
});

describe('--baseline', () => {
  test('only findings the baseline report does not have fail the run; the rest are known', () => {
    const base = path.join(tmp, 'baseline.json');
    // the baseline: the branch as it was, without the Frankfurt primary's KZ-RES-001
    const before = kz(['check', FRA, '--sites', SITES, ...NOW, '--skip-rule', 'KZ-RES-001', '--format', `json=${base}`]);
    expect(before.status).toBe(1);
    const same = kz(['check', FRA, '--sites', SITES, ...NOW, '--skip-rule', 'KZ-RES-001', '--baseline', base, '--format', 'json']);
    expect(same.status).toBe(0);
    expect(json(same.stdout).deny.every((f) => f.baseline === 'known')).toBe(true);
    const after = kz(['check', FRA, '--sites', SITES, ...NOW, '--baseline', base, '--format', 'json']);
    expect(after.status).toBe(1);
    const doc = json(after.stdout);
    expect(doc.deny.filter((f) => f.baseline === 'new').map((f) => f.rule)).toEqual(['KZ-RES-001']);
    expect(doc.summary.gate).toMatchObject({ failing: 1, known: doc.deny.length - 1, fixed: 0 });
  });

  test('a baseline that is not a JSON report is exit 2 naming the file', () =>
    expectUnusable(['check', FRA, '--sites', SITES, '--baseline', SITES], /sites\.yaml/));
});

describe('the settings file (.kz-residency.yaml)', () => {
  test('found upward from the working directory; flags override it; paths are relative to it', () => {
    const dir = path.join(tmp, 'cfg');
    mkdirSync(path.join(dir, 'sub', 'deeper'), { recursive: true });
    copyFileSync(path.join(ROOT, FRA), path.join(dir, 'app.cdk.tf.json'));
    copyFileSync(path.join(ROOT, SITES), path.join(dir, 'sites.yaml'));
    writeFileSync(
      path.join(dir, '.kz-residency.yaml'),
      stringify({ inputs: 'app.cdk.tf.json', sites: 'sites.yaml', format: 'json', 'fail-on': 'critical', profile: 'law' }),
    );
    const r = kz(['check', ...NOW], {}, { cwd: path.join(dir, 'sub', 'deeper') });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as Doc & { summary: { profile: string } };
    expect(doc.summary.profile).toBe('law');
    const over = kz(['check', ...NOW, '--profile', 'audit-ready', '--rule', 'KZ-GOV-002'], {}, { cwd: dir });
    expect(over.status).toBe(0); // medium denial below fail-on critical
    expect((JSON.parse(over.stdout) as { summary: { profile: string } }).summary.profile).toBe('audit-ready');
    expect(kz(['check', ...NOW, '--no-config', 'app.cdk.tf.json'], {}, { cwd: dir }).status).toBe(2); // no registry without it
  });

  test('a key it does not know is exit 2 naming the file and field', () => {
    const dir = path.join(tmp, 'badcfg');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, '.kz-residency.yaml'), 'sites: sites.yaml\nfailOn: high\n');
    expectUnusable(['check', path.join(ROOT, FRA)], /\.kz-residency\.yaml: failOn: is not a known field/, { cwd: dir });
  });

  test('--config names the file', () =>
    expectUnusable(['check', FRA, '--config', fx('nope.yaml')], /--config: .*nope\.yaml: no such file/));
});

describe('inputs', () => {
  test('- reads a plan or cdk.tf.json from standard input', () => {
    const r = kz(['check', '-', '--sites', SITES, ...NOW, '--format', 'json'], {}, { input: readFileSync(path.join(ROOT, FRA), 'utf8') });
    expect(r.status).toBe(1);
    const doc = json(r.stdout);
    expect(doc.summary.inputs.map((i) => i.name)).toEqual(['stdin']);
    expect(doc.deny.map((f) => f.rule)).toContain('KZ-RES-001');
  });

  test('empty standard input is exit 2', () => expectUnusable(['check', '-', '--sites', SITES], /^kz-residency: -: standard input is empty/, { input: '' }));

  test('several inputs in one run, judged together, each resource named by its input', () => {
    const plan = path.join(tmp, 'frankfurt.plan.json');
    const { plan: doc } = synthToPlan(JSON.parse(readFileSync(path.join(ROOT, FRA), 'utf8')), { file: FRA });
    writeFileSync(plan, JSON.stringify(doc));
    const r = kz(['check', FRA, plan, '--sites', SITES, ...NOW, '--format', 'json']);
    expect(r.status).toBe(1);
    const out = json(r.stdout);
    expect(out.summary.inputs.map((i) => i.name)).toEqual(['frankfurt', 'frankfurt.plan.json']);
    const res001 = out.deny.filter((f) => f.rule === 'KZ-RES-001').map((f) => f.resource);
    expect(res001).toEqual(['frankfurt.plan.json:kubernetes_stateful_set_v1.customers_db', 'frankfurt/customers/db']);
    // deployment-level decisions once, for both stores
    expect(out.deny.filter((f) => f.rule === 'KZ-GOV-002')).toHaveLength(1);
  });
});

describe('--format FMT[=FILE], GITHUB_STEP_SUMMARY and FORCE_COLOR', () => {
  test('one run writes several reports; one goes to standard output', () => {
    const sarif = path.join(tmp, 'r.sarif');
    const md = path.join(tmp, 'r.md');
    const summary = path.join(tmp, 'step-summary.md');
    writeFileSync(summary, '');
    const r = kz(['check', FRA, '--sites', SITES, ...NOW, '--format', 'github', '--format', `sarif=${sarif}`, '--format', `markdown=${md}`], {
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^::error /);
    expect(r.stderr).toMatch(/^kz-residency: FAIL: .*sarif written to .*r\.sarif, markdown written to .*r\.md\n$/);
    expect(JSON.parse(readFileSync(sarif, 'utf8'))).toHaveProperty('version', '2.1.0');
    expect(readFileSync(md, 'utf8')).toMatch(/^## ❌ kz-residency: 8 denied/);
    expect(readFileSync(summary, 'utf8')).toMatch(/^## ❌ kz-residency: 8 denied/);
  });

  test('two reports on standard output is exit 2', () =>
    expectUnusable(['check', FRA, '--sites', SITES, '--format', 'github', '--format', 'text'], /github and text would both go to standard output/));

  test('FORCE_COLOR colours the text report in a pipe (CI logs); without it, no escapes', () => {
    const coloured = kz(['check', FRA, '--sites', SITES, ...NOW], { FORCE_COLOR: '1' });
    expect(coloured.stdout).toMatch(/\x1b\[31m/);
    expect(kz(['check', FRA, '--sites', SITES, ...NOW]).stdout).not.toMatch(/\x1b\[/);
  });
});

describe('rules: --rule, --skip-rule and the team’s own policies (--policy)', () => {
  test('--rule and --skip-rule take ids and globs; one that names no rule is exit 2', () => {
    const only = json(kz(['check', FRA, '--sites', SITES, ...NOW, '--rule', 'KZ-AUD-*', '--format', 'json']).stdout);
    expect([...new Set(only.deny.map((f) => f.rule))].sort()).toEqual(['KZ-AUD-001', 'KZ-AUD-002', 'KZ-AUD-003']);
    const skip = json(kz(['check', FRA, '--sites', SITES, ...NOW, '--skip-rule', 'KZ-RES-001', '--format', 'json']).stdout);
    expect(skip.deny.map((f) => f.rule)).not.toContain('KZ-RES-001');
    expectUnusable(['check', FRA, '--sites', SITES, '--rule', 'KZ-NOPE-*'], /--rule KZ-NOPE-\*: no rule has that id/);
  });

  test('--policy evaluates the team’s Rego beside the pack: METADATA findings and conftest-style strings', () => {
    const r = kz(['check', FRA, '--sites', SITES, ...NOW, '--policy', TEAM, '--rule', 'ACME-*', '--rule', 'acme.*', '--format', 'json']);
    expect(r.status).toBe(1);
    const doc = json(r.stdout);
    expect(doc.deny.map((f) => [f.rule, f.resource, f.severity])).toEqual([['ACME-001', 'frankfurt/customers/db', 'low']]);
    expect(doc.warn.map((f) => f.rule)).toEqual(['acme.naming']);
    // a team rule can be waived like the pack's, and thresholds apply to it
    expect(kz(['check', FRA, '--sites', SITES, ...NOW, '--policy', TEAM, '--rule', 'ACME-001', '--fail-on', 'medium']).status).toBe(0);
    expect(kz(['rules', '--policy', TEAM]).stdout).toMatch(/^ACME-001 +Stores carry an owner label +low +practice/m);
  });

  test('--capabilities: the policies may call only the builtins it lists (exit 2 otherwise, naming the call)', () => {
    const none = path.join(tmp, 'caps-none.json');
    writeFileSync(none, JSON.stringify({ builtins: [] }));
    expectUnusable(['check', FRA, '--sites', SITES, '--capabilities', none], /policy error: .*rego_type_error: undefined function /);
    const bad = path.join(tmp, 'caps-bad.json');
    writeFileSync(bad, JSON.stringify({ builtins: 'all' }));
    expectUnusable(['check', FRA, '--sites', SITES, '--capabilities', bad], /--capabilities: .*caps-bad\.json: builtins: /);
  });

  test('--policy with a folder that holds no Rego is exit 2', () =>
    expectUnusable(['check', FRA, '--sites', SITES, '--policy', fx('bad')], /--policy .*bad: no \.rego policies found/));
});

describe('waivers that leave a trail', () => {
  test('a waiver naming an unknown rule is exit 2, naming the file and field', () =>
    expectUnusable(
      ['check', FRA, '--sites', SITES, '--waivers', fx('bad/waivers-unknown-rule.yaml')],
      /waivers-unknown-rule\.yaml: waivers\[1\]\.rule: unknown rule "KZ-RES-01" \(did you mean KZ-RES-001\?\)/,
    ));

  test('a waiver that matches nothing is reported, and fails the run with --fail-on-unused-waivers', () => {
    const args = ['check', FRA, '--sites', SITES, ...NOW, '--waivers', fx('waivers-unused.yaml'), '--rule', 'KZ-RES-001', '--rule', 'KZ-FT-001'];
    const r = kz([...args, '--format', 'json']);
    expect(r.status).toBe(0);
    const doc = json(r.stdout);
    expect(doc.waived.map((w) => [w.rule, w.resource, w.waiver.source])).toEqual([['KZ-RES-001', 'frankfurt/customers/db', 'file']]);
    expect(doc.unused_waivers.map((w) => [w.rule, w.resource])).toEqual([['KZ-FT-001', 'frankfurt/edge/*']]);
    expect(kz([...args, '--fail-on-unused-waivers']).status).toBe(1);
    expect(kz([...args]).stdout).toMatch(/Unused waivers \(they match no finding\):\n {2}KZ-FT-001 frankfurt\/edge\/\*/);
  });
});

describe('the registry is reviewed input', () => {
  /** A cdktf.out whose app wrote a forged sites.json: the Frankfurt cluster registered as kz-ala-1. */
  function forgedOut(): string {
    const out = path.join(tmp, 'forged', 'cdktf.out');
    mkdirSync(path.join(out, 'stacks', 'frankfurt'), { recursive: true });
    copyFileSync(path.join(ROOT, FRA), path.join(out, 'stacks', 'frankfurt', 'cdk.tf.json'));
    writeFileSync(
      path.join(out, 'manifest.json'),
      JSON.stringify({ version: '0.21.0', stacks: { frankfurt: { name: 'frankfurt', synthesizedStackPath: 'stacks/frankfurt/cdk.tf.json' } } }),
    );
    const forged = {
      sites: [
        {
          id: 'kz-ala-1',
          jurisdiction: 'KZ',
          city: 'Almaty',
          kubernetes: { endpoints: ['https://k8s.fra.example.com'], region: 'kz-almaty', zones: ['kz-almaty-a'] },
          storageClasses: [{ name: 'fra-standard', encrypted: true }],
        },
      ],
    };
    writeFileSync(path.join(out, 'sites.json'), JSON.stringify(forged));
    return out;
  }

  test('without --sites, the sites.json the app wrote is refused (exit 2) unless --trust-synth-registry', () => {
    const out = forgedOut();
    expectUnusable(['check', out], /no reviewed sites registry: pass --sites FILE .*used only with --trust-synth-registry/);
    const trusted = json(kz(['check', out, '--trust-synth-registry', ...NOW, '--format', 'json']).stdout);
    expect(trusted.deny.map((f) => f.rule)).not.toContain('KZ-RES-001'); // what trusting a forged file gives
  });

  test('with --sites, the reviewed registry proves location and every difference is a KZ-REG-001 finding', () => {
    const r = kz(['check', forgedOut(), '--sites', SITES, ...NOW, '--format', 'json']);
    expect(r.status).toBe(1);
    const doc = json(r.stdout);
    expect(doc.deny.map((f) => f.rule)).toContain('KZ-RES-001');
    const reg = doc.deny.find((f) => f.rule === 'KZ-REG-001');
    expect(reg).toMatchObject({ severity: 'critical', location: { file: SITES, line: 3, kind: 'registry' } });
    expect(JSON.stringify(reg)).toMatch(/kubernetes\.endpoints: https:\/\/k8s\.fra\.example\.com\/? in the app, https:\/\/k8s\.ala\.example\.kz\/? reviewed/);
  });
});

describe('--source: findings on plans point at the .tf blocks', () => {
  test('a planned resource at its resource block in the .tf files', () => {
    const dir = path.join(tmp, 'tfproject');
    mkdirSync(path.join(dir, 'infra'), { recursive: true });
    const { plan } = synthToPlan(JSON.parse(readFileSync(path.join(ROOT, FRA), 'utf8')), { file: FRA });
    writeFileSync(path.join(dir, 'plan.json'), JSON.stringify(plan));
    writeFileSync(
      path.join(dir, 'infra', 'main.tf'),
      ['# customers', 'provider "kubernetes" {', '  alias = "fra"', '}', '', '/* resource "x" "y" { */', 'resource "kubernetes_stateful_set_v1" "customers_db" {', '  provider = kubernetes.fra', '}', ''].join('\n'),
    );
    const r = kz(['check', 'plan.json', '--sites', path.join(ROOT, SITES), ...NOW, '--source', 'infra', '--format', 'json'], {}, { cwd: dir });
    expect(r.status).toBe(1);
    const res001 = json(r.stdout).deny.find((f) => f.rule === 'KZ-RES-001');
    expect(res001?.location).toEqual({ file: 'infra/main.tf', line: 7, kind: 'terraform' });
    const gh = kz(['check', 'plan.json', '--sites', path.join(ROOT, SITES), ...NOW, '--source', 'infra', '--format', 'github'], {}, { cwd: dir });
    expect(gh.stdout).toMatch(/^::error file=infra\/main\.tf,line=7,title=KZ-RES-001 /);
  });
});

describe('kz-residency init', () => {
  test('writes a starter registry, waivers, settings and workflow; refuses to overwrite without --force', () => {
    const dir = path.join(tmp, 'init');
    const r = kz(['init', dir]);
    expect(r.status).toBe(0);
    for (const f of ['sites.yaml', 'waivers.yaml', '.kz-residency.yaml', '.github/workflows/kz-residency.yml']) expect(existsSync(path.join(dir, f))).toBe(true);
    expect(readFileSync(path.join(dir, '.github/workflows/kz-residency.yml'), 'utf8')).toBe(WORKFLOW_YAML);
    // the written settings and registry are valid: the only thing missing is an app to check
    expectUnusable(['check'], /cdktf\.out: no such file or directory/, { cwd: dir });
    writeFileSync(path.join(dir, 'sites.yaml'), 'edited\n');
    expectUnusable(['init', dir], /sites\.yaml, .*waivers\.yaml, .*\.kz-residency\.yaml, .*kz-residency\.yml already exist: nothing written \(--force overwrites\)/);
    expect(readFileSync(path.join(dir, 'sites.yaml'), 'utf8')).toBe('edited\n');
    expect(kz(['init', dir, '--force']).status).toBe(0);
    expect(readFileSync(path.join(dir, 'sites.yaml'), 'utf8')).toMatch(/^# The sites registry/);
  });
});
