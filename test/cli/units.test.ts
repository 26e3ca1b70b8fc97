/**
 * Small pieces of the command: waiver matching and expansion, triage order and the folding of
 * deployment-level repeats, fingerprints, the gate (--fail-on, --baseline), --format specs,
 * colour choice, one-line errors, the rule catalogue.
 */
import { fingerprintOf, normaliseMessage } from '../../cli/baseline';
import { UsageError } from '../../cli/errors';
import { applyGate } from '../../cli/gate';
import { describeError, formatFromFile, outputSpecs, wantsColor } from '../../cli/main';
import type { Finding, RuleMeta } from '../../cli/report';
import { formatRulesTable, ruleHelpUri, rulesFromAnnotations } from '../../cli/rules';
import { triage } from '../../cli/triage';
import { expandWaivers, waiverMatcher, type WaivableResource, type WaiverOrigin } from '../../cli/waivers';
import { PolicyEngineError } from '../../engine/engine';
import { InputError } from '../../plan/errors';

const waiver = { rule: 'KZ-RES-001', reason: 'r', approved_by: 'a', expires: '2026-12-31' };
const fileWaiver = (resource: string): WaiverOrigin => ({ waiver: { ...waiver, resource }, source: 'file', file: 'w.yaml', field: 'waivers[0]' });

describe('waivers: what a waiver names, and its copies on the evaluated addresses', () => {
  const resources: WaivableResource[] = [
    { input: 0, address: 'helm_release.primary', evaluated: 'helm_release.kz0__primary', constructPath: 'app/primary/release', display: 'app/primary/release' },
    { input: 0, address: 'helm_release.standby', evaluated: 'helm_release.kz0__standby', constructPath: 'app/standby/release', display: 'app/standby/release' },
    { input: 1, address: 'module.db.helm_release.pg', evaluated: 'module.kz1__db.helm_release.pg', display: 'hq.json:module.db.helm_release.pg' },
  ];
  test('an address, a glob over addresses (. separated), a construct path, a glob over paths (/ separated), <input>:<address>', () => {
    const names = (pattern: string) => resources.filter(waiverMatcher(pattern)).map((r) => r.address);
    expect(names('helm_release.primary')).toEqual(['helm_release.primary']);
    expect(names('helm_release.*')).toEqual(['helm_release.primary', 'helm_release.standby']);
    expect(names('module.db.*')).toEqual([]); // * does not cross a dot, as in the policies' glob.match
    expect(names('module.db.**')).toEqual(['module.db.helm_release.pg']);
    expect(names('app/*/release')).toEqual(['helm_release.primary', 'helm_release.standby']);
    expect(names('app/primary/release')).toEqual(['helm_release.primary']);
    expect(names('hq.json:module.db.helm_release.pg')).toEqual(['module.db.helm_release.pg']);
    expect(names('[unclosed')).toEqual([]);
  });
  test('each waiver becomes one copy per resource it covers, mapped back to the waiver as written', () => {
    const w = fileWaiver('app/*/release');
    const { copies, origin } = expandWaivers([w], resources);
    expect(copies.map((c) => c.resource)).toEqual(['helm_release.kz0__primary', 'helm_release.kz0__standby']);
    expect([...origin.values()]).toEqual([w, w]);
  });
  test('a code waiver covers exactly its resource', () => {
    const code: WaiverOrigin = { waiver: { ...waiver, resource: 'helm_release.standby' }, source: 'code', file: 'x', field: 'f', construct: 'app/standby', input: 0 };
    expect(expandWaivers([code], resources).copies.map((c) => c.resource)).toEqual(['helm_release.kz0__standby']);
  });
});

const finding = (rule: string, severity: Finding['severity'], resource: string, message: string, line?: number): Finding => ({
  rule,
  title: rule,
  severity,
  basis: 'law',
  law: '',
  resource,
  site: null,
  message,
  remediation: '',
  ...(line ? { location: { file: 'main.ts', line, kind: 'source' as const } } : {}),
  fingerprint: fingerprintOf(rule, resource, message),
});
const meta = (id: string, decision?: 'deployment'): RuleMeta => ({
  id,
  title: id,
  description: '',
  severity: 'medium',
  basis: 'law',
  law: '',
  remediation: '',
  profiles: [],
  tags: [],
  ...(decision ? { decision } : {}),
  path: '',
  file: '',
  row: 0,
});

