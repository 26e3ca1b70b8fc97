/**
 * One deployment, one judgment: a store added to the HQ stack of the law firm is not told "no DPO
 * contact" or "no kill switch" when the primary stack of the same deployment declares both — the
 * stacks of a cdktf.out (or several inputs given together) are merged into one document
 * (plan/deployment.ts) — while each resource is still judged where it is. And the merge itself:
 * names of different inputs cannot collide, references and providers keep resolving, the
 * policies' messages get their names back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StatefulSetV1 } from '@cdktf/provider-kubernetes/lib/stateful-set-v1';
import { App, TerraformStack } from 'cdktf';
import { runCheck, loadPolicyPack } from '../../cli/check';
import { combineDeployment } from '../../plan/deployment';
import type { PlanDocument } from '../../plan/format';
import { ForeignSite, KzSite, LABELS, PrimaryDataStore, SiteProviders } from '../../index';
import { buildLawFirm } from '../../examples/law-firm/main';
import { ROOT, kz } from './helpers';

const SITES = path.join(ROOT, 'examples/law-firm/sites.yaml');
const NOW = '2026-11-23';

describe('a store added to the HQ stack', () => {
  let tmp = '';
  let out = '';
  const pack = loadPolicyPack();
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'kz-deployment-'));
    out = path.join(tmp, 'cdktf.out');
    const app = new App({ outdir: out });
    const deployment = buildLawFirm(app);
    const almaty = KzSite.fromRegistry(SITES, 'kz-ala-1');
    new PrimaryDataStore(deployment.hq!, 'crm', {
      site: almaty,
      dataClass: 'personal',
      purpose: 'Client relationship management',
      dataCategories: ['contact'],
      consentSource: 'eGov',
    });
    app.synth();
  }, 120_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test('judged alone, its stack lacks the deployment facts (what a per-stack check said)', async () => {
    const hq = path.join(out, 'stacks', 'law-firm-hq-hq-fra');
    const { result } = await runCheck({ targets: [hq], sites: SITES, now: NOW, pack });
    expect(result.deny.map((f) => f.rule).sort()).toEqual(['KZ-AUD-002', 'KZ-AUD-003', 'KZ-GOV-002']);
  });

  test('judged with the rest of the cdktf.out, the DPO, kill switch, regulator access and audit sink of the primary stack count', async () => {
    const { result } = await runCheck({ targets: [out], sites: SITES, now: NOW, pack });
    expect(result.deny).toEqual([]);
    expect(result.summary.inputs.map((i) => i.name)).toEqual(['law-firm-hq-hq-fra', 'law-firm-primary-almaty', 'law-firm-standby-astana']);
  });

  test('the same with the stack files given one by one on the command line', () => {
    const files = ['law-firm-hq-hq-fra', 'law-firm-primary-almaty', 'law-firm-standby-astana'].map((s) => path.join(out, 'stacks', s, 'cdk.tf.json'));
    const r = kz(['check', ...files, '--sites', SITES, '--now', NOW, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('per resource, each store is still judged where it is: a personal primary on the HQ cluster is denied', async () => {
    const dir = path.join(tmp, 'abroad');
    const app = new App({ outdir: dir });
    const deployment = buildLawFirm(app);
    const hq = deployment.hq as TerraformStack;
    const fra = SiteProviders.of(hq, ForeignSite.fromRegistry(SITES, 'hq-fra'));
    new StatefulSetV1(hq, 'shadow-crm', {
      provider: fra.kubernetes,
      metadata: { name: 'shadow-crm', labels: { [LABELS.dataClass]: 'personal', [LABELS.role]: 'primary', [LABELS.site]: 'hq-fra' } },
      spec: {
        serviceName: 'shadow-crm',
        selector: { matchLabels: { app: 'crm' } },
        template: { metadata: { labels: { app: 'crm' } }, spec: { container: [{ name: 'pg', image: 'postgres:16' }] } },
        volumeClaimTemplate: [
          { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fra-encrypted', resources: { requests: { storage: '10Gi' } } } },
        ],
      },
    });
    app.synth();
    const { result } = await runCheck({ targets: [dir], sites: SITES, now: NOW, pack });
    const res001 = result.deny.filter((f) => f.rule === 'KZ-RES-001');
    expect(res001.map((f) => f.resource)).toEqual(['law-firm-hq-hq-fra/shadow-crm']);
    // its deployment-level facts come from the primary stack: no GOV-002 for it
    expect(result.deny.map((f) => f.rule)).not.toContain('KZ-GOV-002');
  });
});

/** A minimal plan of one input: a provider with a host from a variable, a module that inherits it, an output. */
function plan(host: string): PlanDocument {
  return {
    format_version: '1.2',
    variables: { host: { value: host } },
    planned_values: {
      root_module: {
        resources: [{ address: 'kubernetes_namespace_v1.ns', mode: 'managed', type: 'kubernetes_namespace_v1', name: 'ns', values: { metadata: [{ name: 'a' }] } }],
        child_modules: [
          {
            address: 'module.db',
            resources: [{ address: 'module.db.helm_release.pg', mode: 'managed', type: 'helm_release', name: 'pg', values: {} }],
          },
        ],
      },
    },
    resource_changes: [
      { address: 'kubernetes_namespace_v1.ns', mode: 'managed', type: 'kubernetes_namespace_v1', name: 'ns', change: { actions: ['create'], before: null, after: {} } },
      { address: 'module.db.helm_release.pg', module_address: 'module.db', mode: 'managed', type: 'helm_release', name: 'pg', change: { actions: ['create'], before: null, after: {} } },
    ],
    configuration: {
      provider_config: { kubernetes: { name: 'kubernetes', expressions: { host: { references: ['var.host'] } } } },
      root_module: {
        variables: { host: {} },
        resources: [{ address: 'kubernetes_namespace_v1.ns', mode: 'managed', type: 'kubernetes_namespace_v1', name: 'ns', provider_config_key: 'kubernetes', expressions: { metadata: [{ name: { constant_value: 'a' } }] } }],
        module_calls: { db: { source: './db', module: { resources: [{ address: 'helm_release.pg', mode: 'managed', type: 'helm_release', name: 'pg', provider_config_key: 'db:helm' }] } } },
        outputs: { ns: { expression: { references: ['kubernetes_namespace_v1.ns.id', 'kubernetes_namespace_v1.ns'] } } },
      },
    },
  };
}

