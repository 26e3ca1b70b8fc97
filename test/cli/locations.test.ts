/**
 * Where findings are: the creation trace cdktf writes for each resource (constructs/source-traces.ts,
 * off with `App({ stackTraces: false })`), the first frame in the user's code (plan/frames.ts), the
 * `.tf` blocks of --source folders, and paths relative to the repository root, also for a trace
 * recorded on another machine.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { App, TerraformStack } from 'cdktf';
import { Locator, repositoryRoot, terraformBlocks } from '../../cli/locations';
import { firstUserFrame, isUserFile, packageRoot, parseFrame } from '../../plan/frames';
import { ROOT } from './helpers';
import '../../index';

describe('stack frames', () => {
  test('V8 frame lines with and without a function name, and file URLs', () => {
    expect(parseFrame('at new Release (/app/node_modules/@cdktf/provider-helm/lib/release/index.js:1417:5)')).toEqual({
      file: '/app/node_modules/@cdktf/provider-helm/lib/release/index.js',
      line: 1417,
      column: 5,
    });
    expect(parseFrame('Object.buildViolations (/app/examples/violations/main.ts:73:3)')).toEqual({ file: '/app/examples/violations/main.ts', line: 73, column: 3 });
    expect(parseFrame('/app/main.ts:12:1')).toEqual({ file: '/app/main.ts', line: 12, column: 1 });
    expect(parseFrame('file:///app/main.mjs:4:2')).toEqual({ file: '/app/main.mjs', line: 4, column: 2 });
    expect(parseFrame('Array.forEach (<anonymous>)')).toBeUndefined();
  });

  test("the user's code is not node internals, not node_modules, not this package's library folders", () => {
    const roots = ['/pkg'];
    expect(isUserFile('/app/main.ts', roots)).toBe(true);
    expect(isUserFile('/pkg/examples/law-firm/main.ts', roots)).toBe(true);
    expect(isUserFile('/pkg/stacks/hybrid-deployment.ts', roots)).toBe(false);
    expect(isUserFile('/pkg/dist/constructs/cnpg.js', roots)).toBe(false);
    expect(isUserFile('/app/node_modules/kz-residency/dist/index.js', roots)).toBe(false);
    expect(isUserFile('node:internal/modules/cjs/loader', roots)).toBe(false);
    expect(
      firstUserFrame(
        ['new TerraformElement (/app/node_modules/cdktf/lib/terraform-element.js:44:15)', 'new HybridDeployment (/pkg/stacks/hybrid-deployment.ts:92:20)', 'buildLawFirm (/app/main.ts:16:10)'],
        roots,
      ),
    ).toEqual({ file: '/app/main.ts', line: 16, column: 10 });
  });
});

describe('creation traces in cdk.tf.json', () => {
  const namespace = (app: App) => {
    const stack = new TerraformStack(app, 's');
    new NamespaceV1(stack, 'ns', { metadata: { name: 'ns' } });
    return stack.toTerraform() as { resource: { kubernetes_namespace_v1: { ns: { '//': { metadata: { stackTrace?: string[] } } } } } };
  };
  const outdir = () => mkdtempSync(path.join(os.tmpdir(), 'kz-traces-'));

  test('each resource carries where it was made, ending at the first frame in the user’s code', () => {
    const dir = outdir();
    try {
      const trace = namespace(new App({ outdir: dir })).resource.kubernetes_namespace_v1.ns['//'].metadata.stackTrace ?? [];
      expect(trace.length).toBeGreaterThan(0);
      expect(trace[trace.length - 1]).toContain(path.join('test', 'cli', 'locations.test.ts'));
      expect(trace.slice(0, -1).every((f) => /node_modules/.test(f))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('cdktf’s own switch turns it off: App({ stackTraces: false })', () => {
    const dir = outdir();
    try {
      expect(namespace(new App({ outdir: dir, stackTraces: false })).resource.kubernetes_namespace_v1.ns['//'].metadata.stackTrace).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('.tf blocks for --source', () => {
  test('resources, data sources and module calls with their lines; comments and heredocs are not blocks', () => {
    const text = [
      'resource "kubernetes_namespace_v1" "ns" {', // 1
      '  metadata { name = "ns" }',
      '}',
      '# resource "x" "commented" {',
      'data "kubernetes_secret_v1" "key" {', // 5
      '}',
      'module "db" {', // 7
      '  source = "./db"',
      '  values = <<EOT',
      'resource "not" "real" {',
      'EOT',
      '}',
      '/*',
      'module "old" {',
      '*/',
      'resource helm_release pg {', // 16
      '}',
    ].join('\n');
    expect(terraformBlocks(text)).toEqual([
      ['kubernetes_namespace_v1.ns', 1],
      ['data.kubernetes_secret_v1.key', 5],
      ['module.db', 7],
      ['helm_release.pg', 16],
    ]);
  });

  test('a plan address finds its block; a resource in a module instance finds the module call', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kz-tf-'));
    try {
      mkdirSync(path.join(dir, 'infra'));
      writeFileSync(path.join(dir, 'infra', 'main.tf'), 'resource "kubernetes_namespace_v1" "ns" {\n}\n\nmodule "db" {\n  source = "./db"\n}\n');
      const locator = new Locator(dir, { sourceDirs: [path.join(dir, 'infra')] });
      expect(locator.fromTerraform('kubernetes_namespace_v1.ns')).toEqual({ file: 'infra/main.tf', line: 1, kind: 'terraform' });
      expect(locator.fromTerraform('module.db["eu"].module.inner.helm_release.pg[0]')).toEqual({ file: 'infra/main.tf', line: 4, kind: 'terraform' });
      expect(locator.fromTerraform('kubernetes_secret_v1.other')).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('paths relative to the repository root', () => {
  test('the root is the git top-level (a worktree’s .git file counts)', () => {
    expect(repositoryRoot(path.join(ROOT, 'test', 'cli'))).toBe(ROOT);
  });

  test('a trace recorded on another machine is matched by the tail of its path that exists here', () => {
    const locator = new Locator(ROOT);
    expect(locator.relative(path.join(ROOT, 'examples', 'violations', 'main.ts'))).toBe('examples/violations/main.ts');
    expect(locator.relative('/home/runner/work/app/app/examples/violations/main.ts')).toBe('examples/violations/main.ts');
    expect(locator.relative('/elsewhere/nothing-like-this.ts')).toBeUndefined();
    expect(
      locator.fromTrace(['new Release (/home/runner/work/app/app/node_modules/x.js:1:1)', 'buildViolations (/home/runner/work/app/app/examples/violations/main.ts:73:3)']),
    ).toEqual({ file: 'examples/violations/main.ts', line: 73, column: 3, kind: 'source' });
    expect(packageRoot()).toBe(ROOT);
  });
});
