/**
 * Generates a realistic Terraform plan JSON (`terraform show -json`, format 1.2, Terraform 1.9)
 * of N resource changes, deterministic for a given seed, written to a file piece by piece (a
 * 100,000-resource plan is about half a gigabyte: it is never held as one string).
 *
 * Shape, after the real plans in ../shared/plans/real: mostly Kubernetes and Helm; tenants
 * deployed as for_each module instances with nested modules (apps, databases), on several
 * aliased kubernetes/helm provider configurations (three Kazakh sites, a foreign one, an
 * unregistered lab cluster, an edge cluster whose host is a reference), plus random, tls, time,
 * null and aws resources; 4–5% of the resources are stores (CloudNativePG and Bitnami charts,
 * StatefulSets with volume claims, PVCs, CloudNativePG Cluster manifests); each resource appears
 * in planned_values, resource_changes (before/after/unknown/sensitive), prior_state (when it
 * exists) and, once per module path, in configuration. Some of it breaks the rules on purpose
 * (personal data abroad, unprovable hosts, missing classification, unencrypted or unset storage
 * classes, unpinned pods, credentials in clear, wrong site labels).
 */
import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { Rng, subSeed } from './random';
import * as R from './resources';
import type { Built, Json, KubeMeta, Obj, StoreOptions } from './resources';
import { PLACEMENTS, SITES, type Placement } from './sites';

/** Bump when the output changes, so that cached plans are regenerated. */
export const GENERATOR_VERSION = 1;

type Action = 'create' | 'no-op' | 'update' | 'replace' | 'delete';

interface Res {
  readonly built: Built;
  /** Address inside its module: `<type>.<name>` plus `[index]`. */
  readonly local: string;
  readonly name: string;
  readonly index?: number;
  readonly providerKey: string;
  readonly action: Action;
  readonly store: boolean;
}

/** One module instance: its resources and child instances. */
interface Instance {
  /** e.g. `module.tenants_ala["t00042"].module.app["api"]` ('' for the root module). */
  readonly address: string;
  readonly resources: Res[];
  readonly children: Instance[];
}

export interface GeneratedPlan {
  readonly file: string;
  readonly bytes: number;
  readonly resources: number;
  readonly stores: number;
  readonly kube: number;
  readonly modules: number;
  /** Addresses of some stores and findings-prone resources, for the waivers file. */
  readonly waiverTargets: { rule: string; address: string }[];
  /** Every resource change's address. */
  readonly addresses: string[];
}

const PROVIDER_SOURCE: Record<Built['provider'], string> = {
  kubernetes: 'registry.terraform.io/hashicorp/kubernetes',
  helm: 'registry.terraform.io/hashicorp/helm',
  aws: 'registry.terraform.io/hashicorp/aws',
  random: 'registry.terraform.io/hashicorp/random',
  tls: 'registry.terraform.io/hashicorp/tls',
  time: 'registry.terraform.io/hashicorp/time',
  null: 'registry.terraform.io/hashicorp/null',
};

const APP_NAMES = ['api', 'web', 'worker', 'billing', 'auth', 'search', 'notify', 'reports', 'ledger', 'gateway', 'admin', 'export'];
const APP_CHARTS = [
  { chart: 'keycloak', repository: 'oci://registry-1.docker.io/bitnamicharts' },
  { chart: 'podinfo', repository: 'https://stefanprodan.github.io/podinfo' },
  { chart: 'nginx', repository: 'oci://registry-1.docker.io/bitnamicharts' },
  { chart: 'oauth2-proxy', repository: 'https://oauth2-proxy.github.io/manifests' },
];
const PLATFORM_CHARTS = [
  { chart: 'ingress-nginx', repository: 'https://kubernetes.github.io/ingress-nginx', ns: 'ingress-nginx', lines: 50 },
  { chart: 'cert-manager', repository: 'https://charts.jetstack.io', ns: 'cert-manager', lines: 40 },
  { chart: 'kube-prometheus-stack', repository: 'https://prometheus-community.github.io/helm-charts', ns: 'monitoring', lines: 100 },
  { chart: 'fluent-bit', repository: 'https://fluent.github.io/helm-charts', ns: 'logging', lines: 60 },
  { chart: 'cloudnative-pg', repository: 'https://cloudnative-pg.github.io/charts', ns: 'cnpg-system', lines: 30 },
];

