/**
 * One deployment, one document: the stacks of a cdktf.out (or several plans given together) are
 * merged into one plan document, so that the policies judge facts of the deployment (its DPO,
 * its kill switch, its regulator access, both ends of its tunnels, its audit sink) once, over
 * everything, and every resource where it is, exactly as they would in one plan.
 *
 * The merge keeps the plan layout the policies read: every input stays a root module, and what
 * its root module names — resources, module calls, variables, outputs, provider configurations —
 * is renamed with the input's prefix (`kz0__`), so that names from different inputs cannot
 * collide. Expressions' references are renamed with them; what lives inside a module call is
 * relative to that module and stays as it is. A default (unaliased) provider configuration
 * becomes an aliased one (`kubernetes.kz0___`), and module calls that inherited it are given it
 * explicitly, as Terraform's own `providers` map would.
 *
 * One input is returned unchanged.
 */
import {
  isJsonObject,
  type Change,
  type ConfigModule,
  type ConfigResource,
  type ModuleCall,
  type PlanDocument,
  type PlanExpression,
  type PlanExpressions,
  type ProviderConfig,
  type ResourceChange,
  type ValuesModule,
  type ValuesRepresentation,
} from './format';
import type { SynthNotes } from './synth';

export interface DeploymentPart {
  readonly name: string;
  readonly plan: PlanDocument;
}

export interface ResourceOrigin {
  /** Index of the input in the list given to `combineDeployment`. */
  readonly input: number;
  /** The address in that input's own plan. */
  readonly address: string;
}

export interface CombinedDeployment {
  readonly plan: PlanDocument;
  /** The merged document's address → where it came from (every instance address of every input). */
  readonly origin: ReadonlyMap<string, ResourceOrigin>;
  /** The merged document's address of `address` in input `input`. */
  addressOf(input: number, address: string): string;
  /** Undoes the renaming in a text the policies wrote (their messages may quote addresses). */
  restoreNames(text: string): string;
}

/** The prefix of input `i`; `kz0___` (three underscores) is its default provider configuration's alias. */
export function prefixOf(i: number): string {
  return `kz${i}__`;
}

const DEFAULT_ALIAS_SUFFIX = '_';

export function combineDeployment(parts: readonly DeploymentPart[]): CombinedDeployment {
  if (parts.length === 1) {
    const origin = new Map<string, ResourceOrigin>();
    for (const a of instanceAddresses(parts[0].plan)) origin.set(a, { input: 0, address: a });
    return { plan: parts[0].plan, origin, addressOf: (_i, a) => a, restoreNames: (t) => t };
  }
  const origin = new Map<string, ResourceOrigin>();
  const renamed = parts.map((p, i) => new Renamer(prefixOf(i), p.plan));
  const plans = renamed.map((r) => r.plan());
  renamed.forEach((r, i) => {
    for (const [to, from] of r.addresses) origin.set(to, { input: i, address: from });
  });
  return {
    plan: merge(plans),
    origin,
    addressOf: (i, a) => renamed[i].address(a),
    restoreNames: (t) =>
      t.replace(new RegExp(`\\.kz\\d+__${DEFAULT_ALIAS_SUFFIX}(?![A-Za-z0-9_-])`, 'g'), '').replace(/\bkz\d+__/g, ''),
  };
}

function instanceAddresses(plan: PlanDocument): string[] {
  const out = new Set<string>();
  for (const rc of plan.resource_changes ?? []) out.add(rc.address);
  const walk = (m: ValuesModule | undefined): void => {
    for (const r of m?.resources ?? []) out.add(r.address);
    for (const c of m?.child_modules ?? []) walk(c);
  };
  walk(plan.planned_values?.root_module);
  return [...out];
}

/** Renames what one input's root module names (see the module comment). */
class Renamer {
  /** Merged address → original address, for every instance renamed. */
  readonly addresses = new Map<string, string>();
  private readonly defaults: Set<string>;

  constructor(
    private readonly p: string,
    private readonly doc: PlanDocument,
  ) {
    this.defaults = new Set(
      Object.entries(doc.configuration?.provider_config ?? {})
        .filter(([key]) => !key.includes(':') && !key.includes('.'))
        .map(([key]) => key),
    );
  }

