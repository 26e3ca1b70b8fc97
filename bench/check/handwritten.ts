/**
 * KZ-RES-001, KZ-RES-002 and KZ-RES-003 of the shipped pack, written plainly in TypeScript: the
 * speed reference the pack's evaluation is compared with. It follows the Rego of policies/lib
 * (the resource view, provider resolution through module calls, the store inventory, the
 * residency.kz declarations from labels, pod templates, namespaces, Helm values, annotations and
 * cloud tags with the most protective class and role winning, the site a host proves, managed
 * AWS stores placed by their region) as directly as a developer would write it, for the shapes
 * the generated plans hold: one pass over the resources, the yaml library for Helm values, no
 * caching beyond local variables, nothing tuned. bench/check compares its findings with the
 * pack's on every generated plan and prints any difference, so a change of the policies that
 * this file does not follow shows in the benchmark's output.
 */
import { parse as parseYaml } from 'yaml';

export interface HandFinding {
  readonly rule: 'KZ-RES-001' | 'KZ-RES-002' | 'KZ-RES-003';
  readonly address: string;
}

export interface HandSite {
  readonly id: string;
  readonly jurisdiction: string;
  readonly kubernetes?: { readonly endpoints?: readonly string[] };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown, d = ''): string => (typeof v === 'string' ? v : d);

const PREFIX = 'residency.kz/';
const PERSONAL = new Set(['personal', 'biometric', 'special']);
const NAMESPACE_TYPES = new Set(['kubernetes_namespace', 'kubernetes_namespace_v1']);
const KUBE_TYPES = new Set([
  'helm_release', 'kubernetes_manifest', 'kubernetes_stateful_set', 'kubernetes_stateful_set_v1',
  'kubernetes_persistent_volume_claim', 'kubernetes_persistent_volume_claim_v1', 'kubernetes_deployment', 'kubernetes_deployment_v1',
  'kubernetes_daemonset', 'kubernetes_daemon_set_v1', 'kubernetes_service', 'kubernetes_service_v1', 'kubernetes_ingress', 'kubernetes_ingress_v1',
  'kubernetes_namespace', 'kubernetes_namespace_v1', 'kubernetes_config_map', 'kubernetes_config_map_v1', 'kubernetes_secret', 'kubernetes_secret_v1',
  'kubernetes_network_policy', 'kubernetes_network_policy_v1', 'kubernetes_role', 'kubernetes_role_v1', 'kubernetes_cluster_role', 'kubernetes_cluster_role_v1',
  'kubernetes_role_binding', 'kubernetes_role_binding_v1', 'kubernetes_cluster_role_binding', 'kubernetes_cluster_role_binding_v1',
  'kubernetes_service_account', 'kubernetes_service_account_v1', 'kubernetes_job', 'kubernetes_job_v1', 'kubernetes_cron_job', 'kubernetes_cron_job_v1',
]);
const CHART_WORDS = ['postgres', 'mysql', 'mariadb', 'mongo', 'redis', 'valkey', 'keydb', 'cassandra', 'scylla', 'elasticsearch', 'opensearch', 'minio', 'kafka', 'clickhouse', 'cockroach', 'timescale', 'percona', 'couchdb', 'couchbase', 'neo4j', 'influxdb', 'etcd', 'zookeeper', 'rabbitmq', 'memcached', 'tidb', 'yugabyte', 'vitess', 'nats', 'pulsar', 'solr', 'cnpg'];
const NON_STORE_CHARTS = new Set(['cloudnative-pg', 'fluent-bit', 'fluentd', 'promtail', 'vector', 'ingress-nginx', 'cert-manager', 'external-dns', 'loki', 'grafana', 'prometheus', 'kube-prometheus-stack']);
const STORE_KINDS: Record<string, string[]> = {
  'postgresql.cnpg.io': ['Cluster'], 'acid.zalan.do': ['postgresql'], 'postgres-operator.crunchydata.com': ['PostgresCluster'],
  'mongodbcommunity.mongodb.com': ['MongoDBCommunity'], 'psmdb.percona.com': ['PerconaServerMongoDB'], 'pxc.percona.com': ['PerconaXtraDBCluster'],
  'mysql.oracle.com': ['InnoDBCluster'], 'k8s.mariadb.com': ['MariaDB'], 'mariadb.mmontes.io': ['MariaDB'],
  'redis.redis.opstreelabs.in': ['Redis', 'RedisCluster', 'RedisReplication'], 'databases.spotahome.com': ['RedisFailover'], 'kafka.strimzi.io': ['Kafka', 'KafkaNodePool'],
  'elasticsearch.k8s.elastic.co': ['Elasticsearch'], 'opensearch.opster.io': ['OpenSearchCluster'], 'minio.min.io': ['Tenant'],
  'cassandra.datastax.com': ['CassandraDatacenter'], 'clickhouse.altinity.com': ['ClickHouseInstallation'],
};
const META_MAPS = new Set(['annotations', 'labels', 'additionalLabels', 'commonLabels', 'commonAnnotations', 'podAnnotations', 'podLabels', 'extraLabels', 'customLabels']);
const CLOUD_PREFIX = 'residency-kz-';
const AWS_STORE_TYPES = new Set([
  'aws_db_instance', 'aws_rds_cluster', 'aws_dynamodb_table', 'aws_dynamodb_global_table', 'aws_s3_bucket', 'aws_s3_directory_bucket', 'aws_glacier_vault',
  'aws_elasticache_cluster', 'aws_elasticache_replication_group', 'aws_memorydb_cluster', 'aws_docdb_cluster', 'aws_neptune_cluster', 'aws_opensearch_domain',
  'aws_redshift_cluster', 'aws_efs_file_system', 'aws_ebs_volume', 'aws_msk_cluster', 'aws_kinesis_stream',
]);
const CLASS_RANK: Record<string, number> = { biometric: 5, special: 4, personal: 3, case: 1, public: 0 };
const ROLE_RANK: Record<string, number> = { primary: 6, standby: 5, replica: 4, backup: 3, cache: 2, audit: 1, gateway: 0 };

