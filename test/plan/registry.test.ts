/** The sites registry and waivers: schema and semantic errors with exact messages; waiver expiry. */
import * as path from 'node:path';
import { loadSitesRegistry, siteForHost, validateSitesRegistry } from '../../plan/sites';
import { loadWaivers, parseIsoDate, waiverStatus } from '../../plan/waivers';
import { cleanupTempDirs, inputErrorOf, tempDir } from './helpers';

afterAll(cleanupTempDirs);

const GOOD_SITES = `# the design's example registry
sites:
  - id: kz-ala-1
    jurisdiction: KZ
    city: Almaty
    operator: Example Tier III Almaty DC
    kubernetes:
      endpoints: ["https://10.20.0.10:6443", "https://k8s.ala.example.kz"]
      region: kz-almaty
      zones: [kz-almaty-a, kz-almaty-b]
    storageClasses: [{name: ala-ceph-encrypted, encrypted: true}]
    objectStorage: ["https://s3.ala.example.kz"]
    logSinks: ["https://logs.ala.example.kz"]
    captureHosts: ["app.example.kz"]
  - id: hq-fra
    jurisdiction: DE
    city: Frankfurt
    kubernetes: {endpoints: ["https://k8s.fra.example.com"], region: eu-central}
`;

function sitesError(yaml: string, name = 'sites.yaml'): string {
  const dir = tempDir({ [name]: yaml });
  return inputErrorOf(() => loadSitesRegistry(path.join(dir, name))).message.split(`${dir}${path.sep}`).join('');
}