  /** `module.a[0].x.y` → `module.kz0__a[0].x.y`; `data.t.n` → `data.t.kz0__n`; `t.n[1]` → `t.kz0__n[1]`. */
  address(a: string): string {
    let m = /^module\.([A-Za-z0-9_-]+)(.*)$/s.exec(a);
    if (m) return `module.${this.p}${m[1]}${m[2]}`;
    m = /^data\.([^.[\]]+)\.([A-Za-z0-9_-]+)(.*)$/s.exec(a);
    if (m) return `data.${m[1]}.${this.p}${m[2]}${m[3]}`;
    m = /^([^.[\]]+)\.([A-Za-z0-9_-]+)(.*)$/s.exec(a);
    if (m) return `${m[1]}.${this.p}${m[2]}${m[3]}`;
    return a;
  }

  private instance(a: string): string {
    const to = this.address(a);
    this.addresses.set(to, a);
    return to;
  }

  /** A reference at the root module's scope (`var.x`, `local.y`, `module.m.out`, `t.n.attr`). */
  reference(r: string): string {
    if (/^(each|count|self|path|terraform)\b/.test(r)) return r;
    const m = /^(var|local)\.([A-Za-z0-9_-]+)(.*)$/s.exec(r);
    if (m) return `${m[1]}.${this.p}${m[2]}${m[3]}`;
    return this.address(r);
  }

  /** A provider configuration key: `kubernetes` → `kubernetes.kz0___`, `helm.ala` → `helm.kz0__ala`, `module.a:helm` → `module.kz0__a:helm`. */
  providerKey(k: string): string {
    const colon = k.indexOf(':');
    if (colon >= 0) {
      const mod = k.slice(0, colon);
      const renamedModule = mod.startsWith('module.') ? this.address(mod) : `${this.p}${mod}`;
      return `${renamedModule}${k.slice(colon)}`;
    }
    const dot = k.indexOf('.');
    return dot < 0 ? `${k}.${this.p}${DEFAULT_ALIAS_SUFFIX}` : `${k.slice(0, dot)}.${this.p}${k.slice(dot + 1)}`;
  }

  private expression(e: PlanExpression | undefined): PlanExpression | undefined {
    if (!e) return e;
    return Array.isArray(e.references) ? { ...e, references: e.references.map((r) => this.reference(r)) } : e;
  }

