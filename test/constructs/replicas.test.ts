import { TerraformStack } from 'cdktf';
import {
  EncryptedTunnel,
  HqReplica,
  InCountryStandby,
  PrimaryDataStore,
  type HqReplicaProps,
  type PrimaryDataStoreProps,
} from '../../constructs';
import {
  SHARED_PRESENT,
  almaty,
  almaty2,
  astana,
  at,
  chartValidator,
  frankfurt,
  helmValues,
  newStack,
  resourcesOf,
  synthDoc,
} from './fixtures';

const personal: PrimaryDataStoreProps = {
  site: almaty,
  dataClass: 'personal',
  purpose: 'client files',
  dataCategories: ['identity'],
  consentSource: ['eGov', 'eOtinish'],
};

describe('InCountryStandby', () => {
  const { app, stack } = newStack('primary');
  const primary = new PrimaryDataStore(stack, 'Clients', personal);
  const standbyStack = new TerraformStack(app, 'standby');
  new InCountryStandby(standbyStack, 'ClientsStandby', { primary, site: astana });
  const doc = synthDoc(standbyStack);
  const values = helmValues(doc, 'cluster')['clients-standby'];

  test('is a CloudNativePG replica cluster of the primary, following its Kazakh backups, on the other city', () => {
    expect(values.residency).toEqual({ dataClass: 'personal', role: 'standby', site: 'kz-ast-1' });
    expect(values.mode).toBe('replica');
    expect(values.replica).toMatchObject({
      origin: {
        objectStore: {
          clusterName: 'clients',
          endpointURL: 'https://s3.ala.example.kz',
          destinationPath: 's3://clients-backups/clients',
        },
      },
      bootstrap: { source: 'object_store' },
    });
    expect(doc.provider?.helm).toEqual([
      {
        alias: 'kz-ast-1',
        kubernetes: {
          host: 'https://k8s.ast.example.kz',
          exec: { api_version: 'client.authentication.k8s.io/v1', command: 'kubelogin', args: ['get-token'] },
        },
      },
    ]);
  });

  test('keeps the primary safeguards: encrypted class, pinning, TLS, pgaudit, own backups in its city', () => {
    expect(at(values, 'cluster', 'storage', 'storageClass')).toBe('ast-ceph-encrypted');
    expect(at(values, 'cluster', 'instances')).toBe(3);
    expect(JSON.stringify(at(values, 'cluster', 'affinity'))).toContain('kz-astana');
    expect(at(values, 'cluster', 'postgresql', 'parameters', 'pgaudit.log')).toBe('all');
    expect(at(values, 'cluster', 'postgresql', 'pg_hba')).toContain('hostnossl all all all reject');
    expect(at(values, 'backups', 'endpointURL')).toBe('https://s3.ast.example.kz');
    expect(at(values, 'cluster', 'annotations', 'residency.kz/consent-source')).toBe('eGov,eOtinish');
    expect(at(values, 'cluster', 'annotations', 'residency.kz/source-site')).toBe('kz-ala-1');
  });

  test('values are accepted by the cluster chart schema', () => {
    if (!SHARED_PRESENT) return console.warn('skipped: /work/shared/charts is absent');
    const validate = chartValidator('cluster');
    if (validate) expect(validate(values) ? [] : validate.errors).toEqual([]);
    else console.warn('chart schema check skipped: /work/shared/charts is absent');
  });

  test('refuses the same city and a foreign site', () => {
    const { stack: s } = newStack();
    const p = new PrimaryDataStore(s, 'P', personal);
    expect(() => new InCountryStandby(s, 'Same', { primary: p, site: almaty2 })).toThrow(
      'test/Same: site: the standby must be in the other Kazakh city than the primary (both in Almaty)',
    );
    expect(() => new InCountryStandby(s, 'Abroad', { primary: p, site: frankfurt })).toThrow(
      'test/Abroad: site: an in-country standby runs on a Kazakh site; hq-fra (Frankfurt, DE) is a ForeignSite',
    );
    expect(() => new InCountryStandby(s, 'Two', { primary: p, site: astana, instances: 2 })).toThrow(
      'test/Two: instances:',
    );
  });
});

