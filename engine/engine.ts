/**
 * The one interface the rest of the project uses to run Rego. Two implementations:
 * the TypeScript interpreter (engine/interpreter.ts, no external binary) and the
 * opa-wasm backend (engine/wasm.ts, for a bundle compiled with `opa build -t wasm`).
 * Nothing here knows about Kazakhstan or about the policy pack.
 */

/** A JSON value as it crosses the engine boundary (sets arrive as arrays). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A Rego module's source text and the file name used in error messages. */
export interface RegoSource {
  /** File name shown in errors and in `rego.metadata` locations, e.g. `policies/kz/residency/store.rego`. */
  readonly file: string;
  /** The module's text. */
  readonly source: string;
}

export type EngineKind = 'interpreter' | 'wasm';

export interface PolicyEngine {
  readonly kind: EngineKind;
  /**
   * Evaluates one entrypoint, a slash-separated rule path such as `kz/residency/report`,
   * with `input` as the input document and `data` as the base document.
   * Resolves to `undefined` when the rule is undefined.
   */
  evaluate(entrypoint: string, input: JsonValue, data: JsonValue): Promise<JsonValue | undefined>;
}

/** An error raised while loading or evaluating policies, with OPA's error code where one applies. */
export class PolicyEngineError extends Error {
  constructor(
    message: string,
    /** OPA's code: rego_parse_error, rego_compile_error, rego_type_error, rego_unsafe_var_error,
     * rego_recursion_error, eval_conflict_error, eval_builtin_error, eval_type_error, or engine_error. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'PolicyEngineError';
  }
}
