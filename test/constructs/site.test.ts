import * as path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ForeignSite, KzSite, SiteError, SiteProviders, loadSites } from '../../constructs';
import { TEST_CA, almaty, astana, frankfurt, newStack, synthDoc } from './fixtures';

const k8s = { endpoints: ['https://k8s.example.kz'], region: 'kz-almaty' };

describe('KzSite and ForeignSite', () => {
  test('a KzSite is in KZ, in Almaty or Astana, and exposes its registry entry', () => {
    expect(almaty.jurisdiction).toBe('KZ');
    expect(almaty.isKazakh).toBe(true);
    expect(almaty.endpoint).toBe('https://k8s.ala.example.kz');
    expect(almaty.defaultEncryptedStorageClass?.name).toBe('ala-ceph-encrypted');
    expect(almaty.entry).toMatchObject({
      id: 'kz-ala-1',
      city: 'Almaty',
      kubernetes: { region: 'kz-almaty' },
    });
    expect(Object.isFrozen(almaty.entry)).toBe(true);
  });

  test('a KzSite outside Almaty and Astana is refused, naming the site and the field', () => {
    expect(() => new KzSite({ id: 'kz-shy', city: 'Shymkent' as 'Almaty', kubernetes: k8s })).toThrow(
      'KzSite(kz-shy): city: a KzSite is in Almaty or Astana, got "Shymkent"',
    );
  });

  test('a ForeignSite in KZ is refused', () => {
    expect(() => new ForeignSite({ id: 'x', jurisdiction: 'KZ', city: 'Almaty', kubernetes: k8s })).toThrow(
      'ForeignSite(x): jurisdiction: a ForeignSite cannot be in KZ (use KzSite)',
    );
    expect(frankfurt.isKazakh).toBe(false);
  });

  test('bad ids, endpoints and jurisdictions are refused', () => {
    expect(() => new KzSite({ id: 'Bad_Id', city: 'Almaty', kubernetes: k8s })).toThrow(/id: must match/);
    expect(() => new KzSite({ id: 'a', city: 'Almaty', kubernetes: { endpoints: [], region: 'r' } })).toThrow(
      /kubernetes.endpoints/,
    );
    expect(
      () => new ForeignSite({ id: 'a', jurisdiction: 'Germany', city: 'Berlin', kubernetes: k8s }),
    ).toThrow(/ISO 3166-1/);
  });

  test('fromRegistry loads typed sites from sites.yaml and reports file and field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kz-sites-'));
    const file = path.join(dir, 'sites.yaml');
    writeFileSync(
      file,
      [
        'sites:',
        '  - {id: kz-ala-1, jurisdiction: KZ, city: Almaty, kubernetes: {endpoints: ["https://k8s.ala.example.kz"], region: kz-almaty}}',
        '  - {id: hq-fra, jurisdiction: DE, city: Frankfurt, kubernetes: {endpoints: ["https://k8s.fra.example.com"], region: eu}}',
      ].join('\n'),
    );
    expect(KzSite.fromRegistry(file, 'kz-ala-1')).toBeInstanceOf(KzSite);
    expect(ForeignSite.fromRegistry(file, 'hq-fra').jurisdiction).toBe('DE');
    expect(loadSites(file)).toHaveLength(2);
    expect(() => KzSite.fromRegistry(file, 'hq-fra')).toThrow(
      `${file}: sites[id=hq-fra].jurisdiction: expected KZ for a KzSite, got DE`,
    );
    expect(() => KzSite.fromRegistry(file, 'nope')).toThrow(SiteError);
    expect(() => KzSite.fromRegistry(path.join(dir, 'missing.yaml'), 'x')).toThrow(/cannot read/);
  });
});

describe('SiteProviders: per-site trust and credentials from the registry', () => {
  test('host stays the literal registered endpoint; CA and kubeconfig context come from the site', () => {
    const { stack } = newStack();
    const p = new SiteProviders(stack, 'P', { site: almaty, configPath: '/home/ops/.kube/kz-sites' });
    const doc = synthDoc(stack);
    const expected = {
      host: 'https://k8s.ala.example.kz',
      cluster_ca_certificate: TEST_CA,
      config_path: '/home/ops/.kube/kz-sites',
      config_context: 'ala-deployer',
    };
    expect(doc.provider?.kubernetes).toEqual([{ alias: 'kz-ala-1', ...expected }]);
    expect(doc.provider?.helm).toEqual([{ alias: 'kz-ala-1', kubernetes: expected }]);
    expect(p.site).toBe(almaty);
  });

  test('an exec plugin site gets the plugin, not a kubeconfig context', () => {
    const { stack } = newStack();
    SiteProviders.of(stack, almaty);
    SiteProviders.of(stack, astana);
    const doc = synthDoc(stack);
    const byAlias = Object.fromEntries((doc.provider?.kubernetes ?? []).map((p) => [p.alias, p]));
    expect(byAlias['kz-ast-1']).toEqual({
      alias: 'kz-ast-1',
      host: 'https://k8s.ast.example.kz',
      exec: [{ api_version: 'client.authentication.k8s.io/v1', command: 'kubelogin', args: ['get-token'] }],
    });
    expect(byAlias['kz-ala-1'].config_context).toBe('ala-deployer');
  });

  test('refuses a site without registered credentials (it would borrow the environment kubeconfig)', () => {
    const { stack } = newStack();
    const bare = new KzSite({ id: 'kz-bare', city: 'Almaty', kubernetes: k8s });
    expect(() => new SiteProviders(stack, 'P', { site: bare })).toThrow(
      'test/P: site: site kz-bare registers no kubernetes.auth (a kubeconfigContext or an exec plugin); without it the providers would use whatever kubeconfig the environment holds, the same credentials for every site',
    );
  });

  test('the registry refuses secrets and malformed operating fields', () => {
    expect(() => new KzSite({ id: 'a', city: 'Almaty', kubernetes: { ...k8s, caBundle: 'not pem' } })).toThrow(
      'KzSite(a): kubernetes.caBundle: expected a PEM bundle',
    );
    expect(
      () =>
        new KzSite({
          id: 'a',
          city: 'Almaty',
          kubernetes: { ...k8s, caBundle: TEST_CA + '-----BEGIN PRIVATE KEY-----\n' },
        }),
    ).toThrow('KzSite(a): kubernetes.caBundle: holds a private key; the registry never holds secrets');
    expect(
      () =>
        new KzSite({
          id: 'a',
          city: 'Almaty',
          kubernetes: {
            ...k8s,
            auth: { kubeconfigContext: 'x', exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'y' } },
          },
        }),
    ).toThrow('KzSite(a): kubernetes.auth: exactly one of kubeconfigContext or exec is required');
    expect(
      () => new KzSite({ id: 'a', city: 'Almaty', kubernetes: { ...k8s, apiServer: { cidrs: ['10.0.0.1'] } } }),
    ).toThrow('KzSite(a): kubernetes.apiServer.cidrs: not a CIDR: "10.0.0.1"');
    expect(() => new KzSite({ id: 'a', city: 'Almaty', kubernetes: k8s, objectStorageAccess: { cidrs: [] } })).toThrow(
      'KzSite(a): objectStorageAccess.cidrs: at least one CIDR is required',
    );
    expect(frankfurt.auth).toEqual({ kubeconfigContext: 'fra-deployer' });
  });
});
