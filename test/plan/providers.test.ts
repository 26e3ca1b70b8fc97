/** resolveProviders on small hand-written plans for the cases the real plans do not cover. */
import { normaliseEndpoint } from '../../plan/providers';
import { resolveProviders, modulePath, moduleAddressOf } from '../../plan/providers';
import * as path from 'node:path';
import { InterpreterEngine } from '../../engine/interpreter';
import { loadRegoDirectory } from '../../engine/load';
import type { PlanDocument, ResourceChange, ConfigResource } from '../../plan/format';

function change(address: string, type: string, name: string, module_address?: string): ResourceChange {
  return { address, ...(module_address ? { module_address } : {}), mode: 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/kubernetes', change: { actions: ['create'], before: null, after: {} } };
}
function res(type: string, name: string, key: string): ConfigResource {
  return { address: `${type}.${name}`, mode: 'managed', type, name, provider_config_key: key };
}
const K8S = 'registry.terraform.io/hashicorp/kubernetes';

describe('normaliseEndpoint', () => {
  test.each([
    ['https://K8S.Ala.Example.kz/', 'https://k8s.ala.example.kz:443'],
    ['https://k8s.ala.example.kz:443', 'https://k8s.ala.example.kz:443'],
    ['https://k8s.ala.example.kz/api/v1?x=1#f', 'https://k8s.ala.example.kz:443/api/v1'],
    ['https://rancher.example.kz/k8s/clusters/c-ala/', 'https://rancher.example.kz:443/k8s/clusters/c-ala'],
    ['https://a@b:c@k8s.example.kz/x', 'https://k8s.example.kz:443/x'],
    ['https://k8s.example.kz.', 'https://k8s.example.kz:443'],
    ['https://10.20.0.10:6443', 'https://10.20.0.10:6443'],
    ['10.20.0.10:6443', 'https://10.20.0.10:6443'],
    ['k8s.ala.example.kz', 'https://k8s.ala.example.kz:443'],
    ['HTTPS://user:pw@K8S.example.kz:8443/', 'https://k8s.example.kz:8443'],
    ['https://[FD00::1]:6443', 'https://[fd00:0:0:0:0:0:0:1]:6443'],
    ['https://[fd00:0000::0001]:6443/', 'https://[fd00:0:0:0:0:0:0:1]:6443'],
    ['[::1]:6443', 'https://[0:0:0:0:0:0:0:1]:6443'],
    ['http://k8s.example.kz', 'http://k8s.example.kz:80'],
  ])('%s → %s', (input, out) => expect(normaliseEndpoint(input)).toBe(out));
  test.each(['', '   ', 'ftp://x.kz', 'https://', 'not a url', 'https://x.kz:99999'])('%j is not an endpoint', (input) => expect(normaliseEndpoint(input)).toBeUndefined());
});

describe('normaliseEndpoint agrees with policies/lib/endpoint.rego', () => {
  const urls = [
    'https://K8S.Ala.Example.kz/', 'https://k8s.ala.example.kz:443', 'https://rancher.example.kz/k8s/clusters/c-ala/', '10.20.0.10:6443',
    'HTTPS://user:pw@K8S.example.kz:8443/', 'https://[FD00::1]:6443', 'https://[fd00:0000::0001]:6443/', '[::1]:6443', 'http://k8s.example.kz',
    'https://k8s.example.kz.', 'https://k8s.example.kz/api/v1?x=1#f', 'https://[2001:db8::]',
  ];
  test('on every form the registry and providers use', () => {
    const sources = [...loadRegoDirectory(path.resolve(__dirname, '../../policies'), { includeTests: false }), { file: 't.rego', source: 'package t\nimport data.kz.lib.endpoint\nout := {u: n | some u in input.urls; n := endpoint.normalize(u)}\n' }];
    const out = InterpreterEngine.fromSources(sources).evaluateSync('t/out', { urls }, {}) as Record<string, string>;
    for (const u of urls) expect([u, out[u]]).toEqual([u, normaliseEndpoint(u)]);
  });
});

describe('module addresses', () => {
  test('modulePath drops instance keys', () => {
    expect(modulePath('module.a["x.y"].module.b[0]')).toEqual(['a', 'b']);
    expect(modulePath(undefined)).toEqual([]);
    expect(moduleAddressOf('module.a["k"].module.b[0].helm_release.pg[1]')).toBe('module.a["k"].module.b[0]');
    expect(moduleAddressOf('helm_release.pg')).toBeUndefined();
  });
});

describe('resolveProviders', () => {
  const plan: PlanDocument = {
    format_version: '1.2',
    variables: { ala_host: { value: 'https://K8S.ala.example.kz/' } },
    resource_changes: [
      change('kubernetes_namespace.root', 'kubernetes_namespace', 'root'),
      change('kubernetes_namespace.aliased', 'kubernetes_namespace', 'aliased'),
      change('module.db["a"].kubernetes_namespace.inherited', 'kubernetes_namespace', 'inherited', 'module.db["a"]'),
      change('module.db["a"].kubernetes_namespace.passed', 'kubernetes_namespace', 'passed', 'module.db["a"]'),
      change('module.db["a"].module.inner.kubernetes_namespace.deep', 'kubernetes_namespace', 'deep', 'module.db["a"].module.inner'),
      change('module.nomap.kubernetes_namespace.x', 'kubernetes_namespace', 'x', 'module.nomap'),
      change('kubernetes_namespace.gone', 'kubernetes_namespace', 'gone'),
      change('kubernetes_namespace.fn', 'kubernetes_namespace', 'fn'),
      change('module.withvar.kubernetes_namespace.v', 'kubernetes_namespace', 'v', 'module.withvar'),
    ],
    configuration: {
      provider_config: {
        kubernetes: { name: 'kubernetes', full_name: K8S, expressions: { host: { references: ['var.ala_host'] } } },
        'kubernetes.fra': { name: 'kubernetes', full_name: K8S, alias: 'fra', expressions: { host: { constant_value: 'https://k8s.fra.example.com' } } },
        'kubernetes.fn': { name: 'kubernetes', full_name: K8S, alias: 'fn', expressions: { host: {} } },
        'module.withvar:kubernetes': { name: 'kubernetes', full_name: K8S, module_address: 'module.withvar', expressions: { host: { references: ['var.endpoint'] } } },
      },
      root_module: {
        resources: [res('kubernetes_namespace', 'root', 'kubernetes'), res('kubernetes_namespace', 'aliased', 'kubernetes.fra'), res('kubernetes_namespace', 'fn', 'kubernetes.fn')],
        module_calls: {
          db: {
            // an old-style plan: module-local keys, with the call's providers map
            providers: { 'kubernetes.ala': 'kubernetes.fra' },
            module: {
              resources: [res('kubernetes_namespace', 'inherited', 'module.db:kubernetes'), res('kubernetes_namespace', 'passed', 'module.db:kubernetes.ala')],
              module_calls: { inner: { module: { resources: [res('kubernetes_namespace', 'deep', 'module.db.module.inner:kubernetes')] } } },
            },
          },
          nomap: { module: { resources: [res('kubernetes_namespace', 'x', 'module.nomap:kubernetes.ala')] } },
          withvar: { expressions: {}, module: { resources: [res('kubernetes_namespace', 'v', 'module.withvar:kubernetes')], variables: { endpoint: { default: 'https://10.20.0.10:6443' } } } },
        },
      },
    },
  };
  const rs = Object.fromEntries(resolveProviders(plan).map((r) => [r.address, r]));

  test('a root variable with a value in the plan is a constant host', () => {
    expect(rs['kubernetes_namespace.root']).toMatchObject({
      status: 'resolved',
      providerConfigKey: 'kubernetes',
      host: { kind: 'constant', value: 'https://K8S.ala.example.kz/', endpoint: 'https://k8s.ala.example.kz:443', via: ['var.ala_host'] },
    });
  });
  test('an aliased provider', () => {
    expect(rs['kubernetes_namespace.aliased']).toMatchObject({ providerConfigKey: 'kubernetes.fra', alias: 'fra', host: { kind: 'constant', endpoint: 'https://k8s.fra.example.com:443' } });
  });
  test('implicit inheritance of the default provider, through two module levels', () => {
    expect(rs['module.db["a"].kubernetes_namespace.inherited']).toMatchObject({ status: 'resolved', configKey: 'module.db:kubernetes', providerConfigKey: 'kubernetes', inherited: true });
    expect(rs['module.db["a"].module.inner.kubernetes_namespace.deep']).toMatchObject({ status: 'resolved', providerConfigKey: 'kubernetes', inherited: true });
  });
  test("a provider passed in through the call's providers map", () => {
    expect(rs['module.db["a"].kubernetes_namespace.passed']).toMatchObject({ status: 'resolved', providerConfigKey: 'kubernetes.fra', alias: 'fra', host: { kind: 'constant' } });
  });
  test('an aliased provider passed in without a providers map is unresolved', () => {
    expect(rs['module.nomap.kubernetes_namespace.x']).toMatchObject({
      status: 'unresolved',
      configKey: 'module.nomap:kubernetes.ala',
      reason: 'provider kubernetes.ala of module.nomap is passed in by its caller (providers = {...}), and the plan does not record which configuration; it is not in configuration.provider_config',
    });
    expect(rs['module.nomap.kubernetes_namespace.x'].host).toBeUndefined();
  });
  test('a resource missing from the configuration is unresolved', () => {
    expect(rs['kubernetes_namespace.gone']).toMatchObject({ status: 'unresolved', reason: 'not in the configuration', kubernetes: true });
  });
  test('a host that is neither constant nor reference is unknown', () => {
    expect(rs['kubernetes_namespace.fn'].host).toMatchObject({ kind: 'unknown' });
  });
  test("a module variable the call does not set falls back to the variable's default", () => {
    expect(rs['module.withvar.kubernetes_namespace.v'].host).toEqual({ kind: 'constant', value: 'https://10.20.0.10:6443', endpoint: 'https://10.20.0.10:6443', via: ['module.withvar.var.endpoint'] });
  });
  test('a plan without configuration: every change unresolved', () => {
    const r = resolveProviders({ format_version: '1.2', resource_changes: [change('kubernetes_namespace.a', 'kubernetes_namespace', 'a')] });
    expect(r).toEqual([expect.objectContaining({ status: 'unresolved', reason: 'the plan has no configuration section' })]);
  });
  test('helm v3 constant kubernetes object and helm v2 block with config_path', () => {
    const p: PlanDocument = {
      format_version: '1.2',
      resource_changes: [change('helm_release.a', 'helm_release', 'a'), change('helm_release.b', 'helm_release', 'b')],
      configuration: {
        provider_config: {
          helm: { name: 'helm', expressions: { kubernetes: { constant_value: { host: 'https://k8s.ala.example.kz' } } } },
          'helm.b': { name: 'helm', alias: 'b', expressions: { kubernetes: [{ config_path: { constant_value: '~/.kube/config' } }] } },
        },
        root_module: { resources: [res('helm_release', 'a', 'helm'), res('helm_release', 'b', 'helm.b')] },
      },
    };
    const [a, b] = resolveProviders(p);
    expect(a.host).toEqual({ kind: 'constant', value: 'https://k8s.ala.example.kz', endpoint: 'https://k8s.ala.example.kz:443' });
    expect(b.host).toMatchObject({ kind: 'absent', reason: expect.stringContaining('kubernetes[0].config_path') });
  });
});
