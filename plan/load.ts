/**
 * Loads a Terraform (or OpenTofu) plan JSON document — `terraform show -json <planfile>`,
 * format_version 1.x — also when HCP Terraform wraps it as `{"plan": {...}}` (or an OPA Data API
 * request body wraps either as `{"input": ...}`), and checks that it
 * is a plan we can read. Anything else is an InputError naming the file and the field.
 */
import { InputError, fieldPath } from './errors';
import { isJsonObject, type PlanDocument, type JsonObject } from './format';
import { readJsonFile } from './json';

export type { PlanDocument } from './format';

/** The plan format major version this loader understands. */
export const SUPPORTED_FORMAT_MAJOR = 1;

/** Reads, unwraps and validates a plan JSON file. */
export function loadPlanFile(file: string): PlanDocument {
  return validatePlanDocument(readJsonFile(file), file);
}

/**
 * Whether `x` is a plan document this project reads (format_version 1.x with resource_changes or
 * planned_values), NOT unwrapping `{plan: …}` (use `unwrapPlan` first).
 */
export function isPlanDocument(x: unknown): x is PlanDocument {
  if (!isJsonObject(x)) return false;
  const v = x.format_version;
  if (typeof v !== 'string' || majorOf(v) !== SUPPORTED_FORMAT_MAJOR) return false;
  const rc = x.resource_changes;
  if (rc !== undefined && !Array.isArray(rc)) return false;
  return Array.isArray(rc) || isJsonObject(x.planned_values);
}

/**
 * Returns the plan inside a wrapper, with the path prefix for messages: HCP Terraform's policy
 * input `{"plan": {...}}`, and the body of an OPA Data API request (`POST /v1/data/...`),
 * `{"input": <plan or {"plan": ...}>}`. Anything else is returned as it is.
 */
export function unwrapPlan(x: unknown): { value: unknown; prefix: (string | number)[] } {
  if (!isJsonObject(x) || 'format_version' in x) return { value: x, prefix: [] };
  if (isJsonObject(x.plan)) return { value: x.plan, prefix: ['plan'] };
  if (isJsonObject(x.input) && Object.keys(x).length === 1) {
    const inner = x.input;
    if (!('format_version' in inner) && isJsonObject(inner.plan)) return { value: inner.plan, prefix: ['input', 'plan'] };
    return { value: inner, prefix: ['input'] };
  }
  return { value: x, prefix: [] };
}

/** Whether a parsed JSON value looks like a plan, wrapped or not (for content detection). */
export function looksLikePlan(x: unknown): boolean {
  const { value } = unwrapPlan(x);
  return isJsonObject(value) && ('format_version' in value || 'resource_changes' in value || 'planned_values' in value);
}

function majorOf(version: string): number | undefined {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(version);
  return m ? Number(m[1]) : undefined;
}

function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return 'an object';
  return `a ${typeof x}`;
}

