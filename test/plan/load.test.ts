/** loadPlanFile / loadCheckInputs on bad input: each is an InputError naming the file and field. */
import * as path from 'node:path';
import { loadPlanFile, isPlanDocument } from '../../plan/load';
import { loadCheckInputs } from '../../plan/input';
import { findJsonError } from '../../plan/json';
import { cleanupTempDirs, inputErrorOf, tempDir } from './helpers';

afterAll(cleanupTempDirs);

const minimal = {
  format_version: '1.2',
  resource_changes: [{ address: 'kubernetes_namespace.a', mode: 'managed', type: 'kubernetes_namespace', name: 'a', change: { actions: ['create'], before: null, after: {} } }],
  configuration: { root_module: {} },
};

describe('loadPlanFile', () => {
  test('a minimal plan loads; isPlanDocument agrees', () => {
    const dir = tempDir({ 'p.json': JSON.stringify(minimal) });
    expect(loadPlanFile(path.join(dir, 'p.json')).resource_changes).toHaveLength(1);
    expect(isPlanDocument(minimal)).toBe(true);
    expect(isPlanDocument({ plan: minimal })).toBe(false);
    expect(isPlanDocument({ format_version: '2.0', resource_changes: [] })).toBe(false);
    expect(isPlanDocument([])).toBe(false);
  });

  test('a missing file', () => {
    const e = inputErrorOf(() => loadPlanFile('/nonexistent/plan.json'));
    expect(e.file).toBe('/nonexistent/plan.json');
    expect(e.message).toBe('/nonexistent/plan.json: no such file');
  });

  test('not JSON: says line and column', () => {
    const dir = tempDir({ 'bad.json': '{\n  "format_version": "1.2",\n  "resource_changes": [,]\n}\n' });
    const f = path.join(dir, 'bad.json');
    const e = inputErrorOf(() => loadPlanFile(f));
    expect(e.field).toBe('line 3, column 24');
    expect(e.message).toBe(`${f}: line 3, column 24: not valid JSON: unexpected ","`);
  });

  test('JSON syntax errors are located exactly', () => {
    expect(findJsonError('{"a": 1,}')).toEqual({ offset: 8, problem: 'expected a property name in double quotes, found "}"' });
    expect(findJsonError('[1 2]')).toEqual({ offset: 3, problem: "expected ',' or ']' after array element, found \"2\"" });
    expect(findJsonError('{"a": "x')).toEqual({ offset: 8, problem: 'unterminated string' });
    expect(findJsonError('')).toEqual({ offset: 0, problem: 'unexpected end of file, expected a value' });
    expect(findJsonError('{} x')).toEqual({ offset: 3, problem: 'unexpected "x" after the JSON value' });
  });

  test('UTF-16LE with BOM (a PowerShell redirect) and UTF-8 with BOM load', () => {
    const text = JSON.stringify(minimal);
    const dir = tempDir({
      'u16.json': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      'u8.json': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
    });
    expect(loadPlanFile(path.join(dir, 'u16.json')).format_version).toBe('1.2');
    expect(loadPlanFile(path.join(dir, 'u8.json')).format_version).toBe('1.2');
  });

  const cases: [string, unknown, string | undefined, string][] = [
    ['an array', [1], undefined, 'not a Terraform plan: expected a JSON object, found an array'],
    ['no format_version', { resource_changes: [] }, 'format_version', 'missing: not a Terraform plan JSON document (produce one with `terraform show -json plan.out > plan.json`)'],
    ['a cdk.tf.json', { resource: {}, provider: {} }, 'format_version', 'missing: not a Terraform plan JSON document (it looks like Terraform JSON configuration such as cdk.tf.json; pass it as a synth output)'],
    ['a bad format_version', { format_version: 1.2, resource_changes: [] }, 'format_version', 'expected a version string like "1.2", found 1.2'],
    ['format 2.0', { format_version: '2.0', resource_changes: [] }, 'format_version', 'unsupported plan format 2.0: this tool reads format 1.x'],
    ['format 0.1 (Terraform 0.12)', { format_version: '0.1', resource_changes: [] }, 'format_version', 'unsupported plan format 0.1: this tool reads format 1.x (written by Terraform 1.0 and newer, and OpenTofu); re-run `terraform show -json` with a current version'],
    ['a state', { format_version: '1.0', values: { root_module: {} } }, 'resource_changes', 'missing: this is a state (`terraform show -json` without a plan file), not a plan'],
    ['an empty plan', { format_version: '1.2', planned_values: { root_module: {} }, configuration: { root_module: {} } }, 'resource_changes', 'the plan is empty: it has no resource changes and no planned resources, so there is nothing to check'],
    ['an errored plan', { ...minimal, errored: true }, 'errored', 'true: Terraform could not finish this plan, so its contents are partial'],
    ['resource_changes not an array', { format_version: '1.2', resource_changes: {} }, 'resource_changes', 'expected an array, found an object'],
    ['a change without actions', { format_version: '1.2', resource_changes: [{ ...minimal.resource_changes[0], change: {} }] }, 'resource_changes[0].change.actions', 'expected a non-empty array of action names'],
    ['a change without address', { format_version: '1.2', resource_changes: [{ mode: 'managed', type: 't', name: 'n', change: { actions: ['create'] } }] }, 'resource_changes[0].address', 'missing'],
    ['a bad mode', { format_version: '1.2', resource_changes: [{ ...minimal.resource_changes[0], mode: 'x' }] }, 'resource_changes[0].mode', 'expected "managed" or "data", found "x"'],
    ['configuration without root_module', { ...minimal, configuration: {} }, 'configuration.root_module', 'missing'],
    ['a wrapped plan with a bad change', { plan: { format_version: '1.2', resource_changes: [1] } }, 'plan.resource_changes[0]', 'expected an object, found a number'],
    ['an OPA request body around a bad plan', { input: { plan: { format_version: '3.0' } } }, 'input.plan.format_version', 'unsupported plan format 3.0: this tool reads format 1.x'],
    ['an OPA request body around something else', { input: { foo: 1 } }, 'input.format_version', 'missing: not a Terraform plan JSON document (produce one with `terraform show -json plan.out > plan.json`)'],
    ['a wrapper holding a non-object', { plan: [] }, 'format_version', 'missing: not a Terraform plan JSON document (produce one with `terraform show -json plan.out > plan.json`)'],
  ];
  test.each(cases)('%s', (_name, content, field, problem) => {
    const dir = tempDir({ 'p.json': JSON.stringify(content) });
    const f = path.join(dir, 'p.json');
    const e = inputErrorOf(() => loadPlanFile(f));
    expect(e.file).toBe(f);
    expect(e.field).toBe(field);
    expect(e.problem).toBe(problem);
    expect(e.message).toBe(field ? `${f}: ${field}: ${problem}` : `${f}: ${problem}`);
  });
});

