/**
 * plan/: turns what a user gives `kz-residency check` — a Terraform/OpenTofu plan JSON, a cdktf
 * synth output, a sites registry, waivers, a kubeconfig's servers — into validated inputs for the policies.
 */
export { InputError, isInputError, type InputIssue } from './errors';
export type { PlanDocument, ResourceChange, ProviderConfig, Configuration, ConfigModule, ConfigResource } from './format';
export { loadPlanFile, isPlanDocument, validatePlanDocument, unwrapPlan } from './load';
export { synthToPlan, type SynthResult, type SynthNotes } from './synth';
export { loadCheckInputs, type CheckInput } from './input';
export { resolveProviders, normaliseEndpoint, type ProviderResolution, type HostResolution } from './providers';
export { loadSitesRegistry, validateSitesRegistry, siteForHost } from './sites';
export { loadKubeconfig, type KubeconfigServers } from './kubeconfig';
export { loadWaivers, validateWaivers, waiverStatus, parseIsoDate, isoDateOf } from './waivers';
export type { SitesRegistry, SiteEntry, CloudSiteEntry, RegistrySite, SiteCloud, Waiver, WaiversFile } from './types';
