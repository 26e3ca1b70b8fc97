import { ClusterRoleBindingV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-binding-v1';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { Testing } from 'cdktf';
import {
  AuditTrail,
  FirstTouchIngress,
  Governance,
  PrimaryDataStore,
  RegulatorAccess,
} from '../../constructs';
import { almaty, at, frankfurt, helmValues, newStack, resourcesOf, synthDoc } from './fixtures';

describe('AuditTrail', () => {
  const { stack } = newStack();
  new AuditTrail(stack, 'Audit', { site: almaty, sourceNamespaces: ['clients'], retentionDays: 400 });
  const doc = synthDoc(stack);

  test('Fluent Bit ships the store logs to the registered Kazakh log sink', () => {
    const fb = helmValues(doc, 'fluent-bit')['audit-collector'];
    expect(fb.residency).toEqual({ dataClass: 'personal', role: 'audit', site: 'kz-ala-1' });
    expect(at(fb, 'config', 'outputs')).toContain('Host logs.ala.example.kz');
    expect(at(fb, 'config', 'outputs')).toContain('tls On');
    expect(at(fb, 'config', 'inputs')).toContain('/var/log/containers/*_clients_*.log');
  });

  test('Loki keeps the logs in the site object storage with retention and object lock', () => {
    const loki = helmValues(doc, 'loki')['audit-loki'];
    expect(at(loki, 'loki', 'storage', 's3', 'endpoint')).toBe('https://s3.ala.example.kz');
    expect(at(loki, 'loki', 'limits_config', 'retention_period')).toBe('9600h');
    expect(at(loki, 'loki', 'storage', 'objectLock')).toEqual({
      enabled: true,
      mode: 'COMPLIANCE',
      retentionDays: 400,
    });
    const [, ns] = resourcesOf(doc, 'kubernetes_namespace_v1')[0];
    expect(at(ns, 'metadata', 'annotations')).toEqual({
      'residency.kz/log-sink': 'https://logs.ala.example.kz',
      'residency.kz/retention-days': '400',
      'residency.kz/immutable': 'true',
    });
  });

  test('refuses a foreign site, an unregistered sink and a bad retention', () => {
    const { stack: s } = newStack();
    expect(() => new AuditTrail(s, 'A', { site: frankfurt })).toThrow(
      'test/A: site: audit logs are kept on a Kazakh site',
    );
    expect(() => new AuditTrail(s, 'B', { site: almaty, logSink: 'https://logs.fra.example.com' })).toThrow(
      'test/B: logSink:',
    );
    expect(() => new AuditTrail(s, 'C', { site: almaty, retentionDays: 0 })).toThrow(
      'test/C: retentionDays:',
    );
  });
});

describe('RegulatorAccess', () => {
  const { stack } = newStack();
  const store = new PrimaryDataStore(stack, 'Clients', {
    site: almaty,
    dataClass: 'personal',
    purpose: 'p',
    dataCategories: ['identity'],
    consentSource: 'eGov',
  });
  new RegulatorAccess(stack, 'Regulator', {
    site: almaty,
    identityProviderUrl: 'https://id.example.kz/realms/regulator',
    stores: [store],
  });
  const doc = synthDoc(stack);

  test('read-only ClusterRole without Secrets, bound to the auditors group', () => {
    const [, role] = resourcesOf(doc, 'kubernetes_cluster_role_v1')[0];
    const rules = at(role, 'rule') as Array<{ verbs: string[]; resources: string[] }>;
    for (const r of rules) expect(r.verbs).toEqual(['get', 'list', 'watch']);
    expect(rules.flatMap((r) => r.resources)).not.toContain('secrets');
    expect(Testing.synth(stack)).toHaveResourceWithProperties(ClusterRoleBindingV1, {
      subject: [{ kind: 'Group', name: 'kz-regulator-auditors', api_group: 'rbac.authorization.k8s.io' }],
    });
    expect(at(role, 'metadata', 'annotations', 'residency.kz/identity-provider')).toBe(
      'https://id.example.kz/realms/regulator',
    );
  });

  test('adds a read-only database role to the store', () => {
    const roles = at(helmValues(doc, 'cluster').clients, 'cluster', 'roles');
    expect(roles).toEqual([
      expect.objectContaining({
        name: 'kz_auditor',
        login: true,
        superuser: false,
        inRoles: ['pg_read_all_data'],
        passwordSecret: { name: 'kz-auditor-credentials' },
      }),
    ]);
  });

  test('refuses an identity provider abroad or on a foreign host', () => {
    const { stack: s } = newStack();
    expect(
      () =>
        new RegulatorAccess(s, 'A', { site: almaty, identityProviderUrl: 'https://login.hq.example.com' }),
    ).toThrow(
      'test/A: identityProviderUrl: login.hq.example.com is neither a registered host of Kazakh site kz-ala-1 nor a .kz name',
    );
    expect(
      () =>
        new RegulatorAccess(s, 'B', {
          site: almaty,
          identityProviderUrl: 'https://id.example.kz',
          identityProviderSite: frankfurt,
        }),
    ).toThrow('test/B: identityProviderSite:');
    expect(
      () => new RegulatorAccess(s, 'C', { site: almaty, identityProviderUrl: 'http://id.example.kz' }),
    ).toThrow('test/C: identityProviderUrl: must use https');
    expect(
      () => new RegulatorAccess(s, 'D', { site: frankfurt, identityProviderUrl: 'https://id.example.kz' }),
    ).toThrow('test/D: site:');
  });
});

describe('FirstTouchIngress', () => {
  test('TLS ingress for registered capture hosts on a Kazakh site', () => {
    const { stack } = newStack();
    new FirstTouchIngress(stack, 'Web', {
      site: almaty,
      hosts: ['app.example.kz'],
      namespace: 'web',
      backend: { serviceName: 'web', port: 8080 },
    });
    expect(Testing.synth(stack, true)).toHaveResourceWithProperties(IngressV1, {
      provider: 'kubernetes.kz-ala-1',
      metadata: expect.objectContaining({
        labels: {
          'residency.kz/data-class': 'personal',
          'residency.kz/role': 'gateway',
          'residency.kz/site': 'kz-ala-1',
        },
        annotations: expect.objectContaining({ 'residency.kz/first-touch': 'true' }),
      }),
      spec: expect.objectContaining({ tls: [{ hosts: ['app.example.kz'], secret_name: 'web-tls' }] }),
    });
  });

  test('refuses a host the site does not list, and a foreign site', () => {
    const { stack } = newStack();
    const backend = { serviceName: 'web', port: 80 };
    expect(
      () =>
        new FirstTouchIngress(stack, 'A', {
          site: almaty,
          hosts: ['shop.example.com'],
          namespace: 'web',
          backend,
        }),
    ).toThrow('test/A: hosts: shop.example.com is not a capture host of site kz-ala-1');
    expect(
      () =>
        new FirstTouchIngress(stack, 'B', {
          site: frankfurt,
          hosts: ['app.example.kz'],
          namespace: 'web',
          backend,
        }),
    ).toThrow('test/B: site: personal data is first received in Kazakhstan');
  });
});

describe('Governance', () => {
  test('declares the DPO contact on a namespace and a ConfigMap', () => {
    const { stack } = newStack();
    new Governance(stack, 'Gov', { site: almaty, dpoContact: 'dpo@example.kz', crossBorder: 'suspended' });
    const doc = synthDoc(stack);
    const [, cm] = resourcesOf(doc, 'kubernetes_config_map_v1')[0];
    expect(cm.data).toEqual({ dpoContact: 'dpo@example.kz', crossBorder: 'suspended' });
    const [, ns] = resourcesOf(doc, 'kubernetes_namespace_v1')[0];
    expect(at(ns, 'metadata', 'annotations', 'residency.kz/dpo-contact')).toBe('dpo@example.kz');
    expect(() => new Governance(stack, 'Bad', { site: almaty, dpoContact: 'nobody' })).toThrow(
      'test/Bad: dpoContact:',
    );
  });
});
