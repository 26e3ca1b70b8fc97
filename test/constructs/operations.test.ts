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
import { SHARED_PRESENT, almaty, almaty2, at, frankfurt, helmValues, newStack, resourcesOf, synthDoc } from './fixtures';
import { chartSchemaValidator, chartVersion, crdValidator, unknownChartKeys } from './chart-values';

describe('AuditTrail: an audit log nobody in the cluster can erase', () => {
  const { stack } = newStack();
  const audit = new AuditTrail(stack, 'Audit', { site: almaty, sourceNamespaces: ['clients', 'portal'], retentionDays: 400 });
  const doc = synthDoc(stack);
  const tenant = helmValues(doc, 'tenant')['audit-minio'];
  const loki = helmValues(doc, 'loki')['audit-loki'];
  const fb = helmValues(doc, 'fluent-bit')['audit-collector'];

  test('write-once storage: a MinIO tenant whose bucket is object-locked, with a COMPLIANCE default retention set and read back by a Job', () => {
    expect(at(tenant, 'tenant', 'buckets')).toEqual([{ name: 'audit-audit-logs', objectLock: true }]);
    expect(at(tenant, 'tenant', 'configSecret')).toEqual({ name: 'audit-minio-env-configuration', existingSecret: true });
    expect(at(tenant, 'tenant', 'pools', 0, 'storageClassName')).toBe('ala-ceph-encrypted');
    expect(at(tenant, 'tenant', 'certificate', 'requestAutoCert')).toBe(true);
    const [, job] = resourcesOf(doc, 'kubernetes_job_v1')[0];
    expect(job.wait_for_completion).toBe(true);
    const container = at(job, 'spec', 'template', 'spec', 'container', 0) as { image: string; env: { name: string; value: string }[]; command: string[] };
    expect(Object.fromEntries(container.env.map((e) => [e.name, e.value]))).toEqual({
      KZ_MINIO_URL: 'https://minio.audit.svc.cluster.local',
      KZ_BUCKET: 'audit-audit-logs',
      KZ_RETENTION_MODE: 'COMPLIANCE',
      KZ_RETENTION_DAYS: '400',
    });
    expect(container.command[2]).toContain('retention set --default "$KZ_RETENTION_MODE" "${KZ_RETENTION_DAYS}d" "kz/$KZ_BUCKET"');
    expect(container.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    const operators = resourcesOf(doc, 'helm_release').filter(([, r]) => r.chart === 'operator');
    expect(operators.map(([, r]) => [r.repository, r.version, r.namespace])).toEqual([['https://operator.min.io', '7.1.1', 'minio-operator']]);
  });

  test('Loki: authentication on, no delete API, retention equal to the lock, chunks in the write-once bucket over TLS', () => {
    expect(at(loki, 'loki', 'auth_enabled')).toBe(true);
    expect(at(loki, 'loki', 'limits_config')).toEqual({ retention_period: '9600h', deletion_mode: 'disabled' });
    expect(at(loki, 'loki', 'storage', 's3')).toMatchObject({
      endpoint: 'minio.audit.svc.cluster.local',
      insecure: false,
      http_config: { ca_file: '/etc/kz-audit/ca/ca.crt' },
    });
    expect(at(loki, 'loki', 'storage', 'bucketNames')).toEqual({ chunks: 'audit-audit-logs', ruler: 'audit-audit-logs', admin: 'audit-audit-logs' });
    expect(at(loki, 'loki', 'storage', 'objectLock')).toBeUndefined();
    expect(at(loki, 'gateway', 'basicAuth')).toEqual({ enabled: true, existingSecret: 'audit-gateway-htpasswd' });
    expect(at(loki, 'gateway', 'ingress', 'hosts', 0, 'host')).toBe('logs.ala.example.kz');
    const [, ns] = resourcesOf(doc, 'kubernetes_namespace_v1').find(([, n]) => at(n, 'metadata', 'name') === 'audit') ?? [];
    expect(at(ns, 'metadata', 'annotations')).toEqual({
      'residency.kz/log-sink': 'https://logs.ala.example.kz',
      'residency.kz/retention-days': '400',
      'residency.kz/immutable': 'true',
    });
  });

  test('Fluent Bit: the store and application namespaces, a DB of read positions, a filesystem buffer, shipped to the Loki beside it', () => {
    expect(fb.residency).toEqual({ dataClass: 'personal', role: 'audit', site: 'kz-ala-1' });
    const inputs = String(at(fb, 'config', 'inputs'));
    expect(inputs).toContain('Path /var/log/containers/*_clients_*.log,/var/log/containers/*_portal_*.log');
    expect(inputs).toContain('DB /var/fluent-bit/state/tail-containers.db');
    expect(inputs).toContain('storage.type filesystem');
    expect(String(at(fb, 'config', 'service'))).toContain('storage.path /var/fluent-bit/state/buffer/');
    const outputs = String(at(fb, 'config', 'outputs'));
    expect(outputs).toContain('Host audit-loki-gateway.audit.svc.cluster.local');
    expect(outputs).toContain('tenant_id kz-audit');
    expect(outputs).toContain('http_passwd ${LOKI_PASSWORD}');
    expect(audit.pushUrl).toBe('http://audit-loki-gateway.audit.svc.cluster.local/loki/api/v1/push');
    expect(at(fb, 'daemonSetVolumes')).toContainEqual({ name: 'state', hostPath: { path: '/var/fluent-bit/state', type: 'DirectoryOrCreate' } });
  });

  test('the audit namespace is locked down: DNS, itself and the API server', () => {
    expect(audit.egress?.exits).toEqual(['dns', 'namespace', 'api-server']);
  });

  test('the Secrets it expects are listed with their keys', () => {
    expect(audit.prerequisites.filter((p) => p.kind === 'secret').map((p) => [p.name, p.namespace, p.keys])).toEqual([
      ['audit-minio-env-configuration', 'audit', ['config.env']],
      ['audit-storage-credentials', 'audit', ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']],
      ['audit-gateway-htpasswd', 'audit', ['.htpasswd']],
      ['audit-collector-credentials', 'audit', ['username', 'password']],
      ['audit-log-sink-tls', 'audit', ['tls.crt', 'tls.key']],
    ]);
  });

  test('every value set exists in the pinned charts (Loki 6.55.0 schema; Fluent Bit 0.58.1, MinIO 7.1.1 defaults and Tenant CRD)', () => {
    if (!SHARED_PRESENT) {
      console.warn('skipped: /work/shared/charts is absent');
      return;
    }
    const releases = Object.fromEntries(resourcesOf(doc, 'helm_release').map(([, r]) => [r.chart as string, r]));
    expect([chartVersion('loki'), chartVersion('fluent-bit'), chartVersion('minio-tenant'), chartVersion('minio-operator')]).toEqual([
      releases.loki.version,
      releases['fluent-bit'].version,
      releases.tenant.version,
      releases.operator.version,
    ]);
    const lokiSchema = chartSchemaValidator('loki');
    expect(lokiSchema?.(loki) ? [] : lokiSchema?.errors).toEqual([]);
    expect(unknownChartKeys('loki', loki, LOKI_PASS_THROUGH)).toEqual([]);
    expect(unknownChartKeys('fluent-bit', fb, RESIDENCY)).toEqual([]);
    expect(unknownChartKeys('minio-tenant', tenant, MINIO_TENANT_READ_BUT_COMMENTED)).toEqual([]);
    const operator = helmValues(doc, 'operator')['minio-operator'];
    expect(unknownChartKeys('minio-operator', operator, RESIDENCY)).toEqual([]);
    const tenantCrd = crdValidator('minio-operator/crds/minio.min.io_tenants.yaml', 'v2');
    const t = tenant.tenant as { buckets: unknown; pools: { servers: number; name: string; volumesPerServer: number; affinity: unknown }[] };
    const spec = { buckets: t.buckets, pools: t.pools.map((p) => ({ servers: p.servers, name: p.name, volumesPerServer: p.volumesPerServer, affinity: p.affinity, volumeClaimTemplate: { metadata: { name: 'data' }, spec: { storageClassName: 'ala-ceph-encrypted' } } })) };
    expect(tenantCrd(spec) ? [] : tenantCrd.errors).toEqual([]);
    expect(unknownChartKeys('loki', { loki: { storage: { objectLock: {} } } })).toEqual(['loki.storage.objectLock']);
  });

  test('refuses an erasable log, a foreign site, an unregistered sink and a bad retention', () => {
    const { stack: s } = newStack();
    expect(() => new AuditTrail(s, 'I', { site: almaty, immutable: false })).toThrow(
      'test/I: immutable: audit logs are kept in write-once storage (object lock, COMPLIANCE mode); immutable: false would let them be erased',
    );
    expect(() => new AuditTrail(s, 'A', { site: frankfurt })).toThrow(
      'test/A: site: audit logs are kept on a Kazakh site',
    );
    expect(() => new AuditTrail(s, 'B', { site: almaty, logSink: 'https://logs.fra.example.com' })).toThrow(
      'test/B: logSink:',
    );
    expect(() => new AuditTrail(s, 'C', { site: almaty, retentionDays: 0 })).toThrow(
      'test/C: retentionDays:',
    );
    expect(() => new AuditTrail(s, 'D', { site: almaty2 })).toThrow('test/D: logSink: site kz-ala-2 registers no log sink');
  });
});

/** The top-level classification map every construct writes (DESIGN.md, Classification), not a chart key. */
const RESIDENCY = ['residency'];
/**
 * Loki maps the chart copies verbatim into Loki's own configuration (templates/_helpers.tpl and
 * config.yaml: limits_config, compactor and schemaConfig through toYaml; storage.s3.http_config
 * into the S3 storage config); and keys the templates read that values.yaml documents only in
 * comments: loki.storage.bucketNames (templates/_helpers.tpl, the storage config and the
 * "Please provide these values" comment) and gateway.ingress.hosts[].paths[].pathType
 * (templates/gateway/ingress-gateway.yaml).
 */
const LOKI_PASS_THROUGH = [
  ...RESIDENCY,
  'loki.storage.bucketNames',
  'loki.limits_config.retention_period',
  'loki.limits_config.deletion_mode',
  'gateway.ingress.hosts[0].paths[0].pathType',
];
/** Keys templates/tenant.yaml and tenant-configuration.yaml (7.1.1) read that values.yaml documents in comments. */
const MINIO_TENANT_READ_BUT_COMMENTED = [...RESIDENCY, 'tenant.configSecret.existingSecret', 'tenant.pools[0].storageClassName'];

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

  test('locks the receiving namespace down to DNS, itself and the stores it writes to, and lists what it expects', () => {
    const { stack } = newStack();
    const store = new PrimaryDataStore(stack, 'Clients', {
      site: almaty,
      dataClass: 'personal',
      purpose: 'p',
      dataCategories: ['identity'],
      consentSource: 'eGov',
    });
    const ft = new FirstTouchIngress(stack, 'Web', {
      site: almaty,
      hosts: ['app.example.kz'],
      namespace: 'web',
      backend: { serviceName: 'web', port: 8080 },
      stores: [store],
    });
    expect(ft.egress?.exits).toEqual(['dns', 'namespace', 'peer:clients']);
    const policy = resourcesOf(synthDoc(stack), 'kubernetes_network_policy_v1').find(([, p]) => at(p, 'metadata', 'namespace') === 'web')?.[1];
    expect(at(policy, 'spec', 'egress', 2, 'to', 0, 'pod_selector')).toEqual({ match_labels: { 'cnpg.io/cluster': 'clients' } });
    expect(ft.prerequisites.map((p) => [p.kind, p.name])).toEqual([
      ['platform', 'namespace web with Service web:8080'],
      ['platform', 'ingress controller (class nginx)'],
      ['secret', 'web-tls'],
    ]);
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