describe('triage', () => {
  test('severity first, then rule, then location; a deployment-level rule is reported once per message', () => {
    const rules = new Map([['KZ-GOV-002', meta('KZ-GOV-002', 'deployment')], ['KZ-AUD-001', meta('KZ-AUD-001')]]);
    const out = triage(
      [
        finding('KZ-GOV-002', 'medium', 'b/store', 'no DPO', 20),
        finding('KZ-AUD-001', 'high', 'b/store', 'no audit', 20),
        finding('KZ-GOV-002', 'medium', 'a/store', 'no DPO', 10),
        finding('KZ-AUD-001', 'high', 'a/store', 'no audit', 10),
        finding('KZ-RES-001', 'critical', 'c/store', 'abroad', 30),
      ],
      (id) => rules.get(id),
    );
    expect(out.map((f) => `${f.rule} ${f.resource}`)).toEqual([
      'KZ-RES-001 c/store',
      'KZ-AUD-001 a/store',
      'KZ-AUD-001 b/store', // same message, but one decision per store
      'KZ-GOV-002 a/store',
    ]);
    expect(out[3].alsoOn).toEqual(['b/store']);
  });
});

describe('fingerprints', () => {
  test('rule + resource + message with numbers and spacing normalised; never a line number', () => {
    expect(normaliseMessage('Audit  logs are kept 30 days, less than 1095')).toBe('audit logs are kept # days, less than #');
    expect(fingerprintOf('KZ-UR-002', 'a/b', 'kept 30 days')).toBe(fingerprintOf('KZ-UR-002', 'a/b', 'kept  60 days'));
    expect(fingerprintOf('KZ-UR-002', 'a/b', 'kept 30 days')).not.toBe(fingerprintOf('KZ-UR-002', 'a/c', 'kept 30 days'));
  });
});

describe('the gate', () => {
  const deny = [finding('KZ-RES-001', 'critical', 'a', 'x'), finding('KZ-GOV-001', 'medium', 'b', 'y')];
  const warn = [finding('KZ-AUD-002', 'high', 'c', 'z')];
  test('--fail-on: a severity threshold, or warn', () => {
    expect(applyGate(deny, warn, 0, {}).gate.failing).toBe(2);
    expect(applyGate(deny, warn, 0, { failOn: 'critical' }).gate.failing).toBe(1);
    expect(applyGate([deny[1]], warn, 0, { failOn: 'high' }).result).toBe('pass');
    expect(applyGate([], warn, 0, { failOn: 'warn' }).result).toBe('fail');
    expect(applyGate([], warn, 0, {}).result).toBe('pass');
  });
  test('--baseline: known denials do not fail; fixed ones are counted', () => {
    const baseline = { file: 'b.json', fingerprints: new Set([deny[0].fingerprint, 'gone']), denied: new Set([deny[0].fingerprint, 'gone']) };
    const g = applyGate(deny, warn, 0, { baseline });
    expect(g.deny.map((f) => f.baseline)).toEqual(['known', 'new']);
    expect(g.gate).toMatchObject({ failing: 1, known: 1, fixed: 1 });
  });
  test('--fail-on-unused-waivers', () => {
    expect(applyGate([], [], 1, {}).result).toBe('pass');
    expect(applyGate([], [], 1, { failOnUnusedWaivers: true }).result).toBe('fail');
  });
});

describe('--format FMT[=FILE] and --output', () => {
  test('several formats, at most one on standard output', () => {
    expect(outputSpecs(['github', 'sarif=r.sarif'], undefined)).toEqual([{ format: 'github' }, { format: 'sarif', file: 'r.sarif' }]);
    expect(outputSpecs([], 'x.sarif')).toEqual([{ format: 'sarif', file: 'x.sarif' }]);
    expect(outputSpecs([], undefined)).toEqual([{ format: 'text' }]);
    expect(() => outputSpecs(['github', 'text'], undefined)).toThrow(/both go to standard output/);
    expect(() => outputSpecs(['xml'], undefined)).toThrow(UsageError);
    expect(() => outputSpecs(['json=a.json', 'sarif=a.json'], undefined)).toThrow(/two reports would be written/);
  });
});

