/**
 * For every resource change of a plan, the provider configuration it uses and what the plan says
 * about that configuration's Kubernetes API `host`: a constant (with its normalised endpoint), a
 * reference to something known only later, or absent (kubeconfig / environment decide) — or,
 * when the plan does not let us tell which configuration applies, `unresolved` with a reason.
 *
 * How Terraform writes it (internal/command/jsonconfig): `configuration.provider_config` is keyed
 * `<local name>[.<alias>]` for the root and `<module path>:<local name>[.<alias>]` inside modules
 * (module path without instance keys). A resource's `provider_config_key` uses the same keys; since
 * Terraform 1.1 a provider passed into a module (`providers = {...}`) or inherited from its caller
 * is normalised to the key of the configuration that defines it. Older plans keep the module-local
 * key, which is then missing from `provider_config`: we follow the call's `providers` map when the
 * plan has one, else implicit inheritance (default, unaliased providers only).
 */
import { normaliseEndpoint } from './endpoint';
import { isJsonObject, isPlanExpression, type ConfigModule, type ConfigResource, type Json, type PlanDocument, type PlanExpression, type PlanExpressions, type ProviderConfig, type ResourceChange } from './format';

export { normaliseEndpoint } from './endpoint';

/** What the plan says about a provider configuration's `host`. */
export type HostResolution =
  /** Known at plan time. `via` lists the variables followed to find it. */
  | { kind: 'constant'; value: string; endpoint?: string; via?: string[] }
  /** Taken from other objects (`data.aws_eks_cluster.x.endpoint`, `module.eks.cluster_endpoint`): not known until they are. */
  | { kind: 'reference'; references: string[]; via?: string[] }
  /** Present but not readable: an expression with neither constant nor references, or helm v3's one-expression `kubernetes = {...}`. */
  | { kind: 'unknown'; reason: string; references?: string[] }
  /** Not configured in the plan: kubeconfig (`config_path`), environment variables or in-cluster config decide. */
  | { kind: 'absent'; reason: string };

export interface ProviderResolution {
  /** Resource change address, e.g. `module.db.helm_release.pg[0]`. */
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  /** `provider_name` of the change, e.g. `registry.terraform.io/hashicorp/kubernetes`. */
  readonly providerName?: string;
  readonly status: 'resolved' | 'unresolved';
  /** Why the configuration could not be determined (status `unresolved`). */
  readonly reason?: string;
  /** The resource's `provider_config_key` as written in the configuration. */
  readonly configKey?: string;
  /** The key in `configuration.provider_config` that applies (status `resolved`). */
  readonly providerConfigKey?: string;
  /** Local name of the provider (`kubernetes`, `helm`). */
  readonly providerLocalName?: string;
  readonly alias?: string;
  /** Module that declares the configuration (`module.k8s`), undefined for the root. */
  readonly providerModule?: string;
  /** Whether the configuration was reached by inheritance or a `providers` map rather than directly. */
  readonly inherited?: boolean;
  /** Whether this provider talks to a Kubernetes API server (kubernetes, helm, kubectl, or has a host). */
  readonly kubernetes: boolean;
  /** The API server host, for Kubernetes-family providers (status `resolved`). */
  readonly host?: HostResolution;
}

const KUBERNETES_FAMILY = new Set(['kubernetes', 'helm', 'kubectl']);

/** `module.a["x"].module.b[0]` → `['a', 'b']`. */
export function modulePath(moduleAddress: string | undefined): string[] {
  if (!moduleAddress) return [];
  const out: string[] = [];
  const re = /module\.([A-Za-z0-9_-]+)(?:\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\])?/g;
  for (let m = re.exec(moduleAddress); m; m = re.exec(moduleAddress)) out.push(m[1]);
  return out;
}

/** The module address of a resource instance address (`module.a["x"].aws_x.y[0]` → `module.a["x"]`). */
export function moduleAddressOf(address: string): string | undefined {
  const m = /^((?:module\.[A-Za-z0-9_-]+(?:\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\])?\.)+)/.exec(address);
  return m ? m[1].slice(0, -1) : undefined;
}

function moduleAt(root: ConfigModule | undefined, path: readonly string[]): ConfigModule | undefined {
  let m = root;
  for (const name of path) {
    m = m?.module_calls?.[name]?.module;
    if (!m) return undefined;
  }
  return m;
}

function keyFor(path: readonly string[], local: string): string {
  return path.length ? `${path.map((p) => `module.${p}`).join('.')}:${local}` : local;
}

function parseKey(key: string): { path: string[]; local: string } {
  const i = key.lastIndexOf(':');
  if (i < 0) return { path: [], local: key };
  return { path: modulePath(key.slice(0, i)), local: key.slice(i + 1) };
}

