/**
 * synthToPlan on real cdktf 0.21 synth output: small stacks written here (Testing.synth /
 * fullSynth), and the examples in examples/ synthesized into a temporary directory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing, TerraformStack, TerraformVariable, TerraformLocal, TerraformIterator } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { StatefulSetV1 } from '@cdktf/provider-kubernetes/lib/stateful-set-v1';
import { DataKubernetesNamespaceV1 } from '@cdktf/provider-kubernetes/lib/data-kubernetes-namespace-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { synthToPlan, providerFullName, type SynthNotes } from '../../plan/synth';
import { isPlanDocument, validatePlanDocument } from '../../plan/load';
import { resolveProviders, type ProviderResolution } from '../../plan/providers';
import { loadCheckInputs } from '../../plan/input';
import { loadSitesRegistry, siteForHost } from '../../plan/sites';
import type { PlanDocument, ResourceChange } from '../../plan/format';
import { cleanupTempDirs, inputErrorOf, tempDir } from './helpers';
import { templateReferences } from '../../plan/synth';

afterAll(cleanupTempDirs);

function buildStack(): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'kz');
  const hostVar = new TerraformVariable(stack, 'fra_host', { type: 'string', default: 'https://k8s.fra.example.com' });
  const replicas = new TerraformVariable(stack, 'replicas', { type: 'number' });
  const ala = new KubernetesProvider(stack, 'ala', { alias: 'kz-ala-1', host: 'https://k8s.ala.example.kz', configPath: '~/.kube/config' });
  const fra = new KubernetesProvider(stack, 'fra', { alias: 'hq-fra', host: hostVar.stringValue });
  new KubernetesProvider(stack, 'default', { configPath: '~/.kube/config' });
  const helm = new HelmProvider(stack, 'helm', { alias: 'kz-ala-1', kubernetes: { host: 'https://k8s.ala.example.kz', token: hostVar.stringValue } });
  const site = new TerraformLocal(stack, 'site', 'kz-ala-1');
  const ns = new NamespaceV1(stack, 'ns', { provider: ala, metadata: { name: 'clients', labels: { 'residency.kz/site': site.asString, 'residency.kz/data-class': 'personal' } } });
  new StatefulSetV1(stack, 'db', {
    provider: ala,
    metadata: { name: 'db', namespace: ns.metadata.name, labels: { 'residency.kz/role': 'primary' } },
    spec: {
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { container: [{ name: 'pg', image: 'postgres:16' }] } },
      volumeClaimTemplate: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'ala-ceph-encrypted', resources: { requests: { storage: '10Gi' } } } }],
    },
  });
  new Release(stack, 'pg', { provider: helm, name: 'pg', chart: 'cluster', repository: 'https://cloudnative-pg.github.io/charts', namespace: ns.metadata.name, values: [JSON.stringify({ residency: { dataClass: 'personal', role: 'primary', site: 'kz-ala-1' } })] });
  new Manifest(stack, 'cnpg', { provider: ala, manifest: { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'c', namespace: 'clients', labels: { 'residency.kz/site': 'kz-ala-1' } }, spec: { instances: 3 } } });
  const it = TerraformIterator.fromList(['a', 'b']);
  new NamespaceV1(stack, 'each', { provider: fra, forEach: it, metadata: { name: it.value, annotations: { lit: '$${not.a.ref}' } } });
  new NamespaceV1(stack, 'counted', { provider: fra, count: 2, metadata: { name: 'n' } });
  new NamespaceV1(stack, 'unknownCount', { provider: fra, count: replicas.numberValue, metadata: { name: 'u' } });
  const readNs = new DataKubernetesNamespaceV1(stack, 'existing', { provider: fra, metadata: { name: 'default' } });
  new DataKubernetesNamespaceV1(stack, 'after_apply', { provider: ala, metadata: { name: ns.metadata.name } });
  new NamespaceV1(stack, 'fromData', { metadata: { name: `${readNs.metadata.name}-copy` } });
  return stack;
}

describe('synthToPlan on a hand-written stack', () => {
  const stack = buildStack();
  const json: unknown = JSON.parse(Testing.synth(stack));
  const { plan } = synthToPlan(json, { file: 'cdk.tf.json' });
  const rc = (address: string): ResourceChange => {
    const c = plan.resource_changes?.find((x) => x.address === address);
    if (!c) throw new Error(`no change ${address}`);
    return c;
  };
  const resolutions = Object.fromEntries(resolveProviders(plan).map((r) => [r.address, r])) as Record<string, ProviderResolution>;

  test('the result is a plan the loader accepts', () => {
    expect(isPlanDocument(plan)).toBe(true);
    expect(() => validatePlanDocument(JSON.parse(JSON.stringify(plan)), 'x')).not.toThrow();
  });

  test('provider configurations: keys, full names, aliases, constants and references', () => {
    const pcs = plan.configuration?.provider_config ?? {};
    expect(Object.keys(pcs).sort()).toEqual(['helm', 'helm.kz-ala-1', 'kubernetes', 'kubernetes.hq-fra', 'kubernetes.kz-ala-1']);
    expect(pcs['kubernetes.kz-ala-1']).toEqual({
      name: 'kubernetes',
      full_name: 'registry.terraform.io/hashicorp/kubernetes',
      alias: 'kz-ala-1',
      version_constraint: '2.38.0',
      expressions: { host: { constant_value: 'https://k8s.ala.example.kz' }, config_path: { constant_value: '~/.kube/config' } },
    });
    expect(pcs['kubernetes.hq-fra'].expressions).toEqual({ host: { references: ['var.fra_host'] } });
    // helm's nested kubernetes object in block form keeps the constant host beside a referenced token
    expect(pcs['helm.kz-ala-1'].expressions).toEqual({ kubernetes: [{ host: { constant_value: 'https://k8s.ala.example.kz' }, token: { references: ['var.fra_host'] } }] });
    expect(pcs.kubernetes.expressions).toEqual({ config_path: { constant_value: '~/.kube/config' } });
  });

  test('provider resolution on the converted plan', () => {
    expect(resolutions['kubernetes_stateful_set_v1.db']).toMatchObject({ providerConfigKey: 'kubernetes.kz-ala-1', alias: 'kz-ala-1', host: { kind: 'constant', endpoint: 'https://k8s.ala.example.kz:443' } });
    expect(resolutions['helm_release.pg']).toMatchObject({ providerConfigKey: 'helm.kz-ala-1', host: { kind: 'constant', endpoint: 'https://k8s.ala.example.kz:443' } });
    // a root variable has no value in a synth output: the host stays a reference (fail closed)
    expect(resolutions['kubernetes_namespace_v1.counted[0]']).toMatchObject({ providerConfigKey: 'kubernetes.hq-fra', host: { kind: 'reference', references: ['var.fra_host'] } });
    expect(resolutions['kubernetes_namespace_v1.fromData']).toMatchObject({ providerConfigKey: 'kubernetes', host: { kind: 'absent' } });
    expect(Object.values(resolutions).every((r) => r.status === 'resolved')).toBe(true);
  });

  test('values: list blocks as arrays, references unknown, constant locals substituted', () => {
    const ns = rc('kubernetes_namespace_v1.ns');
    expect(ns.change).toEqual({
      actions: ['create'],
      before: null,
      after: { metadata: [{ name: 'clients', labels: { 'residency.kz/site': 'kz-ala-1', 'residency.kz/data-class': 'personal' } }] },
      after_unknown: {},
      before_sensitive: false,
      after_sensitive: {},
    });
    const db = rc('kubernetes_stateful_set_v1.db').change;
    expect(db.after).toMatchObject({
      metadata: [{ name: 'db', labels: { 'residency.kz/role': 'primary' } }],
      spec: [{ volume_claim_template: [{ metadata: [{ name: 'data' }], spec: [{ storage_class_name: 'ala-ceph-encrypted', resources: [{ requests: { storage: '10Gi' } }] }] }] }],
    });
    expect(db.after_unknown).toEqual({ metadata: [{ namespace: true }] });
    const pg = rc('helm_release.pg').change;
    expect(pg.after_unknown).toEqual({ namespace: true });
    expect(JSON.parse((pg.after as { values: string[] }).values[0])).toEqual({ residency: { dataClass: 'personal', role: 'primary', site: 'kz-ala-1' } });
    // kubernetes_manifest's manifest is an attribute: objects stay objects
    expect(rc('kubernetes_manifest.cnpg').change.after).toMatchObject({ manifest: { kind: 'Cluster', metadata: { labels: { 'residency.kz/site': 'kz-ala-1' } }, spec: { instances: 3 } } });
  });

  test('configuration expressions carry references as Terraform lists them', () => {
    const cr = plan.configuration?.root_module.resources?.find((r) => r.address === 'helm_release.pg');
    expect(cr).toMatchObject({ mode: 'managed', type: 'helm_release', name: 'pg', provider_config_key: 'helm.kz-ala-1' });
    expect(cr?.expressions?.namespace).toEqual({ references: ['kubernetes_namespace_v1.ns.metadata[0].name', 'kubernetes_namespace_v1.ns.metadata[0]', 'kubernetes_namespace_v1.ns.metadata', 'kubernetes_namespace_v1.ns'] });
    const ss = plan.configuration?.root_module.resources?.find((r) => r.address === 'kubernetes_stateful_set_v1.db');
    expect(Array.isArray(ss?.expressions?.metadata)).toBe(true);
  });

  test('count and for_each: literal instances expanded, unknown count kept as one unkeyed instance', () => {
    const addrs = (plan.resource_changes ?? []).map((c) => c.address);
    expect(addrs.filter((a) => a.startsWith('kubernetes_namespace_v1.each'))).toEqual(['kubernetes_namespace_v1.each["a"]', 'kubernetes_namespace_v1.each["b"]']);
    expect(rc('kubernetes_namespace_v1.each["b"]')).toMatchObject({ index: 'b', change: { after: { metadata: [{ name: 'b', annotations: { lit: '${not.a.ref}' } }] } } });
    expect(addrs.filter((a) => a.startsWith('kubernetes_namespace_v1.counted'))).toEqual(['kubernetes_namespace_v1.counted[0]', 'kubernetes_namespace_v1.counted[1]']);
    expect(rc('kubernetes_namespace_v1.counted[1]').index).toBe(1);
    expect(rc('kubernetes_namespace_v1.unknownCount').index).toBeUndefined();
    const notes = (plan as PlanDocument & { kz_synth: SynthNotes }).kz_synth;
    expect(notes.unknown_instances).toEqual(['kubernetes_namespace_v1.unknownCount']);
    expect(plan.complete).toBe(false);
  });

  test('data sources: read at plan time unless they wait for a managed resource', () => {
    expect(plan.resource_changes?.find((c) => c.address === 'data.kubernetes_namespace_v1.existing')).toBeUndefined();
    expect(rc('data.kubernetes_namespace_v1.after_apply')).toMatchObject({ mode: 'data', change: { actions: ['read'], after_unknown: { metadata: [{ name: true }] } } });
    expect(plan.configuration?.root_module.resources?.filter((r) => r.mode === 'data').map((r) => r.address)).toEqual(['data.kubernetes_namespace_v1.after_apply', 'data.kubernetes_namespace_v1.existing']);
    expect(rc('kubernetes_namespace_v1.fromData').change.after_unknown).toEqual({ metadata: [{ name: true }] });
  });

  test('variables are declared with their defaults, not treated as known values', () => {
    expect(plan.configuration?.root_module.variables).toEqual({ fra_host: { default: 'https://k8s.fra.example.com' }, replicas: {} });
    expect(plan.variables).toBeUndefined();
  });
});

describe('synth helpers and bad input', () => {
  test('providerFullName', () => {
    expect(providerFullName('kubernetes', 'kubernetes')).toBe('registry.terraform.io/hashicorp/kubernetes');
    expect(providerFullName('hashicorp/helm', 'helm')).toBe('registry.terraform.io/hashicorp/helm');
    expect(providerFullName('registry.opentofu.org/hashicorp/helm', 'helm')).toBe('registry.opentofu.org/hashicorp/helm');
    expect(providerFullName(undefined, 'kubectl')).toBe('registry.terraform.io/hashicorp/kubectl');
  });

  test('template references', () => {
    expect(templateReferences('${module.eks.cluster_endpoint}')).toEqual(['module.eks.cluster_endpoint', 'module.eks']);
    expect(templateReferences('${lower(var.name)}-${local.x}')).toEqual(['var.name', 'local.x']);
    expect(templateReferences('${data.aws_eks_cluster.c.endpoint}')).toEqual(['data.aws_eks_cluster.c.endpoint', 'data.aws_eks_cluster.c']);
    expect(templateReferences('$${var.not}')).toEqual([]);
    expect(templateReferences('${join(",", [for s in var.xs : s.id])}')).toEqual(['var.xs']);
  });

  test('hand-written cdk.tf.json: nested `alias`/`count` attributes are data, depends_on defers a data read, escapes and templates', () => {
    const { plan } = synthToPlan(
      {
        provider: { aws: [{ region: 'eu-central-1' }] },
        resource: {
          aws_route53_record: { www: { name: 'app.example.kz', type: 'A', zone_id: 'Z1', alias: { name: 'lb.example.com', zone_id: 'Z2', evaluate_target_health: true } } },
          kubernetes_namespace_v1: { ns: { metadata: { name: 'x', labels: { count: '3', fn: '${lower("A")}', pct: '%%{not} a directive', dir: '%{if true}x%{endif}' } } } },
        },
        data: { kubernetes_namespace_v1: { later: { metadata: { name: 'x' }, depends_on: ['kubernetes_namespace_v1.ns'] } } },
      },
      { file: 'cdk.tf.json' },
    );
    const www = plan.configuration?.root_module.resources?.find((r) => r.address === 'aws_route53_record.www');
    expect(www?.provider_config_key).toBe('aws');
    expect(www?.expressions?.alias).toEqual({ constant_value: { name: 'lb.example.com', zone_id: 'Z2', evaluate_target_health: true } });
    expect(plan.resource_changes?.[0].change.after).toMatchObject({ alias: { name: 'lb.example.com' } });
    const ns = plan.resource_changes?.find((c) => c.address === 'kubernetes_namespace_v1.ns');
    expect(ns?.change.after).toEqual({ metadata: [{ name: 'x', labels: { count: '3', pct: '%{not} a directive' } }] });
    expect(ns?.change.after_unknown).toEqual({ metadata: [{ labels: { fn: true, dir: true } }] });
    // a function of literals is neither constant nor a reference in the configuration
    const nsCfg = plan.configuration?.root_module.resources?.find((r) => r.address === 'kubernetes_namespace_v1.ns');
    expect(nsCfg?.expressions?.metadata).toEqual([{ name: { constant_value: 'x' }, labels: {} }]);
    expect(plan.resource_changes?.find((c) => c.address === 'data.kubernetes_namespace_v1.later')).toMatchObject({ change: { actions: ['read'] } });
    expect(plan.configuration?.provider_config?.kubernetes).toEqual({ name: 'kubernetes', full_name: 'registry.terraform.io/hashicorp/kubernetes' });
  });

  test('module calls (TerraformHclModule): inputs and providers map recorded, contents noted as opaque', () => {
    const { plan } = synthToPlan(
      {
        provider: { kubernetes: [{ alias: 'kz', host: 'https://k8s.ala.example.kz' }] },
        module: { db: { source: './modules/db', version: '1.2.0', namespace: 'clients', endpoint: '${var.x}', providers: { kubernetes: 'kubernetes.kz' } } },
        resource: { kubernetes_namespace_v1: { ns: { provider: 'kubernetes.kz', metadata: { name: 'x' } } } },
      },
      { file: 'cdk.tf.json' },
    );
    expect(plan.configuration?.root_module.module_calls).toEqual({
      db: {
        source: './modules/db',
        version_constraint: '1.2.0',
        expressions: { namespace: { constant_value: 'clients' }, endpoint: { references: ['var.x'] } },
        providers: { kubernetes: 'kubernetes.kz' },
        module: {},
      },
    });
    expect((plan as PlanDocument & { kz_synth: SynthNotes }).kz_synth.opaque_modules).toEqual(['module.db']);
    expect(plan.complete).toBe(false);
  });

  test('not a synth output', () => {
    expect(inputErrorOf(() => synthToPlan([], { file: 'a.json' })).message).toBe('a.json: not a cdktf synth output: expected a JSON object');
    expect(inputErrorOf(() => synthToPlan({ sites: [] }, { file: 'a.json' })).message).toBe('a.json: not a cdktf synth output (cdk.tf.json): it has none of the keys resource, data, provider, terraform, module');
    expect(inputErrorOf(() => synthToPlan({ resource: { kubernetes_namespace_v1: { a: 1 } } }, { file: 'a.json' })).message).toBe('a.json: resource.kubernetes_namespace_v1.a: expected an object');
    expect(inputErrorOf(() => synthToPlan({ provider: { kubernetes: [{}, {}] } }, { file: 'a.json' })).message).toBe('a.json: provider.kubernetes[1]: duplicate provider configuration kubernetes');
  });
});

describe('construct paths and cdktf.out directories (Testing.fullSynth)', () => {
  test('every change keeps its construct path; stack dir, file and outdir give the same input', () => {
    const out = Testing.fullSynth(buildStack());
    try {
      const [fromOut] = loadCheckInputs(out);
      expect(fromOut).toMatchObject({ name: 'kz', kind: 'synth', file: path.join(out, 'stacks', 'kz', 'cdk.tf.json') });
      expect(fromOut.sitesFile).toBeUndefined();
      for (const c of fromOut.plan.resource_changes ?? []) expect(fromOut.constructPaths[c.address]).toMatch(/^kz\//);
      expect(fromOut.constructPaths['kubernetes_stateful_set_v1.db']).toBe('kz/db');
      expect(fromOut.constructPaths['kubernetes_namespace_v1.each["a"]']).toBe('kz/each');
      expect(fromOut.constructPaths['data.kubernetes_namespace_v1.existing']).toBe('kz/existing');
      const [fromDir] = loadCheckInputs(path.join(out, 'stacks', 'kz'));
      const [fromFile] = loadCheckInputs(path.join(out, 'stacks', 'kz', 'cdk.tf.json'));
      expect(fromDir).toEqual(fromOut);
      expect(fromFile).toEqual(fromOut);
      // a sites.json beside the manifest is picked up
      fs.writeFileSync(path.join(out, 'sites.json'), JSON.stringify({ sites: [] }));
      expect(loadCheckInputs(out)[0].sitesFile).toBe(path.join(out, 'sites.json'));
      expect(loadCheckInputs(path.join(out, 'stacks', 'kz'))[0].sitesFile).toBe(path.join(out, 'sites.json'));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('the examples (examples/*, synthesized into a temporary directory)', () => {
  type SynthAll = { EXAMPLES: ReadonlyArray<{ name: string }>; synthExample: (name: string, outdir?: string) => string };
  let mod: SynthAll | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('../../examples/synth-all') as SynthAll;
  } catch (e) {
    console.warn(`test/plan/synth: examples skipped, examples/synth-all could not be loaded: ${(e as Error).message}`);
  }
  const names = mod ? mod.EXAMPLES.map((e) => e.name) : [];
  (mod ? test.each(names) : test.skip.each(['none']))('%s: every stack converts, every change resolves and keeps its construct path', (name) => {
    const out = mod!.synthExample(name, path.join(tempDir(), 'cdktf.out'));
    const inputs = loadCheckInputs(out);
    expect(inputs.length).toBeGreaterThan(0);
    for (const input of inputs) {
      expect(input.kind).toBe('synth');
      expect(input.sitesFile).toBe(path.join(out, 'sites.json'));
      const registry = loadSitesRegistry(input.sitesFile!);
      expect(isPlanDocument(input.plan)).toBe(true);
      for (const c of input.plan.resource_changes ?? []) expect(input.constructPaths[c.address]).toEqual(expect.stringContaining('/'));
      for (const r of resolveProviders(input.plan)) {
        expect(r.status).toBe('resolved');
        if (r.kubernetes && r.host?.kind === 'constant' && name !== 'violations') {
          // the good examples only use registered clusters
          expect(siteForHost(registry, r.host.value)).toBeDefined();
        }
      }
    }
  });
});
