/**
 * The policy engines behind `kz-residency check`: the Rego interpreter (synchronous, no OPA binary
 * needed) and the opa-wasm backend for bundles compiled by `opa build -t wasm`, behind one interface.
 */
export type { JsonValue, RegoSource, EngineKind, PolicyEngine } from './engine';
export { PolicyEngineError } from './engine';
export { InterpreterEngine } from './interpreter';
export type { CompiledPolicy, CompiledParts, EvalOpts, Annotation, PolicySession } from './rego';
export type { Location } from './rego/errors';
export { WasmEngine } from './wasm';
export { loadRegoDirectory, type LoadOptions } from './load';
export { loadCapabilities, parseCapabilities, type Capabilities } from './rego/capabilities';
export type { CompileOptions } from './rego/index';
export type { CoverageTracker } from './rego/coverage';