function findConfigResource(plan: PlanDocument, rc: ResourceChange): ConfigResource | undefined {
  const path = modulePath(rc.module_address ?? moduleAddressOf(rc.address));
  const mod = moduleAt(plan.configuration?.root_module, path);
  const want = `${rc.mode === 'data' ? 'data.' : ''}${rc.type}.${rc.name}`;
  return mod?.resources?.find((r) => r.address === want || (r.type === rc.type && r.name === rc.name && r.mode === rc.mode));
}

/** Follows a provider key that is not in provider_config up the module tree. */
function followKey(plan: PlanDocument, key: string): { key?: string; inherited: boolean; reason?: string } {
  const pcs = plan.configuration?.provider_config ?? {};
  let { path, local } = parseKey(key);
  let inherited = false;
  for (let guard = 0; guard < 64; guard++) {
    const k = keyFor(path, local);
    if (k in pcs) return { key: k, inherited };
    if (path.length === 0) {
      return { inherited, reason: `no provider configuration "${k}" in configuration.provider_config` };
    }
    const parentPath = path.slice(0, -1);
    const call = moduleAt(plan.configuration?.root_module, parentPath)?.module_calls?.[path[path.length - 1]];
    const passed = call?.providers?.[local];
    if (passed !== undefined) {
      local = passed;
    } else if (local.includes('.')) {
      const where = path.map((p) => `module.${p}`).join('.');
      return {
        inherited,
        reason: `provider ${local} of ${where} is passed in by its caller (providers = {...}), and the plan does not record which configuration; it is not in configuration.provider_config`,
      };
    }
    path = parentPath;
    inherited = true;
  }
  return { inherited, reason: 'provider configuration chain too deep' };
}

/** An attribute's expression; `{}` (set, but neither constant nor references) counts. */
function asExpression(x: unknown): PlanExpression | undefined {
  if (isPlanExpression(x)) return x;
  return isJsonObject(x) && Object.keys(x).length === 0 ? {} : undefined;
}

function stripIndexRefs(refs: readonly string[]): string[] {
  return [...new Set(refs)];
}

/** Follows `var.X` in module `path` to the caller's argument or the root variable's value. */
function followVariable(plan: PlanDocument, path: readonly string[], name: string, via: string[]): HostResolution {
  const chain = [...via, `${path.map((p) => `module.${p}.`).join('')}var.${name}`];
  if (path.length === 0) {
    const v = plan.variables?.[name]?.value;
    if (typeof v === 'string') return { kind: 'constant', value: v, endpoint: normaliseEndpoint(v), via: chain };
    if (v === null || v === undefined) return { kind: 'unknown', reason: `variable ${name} has no value in the plan`, references: [`var.${name}`] };
    return { kind: 'unknown', reason: `variable ${name} is not a string`, references: [`var.${name}`] };
  }
  const parent = path.slice(0, -1);
  const call = moduleAt(plan.configuration?.root_module, parent)?.module_calls?.[path[path.length - 1]];
  const arg = asExpression(call?.expressions?.[name]);
  if (arg) return fromExpression(plan, parent, arg, chain);
  const dflt = moduleAt(plan.configuration?.root_module, path)?.variables?.[name]?.default;
  if (typeof dflt === 'string') return { kind: 'constant', value: dflt, endpoint: normaliseEndpoint(dflt), via: chain };
  return { kind: 'unknown', reason: `module variable ${name} is not set by the call and has no string default`, references: [`var.${name}`] };
}

function fromExpression(plan: PlanDocument, path: readonly string[], e: PlanExpression, via: string[] = []): HostResolution {
  if ('constant_value' in e) {
    const v: Json | undefined = e.constant_value;
    if (typeof v === 'string') return { kind: 'constant', value: v, endpoint: normaliseEndpoint(v), ...(via.length ? { via } : {}) };
    if (v === null) return { kind: 'absent', reason: 'host is null in the provider configuration' };
    return { kind: 'unknown', reason: `host is not a string: ${JSON.stringify(v)}` };
  }
  const refs = stripIndexRefs(e.references ?? []);
  if (refs.length === 0) return { kind: 'unknown', reason: 'host is an expression that is neither a constant nor a reference (e.g. a function call)' };
  const vars = refs.filter((r) => /^var\.[A-Za-z_][\w-]*$/.test(r));
  if (vars.length === 1 && refs.every((r) => r === vars[0] || r.startsWith(`${vars[0]}.`) || r.startsWith(`${vars[0]}[`))) {
    const followed = followVariable(plan, path, vars[0].slice(4), via);
    // The plan does not say whether the expression is the variable itself or a template around it
    // (`"https://${var.x}:6443"`): only a whole URL is taken as the host (policies/lib/providers.rego).
    if (followed.kind === 'constant' && !followed.value.includes('://')) {
      return { kind: 'reference', references: refs, ...(via.length ? { via } : {}) };
    }
    // keep the more informative of: the followed value, or the original reference
    if (followed.kind !== 'unknown') return followed;
  }
  return { kind: 'reference', references: refs, ...(via.length ? { via } : {}) };
}

