/**
 * Converts a cdktf synth output (`cdk.tf.json`, Terraform JSON configuration) into the Terraform
 * plan JSON shape the policies read, as a first `terraform plan` of that stack would show it:
 * `configuration` (provider configs and resources with their expressions), `planned_values`, and
 * `resource_changes` that create every managed resource. A value that holds a token or a `${…}`
 * reference is not known at plan time: it is left out of `after` and marked `true` in
 * `after_unknown`, so the policies treat it as unproven (fail closed). Constant locals and the
 * instance keys of a literal `count`/`for_each` are known and substituted.
 *
 * Nested blocks are written as Terraform writes them (a list block is an array even when
 * cdk.tf.json has a bare object), using a table generated from the provider packages
 * (plan/schema/provider-blocks.json). Provider configuration blocks nested in a provider
 * (helm's `kubernetes`) are written in block form, `kubernetes: [{host: {constant_value}}]`,
 * the form helm provider v2 plans carry, so that a constant host stays visible next to
 * referenced credentials.
 */
import providerBlocks from './schema/provider-blocks.json';
import { InputError } from './errors';
import { isJsonObject, type Json, type JsonObject, type PlanDocument, type PlanExpression, type PlanExpressions, type ProviderConfig, type ConfigResource, type ResourceChange, type ValuesResource, type ModuleCall, type ConfigVariable, type ConfigOutput } from './format';
import { UNKNOWN, evalTemplate, isTemplate, templateReferences, unescapeLiteral, valueReferences, type KnownScope } from './template';

export interface SynthOptions {
  /** The file the JSON came from, for error messages. */
  readonly file: string;
}

export interface SynthResult {
  readonly plan: PlanDocument;
  /** Resource instance address (as in resource_changes) → cdktf construct path (`stack/db/release`). */
  readonly constructPaths: Record<string, string>;
  /**
   * Resource instance address → the trace cdktf recorded where the construct was created
   * (`"//": {"metadata": {"stackTrace": [...]}}`), when the synth output carries one.
   */
  readonly stackTraces: Record<string, string[]>;
  /** Waivers written in code (constructs/waivers.ts), one entry per resource instance, not yet validated. */
  readonly codeWaivers: RawCodeWaiver[];
}

/** A waiver as found in a resource's `"//": {"kz-residency": {"waivers": [...]}}`, before validation. */
export interface RawCodeWaiver {
  /** The resource instance it covers. */
  readonly address: string;
  /** Where it is in the file, e.g. `resource.helm_release.db.//.kz-residency.waivers[0]`. */
  readonly field: string;
  readonly value: unknown;
}

/** The key under a resource's `//` comment that holds kz-residency's own metadata (code waivers). */
export const SYNTH_METADATA_KEY = 'kz-residency';

/** Extra facts about a converted synth output, under `plan.kz_synth` (ignored by other readers). */
export interface SynthNotes {
  readonly source: 'cdktf';
  readonly stack?: string;
  readonly cdktf_version?: string;
  /** Resources whose count/for_each is not known at synth time: represented by one instance without a key. */
  readonly unknown_instances: string[];
  /** Module calls whose contents synth output does not show (the plan of the real module would). */
  readonly opaque_modules: string[];
}

type Kind = 'list' | 'set' | 'struct';
type BlockTable = Record<string, [Kind, string | null]>;
interface BlocksFile {
  types: Record<string, string>;
  fns: Record<string, BlockTable>;
}
const BLOCKS = providerBlocks as unknown as BlocksFile;

function blockTableFor(key: string): BlockTable | undefined {
  const fn = BLOCKS.types[key];
  return fn ? BLOCKS.fns[fn] : undefined;
}
function childTable(table: BlockTable | undefined, key: string): { kind?: Kind; table?: BlockTable } {
  const e = table?.[key];
  if (!e) return {};
  return { kind: e[0], table: e[1] ? BLOCKS.fns[e[1]] : undefined };
}

/** Keys of a resource body that are meta-arguments, not attributes. */
const META_KEYS = new Set(['//', 'count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection']);