/** Validates a parsed JSON value as a plan (unwrapping `{plan: …}`); throws InputError. */
export function validatePlanDocument(parsed: unknown, file: string): PlanDocument {
  const { value, prefix } = unwrapPlan(parsed);
  const at = (...rest: (string | number)[]): string => fieldPath([...prefix, ...rest]);
  if (!isJsonObject(value)) {
    throw new InputError(file, prefix.length ? at() : undefined, `not a Terraform plan: expected a JSON object, found ${typeName(value)}`);
  }
  const doc: JsonObject = value;
  const fv = doc.format_version;
  if (fv === undefined) {
    throw new InputError(file, at('format_version'), `missing: not a Terraform plan JSON document (${guessWhatItIs(doc)})`);
  }
  if (typeof fv !== 'string' || majorOf(fv) === undefined) {
    throw new InputError(file, at('format_version'), `expected a version string like "1.2", found ${JSON.stringify(fv)}`);
  }
  if (majorOf(fv) !== SUPPORTED_FORMAT_MAJOR) {
    const hint = majorOf(fv)! < SUPPORTED_FORMAT_MAJOR ? ' (written by Terraform 1.0 and newer, and OpenTofu); re-run `terraform show -json` with a current version' : '';
    throw new InputError(file, at('format_version'), `unsupported plan format ${fv}: this tool reads format ${SUPPORTED_FORMAT_MAJOR}.x${hint}`);
  }
  if (!('resource_changes' in doc) && !('planned_values' in doc) && !('configuration' in doc)) {
    const what = 'values' in doc ? 'this is a state (`terraform show -json` without a plan file), not a plan' : 'no resource_changes, planned_values or configuration';
    throw new InputError(file, at('resource_changes'), `missing: ${what}`);
  }
  if (doc.errored === true) {
    throw new InputError(file, at('errored'), 'true: Terraform could not finish this plan, so its contents are partial');
  }
  for (const key of ['planned_values', 'configuration', 'prior_state', 'variables'] as const) {
    if (key in doc && !isJsonObject(doc[key])) throw new InputError(file, at(key), `expected an object, found ${typeName(doc[key])}`);
  }
  if (isJsonObject(doc.configuration)) {
    const cfg = doc.configuration;
    if ('provider_config' in cfg && !isJsonObject(cfg.provider_config)) {
      throw new InputError(file, at('configuration', 'provider_config'), `expected an object, found ${typeName(cfg.provider_config)}`);
    }
    if (!isJsonObject(cfg.root_module)) {
      throw new InputError(file, at('configuration', 'root_module'), cfg.root_module === undefined ? 'missing' : `expected an object, found ${typeName(cfg.root_module)}`);
    }
  }
  const rc = doc.resource_changes;
  if (rc !== undefined && !Array.isArray(rc)) throw new InputError(file, at('resource_changes'), `expected an array, found ${typeName(rc)}`);
  const changes = Array.isArray(rc) ? rc : [];
  changes.forEach((c, i) => {
    if (!isJsonObject(c)) throw new InputError(file, at('resource_changes', i), `expected an object, found ${typeName(c)}`);
    for (const k of ['address', 'type', 'name'] as const) {
      if (typeof c[k] !== 'string') throw new InputError(file, at('resource_changes', i, k), c[k] === undefined ? 'missing' : `expected a string, found ${typeName(c[k])}`);
    }
    if (c.mode !== 'managed' && c.mode !== 'data') {
      throw new InputError(file, at('resource_changes', i, 'mode'), `expected "managed" or "data", found ${JSON.stringify(c.mode ?? null)}`);
    }
    const ch = c.change;
    if (!isJsonObject(ch)) throw new InputError(file, at('resource_changes', i, 'change'), ch === undefined ? 'missing' : `expected an object, found ${typeName(ch)}`);
    if (!Array.isArray(ch.actions) || ch.actions.length === 0 || !ch.actions.every((a) => typeof a === 'string')) {
      throw new InputError(file, at('resource_changes', i, 'change', 'actions'), 'expected a non-empty array of action names');
    }
  });
  const plannedResources = countPlannedResources(doc.planned_values);
  if (changes.length === 0 && plannedResources === 0) {
    throw new InputError(file, at('resource_changes'), 'the plan is empty: it has no resource changes and no planned resources, so there is nothing to check');
  }
  return doc as unknown as PlanDocument;
}

function countPlannedResources(pv: unknown): number {
  if (!isJsonObject(pv) || !isJsonObject(pv.root_module)) return 0;
  let n = 0;
  const walk = (m: JsonObject): void => {
    if (Array.isArray(m.resources)) n += m.resources.length;
    if (Array.isArray(m.child_modules)) for (const c of m.child_modules) if (isJsonObject(c)) walk(c);
  };
  walk(pv.root_module);
  return n;
}

/** A hint for a JSON object that is not a plan. */
function guessWhatItIs(doc: JsonObject): string {
  if ('resource' in doc || 'provider' in doc || 'terraform' in doc) return 'it looks like Terraform JSON configuration such as cdk.tf.json; pass it as a synth output';
  if ('values' in doc) return 'it looks like a state (`terraform show -json` without a plan file)';
  if ('sites' in doc) return 'it looks like a sites registry';
  if ('waivers' in doc) return 'it looks like a waivers file';
  return 'produce one with `terraform show -json plan.out > plan.json`';
}
