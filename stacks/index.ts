/** Stacks composed from the constructs, and HybridDeployment that builds them from one description. */
export * from './types';
export * from './primary-stack';
export * from './standby-stack';
export * from './hq-stack';
export * from './hybrid-deployment';