/** `kubernetes` → registry.terraform.io/hashicorp/kubernetes; `hashicorp/helm` → registry.terraform.io/hashicorp/helm. */
export function providerFullName(source: string | undefined, localName: string): string {
  const s = (source ?? localName).trim().toLowerCase();
  const parts = s.split('/');
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${parts[0]}/${parts[1]}`;
  return s;
}

/** Whether a parsed JSON document looks like Terraform JSON configuration (cdk.tf.json). */
export function looksLikeSynth(x: unknown): boolean {
  return isJsonObject(x) && !('format_version' in x) && ['resource', 'provider', 'terraform', 'data', 'module'].some((k) => k in x);
}

// ---------------------------------------------------------------------------------------------
// values: cdk.tf.json → plan `after` + `after_unknown`

interface Converted {
  /** The known value, or UNKNOWN. */
  value: Json | typeof UNKNOWN;
  /** after_unknown mirror: true, a container, or false for fully known. */
  unknown: Json;
}

function convertValue(v: unknown, table: BlockTable | undefined, scope: KnownScope): Converted {
  if (typeof v === 'string') {
    if (!isTemplate(v)) return { value: unescapeLiteral(v), unknown: false };
    const r = evalTemplate(v, scope);
    return r === UNKNOWN ? { value: UNKNOWN, unknown: true } : { value: r, unknown: false };
  }
  if (Array.isArray(v)) {
    const value: Json[] = [];
    const unknown: Json[] = [];
    let any = false;
    for (const el of v) {
      const c = convertValue(el, table, scope);
      value.push(c.value === UNKNOWN ? null : c.value);
      unknown.push(c.unknown);
      if (c.unknown !== false) any = true;
    }
    return { value, unknown: any ? unknown : unknown.map((u) => (u === false ? false : u)) };
  }
  if (isJsonObject(v)) {
    const value: JsonObject = {};
    const unknown: JsonObject = {};
    for (const [k, raw] of Object.entries(v)) {
      if (k === '//') continue;
      const { kind, table: sub } = childTable(table, k);
      let x: unknown = raw;
      if ((kind === 'list' || kind === 'set') && isJsonObject(raw)) x = [raw];
      const c = convertValue(x, sub, scope);
      if (c.value === UNKNOWN) unknown[k] = true;
      else {
        value[k] = c.value;
        if (hasUnknown(c.unknown)) unknown[k] = c.unknown;
      }
    }
    return { value, unknown };
  }
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return { value: v, unknown: false };
  return { value: null, unknown: false };
}

function hasUnknown(u: Json): boolean {
  if (u === true) return true;
  if (Array.isArray(u)) return u.some(hasUnknown);
  if (isJsonObject(u)) return Object.values(u).some(hasUnknown);
  return false;
}

// ---------------------------------------------------------------------------------------------
// expressions: cdk.tf.json → configuration `expressions`

function expressionOf(v: unknown): PlanExpression {
  const refs = valueReferences(v);
  if (refs.length > 0) return { references: refs };
  const c = convertValue(v, undefined, { locals: {} });
  // a template with no references (a function of literals) is neither constant nor referencing
  return c.value === UNKNOWN || hasUnknown(c.unknown) ? {} : { constant_value: c.value };
}

/** The expressions of a block body: blocks recurse (as arrays for list/set), attributes become expressions. */
function expressionsOf(body: JsonObject, table: BlockTable | undefined, blockFormForObjects = false, top = true): PlanExpressions {
  const out: PlanExpressions = {};
  for (const [k, v] of Object.entries(body)) {
    // meta-arguments exist only at the top of a resource or provider block (`alias` only of a provider)
    if (top && (META_KEYS.has(k) || (blockFormForObjects && k === 'alias'))) continue;
    if (k === '//') continue;
    const { kind, table: sub } = childTable(table, k);
    const isBlock = kind !== undefined && (isJsonObject(v) || (Array.isArray(v) && v.every(isJsonObject)));
    if (isBlock || (blockFormForObjects && isJsonObject(v))) {
      const items = Array.isArray(v) ? (v as JsonObject[]) : [v as JsonObject];
      const converted = items.map((b) => expressionsOf(b, sub, blockFormForObjects, false));
      out[k] = kind === 'struct' && !blockFormForObjects ? converted[0] : converted;
    } else out[k] = expressionOf(v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// instances: count / for_each

interface Instance {
  index?: number | string;
  scope: KnownScope;
}

function literalForEach(v: unknown, locals: Record<string, Json>): Record<string, Json> | undefined {
  let x: unknown = v;
  if (typeof x === 'string') {
    const m = /^\$\{\s*toset\(\s*(\[[\s\S]*\])\s*\)\s*\}$/.exec(x);
    if (m) {
      try {
        x = JSON.parse(m[1]);
      } catch {
        return undefined;
      }
    } else {
      const r = evalTemplate(x, { locals });
      if (r === UNKNOWN) return undefined;
      x = r;
    }
  }
  if (Array.isArray(x)) {
    if (!x.every((e) => typeof e === 'string' && !isTemplate(e))) return undefined;
    return Object.fromEntries((x as string[]).map((s) => [s, s]));
  }
  if (isJsonObject(x)) {
    if (hasUnknown(convertValue(x, undefined, { locals }).unknown)) return undefined;
    return x;
  }
  return undefined;
}

function instancesOf(body: JsonObject, locals: Record<string, Json>): Instance[] | undefined {
  if ('count' in body) {
    let n: unknown = body.count;
    if (typeof n === 'string') {
      const r = evalTemplate(n, { locals });
      n = r === UNKNOWN ? undefined : typeof r === 'string' && /^\d+$/.test(r) ? Number(r) : r;
    }
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return undefined;
    return Array.from({ length: n }, (_, i) => ({ index: i, scope: { locals, countIndex: i } }));
  }
  if ('for_each' in body) {
    const m = literalForEach(body.for_each, locals);
    if (!m) return undefined;
    return Object.keys(m)
      .sort()
      .map((k) => ({ index: k, scope: { locals, eachKey: k, eachValue: m[k] } }));
  }
  return [{ scope: { locals } }];
}

function instanceAddress(base: string, index: number | string | undefined): string {
  if (index === undefined) return base;
  return typeof index === 'number' ? `${base}[${index}]` : `${base}[${JSON.stringify(index)}]`;
}

// ---------------------------------------------------------------------------------------------

function constantLocals(locals: unknown): Record<string, Json> {
  const out: Record<string, Json> = {};
  if (!isJsonObject(locals)) return out;
  // a few rounds so that locals built from other constant locals resolve too
  for (let round = 0; round < 4; round++) {
    for (const [k, v] of Object.entries(locals)) {
      if (k in out) continue;
      const c = convertValue(v, undefined, { locals: out });
      if (c.value !== UNKNOWN && !hasUnknown(c.unknown)) out[k] = c.value;
    }
  }
  return out;
}

function constructPathOf(body: JsonObject): string | undefined {
  const meta = body['//'];
  if (isJsonObject(meta) && isJsonObject(meta.metadata) && typeof meta.metadata.path === 'string') return meta.metadata.path;
  return undefined;
}

function stackTraceOf(body: JsonObject): string[] | undefined {
  const meta = body['//'];
  if (!isJsonObject(meta) || !isJsonObject(meta.metadata) || !Array.isArray(meta.metadata.stackTrace)) return undefined;
  const frames = meta.metadata.stackTrace.filter((f): f is string => typeof f === 'string');
  return frames.length > 0 ? frames : undefined;
}

/** The raw `waivers` list under `"//": {"kz-residency": …}` (anything else there is left to validation). */
function codeWaiversOf(body: JsonObject): unknown {
  const meta = body['//'];
  if (!isJsonObject(meta)) return undefined;
  const own = meta[SYNTH_METADATA_KEY];
  return isJsonObject(own) ? own.waivers : own;
}

/** Converts a parsed cdk.tf.json into the plan shape. Throws InputError for what is not one. */
export function synthToPlan(cdkTfJson: unknown, opts: SynthOptions): SynthResult {
  const file = opts.file;
  if (!isJsonObject(cdkTfJson)) throw new InputError(file, undefined, 'not a cdktf synth output: expected a JSON object');
  if (!looksLikeSynth(cdkTfJson)) {
    throw new InputError(file, undefined, 'not a cdktf synth output (cdk.tf.json): it has none of the keys resource, data, provider, terraform, module');
  }
  const doc = cdkTfJson;
  for (const k of ['resource', 'data', 'provider', 'terraform', 'locals', 'variable', 'module', 'output'] as const) {
    if (k in doc && !isJsonObject(doc[k])) throw new InputError(file, k, 'expected an object');
  }
  const terraform = isJsonObject(doc.terraform) ? doc.terraform : {};
  const required = isJsonObject(terraform.required_providers) ? terraform.required_providers : {};
  const locals = constantLocals(doc.locals);
  const topMeta = isJsonObject(doc['//']) && isJsonObject(doc['//'].metadata) ? doc['//'].metadata : {};

  const fullNameOf = (local: string): string => {
    const req = required[local];
    return providerFullName(isJsonObject(req) && typeof req.source === 'string' ? req.source : undefined, local);
  };
  const versionOf = (local: string): string | undefined => {
    const req = required[local];
    return isJsonObject(req) && typeof req.version === 'string' ? req.version : undefined;
  };

  // provider configurations
  const providerConfig: Record<string, ProviderConfig> = {};
  const providers = isJsonObject(doc.provider) ? doc.provider : {};
  for (const [name, raw] of Object.entries(providers)) {
    const blocks = Array.isArray(raw) ? raw : [raw];
    blocks.forEach((b, i) => {
      if (!isJsonObject(b)) throw new InputError(file, `provider.${name}[${i}]`, 'expected an object');
      const alias = typeof b.alias === 'string' ? b.alias : undefined;
      const key = alias ? `${name}.${alias}` : name;
      if (key in providerConfig) throw new InputError(file, `provider.${name}[${i}]`, `duplicate provider configuration ${key}`);
      const pc: ProviderConfig = { name, full_name: fullNameOf(name) };
      if (alias) pc.alias = alias;
      const vc = versionOf(name);
      if (vc) pc.version_constraint = vc;
      pc.expressions = expressionsOf(b, blockTableFor(`provider.${name}`), true);
      providerConfig[key] = pc;
    });
  }
  const ensureDefaultProvider = (local: string): void => {
    if (local in providerConfig) return;
    const pc: ProviderConfig = { name: local, full_name: fullNameOf(local) };
    const vc = versionOf(local);
    if (vc) pc.version_constraint = vc;
    providerConfig[local] = pc;
  };
  for (const local of Object.keys(required)) ensureDefaultProvider(local);

  const configResources: ConfigResource[] = [];
  const plannedResources: ValuesResource[] = [];
  const changes: ResourceChange[] = [];
  const constructPaths: Record<string, string> = {};
  const stackTraces: Record<string, string[]> = {};
  const codeWaivers: RawCodeWaiver[] = [];
  const notes: SynthNotes = {
    source: 'cdktf',
    stack: typeof topMeta.stackName === 'string' ? topMeta.stackName : undefined,
    cdktf_version: typeof topMeta.version === 'string' ? topMeta.version : undefined,
    unknown_instances: [],
    opaque_modules: [],
  };

  // every managed resource address (for deciding whether a data source waits for apply)
  const managedAddresses = new Set<string>();
  const resources = isJsonObject(doc.resource) ? doc.resource : {};
  for (const [type, byName] of Object.entries(resources)) {
    if (isJsonObject(byName)) for (const n of Object.keys(byName)) managedAddresses.add(`${type}.${n}`);
  }

  const addAll = (mode: 'managed' | 'data', group: unknown, groupField: string): void => {
    if (group === undefined) return;
    if (!isJsonObject(group)) throw new InputError(file, groupField, 'expected an object');
    for (const [type, byName] of Object.entries(group).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!isJsonObject(byName)) throw new InputError(file, `${groupField}.${type}`, 'expected an object');
      for (const [name, body] of Object.entries(byName).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const field = `${groupField}.${type}.${name}`;
        if (!isJsonObject(body)) throw new InputError(file, field, 'expected an object');
        const base = mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
        let providerKey = type.split('_')[0];
        if (typeof body.provider === 'string') {
          const p = body.provider.replace(/^\$\{(.*)\}$/, '$1').trim();
          providerKey = p;
        }
        const localName = providerKey.split('.')[0];
        ensureDefaultProvider(localName);
        const table = blockTableFor(mode === 'data' ? `data.${type}` : type);
        const cr: ConfigResource = { address: base, mode, type, name, provider_config_key: providerKey, expressions: expressionsOf(body, table), schema_version: 0 };
        if ('count' in body) cr.count_expression = expressionOf(body.count);
        if ('for_each' in body) cr.for_each_expression = expressionOf(body.for_each);
        if (Array.isArray(body.depends_on)) cr.depends_on = body.depends_on.filter((d): d is string => typeof d === 'string').map((d) => d.replace(/^\$\{(.*)\}$/, '$1'));
        configResources.push(cr);

        const cpath = constructPathOf(body);
        const trace = stackTraceOf(body);
        const waiversHere = mode === 'managed' ? codeWaiversOf(body) : undefined;
        const providerName = (providerConfig[providerKey] ?? providerConfig[localName])?.full_name ?? fullNameOf(localName);
        let instances = instancesOf(body, locals);
        if (!instances) {
          notes.unknown_instances.push(base);
          instances = [{ scope: { locals } }];
        }
        // A data source is read during planning unless its configuration waits for a managed
        // resource; only then does Terraform list it in resource_changes (action "read").
        const dependsOn = Array.isArray(body.depends_on) ? body.depends_on.filter((d): d is string => typeof d === 'string').map((d) => d.replace(/^\$\{(.*)\}$/, '$1').trim()) : [];
        const waitsForApply =
          mode === 'data' && [...valueReferences(body), ...dependsOn].some((r) => managedAddresses.has(r.split(/[.[]/).slice(0, 2).join('.')) || r.startsWith('module.'));
        for (const inst of instances) {
          const address = instanceAddress(base, inst.index);
          const attrs: JsonObject = {};
          for (const [k, v] of Object.entries(body)) if (!META_KEYS.has(k)) attrs[k] = v as Json;
          const c = convertValue(attrs, table, inst.scope);
          const after = c.value === UNKNOWN ? {} : (c.value as JsonObject);
          const afterUnknown = isJsonObject(c.unknown) ? c.unknown : {};
          if (mode === 'data' && !waitsForApply) {
            if (cpath) constructPaths[address] = cpath;
            continue;
          }
          const vr: ValuesResource = { address, mode, type, name, provider_name: providerName, schema_version: 0, values: after, sensitive_values: {} };
          if (inst.index !== undefined) vr.index = inst.index;
          plannedResources.push(vr);
          const rc: ResourceChange = {
            address,
            mode,
            type,
            name,
            provider_name: providerName,
            change: { actions: [mode === 'data' ? 'read' : 'create'], before: null, after, after_unknown: afterUnknown, before_sensitive: false, after_sensitive: {} },
          };
          if (inst.index !== undefined) rc.index = inst.index;
          if (mode === 'data') rc.action_reason = 'read_because_dependency_pending';
          changes.push(rc);
          if (cpath) constructPaths[address] = cpath;
          if (trace) stackTraces[address] = trace;
          if (waiversHere !== undefined) {
            const at = `${field}.//.${SYNTH_METADATA_KEY}.waivers`;
            if (!Array.isArray(waiversHere)) codeWaivers.push({ address, field: at, value: waiversHere });
            else waiversHere.forEach((w, i) => codeWaivers.push({ address, field: `${at}[${i}]`, value: w }));
          }
        }
      }
    }
  };
  addAll('managed', doc.resource, 'resource');
  addAll('data', doc.data, 'data');

  // module calls (their contents are not in the synth output)
  const moduleCalls: Record<string, ModuleCall> = {};
  if (isJsonObject(doc.module)) {
    for (const [name, body] of Object.entries(doc.module)) {
      if (!isJsonObject(body)) throw new InputError(file, `module.${name}`, 'expected an object');
      const inputs: JsonObject = {};
      for (const [k, v] of Object.entries(body)) if (!['//', 'source', 'version', 'providers', 'count', 'for_each', 'depends_on'].includes(k)) inputs[k] = v as Json;
      const mc: ModuleCall = { source: typeof body.source === 'string' ? body.source : undefined, expressions: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, expressionOf(v)])), module: {} };
      if (typeof body.version === 'string') mc.version_constraint = body.version;
      if (isJsonObject(body.providers)) {
        mc.providers = Object.fromEntries(Object.entries(body.providers).map(([k, v]) => [k, String(v).replace(/^\$\{(.*)\}$/, '$1').trim()]));
      }
      moduleCalls[name] = mc;
      notes.opaque_modules.push(`module.${name}`);
    }
  }

  const variables: Record<string, ConfigVariable> = {};
  if (isJsonObject(doc.variable)) {
    for (const [name, body] of Object.entries(doc.variable)) {
      const v: ConfigVariable = {};
      if (isJsonObject(body)) {
        if ('default' in body) v.default = body.default;
        if (typeof body.description === 'string') v.description = body.description;
        if (body.sensitive === true) v.sensitive = true;
      }
      variables[name] = v;
    }
  }
  const outputs: Record<string, ConfigOutput> = {};
  if (isJsonObject(doc.output)) {
    for (const [name, body] of Object.entries(doc.output)) {
      if (!isJsonObject(body)) continue;
      outputs[name] = { expression: expressionOf(body.value), sensitive: body.sensitive === true || undefined };
      if (typeof body.description === 'string') outputs[name].description = body.description;
    }
  }

  configResources.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const plan: PlanDocument & { kz_synth: SynthNotes } = {
    format_version: '1.2',
    planned_values: { root_module: { resources: plannedResources } },
    resource_changes: changes,
    configuration: {
      provider_config: Object.fromEntries(Object.entries(providerConfig).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      root_module: {
        resources: configResources,
        ...(Object.keys(moduleCalls).length ? { module_calls: moduleCalls } : {}),
        ...(Object.keys(variables).length ? { variables } : {}),
        ...(Object.keys(outputs).length ? { outputs } : {}),
      },
    },
    applyable: true,
    complete: notes.unknown_instances.length === 0 && notes.opaque_modules.length === 0,
    errored: false,
    kz_synth: notes,
  };
  return { plan, constructPaths, stackTraces, codeWaivers };
}

/** References that a value in cdk.tf.json makes (exported for tests and the CLI's explanations). */
export { templateReferences };