interface Host {
  kind: 'constant' | 'reference' | 'unknown';
  value: string | null;
}

interface Resource {
  address: string;
  type: string;
  values: Obj;
  host: Host;
}

// ---------------------------------------------------------------------------------------------
// Sites

function normalize(url: string): string | undefined {
  const s = url.trim();
  if (s === '') return undefined;
  const i = s.indexOf('://');
  const [scheme, rest] = i > 0 ? [s.slice(0, i).toLowerCase(), s.slice(i + 3)] : ['https', s];
  let authority = rest.split('/')[0].split('?')[0].split('#')[0];
  if (authority.includes('@')) authority = authority.slice(authority.indexOf('@') + 1);
  const dflt = scheme === 'http' ? '80' : '443';
  let host: string;
  let port: string;
  if (authority.startsWith('[')) {
    const m = /^\[[^\]]*\]/.exec(authority);
    if (!m) return undefined;
    host = m[0];
    const after = authority.slice(host.length);
    if (/^:[0-9]+$/.test(after)) port = after.slice(1);
    else if (after === '') port = dflt;
    else return undefined;
    host = host.toLowerCase();
  } else if (/:[0-9]+$/.test(authority)) {
    const p = (/:[0-9]+$/.exec(authority) as RegExpExecArray)[0];
    host = authority.slice(0, authority.length - p.length).toLowerCase();
    port = p.slice(1);
  } else {
    host = (authority.endsWith('.') ? authority.slice(0, -1) : authority).toLowerCase();
    port = dflt;
  }
  if (host === '') return undefined;
  return `${scheme}://${host}:${port}`;
}

function siteForHost(sites: readonly HandSite[], host: string): HandSite | undefined {
  const n = normalize(host);
  if (n === undefined) return undefined;
  const ids = new Set<string>();
  for (const s of sites) for (const e of s.kubernetes?.endpoints ?? []) if (normalize(e) === n) ids.add(s.id);
  if (ids.size !== 1) return undefined;
  const id = [...ids][0];
  return sites.find((s) => s.id === id);
}

// ---------------------------------------------------------------------------------------------
// The resource view

function parentModule(m: string): string | undefined {
  const parts = m.match(/module\.[A-Za-z0-9_-]+/g) ?? [];
  return parts.length > 0 ? parts.slice(0, -1).join('.') : undefined;
}

function joinKey(m: string, l: string): string {
  return m === '' ? l : `${m}:${l}`;
}

