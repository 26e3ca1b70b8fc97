/** `kz-residency test` options owned by the engine: --coverage, --capabilities, --v0-compatible. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runPolicyTests } from '../../cli/test-command';

const PACK = resolve(__dirname, '..', '..', 'policies');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kzr-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('kz-residency test', () => {
  it('--capabilities: a builtin outside them fails to compile with OPA message', () => {
    write('p.rego', 'package p\nok if startswith("ab", "a")\n');
    write('p_test.rego', 'package p_test\nimport data.p\ntest_ok if p.ok\n');
    const caps = write('caps.json', JSON.stringify({ builtins: [{ name: 'eq' }, { name: 'equal' }, { name: 'assign' }] }));
    expect(() => runPolicyTests(dir, { verbose: false, packDir: PACK, capabilities: caps })).toThrow('p.rego:2:7: rego_type_error: undefined function startswith');
    const all = write('all.json', JSON.stringify({ builtins: [{ name: 'startswith' }] }));
    expect(runPolicyTests(dir, { verbose: false, packDir: PACK, capabilities: all }).failed).toBe(false);
  });

  it('--capabilities: a file that is not OPA capabilities is a usage error naming it', () => {
    write('p_test.rego', 'package p_test\ntest_ok if true\n');
    const bad = write('caps.json', '{"builtins": 3}');
    expect(() => runPolicyTests(dir, { verbose: false, packDir: PACK, capabilities: bad })).toThrow(`--capabilities: ${bad}: builtins: expected an array of {name, decl}`);
  });

  it('--v0-compatible: v0 modules are refused without it and run with it', () => {
    write('p_test.rego', 'package p_test\ntest_ok { true }\n');
    expect(() => runPolicyTests(dir, { verbose: false, packDir: PACK })).toThrow('rego_parse_error');
    expect(runPolicyTests(dir, { verbose: false, packDir: PACK, v0Compatible: true }).text).toBe('1 passed, 0 failed\n');
  });

  it('--coverage: prints OPA JSON coverage report; a failing test is still the exit status', () => {
    write('p.rego', 'package p\n\nok if {\n\tinput.x == 1\n}\n');
    write('p_test.rego', 'package p_test\nimport data.p\ntest_ok if p.ok with input as {"x": 2}\n');
    const out = runPolicyTests(dir, { verbose: false, packDir: PACK, coverage: true });
    expect(out.failed).toBe(true);
    expect(out.failures).toContain('data.p_test.test_ok: FAIL');
    const report = JSON.parse(out.text) as { files: Record<string, { covered?: unknown; not_covered?: unknown }>; coverage: number };
    const base = dir.split('/').pop() as string;
    expect(report.files[`${base}/p.rego`]).toEqual({ covered: [{ start: { row: 4 }, end: { row: 4 } }], not_covered: [{ start: { row: 3 }, end: { row: 3 } }], covered_lines: 1, not_covered_lines: 1, coverage: 50 });
    expect(report.coverage).toBe(66.67);
  });
});
