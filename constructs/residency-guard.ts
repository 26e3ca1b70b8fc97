/**
 * ResidencyGuard: makes `cdktf synth` fail when the app breaks a residency rule. The stacks of an
 * app are judged as one deployment (its DPO, kill switch, regulator access and tunnels count
 * wherever they are), with the same Rego policies and the same waivers as `kz-residency check`
 * (cli/evaluate.ts): the file's, and those written in code with `Waivers.of(construct).add(…)`.
 * It evaluates synchronously through the TypeScript interpreter, as validations must.
 *
 * How a denial is reported: under the cdktf CLI (`cdktf synth`, which asks apps to leave error
 * annotations to it) each finding is an error annotation on its construct, printed once by the
 * CLI; elsewhere (`npx tsx main.ts`, tests) `app.synth()` throws a ResidencyGuardError listing
 * them. Warnings and waivers that did nothing become warnings.
 */
import path from 'node:path';
import { AnnotationMetadataEntryType, App, Annotations, TerraformStack } from 'cdktf';
import { Construct, IConstruct, IValidation } from 'constructs';
import { InterpreterEngine } from '../engine/interpreter';
import { loadRegoDirectory } from '../engine/load';
import { severityRank } from '../cli/report';
import { rulesFromAnnotations } from '../cli/rules';
import { ENTRYPOINT, interpretReport, prepareDeployment, type DeploymentInput, type RawFinding } from '../cli/evaluate';
import type { WaiverOrigin } from '../cli/waivers';
import { firstUserFrame } from '../plan/frames';
import { loadSitesRegistry } from '../plan/sites';
import { synthToPlan } from '../plan/synth';
import type { Profile, SitesRegistry, Waiver } from '../plan/types';
import { checkWaiverRules, fileWaiverSources, isoDateOf, loadWaivers, validateCodeWaivers, waiverStatus } from '../plan/waivers';
import { KzResidencyError, pendingConstructError } from './vocabulary';

export interface ResidencyGuardProps {
  /** The sites registry: the registry itself, or the path of a `sites.yaml`/`sites.json`. */
  readonly sites: SitesRegistry | string;
  /** Accepted findings, or the path of a waivers file. Default: none (waivers in code still apply). */
  readonly waivers?: readonly Waiver[] | string;
  /** Which rules deny. Default: `audit-ready` (law and practice rules). */
  readonly profile?: Profile;
  /** The date waivers are compared with (YYYY-MM-DD). Default: today (UTC). */
  readonly now?: string;
  /** The policy directory. Default: the policies shipped with kz-residency. */
  readonly policiesDir?: string;
}

export const DEFAULT_POLICIES_DIR = path.resolve(__dirname, '..', 'policies');

/** The findings that stop synth, one per line: `KZ-RES-001 app/db/release: message (at main.ts:12)`. */
export class ResidencyGuardError extends KzResidencyError {
  constructor(
    readonly findings: readonly string[],
    readonly profile: string,
  ) {
    super(
      `kz-residency: ${findings.length} ${findings.length === 1 ? 'finding denies' : 'findings deny'} this app (profile ${profile}):\n` +
        findings.map((f) => `  ${f}`).join('\n') +
        '\nFix them, or waive one with Waivers.of(construct).add({ rule, reason, approvedBy, expires }); `npx kz-residency explain <rule>` says why each rule exists.',
    );
    this.name = 'ResidencyGuardError';
  }
}

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

