/**
 * The loader and the provider resolution on every real plan in ../shared/plans/real/ (see its
 * SOURCE.md): each loads, every resource change gets its provider configuration resolved or an
 * `unresolved` reason, and the Kubernetes hosts are read as the files say.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPlanFile } from '../../plan/load';
import { resolveProviders, type ProviderResolution } from '../../plan/providers';
import { loadCheckInputs } from '../../plan/input';

const REAL = path.resolve(__dirname, '../..', '../shared/plans/real');
const present = fs.existsSync(REAL);
if (!present) console.warn(`test/plan/real-plans: skipped, ${REAL} is absent (a clone without the shared plans)`);
const describeReal = present ? describe : describe.skip;

function byAddress(rs: ProviderResolution[], address: string): ProviderResolution {
  const r = rs.find((x) => x.address === address);
  if (!r) throw new Error(`no resolution for ${address}`);
  return r;
}

describeReal('real plans', () => {
  const files = present ? fs.readdirSync(REAL).filter((f) => f.endsWith('.json')).sort() : [];
  const expected: Record<string, { version: string; changes: number }> = {
    'aws-aliased-provider-all-actions-necron99.json': { version: '1.2', changes: 219 },
    'eks-helm-kubernetes-andresb39.json': { version: '1.1', changes: 81 },
    'eks-helm-v3-provider-checks-tripleaze.json': { version: '1.2', changes: 89 },
    'eks-modules-helm-kubernetes-cyse7125.json': { version: '1.2', changes: 76 },
    'eks-noop-drift-helm-ekra97.json': { version: '1.2', changes: 63 },
    'kubernetes-only-config-path-demo-k8s.json': { version: '1.2', changes: 3 },
    'opentofu-equivalence-data-read.json': { version: '1.2', changes: 4 },
  };

  test('all seven files are there', () => {
    expect(files).toEqual(Object.keys(expected).sort());
  });

  test.each(Object.keys(expected))('%s loads, and every change is resolved or says why not', (f) => {
    const plan = loadPlanFile(path.join(REAL, f));
    expect(plan.format_version).toBe(expected[f].version);
    expect(plan.resource_changes).toHaveLength(expected[f].changes);
    const rs = resolveProviders(plan);
    expect(rs).toHaveLength(expected[f].changes);
    for (const r of rs) {
      if (r.status === 'resolved') {
        expect(plan.configuration?.provider_config?.[r.providerConfigKey ?? '']).toBeDefined();
        if (r.kubernetes) expect(r.host).toBeDefined();
      } else {
        expect(r.reason).toEqual(expect.any(String));
      }
    }
    // the real plans are all resolvable
    expect(rs.filter((r) => r.status === 'unresolved')).toEqual([]);
    // and load the same through the command's entry point
    const [input] = loadCheckInputs(path.join(REAL, f));
    expect(input.kind).toBe('plan');
    expect(input.plan.resource_changes).toHaveLength(expected[f].changes);
  });

  test('aliased provider (necron99): the two ACM certificates use aws.us_east_1', () => {
    const rs = resolveProviders(loadPlanFile(path.join(REAL, 'aws-aliased-provider-all-actions-necron99.json')));
    const aliased = rs.filter((r) => r.providerConfigKey === 'aws.us_east_1').map((r) => r.address);
    expect(aliased).toEqual(['aws_acm_certificate.staging_ssl_cert', 'aws_acm_certificate.wildcard']);
    expect(byAddress(rs, 'aws_acm_certificate.wildcard')).toMatchObject({ alias: 'us_east_1', providerLocalName: 'aws', kubernetes: false });
    expect(rs.filter((r) => r.kubernetes)).toEqual([]);
    const counts: Record<string, number> = {};
    for (const r of rs) counts[r.providerConfigKey ?? '?'] = (counts[r.providerConfigKey ?? '?'] ?? 0) + 1;
    expect(counts).toEqual({ aws: 201, 'aws.us_east_1': 2, archive: 2, null: 7, random: 7 });
  });

  test('kubernetes and helm v2 hosts from an EKS data source (andresb39)', () => {
    const rs = resolveProviders(loadPlanFile(path.join(REAL, 'eks-helm-kubernetes-andresb39.json')));
    const refs = ['data.aws_eks_cluster.cluster.endpoint', 'data.aws_eks_cluster.cluster'];
    expect(byAddress(rs, 'kubernetes_namespace.autoscaling')).toMatchObject({ providerConfigKey: 'kubernetes', kubernetes: true, host: { kind: 'reference', references: refs } });
    // helm v2: expressions.kubernetes[0].host
    expect(byAddress(rs, 'helm_release.autoscaling')).toMatchObject({ providerConfigKey: 'helm', host: { kind: 'reference', references: refs } });
    // a resource in a for_each module instance resolves to its module's provider key
    const ud = rs.filter((r) => r.address.startsWith('module.eks.module.eks_managed_node_group["worker"].module.user_data.'));
    for (const r of ud) expect(r.providerConfigKey).toBe('module.eks.module.eks_managed_node_group.module.user_data:cloudinit');
  });

  test('helm v3 one-expression kubernetes attribute (tripleaze): host unknown, references kept', () => {
    const rs = resolveProviders(loadPlanFile(path.join(REAL, 'eks-helm-v3-provider-checks-tripleaze.json')));
    const h = byAddress(rs, 'helm_release.aws_lbc');
    expect(h.providerConfigKey).toBe('helm');
    expect(h.host).toMatchObject({ kind: 'unknown', references: expect.arrayContaining(['module.eks.cluster_endpoint', 'module.eks']) });
    expect(byAddress(rs, 'module.rds.module.db_instance.random_id.snapshot_identifier[0]')).toMatchObject({ providerConfigKey: 'module.rds.module.db_instance:random' });
  });

  test('providers configured inside modules (cyse7125): host followed through the module variable', () => {
    const rs = resolveProviders(loadPlanFile(path.join(REAL, 'eks-modules-helm-kubernetes-cyse7125.json')));
    for (const a of ['module.k8s.kubernetes_config_map_v1_data.aws_auth_configmap', 'module.k8s.kubernetes_namespace.cve_consumer_app_ns', 'module.k8s.kubernetes_namespace.cve_processor_job_ns']) {
      expect(byAddress(rs, a)).toMatchObject({
        providerConfigKey: 'module.k8s:kubernetes',
        providerModule: 'module.k8s',
        host: { kind: 'reference', references: ['module.eks.cluster.endpoint', 'module.eks.cluster', 'module.eks'], via: ['module.k8s.var.eks_endpoint'] },
      });
    }
    // module.db declares helm and kubernetes without configuration: the host is absent
    expect(byAddress(rs, 'module.db.helm_release.postgresql')).toMatchObject({ providerConfigKey: 'module.db:helm', host: { kind: 'absent' } });
    expect(byAddress(rs, 'module.db.kubernetes_secret.postgresql')).toMatchObject({ providerConfigKey: 'module.db:kubernetes', host: { kind: 'absent' } });
  });

  test('inherited provider in a counted module (ekra97) resolves to the root configuration', () => {
    const rs = resolveProviders(loadPlanFile(path.join(REAL, 'eks-noop-drift-helm-ekra97.json')));
    expect(byAddress(rs, 'module.eks_auth.kubernetes_config_map_v1_data.aws_auth[0]')).toMatchObject({ providerConfigKey: 'kubernetes', host: { kind: 'reference' } });
    expect(rs.filter((r) => r.type === 'helm_release').map((r) => r.host?.kind)).toEqual(['reference', 'reference', 'reference']);
  });

  test('config_path only (demo-k8s): host absent, from the kubeconfig', () => {
    const rs = resolveProviders(loadPlanFile(path.join(REAL, 'kubernetes-only-config-path-demo-k8s.json')));
    expect(rs.map((r) => [r.address, r.host?.kind])).toEqual([
      ['kubernetes_deployment.demo', 'absent'],
      ['kubernetes_namespace.demo', 'absent'],
      ['kubernetes_secret.demo', 'absent'],
    ]);
    expect(rs[0].host).toMatchObject({ reason: expect.stringContaining('config_path') });
  });

  test('OpenTofu plan: registry.opentofu.org providers, module resource inherits the root provider', () => {
    const rs = resolveProviders(loadPlanFile(path.join(REAL, 'opentofu-equivalence-data-read.json')));
    expect(rs.map((r) => [r.address, r.providerConfigKey])).toEqual([
      ['data.tfcoremock_simple_resource.read', 'tfcoremock'],
      ['tfcoremock_simple_resource.create', 'tfcoremock'],
      ['module.create.local_file.data_file', 'local'],
      ['module.create.random_integer.random', 'random'],
    ]);
  });

  test('the HCP Terraform wrapper {"plan": …} loads the same plan', () => {
    const src = path.join(REAL, 'kubernetes-only-config-path-demo-k8s.json');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kz-plan-'));
    const wrapped = path.join(tmp, 'wrapped.json');
    fs.writeFileSync(wrapped, JSON.stringify({ plan: JSON.parse(fs.readFileSync(src, 'utf8')), run: { id: 'run-1' } }));
    expect(loadPlanFile(wrapped)).toEqual(loadPlanFile(src));
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