describe('loadCheckInputs', () => {
  test('a missing path', () => {
    expect(inputErrorOf(() => loadCheckInputs('/nonexistent/x')).message).toBe('/nonexistent/x: no such file or directory');
  });

  test('a directory with no stacks', () => {
    const dir = tempDir({ 'readme.txt': 'x' });
    const e = inputErrorOf(() => loadCheckInputs(dir));
    expect(e.file).toBe(dir);
    expect(e.problem).toMatch(/^no cdktf stacks here/);
  });

  test('a manifest with no stacks', () => {
    const dir = tempDir({ 'manifest.json': JSON.stringify({ version: '0.21.0', stacks: {} }) });
    const e = inputErrorOf(() => loadCheckInputs(dir));
    expect(e.file).toBe(path.join(dir, 'manifest.json'));
    expect(e.field).toBe('stacks');
  });

  test('a manifest naming a stack file that is not there', () => {
    const dir = tempDir({ 'manifest.json': JSON.stringify({ stacks: { a: { name: 'a', synthesizedStackPath: 'stacks/a/cdk.tf.json' } } }) });
    const e = inputErrorOf(() => loadCheckInputs(dir));
    expect(e.field).toBe('stacks.a.synthesizedStackPath');
  });

  test('JSON that is neither a plan nor a synth output', () => {
    const dir = tempDir({ 'sites.json': JSON.stringify({ sites: [] }) });
    const f = path.join(dir, 'sites.json');
    const e = inputErrorOf(() => loadCheckInputs(f));
    expect(e.file).toBe(f);
    expect(e.problem).toMatch(/^neither a Terraform plan JSON/);
  });

  test('a plan file, also wrapped (HCP Terraform, OPA Data API request bodies)', () => {
    const dir = tempDir({
      'p.json': JSON.stringify(minimal),
      'w.json': JSON.stringify({ plan: minimal }),
      'opa.json': JSON.stringify({ input: minimal }),
      'opa-hcp.json': JSON.stringify({ input: { plan: minimal } }),
    });
    for (const f of ['p.json', 'w.json', 'opa.json', 'opa-hcp.json']) {
      const [i] = loadCheckInputs(path.join(dir, f));
      expect(i).toMatchObject({ name: f, kind: 'plan', constructPaths: {} });
      expect(i.sitesFile).toBeUndefined();
      expect(i.plan.resource_changes).toHaveLength(1);
    }
  });
});