/** Reads the host out of a provider configuration's expressions. */
export function hostOf(plan: PlanDocument, pc: ProviderConfig): HostResolution {
  const ex: PlanExpressions = pc.expressions ?? {};
  const path = modulePath(pc.module_address);
  const direct = asExpression(ex.host);
  if (direct) return fromExpression(plan, path, direct);
  const k = ex.kubernetes;
  if (Array.isArray(k)) {
    // helm provider v2 block (and our synth converter's block form): kubernetes[0].host
    const block = k[0];
    if (block && isJsonObject(block)) {
      const h = asExpression((block as PlanExpressions).host);
      if (h) return fromExpression(plan, path, h);
      return absentHost(block as PlanExpressions, 'kubernetes[0].');
    }
    return absentHost(ex, '');
  }
  if (isPlanExpression(k)) {
    // helm provider v3: `kubernetes = {...}` is one attribute with one expression
    if ('constant_value' in k) {
      const cv = k.constant_value;
      if (isJsonObject(cv)) {
        if (typeof cv.host === 'string') return { kind: 'constant', value: cv.host, endpoint: normaliseEndpoint(cv.host) };
        if ('config_path' in cv || 'config_paths' in cv) return { kind: 'absent', reason: 'host comes from the kubeconfig file (kubernetes.config_path), which the plan does not show' };
      }
      return { kind: 'absent', reason: 'no host in the provider configuration' };
    }
    const refs = stripIndexRefs(k.references ?? []);
    return {
      kind: 'unknown',
      reason: 'the provider writes kubernetes = {...} as one expression (helm provider v3); the plan lists its references but not which one is the host',
      references: refs,
    };
  }
  return absentHost(ex, '');
}

function absentHost(ex: PlanExpressions, prefix: string): HostResolution {
  if ('config_path' in ex || 'config_paths' in ex) {
    return { kind: 'absent', reason: `host comes from the kubeconfig file (${prefix}config_path), which the plan does not show` };
  }
  return { kind: 'absent', reason: 'no host in the provider configuration: the KUBE_HOST environment variable, a default kubeconfig or in-cluster config would decide' };
}

function isKubernetesFamily(local: string, pc: ProviderConfig | undefined, providerName: string | undefined): boolean {
  const type = (pc?.full_name ?? providerName ?? local).split('/').pop() ?? local;
  if (KUBERNETES_FAMILY.has(type) || KUBERNETES_FAMILY.has(local.split('.')[0])) return true;
  const ex = pc?.expressions ?? {};
  return 'host' in ex || 'kubernetes' in ex;
}

/** Resolves the provider configuration of every resource change (in plan order). Never throws on a valid plan. */
export function resolveProviders(plan: PlanDocument): ProviderResolution[] {
  return (plan.resource_changes ?? []).map((rc) => resolveOne(plan, rc));
}

function resolveOne(plan: PlanDocument, rc: ResourceChange): ProviderResolution {
  const base = { address: rc.address, mode: rc.mode, type: rc.type, providerName: rc.provider_name };
  const typeLocal = rc.type.split('_')[0];
  if (!plan.configuration) {
    return { ...base, status: 'unresolved', reason: 'the plan has no configuration section', kubernetes: KUBERNETES_FAMILY.has(typeLocal) };
  }
  const cr = findConfigResource(plan, rc);
  if (!cr) {
    const why = rc.change.actions.includes('delete') ? 'not in the configuration (it is being deleted)' : 'not in the configuration';
    return { ...base, status: 'unresolved', reason: why, kubernetes: KUBERNETES_FAMILY.has(typeLocal) };
  }
  const path = modulePath(rc.module_address ?? moduleAddressOf(rc.address));
  const configKey = cr.provider_config_key ?? keyFor(path, typeLocal);
  const followed = followKey(plan, configKey);
  const local = parseKey(followed.key ?? configKey).local;
  if (!followed.key) {
    return { ...base, status: 'unresolved', reason: followed.reason, configKey, providerLocalName: local.split('.')[0], kubernetes: isKubernetesFamily(local, undefined, rc.provider_name) };
  }
  const pc = plan.configuration.provider_config?.[followed.key];
  const kubernetes = isKubernetesFamily(local, pc, rc.provider_name);
  const res: ProviderResolution = {
    ...base,
    status: 'resolved',
    configKey,
    providerConfigKey: followed.key,
    providerLocalName: pc?.name?.split('.')[0] ?? local.split('.')[0],
    ...(pc?.alias ? { alias: pc.alias } : local.includes('.') ? { alias: local.split('.')[1] } : {}),
    ...(pc?.module_address ? { providerModule: pc.module_address } : {}),
    ...(followed.inherited ? { inherited: true } : {}),
    kubernetes,
    ...(kubernetes && pc ? { host: hostOf(plan, pc) } : {}),
  };
  return res;
}