describe('sites registry', () => {
  test("the design's example loads from YAML and from JSON", () => {
    const dir = tempDir({ 'sites.yaml': GOOD_SITES });
    const reg = loadSitesRegistry(path.join(dir, 'sites.yaml'));
    expect(reg.sites.map((s) => s.id)).toEqual(['kz-ala-1', 'hq-fra']);
    const dir2 = tempDir({ 'sites.json': JSON.stringify(reg) });
    expect(loadSitesRegistry(path.join(dir2, 'sites.json'))).toEqual(reg);
    expect(siteForHost(reg, 'https://K8S.ALA.example.kz:443/')?.id).toBe('kz-ala-1');
    expect(siteForHost(reg, '10.20.0.10:6443')?.id).toBe('kz-ala-1');
    expect(siteForHost(reg, 'https://10.20.0.10')).toBeUndefined();
  });

  test('schema errors: one line per field, naming file and field', () => {
    const bad = GOOD_SITES.replace('jurisdiction: DE', 'jurisdiction: de').replace('id: hq-fra', 'id: HQ_fra').replace('encrypted: true', 'encrypted: "yes"');
    expect(sitesError(bad)).toBe(
      [
        'sites.yaml: sites[0].storageClasses[0].encrypted: must be a boolean',
        'sites.yaml: sites[1].id: must match ^[a-z0-9-]+$',
        'sites.yaml: sites[1].jurisdiction: must match ^[A-Z]{2}$',
      ].join('\n'),
    );
  });

  test('a Kazakh site must be in Almaty or Astana', () => {
    expect(sitesError(GOOD_SITES.replace('city: Almaty', 'city: Karaganda'))).toBe('sites.yaml: sites[0].city: must be one of Almaty, Astana');
  });

  test('missing, unknown and malformed fields', () => {
    const y = `sites:
  - id: a
    jurisdiction: KZ
    city: Astana
    kubernetes: {endpoints: [], region: r}
    storageClass: []
  - id: b
    jurisdiction: DE
    kubernetes: {endpoints: ["k8s.example.com"], region: r}
    captureHosts: ["not a host"]
`;
    expect(sitesError(y)).toBe(
      [
        'sites.yaml: sites[0].storageClass: is not a known field',
        'sites.yaml: sites[0].kubernetes.endpoints: must not be empty',
        'sites.yaml: sites[1].city: is required',
        'sites.yaml: sites[1].kubernetes.endpoints[0]: must be an absolute http(s) URL such as https://k8s.example.kz',
        'sites.yaml: sites[1].captureHosts[0]: must be a host name such as app.example.kz',
      ].join('\n'),
    );
  });

  test('at most five problems, then a count', () => {
    const many = `sites:\n${Array.from({ length: 7 }, (_, i) => `  - {id: "S${i}", jurisdiction: KZ, city: Almaty, kubernetes: {endpoints: ["https://h${i}.kz"], region: r}}`).join('\n')}\n`;
    const lines = sitesError(many).split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[5]).toBe('sites.yaml: and 2 more problems');
    const dir = tempDir({ 'sites.yaml': many });
    const e = inputErrorOf(() => loadSitesRegistry(path.join(dir, 'sites.yaml')));
    expect(e.issues).toHaveLength(7);
    expect(e.issues[6]).toEqual({ field: 'sites[6].id', problem: 'must match ^[a-z0-9-]+$' });
  });

  test('not a registry at all', () => {
    expect(sitesError('- a\n- b\n')).toBe('sites.yaml: must be an object');
    expect(sitesError('{}', 'sites.json')).toBe('sites.json: sites: is required');
    expect(sitesError('sites: [\n', 'sites.yaml')).toMatch(/^sites\.yaml: line \d+, column \d+: not valid YAML: /);
    expect(sitesError('', 'sites.yaml')).toBe('sites.yaml: the file is empty');
    expect(sitesError('{"sites": [}', 'sites.json')).toBe('sites.json: line 1, column 12: not valid JSON: unexpected "}"');
  });

  test('duplicate ids and an endpoint claimed by two sites (after normalising)', () => {
    const y = `${GOOD_SITES}  - id: kz-ala-1
    jurisdiction: KZ
    city: Astana
    kubernetes: {endpoints: ["https://K8S.ala.example.kz:443/"], region: kz-astana}
`;
    expect(sitesError(y)).toBe(
      [
        'sites.yaml: sites[2].id: duplicate site id "kz-ala-1" (also sites[0])',
        'sites.yaml: sites[2].kubernetes.endpoints[0]: endpoint https://k8s.ala.example.kz:443 is also claimed by site "kz-ala-1" (sites[0]); an endpoint must prove one site',
      ].join('\n'),
    );
  });

  test('several clusters behind one proxy URL are told apart by path; the same path twice is an error', () => {
    const y = `sites:
  - {id: r-ala, jurisdiction: KZ, city: Almaty, kubernetes: {endpoints: ["https://rancher.example.kz/k8s/clusters/c-ala"], region: kz-almaty}}
  - {id: r-fra, jurisdiction: DE, city: Frankfurt, kubernetes: {endpoints: ["https://rancher.example.kz/k8s/clusters/c-fra"], region: eu-central}}
`;
    const dir = tempDir({ 'sites.yaml': y });
    const reg = loadSitesRegistry(path.join(dir, 'sites.yaml'));
    expect(siteForHost(reg, 'https://RANCHER.example.kz:443/k8s/clusters/c-fra/')?.id).toBe('r-fra');
    expect(siteForHost(reg, 'https://rancher.example.kz')).toBeUndefined();
    expect(sitesError(y.replace('c-fra', 'c-ala'))).toBe(
      'sites.yaml: sites[1].kubernetes.endpoints[0]: endpoint https://rancher.example.kz:443/k8s/clusters/c-ala is also claimed by site "r-ala" (sites[0]); an endpoint must prove one site',
    );
  });

  test('a site may be a cloud region (any Kazakh city), and a region proves one site', () => {
    const y = `sites:
  - {id: yc-kz1, jurisdiction: KZ, city: Karaganda, operator: Yandex Cloud Kazakhstan, cloud: {provider: yandex, regions: [kz1]}}
  - {id: kz-ala-1, jurisdiction: KZ, city: Almaty, kubernetes: {endpoints: ["https://k8s.ala.example.kz"], region: kz-almaty}}
`;
    const dir = tempDir({ 'sites.yaml': y });
    expect(loadSitesRegistry(path.join(dir, 'sites.yaml')).sites.map((s) => s.id)).toEqual(['yc-kz1', 'kz-ala-1']);
    expect(sitesError(`${y}  - {id: yc-kz1b, jurisdiction: KZ, city: Almaty, cloud: {provider: yandex, regions: [KZ1]}}
`)).toBe(
      'sites.yaml: sites[2].cloud.regions[0]: yandex region KZ1 is also claimed by site "yc-kz1" (sites[0]); a region must prove one site',
    );
    expect(sitesError(y.replace('provider: yandex', 'provider: alibaba'))).toBe('sites.yaml: sites[0].cloud.provider: must be one of aws, google, azure, yandex');
    expect(sitesError(y.replace('regions: [kz1]', 'regions: []'))).toBe('sites.yaml: sites[0].cloud.regions: must not be empty');
    // a Kazakh site with a Kubernetes cluster is still in Almaty or Astana
    expect(sitesError(y.replace('city: Almaty', 'city: Karaganda'))).toBe('sites.yaml: sites[1].city: must be one of Almaty, Astana');
  });

  test('validateSitesRegistry takes parsed JSON (a cdktf.out sites.json)', () => {
    expect(inputErrorOf(() => validateSitesRegistry({ sites: [{ id: 'x' }] }, 'cdktf.out/sites.json')).message).toBe(
      ['cdktf.out/sites.json: sites[0].kubernetes: is required', 'cdktf.out/sites.json: sites[0].jurisdiction: is required', 'cdktf.out/sites.json: sites[0].city: is required'].join('\n'),
    );
  });
});

