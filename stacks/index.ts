/** Stacks composed from the constructs, and HybridDeployment that builds them from one description. */
// First: a missing peer dependency (cdktf, constructs, the provider packages) is named in one line.
import '../constructs/peers';
export type { StoreSpec, AuditSpec, RegulatorSpec, FirstTouchSpec } from './types';
export { PrimaryStack, AlmatyPrimaryStack, AstanaPrimaryStack } from './primary-stack';
export type { PrimaryStackProps } from './primary-stack';
export { StandbyStack, AlmatyStandbyStack, AstanaStandbyStack } from './standby-stack';
export type { StandbyStackProps } from './standby-stack';
export { HqStack } from './hq-stack';
export type { HqStackProps } from './hq-stack';
export { HybridDeployment } from './hybrid-deployment';
export type { HybridDeploymentProps, HqSpec } from './hybrid-deployment';
export { stackPrerequisites, addPrerequisitesOutput, fetchSecretsFrom } from './prerequisites';
