/**
 * The interface between the evaluator and the builtin functions. The evaluator looks builtins
 * up by name in `builtins` (index.ts), checks the arity, and calls `fn` with evaluated
 * arguments. `fn` returns the output, `undefined` for "no result", or throws `BuiltinError`.
 * In non-strict mode the evaluator turns a thrown BuiltinError into "undefined", as OPA does.
 */
import type { Value } from '../value';

export interface BuiltinContext {
  /** OPA's StrictBuiltinErrors: errors stop evaluation instead of making the call undefined. */
  strict: boolean;
  /** Per-query fixed clock (time.now_ns returns the same value for the whole query). */
  nowNs(): bigint;
  /** Per-query values of the random builtins (rand.intn, uuid.rfc4122): the same arguments give
   * the same value within one query, as OPA's builtin cache does. */
  queryCache: Map<string, Value>;
}

export interface BuiltinDef {
  name: string;
  arity: number;
  fn(args: Value[], ctx: BuiltinContext): Value | undefined;
  /** fn returns an array Value of outputs that the evaluator iterates (walk). */
  relation?: boolean;
}

export class BuiltinError extends Error {
  constructor(
    message: string,
    readonly code: 'eval_type_error' | 'eval_builtin_error',
  ) {
    super(message);
    this.name = 'BuiltinError';
  }
}