describe('waivers', () => {
  const GOOD = `waivers:
  - rule: KZ-AUD-002
    resource: "module.db.*"
    reason: Log sink migration to the Astana DC, ticket SEC-142
    approved_by: DPO A. Nurlanovna
    expires: 2026-12-31
`;
  function waiversError(yaml: string): string {
    const dir = tempDir({ 'waivers.yaml': yaml });
    return inputErrorOf(() => loadWaivers(path.join(dir, 'waivers.yaml'))).message.split(`${dir}${path.sep}`).join('');
  }

  test('a valid file loads; the YAML date stays an ISO string', () => {
    const dir = tempDir({ 'waivers.yaml': GOOD });
    const w = loadWaivers(path.join(dir, 'waivers.yaml'));
    expect(w).toEqual([{ rule: 'KZ-AUD-002', resource: 'module.db.*', reason: 'Log sink migration to the Astana DC, ticket SEC-142', approved_by: 'DPO A. Nurlanovna', expires: '2026-12-31' }]);
  });

  test('a waiver without reason or approver, with a bad rule id or an impossible date, is an error', () => {
    const y = `waivers:
  - {rule: "KZ aud 2", resource: "a", reason: "", approved_by: "  ", expires: 2026-02-30}
  - {rule: KZ-RES-001, resource: "b", expires: "31.12.2026"}
`;
    expect(waiversError(y)).toBe(
      [
        'waivers.yaml: waivers[0].rule: must match ^[A-Za-z][A-Za-z0-9_.-]*$',
        'waivers.yaml: waivers[0].reason: must not be empty',
        'waivers.yaml: waivers[0].approved_by: must not be blank',
        'waivers.yaml: waivers[0].expires: must be an ISO date YYYY-MM-DD that exists',
        'waivers.yaml: waivers[1].reason: is required',
        'waivers.yaml: and 2 more problems',
      ].join('\n'),
    );
  });

  test('duplicate waivers', () => {
    const y = GOOD + GOOD.split('\n').slice(1).join('\n');
    expect(waiversError(y)).toBe('waivers.yaml: waivers[1]: duplicate of waivers[0] (same rule KZ-AUD-002 and resource module.db.*)');
  });

  test('parseIsoDate rejects dates that do not exist', () => {
    expect(parseIsoDate('2026-02-28')).toEqual({ year: 2026, month: 2, day: 28 });
    expect(parseIsoDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    for (const bad of ['2026-02-29', '2026-02-30', '2100-02-29', '2026-13-01', '2026-04-31', '2026-1-01', '2026-01-00', '26-01-01', '2026-01-01T00:00:00Z']) {
      expect(parseIsoDate(bad)).toBeUndefined();
    }
  });

  test('waiverStatus: active through the expiry day, expired after', () => {
    const w = { expires: '2026-11-23' };
    expect(waiverStatus(w, '2026-11-22')).toBe('active');
    expect(waiverStatus(w, '2026-11-23')).toBe('active');
    expect(waiverStatus(w, '2026-11-24')).toBe('expired');
    expect(waiverStatus(w, new Date('2026-11-23T23:59:59Z'))).toBe('active');
    expect(waiverStatus(w, new Date('2026-11-24T00:00:00Z'))).toBe('expired');
    expect(waiverStatus({ expires: '2026-02-30' }, '2026-01-01')).toBe('expired');
    expect(() => waiverStatus(w, '23.11.2026')).toThrow(RangeError);
  });
});

describe('sites registry: what operating a site needs (credentials, exits, CAs; never secrets)', () => {
  const CA = '-----BEGIN CERTIFICATE-----\\n      MIIB\\n      -----END CERTIFICATE-----';
  const OPERATED = `sites:
  - id: kz-ala-1
    jurisdiction: KZ
    city: Almaty
    kubernetes:
      endpoints: ["https://k8s.ala.example.kz"]
      region: kz-almaty
      caBundle: "${CA}"
      auth: {kubeconfigContext: ala-deployer}
      apiServer: {cidrs: ["10.20.0.10/32", "fd00::10/128"], ports: [6443]}
    objectStorage: ["https://s3.ala.example.kz"]
    objectStorageAccess: {cidrs: ["10.20.40.0/28"], caBundle: "${CA}"}
    tunnelEndpoints: {cidrs: ["198.51.100.7/32"]}
  - id: kz-ast-1
    jurisdiction: KZ
    city: Astana
    kubernetes:
      endpoints: ["https://k8s.ast.example.kz"]
      region: kz-astana
      auth: {exec: {apiVersion: client.authentication.k8s.io/v1, command: kubelogin, args: [get-token], env: {KUBELOGIN_MODE: oidc}}}
      apiServer: {entity: {cni: cilium, name: kube-apiserver}}
`;

  test('loads credentials by reference, API server and object-storage exits, and CA bundles', () => {
    const dir = tempDir({ 'sites.yaml': OPERATED });
    const reg = loadSitesRegistry(path.join(dir, 'sites.yaml'));
    expect(reg.sites[0].kubernetes?.auth).toEqual({ kubeconfigContext: 'ala-deployer' });
    expect(reg.sites[0].kubernetes?.apiServer?.cidrs).toEqual(['10.20.0.10/32', 'fd00::10/128']);
    expect(reg.sites[0].objectStorageAccess?.cidrs).toEqual(['10.20.40.0/28']);
    expect(reg.sites[0].tunnelEndpoints?.cidrs).toEqual(['198.51.100.7/32']);
    expect(reg.sites[1].kubernetes?.auth?.exec?.command).toBe('kubelogin');
    expect(reg.sites[1].kubernetes?.apiServer?.entity).toEqual({ cni: 'cilium', name: 'kube-apiserver' });
  });

  test('both a context and an exec plugin, an empty auth, a token, a bare address, a private key: refused by field', () => {
    const bad = OPERATED.replace('auth: {kubeconfigContext: ala-deployer}', 'auth: {kubeconfigContext: a, exec: {apiVersion: client.authentication.k8s.io/v1, command: k}}')
      .replace('apiServer: {entity: {cni: cilium, name: kube-apiserver}}', 'apiServer: {ports: [6443]}\n      auth2: {}')
      .replace('cidrs: ["10.20.40.0/28"]', 'cidrs: ["10.20.40.1"]')
      .replace(`objectStorageAccess: {cidrs: ["10.20.40.1"], caBundle: "${CA}"}`, `objectStorageAccess: {cidrs: ["10.20.40.1"], caBundle: "${CA}\\n-----BEGIN PRIVATE KEY-----"}`);
    expect(sitesError(bad)).toBe(
      [
        'sites.yaml: sites[0].kubernetes.auth: must set exactly one of kubeconfigContext or exec',
        'sites.yaml: sites[0].objectStorageAccess.cidrs[0]: must be a CIDR such as 10.20.0.10/32',
        'sites.yaml: sites[0].objectStorageAccess.caBundle: holds a private key; the registry never holds secrets',
        'sites.yaml: sites[1].kubernetes.auth2: is not a known field',
        'sites.yaml: sites[1].kubernetes.apiServer: must have cidrs or entity',
      ].join('\n'),
    );
    expect(sitesError(OPERATED.replace('auth: {kubeconfigContext: ala-deployer}', 'auth: {token: abc}'))).toBe(
      'sites.yaml: sites[0].kubernetes.auth.token: is not a known field',
    );
  });
});