function pickAction(rng: Rng): Action {
  const x = rng.next();
  return x < 0.65 ? 'create' : x < 0.9 ? 'no-op' : x < 0.96 ? 'update' : x < 0.98 ? 'replace' : 'delete';
}

function pickPlacement(rng: Rng): Placement {
  let x = rng.next();
  for (const p of PLACEMENTS) {
    if (x < p.weight) return p;
    x -= p.weight;
  }
  return PLACEMENTS[0];
}

/** Residency labels a store or namespace carries (sometimes wrong or missing, on purpose). */
function residencyLabels(rng: Rng, placement: Placement): { labels: Record<string, string>; dataClass?: string } {
  const labels: Record<string, string> = {};
  const x = rng.next();
  const dataClass = x < 0.5 ? 'personal' : x < 0.7 ? 'case' : x < 0.85 ? 'public' : x < 0.9 ? 'biometric' : x < 0.92 ? 'special' : x < 0.97 ? undefined : 'confidential';
  if (dataClass) labels['residency.kz/data-class'] = dataClass;
  const y = rng.next();
  const role = y < 0.6 ? 'primary' : y < 0.85 ? 'replica' : y < 0.95 ? 'cache' : undefined;
  if (role) labels['residency.kz/role'] = role;
  const z = rng.next();
  const claimed = z < 0.92 ? (placement.site?.id ?? 'kz-ala-1') : z < 0.97 ? rng.pick(SITES).id : undefined;
  if (claimed) labels['residency.kz/site'] = claimed;
  return { labels, dataClass };
}

function storeOptions(rng: Rng, placement: Placement, name: string): StoreOptions {
  const site = placement.site ?? SITES[0];
  const s = rng.next();
  const storageClass = s < 0.85 ? site.encryptedClass : s < 0.9 ? site.plainClass : s < 0.95 ? undefined : 'standard';
  const p = rng.next();
  const region = p < 0.85 ? site.region : p < 0.95 ? undefined : 'eu-central';
  return { storageClass, region, zones: region === site.region ? site.zones : undefined, backupEndpoint: rng.chance(0.9) ? site.objectStorage : `https://backup-${name}.s3.amazonaws.com` };
}

class Builder {
  private readonly rng: Rng;
  private count = 0;
  readonly waiverTargets: { rule: string; address: string }[] = [];

  constructor(
    seed: number,
    private readonly budget: number,
  ) {
    this.rng = new Rng(seed);
  }

  get full(): boolean {
    return this.count >= this.budget;
  }

  add(into: Res[], built: Built, name: string, providerKey: string, opts: { index?: number; store?: boolean } = {}): void {
    if (this.full) return;
    this.count++;
    const local = `${built.type}.${name}${opts.index === undefined ? '' : `[${opts.index}]`}`;
    into.push({ built, local, name, index: opts.index, providerKey, action: pickAction(this.rng), store: opts.store === true });
  }

  /** Platform charts and namespaces of one placement (a module per cluster). */
  platform(p: Placement): Instance {
    const rng = this.rng;
    const res: Res[] = [];
    const kube = `kubernetes.${p.alias}`;
    const helm = `helm.${p.alias}`;
    for (const pc of PLATFORM_CHARTS) {
      const labels = { 'app.kubernetes.io/part-of': 'platform', ...(p.site ? { 'residency.kz/site': p.site.id } : {}) };
      this.add(res, R.namespace(rng, { name: pc.ns, namespace: '', labels }), pc.ns.replace(/-/g, '_'), kube);
      this.add(res, R.helmApp(rng, pc.chart, pc.ns, pc.chart, pc.repository, labels, pc.lines), pc.chart.replace(/-/g, '_'), helm);
    }
    this.add(res, R.timeSleep(rng), 'wait_for_cluster', `module.platform_${p.alias}:time`);
    return { address: `module.platform_${p.alias}`, resources: res, children: [] };
  }

