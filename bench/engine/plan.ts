/**
 * A generated Terraform plan (`terraform show -json` shape) with N resources spread over a few
 * aliased kubernetes/helm providers, each provider pointing at a cluster host, plus the site
 * registry the policy checks against. Deterministic: the same N gives the same plan.
 */
import type { JsonValue } from '../../engine/engine';

type Json = { [key: string]: JsonValue };

export interface BenchSite {
  id: string;
  country: string;
  endpoint: string;
}

export const SITES: BenchSite[] = [
  { id: 'kz-ala-1', country: 'KZ', endpoint: 'https://k8s.ala-1.example.kz:6443' },
  { id: 'kz-nqz-1', country: 'KZ', endpoint: 'https://k8s.nqz-1.example.kz:6443' },
  { id: 'de-fra-1', country: 'DE', endpoint: 'https://k8s.fra-1.example.de:6443' },
];

/** Provider aliases and the host each points at; the last one is not in the registry. */
const PROVIDERS: Array<{ alias: string; host: string }> = [
  { alias: 'ala', host: SITES[0].endpoint },
  { alias: 'nqz', host: SITES[1].endpoint },
  { alias: 'fra', host: SITES[2].endpoint },
  { alias: 'lab', host: 'https://10.0.0.5:6443' },
];

const TYPES = [
  'kubernetes_stateful_set_v1',
  'helm_release',
  'kubernetes_namespace_v1',
  'kubernetes_deployment_v1',
  'kubernetes_config_map_v1',
];
const CLASSES = ['personal', 'personal', 'public', 'internal'];

/** A tiny deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generatePlan(n: number): Json {
  const rand = rng(n);
  const resourceChanges: JsonValue[] = [];
  const configResources: JsonValue[] = [];
  const providerConfig: Json = {};
  for (const kind of ['kubernetes', 'helm']) {
    for (const p of PROVIDERS) {
      const key = `${kind}.${p.alias}`;
      const host = { constant_value: p.host };
      providerConfig[key] = {
        name: kind,
        full_name: `registry.terraform.io/hashicorp/${kind}`,
        alias: p.alias,
        expressions: kind === 'kubernetes' ? { host } : { kubernetes: [{ host }] },
      };
    }
  }
  for (let i = 0; i < n; i++) {
    const type = TYPES[i % TYPES.length];
    const kind = type === 'helm_release' ? 'helm' : 'kubernetes';
    const provider = PROVIDERS[Math.floor(rand() * PROVIDERS.length)];
    const site = SITES.find((s) => s.endpoint === provider.host);
    const name = `r${i}`;
    const address = `${type}.${name}`;
    const dataClass = CLASSES[Math.floor(rand() * CLASSES.length)];
    const labels: Json = {
      'app.kubernetes.io/name': name,
      'residency.kz/data-class': dataClass,
      'residency.kz/role': i % 3 === 0 ? 'primary' : 'replica',
      // mostly right; some wrong or missing
      'residency.kz/site': rand() < 0.9 ? (site?.id ?? 'kz-ala-1') : 'kz-ala-1',
    };
    if (rand() < 0.05) delete labels['residency.kz/role'];
    const after: Json =
      type === 'helm_release'
        ? { name, namespace: 'data', chart: 'postgresql', values: [], metadata: [{ labels }] }
        : { metadata: [{ name, namespace: 'data', labels }], spec: [{ replicas: 1 }] };
    resourceChanges.push({
      address,
      mode: 'managed',
      type,
      name,
      provider_name: `registry.terraform.io/hashicorp/${kind}`,
      change: { actions: ['create'], before: null, after, after_unknown: {} },
    });
    configResources.push({
      address,
      mode: 'managed',
      type,
      name,
      provider_config_key: `${kind}.${provider.alias}`,
      expressions: {},
    });
  }
  return {
    format_version: '1.2',
    terraform_version: '1.9.0',
    resource_changes: resourceChanges,
    configuration: { provider_config: providerConfig, root_module: { resources: configResources } },
  };
}

export function registryData(): JsonValue {
  return { registry: { sites: SITES as unknown as JsonValue } };
}
