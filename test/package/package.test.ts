/**
 * The package as its users get it. `npm pack` runs once (its `prepare` builds dist/); fresh apps in a
 * temporary folder then install the tarball and use it:
 *  (a) the law-firm and violations examples copied out of the repository — cdktf apps with the files
 *      `cdktf init --template typescript` writes (ts-node, its tsconfig, untouched) — run `cdktf synth`
 *      and `kz-residency check cdktf.out --sites sites.yaml`: exit 0 for the compliant app, 1 for the
 *      violating one;
 *  (b) an ES module app compiled by tsc with Node's own resolution (nodenext) and run by plain node:
 *      the constructs, the programmatic `check`, the plan loaders and the engine;
 *  (c) a plain Terraform user: `npx kz-residency check plan.json` (0 and 1), with none of cdktf, the
 *      provider bindings or tsx installed;
 *  (d) the container image: the Dockerfile's install command, as written there, into a global prefix
 *      (no Docker engine on the machines this is built on);
 *  (e) the GitHub Action: action.yml's shell steps run as GitHub runs them.
 * Installs take what the npm cache holds (`npm ci` of this repository fills it with the same versions)
 * and run side by side; the whole file takes about a minute on two cores.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { synthExample } from '../../examples/synth-all';
import { loadRuleCatalogue } from '../../cli/check';
import { loadCheckInputs } from '../../plan/input';
import { ROOT, jsonReport, lockedVersion, npmInstall, ok, run, userEnv, type Run } from './helpers';

const CDKTF = path.join(ROOT, 'node_modules', '.bin', 'cdktf'); // stands for the global cdktf-cli `cdktf init` assumes
const EXAMPLE_FILES = ['main.ts', 'sites.yaml', 'cdktf.json', 'tsconfig.json', 'package.json', '.gitignore'];
/** What the violations example breaks on purpose (its header lists them). */
const VIOLATED = ['KZ-BAK-001', 'KZ-FT-001', 'KZ-RES-001', 'KZ-SEC-001', 'KZ-XBT-003'];

let work = '';
let tarball = '';
let tarFiles: string[] = [];
const dir = (name: string) => path.join(work, name);
const setup: Record<string, Run> = {};

/** Copies an example folder out of the repository, as a user would, without anything built in it. */
function copyExample(name: string, to: string): void {
  mkdirSync(to, { recursive: true });
  const src = path.join(ROOT, 'examples', name);
  const present = readdirSync(src);
  for (const f of EXAMPLE_FILES) {
    if (!present.includes(f)) throw new Error(`examples/${name}/${f} is missing`);
    cpSync(path.join(src, f), path.join(to, f));
  }
}

