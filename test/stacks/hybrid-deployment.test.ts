import { Testing, TerraformStack } from 'cdktf';
import * as path from 'node:path';
import { EgressLockdown, ForeignSite, KzSite, LABELS, loadSites } from '../../constructs';
import { HybridDeployment, type HybridDeploymentProps } from '../../stacks';
import { buildLawFirm } from '../../examples/law-firm/main';
import {
  almaty,
  astana,
  at,
  allResources,
  frankfurt,
  helmValues,
  resourcesOf,
  synthDoc,
  type SynthDoc,
} from '../constructs/fixtures';

function docs(dep: HybridDeployment): { primary: SynthDoc; standby?: SynthDoc; hq?: SynthDoc } {
  return {
    primary: synthDoc(dep.primary),
    standby: dep.standby ? synthDoc(dep.standby) : undefined,
    hq: dep.hq ? synthDoc(dep.hq) : undefined,
  };
}

/** Every object carries the three labels, and its site label agrees with its provider's alias. */
function expectLabelledOnItsSite(doc: SynthDoc): void {
  for (const { type, name, body } of allResources(doc)) {
    const alias = String(body.provider).split('.')[1];
    if (type === 'helm_release') {
      const values = JSON.parse((body.values as string[])[0]) as { residency?: { site: string } };
      // a release that is not a store (the Barman Cloud plugin) is classified by its namespace's labels
      const namespace = resourcesOf(doc, 'kubernetes_namespace_v1').find(
        ([, ns]) => at(ns, 'metadata', 'name') === body.namespace,
      )?.[1];
      const site = values.residency?.site ?? (at(namespace, 'metadata', 'labels', LABELS.site) as string);
      expect([name, site]).toEqual([name, alias]);
      continue;
    }
    const labels = at(body, 'metadata', 'labels') as Record<string, string> | undefined;
    expect([type, name, labels?.[LABELS.site]]).toEqual([type, name, alias]);
    expect(labels?.[LABELS.dataClass]).toBeDefined();
    expect(labels?.[LABELS.role]).toBeDefined();
  }
}

