import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { App } from 'cdktf';
import { ResidencyGuard } from '../../constructs';
import { EXAMPLES, synthExample } from '../../examples/synth-all';
import {
  SHARED_PRESENT,
  at,
  chartValidator,
  helmValues,
  resourcesOf,
  type SynthDoc,
} from '../constructs/fixtures';

const ROOT = path.resolve(__dirname, '../..');

function synth(name: string): {
  outdir: string;
  stacks: Record<string, SynthDoc>;
  sites: Array<{ id: string; jurisdiction: string }>;
} {
  const outdir = synthExample(name, mkdtempSync(path.join(tmpdir(), `kz-example-${name}-`)));
  const stacks: Record<string, SynthDoc> = {};
  for (const s of readdirSync(path.join(outdir, 'stacks'))) {
    stacks[s] = JSON.parse(readFileSync(path.join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8')) as SynthDoc;
  }
  const sites = (
    JSON.parse(readFileSync(path.join(outdir, 'sites.json'), 'utf8')) as {
      sites: Array<{ id: string; jurisdiction: string }>;
    }
  ).sites;
  return { outdir, stacks, sites };
}

describe('examples', () => {
  test('every example folder is a cdktf app as `cdktf init` lays it out: main.ts, cdktf.json running ts-node, tsconfig.json, a package.json that depends on kz-residency, sites.yaml', () => {
    for (const { name } of EXAMPLES) {
      const dir = path.join(ROOT, 'examples', name);
      for (const f of ['main.ts', 'sites.yaml', 'tsconfig.json', '.gitignore'])
        expect(existsSync(path.join(dir, f))).toBe(true);
      expect(JSON.parse(readFileSync(path.join(dir, 'cdktf.json'), 'utf8'))).toMatchObject({
        app: 'npx ts-node main.ts',
        language: 'typescript',
      });
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
        devDependencies: Record<string, string>;
      };
      expect(Object.keys(pkg.dependencies).sort()).toEqual([
        '@cdktf/provider-helm',
        '@cdktf/provider-kubernetes',
        'cdktf',
        'constructs',
        'kz-residency',
      ]);
      expect(Object.keys(pkg.devDependencies).sort()).toEqual(['@types/node', 'ts-node', 'typescript']);
      // imports name the package, never the repository's folders, so the folder copies out
      expect(readFileSync(path.join(dir, 'main.ts'), 'utf8')).not.toMatch(/from '\.\.\//);
    }
  });

  test('law-firm synthesizes three stacks and a sites.json of the three sites it uses', () => {
    const { stacks, sites } = synth('law-firm');
    expect(Object.keys(stacks).sort()).toEqual([
      'law-firm-hq-hq-fra',
      'law-firm-primary-almaty',
      'law-firm-standby-astana',
    ]);
    expect(sites.map((s) => s.id)).toEqual(['hq-fra', 'kz-ala-1', 'kz-ast-1']);
  });

  test('fintech-biometric keeps everything in Kazakhstan: no foreign site, no tunnel, audit trail and regulator access', () => {
    const { stacks, sites } = synth('fintech-biometric');
    expect(sites.every((s) => s.jurisdiction === 'KZ')).toBe(true);
    expect(Object.keys(stacks).sort()).toEqual(['fintech-primary-astana', 'fintech-standby-almaty']);
    const primary = stacks['fintech-primary-astana'];
    expect(helmValues(primary, 'cluster')['kyc-biometrics'].residency).toEqual({
      dataClass: 'biometric',
      role: 'primary',
      site: 'kz-ast-bank',
    });
    expect(resourcesOf(primary, 'kubernetes_deployment_v1')).toHaveLength(0);
    expect(Object.keys(helmValues(primary, 'loki'))).toHaveLength(1);
    expect(resourcesOf(primary, 'kubernetes_cluster_role_binding_v1')).toHaveLength(1);
  });

  test('violations synthesizes the deliberate violations with raw resources', () => {
    const { stacks, sites } = synth('violations');
    const v = stacks.violations;
    expect(sites.map((s) => s.id)).toEqual(['hq-fra', 'kz-ala-1']);
    const releases = Object.fromEntries(resourcesOf(v, 'helm_release').map(([, r]) => [r.name, r]));
    expect(releases.customers.provider).toBe('helm.hq-fra');
    expect(releases['kyc-selfies-replica'].provider).toBe('helm.hq-fra');
    expect(at(helmValues(v, 'cluster').payments, 'backups', 'endpointURL')).toBe(
      'https://s3.fra.example.com',
    );
    expect(JSON.stringify(resourcesOf(v, 'kubernetes_config_map_v1'))).toContain('PrivateKey = ');
    const [, lb] = resourcesOf(v, 'kubernetes_service_v1')[0];
    expect([lb.provider, at(lb, 'spec', 'type')]).toEqual(['kubernetes.hq-fra', 'LoadBalancer']);
  });

  test('every CloudNativePG release of every example is accepted by the charts own values schema', () => {
    if (!SHARED_PRESENT) return console.warn('skipped: /work/shared/charts is absent');
    const cluster = chartValidator('cluster');
    const operator = chartValidator('cloudnative-pg');
    for (const { name } of EXAMPLES) {
      for (const [stack, doc] of Object.entries(synth(name).stacks)) {
        for (const [release, values] of Object.entries(helmValues(doc, 'cluster'))) {
          expect([name, stack, release, cluster?.(values) ? [] : cluster?.errors]).toEqual([
            name,
            stack,
            release,
            [],
          ]);
        }
        for (const [release, values] of Object.entries(helmValues(doc, 'cloudnative-pg'))) {
          expect([name, stack, release, operator?.(values) ? [] : operator?.errors]).toEqual([
            name,
            stack,
            release,
            [],
          ]);
        }
      }
    }
  });

  test.each(['law-firm', 'fintech-biometric'])(
    '%s passes the residency policies at synth (ResidencyGuard)',
    (name) => {
      const example = EXAMPLES.find((e) => e.name === name);
      const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), `kz-guard-${name}-`)) });
      example?.build(app);
      ResidencyGuard.of(app, { sites: path.join(ROOT, 'examples', name, 'sites.yaml') });
      expect(() => app.synth()).not.toThrow();
    },
    60_000,
  );

  test('violations is refused by the ResidencyGuard, naming rules and construct paths', () => {
    const example = EXAMPLES.find((e) => e.name === 'violations');
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'kz-guard-violations-')) });
    example?.build(app);
    ResidencyGuard.of(app, { sites: path.join(ROOT, 'examples', 'violations', 'sites.yaml') });
    expect(() => app.synth()).toThrow(/KZ-RES-001[\s\S]*violations\/primary-in-frankfurt/);
  }, 60_000);

  test('`npx cdktf synth` works in examples/law-firm without a terraform binary', () => {
    const cli = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
    if (!existsSync(cli)) return console.warn('skipped: cdktf-cli is not installed');
    const dir = path.join(ROOT, 'examples', 'law-firm');
    const run = spawnSync(cli, ['synth'], {
      cwd: dir,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1', FORCE_COLOR: '0' },
      encoding: 'utf8',
      timeout: 110_000,
    });
    expect([run.status, run.stderr.slice(-2000)]).toEqual([0, expect.any(String)]);
    expect(existsSync(path.join(dir, 'cdktf.out', 'sites.json'))).toBe(true);
    expect(existsSync(path.join(dir, 'cdktf.out', 'stacks', 'law-firm-primary-almaty', 'cdk.tf.json'))).toBe(
      true,
    );
  }, 120_000);
});