/** A plan JSON document, shaped like `terraform show -json`, of one synthesized stack. */
function writePlan(outdir: string, stack: string, file: string): void {
  const [input] = loadCheckInputs(path.join(outdir, 'stacks', stack));
  writeFileSync(file, JSON.stringify(input.plan, null, 1));
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'kz-package-'));
  const packed = await ok('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT });
  const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  tarball = path.join(work, info[0].filename);
  tarFiles = info[0].files.map((f) => f.path).sort();

  // (c) and (d): plans of a compliant and a violating deployment, with their registries
  mkdirSync(dir('tf'));
  const synthDir = dir('synth');
  mkdirSync(synthDir);
  writePlan(
    synthExample('law-firm', path.join(synthDir, 'law-firm')),
    'law-firm-primary-almaty',
    path.join(dir('tf'), 'plan.json'),
  );
  writePlan(
    synthExample('violations', path.join(synthDir, 'violations')),
    'violations',
    path.join(dir('tf'), 'violations-plan.json'),
  );
  cpSync(path.join(ROOT, 'examples', 'law-firm', 'sites.yaml'), path.join(dir('tf'), 'sites.yaml'));
  cpSync(
    path.join(ROOT, 'examples', 'violations', 'sites.yaml'),
    path.join(dir('tf'), 'violations-sites.yaml'),
  );
  writeFileSync(
    path.join(dir('tf'), 'package.json'),
    JSON.stringify({ name: 'tf-user', version: '1.0.0', private: true }, null, 2),
  );

  // (a) the law-firm example copied out; (b) the ESM app with the versions this repository locks
  copyExample('law-firm', dir('law-firm'));
  const esm = dir('esm-app');
  cpSync(path.join(__dirname, 'consumers', 'esm-app'), esm, { recursive: true });
  cpSync(path.join(ROOT, 'examples', 'fintech-biometric', 'sites.yaml'), path.join(esm, 'sites.yaml'));
  const v = (n: string) => `${n}@${lockedVersion(n)}`;
  writeFileSync(
    path.join(esm, 'package.json'),
    JSON.stringify({ name: 'esm-app', version: '1.0.0', private: true, type: 'module' }, null, 2),
  );

  // (d) the image's install command, read from the Dockerfile's last stage
  const dockerInstall = dockerfileInstall();

  await Promise.all([
    npmInstall(dir('law-firm'), [tarball]),
    npmInstall(esm, [
      tarball,
      v('cdktf'),
      v('constructs'),
      v('@cdktf/provider-kubernetes'),
      v('@cdktf/provider-helm'),
      v('typescript'),
      v('@types/node'),
    ]),
    npmInstall(dir('tf'), [tarball]),
    ok(
      dockerInstall[0],
      dockerInstall.slice(1).map((a) => (a === '/tmp/kz-residency.tgz' ? tarball : a)),
      {
        cwd: work,
        env: userEnv({ npm_config_prefix: dir('image') }),
      },
    ),
  ]);

  // (a) the violating example copied out beside it: same dependencies, so it shares the installed tree
  copyExample('violations', dir('violations'));
  symlinkSync(
    path.join(dir('law-firm'), 'node_modules'),
    path.join(dir('violations'), 'node_modules'),
    'dir',
  );

  const [lawFirm, violations, tsc] = await Promise.all([
    run(CDKTF, ['synth'], { cwd: dir('law-firm') }),
    run(CDKTF, ['synth'], { cwd: dir('violations') }),
    run(path.join(esm, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: esm }),
  ]);
  Object.assign(setup, { lawFirm, violations, tsc });
  if (tsc.status === 0) setup.esm = await run(process.execPath, ['main.js'], { cwd: esm });
}, 400_000);

afterAll(() => {
  if (work && process.env.KZ_KEEP_PACKAGE_TEST !== '1') rmSync(work, { recursive: true, force: true });
});

/** The `npm install --global … /tmp/kz-residency.tgz` command of the Dockerfile's runtime stage, as argv. */
function dockerfileInstall(): string[] {
  const text = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
  const stages = text.split(/^FROM /m);
  const last = stages[stages.length - 1];
  const runLine = /^RUN (npm install --global [^&\n]*?)\s*(?:&&|$)/m.exec(last);
  if (!runLine) throw new Error('Dockerfile: no `RUN npm install --global …` in the last stage');
  return runLine[1].trim().split(/\s+/);
}

const expectStatus = (r: Run, status: number) => {
  if (r.status !== status)
    throw new Error(
      `exit ${r.status}, expected ${status}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}`,
    );
};