  private expressions(x: PlanExpressions | undefined): PlanExpressions | undefined {
    if (!x) return x;
    const walk = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(walk);
      if (!isJsonObject(v)) return v;
      if ('constant_value' in v || 'references' in v) return this.expression(v as PlanExpression);
      return Object.fromEntries(Object.entries(v).map(([k, c]) => [k, walk(c)]));
    };
    return walk(x) as PlanExpressions;
  }

  private configResource(r: ConfigResource, root: boolean): ConfigResource {
    return {
      ...r,
      ...(root ? { address: this.address(r.address), name: `${this.p}${r.name}` } : {}),
      ...(r.provider_config_key ? { provider_config_key: this.providerKey(r.provider_config_key) } : {}),
      ...(root && r.expressions ? { expressions: this.expressions(r.expressions) } : {}),
      ...(root && r.count_expression ? { count_expression: this.expression(r.count_expression) } : {}),
      ...(root && r.for_each_expression ? { for_each_expression: this.expression(r.for_each_expression) } : {}),
      ...(root && r.depends_on ? { depends_on: r.depends_on.map((d) => this.reference(d)) } : {}),
    };
  }

  /** Inside module calls only provider keys change (Terraform may have written the parent's key there). */
  private innerModule(m: ConfigModule): ConfigModule {
    return {
      ...m,
      ...(m.resources ? { resources: m.resources.map((r) => this.configResource(r, false)) } : {}),
      ...(m.module_calls
        ? { module_calls: Object.fromEntries(Object.entries(m.module_calls).map(([k, c]) => [k, { ...c, module: this.innerModule(c.module) }])) }
        : {}),
    };
  }

  private moduleCall(c: ModuleCall): ModuleCall {
    const providers: Record<string, string> = {};
    for (const d of this.defaults) providers[d] = this.providerKey(d);
    for (const [local, parentKey] of Object.entries(c.providers ?? {})) providers[local] = this.providerKey(parentKey);
    return {
      ...c,
      ...(c.expressions ? { expressions: this.expressions(c.expressions) } : {}),
      ...(c.count_expression ? { count_expression: this.expression(c.count_expression) } : {}),
      ...(c.for_each_expression ? { for_each_expression: this.expression(c.for_each_expression) } : {}),
      ...(c.depends_on ? { depends_on: c.depends_on.map((d) => this.reference(d)) } : {}),
      ...(Object.keys(providers).length ? { providers } : {}),
      module: this.innerModule(c.module ?? {}),
    };
  }

  private values(v: ValuesRepresentation | undefined): ValuesRepresentation | undefined {
    if (!v) return v;
    const mod = (m: ValuesModule, root: boolean): ValuesModule => ({
      ...m,
      ...(m.address ? { address: this.address(m.address) } : {}),
      ...(m.resources
        ? { resources: m.resources.map((r) => ({ ...r, address: this.instance(r.address), ...(root ? { name: `${this.p}${r.name}` } : {}) })) }
        : {}),
      ...(m.child_modules ? { child_modules: m.child_modules.map((c) => mod(c, false)) } : {}),
    });
    return {
      ...v,
      ...(v.outputs ? { outputs: prefixKeys(v.outputs, this.p) } : {}),
      root_module: mod(v.root_module, true),
    };
  }

  private change(rc: ResourceChange): ResourceChange {
    const root = !rc.module_address;
    return {
      ...rc,
      address: this.instance(rc.address),
      ...(rc.previous_address ? { previous_address: this.address(rc.previous_address) } : {}),
      ...(rc.module_address ? { module_address: this.address(rc.module_address) } : {}),
      ...(root ? { name: `${this.p}${rc.name}` } : {}),
    };
  }

  plan(): PlanDocument {
    const d = this.doc;
    const cfg = d.configuration;
    const root = cfg?.root_module;
    const providerConfig: Record<string, ProviderConfig> = {};
    for (const [key, pc] of Object.entries(cfg?.provider_config ?? {})) {
      const to = this.providerKey(key);
      const alias = to.includes(':') ? pc.alias : to.slice(to.indexOf('.') + 1);
      providerConfig[to] = {
        ...pc,
        ...(alias ? { alias } : {}),
        ...(pc.module_address ? { module_address: this.address(pc.module_address) } : {}),
        ...(pc.expressions ? { expressions: this.expressions(pc.expressions) } : {}),
      };
    }
    const kz = (d as PlanDocument & { kz_synth?: SynthNotes }).kz_synth;
    return {
      ...d,
      ...(d.variables ? { variables: prefixKeys(d.variables, this.p) } : {}),
      ...(d.planned_values ? { planned_values: this.values(d.planned_values) } : {}),
      ...(d.prior_state ? { prior_state: { ...d.prior_state, values: this.values(d.prior_state.values) } } : {}),
      ...(d.resource_changes ? { resource_changes: d.resource_changes.map((rc) => this.change(rc)) } : {}),
      ...(d.resource_drift ? { resource_drift: d.resource_drift.map((rc) => ({ ...rc, address: this.address(rc.address), ...(rc.module_address ? { module_address: this.address(rc.module_address) } : {}) })) } : {}),
      ...(d.output_changes ? { output_changes: prefixKeys<Change>(d.output_changes, this.p) } : {}),
      ...(d.relevant_attributes ? { relevant_attributes: d.relevant_attributes.map((a) => ({ ...a, resource: this.address(a.resource) })) } : {}),
      ...(cfg
        ? {
            configuration: {
              ...cfg,
              provider_config: providerConfig,
              root_module: {
                ...root,
                ...(root?.resources ? { resources: root.resources.map((r) => this.configResource(r, true)) } : {}),
                ...(root?.module_calls ? { module_calls: Object.fromEntries(Object.entries(root.module_calls).map(([k, c]) => [`${this.p}${k}`, this.moduleCall(c)])) } : {}),
                ...(root?.variables ? { variables: prefixKeys(root.variables, this.p) } : {}),
                ...(root?.outputs
                  ? { outputs: Object.fromEntries(Object.entries(root.outputs).map(([k, o]) => [`${this.p}${k}`, { ...o, ...(o.expression ? { expression: this.expression(o.expression) } : {}) }])) }
                  : {}),
              },
            },
          }
        : {}),
      ...(kz
        ? {
            kz_synth: {
              ...kz,
              unknown_instances: kz.unknown_instances.map((a) => this.address(a)),
              opaque_modules: kz.opaque_modules.map((a) => this.address(a)),
            },
          }
        : {}),
    } as PlanDocument;
  }
}

