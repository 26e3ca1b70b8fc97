/**
 * ResidencyGuard: makes `cdktf synth` fail when a stack breaks a residency rule. It adds a
 * validation to each stack that converts the stack's Terraform JSON into the plan shape
 * (plan/synth.ts), evaluates `data.kz.residency.report` with the same Rego policies the
 * command uses (through the TypeScript interpreter, synchronously, as validations must be),
 * and reports each denial with its rule id, construct path and message. Warnings and expired
 * waivers become synth warnings.
 */
import path from 'node:path';
import { Annotations, App, TerraformStack } from 'cdktf';
import { Construct, IConstruct, IValidation } from 'constructs';
import type { JsonValue } from '../engine/engine';
import { InterpreterEngine } from '../engine/interpreter';
import { loadRegoDirectory } from '../engine/load';
import { loadSitesRegistry } from '../plan/sites';
import { synthToPlan } from '../plan/synth';
import type { Profile, SitesRegistry, Waiver } from '../plan/types';
import { isoDateOf, loadWaivers } from '../plan/waivers';
import { expandWaivers } from '../cli/waivers';

export interface ResidencyGuardProps {
  /** The sites registry: the registry itself, or the path of a `sites.yaml`/`sites.json`. */
  readonly sites: SitesRegistry | string;
  /** Accepted findings, or the path of a waivers file. Default: none. */
  readonly waivers?: readonly Waiver[] | string;
  /** Which rules deny. Default: `audit-ready` (law and practice rules). */
  readonly profile?: Profile;
  /** The date waivers are compared with (YYYY-MM-DD). Default: today (UTC). */
  readonly now?: string;
  /** The policy directory. Default: the policies shipped with kz-residency. */
  readonly policiesDir?: string;
}

export const DEFAULT_POLICIES_DIR = path.resolve(__dirname, '..', 'policies');
const ENTRYPOINT = 'kz/residency/report';

/** Compiled packs, per directory: compiling once per process keeps synth fast with many stacks. */
const engines = new Map<string, InterpreterEngine>();
function engineFor(dir: string): InterpreterEngine {
  let engine = engines.get(dir);
  if (!engine) {
    engine = InterpreterEngine.fromSources(loadRegoDirectory(dir, { includeTests: false }));
    engines.set(dir, engine);
  }
  return engine;
}

interface GuardFinding {
  readonly rule: string;
  readonly resource: string;
  readonly message: string;
}

function findings(report: Record<string, JsonValue>, key: string): GuardFinding[] {
  const list = report[key];
  if (!Array.isArray(list)) return [];
  return list.map((f) => {
    const o = typeof f === 'object' && f !== null && !Array.isArray(f) ? f : {};
    const s = (v: JsonValue | undefined) => (typeof v === 'string' ? v : '');
    return { rule: s(o.rule), resource: s(o.resource), message: s(o.message) };
  });
}

/** Stacks already guarded, so that an app-level guard does not evaluate them twice. */
const guarded = new WeakSet<TerraformStack>();

export class ResidencyGuard implements IValidation {
  /**
   * Guards a stack, or every stack of an app (also stacks added to the app later: those are
   * checked by a validation on the app, which `app.synth()` runs after the stacks).
   */
  static of(scope: App | TerraformStack, props: ResidencyGuardProps): ResidencyGuard {
    const guard = new ResidencyGuard(props);
    if (TerraformStack.isStack(scope)) {
      guard.attach(scope);
      return guard;
    }
    for (const stack of scope.node.findAll().filter(TerraformStack.isStack)) guard.attach(stack);
    scope.node.addValidation({
      validate: () =>
        scope.node
          .findAll()
          .filter(TerraformStack.isStack)
          .filter((s) => !guarded.has(s))
          .flatMap((s) => guard.check(s).map((e) => `[${s.node.path}] ${e}`)),
    });
    return guard;
  }

  private readonly registry: SitesRegistry;
  private readonly waivers: readonly Waiver[];
  private readonly profile: Profile;
  private readonly now?: string;
  private readonly policiesDir: string;
  private stacks: TerraformStack[] = [];

  private constructor(props: ResidencyGuardProps) {
    // Loading here (not at synth) makes a bad registry or waivers file fail where it is named.
    this.registry = typeof props.sites === 'string' ? loadSitesRegistry(props.sites) : props.sites;
    this.waivers =
      props.waivers === undefined
        ? []
        : typeof props.waivers === 'string'
          ? loadWaivers(props.waivers)
          : props.waivers;
    this.profile = props.profile ?? 'audit-ready';
    this.now = props.now === undefined ? undefined : isoDateOf(props.now);
    this.policiesDir = props.policiesDir ?? DEFAULT_POLICIES_DIR;
  }

  private attach(stack: TerraformStack): void {
    if (guarded.has(stack)) return;
    guarded.add(stack);
    this.stacks.push(stack);
    stack.node.addValidation({ validate: () => this.check(stack) });
  }

  /** IValidation for a single guarded stack (the first one); `check(stack)` for any stack. */
  validate(): string[] {
    return this.stacks.flatMap((s) => this.check(s));
  }

  /** Evaluates the policies on one stack; returns one error line per denial. */
  check(stack: TerraformStack): string[] {
    const { plan, constructPaths } = synthToPlan(stack.toTerraform(), {
      file: `${stack.node.path}/cdk.tf.json`,
    });
    const data: JsonValue = {
      kz_residency: {
        sites: this.registry.sites as unknown as JsonValue,
        waivers: expandWaivers(this.waivers, constructPaths).waivers as unknown as JsonValue,
        profile: this.profile,
        now: this.now ?? isoDateOf(new Date()),
      },
    };
    const raw = engineFor(this.policiesDir).evaluateSync(ENTRYPOINT, plan as unknown as JsonValue, data);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return [`the policy pack in ${this.policiesDir} has no ${ENTRYPOINT} rule`];
    }
    const where = (address: string) => constructPaths[address] ?? `${stack.node.path}/${address}`;
    const annotations = Annotations.of(stack);
    for (const f of findings(raw, 'warn'))
      annotations.addWarning(`${f.rule} ${where(f.resource)}: ${f.message}`);
    for (const w of findings(raw, 'expired_waivers'))
      annotations.addWarning(`${w.rule} waiver for ${w.resource} has expired and waives nothing`);
    return findings(raw, 'deny').map((f) => `${f.rule} ${where(f.resource)}: ${f.message}`);
  }
}

/** Whether a construct is guarded (for tests and tools). */
export function isGuarded(c: IConstruct | Construct): boolean {
  return TerraformStack.isStack(c) && guarded.has(c);
}
