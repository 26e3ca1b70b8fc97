/** The PolicyEngine backed by the TypeScript Rego interpreter (engine/rego). No external binary. */
import type { EngineKind, JsonValue, PolicyEngine, RegoSource } from './engine';
import { compile, type CompiledPolicy, type CompileOptions, type EvalOpts } from './rego/index';

export class InterpreterEngine implements PolicyEngine {
  readonly kind: EngineKind = 'interpreter';

  constructor(
    /** The compiled policy (exposes `annotations`, `query`, and the test runner's needs). */
    readonly policy: CompiledPolicy,
    private readonly options: Pick<EvalOpts, 'strictBuiltinErrors' | 'print'> = {},
  ) {}

  /** Compiles the sources; throws RegoError (file:row:col and OPA's code) on bad policies.
   * `options.capabilities` and `options.v0Compatible` are OPA's (see CompileOptions). */
  static fromSources(sources: RegoSource[], options: Pick<EvalOpts, 'strictBuiltinErrors' | 'print'> & CompileOptions = {}): InterpreterEngine {
    const { capabilities, v0Compatible, ...evalOptions } = options;
    return new InterpreterEngine(compile(sources, { capabilities, v0Compatible }), evalOptions);
  }

  /** Synchronous evaluation (for the synth-time guard). `entrypoint` is `kz/residency/report` or `data.kz.residency.report`. */
  evaluateSync(entrypoint: string, input: JsonValue, data: JsonValue): JsonValue | undefined {
    return this.policy.evaluate(entrypoint, { ...this.options, input, data });
  }

  async evaluate(entrypoint: string, input: JsonValue, data: JsonValue): Promise<JsonValue | undefined> {
    return this.evaluateSync(entrypoint, input, data);
  }
}