function prefixKeys<T>(o: Record<string, T>, p: string): Record<string, T> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [`${p}${k}`, v]));
}

/** Merges renamed documents: their names no longer collide, so maps and lists are simply joined. */
function merge(plans: readonly PlanDocument[]): PlanDocument {
  const first = plans[0];
  const union = <T>(pick: (p: PlanDocument) => Record<string, T> | undefined): Record<string, T> | undefined => {
    const parts = plans.map(pick).filter((x): x is Record<string, T> => x !== undefined);
    return parts.length ? Object.assign({}, ...parts) : undefined;
  };
  const concat = <T>(pick: (p: PlanDocument) => T[] | undefined): T[] | undefined => {
    const parts = plans.map(pick).filter((x): x is T[] => x !== undefined);
    return parts.length ? parts.flat() : undefined;
  };
  const values = (pick: (p: PlanDocument) => ValuesRepresentation | undefined): ValuesRepresentation | undefined => {
    const parts = plans.map(pick).filter((x): x is ValuesRepresentation => x !== undefined);
    if (!parts.length) return undefined;
    return {
      ...(parts.some((v) => v.outputs) ? { outputs: Object.assign({}, ...parts.map((v) => v.outputs ?? {})) } : {}),
      root_module: {
        resources: parts.flatMap((v) => v.root_module.resources ?? []),
        child_modules: parts.flatMap((v) => v.root_module.child_modules ?? []),
      },
    };
  };
  const moduleUnion = <T>(pick: (m: ConfigModule) => Record<string, T> | undefined) => union((p) => (p.configuration ? pick(p.configuration.root_module) : undefined));
  const notes = plans.map((p) => (p as PlanDocument & { kz_synth?: SynthNotes }).kz_synth).filter((n): n is SynthNotes => n !== undefined);
  const out: PlanDocument & { kz_synth?: SynthNotes } = {
    format_version: first.format_version,
    ...(first.terraform_version ? { terraform_version: first.terraform_version } : {}),
  };
  const set = <K extends keyof PlanDocument>(k: K, v: PlanDocument[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('variables', union((p) => p.variables));
  set('planned_values', values((p) => p.planned_values));
  set('resource_changes', concat((p) => p.resource_changes));
  set('resource_drift', concat((p) => p.resource_drift));
  set('output_changes', union((p) => p.output_changes));
  const prior = values((p) => p.prior_state?.values);
  if (prior) out.prior_state = { format_version: first.format_version, values: prior };
  if (plans.some((p) => p.configuration)) {
    const root: ConfigModule = {};
    const resources = concat((p) => p.configuration?.root_module.resources);
    if (resources) root.resources = resources;
    const calls = moduleUnion((m) => m.module_calls);
    if (calls) root.module_calls = calls;
    const vars = moduleUnion((m) => m.variables);
    if (vars) root.variables = vars;
    const outputs = moduleUnion((m) => m.outputs);
    if (outputs) root.outputs = outputs;
    out.configuration = { provider_config: union((p) => p.configuration?.provider_config) ?? {}, root_module: root };
  }
  set('relevant_attributes', concat((p) => p.relevant_attributes));
  out.applyable = plans.every((p) => p.applyable !== false);
  // complete only when every part says so: a part without the field (Terraform before 1.8) may be
  // a -target plan, whose untouched prior-state objects the policies then judge too
  out.complete = plans.every((p) => p.complete === true);
  out.errored = plans.some((p) => p.errored === true);
  if (notes.length) {
    out.kz_synth = {
      source: 'cdktf',
      ...(notes[0].cdktf_version ? { cdktf_version: notes[0].cdktf_version } : {}),
      unknown_instances: notes.flatMap((n) => n.unknown_instances),
      opaque_modules: notes.flatMap((n) => n.opaque_modules),
    };
  }
  return out;
}
