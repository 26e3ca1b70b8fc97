import { Release } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { Testing } from 'cdktf';
import { PrimaryDataStore, type PrimaryDataStoreProps } from '../../constructs';
import {
  SHARED_PRESENT,
  TEST_CA,
  almaty,
  astana,
  at,
  chartValidator,
  frankfurt,
  helmValues,
  newStack,
  resourcesOf,
  synthDoc,
} from './fixtures';
import {
  chartSchemaValidator,
  chartVersion,
  crdValidator,
  objectStoreSpecRenderedBy,
  unknownChartKeys,
} from './chart-values';

const personal: PrimaryDataStoreProps = {
  site: almaty,
  dataClass: 'personal',
  purpose: 'client files',
  dataCategories: ['identity', 'contact'],
  consentSource: 'eGov',
};

function build(props: Partial<PrimaryDataStoreProps> = {}, id = 'Clients') {
  const { stack } = newStack();
  const store = new PrimaryDataStore(stack, id, { ...personal, ...props });
  return { stack, store, doc: synthDoc(stack) };
}

describe('PrimaryDataStore', () => {
  const { stack, doc } = build();
  const values = helmValues(doc, 'cluster').clients;

  test('installs the operator chart and the cluster chart from the CloudNativePG repository, on the site provider', () => {
    const synth = Testing.synth(stack);
    expect(synth).toHaveResourceWithProperties(Release, {
      chart: 'cloudnative-pg',
      repository: 'https://cloudnative-pg.github.io/charts',
      version: '0.29.0',
      namespace: 'cnpg-system',
      provider: 'helm.kz-ala-1',
    });
    expect(synth).toHaveResourceWithProperties(Release, {
      name: 'clients',
      chart: 'cluster',
      repository: 'https://cloudnative-pg.github.io/charts',
      namespace: 'clients',
      provider: 'helm.kz-ala-1',
    });
    const connection = {
      host: 'https://k8s.ala.example.kz',
      cluster_ca_certificate: TEST_CA,
      config_context: 'ala-deployer',
    };
    expect(doc.provider?.kubernetes).toEqual([{ alias: 'kz-ala-1', ...connection }]);
    expect(doc.provider?.helm).toEqual([{ alias: 'kz-ala-1', kubernetes: connection }]);
  });

  test('classifies the release: residency map, pod labels, and a labelled namespace with governance annotations', () => {
    expect(values.residency).toEqual({ dataClass: 'personal', role: 'primary', site: 'kz-ala-1' });
    expect(at(values, 'cluster', 'additionalLabels')).toEqual({
      'residency.kz/data-class': 'personal',
      'residency.kz/role': 'primary',
      'residency.kz/site': 'kz-ala-1',
    });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(NamespaceV1, {
      metadata: {
        name: 'clients',
        labels: {
          'residency.kz/data-class': 'personal',
          'residency.kz/role': 'primary',
          'residency.kz/site': 'kz-ala-1',
        },
        annotations: expect.objectContaining({
          'residency.kz/purpose': 'client files',
          'residency.kz/data-categories': 'identity,contact',
          'residency.kz/consent-source': 'eGov',
        }),
      },
    });
    expect(at(values, 'cluster', 'annotations', 'residency.kz/consent-source')).toBe('eGov');
  });

  test('3 instances on the encrypted storage class, pinned to the region and zones', () => {
    expect(at(values, 'cluster', 'instances')).toBe(3);
    expect(at(values, 'cluster', 'storage', 'storageClass')).toBe('ala-ceph-encrypted');
    expect(
      at(
        values,
        'cluster',
        'affinity',
        'nodeAffinity',
        'requiredDuringSchedulingIgnoredDuringExecution',
        'nodeSelectorTerms',
      ),
    ).toEqual([
      {
        matchExpressions: [
          { key: 'topology.kubernetes.io/region', operator: 'In', values: ['kz-almaty'] },
          { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['kz-almaty-a', 'kz-almaty-b'] },
        ],
      },
    ]);
  });

  test('TLS required for clients and pgaudit logs every statement class with the user', () => {
    expect(at(values, 'cluster', 'postgresql', 'pg_hba')).toEqual([
      'hostnossl all all all reject',
      'hostssl all all all scram-sha-256',
    ]);
    const params = at(values, 'cluster', 'postgresql', 'parameters') as Record<string, string>;
    expect(params['ssl_min_protocol_version']).toBe('TLSv1.3');
    expect(at(values, 'cluster', 'postgresql', 'shared_preload_libraries')).toEqual(['pgaudit']);
    expect(params).toMatchObject({
      'pgaudit.log': 'all',
      'pgaudit.log_parameter': 'off',
      'pgaudit.log_catalog': 'off',
      'pgaudit.log_relation': 'on',
      log_connections: 'on',
      log_disconnections: 'on',
    });
    // no object-audit role that nobody creates
    expect(params['pgaudit.role']).toBeUndefined();
    expect(at(values, 'cluster', 'enableSuperuserAccess')).toBe(false);
  });

  test('continuous backup through the Barman Cloud plugin to the site object storage, CA from the registry, credentials by Secret name', () => {
    expect(values.backups).toMatchObject({
      enabled: true,
      method: 'plugin',
      pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
      provider: 's3',
      endpointURL: 'https://s3.ala.example.kz',
      destinationPath: 's3://clients-backups/clients',
      retentionPolicy: '30d',
      secret: { create: false, name: 'clients-backup-credentials' },
      scheduledBackups: [
        expect.objectContaining({ method: 'plugin', pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' } }),
      ],
    });
    const ca = at(values, 'backups', 'endpointCA') as { create: boolean; name: string; key: string; value: string };
    expect(ca).toMatchObject({ create: true, name: 'clients-object-storage-ca', key: 'ca-bundle.crt' });
    expect(Buffer.from(ca.value, 'base64').toString('utf8')).toBe(TEST_CA.trim() + '\n');
    expect(at(values, 'backups', 's3', 'accessKey')).toBeUndefined();
    expect(at(values, 'cluster', 'plugins')).toEqual([
      {
        name: 'barman-cloud.cloudnative-pg.io',
        enabled: true,
        isWALArchiver: true,
        parameters: { barmanObjectName: 'clients-backups' },
      },
    ]);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(Release, {
      chart: 'plugin-barman-cloud',
      version: '0.7.0',
      namespace: 'cnpg-system',
      repository: 'https://cloudnative-pg.github.io/charts',
    });
  });

  test('the operand image is pinned by digest (the standard image, which ships pgaudit)', () => {
    expect(at(values, 'cluster', 'imageName')).toMatch(
      /^ghcr\.io\/cloudnative-pg\/postgresql:16\.[0-9]+-[0-9]+-standard-bookworm@sha256:[0-9a-f]{64}$/,
    );
    const { doc: d } = build({ imageName: 'registry.ala.example.kz/pg/postgresql:16.15@sha256:' + 'a'.repeat(64) });
    expect(at(helmValues(d, 'cluster').clients, 'cluster', 'imageName')).toBe(
      'registry.ala.example.kz/pg/postgresql:16.15@sha256:' + 'a'.repeat(64),
    );
  });

  test('statement parameters reach the audit log only when asked for', () => {
    const { doc: d } = build({ auditLogParameters: true });
    expect(at(helmValues(d, 'cluster').clients, 'cluster', 'postgresql', 'parameters', 'pgaudit.log_parameter')).toBe('on');
  });

  test('the generated values are accepted by the charts own values.schema.json', () => {
    if (!SHARED_PRESENT) {
      console.warn('skipped: /work/shared/charts is absent');
      return;
    }
    const cluster = chartValidator('cluster');
    const operator = chartValidator('cloudnative-pg');
    expect(cluster?.(values) ? [] : cluster?.errors).toEqual([]);
    const op = helmValues(doc, 'cloudnative-pg').cnpg;
    expect(operator?.(op) ? [] : operator?.errors).toEqual([]);
    const versions = Object.fromEntries(resourcesOf(doc, 'helm_release').map(([, r]) => [r.chart as string, r.version]));
    expect(versions).toEqual({
      'cloudnative-pg': chartVersion('cloudnative-pg/cloudnative-pg'),
      'plugin-barman-cloud': chartVersion('plugin-barman-cloud'),
      cluster: chartVersion('cloudnative-pg/cluster'),
    });
    const plugin = chartSchemaValidator('plugin-barman-cloud');
    const pluginValues = helmValues(doc, 'plugin-barman-cloud')['barman-cloud'];
    expect(plugin?.(pluginValues) ? [] : plugin?.errors).toEqual([]);
    expect(unknownChartKeys('plugin-barman-cloud', pluginValues)).toEqual([]);
  });

  test('the ObjectStore the cluster chart renders from these values is valid for the ObjectStore CRD', () => {
    if (!SHARED_PRESENT) {
      console.warn('skipped: /work/shared/charts is absent');
      return;
    }
    const validate = crdValidator('plugin-barman-cloud/crd/barmancloud.cnpg.io_objectstores.yaml', 'v1');
    const spec = objectStoreSpecRenderedBy(values);
    expect(validate(spec) ? [] : validate.errors).toEqual([]);
    expect(spec.configuration.endpointCA).toEqual({ name: 'clients-object-storage-ca', key: 'ca-bundle.crt' });
  });

  test('one operator per site and stack, however many stores', () => {
    const { stack: s2 } = newStack();
    new PrimaryDataStore(s2, 'A', personal);
    new PrimaryDataStore(s2, 'B', { ...personal, dataClass: 'case' });
    const d = synthDoc(s2);
    expect(resourcesOf(d, 'helm_release').filter(([, r]) => r.chart === 'cloudnative-pg')).toHaveLength(1);
  });

  test('case data may have its primary abroad (only personal classes must stay)', () => {
    const { doc: d } = build({ site: frankfurt, dataClass: 'case', purpose: undefined }, 'Matters');
    expect(helmValues(d, 'cluster').matters.residency).toEqual({
      dataClass: 'case',
      role: 'primary',
      site: 'hq-fra',
    });
  });
});

describe('PrimaryDataStore refusals name the construct path and the prop', () => {
  const refuse = (props: Partial<PrimaryDataStoreProps>) => () => build(props);
  const cases: Array<[Partial<PrimaryDataStoreProps>, string]> = [
    [
      { site: frankfurt },
      'test/Clients: site: personal data must have its primary store on a Kazakh site (Law 94-V Art. 12 para 2); hq-fra (Frankfurt, DE) is a ForeignSite',
    ],
    [
      { site: frankfurt, dataClass: 'biometric' as const },
      'test/Clients: site: biometric data must have its primary store on a Kazakh site',
    ],
    [
      { site: frankfurt, dataClass: 'special' as const },
      'test/Clients: site: special data must have its primary store',
    ],
    [
      { storageClass: 'ala-local' },
      'test/Clients: storageClass: "ala-local" of site kz-ala-1 is not marked encrypted',
    ],
    [{ storageClass: 'gp2' }, 'test/Clients: storageClass: "gp2" is not registered for site kz-ala-1'],
    [{ instances: 2 }, 'test/Clients: instances: 2 is fewer than 3: a store runs at least 3 instances'],
    [{ instances: 3.5 }, 'test/Clients: instances: 3.5 is not an integer'],
    [{ purpose: undefined }, 'test/Clients: purpose:'],
    [{ dataCategories: [] }, 'test/Clients: dataCategories:'],
    [{ consentSource: undefined }, 'test/Clients: consentSource:'],
    [{ consentSource: 'paper' as 'eGov' }, 'test/Clients: consentSource: expected eGov or eOtinish'],
    [{ zones: ['kz-astana-a'] }, 'test/Clients: zones: zone "kz-astana-a" is not a zone of site kz-ala-1'],
    [
      { backup: { site: frankfurt } },
      'test/Clients: backup.site: backups of personal data land on a Kazakh site',
    ],
    [
      { backup: { endpoint: 'https://s3.fra.example.com' } },
      'test/Clients: backup.endpoint: https://s3.fra.example.com is not an objectStorage endpoint of site kz-ala-1',
    ],
    [{ backup: { retention: 'forever' } }, 'test/Clients: backup.retention:'],
    [{ clusterName: 'Bad_Name' }, 'test/Clients: clusterName:'],
    [
      { imageName: 'ghcr.io/cloudnative-pg/postgresql:16' },
      'test/Clients/Cluster: imageName: "ghcr.io/cloudnative-pg/postgresql:16" is not pinned by digest',
    ],
    [{ postgresVersion: '12' }, 'test/Clients/Cluster: postgresVersion: no pinned image is known for PostgreSQL 12'],
  ];
  test.each(cases.map(([props, message]) => [message, props] as const))('%s', (message, props) => {
    expect(refuse(props)).toThrow(message);
  });

  test('a backup on the other Kazakh site is accepted', () => {
    const { doc } = build({ backup: { site: astana } });
    expect(at(helmValues(doc, 'cluster').clients, 'backups', 'endpointURL')).toBe(
      'https://s3.ast.example.kz',
    );
  });
});