describe('law-firm: HybridDeployment Almaty primary, Astana standby, case data to Frankfurt over GOST TLS', () => {
  const app = Testing.app();
  const dep = buildLawFirm(app);
  const d = docs(dep);

  test('composes three stacks, each on its own site provider only', () => {
    const stacks = app.node.children
      .filter((c): c is TerraformStack => c !== dep && 'synthesizer' in c)
      .map((s) => s.node.id);
    expect(stacks.sort()).toEqual([
      'law-firm-hq-hq-fra',
      'law-firm-primary-almaty',
      'law-firm-standby-astana',
    ]);
    const registry = loadSites(path.join(__dirname, '../../examples/law-firm/sites.yaml'));
    const ca = (id: string) => registry.find((s) => s.id === id)?.clusterCa;
    expect(at(d.primary.provider, 'kubernetes')).toEqual([
      {
        alias: 'kz-ala-1',
        host: 'https://k8s.ala.lawfirm.example.kz',
        cluster_ca_certificate: ca('kz-ala-1'),
        config_context: 'lawfirm-ala-deployer',
      },
    ]);
    expect(at(d.primary.provider, 'helm', 0, 'kubernetes')).toEqual({
      host: 'https://k8s.ala.lawfirm.example.kz',
      cluster_ca_certificate: ca('kz-ala-1'),
      config_context: 'lawfirm-ala-deployer',
    });
    // each site its own credentials: an exec plugin in Astana, another context in Frankfurt
    expect(at(d.standby?.provider, 'kubernetes', 0)).toMatchObject({
      alias: 'kz-ast-1',
      host: 'https://k8s.ast.lawfirm.example.kz',
      cluster_ca_certificate: ca('kz-ast-1'),
      exec: [expect.objectContaining({ command: 'kubelogin', api_version: 'client.authentication.k8s.io/v1' })],
    });
    expect(at(d.standby?.provider, 'kubernetes', 0, 'config_context')).toBeUndefined();
    expect(at(d.hq?.provider, 'kubernetes', 0)).toMatchObject({
      alias: 'hq-fra',
      host: 'https://k8s.fra.lawfirm.example.com',
      config_context: 'lawfirm-fra-deployer',
    });
    expect(ca('kz-ala-1')).not.toEqual(ca('kz-ast-1'));
  });

  test('every object carries the three residency labels and sits on the site its label claims', () => {
    expectLabelledOnItsSite(d.primary);
    if (d.standby) expectLabelledOnItsSite(d.standby);
    if (d.hq) expectLabelledOnItsSite(d.hq);
  });

  test('the golden record of client files is in Almaty, with standby in Astana', () => {
    const clients = helmValues(d.primary, 'cluster').clients;
    expect(clients.residency).toEqual({ dataClass: 'personal', role: 'primary', site: 'kz-ala-1' });
    expect(at(clients, 'cluster', 'storage', 'storageClass')).toBe('ala-ceph-encrypted');
    expect(at(clients, 'backups', 'endpointURL')).toBe('https://s3.ala.lawfirm.example.kz');
    expect(at(clients, 'cluster', 'roles', 0, 'name')).toBe('kz_auditor');
    const standby = helmValues(d.standby as SynthDoc, 'cluster')['clients-standby'];
    expect(standby.residency).toEqual({ dataClass: 'personal', role: 'standby', site: 'kz-ast-1' });
  });

  test('only case data reaches Frankfurt, through a GOST TLS tunnel, into a CNPG replica cluster', () => {
    const hq = d.hq as SynthDoc;
    const classes = allResources(hq).map(({ type, body }) =>
      type === 'helm_release'
        ? ((JSON.parse((body.values as string[])[0]) as { residency?: { dataClass: string } }).residency
            ?.dataClass ??
          (at(
            resourcesOf(hq, 'kubernetes_namespace_v1').find(([, ns]) => at(ns, 'metadata', 'name') === body.namespace)?.[1],
            'metadata',
            'labels',
            LABELS.dataClass,
          ) as string))
        : (at(body, 'metadata', 'labels', LABELS.dataClass) as string),
    );
    expect(new Set(classes)).toEqual(new Set(['case']));
    const replica = helmValues(hq, 'cluster')['matters-replica'];
    expect(replica.mode).toBe('replica');
    expect(at(replica, 'replica', 'origin', 'pg_basebackup')).toMatchObject({
      host: 'hq-matters-local.hq-matters-gateway.svc',
      port: 5432,
      username: 'streaming_replica',
      sslMode: 'verify-full',
    });
    expect(at(replica, 'cluster', 'annotations', 'residency.kz/tunnel-profile')).toBe('gost-tls');
    // the Frankfurt gateway dials the Almaty gateway; the Almaty gateway connects to the primary only
    const [, hqConfig] = resourcesOf(hq, 'kubernetes_config_map_v1')[0];
    expect(String(at(hqConfig, 'data', 'stunnel.conf'))).toContain('engine = gost');
    expect(String(at(hqConfig, 'data', 'stunnel.conf'))).toContain(
      'connect = tunnel.ala.lawfirm.example.kz:8443',
    );
    const [, kzConfig] = resourcesOf(d.primary, 'kubernetes_config_map_v1').find(
      ([, c]) => at(c, 'metadata', 'name') === 'hq-matters-kz-config',
    ) ?? [undefined, undefined];
    expect(String(at(kzConfig, 'data', 'stunnel.conf'))).toContain('connect = matters-rw.matters.svc:5432');
  });

  test('databases admit their instances, the operator, their namespace and (matters) the tunnel gateway', () => {
    const ingress = Object.fromEntries(
      resourcesOf(d.primary, 'kubernetes_network_policy_v1')
        .filter(([, p]) => String(at(p, 'metadata', 'name')).endsWith('-ingress'))
        .map(([, p]) => [at(p, 'metadata', 'name'), JSON.stringify(at(p, 'spec', 'ingress'))]),
    );
    expect(Object.keys(ingress).sort()).toEqual([
      'clients-ingress',
      'hq-matters-kz-gateway-ingress',
      'matters-ingress',
    ]);
    for (const db of ['clients-ingress', 'matters-ingress']) {
      expect(ingress[db]).toContain('"kubernetes.io/metadata.name":"cnpg-system"');
    }
    expect(ingress['clients-ingress']).not.toContain('residency.kz/tunnel');
    expect(ingress['matters-ingress']).toContain('"residency.kz/tunnel":"hq-matters"');
  });

  test('every namespace holding or receiving personal data is locked down to exactly DNS, the API server, object storage and the tunnel', () => {
    const byNamespace = Object.fromEntries(
      app.node
        .findAll()
        .filter((c): c is EgressLockdown => c instanceof EgressLockdown)
        .map((l) => [`${TerraformStack.of(l).node.id}:${l.namespace}`, { exits: l.exits }]),
    );
    expect(Object.fromEntries(Object.entries(byNamespace).map(([k, v]) => [k, v.exits]))).toEqual({
      'law-firm-primary-almaty:clients': ['dns', 'namespace', 'api-server', 'object-storage:kz-ala-1'],
      'law-firm-primary-almaty:matters': ['dns', 'namespace', 'api-server', 'object-storage:kz-ala-1'],
      // gost-tls: the HQ gateway opens the tunnel, so the kz gateway's only exit is the primary it forwards from
      'law-firm-primary-almaty:hq-matters-gateway': ['dns', 'namespace', 'peer:matters'],
      'law-firm-primary-almaty:kz-audit': ['dns', 'namespace', 'api-server'],
      'law-firm-primary-almaty:portal': ['dns', 'namespace', 'peer:clients', 'peer:matters'],
      'law-firm-standby-astana:clients': ['dns', 'namespace', 'api-server', 'object-storage:kz-ast-1', 'object-storage:kz-ala-1'],
      'law-firm-standby-astana:kz-audit': ['dns', 'namespace', 'api-server'],
    });
    // the synthesized policies say the same: each exit one rule, addresses from the registry
    const clients = resourcesOf(d.primary, 'kubernetes_network_policy_v1').find(([, p]) => at(p, 'metadata', 'namespace') === 'clients')?.[1];
    expect(JSON.stringify(at(clients, 'spec', 'egress'))).not.toContain('residency.kz/tunnel');
    expect(at(clients, 'spec', 'egress', 2)).toEqual({
      to: ['10.20.0.10/32', '10.20.0.11/32', '10.20.0.12/32'].map((cidr) => ({ ip_block: { cidr } })),
      ports: [{ port: '6443', protocol: 'TCP' }],
    });
    expect(at(clients, 'spec', 'egress', 3)).toEqual({ to: [{ ip_block: { cidr: '10.20.40.0/28' } }], ports: [{ port: '443', protocol: 'TCP' }] });
    const gateway = resourcesOf(d.primary, 'kubernetes_network_policy_v1').find(
      ([, p]) => at(p, 'metadata', 'namespace') === 'hq-matters-gateway' && at(p, 'spec', 'policy_types', 0) === 'Egress',
    )?.[1];
    expect(at(gateway, 'spec', 'egress', 2)).toEqual({
      to: [
        {
          namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'matters' } },
          pod_selector: { match_labels: { 'cnpg.io/cluster': 'matters', 'cnpg.io/instanceRole': 'primary' } },
        },
      ],
      ports: [{ port: '5432', protocol: 'TCP' }],
    });
    for (const doc of [d.primary, d.standby as SynthDoc]) {
      for (const [, p] of resourcesOf(doc, 'kubernetes_network_policy_v1')) {
        expect(JSON.stringify(at(p, 'spec', 'egress') ?? [])).not.toContain('0.0.0.0/0');
      }
    }
  });

  test('each stack outputs the Secrets, images and platform components it expects', () => {
    const out = (doc: SynthDoc) => (doc as unknown as { output: { prerequisites: { value: Array<Record<string, unknown>> } } }).output.prerequisites.value;
    const secrets = (doc: SynthDoc) => out(doc).filter((p) => p.kind === 'secret').map((p) => `${String(p.namespace)}/${String(p.name)}`);
    expect(secrets(d.primary)).toEqual([
      'clients/clients-backup-credentials',
      'clients/kz-auditor-credentials',
      'hq-matters-gateway/hq-matters-kz-keys',
      'kz-audit/kz-audit-collector-credentials',
      'kz-audit/kz-audit-gateway-htpasswd',
      'kz-audit/kz-audit-log-sink-tls',
      'kz-audit/kz-audit-minio-env-configuration',
      'kz-audit/kz-audit-storage-credentials',
      'matters/matters-backup-credentials',
      'portal/first-touch-tls',
    ]);
    expect(secrets(d.standby as SynthDoc)).toContain('clients/clients-backup-credentials');
    expect(secrets(d.standby as SynthDoc)).toContain('clients/clients-standby-backup-credentials');
    expect(secrets(d.hq as SynthDoc)).toContain('hq-matters-gateway/hq-matters-hq-keys');
    expect(out(d.primary).find((p) => p.name === 'hq-matters-kz-keys')?.keys).toEqual(['tls.crt', 'tls.key', 'ca.crt']);
    expect(out(d.primary).filter((p) => p.kind === 'platform').map((p) => p.name)).toContain('cert-manager');
    expect(out(d.primary).filter((p) => p.kind === 'image').map((p) => p.name)).toContainEqual(expect.stringMatching(/^ghcr\.io\/cloudnative-pg\/postgresql:16.*@sha256:/));
  });

  test('declares the DPO, an audit trail at both Kazakh sites, regulator access and first-touch ingress in Almaty', () => {
    const [, gov] =
      resourcesOf(d.primary, 'kubernetes_config_map_v1').find(
        ([, c]) => at(c, 'metadata', 'name') === 'kz-residency-governance',
      ) ?? [];
    expect(at(gov, 'data', 'dpoContact')).toBe('dpo@lawfirm.example.kz');
    expect(Object.keys(helmValues(d.primary, 'loki'))).toEqual(['kz-audit-loki']);
    expect(Object.keys(helmValues(d.standby as SynthDoc, 'fluent-bit'))).toEqual(['kz-audit-collector']);
    expect(resourcesOf(d.primary, 'kubernetes_cluster_role_binding_v1')).toHaveLength(1);
    const [, ingress] = resourcesOf(d.primary, 'kubernetes_ingress_v1')[0];
    expect(at(ingress, 'spec', 'tls', 0, 'hosts')).toEqual(['portal.lawfirm.example.kz']);
  });
});

