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
  let primary: CheckInput;
  let outdir = '';
  const CLIENTS = 'helm_release.clients_';
  const CLIENTS_NS = 'kubernetes_namespace_v1.clients_';
  const AUDIT_NS = 'kubernetes_namespace_v1.AuditTrail_namespace';
  let hqHost = '';
  let hqObjectStorage = '';

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kz-pipeline-'));
    synthExample('law-firm', path.join(outdir, 'law-firm'));
    inputs = loadCheckInputs(path.join(outdir, 'law-firm'));
    const sitesFile = inputs[0]?.sitesFile;
    if (!sitesFile) throw new Error('synth wrote no sites.json');
    sites = loadSitesRegistry(sitesFile).sites;
    const p = inputs.find((i) => i.name.includes('primary'));
    if (!p) throw new Error('no primary stack');
    primary = p;
    const hq = sites.find((s) => s.jurisdiction !== 'KZ');
    if (!hq?.kubernetes) throw new Error('no HQ site with a Kubernetes cluster in the registry');
    hqHost = hq.kubernetes.endpoints[0];
    hqObjectStorage = hq.objectStorage?.[0] ?? 'https://s3.hq.example.com';
  }, 120_000);

  afterAll(() => {
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  });

  const variant = (): PlanEdit => new PlanEdit(primary.plan);

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

  /** Each entry: the rule, what the variant changes, and the edit. */
  const variants: Array<[string, string, (e: PlanEdit) => PlanEdit, Obj?]> = [
    // a primary abroad also breaks the golden-record practice rule (KZ-XBT-004): the law profile isolates RES-001
    ['KZ-RES-001', 'the clients primary deployed with the HQ cluster (profile law)', (e) =>
      e.addHelmProvider('helm.abroad', { constant_value: hqHost }).useProvider(CLIENTS, 'helm.abroad')
        .helm(CLIENTS, (v) => { setClaims(v, { site: 'hq-fra' }); }), { profile: 'law' }],
    // on the primary itself an unprovable host also breaks KZ-RES-001 (fail closed): a standby isolates RES-002
    ['KZ-RES-002', 'a standby of the clients on a cluster whose host is known only after apply', (e) =>
      e.addHelmProvider('helm.later', { references: ['data.aws_eks_cluster.x.endpoint', 'data.aws_eks_cluster.x'] })
        .copyHelm(CLIENTS, 'clients-standby', 'helm.later', (v) => { setClaims(v, { role: 'standby' }); })],
    ['KZ-RES-003', 'an unlabelled StatefulSet with a volume claim template', (e) =>
      e.add('kubernetes_stateful_set_v1', 'scratch', 'kubernetes.kz-ala-1', {
        metadata: [{ name: 'scratch', namespace: 'default' }],
        spec: [{ volume_claim_template: [{ metadata: [{ name: 'data' }], spec: [{ storage_class_name: 'ala-ceph-encrypted' }] }] }],
      })],
    ['KZ-RES-004', 'an unencrypted storage class', (e) =>
      e.helm(CLIENTS, (v) => { obj(clusterOf(v).storage, 'storage').storageClass = 'ala-local-ssd'; })],
    ['KZ-RES-005', 'no node affinity', (e) => e.helm(CLIENTS, (v) => { delete clusterOf(v).affinity; })],
    ['KZ-RES-006', 'a site label that lies (Astana) on the namespace and the values', (e) => {
      e.labels(CLIENTS_NS)['residency.kz/site'] = 'kz-ast-1';
      return e.helm(CLIENTS, (v) => { setClaims(v, { site: 'kz-ast-1' }); });
    }],
    ['KZ-BAK-001', 'backups switched off', (e) => {
      delete e.annotations(CLIENTS_NS)['residency.kz/backup-target'];
      return e.helm(CLIENTS, (v) => { obj(v.backups, 'backups').enabled = false; delete clusterAnnotations(v)['residency.kz/backup-target']; });
    }],
    ['KZ-BAK-002', 'an extra backup copy in HQ object storage, unencrypted, no transfer agreement', (e) =>
      e.helm(CLIENTS, (v) => { v.backupsHq = { barmanObjectStore: { endpointURL: hqObjectStorage, destinationPath: 's3://hq/clients' } }; })],
    ['KZ-XBT-001', 'a personal-data replica in HQ fed through no registered tunnel', (e) =>
      e.addHelmProvider('helm.abroad', { constant_value: hqHost }).copyHelm(CLIENTS, 'clients-hq', 'helm.abroad', (v) => {
        setClaims(v, { dataClass: 'personal', role: 'replica', site: 'hq-fra' });
        Object.assign(clusterAnnotations(v), { 'residency.kz/tunnel': 'no-such-tunnel', 'residency.kz/transfer-agreement': 'SCC-1', 'residency.kz/legal-basis': 'consent', 'residency.kz/read-only': 'true' });
      })],
    ['KZ-XBT-002', 'a replica in HQ through the registered tunnel but without a transfer agreement', (e) =>
      e.addHelmProvider('helm.abroad', { constant_value: hqHost }).copyHelm(CLIENTS, 'clients-hq', 'helm.abroad', (v) => {
        setClaims(v, { dataClass: 'personal', role: 'replica', site: 'hq-fra' });
        Object.assign(clusterAnnotations(v), { 'residency.kz/tunnel': 'hq-matters', 'residency.kz/legal-basis': 'consent', 'residency.kz/read-only': 'true' });
      })],
    ['KZ-XBT-003', 'a biometric replica in HQ, otherwise in order', (e) =>
      e.addHelmProvider('helm.abroad', { constant_value: hqHost }).copyHelm(CLIENTS, 'faces-hq', 'helm.abroad', (v) => {
        setClaims(v, { dataClass: 'biometric', role: 'replica', site: 'hq-fra' });
        Object.assign(clusterAnnotations(v), { 'residency.kz/tunnel': 'hq-matters', 'residency.kz/transfer-agreement': 'SCC-1', 'residency.kz/legal-basis': 'consent', 'residency.kz/read-only': 'true' });
      })],
    ['KZ-XBT-004', 'a writable replica in HQ', (e) =>
      e.addHelmProvider('helm.abroad', { constant_value: hqHost }).copyHelm(CLIENTS, 'clients-hq', 'helm.abroad', (v) => {
        setClaims(v, { dataClass: 'personal', role: 'replica', site: 'hq-fra' });
        Object.assign(clusterAnnotations(v), { 'residency.kz/tunnel': 'hq-matters', 'residency.kz/transfer-agreement': 'SCC-1', 'residency.kz/legal-basis': 'consent' });
      })],
    ['KZ-FT-001', 'a Cloudflare proxied record in front of the portal', (e) =>
      e.add('cloudflare_dns_record', 'portal', 'cloudflare', { name: 'portal.lawfirm.example.kz', type: 'CNAME', content: 'portal.lawfirm.example.kz.cdn.cloudflare.net', proxied: true })],
    ['KZ-AUD-001', 'pgaudit switched off', (e) => {
      delete e.annotations(CLIENTS_NS)['residency.kz/audit-log'];
      return e.helm(CLIENTS, (v) => { delete obj(obj(clusterOf(v).postgresql, 'postgresql').parameters, 'parameters')['pgaudit.log']; delete clusterAnnotations(v)['residency.kz/audit-log']; });
    }],
    ['KZ-AUD-002', 'audit logs shipped to an unregistered sink', (e) => e.replaceAll('https://logs.ala.lawfirm.example.kz', 'https://logs.example.net')],
    ['KZ-AUD-003', 'no regulator access path', (e) => e.replaceAll('residency.kz/regulator-access', 'x-removed/regulator-access')],
    ['KZ-SEC-001', 'a password written into the Helm values', (e) => e.helm(CLIENTS, (v) => { v.auth = { postgresPassword: 'correct-horse-battery-staple' }; })],
    ['KZ-SEC-002', 'TLS declared optional', (e) => {
      e.annotations(CLIENTS_NS)['residency.kz/tls'] = 'optional';
      return e.helm(CLIENTS, (v) => { clusterAnnotations(v)['residency.kz/tls'] = 'optional'; });
    }],
    ['KZ-GOV-001', 'no purpose declared', (e) => {
      delete e.annotations(CLIENTS_NS)['residency.kz/purpose'];
      return e.helm(CLIENTS, (v) => { delete clusterAnnotations(v)['residency.kz/purpose']; });
    }],
    ['KZ-GOV-002', 'no DPO contact anywhere', (e) => e.replaceAll('residency.kz/dpo-contact', 'x-removed/dpo-contact')],
    ['KZ-UR-001', 'the tunnel switched to WireGuard (profile ur832)', (e) => e.replaceAll('"residency.kz/tunnel-profile":"gost-tls"', '"residency.kz/tunnel-profile":"wireguard"'), { profile: 'ur832' }],
    ['KZ-UR-002', 'audit retention of one year (profile ur832)', (e) => e.replaceAll('"residency.kz/retention-days":"1095"', '"residency.kz/retention-days":"365"'), { profile: 'ur832' }],
  ];

  // every row has the same four columns (jest passes a `done` callback to a function with more
  // parameters than the row has values)
  const rows = variants.map(([rule, what, edit, extra]) => [rule, what, edit, extra ?? {}] as const);
  it.each(rows)('%s: %s is denied with exactly that rule', (rule, _what, edit, extra) => {
    const plan = edit(variant()).plan;
    const r = evaluate(plan, sites, extra);
    expect(rulesOf(r.deny)).toEqual([rule]);
  });

  it('a primary abroad in the default profile breaks both the law rule and the golden-record rule', () => {
    const e = variant().addHelmProvider('helm.abroad', { constant_value: hqHost }).useProvider(CLIENTS, 'helm.abroad')
      .helm(CLIENTS, (v) => { setClaims(v, { site: 'hq-fra' }); });
    const r = evaluate(e.plan, sites);
    expect(r.deny.map((f) => [f.rule, f.basis])).toEqual([['KZ-RES-001', 'law'], ['KZ-XBT-004', 'practice']]);
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
      expect(f?.resource).toMatch(/^helm_release\.clients_/);
      expect(f?.site).toBe('hq-fra');
      expect(rulesOf(r.deny)).toEqual(['KZ-RES-001', 'KZ-RES-006', 'KZ-XBT-004']);
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
      expect(r.deny.map((f) => [f.rule, f.resource])).toEqual([['KZ-RES-001', address], ['KZ-XBT-004', address]]);
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
      expect(rulesOf(r.deny)).toEqual(['KZ-RES-001', 'KZ-RES-006', 'KZ-XBT-004']);
      expect(r.deny.find((f) => f.rule === 'KZ-RES-006')?.message).toMatch(/claims residency\.kz\/site \["kz-ala-1"\], but it is proven to run on site "hq-fra"/);
    });

    it('a host known only after apply is denied (fail closed)', () => {
      const e = variant().addHelmProvider('helm.later', { references: ['module.eks.cluster_endpoint'] }).useProvider(CLIENTS, 'helm.later');
      const r = evaluate(e.plan, sites);
      // fail closed: the law rule denies (in every profile) and the practice rule names the cause
      expect(r.deny.map((f) => f.rule)).toEqual(['KZ-RES-001', 'KZ-RES-002']);
      expect(r.deny[0].message).toMatch(/cannot be proven to run in Kazakhstan/);
      expect(r.deny[1].message).toMatch(/known only after apply/);
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
      expect(rulesOf(r.deny)).toEqual(['KZ-RES-001', 'KZ-XBT-004']);
    });
  });

  it('a waiver moves a finding to waived until it expires', () => {
    const plan = variant().helm(CLIENTS, (v) => { delete clusterOf(v).affinity; }).plan;
    const waiver = { rule: 'KZ-RES-005', resource: 'helm_release.clients_*', reason: 'node pools relabelled this week', approved_by: 'ciso@lawfirm.example.kz', expires: '2026-12-01' };
    const r = evaluate(plan, sites, { waivers: [waiver] });
    expect(r.deny).toEqual([]);
    expect(r.waived.map((f) => f.rule)).toEqual(['KZ-RES-005']);
    const expired = evaluate(plan, sites, { waivers: [{ ...waiver, expires: '2026-11-01' }] });
    expect(rulesOf(expired.deny)).toEqual(['KZ-RES-005']);
    expect(expired.expired_waivers).toHaveLength(1);
  });

  it('AUDIT trail namespace is what carries the log sink (sanity of the variant base)', () => {
    expect(variant().annotations(AUDIT_NS)['residency.kz/log-sink']).toBe('https://logs.ala.lawfirm.example.kz');
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
