/**
 * End to end over the pipeline: synth (the examples' cdktf apps) or a plan JSON → plan/input →
 * the interpreter engine → data.kz.residency.report. The law-firm example passes; a variant of
 * it that breaks one rule is denied with exactly that rule; the evasion cases are denied; real
 * plans from public repositories load through the pack without crashing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JsonValue } from '../../engine/engine';
import { InterpreterEngine } from '../../engine/interpreter';
import { loadRegoDirectory } from '../../engine/load';
import { synthExample } from '../../examples/synth-all';
import { combineDeployment, prefixOf } from '../../plan/deployment';
import { loadCheckInputs, type CheckInput } from '../../plan/input';
import { loadSitesRegistry } from '../../plan/sites';
import type { RegistrySite, SiteEntry } from '../../plan/types';

type Obj = { [key: string]: JsonValue };

interface Finding {
  rule: string;
  resource: string;
  message: string;
  site: string | null;
  basis: string;
}

interface Report {
  deny: Finding[];
  warn: Finding[];
  waived: Finding[];
  expired_waivers: Obj[];
  errors: string[];
}

const SOURCES = loadRegoDirectory(path.resolve(__dirname, '../../policies'), { includeTests: false });
const engine = InterpreterEngine.fromSources(SOURCES);
/** Builtin errors raise instead of making an expression undefined (opa eval --strict-builtin-errors). */
const strictEngine = InterpreterEngine.fromSources(SOURCES, { strictBuiltinErrors: true });
const NOW = '2026-11-23';

function evaluate(plan: JsonValue, sites: readonly RegistrySite[], extra: Obj = {}): Report {
  const data = { kz_residency: { sites: sites as unknown as JsonValue, now: NOW, ...extra } };
  const out = engine.evaluateSync('kz/residency/report', plan, data);
  if (out === undefined || out === null || typeof out !== 'object' || Array.isArray(out)) throw new Error('report undefined');
  return out as unknown as Report;
}

const rulesOf = (fs_: Finding[]): string[] => [...new Set(fs_.map((f) => f.rule))].sort();

function isObj(v: JsonValue | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: JsonValue | undefined, what: string): Obj {
  if (!isObj(v)) throw new Error(`${what}: not an object`);
  return v;
}

function arr(v: JsonValue | undefined, what: string): JsonValue[] {
  if (!Array.isArray(v)) throw new Error(`${what}: not an array`);
  return v;
}

/** A deep copy of a plan with small, named edits for the violating variants. */
class PlanEdit {
  readonly plan: Obj;
  constructor(plan: unknown) {
    this.plan = JSON.parse(JSON.stringify(plan)) as Obj;
  }
  private changes(): Obj[] {
    return arr(this.plan.resource_changes, 'resource_changes').map((c) => obj(c, 'resource change'));
  }
  rc(addressPrefix: string): Obj {
    const found = this.changes().filter((c) => String(c.address).startsWith(addressPrefix));
    if (found.length !== 1) throw new Error(`${found.length} resource changes start with ${addressPrefix}`);
    return found[0];
  }
  after(addressPrefix: string): Obj {
    return obj(obj(this.rc(addressPrefix).change, 'change').after, 'after');
  }
  /** Edits the (JSON) Helm values of a release in place. */
  helm(addressPrefix: string, edit: (values: Obj) => void): this {
    const after = this.after(addressPrefix);
    const values = arr(after.values, 'values');
    const v = obj(JSON.parse(String(values[0])) as JsonValue, 'helm values');
    edit(v);
    values[0] = JSON.stringify(v);
    this.syncConfig(String(this.rc(addressPrefix).address), 'values', after.values);
    return this;
  }
  /** Metadata of the kubernetes_* object at an address prefix. */
  metadata(addressPrefix: string): Obj {
    return obj(arr(this.after(addressPrefix).metadata, 'metadata')[0], 'metadata[0]');
  }
  annotations(addressPrefix: string): Obj {
    return obj(this.metadata(addressPrefix).annotations, 'annotations');
  }
  labels(addressPrefix: string): Obj {
    return obj(this.metadata(addressPrefix).labels, 'labels');
  }
  /** The root module's configuration resources (the plan's own array). */
  private configArray(): JsonValue[] {
    const config = obj(this.plan.configuration, 'configuration');
    return arr(obj(config.root_module, 'root_module').resources, 'resources');
  }
  private configResources(): Obj[] {
    return this.configArray().map((r) => obj(r, 'resource'));
  }
  private syncConfig(address: string, key: string, value: JsonValue | undefined): void {
    const cr = this.configResources().find((r) => r.address === address);
    const exprs = cr && isObj(cr.expressions) ? cr.expressions : undefined;
    if (exprs && value !== undefined && key in exprs) exprs[key] = { constant_value: value };
  }
  addHelmProvider(key: string, host: JsonValue): this {
    const pc = obj(obj(this.plan.configuration, 'configuration').provider_config, 'provider_config');
    const [name, alias] = key.split('.');
    pc[key] = { name, alias, expressions: { kubernetes: [{ host }] } };
    return this;
  }
  useProvider(addressPrefix: string, key: string): this {
    const address = String(this.rc(addressPrefix).address);
    const cr = this.configResources().find((r) => r.address === address);
    if (!cr) throw new Error(`no configuration resource ${address}`);
    cr.provider_config_key = key;
    return this;
  }
  add(type: string, name: string, providerKey: string, after: Obj): this {
    const address = `${type}.${name}`;
    arr(this.plan.resource_changes, 'resource_changes').push({
      address, mode: 'managed', type, name, provider_name: `registry.terraform.io/x/${type.split('_')[0]}`,
      change: { actions: ['create'], before: null, after, after_unknown: {} },
    });
    this.configArray().push({ address, mode: 'managed', type, name, provider_config_key: providerKey });
    return this;
  }
  /** A copy of an existing helm_release under a new name (same provider unless given). */
  copyHelm(addressPrefix: string, name: string, providerKey: string, edit: (values: Obj) => void): this {
    const after = JSON.parse(JSON.stringify(this.after(addressPrefix))) as Obj;
    const v = obj(JSON.parse(String(arr(after.values, 'values')[0])) as JsonValue, 'helm values');
    edit(v);
    after.values = [JSON.stringify(v)];
    after.name = name;
    after.namespace = name;
    return this.add('helm_release', name, providerKey, after);
  }
  /** Replaces a string everywhere in the plan (also inside Helm values text). */
  replaceAll(from: string, to: string): this {
    const text = JSON.stringify(this.plan).split(from).join(to);
    const next = JSON.parse(text) as Obj;
    for (const k of Object.keys(this.plan)) delete this.plan[k];
    Object.assign(this.plan, next);
    return this;
  }
}