  tenant(p: Placement, key: string): Instance {
    const rng = this.rng;
    const address = `module.tenants_${p.alias}["${key}"]`;
    // ala2 tenants inherit the root's default providers under module-local keys with no
    // configuration of their own (as older plans and converters write them: resolved upwards);
    // the others are passed aliased providers (Terraform writes the parent's key).
    const local = p.alias === 'ala2';
    const kube = (m: string): string => (local ? `${m}:kubernetes` : `kubernetes.${p.alias}`);
    const helm = (m: string): string => (local ? `${m}:helm` : `helm.${p.alias}`);
    const modPath = `module.tenants_${p.alias}`;
    const ns = `tenant-${key}`;
    const nsRes = residencyLabels(rng, p);
    const nsLabels: Record<string, string> = { 'app.kubernetes.io/managed-by': 'terraform', tenant: key, ...(rng.chance(0.5) ? nsRes.labels : {}) };
    const res: Res[] = [];
    this.add(res, R.namespace(rng, { name: ns, namespace: '', labels: nsLabels }), 'this', kube(modPath));
    this.add(res, R.networkPolicy(rng, { name: 'default-deny', namespace: ns, labels: { tenant: key } }, []), 'default_deny', kube(modPath));
    this.add(res, R.serviceAccount(rng, { name: 'deployer', namespace: ns, labels: { tenant: key } }), 'deployer', kube(modPath));
    this.add(res, R.roleBinding(rng, { name: 'deployer', namespace: ns, labels: { tenant: key } }), 'deployer', kube(modPath));
    const chart = rng.pick(APP_CHARTS);
    this.add(res, R.helmApp(rng, `${key}-${chart.chart}`, ns, chart.chart, chart.repository, { tenant: key }, rng.int(6, 24)), 'app', helm(modPath));
    this.add(res, R.randomPassword(rng), 'db', `${modPath}:random`);
    this.add(res, R.tlsKey(rng), 'tunnel', `${modPath}:tls`);

    const children: Instance[] = [];
    const napps = rng.int(3, 5);
    const apps = [...APP_NAMES].sort(() => rng.next() - 0.5).slice(0, napps);
    for (const app of apps) {
      const ar: Res[] = [];
      const mp = `${modPath}.module.app`;
      const labels = { 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': `${key}-${app}`, tenant: key };
      const m: KubeMeta = { name: app, namespace: ns, labels, annotations: rng.chance(0.5) ? { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' } : undefined };
      const image = `registry.bench.example.kz/${key}/${app}:${rng.int(1, 9)}.${rng.int(0, 40)}.${rng.int(0, 9)}`;
      this.add(ar, R.deployment(rng, m, image, rng.chance(0.02)), 'this', kube(mp));
      this.add(ar, R.service(rng, m), 'this', kube(mp));
      this.add(ar, R.configMap(rng, { ...m, name: `${app}-config` }, rng.chance(0.03)), 'this', kube(mp));
      this.add(ar, R.serviceAccount(rng, m), 'this', kube(mp));
      this.add(ar, R.networkPolicy(rng, m, ['gateway', 'web']), 'this', kube(mp));
      if (rng.chance(0.5)) this.add(ar, R.hpa(rng, m), 'this', kube(mp), { index: 0 });
      if (rng.chance(0.3)) this.add(ar, R.ingress(rng, m, `${app}.${key}.bench.example.kz`), 'this', kube(mp), { index: 0 });
      if (rng.chance(0.4)) this.add(ar, R.secret(rng, { ...m, name: `${app}-db` }), 'db', kube(mp), { index: 0 });
      if (rng.chance(0.15)) this.add(ar, R.cronJob(rng, { ...m, name: `${app}-cleanup` }, image), 'cleanup', kube(mp), { index: 0 });
      children.push({ address: `${address}.module.app["${app}"]`, resources: ar, children: [] });
    }

    const dr: Res[] = [];
    const dp = `${modPath}.module.db`;
    const nstores = rng.int(1, 3);
    const kinds = ['cnpg', 'cnpg', 'bitnami', 'statefulset', 'statefulset', 'pvc', 'manifest'];
    const used = new Set<string>();
    for (let i = 0; i < nstores; i++) {
      const kind = rng.pick(kinds);
      if (used.has(kind)) continue;
      used.add(kind);
      const { labels, dataClass } = residencyLabels(rng, p);
      const name = `${key}-${kind}`;
      const o = storeOptions(rng, p, name);
      const m: KubeMeta = { name, namespace: ns, labels: { 'app.kubernetes.io/name': name, ...labels }, annotations: { 'residency.kz/audit-log': 'pgaudit:all', 'residency.kz/tls': 'required' } };
      const before = dr.length;
      if (kind === 'cnpg') {
        const residency: Record<string, string> = {};
        if (labels['residency.kz/data-class']) residency.dataClass = labels['residency.kz/data-class'];
        if (labels['residency.kz/role']) residency.role = labels['residency.kz/role'];
        if (labels['residency.kz/site']) residency.site = labels['residency.kz/site'];
        this.add(dr, R.helmCnpg(rng, m, residency, o), 'cluster', helm(dp), { index: 0, store: true });
      } else if (kind === 'bitnami') this.add(dr, R.helmDatabase(rng, m, rng.pick(['postgresql', 'redis', 'mongodb']), o), 'database', helm(dp), { index: 0, store: true });
      else if (kind === 'statefulset') this.add(dr, R.statefulSet(rng, m, 'redis:7.4', o), 'cache', kube(dp), { index: 0, store: true });
      else if (kind === 'pvc') this.add(dr, R.pvc(rng, m, o), 'uploads', kube(dp), { index: 0, store: true });
      else this.add(dr, R.cnpgManifest(rng, m, o), 'cluster', kube(dp), { index: 0, store: true });
      if (dr.length > before) {
        const addr = `${address}.module.db.${dr[dr.length - 1].local}`;
        if (dataClass === 'personal' && !p.site) this.waiverTargets.push({ rule: 'KZ-RES-002', address: addr });
        if (!o.region) this.waiverTargets.push({ rule: 'KZ-RES-005', address: addr });
      }
    }
    this.add(dr, R.secret(rng, { name: `${key}-db-credentials`, namespace: ns, labels: { tenant: key } }), 'credentials', kube(dp));
    if (p.alias === 'fra') this.add(dr, R.s3Bucket(rng, `${key}-exports`, { tenant: key, 'residency.kz/data-class': 'case' }), 'exports', 'aws');
    children.push({ address: `${address}.module.db`, resources: dr, children: [] });
    return { address, resources: res, children };
  }

  root(): Res[] {
    const rng = this.rng;
    const res: Res[] = [];
    this.add(res, R.iamRole(rng, 'bench-ci-deployer'), 'deployer', 'aws');
    this.add(res, R.s3Bucket(rng, 'bench-terraform-artifacts', { purpose: 'ci' }), 'artifacts', 'aws');
    this.add(res, R.nullResource(rng), 'kubeconfig', 'null');
    return res;
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Appends to a file through a buffer (one write per ~1 MB). */
class Out {
  private fd: number;
  private buf: string[] = [];
  private size = 0;
  bytes = 0;

  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }

  write(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0) return;
    const b = Buffer.from(this.buf.join(''), 'utf8');
    writeSync(this.fd, b);
    this.bytes += b.length;
    this.buf = [];
    this.size = 0;
  }

  writeBytes(b: Buffer): void {
    this.flush();
    writeSync(this.fd, b);
    this.bytes += b.length;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

function withoutComputed(b: Built): Obj {
  const out: Obj = { ...b.values };
  for (const k of b.computed) delete out[k];
  return out;
}

/** The values before an update: a few attributes differ. */
function changedBefore(b: Built, rng: Rng): Obj {
  const out: Obj = { ...b.values };
  if (Array.isArray(out.metadata) && out.metadata[0] && typeof out.metadata[0] === 'object') {
    const m = { ...(out.metadata[0] as Obj) };
    m.labels = { ...((m.labels as Obj) ?? {}), 'app.kubernetes.io/version': `0.${rng.int(1, 99)}` };
    out.metadata = [m, ...out.metadata.slice(1)];
  }
  if (typeof out.version === 'string') out.version = `0.${rng.int(1, 9)}.0`;
  return out;
}

function common(r: Res, moduleAddress: string): Obj {
  const o: Obj = { address: moduleAddress ? `${moduleAddress}.${r.local}` : r.local };
  if (moduleAddress) o.module_address = moduleAddress;
  o.mode = 'managed';
  o.type = r.built.type;
  o.name = r.name;
  if (r.index !== undefined) o.index = r.index;
  o.provider_name = PROVIDER_SOURCE[r.built.provider];
  return o;
}

function changeOf(r: Res, moduleAddress: string, rng: Rng): Obj {
  const b = r.built;
  const o = common(r, moduleAddress);
  let change: Obj;
  switch (r.action) {
    case 'create':
      change = { actions: ['create'], before: null, after: withoutComputed(b), after_unknown: b.unknown, before_sensitive: false, after_sensitive: b.sensitive };
      break;
    case 'no-op':
      change = { actions: ['no-op'], before: b.values, after: b.values, after_unknown: {}, before_sensitive: b.sensitive, after_sensitive: b.sensitive };
      break;
    case 'update':
      change = { actions: ['update'], before: changedBefore(b, rng), after: b.values, after_unknown: {}, before_sensitive: b.sensitive, after_sensitive: b.sensitive };
      break;
    case 'replace':
      change = { actions: ['delete', 'create'], before: b.values, after: withoutComputed(b), after_unknown: b.unknown, before_sensitive: b.sensitive, after_sensitive: b.sensitive, replace_paths: [['metadata', 0, 'name']] };
      o.action_reason = 'replace_because_cannot_update';
      break;
    default:
      change = { actions: ['delete'], before: b.values, after: null, after_unknown: {}, before_sensitive: b.sensitive, after_sensitive: false };
      o.action_reason = 'delete_because_no_resource_config';
  }
  o.change = change;
  return o;
}

function plannedOf(r: Res, moduleAddress: string): Obj {
  const o = common(r, moduleAddress);
  o.schema_version = 1;
  o.values = r.action === 'create' || r.action === 'replace' ? withoutComputed(r.built) : r.built.values;
  o.sensitive_values = r.built.sensitive;
  return o;
}

function priorOf(r: Res, moduleAddress: string): Obj {
  const o = common(r, moduleAddress);
  o.schema_version = 1;
  o.values = r.built.values;
  o.sensitive_values = r.built.sensitive;
  return o;
}

/** A module instance for planned_values / prior_state (`live`: resources present after apply). */
function moduleValues(inst: Instance, which: 'planned' | 'prior'): Obj | null {
  const resources: Json[] = [];
  for (const r of inst.resources) {
    if (which === 'planned' && r.action !== 'delete') resources.push(plannedOf(r, inst.address));
    if (which === 'prior' && r.action !== 'create') resources.push(priorOf(r, inst.address));
  }
  const children = inst.children.map((c) => moduleValues(c, which)).filter((x): x is Obj => x !== null);
  if (resources.length === 0 && children.length === 0) return null;
  const o: Obj = { resources, address: inst.address };
  if (children.length > 0) o.child_modules = children;
  return o;
}

/** Configuration: one block per (module path, local address); first instance wins. */
class ConfigTree {
  readonly root: Obj = { resources: [], module_calls: {} };
  private readonly seen = new Set<string>();

  private moduleAt(configPath: string[]): Obj {
    let m = this.root;
    for (const name of configPath) {
      const calls = m.module_calls as { [k: string]: Obj };
      if (!calls[name]) {
        const forEach = name === 'app' || name.startsWith('tenants_');
        calls[name] = {
          source: `./modules/${name.startsWith('tenants_') ? 'tenant' : name.startsWith('platform_') ? 'platform' : name}`,
          ...(forEach ? { for_each_expression: { references: [name === 'app' ? 'var.apps' : 'var.tenants'] } } : {}),
          expressions: { namespace: { references: ['kubernetes_namespace_v1.this.metadata[0].name'] } },
          module: { resources: [], module_calls: {} },
        };
      }
      m = calls[name].module as Obj;
    }
    return m;
  }

  add(r: Res, moduleAddress: string): void {
    const configPath = [...moduleAddress.matchAll(/module\.([A-Za-z0-9_-]+)/g)].map((x) => x[1]);
    const local = `${r.built.type}.${r.name}`;
    const key = `${configPath.join('.')}|${local}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const block: Obj = { address: local, mode: 'managed', type: r.built.type, name: r.name, provider_config_key: r.providerKey, expressions: r.built.expressions, schema_version: 1 };
    if (r.index !== undefined) block.count_expression = { references: ['var.enabled'] };
    (this.moduleAt(configPath).resources as Json[]).push(block);
  }
}

function providerConfig(): Obj {
  const pc: Obj = {};
  for (const p of PLACEMENTS) {
    if (p.alias === 'ala2') continue;
    pc[`kubernetes.${p.alias}`] = { name: 'kubernetes', full_name: PROVIDER_SOURCE.kubernetes, alias: p.alias, version_constraint: '~> 2.35', expressions: { host: p.host, cluster_ca_certificate: { references: [`var.ca_${p.alias}`] }, token: { references: [`var.token_${p.alias}`] } } };
    pc[`helm.${p.alias}`] = { name: 'helm', full_name: PROVIDER_SOURCE.helm, alias: p.alias, version_constraint: '~> 2.17', expressions: { kubernetes: [{ host: p.host, cluster_ca_certificate: { references: [`var.ca_${p.alias}`] }, token: { references: [`var.token_${p.alias}`] } }] } };
  }
  const ala2 = PLACEMENTS.find((p) => p.alias === 'ala2') as Placement;
  pc.kubernetes = { name: 'kubernetes', full_name: PROVIDER_SOURCE.kubernetes, version_constraint: '~> 2.35', expressions: { host: ala2.host, config_path: { constant_value: '~/.kube/config' } } };
  pc.helm = { name: 'helm', full_name: PROVIDER_SOURCE.helm, version_constraint: '~> 2.17', expressions: { kubernetes: [{ host: ala2.host }] } };
  pc.aws = { name: 'aws', full_name: PROVIDER_SOURCE.aws, version_constraint: '~> 5.80', expressions: { region: { constant_value: 'eu-central-1' } } };
  pc.null = { name: 'null', full_name: PROVIDER_SOURCE.null };
  for (const p of PLACEMENTS) {
    for (const u of ['random', 'tls'] as const) pc[`module.tenants_${p.alias}:${u}`] = { name: u, full_name: PROVIDER_SOURCE[u], version_constraint: '>= 3.0', module_address: `module.tenants_${p.alias}` };
    pc[`module.platform_${p.alias}:time`] = { name: 'time', full_name: PROVIDER_SOURCE.time, module_address: `module.platform_${p.alias}` };
  }
  return pc;
}

function* allResources(inst: Instance): Generator<[Res, string]> {
  for (const r of inst.resources) yield [r, inst.address];
  for (const c of inst.children) yield* allResources(c);
}

/** Writes a plan of `resources` resource changes to `file` (atomically: a temporary file, renamed). */
export function generatePlan(file: string, resources: number, seed: number): GeneratedPlan {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const parts = { changes: `${tmp}.changes`, planned: `${tmp}.planned`, prior: `${tmp}.prior` };
  const changes = new Out(parts.changes);
  const planned = new Out(parts.planned);
  const prior = new Out(parts.prior);
  const b = new Builder(seed, resources);
  const rng = new Rng(subSeed(seed, 'write'));
  const config = new ConfigTree();
  let stores = 0;
  let kube = 0;
  let modules = 0;
  let firstChange = true;
  let firstPlanned = true;
  let firstPrior = true;
  const addresses: string[] = [];

  const emit = (inst: Instance): void => {
    for (const [r, addr] of allResources(inst)) {
      const change = changeOf(r, addr, rng);
      addresses.push(change.address as string);
      changes.write((firstChange ? '' : ',') + JSON.stringify(change));
      firstChange = false;
      config.add(r, addr);
      if (r.store) stores++;
      if (r.built.provider === 'kubernetes' || r.built.provider === 'helm') kube++;
    }
    const pv = moduleValues(inst, 'planned');
    if (pv) {
      planned.write((firstPlanned ? '' : ',') + JSON.stringify(pv));
      firstPlanned = false;
    }
    const ps = moduleValues(inst, 'prior');
    if (ps) {
      prior.write((firstPrior ? '' : ',') + JSON.stringify(ps));
      firstPrior = false;
    }
  };

  const rootRes = b.root();
  const root: Instance = { address: '', resources: rootRes, children: [] };
  for (const [r] of allResources(root)) {
    const change = changeOf(r, '', rng);
    addresses.push(change.address as string);
    changes.write((firstChange ? '' : ',') + JSON.stringify(change));
    firstChange = false;
    config.add(r, '');
  }
  for (const p of PLACEMENTS) {
    const inst = b.platform(p);
    modules++;
    emit(inst);
  }
  let t = 0;
  while (!b.full) {
    t++;
    const p = pickPlacement(new Rng(subSeed(seed, `placement-${t}`)));
    const inst = b.tenant(p, `t${String(t).padStart(5, '0')}`);
    modules += 1 + inst.children.length;
    emit(inst);
  }
  changes.close();
  planned.close();
  prior.close();

  const out = new Out(tmp);
  const rootPlanned = root.resources.filter((r) => r.action !== 'delete').map((r) => plannedOf(r, ''));
  const rootPrior = root.resources.filter((r) => r.action !== 'create').map((r) => priorOf(r, ''));
  const variables: Obj = { tenants: { value: t }, edge_cluster_endpoint: { value: 'https://edge.bench.example.kz:6443' } };
  out.write(`{"format_version":"1.2","terraform_version":"1.9.8","variables":${JSON.stringify(variables)},"planned_values":{"outputs":{},"root_module":{"resources":${JSON.stringify(rootPlanned)},"child_modules":[`);
  copyInto(out, parts.planned);
  out.write(']}},"resource_changes":[');
  copyInto(out, parts.changes);
  out.write(`],"output_changes":{},"prior_state":{"format_version":"1.0","terraform_version":"1.9.8","values":{"outputs":{},"root_module":{"resources":${JSON.stringify(rootPrior)},"child_modules":[`);
  copyInto(out, parts.prior);
  out.write(`]}}},"configuration":{"provider_config":${JSON.stringify(providerConfig())},"root_module":${JSON.stringify(config.root)}},`);
  out.write(`"relevant_attributes":[{"resource":"aws_iam_role.deployer","attribute":["arn"]}],"timestamp":"2026-11-23T08:00:00Z","applyable":true,"complete":true,"errored":false}`);
  out.close();
  for (const f of Object.values(parts)) rmSync(f, { force: true });
  renameSync(tmp, file);
  return { file, bytes: out.bytes, resources, stores, kube, modules, waiverTargets: b.waiverTargets, addresses };
}

function copyInto(out: Out, file: string): void {
  out.flush();
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 22);
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      // bytes pass through unchanged (the parts are UTF-8 already)
      out.writeBytes(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}