describe('wantsColor', () => {
  const tty = { isTTY: true } as NodeJS.WriteStream;
  const pipe = { isTTY: false } as NodeJS.WriteStream;
  test('on a terminal, never with NO_COLOR or TERM=dumb; FORCE_COLOR turns them on in CI logs', () => {
    expect(wantsColor(tty, {})).toBe(true);
    expect(wantsColor(pipe, {})).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: '' })).toBe(true);
    expect(wantsColor(tty, { TERM: 'dumb' })).toBe(false);
    expect(wantsColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColor(pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(wantsColor(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(wantsColor(tty, { FORCE_COLOR: 'false' })).toBe(false);
  });
});

test('a rule links its entry in the catalogue, unless its METADATA names a page', () => {
  expect(ruleHelpUri({ id: 'KZ-RES-001' }, 'https://x.example/docs/')).toBe('https://x.example/docs/rules.md#kz-res-001');
  expect(ruleHelpUri({ id: 'KZ-RES-001', helpUri: 'https://y.example/r1' }, 'https://x.example/docs')).toBe('https://y.example/r1');
});

describe('describeError', () => {
  test('one line naming file and field, with a count of further problems', () => {
    const e = InputError.many('sites.yaml', [
      { field: 'sites[0].id', problem: 'must match ^[a-z0-9-]+$' },
      { field: 'sites[0].jurisdiction', problem: 'must be 2 letters' },
    ]);
    expect(describeError(e)).toBe('sites.yaml: sites[0].id: must match ^[a-z0-9-]+$ (and 1 more problem)');
  });
  test('usage, policy and unexpected errors', () => {
    expect(describeError(new UsageError('--now: bad\nline'))).toBe('--now: bad line');
    expect(describeError(new PolicyEngineError('p.rego:1:1: rego_parse_error: x', 'rego_parse_error'))).toBe(
      'policy error: p.rego:1:1: rego_parse_error: x',
    );
    expect(describeError(new TypeError('boom'))).toBe('internal error: boom');
  });
});

test('formatFromFile picks the format from the --output extension', () => {
  expect(formatFromFile('results.sarif')).toBe('sarif');
  expect(formatFromFile('comment.MD')).toBe('markdown');
  expect(formatFromFile('junit.xml')).toBe('junit');
  expect(formatFromFile('report.txt')).toBeUndefined();
  expect(formatFromFile(undefined)).toBeUndefined();
});

describe('rulesFromAnnotations', () => {
  const loc = { file: 'policies/x.rego', row: 3, col: 1 };
  test('reads custom.id and friends, one rule per id, sorted; ignores annotations without an id', () => {
    const rules = rulesFromAnnotations([
      { scope: 'package', title: 'pkg', path: 'data.x', location: loc },
      {
        scope: 'rule',
        title: 'B rule',
        path: 'data.x.deny',
        location: loc,
        custom: {
          id: 'KZ-B-001',
          severity: 'high',
          basis: 'law',
          law: 'Art. 1',
          remediation: 'fix it',
          profiles: ['law', 'nope'],
        },
      },
      {
        scope: 'rule',
        title: 'A rule',
        path: 'data.x.deny',
        location: loc,
        custom: { id: 'KZ-A-001', severity: 'weird' },
      },
    ]);
    expect(rules.map((r) => r.id)).toEqual(['KZ-A-001', 'KZ-B-001']);
    expect(rules[1]).toMatchObject({
      severity: 'high',
      basis: 'law',
      law: 'Art. 1',
      remediation: 'fix it',
      profiles: ['law'],
    });
    expect(rules[0]).toMatchObject({ severity: 'medium', basis: 'practice', profiles: [] });
    expect(formatRulesTable(rules)).toMatch(/^KZ-B-001 +B rule +high +law +law$/m);
  });
});
