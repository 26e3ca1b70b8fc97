/**
 * Types for the Terraform plan JSON format (`terraform show -json <planfile>`, format_version
 * 1.x), written from HashiCorp's "JSON Output Format" page and Terraform's internal/command/jsonplan
 * and jsonconfig packages. OpenTofu writes the same shape. Only the parts this project reads are
 * typed strictly; every object may carry more keys (minor versions add fields, and consumers
 * must ignore unknown ones).
 */

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** One of the action lists Terraform plans: `["create"]`, `["delete","create"]`, … */
export type PlanAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

/**
 * An expression in the configuration: a constant (`constant_value`), a list of the references it
 * makes (`references`, e.g. `["var.host", "data.x.y.endpoint", "data.x.y"]`), both, or neither
 * (an expression that is neither constant nor references anything, e.g. a function call on
 * literals that Terraform did not fold).
 */
export interface PlanExpression {
  constant_value?: Json;
  references?: string[];
}

/**
 * The expressions of a block: attribute name → expression, nested block type → array of
 * blocks (or one block object for single-nested blocks / object attributes).
 */
export interface PlanExpressions {
  [name: string]: PlanExpression | PlanExpressions | PlanExpressions[];
}

/** `configuration.provider_config.<key>`. Keys: `kubernetes`, `kubernetes.ala`, `module.db:kubernetes`. */
export interface ProviderConfig {
  name: string;
  /** e.g. `registry.terraform.io/hashicorp/kubernetes` (absent in old plans). */
  full_name?: string;
  alias?: string;
  version_constraint?: string;
  /** Module path (no instance keys) that declares it, e.g. `module.db`; absent for the root. */
  module_address?: string;
  expressions?: PlanExpressions;
}

export interface ConfigResource {
  /** Address relative to the module, e.g. `helm_release.db` or `data.aws_eks_cluster.this`. */
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  /** Key into `provider_config`, e.g. `kubernetes.ala` or `module.db:kubernetes`. */
  provider_config_key?: string;
  expressions?: PlanExpressions;
  schema_version?: number;
  count_expression?: PlanExpression;
  for_each_expression?: PlanExpression;
  depends_on?: string[];
  provisioners?: { type: string; expressions?: PlanExpressions }[];
}

export interface ConfigOutput {
  expression?: PlanExpression;
  sensitive?: boolean;
  description?: string;
  depends_on?: string[];
}

export interface ConfigVariable {
  default?: Json;
  description?: string;
  sensitive?: boolean;
}

export interface ConfigModule {
  resources?: ConfigResource[];
  module_calls?: Record<string, ModuleCall>;
  outputs?: Record<string, ConfigOutput>;
  variables?: Record<string, ConfigVariable>;
}

export interface ModuleCall {
  source?: string;
  /** The module's input variables as set by the call: variable name → expression. */
  expressions?: PlanExpressions;
  count_expression?: PlanExpression;
  for_each_expression?: PlanExpression;
  module: ConfigModule;
  version_constraint?: string;
  depends_on?: string[];
  /**
   * `providers = { kubernetes = kubernetes.ala }` of the call (child name → parent name).
   * Terraform does not write this today (hashicorp/terraform#30113 proposes it); it is read
   * when present and written by our synth converter.
   */
  providers?: Record<string, string>;
}

export interface Configuration {
  provider_config?: Record<string, ProviderConfig>;
  root_module: ConfigModule;
}

/** A resource in `planned_values` / `prior_state` (`values` representation). */
export interface ValuesResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: number | string;
  provider_name?: string;
  schema_version?: number;
  values?: JsonObject;
  sensitive_values?: Json;
  depends_on?: string[];
  tainted?: boolean;
  deposed_key?: string;
}

export interface ValuesModule {
  address?: string;
  resources?: ValuesResource[];
  child_modules?: ValuesModule[];
}

export interface ValuesRepresentation {
  outputs?: Record<string, { sensitive: boolean; value?: Json; type?: Json }>;
  root_module: ValuesModule;
}

export interface Change {
  actions: PlanAction[];
  before: Json;
  after: Json;
  /** Mirrors `after`; a `true` leaf means "known only after apply". */
  after_unknown?: Json;
  before_sensitive?: Json;
  after_sensitive?: Json;
  replace_paths?: Json[];
  importing?: JsonObject;
  generated_config?: string;
}

export interface ResourceChange {
  /** Absolute address with instance keys: `module.db["a"].helm_release.pg[0]`. */
  address: string;
  previous_address?: string;
  /** Absolute module instance address: `module.db["a"]`; absent for the root module. */
  module_address?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: number | string;
  deposed?: string;
  /** e.g. `registry.terraform.io/hashicorp/kubernetes`. */
  provider_name?: string;
  change: Change;
  action_reason?: string;
}

export interface PlanVariableValue {
  value?: Json;
}

/** A `terraform show -json` plan document. */
export interface PlanDocument {
  format_version: string;
  /** Absent from OpenTofu's equivalence-test outputs (stripped by the harness). */
  terraform_version?: string;
  variables?: Record<string, PlanVariableValue>;
  planned_values?: ValuesRepresentation;
  resource_drift?: ResourceChange[];
  resource_changes?: ResourceChange[];
  output_changes?: Record<string, Change>;
  prior_state?: { format_version?: string; terraform_version?: string; values?: ValuesRepresentation };
  configuration?: Configuration;
  relevant_attributes?: { resource: string; attribute: Json[] }[];
  checks?: Json[];
  timestamp?: string;
  applyable?: boolean;
  complete?: boolean;
  errored?: boolean;
}

export function isJsonObject(x: unknown): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Whether `x` is an expression object (`constant_value` and/or `references`, nothing else of note). */
export function isPlanExpression(x: unknown): x is PlanExpression {
  return isJsonObject(x) && ('constant_value' in x || 'references' in x);
}