const clusterOf = (v: Obj): Obj => obj(v.cluster, 'cluster');
const clusterAnnotations = (v: Obj): Obj => obj(clusterOf(v).annotations, 'cluster.annotations');
const residencyOf = (v: Obj): Obj => obj(v.residency, 'residency');
/** Sets the residency claims of CloudNativePG cluster values everywhere the constructs write them
 * (the residency map and the pods' labels): conflicting claims resolve to the most protective. */
const setClaims = (v: Obj, c: { dataClass?: string; role?: string; site?: string }): void => {
  const labels = obj(clusterOf(v).additionalLabels, 'cluster.additionalLabels');
  const keys = { dataClass: 'data-class', role: 'role', site: 'site' } as const;
  for (const [k, label] of Object.entries(keys) as Array<[keyof typeof keys, string]>) {
    const value = c[k];
    if (value === undefined) continue;
    residencyOf(v)[k] = value;
    labels[`residency.kz/${label}`] = value;
  }
};

const SHARED = path.resolve(__dirname, '../../../shared');

describe('law-firm example through the pipeline', () => {
  let inputs: CheckInput[] = [];
  let sites: readonly RegistrySite[] = [];
  /** The three stacks judged as one deployment (as `check` judges a cdktf.out). */
  let deployment: Obj = {};
  let outdir = '';
  // addresses in the merged document carry their stack's prefix (kz<i>__)
  let CLIENTS = '';
  let CLIENTS_NS = '';
  let LOKI = '';
  let LOCK_JOB = '';
  let COLLECTOR = '';
  let REGULATOR_ROLE = '';
  let hqHost = '';
  let hqObjectStorage = '';

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kz-pipeline-'));
    synthExample('law-firm', path.join(outdir, 'law-firm'));
    inputs = loadCheckInputs(path.join(outdir, 'law-firm'));
    const sitesFile = inputs[0]?.sitesFile;
    if (!sitesFile) throw new Error('synth wrote no sites.json');
    sites = loadSitesRegistry(sitesFile).sites;
    const p = inputs.findIndex((i) => i.name.includes('primary'));
    const h = inputs.findIndex((i) => i.name.includes('hq'));
    if (p < 0 || h < 0) throw new Error('no primary or HQ stack');
    deployment = combineDeployment(inputs.map((i) => ({ name: i.name, plan: i.plan }))).plan as unknown as Obj;
    const kz = prefixOf(p);
    CLIENTS = `helm_release.${kz}clients_`;
    CLIENTS_NS = `kubernetes_namespace_v1.${kz}clients_`;
    LOKI = `helm_release.${kz}AuditTrail_log-store`;
    LOCK_JOB = `kubernetes_job_v1.${kz}AuditTrail_WriteOnceStore_retention`;
    COLLECTOR = `helm_release.${kz}AuditTrail_collector`;
    REGULATOR_ROLE = `kubernetes_cluster_role_v1.${kz}RegulatorAccess_role`;
    const hq = sites.find((s) => s.jurisdiction !== 'KZ');
    if (!hq?.kubernetes) throw new Error('no HQ site with a Kubernetes cluster in the registry');
    hqHost = hq.kubernetes.endpoints[0];
    hqObjectStorage = hq.objectStorage?.[0] ?? 'https://s3.hq.example.com';
  }, 120_000);

  afterAll(() => {
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  });

  const variant = (): PlanEdit => new PlanEdit(deployment);

  it('every stack passes with zero deny in the default profile', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(3);
    for (const i of inputs) {
      const r = evaluate(i.plan as unknown as JsonValue, sites);
      expect({ stack: i.name, deny: r.deny.map((f) => `${f.rule} ${f.resource}: ${f.message}`) }).toEqual({ stack: i.name, deny: [] });
      expect(r.errors).toEqual([]);
    }
  });

  it('evaluates with strict builtin errors (no builtin is ever given a wrong type)', () => {
    for (const i of inputs) {
      const out = strictEngine.evaluateSync('kz/residency/report', i.plan as unknown as JsonValue, { kz_residency: { sites: sites as unknown as JsonValue, now: NOW } });
      expect(out).toBeDefined();
    }
  });

  it('passes in the law and ur832 profiles too', () => {
    for (const profile of ['law', 'ur832']) {
      for (const i of inputs) expect(evaluate(i.plan as unknown as JsonValue, sites, { profile }).deny).toEqual([]);
    }
  });

  // The HQ end of the law firm's tunnel (a Service whose selector leads to the HQ gateway).
  const TUNNEL_LOCAL = 'hq-matters-local.hq-matters-gateway.svc';
  const KZ_KUBE = (): string => `kubernetes.${CLIENTS.slice('helm_release.'.length, CLIENTS.indexOf('__') + 2)}kz-ala-1`;
  const HQ_HELM = 'helm.kz0__hq-fra';

  /** HQ ships its pods' logs (pgaudit included) to the Kazakh Loki through its ingress host. */
  const hqCollector = (e: PlanEdit): PlanEdit =>
    e.add('helm_release', 'hq-collector', HQ_HELM, {
      name: 'hq-collector', chart: 'fluent-bit', repository: 'https://fluent.github.io/helm-charts', namespace: 'logging',
      values: [JSON.stringify({ config: {
        inputs: '[INPUT]\n    Name tail\n    Tag kube.*\n    Path /var/log/containers/*.log\n',
        outputs: '[OUTPUT]\n    Name loki\n    Match kube.*\n    Host logs.ala.lawfirm.example.kz\n    Port 443\n    tls On\n    tls.verify On\n',
      } })],
    });

  /** The Almaty ruler, which the HQ collector's records reach, also watches namespace `ns` (a copy otherwise in order is watched, KZ-AUD-004). */
  const HQ_WATCHED = 'namespace=~\\"clients|matters|portal\\"';
  const hqWatches = (e: PlanEdit, ns: string): PlanEdit => {
    if (!JSON.stringify(e.plan).includes(HQ_WATCHED)) throw new Error(`the law-firm Almaty alert rules no longer select ${HQ_WATCHED}`);
    return e.replaceAll(HQ_WATCHED, HQ_WATCHED.replace('portal', `portal|${ns}`));
  };

  /** A copy of the clients cluster at HQ: a replica cluster fed from `host` unless `edit` says otherwise. */
  const hqCopy = (e: PlanEdit, name: string, dataClass: string, annotations: Obj, host: string, edit: (v: Obj) => void = () => undefined): PlanEdit =>
    hqWatches(hqCollector(e), name).copyHelm(CLIENTS, name, HQ_HELM, (v) => {
      setClaims(v, { dataClass, role: 'replica', site: 'hq-fra' });
      v.mode = 'replica';
      v.replica = { origin: { pg_basebackup: { host, port: 5432, sslMode: 'verify-full' } } };
      v.backups = { enabled: false };
      obj(clusterOf(v).storage, 'storage').storageClass = 'fra-encrypted';
      Object.assign(clusterAnnotations(v), annotations);
      edit(v);
    });
  const AGREED = { 'residency.kz/transfer-agreement': 'SCC-1', 'residency.kz/legal-basis': 'consent' };

  /**
   * Each entry: the rule, what the variant changes, the edit, extra data, and the rules the
   * variant breaks when more than the one it is about (a mechanism can break two rules at once:
   * a flow abroad that no gateway in Kazakhstan can cut is also KZ-AUD-003).
   */
  const variants: Array<[string, string, (e: PlanEdit) => PlanEdit, Obj?, string[]?]> = [
    // a primary abroad also breaks the golden-record practice rule (KZ-XBT-004): the law profile isolates RES-001
    ['KZ-RES-001', 'the clients primary deployed with the HQ cluster (profile law)', (e) =>
      e.addHelmProvider('helm.abroad', { constant_value: hqHost }).useProvider(CLIENTS, 'helm.abroad')
        .helm(CLIENTS, (v) => { setClaims(v, { site: 'hq-fra' }); }), { profile: 'law' }],
    // on the primary itself an unprovable host also breaks KZ-RES-001 (fail closed): a standby isolates RES-002;
    // no log shipper is proven to collect a store on a cluster nobody can place (KZ-AUD-002)
    ['KZ-RES-002', 'a standby of the clients on a cluster whose host is known only after apply', (e) =>
      e.addHelmProvider('helm.later', { references: ['data.aws_eks_cluster.x.endpoint', 'data.aws_eks_cluster.x'] })
        .copyHelm(CLIENTS, 'clients-standby', 'helm.later', (v) => { setClaims(v, { role: 'standby' }); }), {}, ['KZ-AUD-002', 'KZ-RES-002']],
    ['KZ-RES-003', 'an unlabelled StatefulSet with a volume claim template', (e) =>
      e.add('kubernetes_stateful_set_v1', 'scratch', KZ_KUBE(), {
        metadata: [{ name: 'scratch', namespace: 'default' }],
        spec: [{ volume_claim_template: [{ metadata: [{ name: 'data' }], spec: [{ storage_class_name: 'ala-ceph-encrypted' }] }] }],
      })],
    ['KZ-RES-004', 'an unencrypted storage class', (e) =>
      e.helm(CLIENTS, (v) => { obj(clusterOf(v).storage, 'storage').storageClass = 'ala-local-ssd'; })],
    ['KZ-RES-005', 'no node affinity', (e) => e.helm(CLIENTS, (v) => { delete clusterOf(v).affinity; })],
    ['KZ-RES-005', 'node affinity turned into a preference the scheduler may ignore', (e) => e.helm(CLIENTS, (v) => {
      const affinity = obj(clusterOf(v).affinity, 'affinity');
      const node = obj(affinity.nodeAffinity, 'nodeAffinity');
      const required = obj(node.requiredDuringSchedulingIgnoredDuringExecution, 'required');
      const terms = arr(required.nodeSelectorTerms, 'nodeSelectorTerms');
      affinity.nodeAffinity = { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: terms[0] }] };
    })],
    ['KZ-RES-006', 'a site label that lies (Astana) on the namespace and the values', (e) => {
      e.labels(CLIENTS_NS)['residency.kz/site'] = 'kz-ast-1';
      return e.helm(CLIENTS, (v) => { setClaims(v, { site: 'kz-ast-1' }); });
    }],
    ['KZ-BAK-001', 'backups switched off (the backup-target annotation left in place)', (e) =>
      e.helm(CLIENTS, (v) => { obj(v.backups, 'backups').enabled = false; })],
    ['KZ-BAK-002', 'an extra backup copy in HQ object storage, unencrypted, no transfer agreement', (e) =>
      e.helm(CLIENTS, (v) => { v.backupsHq = { barmanObjectStore: { endpointURL: hqObjectStorage, destinationPath: 's3://hq/clients' } }; }), {}, ['KZ-AUD-003', 'KZ-BAK-002']],
    ['KZ-XBT-001', 'a personal-data replica in HQ fed directly, not through the tunnel (its source is not proven to be in Kazakhstan)', (e) =>
      hqCopy(e, 'clients-hq', 'personal', AGREED, 'clients-rw.clients.svc'), {}, ['KZ-AUD-003', 'KZ-XBT-001']],
    ['KZ-XBT-001', 'a standalone cluster in HQ that only claims to be a read-only replica fed through the tunnel', (e) =>
      hqCopy(e, 'clients-hq', 'personal', { ...AGREED, 'residency.kz/read-only': 'true', 'residency.kz/tunnel': 'hq-matters' }, TUNNEL_LOCAL, (v) => { v.mode = 'standalone'; delete v.replica; }), {}, ['KZ-XBT-001', 'KZ-XBT-004']],
    ['KZ-XBT-002', 'a replica in HQ through the tunnel but without a transfer agreement', (e) =>
      hqCopy(e, 'clients-hq', 'personal', { 'residency.kz/legal-basis': 'consent' }, TUNNEL_LOCAL)],
    ['KZ-XBT-003', 'a biometric replica in HQ, otherwise in order', (e) =>
      hqCopy(e, 'faces-hq', 'biometric', AGREED, TUNNEL_LOCAL)],
    ['KZ-XBT-004', 'a writable copy in HQ (standalone mode), otherwise in order', (e) =>
      hqCopy(e, 'clients-hq', 'personal', AGREED, TUNNEL_LOCAL, (v) => { v.mode = 'standalone'; }), {}, ['KZ-XBT-001', 'KZ-XBT-004']],
    ['KZ-FT-001', 'a Cloudflare proxied record in front of the portal', (e) =>
      e.add('cloudflare_dns_record', 'portal', 'cloudflare', { name: 'portal.lawfirm.example.kz', type: 'CNAME', content: 'portal.lawfirm.example.kz.cdn.cloudflare.net', proxied: true })],
    ['KZ-AUD-001', 'pgaudit switched off (the audit-log annotation left in place)', (e) =>
      e.helm(CLIENTS, (v) => { delete obj(obj(clusterOf(v).postgresql, 'postgresql').parameters, 'parameters')['pgaudit.log']; })],
    ['KZ-AUD-002', 'Loki with its delete API on (deletion_mode filter-and-delete), the immutable annotation left in place', (e) =>
      e.helm(LOKI, (v) => { obj(obj(v.loki, 'loki').limits_config, 'limits_config').deletion_mode = 'filter-and-delete'; })],
    ['KZ-AUD-003', 'a regulator role that can also delete (the regulator-access annotation left in place)', (e) => {
      const rules = arr(e.after(REGULATOR_ROLE).rule, 'rule');
      obj(rules[0], 'rule').verbs = ['get', 'list', 'watch', 'delete'];
      return e;
    }],
    ['KZ-AUD-004', "Loki's ruler sends alerts to an address outside the deployment", (e) =>
      e.replaceAll('kz-audit-alertmanager.kz-audit.svc.cluster.local', 'alertmanager.monitoring.example.net')],
    ['KZ-SEC-001', 'a password written into the Helm values', (e) => e.helm(CLIENTS, (v) => { v.auth = { postgresPassword: 'correct-horse-battery-staple' }; })],
    ['KZ-SEC-001', 'a database URL with its password in an environment value', (e) =>
      e.add('kubernetes_deployment_v1', 'reports', KZ_KUBE(), {
        metadata: [{ name: 'reports', namespace: 'clients' }],
        spec: [{ template: [{ spec: [{ container: [{ name: 'reports', image: 'registry.lawfirm.example.kz/reports:1.0', env: [{ name: 'DATABASE_URL', value: 'postgres://reports:hunter2@clients-rw.clients.svc:5432/app' }] }] }] }] }],
      })],
    ['KZ-SEC-002', 'TLS declared optional', (e) => {
      e.annotations(CLIENTS_NS)['residency.kz/tls'] = 'optional';
      return e.helm(CLIENTS, (v) => { clusterAnnotations(v)['residency.kz/tls'] = 'optional'; });
    }],
    ['KZ-GOV-001', 'no purpose declared', (e) => {
      delete e.annotations(CLIENTS_NS)['residency.kz/purpose'];
      return e.helm(CLIENTS, (v) => { delete clusterAnnotations(v)['residency.kz/purpose']; });
    }],
    ['KZ-GOV-002', 'no DPO contact anywhere', (e) => e.replaceAll('residency.kz/dpo-contact', 'x-removed/dpo-contact')],
    ['KZ-UR-001', 'the tunnel\'s stunnel without the GOST engine and suites (profile ur832), its profile annotation left gost-tls', (e) =>
      e.replaceAll('engine = gost\\nengineDefault = ALL\\n', '').replaceAll('ciphers = GOST2012-KUZNYECHIK-KUZNYECHIKOMAC:GOST2012-MAGMA-MAGMAOMAC:GOST2012-GOST8912-GOST8912\\n', ''), { profile: 'ur832' }],
    ['KZ-UR-002', 'audit retention of one year in Loki and the bucket lock (profile ur832)', (e) =>
      e.replaceAll('"26280h"', '"8760h"').replaceAll('{"name":"KZ_RETENTION_DAYS","value":"1095"}', '{"name":"KZ_RETENTION_DAYS","value":"365"}'), { profile: 'ur832' }],
  ];

  // every row has the same five columns (jest passes a `done` callback to a function with more
  // parameters than the row has values)
  const rows = variants.map(([rule, what, edit, extra, rules]) => [rule, what, edit, extra ?? {}, rules ?? [rule]] as const);
  it.each(rows)('%s: %s is denied with exactly the rules it breaks', (_rule, _what, edit, extra, rules) => {
    const plan = edit(variant()).plan;
    const r = evaluate(plan, sites, extra);
    expect(rulesOf(r.deny)).toEqual(rules);
  });

  it('a primary abroad in the default profile breaks both the law rule and the golden-record rule', () => {
    const e = variant().addHelmProvider('helm.abroad', { constant_value: hqHost }).useProvider(CLIENTS, 'helm.abroad')
      .helm(CLIENTS, (v) => { setClaims(v, { site: 'hq-fra' }); });
    const r = evaluate(e.plan, sites);
    // nothing collects its logs at HQ either (KZ-AUD-002)
    expect(r.deny.map((f) => [f.rule, f.basis])).toEqual([['KZ-AUD-002', 'practice'], ['KZ-RES-001', 'law'], ['KZ-XBT-004', 'practice']]);
  });

  it('covers every rule of the pack with a variant', () => {
    const ids = engine.policy.annotations.filter((a) => a.scope === 'rule' && typeof a.custom?.id === 'string').map((a) => String(a.custom?.id));
    expect([...new Set(variants.map((v) => v[0]))].sort()).toEqual([...new Set(ids)].sort());
  });

  describe('evasion cases', () => {
    it('a provider alias named like a Kazakh site whose host is abroad is judged by its host', () => {
      const e = variant().addHelmProvider('helm.kz-ala-2', { constant_value: hqHost }).useProvider(CLIENTS, 'helm.kz-ala-2');
      const r = evaluate(e.plan, sites);
      const f = r.deny.find((x) => x.rule === 'KZ-RES-001');
      expect(f?.resource.startsWith(CLIENTS)).toBe(true);
      expect(f?.site).toBe('hq-fra');
      expect(rulesOf(r.deny)).toEqual(['KZ-AUD-002', 'KZ-RES-001', 'KZ-RES-006', 'KZ-XBT-004']);
    });

    it('a store inside a nested module (providers passed down) is found and judged', () => {
      const e = variant().addHelmProvider('helm.abroad', { constant_value: hqHost });
      const rc = e.rc(CLIENTS);
      const name = String(rc.name);
      rc.address = `module.platform["eu"].module.db.helm_release.${name}`;
      rc.module_address = 'module.platform["eu"].module.db';
      e.helm(`module.platform["eu"].module.db.helm_release.${name}`, (v) => { setClaims(v, { site: 'hq-fra' }); });
      const root = obj(obj(e.plan.configuration, 'configuration').root_module, 'root_module');
      const resources = arr(root.resources, 'resources').map((x) => obj(x, 'resource'));
      const cr = resources.find((x) => x.name === name);
      if (!cr) throw new Error('config resource');
      root.resources = resources.filter((x) => x !== cr);
      cr.provider_config_key = 'module.platform.module.db:helm';
      root.module_calls = {
        platform: { source: './platform', providers: { helm: 'helm.abroad' }, module: {
          module_calls: { db: { source: './db', module: { resources: [cr] } } },
        } },
      };
      const r = evaluate(e.plan, sites);
      const address = `module.platform["eu"].module.db.helm_release.${name}`;
      expect(r.deny.map((f) => [f.rule, f.resource])).toEqual([['KZ-AUD-002', address], ['KZ-RES-001', address], ['KZ-XBT-004', address]]);
    });

    it('count and for_each instances are each judged', () => {
      const e = variant().addHelmProvider('helm.abroad', { constant_value: hqHost });
      for (const [suffix, index] of [['[0]', 0], ['[1]', 1], ['["acme"]', 'acme']] as const) {
        e.copyHelm(CLIENTS, 'tenant', 'helm.abroad', (v) => { setClaims(v, { site: 'hq-fra' }); });
        const changes = arr(e.plan.resource_changes, 'resource_changes');
        const last = obj(changes[changes.length - 1], 'rc');
        last.address = `helm_release.tenant${suffix}`;
        last.index = index;
      }
      const r = evaluate(e.plan, sites);
      expect(r.deny.filter((f) => f.rule === 'KZ-RES-001').map((f) => f.resource).sort()).toEqual(['helm_release.tenant["acme"]', 'helm_release.tenant[0]', 'helm_release.tenant[1]']);
    });

    it('a residency.kz/site label that lies is denied', () => {
      const e = variant().addHelmProvider('helm.abroad', { constant_value: hqHost }).useProvider(CLIENTS, 'helm.abroad');
      const r = evaluate(e.plan, sites);
      expect(rulesOf(r.deny)).toEqual(['KZ-AUD-002', 'KZ-RES-001', 'KZ-RES-006', 'KZ-XBT-004']);
      expect(r.deny.find((f) => f.rule === 'KZ-RES-006')?.message).toMatch(/claims residency\.kz\/site \["kz-ala-1"\], but it is proven to run on site "hq-fra"/);
    });

    it('a host known only after apply is denied (fail closed)', () => {
      const e = variant().addHelmProvider('helm.later', { references: ['module.eks.cluster_endpoint'] }).useProvider(CLIENTS, 'helm.later');
      const r = evaluate(e.plan, sites);
      // fail closed: the law rule denies (in every profile) and the practice rule names the cause
      expect(r.deny.map((f) => f.rule)).toEqual(['KZ-AUD-002', 'KZ-RES-001', 'KZ-RES-002']);
      expect(r.deny[1].message).toMatch(/cannot be proven to run in Kazakhstan/);
      expect(r.deny[2].message).toMatch(/known only after apply/);
      expect(evaluate(e.plan, sites, { profile: 'law' }).deny.map((f) => f.rule)).toEqual(['KZ-RES-001']);
    });

    it('a plan wrapped as input.plan gives the same report', () => {
      const e = variant().addHelmProvider('helm.abroad', { constant_value: hqHost }).useProvider(CLIENTS, 'helm.abroad');
      expect(evaluate({ plan: e.plan }, sites)).toEqual(evaluate(e.plan, sites));
      expect(rulesOf(evaluate({ plan: e.plan }, sites).deny)).toContain('KZ-RES-001');
    });

    it('an unusual chart name whose values carry a residency map is a store', () => {
      const e = variant().addHelmProvider('helm.abroad', { constant_value: hqHost });
      e.add('helm_release', 'ledger', 'helm.abroad', { name: 'ledger', chart: 'acme-ledger', namespace: 'ledger', values: [JSON.stringify({ residency: { dataClass: 'personal', role: 'primary', site: 'hq-fra' } })] });
      const r = evaluate(e.plan, sites);
      expect(r.deny.filter((f) => f.rule === 'KZ-RES-001').map((f) => f.resource)).toEqual(['helm_release.ledger']);
    });

    it('a data class written in another case is still personal', () => {
      const e = variant().addHelmProvider('helm.abroad', { constant_value: hqHost }).useProvider(CLIENTS, 'helm.abroad');
      e.labels(CLIENTS_NS)['residency.kz/data-class'] = 'Personal';
      e.helm(CLIENTS, (v) => { residencyOf(v).dataClass = 'PERSONAL'; setClaims(v, { site: 'hq-fra' }); });
      const r = evaluate(e.plan, sites);
      expect(rulesOf(r.deny)).toEqual(['KZ-AUD-002', 'KZ-RES-001', 'KZ-XBT-004']);
    });
  });

  it('a waiver moves a finding to waived until it expires', () => {
    const plan = variant().helm(CLIENTS, (v) => { delete clusterOf(v).affinity; }).plan;
    const waiver = { rule: 'KZ-RES-005', resource: `${CLIENTS}*`, reason: 'node pools relabelled this week', approved_by: 'ciso@lawfirm.example.kz', expires: '2026-12-01' };
    const r = evaluate(plan, sites, { waivers: [waiver] });
    expect(r.deny).toEqual([]);
    expect(r.waived.map((f) => f.rule)).toEqual(['KZ-RES-005']);
    const expired = evaluate(plan, sites, { waivers: [{ ...waiver, expires: '2026-11-01' }] });
    expect(rulesOf(expired.deny)).toEqual(['KZ-RES-005']);
    expect(expired.expired_waivers).toHaveLength(1);
  });

  it('the variants start from the audit trail the constructs render (sanity of the variant base)', () => {
    const loki = JSON.parse(String(arr(variant().after(LOKI).values, 'values')[0])) as Obj;
    expect(obj(obj(loki.loki, 'loki').limits_config, 'limits_config').deletion_mode).toBe('disabled');
    expect(JSON.stringify(variant().after(LOCK_JOB))).toContain('{"name":"KZ_RETENTION_DAYS","value":"1095"}');
    expect(String(arr(variant().after(COLLECTOR).values, 'values')[0])).toContain('Host kz-audit-loki-gateway.kz-audit.svc.cluster.local');
  });
});