/** Severity, rule, resource; a deployment-level decision (METADATA decision: deployment) once per message. */
function triaged(findings: readonly RawFinding[], decisions: ReadonlySet<string>): RawFinding[] {
  const sorted = [...findings].sort(
    (a, b) => severityRank(a.severity) - severityRank(b.severity) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0),
  );
  const seen = new Set<string>();
  return sorted.filter((f) => {
    if (!decisions.has(f.rule)) return true;
    const key = `${f.rule}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Stacks already guarded, so that an app-level guard does not evaluate them twice. */
const guarded = new WeakSet<TerraformStack>();

/** The cdktf CLI asks apps to leave error annotations to it (and prints each once). */
function underCdktfCli(): boolean {
  return process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS === 'true';
}

interface Judgment {
  readonly deny: readonly RawFinding[];
  readonly warn: readonly RawFinding[];
  readonly idle: readonly string[];
}

export class ResidencyGuard implements IValidation {
  /**
   * Guards a stack, or every stack of an app, judged together as one deployment (also stacks
   * added to the app later: the app's validation runs after every stack is synthesized).
   */
  static of(scope: App | TerraformStack, props: ResidencyGuardProps): ResidencyGuard {
    const guard = new ResidencyGuard(props);
    if (TerraformStack.isStack(scope)) {
      guard.attach(scope);
      return guard;
    }
    scope.node.addValidation({ validate: () => guard.checkApp(scope) });
    return guard;
  }

  private readonly registry: SitesRegistry;
  private readonly waivers: readonly Waiver[];
  private readonly waiversFile?: string;
  private readonly profile: Profile;
  private readonly now?: string;
  private readonly policiesDir: string;
  private stacks: TerraformStack[] = [];

  private constructor(props: ResidencyGuardProps) {
    // Loading here (not at synth) makes a bad registry or waivers file fail where it is named.
    this.registry = typeof props.sites === 'string' ? loadSitesRegistry(props.sites) : props.sites;
    if (typeof props.waivers === 'string') this.waiversFile = props.waivers;
    this.waivers = props.waivers === undefined ? [] : typeof props.waivers === 'string' ? loadWaivers(props.waivers) : props.waivers;
    this.profile = props.profile ?? 'audit-ready';
    this.now = props.now === undefined ? undefined : isoDateOf(props.now);
    this.policiesDir = props.policiesDir ?? DEFAULT_POLICIES_DIR;
    const known = new Set(rulesFromAnnotations(engineFor(this.policiesDir).policy.annotations).map((r) => r.id));
    checkWaiverRules(fileWaiverSources(this.waivers, this.waiversFile ?? 'ResidencyGuard waivers'), known);
  }

  private attach(stack: TerraformStack): void {
    if (guarded.has(stack)) return;
    guarded.add(stack);
    this.stacks.push(stack);
    stack.node.addValidation({ validate: () => this.checkStack(stack) });
  }

  /** IValidation for the guarded stacks, each judged on its own. */
  validate(): string[] {
    return this.stacks.flatMap((s) => this.checkStack(s));
  }

  /** Judges the given stacks as one deployment. */
  private judge(stacks: readonly TerraformStack[]): Judgment {
    const inputs: DeploymentInput[] = stacks.map((stack) => {
      const file = `${stack.node.path}/cdk.tf.json`;
      const { plan, constructPaths, codeWaivers } = synthToPlan(stack.toTerraform(), { file });
      return { name: stack.node.path, kind: 'synth', plan, constructPaths, codeWaivers: validateCodeWaivers(codeWaivers, file) };
    });
    const engine = engineFor(this.policiesDir);
    const known = new Set(rulesFromAnnotations(engine.policy.annotations).map((r) => r.id));
    checkWaiverRules(
      inputs.flatMap((i) => i.codeWaivers.map((w) => ({ rule: w.rule, file: w.file, field: `${w.field}.rule` }))),
      known,
    );
    const now = this.now ?? isoDateOf(new Date());
    const fileWaivers: WaiverOrigin[] = this.waivers.map((w, i) => ({
      waiver: w,
      source: 'file',
      file: this.waiversFile ?? 'ResidencyGuard waivers',
      field: `waivers[${i}]`,
    }));
    const prepared = prepareDeployment(inputs, { sites: this.registry.sites, fileWaivers, profile: this.profile, now });
    const report = interpretReport(engine.evaluateSync(ENTRYPOINT, prepared.document, prepared.data), prepared);
    if (report.errors.length > 0) throw new KzResidencyError(`kz-residency: the policies rejected the configuration: ${report.errors[0]}`);
    const used = new Set(report.waived.map((w) => w.origin));
    const idle = prepared.waiverOrigins
      .filter((o) => waiverStatus(o.waiver, now) === 'expired' || !used.has(o))
      .map((o) => `${o.waiver.rule} waiver for ${o.source === 'code' ? (o.construct ?? o.waiver.resource) : o.waiver.resource} ${waiverStatus(o.waiver, now) === 'expired' ? `expired on ${o.waiver.expires} and waives nothing` : 'matches no finding'}`);
    const decisions = new Set(rulesFromAnnotations(engine.policy.annotations).filter((r) => r.decision === 'deployment').map((r) => r.id));
    return { deny: triaged(report.deny, decisions), warn: triaged(report.warn, decisions), idle: [...new Set(idle)] };
  }

  private line(stacks: readonly TerraformStack[], f: RawFinding): string {
    const stack = f.input === undefined ? undefined : stacks[f.input];
    const where = stack ? this.constructOf(stack, f.address) : undefined;
    const trace = where?.node.metadata.find((m) => m.type === 'stacktrace')?.trace;
    const frame = trace ? firstUserFrame(trace) : undefined;
    const at = frame ? ` (at ${path.relative(process.cwd(), frame.file).split(path.sep).join('/')}:${frame.line})` : '';
    return `${f.rule} ${where?.node.path ?? f.address}: ${f.message}${at}`;
  }

  /** The construct behind a resource address of a stack. */
  private constructOf(stack: TerraformStack, address: string): IConstruct | undefined {
    const bare = address.replace(/\[[^\]]*\]$/, '');
    const [type, name] = bare.split('.');
    return stack.node.findAll().find((c) => {
      const el = c as IConstruct & { terraformResourceType?: string; friendlyUniqueId?: string };
      return el.terraformResourceType === type && el.friendlyUniqueId === name;
    });
  }

  /** The stack-level validation: this stack alone. */
  private checkStack(stack: TerraformStack): string[] {
    if (pendingConstructError()) return [];
    const j = this.judge([stack]);
    for (const f of j.warn) Annotations.of(stack).addWarning(this.line([stack], f));
    for (const w of j.idle) Annotations.of(stack).addWarning(w);
    if (j.deny.length === 0) return [];
    if (underCdktfCli()) {
      // collected into the manifest after the validations; printed once by the CLI
      for (const f of j.deny) (this.constructOf(stack, f.address) ?? stack).node.addMetadata(AnnotationMetadataEntryType.ERROR, `${f.rule}: ${f.message}`);
      return [];
    }
    throw new ResidencyGuardError(
      j.deny.map((f) => this.line([stack], f)),
      this.profile,
    );
  }

  /** The app-level validation (after every stack is synthesized): all stacks as one deployment. */
  private checkApp(app: App): string[] {
    if (pendingConstructError()) return [];
    const stacks = app.node.findAll().filter(TerraformStack.isStack).filter((s) => !guarded.has(s));
    if (stacks.length === 0) return [];
    const j = this.judge(stacks);
    if (underCdktfCli()) {
      // the stacks' annotations are already collected: add these to the manifest the app writes next
      const annotate = (f: RawFinding | undefined, level: AnnotationMetadataEntryType, message: string) => {
        const stack = f?.input === undefined ? stacks[0] : stacks[f.input];
        const where = f ? this.constructOf(stack, f.address) : undefined;
        app.manifest.forStack(stack).annotations.push({ constructPath: where?.node.path ?? stack.node.path, level, message });
      };
      for (const f of j.warn) annotate(f, AnnotationMetadataEntryType.WARN, `${f.rule}: ${f.message}`);
      for (const w of j.idle) annotate(undefined, AnnotationMetadataEntryType.WARN, w);
      for (const f of j.deny) annotate(f, AnnotationMetadataEntryType.ERROR, `${f.rule}: ${f.message}`);
      return [];
    }
    for (const f of j.warn) Annotations.of(app).addWarning(this.line(stacks, f));
    for (const w of j.idle) Annotations.of(app).addWarning(w);
    if (j.deny.length === 0) return [];
    throw new ResidencyGuardError(
      j.deny.map((f) => this.line(stacks, f)),
      this.profile,
    );
  }

  /** Evaluates the policies on one stack; returns one line per denial (for tools and tests). */
  check(stack: TerraformStack): string[] {
    return this.judge([stack]).deny.map((f) => this.line([stack], f));
  }
}

/** Whether a construct is guarded (for tests and tools). */
export function isGuarded(c: IConstruct | Construct): boolean {
  return TerraformStack.isStack(c) && guarded.has(c);
}
