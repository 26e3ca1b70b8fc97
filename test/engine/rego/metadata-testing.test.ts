import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InterpreterEngine } from '../../../engine/interpreter';
import { loadRegoDirectory } from '../../../engine/load';
import { compile, formatTestReport, runTests } from '../../../engine/rego/index';

const POLICY = `# METADATA
# title: Stores
# description: Where stores run
package kz.store

import rego.v1

# METADATA
# title: Store abroad
# custom:
#   id: KZ-1
#   severity: high
deny contains msg if {
	some s in input.stores
	s.country != "KZ"
	meta := rego.metadata.rule()
	msg := sprintf("%s: %s", [meta.custom.id, s.name])
}

# METADATA
# description: the chain
chain := rego.metadata.chain()
`;

describe('metadata', () => {
  const pol = compile([{ file: 'policies/kz/store.rego', source: POLICY }]);

  it('exposes every annotation with its scope, path and location', () => {
    expect(pol.annotations.map((a) => [a.scope, a.path, a.title ?? a.description, a.location.row])).toEqual([
      ['package', 'data.kz.store', 'Stores', 1],
      ['rule', 'data.kz.store.deny', 'Store abroad', 8],
      ['rule', 'data.kz.store.chain', 'the chain', 20],
    ]);
    expect(pol.annotations[1].custom).toEqual({ id: 'KZ-1', severity: 'high' });
  });

  it('returns OPA shapes from rego.metadata.rule() and chain()', () => {
    expect(pol.evaluate('kz/store/deny', { input: { stores: [{ name: 'pg', country: 'DE' }] } })).toEqual(['KZ-1: pg']);
    expect(pol.evaluate('kz/store/chain')).toEqual([
      { annotations: { description: 'the chain', scope: 'rule' }, path: ['kz', 'store', 'chain'] },
      { annotations: { description: 'Where stores run', scope: 'package', title: 'Stores' }, path: ['kz', 'store'] },
    ]);
  });
});

describe('test runner', () => {
  const TESTS = `package kz.store_test
import rego.v1
import data.kz.store

test_abroad if {
	store.deny == {"KZ-1: pg"} with input as {"stores": [{"name": "pg", "country": "DE"}]}
}
test_home if {
	count(store.deny) == 0 with input as {"stores": [{"name": "pg", "country": "KZ"}]}
}
test_fails if {
	print("deny:", store.deny)
	count(store.deny) == 5 with input as {"stores": []}
}
test_errors if {
	x := to_number("nope")
	x == 1
}
test_conflict if {
	f(1) == 1
}
f(_) := 1
f(_) := 2
`;

  it('runs every test_* rule and counts pass, fail and error', () => {
    const pol = compile([
      { file: 'policies/kz/store.rego', source: POLICY },
      { file: 'policies/kz/store_test.rego', source: TESTS },
    ]);
    const report = runTests(pol);
    expect(report.results.map((r) => [r.name, r.status])).toEqual([
      ['test_abroad', 'pass'],
      ['test_home', 'pass'],
      ['test_fails', 'fail'],
      ['test_errors', 'fail'],
      ['test_conflict', 'error'],
    ]);
    expect([report.passed, report.failed, report.errored]).toEqual([2, 2, 1]);
    expect(report.results[2]).toMatchObject({ package: 'data.kz.store_test', file: 'policies/kz/store_test.rego', row: 11 });
    const text = formatTestReport(report, { verbose: false });
    expect(text.split('\n').pop()).toBe('2 passed, 2 failed, 1 errored');
    expect(text).toContain('data.kz.store_test.test_fails: FAIL');
    expect(text).toContain('eval_conflict_error');
    expect(report.results[2].output).toEqual(['deny: set()']);
    expect(text).toContain('  deny: set()');
    expect(formatTestReport(runTests(pol, { filter: /abroad/ }), { verbose: true }).split('\n').pop()).toBe('1 passed, 0 failed');
  });
});

describe('loading and the engine', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kz-rego-'));
    mkdirSync(join(dir, 'policies', 'kz'), { recursive: true });
    writeFileSync(join(dir, 'policies', 'kz', 'store.rego'), POLICY);
    writeFileSync(join(dir, 'policies', 'kz', 'store_test.rego'), 'package kz.store_test\nimport rego.v1\ntest_x if true\n');
    writeFileSync(join(dir, 'policies', 'README.md'), 'not rego');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads .rego files recursively, sorted, named from the folder', () => {
    expect(loadRegoDirectory(join(dir, 'policies'), { includeTests: true }).map((s) => s.file)).toEqual([
      'policies/kz/store.rego',
      'policies/kz/store_test.rego',
    ]);
    expect(loadRegoDirectory(join(dir, 'policies'), { includeTests: false }).map((s) => s.file)).toEqual(['policies/kz/store.rego']);
    expect(() => loadRegoDirectory(join(dir, 'nope'), { includeTests: false })).toThrow('no such directory');
  });

  it('evaluates synchronously and asynchronously', async () => {
    const engine = InterpreterEngine.fromSources(loadRegoDirectory(join(dir, 'policies'), { includeTests: false }));
    const input = { stores: [{ name: 'pg', country: 'DE' }] };
    expect(engine.kind).toBe('interpreter');
    expect(engine.evaluateSync('kz/store/deny', input, {})).toEqual(['KZ-1: pg']);
    await expect(engine.evaluate('data.kz.store.deny', input, {})).resolves.toEqual(['KZ-1: pg']);
  });
});