describe('the other examples', () => {
  let outdir = '';
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kz-pipeline-ex-'));
  });
  afterAll(() => {
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('fintech-biometric passes', () => {
    const dir = synthExample('fintech-biometric', path.join(outdir, 'fintech-biometric'));
    const inputs = loadCheckInputs(dir);
    const sites = loadSitesRegistry(inputs[0].sitesFile ?? '').sites;
    for (const i of inputs) expect(evaluate(i.plan as unknown as JsonValue, sites).deny).toEqual([]);
  }, 120_000);

  it('violations is denied on the rules it breaks on purpose', () => {
    const dir = synthExample('violations', path.join(outdir, 'violations'));
    const inputs = loadCheckInputs(dir);
    const sites = loadSitesRegistry(inputs[0].sitesFile ?? '').sites;
    const rules = new Set(inputs.flatMap((i) => evaluate(i.plan as unknown as JsonValue, sites).deny.map((f) => f.rule)));
    for (const r of ['KZ-RES-001', 'KZ-XBT-003', 'KZ-FT-001', 'KZ-SEC-001', 'KZ-BAK-001']) expect(rules).toContain(r);
  }, 120_000);
});

const REAL = path.join(SHARED, 'plans', 'real');
const haveReal = fs.existsSync(REAL);
if (!haveReal) console.warn(`skipping real plans: ${REAL} is absent (a user's clone has no ../shared)`);
(haveReal ? describe : describe.skip)('real plans from public repositories', () => {
  const files = haveReal ? fs.readdirSync(REAL).filter((f) => f.endsWith('.json')).sort() : [];
  const KZ_SITES: SiteEntry[] = [
    { id: 'kz-ala-1', jurisdiction: 'KZ', city: 'Almaty', kubernetes: { endpoints: ['https://k8s.ala.example.kz'], region: 'kz-almaty' } },
  ];
  const pairs = (r: Report): string[] => r.deny.map((f) => `${f.rule} ${f.resource}`).sort();
  // What the pack finds in each real plan (no registry entry matches any of their clusters).
  const expected: Record<string, (r: Report) => void> = {
    // a Bitnami PostgreSQL release inside module.db, whose kubernetes/helm providers set no host
    // (configured from the environment): its location cannot be proven and it is unclassified
    'eks-modules-helm-kubernetes-cyse7125.json': (r) => {
      expect(pairs(r)).toEqual(['KZ-RES-001 module.db.helm_release.postgresql', 'KZ-RES-002 module.db.helm_release.postgresql', 'KZ-RES-003 module.db.helm_release.postgresql']);
      expect(r.deny.find((f) => f.rule === 'KZ-RES-002')?.message).toMatch(/module\.db:helm" sets no Kubernetes host/);
    },
    // kube-prometheus-stack with grafana.adminPassword: admin written into the values
    'eks-noop-drift-helm-ekra97.json': (r) => {
      expect(pairs(r)).toEqual(['KZ-SEC-001 helm_release.kube_monitoring_stack']);
      expect(r.deny[0].message).toContain('grafana.adminPassword');
    },
    // only cluster add-ons (autoscaler, load balancer controller, ingress): no store, nothing to report
    'eks-helm-kubernetes-andresb39.json': (r) => expect(r.deny).toEqual([]),
    // an RDS instance (module.rds) in the AWS provider's region us-east-1, unclassified: a store
    // abroad that may hold personal data
    'eks-helm-v3-provider-checks-tripleaze.json': (r) => {
      const rds = 'module.rds.module.db_instance.aws_db_instance.this[0]';
      expect(pairs(r)).toEqual([`KZ-RES-001 ${rds}`, `KZ-RES-003 ${rds}`]);
      expect(r.deny[0].message).toMatch(/primary store \(rds\) of unclassified data runs on aws region us-east-1 \(N\. Virginia, US\)/);
    },
    'kubernetes-only-config-path-demo-k8s.json': (r) => expect(r.deny).toEqual([]),
    'opentofu-equivalence-data-read.json': (r) => expect(r.deny).toEqual([]),
    // six DynamoDB tables and eleven S3 buckets (root and two modules, the aliased provider
    // included) in us-east-1, none classified: each may hold personal data abroad
    'aws-aliased-provider-all-actions-necron99.json': (r) => {
      const stores = [...new Set(r.deny.map((f) => f.resource))].sort();
      expect(stores).toHaveLength(17);
      expect(stores.filter((a) => a.includes('aws_dynamodb_table.'))).toHaveLength(6);
      expect(stores.filter((a) => a.includes('aws_s3_bucket.'))).toHaveLength(11);
      expect(stores).toContain('module.plex_recommendations.aws_s3_bucket.plex_data');
      for (const a of stores) expect(r.deny.filter((f) => f.resource === a).map((f) => f.rule).sort()).toEqual(['KZ-RES-001', 'KZ-RES-003']);
      for (const f of r.deny.filter((x) => x.rule === 'KZ-RES-001')) expect(f.message).toMatch(/aws region us-east-1 \(N\. Virginia, US\)/);
    },
  };
  it.each(files)('%s loads and evaluates without crashing', (file) => {
    const inputs = loadCheckInputs(path.join(REAL, file));
    expect(inputs.length).toBeGreaterThan(0);
    for (const i of inputs) {
      const r = evaluate(i.plan as unknown as JsonValue, KZ_SITES);
      expect(strictEngine.evaluateSync('kz/residency/report', i.plan as unknown as JsonValue, { kz_residency: { sites: KZ_SITES as unknown as JsonValue } })).toBeDefined();
      expect(Array.isArray(r.deny)).toBe(true);
      expect(r.errors).toEqual([]);
      process.stdout.write(`${file}: ${r.deny.length} deny [${rulesOf(r.deny).join(', ')}], ${r.warn.length} warn\n`);
      expected[file]?.(r);
    }
  });
});
