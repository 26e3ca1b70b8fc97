/**
 * plan/: turns what a user gives `kz-residency check` — a Terraform/OpenTofu plan JSON, a cdktf
 * synth output, a sites registry, waivers, a kubeconfig's servers — into validated inputs for the policies.
 */
export { InputError, isInputError, type InputIssue } from './errors';
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
} from './format';
export { loadPlanFile, isPlanDocument, validatePlanDocument, unwrapPlan } from './load';
export {
  synthToPlan,
  type SynthResult,
  type SynthNotes,
  type SynthOptions,
  type RawCodeWaiver,
} from './synth';
export { loadCheckInputs, type CheckInput, type InputOptions } from './input';
export {
  resolveProviders,
  normaliseEndpoint,
  type ProviderResolution,
  type HostResolution,
} from './providers';
export { loadSitesRegistry, validateSitesRegistry, siteForHost } from './sites';
export { loadKubeconfig, type KubeconfigServers } from './kubeconfig';
export {
  loadWaivers,
  validateWaivers,
  waiverStatus,
  parseIsoDate,
  isoDateOf,
  type IsoDate,
  type CodeWaiver,
} from './waivers';
export type {
  SitesRegistry,
  SiteEntry,
  CloudSiteEntry,
  RegistrySite,
  SiteCloud,
  SiteKubernetes,
  SiteKubernetesAuth,
  SiteExecAuth,
  CniEntity,
  SiteApiServer,
  SiteObjectStorageAccess,
  StorageClassEntry,
  Waiver,
  WaiversFile,
  Profile,
} from './types';