describe('HqReplica', () => {
  function setup(dataClass: PrimaryDataStoreProps['dataClass'], replica: Partial<HqReplicaProps> = {}) {
    const { app, stack } = newStack('primary');
    const hq = new TerraformStack(app, 'hq');
    const source = new PrimaryDataStore(stack, 'Src', { ...personal, dataClass, clusterName: 'src' });
    const tunnel = new EncryptedTunnel(stack, 'T', {
      kzSite: almaty,
      hqSite: frankfurt,
      crossBorder: 'active',
      dataClass,
      source,
      kzEndpointHost: 'tunnel.ala.example.kz',
      hqScope: hq,
    });
    const r = new HqReplica(hq, 'Replica', { source, site: frankfurt, tunnel, ...replica });
    return { stack, hq, r, tunnel, source };
  }

  test('case data: a CNPG replica cluster abroad, streaming from the HQ end of the tunnel, without backups abroad', () => {
    const { hq, tunnel } = setup('case');
    const values = helmValues(synthDoc(hq), 'cluster')['t-replica'];
    expect(values.residency).toEqual({ dataClass: 'case', role: 'replica', site: 'hq-fra' });
    // read-only by construction: replica mode, not a session default and not an annotation
    expect(values.mode).toBe('replica');
    expect(
      at(values, 'cluster', 'postgresql', 'parameters', 'default_transaction_read_only'),
    ).toBeUndefined();
    expect(at(values, 'cluster', 'annotations', 'residency.kz/read-only')).toBeUndefined();
    expect(values.replica).toEqual({
      bootstrap: { source: 'pg_basebackup', database: 'app' },
      origin: {
        pg_basebackup: {
          host: 't-local.t-gateway.svc',
          port: 5432,
          username: 'streaming_replica',
          database: 'postgres',
          sslMode: 'verify-full',
          sslKeySecret: { name: 'src-replication', key: 'tls.key' },
          sslCertSecret: { name: 'src-replication', key: 'tls.crt' },
          sslRootCertSecret: { name: 'src-ca', key: 'ca.crt' },
        },
      },
    });
    expect(tunnel.hqLocalEndpoint).toEqual({ host: 't-local.t-gateway.svc', port: 5432 });
    expect(at(values, 'cluster', 'annotations')).toMatchObject({
      'residency.kz/tunnel': tunnel.name,
      'residency.kz/source-site': 'kz-ala-1',
    });
    expect(values.backups).toEqual({ enabled: false });
    // the HQ gateway carries the standby's connection to the kz gateway, which connects to the primary
    expect(tunnel.hq.files['stunnel.conf']).toContain('connect = tunnel.ala.example.kz:8443');
    expect(tunnel.kz.files['stunnel.conf']).toContain('connect = src-rw.src.svc:5432');
    const validate = chartValidator('cluster');
    if (validate) expect(validate(values) ? [] : validate.errors).toEqual([]);
    else console.warn('chart schema check skipped: /work/shared/charts is absent');
  });

  test('the source admits the kz gateway and names the HQ host in its server certificate (verify-full)', () => {
    const { stack, tunnel } = setup('case');
    const doc = synthDoc(stack);
    const src = helmValues(doc, 'cluster').src;
    expect(at(src, 'cluster', 'certificates')).toEqual({ serverAltDNSNames: ['t-local.t-gateway.svc'] });
    const validate = chartValidator('cluster');
    if (validate) expect(validate(src) ? [] : validate.errors).toEqual([]);
    else console.warn('chart schema check skipped: /work/shared/charts is absent');
    const [, policy] = resourcesOf(doc, 'kubernetes_network_policy_v1').find(
      ([, p]) => at(p, 'metadata', 'name') === 'src-ingress',
    ) ?? [undefined, undefined];
    expect(JSON.stringify(at(policy, 'spec', 'ingress'))).toContain(
      `"kubernetes.io/metadata.name":"${tunnel.kzGatewayNamespace}"`,
    );
  });

  test('sourceSecrets and verify-ca can be chosen; anything else is refused', () => {
    const { r } = setup('case', { sourceSecrets: { replication: 'repl', ca: 'ca' }, sslMode: 'verify-ca' });
    expect(r.origin).toMatchObject({
      sslMode: 'verify-ca',
      sslCertSecret: { name: 'repl', key: 'tls.crt' },
      sslRootCertSecret: { name: 'ca', key: 'ca.crt' },
    });
    expect(() => setup('case', { sslMode: 'require' as 'verify-ca' })).toThrow(
      "hq/Replica: sslMode: expected 'verify-full' or 'verify-ca'",
    );
  });

  test('personal data abroad names its transfer agreement and legal basis', () => {
    const { hq } = setup('personal', {
      transferAgreement: 'SCC-2026-014',
      legalBasis: 'Law 94-V Art. 16: consent of the subject',
    });
    const values = helmValues(synthDoc(hq), 'cluster')['t-replica'];
    expect(at(values, 'cluster', 'annotations')).toMatchObject({
      'residency.kz/transfer-agreement': 'SCC-2026-014',
      'residency.kz/legal-basis': 'Law 94-V Art. 16: consent of the subject',
    });
  });

  test('refuses biometric data, and personal data without agreement or basis', () => {
    expect(() => setup('biometric', { transferAgreement: 'x', legalBasis: 'y' })).toThrow(
      'hq/Replica: source: biometric data never leaves Kazakhstan; primary/Src holds biometric data',
    );
    expect(() => setup('personal', { legalBasis: 'y' })).toThrow(
      'hq/Replica: transferAgreement: a cross-border replica of personal data names its transfer agreement',
    );
    expect(() => setup('special', { transferAgreement: 'x' })).toThrow('hq/Replica: legalBasis:');
  });

  test('refuses a tunnel that does not end at its site or start at the source', () => {
    const { app, stack } = newStack('p');
    const source = new PrimaryDataStore(stack, 'Src', { ...personal, dataClass: 'case' });
    const other = new PrimaryDataStore(new TerraformStack(app, 'ast'), 'Other', {
      ...personal,
      site: astana,
      dataClass: 'case',
    });
    const tunnel = new EncryptedTunnel(stack, 'T', {
      kzSite: almaty,
      hqSite: frankfurt,
      crossBorder: 'active',
      dataClass: 'case',
      source,
      kzEndpointHost: 'k.example.kz',
    });
    expect(() => new HqReplica(stack, 'R1', { source: other, site: frankfurt, tunnel })).toThrow(
      'p/R1: tunnel: the tunnel carries connections to src/src, not to the source other/other',
    );
    const elsewhere = new EncryptedTunnel(new TerraformStack(app, 'ast2'), 'T2', {
      kzSite: astana,
      hqSite: frankfurt,
      crossBorder: 'active',
      dataClass: 'case',
      source,
      kzEndpointHost: 'k.example.kz',
    });
    expect(() => new HqReplica(stack, 'R3', { source, site: frankfurt, tunnel: elsewhere })).toThrow(
      'p/R3: tunnel: the tunnel starts at kz-ast-1, not at the source',
    );
    expect(() => new HqReplica(stack, 'R2', { source, site: astana, tunnel })).toThrow(
      'p/R2: site: an HqReplica is a copy abroad',
    );
  });
});