describe('combineDeployment', () => {
  test('one input is used as it is', () => {
    const p = plan('https://a');
    const c = combineDeployment([{ name: 'a', plan: p }]);
    expect(c.plan).toBe(p);
    expect(c.addressOf(0, 'kubernetes_namespace_v1.ns')).toBe('kubernetes_namespace_v1.ns');
  });

  test('two inputs with the same names stay apart; references, providers and variables follow', () => {
    const c = combineDeployment([
      { name: 'a', plan: plan('https://a') },
      { name: 'b', plan: plan('https://b') },
    ]);
    const d = c.plan;
    expect(d.resource_changes?.map((r) => r.address)).toEqual([
      'kubernetes_namespace_v1.kz0__ns',
      'module.kz0__db.helm_release.pg',
      'kubernetes_namespace_v1.kz1__ns',
      'module.kz1__db.helm_release.pg',
    ]);
    expect(d.resource_changes?.[1].module_address).toBe('module.kz0__db');
    expect(d.variables).toEqual({ kz0__host: { value: 'https://a' }, kz1__host: { value: 'https://b' } });
    const pc = d.configuration?.provider_config ?? {};
    expect(Object.keys(pc).sort()).toEqual(['kubernetes.kz0___', 'kubernetes.kz1___']);
    expect(pc['kubernetes.kz1___']).toMatchObject({ alias: 'kz1___', expressions: { host: { references: ['var.kz1__host'] } } });
    const root = d.configuration?.root_module;
    expect(root?.resources?.[1]).toMatchObject({ address: 'kubernetes_namespace_v1.kz1__ns', name: 'kz1__ns', provider_config_key: 'kubernetes.kz1___' });
    // a module that inherited the default provider is given it explicitly, as Terraform's providers map would
    expect(root?.module_calls?.kz1__db.providers).toEqual({ kubernetes: 'kubernetes.kz1___' });
    expect(root?.module_calls?.kz1__db.module.resources?.[0].provider_config_key).toBe('kz1__db:helm');
    expect(root?.outputs?.kz1__ns.expression?.references).toEqual(['kubernetes_namespace_v1.kz1__ns.id', 'kubernetes_namespace_v1.kz1__ns']);
    expect(c.origin.get('module.kz1__db.helm_release.pg')).toEqual({ input: 1, address: 'module.db.helm_release.pg' });
    expect(c.restoreNames('host var.kz1__host of kubernetes.kz1___ and module.kz1__db.helm_release.pg')).toBe('host var.host of kubernetes and module.db.helm_release.pg');
  });
});