describe('the tarball', () => {
  test("holds the compiled library with declarations, the policy pack without tests, the command, the gateway images' build context, the README and the licence; no tests, bench, CI files or TypeScript sources", () => {
    const outside = tarFiles.filter((f) => !f.startsWith('dist/'));
    // docker/: the tunnel gateway images' build context, which users build and push themselves
    expect(outside).toEqual([
      'LICENSE',
      'README.md',
      'bin/kz-residency.js',
      'docker/gost-tls.Dockerfile',
      'docker/kz-tunnel-gateway',
      'docker/wireguard.Dockerfile',
      'package.json',
    ]);
    expect(tarFiles.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(
      tarFiles.filter((f) => /(^|\/)(test|bench|\.ci|examples)\//.test(f) || f.endsWith('_test.rego')),
    ).toEqual([]);
    expect(tarFiles).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/cli/main.js',
        'dist/policies/data/sites.schema.json',
      ]),
    );
    const rego = tarFiles.filter((f) => f.endsWith('.rego'));
    expect(rego.length).toBeGreaterThan(5);
  });

  test('every export of package.json names a file that is in the tarball', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      private?: boolean;
      exports: Record<string, string | Record<string, string>>;
      bin: Record<string, string>;
      typesVersions: Record<string, Record<string, string[]>>;
    };
    expect(pkg.private).toBeUndefined();
    const targets = Object.values(pkg.exports)
      .flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)))
      .filter((t) => !t.includes('*'))
      .concat(Object.values(pkg.bin), Object.values(pkg.typesVersions['*']).flat())
      .map((t) => t.replace(/^\.\//, ''));
    for (const t of targets) expect(tarFiles).toContain(t);
  });

  test('the public API matches the committed reports in docs/api-report (`npm run api` updates them)', async () => {
    const r = await run(process.execPath, [path.join(ROOT, 'scripts', 'api-report.js'), '--check'], {
      cwd: ROOT,
    });
    if (r.status !== 0) throw new Error(r.stderr || r.stdout);
  });
});

