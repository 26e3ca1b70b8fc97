/** Small pieces of the command: waiver expansion to addresses, colour choice, one-line errors, the rule catalogue. */
import { InputError } from '../../plan/errors';
import { PolicyEngineError } from '../../engine/engine';
import { UsageError } from '../../cli/errors';
import { describeError, formatFromFile, wantsColor } from '../../cli/main';
import { formatRulesTable, rulesFromAnnotations } from '../../cli/rules';
import { expandWaivers } from '../../cli/waivers';

const waiver = { rule: 'KZ-RES-001', reason: 'r', approved_by: 'a', expires: '2026-12-31' };

describe('expandWaivers', () => {
  const paths = {
    'helm_release.primary': 'app/primary/release',
    'helm_release.standby': 'app/standby/release',
    'kubernetes_config_map_v1.cfg': 'app/cfg',
  };
  test('a construct path becomes the matching address; globs use / separators', () => {
    const { waivers, origin } = expandWaivers([{ ...waiver, resource: 'app/*/release' }], paths);
    expect(waivers.map((w) => w.resource)).toEqual([
      'app/*/release',
      'helm_release.primary',
      'helm_release.standby',
    ]);
    expect(origin.get('KZ-RES-001\u0000helm_release.primary')?.resource).toBe('app/*/release');
  });
  test('an address waiver is passed through unchanged', () => {
    const { waivers } = expandWaivers([{ ...waiver, resource: 'helm_release.primary' }], paths);
    expect(waivers.map((w) => w.resource)).toEqual(['helm_release.primary']);
  });
  test('plans (no construct paths) are left alone', () => {
    expect(expandWaivers([{ ...waiver, resource: 'app/**' }], {}).waivers).toHaveLength(1);
  });
});

describe('wantsColor', () => {
  const tty = { isTTY: true } as NodeJS.WriteStream;
  const pipe = { isTTY: false } as NodeJS.WriteStream;
  test('only on a terminal, never with NO_COLOR or TERM=dumb', () => {
    expect(wantsColor(tty, {})).toBe(true);
    expect(wantsColor(pipe, {})).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: '' })).toBe(true);
    expect(wantsColor(tty, { TERM: 'dumb' })).toBe(false);
  });
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