function app2Lockdowns(dep: HybridDeployment): EgressLockdown[] {
  return dep.primary.node.findAll().filter((c): c is EgressLockdown => c instanceof EgressLockdown);
}

const base: HybridDeploymentProps = {
  primaryCity: 'Astana',
  kzSites: { almaty, astana },
  dpoContact: 'dpo@example.kz',
  crossBorder: 'suspended',
  stores: [
    {
      name: 'customers',
      dataClass: 'personal',
      purpose: 'accounts',
      dataCategories: ['identity'],
      consentSource: 'eGov',
      replicateToHq: true,
    },
  ],
  hq: {
    site: frankfurt,
    endpointHost: 'tunnel.fra.example.com',
    tunnelProfile: 'wireguard',
    transferAgreement: 'SCC-1',
    legalBasis: 'consent',
  },
};

describe('HybridDeployment from one description', () => {
  test('Astana primary, Almaty standby, wireguard tunnel suspended by the kill switch', () => {
    const dep = new HybridDeployment(Testing.app(), 'x', base);
    expect(dep.primary.node.id).toBe('x-primary-astana');
    expect(dep.standby?.node.id).toBe('x-standby-almaty');
    const d = docs(dep);
    for (const doc of [d.primary, d.hq as SynthDoc]) {
      const [, gw] = resourcesOf(doc, 'kubernetes_deployment_v1')[0];
      expect(at(gw, 'spec', 'replicas')).toBe('0');
    }
    const replica = helmValues(d.hq as SynthDoc, 'cluster')['customers-replica'];
    expect(at(replica, 'cluster', 'annotations', 'residency.kz/transfer-agreement')).toBe('SCC-1');
    const [, lockdown] =
      resourcesOf(d.primary, 'kubernetes_network_policy_v1').find(
        ([, p]) => at(p, 'metadata', 'namespace') === 'customers' && at(p, 'spec', 'policy_types', 0) === 'Egress',
      ) ?? [];
    expect(JSON.stringify(at(lockdown, 'spec', 'egress'))).not.toContain('residency.kz/tunnel');
    const [, dbIngress] = resourcesOf(d.primary, 'kubernetes_network_policy_v1').find(
      ([, p]) => at(p, 'metadata', 'name') === 'customers-ingress',
    ) ?? [undefined, undefined];
    expect(JSON.stringify(at(dbIngress, 'spec', 'ingress'))).not.toContain('residency.kz/tunnel');
    expect(at(dbIngress, 'metadata', 'annotations', 'residency.kz/cross-border')).toBe('suspended');
    // the kill switch: no lockdown of the deployment, in either Kazakh city, has an exit across the
    // border or to a gateway, and the kz gateway's namespace keeps only DNS and itself
    for (const doc of [d.primary, d.standby as SynthDoc]) {
      for (const [, p] of resourcesOf(doc, 'kubernetes_network_policy_v1')) {
        const egress = JSON.stringify(at(p, 'spec', 'egress') ?? []);
        expect(egress).not.toContain('residency.kz/tunnel');
        expect(egress).not.toContain('203.0.113.10/32');
      }
    }
    const gatewayLock = app2Lockdowns(dep).find((l) => l.namespace === 'hq-customers-gateway');
    expect(gatewayLock?.exits).toEqual(['dns', 'namespace']);
  });

  test('wireguard, active: the kz gateway opens the tunnel, so its namespace may reach the HQ tunnel endpoint, and only that across the border', () => {
    const dep = new HybridDeployment(Testing.app(), 'a', { ...base, crossBorder: 'active' });
    const gatewayLock = app2Lockdowns(dep).find((l) => l.namespace === 'hq-customers-gateway');
    expect(gatewayLock?.exits).toEqual(['dns', 'namespace', 'peer:customers', 'ip:tunnel hq-customers to hq-fra']);
    const policy = resourcesOf(synthDoc(dep.primary), 'kubernetes_network_policy_v1').find(
      ([, p]) => at(p, 'metadata', 'namespace') === 'hq-customers-gateway' && at(p, 'spec', 'policy_types', 0) === 'Egress',
    )?.[1];
    expect(at(policy, 'spec', 'egress', 3)).toEqual({
      to: [{ ip_block: { cidr: '203.0.113.10/32' } }],
      ports: [{ port: '51820', protocol: 'UDP' }],
    });
    const noEndpoints = new ForeignSite({ ...frankfurt.entry, tunnelEndpoints: undefined });
    expect(
      () => new HybridDeployment(Testing.app(), 'b', { ...base, crossBorder: 'active', hq: { ...base.hq!, site: noEndpoints } }),
    ).toThrow(
      'b-primary-astana: hq.site: site hq-fra registers no tunnelEndpoints.cidrs; the kz gateway of tunnel hq-customers dials it (tunnel.fra.example.com:51820/UDP), so its lockdown would cut the tunnel off',
    );
  });

  test('refuses biometric data to the HQ and personal data without agreement or basis', () => {
    expect(
      () =>
        new HybridDeployment(Testing.app(), 'y', {
          ...base,
          stores: [{ ...base.stores[0], dataClass: 'biometric' }],
        }),
    ).toThrow('y: stores[customers].replicateToHq: biometric data never leaves Kazakhstan');
    expect(
      () =>
        new HybridDeployment(Testing.app(), 'z', {
          ...base,
          hq: { site: frankfurt, endpointHost: 'h.example.com' },
        }),
    ).toThrow('z: hq.transferAgreement: store customers holds personal data');
    expect(() => new HybridDeployment(Testing.app(), 'w', { ...base, hq: undefined })).toThrow(
      'w: hq: stores customers replicate to the HQ',
    );
  });

  test('refuses to be created inside a stack (it creates its own stacks)', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 's');
    expect(() => new HybridDeployment(stack, 'in-stack', base)).toThrow(
      's/in-stack: scope: create HybridDeployment on the App: it creates its own stacks',
    );
  });

  test('refuses swapped or foreign Kazakh sites', () => {
    expect(
      () => new HybridDeployment(Testing.app(), 'v', { ...base, kzSites: { almaty: astana, astana } }),
    ).toThrow('v: kzSites.almaty:');
    const fakeAstana = new ForeignSite({
      id: 'ru-x',
      jurisdiction: 'RU',
      city: 'Astana',
      kubernetes: { endpoints: ['https://k.example.ru'], region: 'r' },
    });
    expect(
      () => new HybridDeployment(Testing.app(), 'u', { ...base, kzSites: { almaty, astana: fakeAstana } }),
    ).toThrow('u: kzSites.astana:');
    expect(KzSite.fromEntry(almaty.entry).id).toBe('kz-ala-1');
  });
});
