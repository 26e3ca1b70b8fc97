/**
 * `kz-residency/cli`: the command's pipeline as a library, for build scripts and other tools (the way
 * conftest and Checkov are scripted): `check` evaluates the bundled policy pack on a plan JSON, a
 * cdk.tf.json or a cdktf.out directory and returns the findings; `render` turns them into the
 * command's formats. Errors are thrown, never printed: {@link InputError} (a file or field that cannot
 * be used) and {@link UsageError} (bad options) are what the command reports with exit status 2.
 *
 * @example
 * ```ts
 * import { check, render } from 'kz-residency/cli';
 * const { result, rules } = await check({ target: 'cdktf.out', sites: 'sites.yaml' });
 * if (result.summary.result === 'fail') console.log(render('markdown', result, rules));
 * ```
 */
export { runCheck as check, loadRuleCatalogue, DEFAULT_POLICIES_DIR, ENTRYPOINT } from './check';
export type { CheckOptions, CheckOutcome, PolicyPack, PolicyCompileOptions } from './check';
export type { Baseline } from './baseline';
export type { TeamPackage } from './team-policies';
export type { CompileOptions } from '../engine/rego/index';
export type { Capabilities } from '../engine/rego/capabilities';
export { render, FORMATS, isFormat } from './format';
export type { FormatName, FormatOptions } from './format';
export { PROFILES, DEFAULT_PROFILE, SEVERITY_ORDER } from './report';
export type {
  Basis,
  CheckResult,
  CheckedInput,
  CheckedMap,
  ExpiredWaiver,
  Finding,
  ProfileName,
  RuleMeta,
  Severity,
  Summary,
  FailOn,
  Gate,
  SourceLocation,
  WaiverReport,
  WaivedFinding,
  WaiverInfo,
} from './report';
export { formatExplain, formatRulesTable } from './rules';
export { runPolicyTests } from './test-command';
export type { PolicyTestOptions } from './test-command';
export { EXIT, UsageError } from './errors';
export { InputError, isInputError } from '../plan/errors';
export type { InputIssue } from '../plan/errors';
export type { CheckInput, InputOptions } from '../plan/input';
export type { CodeWaiver } from '../plan/waivers';
export type { Waiver } from '../plan/types';
export type { RawCodeWaiver } from '../plan/synth';
// the shapes `check` passes through (also exported by kz-residency/plan and kz-residency/engine)
export type {
  Json,
  JsonObject,
  PlanAction,
  PlanDocument,
  ResourceChange,
  Change,
  ProviderConfig,
  Configuration,
  ConfigModule,
  ConfigResource,
  ConfigOutput,
  ConfigVariable,
  ModuleCall,
  PlanExpression,
  PlanExpressions,
  PlanVariableValue,
  ValuesRepresentation,
  ValuesModule,
  ValuesResource,
} from '../plan/format';
export type { PolicyEngine, EngineKind, JsonValue } from '../engine/engine';