function resourceView(doc: Obj): Resource[] {
  const config = obj(doc.configuration);
  const root = obj(config.root_module);
  const providerConfig = obj(config.provider_config);
  // module calls by path, five levels deep (as the Rego)
  const calls = new Map<string, Obj>();
  let level = Object.entries(obj(root.module_calls)).map(([n, c]): [string, Obj] => [`module.${n}`, obj(c)]);
  for (let depth = 0; depth < 5 && level.length > 0; depth++) {
    const next: [string, Obj][] = [];
    for (const [path, call] of level) {
      calls.set(path, call);
      for (const [n, c] of Object.entries(obj(obj(call.module).module_calls))) next.push([`${path}.module.${n}`, obj(c)]);
    }
    level = next;
  }
  const modules = new Map<string, Obj>([['', root]]);
  for (const [path, call] of calls) modules.set(path, obj(call.module));
  const configKey = new Map<string, string>();
  for (const [path, m] of modules) {
    for (const cr of arr(m.resources).map(obj)) {
      if (str(cr.mode, 'managed') !== 'managed' || typeof cr.provider_config_key !== 'string') continue;
      configKey.set(`${path}|${str(cr.type)}.${str(cr.name)}`, cr.provider_config_key);
    }
  }
  const step = (k: string): string => {
    const i = k.indexOf(':');
    const [m, l] = i >= 0 ? [k.slice(0, i), k.slice(i + 1)] : ['', k];
    if (m === '') return k;
    const parent = parentModule(m);
    const passed = obj(calls.get(m)?.providers)[l];
    if (typeof passed === 'string' && parent !== undefined) return joinKey(parent, passed);
    if (!(k in providerConfig) && !l.includes('.') && parent !== undefined) return joinKey(parent, l);
    return k;
  };
  const hostOf = (key: string): Host => {
    const pc = obj(providerConfig[key]);
    const ex = obj(pc.expressions);
    let e: Obj | undefined;
    if (ex.host !== undefined) e = obj(ex.host);
    else if (Array.isArray(ex.kubernetes)) e = obj(obj(ex.kubernetes[0]).host);
    else if (isObj(ex.kubernetes)) {
      if (ex.kubernetes.host !== undefined) e = obj(ex.kubernetes.host);
      else if (typeof obj(ex.kubernetes.constant_value).host === 'string') e = { constant_value: obj(ex.kubernetes.constant_value).host };
    }
    if (e && typeof e.constant_value === 'string' && e.constant_value !== '') return { kind: 'constant', value: e.constant_value };
    if (e && arr(e.references).length > 0) return { kind: 'reference', value: arr(e.references).join(', ') };
    if (isObj(ex.kubernetes) && arr(ex.kubernetes.references).length > 0) return { kind: 'reference', value: arr(ex.kubernetes.references).join(', ') };
    return { kind: 'unknown', value: null };
  };
  const out: Resource[] = [];
  for (const rc of arr(doc.resource_changes).map(obj)) {
    if (str(rc.mode, 'managed') !== 'managed' || rc.deposed) continue;
    const actions = JSON.stringify(obj(rc.change).actions ?? ['create']);
    if (actions === '["delete"]' || actions === '["forget"]') continue;
    const modulePath = str(rc.module_address).replace(/\[[^\]]*\]/g, '');
    const raw = configKey.get(`${modulePath}|${str(rc.type)}.${str(rc.name)}`) ?? '';
    let key = raw;
    for (let i = 0; i < 5 && key !== ''; i++) key = step(key);
    const after = obj(rc.change).after;
    out.push({ address: str(rc.address), type: str(rc.type), values: isObj(after) ? after : {}, host: hostOf(key) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes and Helm

function metadata(r: Resource): Obj {
  if (r.type === 'kubernetes_manifest') return obj(obj(r.values.manifest).metadata);
  const m = r.values.metadata;
  if (Array.isArray(m) && isObj(m[0])) return m[0];
  return obj(m);
}

function namespaceOf(r: Resource): string {
  if (r.type === 'helm_release') return str(r.values.namespace, 'default');
  return str(metadata(r).namespace, 'default');
}

function k8sName(r: Resource): string {
  return str(metadata(r).name, str(r.values.name, r.address));
}

function deepMerge(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObj(out[k]) && isObj(v) ? deepMerge(out[k] as Obj, v) : v;
  return out;
}

function helmValues(r: Resource): Obj {
  let merged: Obj = {};
  for (const s of arr(r.values.values)) {
    if (typeof s !== 'string') continue;
    let doc: unknown;
    try {
      doc = JSON.parse(s);
    } catch {
      try {
        doc = parseYaml(s, { version: '1.1' });
      } catch {
        doc = {};
      }
    }
    merged = deepMerge(merged, obj(doc));
  }
  for (const set of arr(r.values.set).map(obj)) {
    if (typeof set.name !== 'string' || set.value === undefined) continue;
    const path = set.name.replace(/\\\./g, '\u0000').split('.').map((p) => p.replace(/\u0000/g, '.')).slice(0, 6);
    let nested: unknown = set.value;
    for (let i = path.length - 1; i >= 0; i--) nested = { [path[i]]: nested };
    merged = deepMerge(merged, nested as Obj);
  }
  return merged;
}

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** Calls fn with every object under a metadata-like key (labels, annotations, ...) inside Helm values. */
function metaMaps(values: unknown, path: string[], fn: (m: Obj) => void): void {
  if (isObj(values)) {
    if (path.length > 0 && META_MAPS.has(path[path.length - 1])) fn(values);
    for (const k of Object.keys(values).sort()) metaMaps(values[k], [...path, k], fn);
  } else if (Array.isArray(values)) values.forEach((v, i) => metaMaps(v, [...path, String(i)], fn));
}

// ---------------------------------------------------------------------------------------------

/** The three rules' findings (rule and address), in no particular order. */
export function handwrittenCheck(plan: unknown, sites: readonly HandSite[]): HandFinding[] {
  const doc = isObj(obj(plan).plan) ? obj(obj(plan).plan) : obj(plan);
  const resources = resourceView(doc);
  const namespaces = new Map<string, Resource[]>();
  for (const r of resources) {
    if (!NAMESPACE_TYPES.has(r.type)) continue;
    const list = namespaces.get(k8sName(r)) ?? [];
    list.push(r);
    namespaces.set(k8sName(r), list);
  }
  const sameCluster = (a: Resource, b: Resource): boolean =>
    a.host.kind === 'constant' && b.host.kind === 'constant'
      ? normalize(a.host.value as string) === normalize(b.host.value as string) && normalize(a.host.value as string) !== undefined
      : a.host.kind !== 'constant' && a.host.kind === b.host.kind && a.host.value === b.host.value;

  const out: HandFinding[] = [];
  for (const r of resources) {
    // the store inventory
    const chart = str(r.values.chart).toLowerCase();
    const repository = str(r.values.repository).toLowerCase();
    const manifest = obj(r.values.manifest);
    const kind = str(manifest.kind);
    const group = str(manifest.apiVersion).split('/')[0];
    const helm = r.type === 'helm_release' ? helmValues(r) : {};
    const residency = obj(helm.residency);
    const dbChart =
      (CHART_WORDS.some((w) => chart.includes(w)) && !chart.includes('operator')) ||
      (chart.endsWith('cluster') && ['cloudnative-pg', 'cnpg'].some((w) => repository.includes(w))) ||
      (Object.keys(residency).length > 0 && !NON_STORE_CHARTS.has(chart) && !chart.includes('operator') && !['gateway', 'audit'].includes(String(residency.role ?? '').toLowerCase()));
    const isStore =
      (r.type === 'helm_release' && dbChart) ||
      (['kubernetes_stateful_set', 'kubernetes_stateful_set_v1'].includes(r.type) && arr(obj(arr(r.values.spec)[0]).volume_claim_template).length > 0) ||
      ['kubernetes_persistent_volume_claim', 'kubernetes_persistent_volume_claim_v1'].includes(r.type) ||
      (r.type === 'kubernetes_manifest' &&
        ((STORE_KINDS[group] ?? []).includes(kind) || (kind === 'StatefulSet' && arr(obj(manifest.spec).volumeClaimTemplates).length > 0) || kind === 'PersistentVolumeClaim'));
    // a managed AWS store: AWS has no region in Kazakhstan, so a region it names is abroad
    const awsStore = AWS_STORE_TYPES.has(r.type);
    if (!isStore && !awsStore) continue;

    // the namespace object it installs into, on the same cluster (the first by address)
    let ns: Resource | undefined;
    if (KUBE_TYPES.has(r.type) && !NAMESPACE_TYPES.has(r.type)) {
      const candidates = (namespaces.get(namespaceOf(r)) ?? []).filter((n) => sameCluster(n, r));
      ns = candidates.sort((a, b) => (a.address < b.address ? -1 : 1))[0];
    }
    // every declaration of the vocabulary, in the policies' order: own labels, pod template
    // labels, the namespace's labels, the residency map, own annotations, the namespace's
    // annotations, the labels and annotations inside Helm values, a cloud resource's tags
    const claims = new Map<string, unknown[]>();
    const add = (m: unknown): void => {
      for (const [name, v] of Object.entries(obj(m))) {
        const key = name.startsWith(PREFIX) ? name.slice(PREFIX.length) : name.startsWith(CLOUD_PREFIX) ? name.slice(CLOUD_PREFIX.length) : undefined;
        if (key === undefined || !present(v)) continue;
        claims.set(key, [...(claims.get(key) ?? []), v]);
      }
    };
    const kube = KUBE_TYPES.has(r.type);
    add(metadata(r).labels);
    const spec = r.type === 'kubernetes_manifest' ? obj(manifest.spec) : obj(arr(r.values.spec)[0]);
    const template = r.type === 'kubernetes_manifest' ? obj(obj(spec.template).metadata) : obj(arr(obj(arr(spec.template)[0]).metadata)[0]);
    add(template.labels);
    if (ns) add(metadata(ns).labels);
    const residencyMap = Object.keys(residency).length > 0 ? residency : obj(obj(manifest.spec).residency);
    for (const [k, v] of Object.entries(residencyMap)) {
      if (!present(v)) continue;
      const key = k.replace(/([A-Z])/g, '-$1').toLowerCase();
      claims.set(key, [...(claims.get(key) ?? []), v]);
    }
    add(metadata(r).annotations);
    if (ns) add(metadata(ns).annotations);
    if (r.type === 'helm_release') {
      const pairs: [string, unknown][] = [];
      metaMaps(helm, [], (m) => {
        for (const [name, v] of Object.entries(m)) {
          const key = name.startsWith(PREFIX) ? name.slice(PREFIX.length) : name.startsWith(CLOUD_PREFIX) ? name.slice(CLOUD_PREFIX.length) : undefined;
          if (key !== undefined && present(v)) pairs.push([key, v]);
        }
      });
      for (const [key, v] of pairs) claims.set(key, [...(claims.get(key) ?? []), v]);
    }
    if (!kube) for (const f of ['tags', 'tags_all', 'labels', 'user_labels', 'terraform_labels', 'effective_labels']) add(r.values[f]);
    const words = (key: string): Set<string> =>
      new Set((claims.get(key) ?? []).map((v) => (typeof v === 'string' ? v.trim() : typeof v === 'object' ? JSON.stringify(v) : String(v)).toLowerCase()));
    // the most protective class claimed; an unknown one outranks case and public
    const classes = [...words('data-class')];
    const rank = (c: string): number => CLASS_RANK[c] ?? 2;
    const top = Math.max(-1, ...classes.map(rank));
    const dataClass = classes.length > 0 && top !== 2 ? classes.find((c) => rank(c) === top) : undefined;
    const classified = dataClass !== undefined;
    const maybePersonal = !classified || PERSONAL.has(dataClass);
    // the most protective role claimed; none, or one that is not a role, is primary
    const roles = [...words('role')];
    const role = roles.length === 0 || roles.some((x) => ROLE_RANK[x] === undefined) ? 'primary' : roles.sort((x, y) => ROLE_RANK[y] - ROLE_RANK[x])[0];
    const site = r.host.kind === 'constant' ? siteForHost(sites, r.host.value as string) : undefined;
    const inKz = site !== undefined && site.jurisdiction.toUpperCase() === 'KZ';

    if (maybePersonal && role === 'primary' && !inKz) out.push({ rule: 'KZ-RES-001', address: r.address });
    const proven = awsStore ? typeof r.values.region === 'string' && r.values.region !== '' : site !== undefined;
    if (maybePersonal && !proven) out.push({ rule: 'KZ-RES-002', address: r.address });
    if (!classified) out.push({ rule: 'KZ-RES-003', address: r.address });
  }
  return out;
}
