/** The same check as policy.rego, written by hand in TypeScript: the speed reference. */
import type { JsonValue } from '../../engine/engine';

export interface BenchFinding {
  rule: string;
  resource: string;
  detail: string;
}

type Obj = { [key: string]: JsonValue };
const o = (v: JsonValue | undefined): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
const a = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : []);

const STORE_TYPES = new Set([
  'kubernetes_stateful_set_v1',
  'helm_release',
  'kubernetes_namespace_v1',
  'kubernetes_deployment_v1',
]);
const REQUIRED = ['residency.kz/data-class', 'residency.kz/role', 'residency.kz/site'];

export function handwrittenCheck(plan: JsonValue, data: JsonValue): BenchFinding[] {
  const p = o(plan);
  const config = o(p.configuration);
  const providers = o(config.provider_config);
  const keyByAddress = new Map<string, string>();
  for (const r of a(o(config.root_module).resources)) {
    const ro = o(r);
    if (typeof ro.address === 'string' && typeof ro.provider_config_key === 'string')
      keyByAddress.set(ro.address, ro.provider_config_key);
  }
  const sites = new Map<string, Obj>();
  for (const s of a(o(o(data).registry).sites)) {
    const so = o(s);
    if (typeof so.endpoint === 'string') sites.set(so.endpoint, so);
  }
  const hostOf = (key: string): string | undefined => {
    const ex = o(o(providers[key]).expressions);
    const h = o(ex.host).constant_value ?? o(o(a(ex.kubernetes)[0]).host).constant_value;
    return typeof h === 'string' ? h : undefined;
  };
  const out: BenchFinding[] = [];
  const seen = new Set<string>();
  const add = (f: BenchFinding): void => {
    const k = `${f.rule}\u0000${f.resource}\u0000${f.detail}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(f);
    }
  };
  for (const rc of a(p.resource_changes)) {
    const r = o(rc);
    if (typeof r.type !== 'string' || !STORE_TYPES.has(r.type) || typeof r.address !== 'string') continue;
    const key = keyByAddress.get(r.address);
    if (key === undefined) continue;
    const host = hostOf(key);
    if (host === undefined) continue;
    const labels = o(o(a(o(o(r.change).after).metadata)[0]).labels);
    const site = sites.get(host);
    if (!site) add({ rule: 'unregistered-endpoint', resource: r.address, detail: host });
    if (site && labels['residency.kz/data-class'] === 'personal' && site.country !== 'KZ') {
      add({ rule: 'personal-data-abroad', resource: r.address, detail: String(site.id) });
    }
    for (const l of REQUIRED) {
      const v = labels[l];
      if (v === undefined || v === false) add({ rule: 'missing-label', resource: r.address, detail: l });
    }
    if (site && labels['residency.kz/site'] !== undefined && labels['residency.kz/site'] !== site.id) {
      add({
        rule: 'site-label-mismatch',
        resource: r.address,
        detail: `${String(labels['residency.kz/site'])} != ${String(site.id)}`,
      });
    }
  }
  return out;
}