describe('(a) cdktf TypeScript apps: the examples copied out, as `cdktf init` lays them out', () => {
  test('the copied law-firm example installs the tarball and `cdktf synth` runs it through ts-node with its own tsconfig', () => {
    expectStatus(setup.lawFirm, 0);
    expect(readdirSync(path.join(dir('law-firm'), 'cdktf.out', 'stacks')).sort()).toEqual([
      'law-firm-hq-hq-fra',
      'law-firm-primary-almaty',
      'law-firm-standby-astana',
    ]);
    const tsconfig = readFileSync(path.join(dir('law-firm'), 'tsconfig.json'), 'utf8');
    expect(tsconfig).toBe(readFileSync(path.join(ROOT, 'examples', 'law-firm', 'tsconfig.json'), 'utf8'));
    expect(JSON.parse(readFileSync(path.join(dir('law-firm'), 'cdktf.json'), 'utf8')).app).toBe(
      'npx ts-node main.ts',
    );
  });

  test('`kz-residency check cdktf.out --sites sites.yaml` passes the compliant app: exit 0', async () => {
    const r = await run(
      'npx',
      ['--no-install', 'kz-residency', 'check', 'cdktf.out', '--sites', 'sites.yaml', '--format', 'json'],
      { cwd: dir('law-firm') },
    );
    expectStatus(r, 0);
    expect(jsonReport(r).summary).toMatchObject({ result: 'pass', deny: 0 });
  });

  test('the violating example synthesizes and the check rejects it: exit 1 with the rules it breaks', async () => {
    expectStatus(setup.violations, 0);
    const r = await run(
      'npx',
      ['--no-install', 'kz-residency', 'check', 'cdktf.out', '--sites', 'sites.yaml', '--format', 'json'],
      { cwd: dir('violations') },
    );
    expectStatus(r, 1);
    const rules = new Set(jsonReport(r).deny.map((d) => d.rule));
    expect([...rules].filter((id) => VIOLATED.includes(id)).sort()).toEqual(VIOLATED);
  });

  test('both copies declare the same dependencies, so the violating one may share the installed tree', () => {
    const deps = (d: string) => {
      const p = JSON.parse(readFileSync(path.join(d, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
        devDependencies: Record<string, string>;
      };
      const all: Record<string, string> = { ...p.dependencies, ...p.devDependencies };
      delete all['kz-residency']; // rewritten to the tarball by the install in the law-firm copy
      return all;
    };
    expect(deps(dir('violations'))).toEqual(deps(dir('law-firm')));
  });

  test("the template's `npm run build` (tsc, node10 resolution) type-checks the app and the subpath imports", async () => {
    // TypeScript's node10 resolution, which `cdktf init`'s tsconfig implies, ignores package.json
    // `exports`: the subpaths resolve through `typesVersions`
    writeFileSync(
      path.join(dir('violations'), 'subpaths.ts'),
      [
        "import { check, type CheckResult } from 'kz-residency/cli';",
        "import { loadSitesRegistry } from 'kz-residency/plan';",
        "import { InterpreterEngine } from 'kz-residency/engine';",
        "import { PrimaryDataStore } from 'kz-residency/constructs';",
        "import { HybridDeployment } from 'kz-residency/stacks';",
        'export async function deny(): Promise<number> {',
        "  const r: CheckResult = (await check({ target: 'cdktf.out', sites: 'sites.yaml' })).result;",
        "  return r.summary.deny + loadSitesRegistry('sites.yaml').sites.length;",
        '}',
        'export const used = [InterpreterEngine, PrimaryDataStore, HybridDeployment];',
        '',
      ].join('\n'),
    );
    const r = await run('npm', ['run', 'build'], { cwd: dir('violations') });
    expectStatus(r, 0);
    expect(existsSync(path.join(dir('violations'), 'subpaths.js'))).toBe(true);
  });

  test('the root is exactly the constructs and stacks subpaths together', async () => {
    const r = await ok(
      process.execPath,
      [
        '-e',
        [
          'const keys = (m) => Object.keys(require(m)).sort();',
          "console.log(JSON.stringify({ root: keys('kz-residency'), parts: [...new Set([...keys('kz-residency/constructs'), ...keys('kz-residency/stacks')])].sort() }));",
        ].join('\n'),
      ],
      { cwd: dir('law-firm') },
    );
    const { root, parts } = JSON.parse(r.stdout) as { root: string[]; parts: string[] };
    expect(root).toEqual(parts);
    expect(root).toEqual(
      expect.arrayContaining(['HybridDeployment', 'KzSite', 'ResidencyGuard', 'PrimaryDataStore']),
    );
  });
});

describe('(b) an ES module app', () => {
  test('compiles with module/moduleResolution nodenext and runs: constructs, guard, programmatic check, plan and engine subpaths', () => {
    expectStatus(setup.tsc, 0);
    expectStatus(setup.esm, 0);
    const out = JSON.parse(setup.esm.stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
    expect(out).toMatchObject({
      result: 'pass',
      deny: 0,
      stacks: ['esm-bank-primary-astana', 'esm-bank-standby-almaty'],
      rules: loadRuleCatalogue().length,
      registrySites: ['kz-ast-bank', 'kz-ala-bank'],
      engine: 'function',
      dataClassLabel: 'residency.kz/data-class',
    });
    expect(String(out.markdownStartsWith)).toMatch(/kz-residency/i);
  });
});

describe('(c) a plain Terraform user: `npx kz-residency check plan.json`', () => {
  test('a compliant plan: exit 0', async () => {
    const r = await run(
      'npx',
      ['--no-install', 'kz-residency', 'check', 'plan.json', '--sites', 'sites.yaml'],
      { cwd: dir('tf') },
    );
    expectStatus(r, 0);
    expect(r.stdout).toMatch(/PASS 0 denied/);
  });

  test('a violating plan: exit 1, findings by plan address', async () => {
    const r = await run(
      'npx',
      [
        '--no-install',
        'kz-residency',
        'check',
        'violations-plan.json',
        '--sites',
        'violations-sites.yaml',
        '--format',
        'json',
      ],
      { cwd: dir('tf') },
    );
    expectStatus(r, 1);
    const report = jsonReport(r);
    expect(report.deny.map((d) => d.rule)).toEqual(expect.arrayContaining(VIOLATED));
    expect(report.deny.every((d) => /^[a-z0-9_]+\.[A-Za-z0-9_-]+/.test(d.resource))).toBe(true);
  });

  test('the command alone installs only what it runs: no cdktf, constructs, provider bindings, TypeScript or tsx', () => {
    const installed = readdirSync(path.join(dir('tf'), 'node_modules'));
    for (const absent of ['cdktf', 'constructs', '@cdktf', 'typescript', 'tsx', 'ts-node'])
      expect(installed).not.toContain(absent);
    expect(existsSync(path.join(dir('tf'), 'node_modules', '.bin', 'kz-residency'))).toBe(true);
  });

  test('importing the constructs without their peer dependencies names them and the install command', async () => {
    const r = await run(process.execPath, ['-e', "require('kz-residency')"], { cwd: dir('tf') });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'npm install cdktf@^0.21.0 constructs@^10.4.2 @cdktf/provider-kubernetes@^12.1.1 @cdktf/provider-helm@^12.1.2',
    );
    const cli = await run(process.execPath, ['-e', "console.log(typeof require('kz-residency/cli').check)"], {
      cwd: dir('tf'),
    });
    expectStatus(cli, 0);
    expect(cli.stdout.trim()).toBe('function');
  });
});

describe('(d) the container image (Dockerfile), its install step run without Docker', () => {
  const image = () => path.join(dir('image'), 'bin', 'kz-residency');

  test('the entrypoint is the installed command, run as the unprivileged user in /work', () => {
    const text = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const last = text.split(/^FROM /m).pop() ?? '';
    expect(last).toMatch(/^ENTRYPOINT \["kz-residency"\]$/m);
    expect(last).toMatch(/^USER node$/m);
    expect(last).toMatch(/^WORKDIR \/work$/m);
    expect(text).toMatch(/^ARG NODE_IMAGE=node:\d+\.\d+\.\d+-[a-z]+-slim$/m);
  });

  test('the globally installed command checks plans: 0 and 1, and lists the whole rule catalogue', async () => {
    const env = userEnv({ PATH: `${path.dirname(image())}${path.delimiter}${process.env.PATH ?? ''}` });
    const pass = await run('kz-residency', ['check', 'plan.json', '--sites', 'sites.yaml'], {
      cwd: dir('tf'),
      env,
    });
    expectStatus(pass, 0);
    const fail = await run(
      'kz-residency',
      ['check', 'violations-plan.json', '--sites', 'violations-sites.yaml'],
      { cwd: dir('tf'), env },
    );
    expectStatus(fail, 1);
    const rules = await run('kz-residency', ['rules', '--format', 'json'], { cwd: dir('tf'), env });
    expectStatus(rules, 0);
    expect((JSON.parse(rules.stdout) as unknown[]).length).toBe(loadRuleCatalogue().length);
    const deps = readdirSync(path.join(dir('image'), 'lib', 'node_modules', 'kz-residency', 'node_modules'));
    for (const absent of ['cdktf', '@cdktf', 'typescript', 'tsx']) expect(deps).not.toContain(absent);
  });
});

describe('(e) the GitHub Action (action.yml), its shell steps run as GitHub runs them', () => {
  interface Step {
    id?: string;
    name: string;
    if?: string;
    uses?: string;
    run?: string;
    env?: Record<string, string>;
    with?: Record<string, string>;
  }
  interface Action {
    inputs: Record<string, { default?: string; required?: boolean }>;
    runs: { using: string; steps: Step[] };
  }
  const action = (): Action => parseYaml(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;

  /** Runs the action's `run:` steps in order with GitHub's bash flags; returns each step's outputs. */
  async function runAction(workspace: string, inputs: Record<string, string>) {
    const a = action();
    const temp = mkdtempSync(path.join(work, 'runner-'));
    const values: Record<string, string> = {};
    for (const [k, spec] of Object.entries(a.inputs)) values[k] = inputs[k] ?? spec.default ?? '';
    const outputs: Record<string, Record<string, string>> = {};
    const results: Record<string, Run> = {};
    const summary = path.join(temp, 'summary.md');
    for (const step of a.runs.steps) {
      if (!step.run || !step.id) continue;
      const expr = (s: string) =>
        s
          .replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, k: string) => values[k] ?? '')
          .replace(
            /\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}/g,
            (_, id: string, k: string) => outputs[id]?.[k] ?? '',
          );
      const script = path.join(temp, `${step.id}.sh`);
      writeFileSync(script, step.run);
      const outFile = path.join(temp, `${step.id}.out`);
      writeFileSync(outFile, '');
      const env = userEnv({
        ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expr(v)])),
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: temp,
        GITHUB_OUTPUT: outFile,
        GITHUB_STEP_SUMMARY: summary,
      });
      const r = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd: workspace,
        env,
      });
      results[step.id] = r;
      outputs[step.id] = Object.fromEntries(
        readFileSync(outFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      if (r.status !== 0) break;
    }
    return { outputs, results, summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '' };
  }

  test('in a workspace that installs kz-residency: annotations, SARIF and Markdown for a violating plan; status 1 for the final step', async () => {
    const { outputs, results, summary } = await runAction(dir('tf'), {
      path: 'violations-plan.json',
      sites: 'violations-sites.yaml',
      formats: 'github, sarif markdown json',
    });
    expectStatus(results.install, 0);
    expect(outputs.install.bin).toBe(path.join(dir('tf'), 'node_modules', '.bin', 'kz-residency'));
    expectStatus(results.check, 0);
    expect(outputs.check.status).toBe('1');
    expect(results.check.stdout).toMatch(/^::error .*KZ-RES-001/m);
    const sarif = JSON.parse(readFileSync(path.join(dir('tf'), outputs.check.sarif), 'utf8')) as {
      runs: Array<{ results: Array<{ ruleId: string }> }>;
    };
    expect(sarif.runs[0].results.map((x) => x.ruleId)).toEqual(expect.arrayContaining(VIOLATED));
    expect(summary).toContain('KZ-RES-001');
    expect(existsSync(path.join(dir('tf'), 'kz-residency-results', 'kz-residency.json'))).toBe(true);

    const steps = action().runs.steps;
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.with?.sarif_file).toBe('${{ steps.check.outputs.sarif }}');
    const fail = steps[steps.length - 1];
    expect(fail.if).toBe("inputs.fail-on-deny == 'true' && steps.check.outputs.status != '0'");
  });

  test('without kz-residency in the workspace it installs the `package` input (here the tarball) and passes a compliant plan', async () => {
    const empty = mkdtempSync(path.join(work, 'workspace-'));
    cpSync(path.join(dir('tf'), 'plan.json'), path.join(empty, 'plan.json'));
    cpSync(path.join(dir('tf'), 'sites.yaml'), path.join(empty, 'sites.yaml'));
    const { outputs, results } = await runAction(empty, {
      path: 'plan.json',
      sites: 'sites.yaml',
      package: tarball,
      formats: 'sarif',
    });
    expectStatus(results.install, 0);
    expect(outputs.install.bin).toMatch(/runner-[^/]+\/kz-residency\/node_modules\/\.bin\/kz-residency$/);
    expectStatus(results.check, 0);
    expect(outputs.check.status).toBe('0');
  });

  test('examples/github-actions/kz-residency-action.yml uses the action on cdktf.out with the reviewed registry, and posts the Markdown it writes', () => {
    const wf = parseYaml(
      readFileSync(path.join(ROOT, 'examples', 'github-actions', 'kz-residency-action.yml'), 'utf8'),
    ) as { jobs: Record<string, { steps: Step[] }> };
    const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
    const uses = steps.find((s) => /^[^/]+\/kz-residency@v\d/.test(s.uses ?? ''));
    expect(uses?.with?.path).toBe('cdktf.out');
    expect(uses?.with?.sites).toBe('sites.yaml');
    const inputs = Object.keys(action().inputs);
    expect(Object.keys(uses?.with ?? {}).filter((k) => !inputs.includes(k))).toEqual([]);
    expect(steps.some((s) => s.env?.REPORT === `\${{ steps.${uses?.id}.outputs.markdown }}`)).toBe(true);
  });

  test("an unusable input stops the check step with the command's exit status 2", async () => {
    const { results } = await runAction(dir('tf'), {
      path: 'no-such-plan.json',
      sites: 'sites.yaml',
      formats: 'json',
    });
    expect(results.check.status).toBe(2);
    expect(results.check.stdout).toMatch(/::error title=kz-residency::could not check no-such-plan.json/);
  });
});
