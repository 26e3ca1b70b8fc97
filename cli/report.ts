/**
 * The shapes the command passes from the check pipeline to the formatters: the findings of the
 * policy report (data.kz.residency.report, DESIGN.md "Command") with where they are in the user's
 * code, the waivers that applied, expired or matched nothing, the gate that decides the exit
 * status (--fail-on, --baseline, --soft-fail), and each rule's metadata as read from its
 * `# METADATA` annotation.
 */

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type Basis = 'law' | 'practice';
export type ProfileName = 'law' | 'audit-ready' | 'ur832';
export const PROFILES: readonly ProfileName[] = ['law', 'audit-ready', 'ur832'];
export const DEFAULT_PROFILE: ProfileName = 'audit-ready';

/** Where a finding is: a file (relative to the repository root, `/`-separated) and a line. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /**
   * What the file is: `source` the app's code that created the construct (synth output's
   * stack trace), `terraform` the `.tf` block of a planned resource (--source), `input` the
   * checked file itself (a generated cdk.tf.json or a plan JSON), `registry` a sites registry.
   */
  readonly kind: 'source' | 'terraform' | 'input' | 'registry';
}

/** One policy finding, as the report rule returns it (plus where the command found it). */
export interface Finding {
  readonly rule: string;
  readonly title: string;
  readonly severity: Severity;
  readonly basis: Basis;
  /** The legal or practice reference, e.g. `Law No. 94-V, Art. 12 para 2`. */
  readonly law: string;
  /**
   * Where to look: the construct path for synth output, the plan address for a plan
   * (prefixed with the input's name when several plans were checked together).
   */
  readonly resource: string;
  readonly site: string | null;
  readonly message: string;
  readonly remediation: string;
  /** The plan address the policy reported (`resource` before construct-path mapping). */
  readonly address?: string;
  /** The stack (or plan file) the finding comes from. */
  readonly stack?: string;
  /** Where the finding is: the app's code when known, else the checked file. */
  readonly location?: SourceLocation;
  /** The checked file, as the user named it. */
  readonly input?: string;
  /**
   * For a rule that judges a fact of the deployment (METADATA `decision: deployment`): the other
   * objects the same decision was reported on, which this one finding stands for.
   */
  readonly alsoOn?: readonly string[];
  /** Rule + resource + normalised message (no line numbers): what --baseline compares. */
  readonly fingerprint: string;
  /** With --baseline: `known` when the baseline report already had this finding. */
  readonly baseline?: 'new' | 'known';
}

export interface WaiverInfo {
  readonly reason: string;
  readonly approved_by: string;
  readonly expires: string;
  /** `file` (--waivers) or `code` (Waivers.of(construct).add in the app). */
  readonly source: 'file' | 'code';
  /** The pattern as written (file waivers) or the construct it was added to (code waivers). */
  readonly resource: string;
  /** Where the waiver is written: the waivers file, or the line of the app's `Waivers…add` call. */
  readonly location?: SourceLocation;
}

export interface WaivedFinding extends Finding {
  readonly waiver: WaiverInfo;
}

/** A waiver that did nothing: expired, or matching no finding. */
export interface WaiverReport extends WaiverInfo {
  readonly rule: string;
}

/** An expired waiver (the name the report's `expired_waivers` entries had before unused waivers were reported too). */
export type ExpiredWaiver = WaiverReport;

/** One input the run evaluated (a plan file, or one stack of a cdktf.out directory). */
export interface CheckedInput {
  readonly name: string;
  readonly file: string;
  readonly kind: 'plan' | 'synth';
  /** Managed resources in the plan. */
  readonly resources: number;
}

/** What decides the exit status (main.ts): --fail-on, --soft-fail, --baseline, --fail-on-unused-waivers. */
export interface Gate {
  /** `any` (default: every denial fails), a severity (denials of that severity or worse), or `warn` (warnings too). */
  readonly failOn: FailOn;
  readonly softFail: boolean;
  /** The baseline report compared with, as given. */
  readonly baseline?: string;
  readonly failOnUnusedWaivers: boolean;
  /** Findings that fail the run (after threshold and baseline). */
  readonly failing: number;
  /** Denials the baseline already had (they do not fail). */
  readonly known: number;
  /** Baseline denials that are gone. */
  readonly fixed: number;
}

export type FailOn = 'any' | Severity | 'warn';
export const FAIL_ON: readonly FailOn[] = ['critical', 'high', 'medium', 'low', 'warn'];

export interface Summary {
  /** `fail` when the gate fails the run (see `gate`), `pass` otherwise. */
  readonly result: 'pass' | 'fail';
  readonly deny: number;
  readonly warn: number;
  readonly waived: number;
  readonly expired_waivers: number;
  readonly unused_waivers: number;
  /** Denials by severity. */
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly profile: ProfileName;
  /** The date waivers were compared with (ISO). */
  readonly now: string;
  readonly engine: 'interpreter' | 'wasm';
  readonly inputs: readonly CheckedInput[];
  /** Managed resources over all inputs. */
  readonly resources: number;
  /** Rules in the policy pack (and the team's policies). */
  readonly rules: number;
  readonly gate: Gate;
  readonly durationMs: number;
  /**
   * Present when `--kubeconfig` was given: the provider configurations whose cluster was proven
   * from that kubeconfig's server, not from the plan itself.
   */
  readonly locationFromKubeconfig?: readonly KubeconfigProof[];
}

/** A provider configuration whose Kubernetes host came from the kubeconfig given to `check`. */
export interface KubeconfigProof {
  readonly provider: string;
  readonly server: string;
  /** `kubeconfig <file>, context "<name>"`. */
  readonly source: string;
}

/**
 * Which resources each rule evaluated: rule id → resource names (display form). Where the
 * policy report carries a `checked` map it is used; otherwise every managed resource counts
 * as checked by every rule, since each rule's query ran over the whole plan.
 */
export type CheckedMap = Readonly<Record<string, readonly string[]>>;

export interface CheckResult {
  /** In triage order: severity, rule, location. */
  readonly deny: readonly Finding[];
  readonly warn: readonly Finding[];
  readonly waived: readonly WaivedFinding[];
  readonly expired_waivers: readonly WaiverReport[];
  readonly unused_waivers: readonly WaiverReport[];
  readonly summary: Summary;
  /** For JUnit: per rule, the resources it checked. */
  readonly checked: CheckedMap;
  /** `report` when the policy listed them, `plan` when derived from the plan's resources. */
  readonly checkedSource: 'report' | 'plan';
}

/** A rule's metadata, from its `# METADATA` block (one source for docs, reports and SARIF). */
export interface RuleMeta {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  readonly basis: Basis;
  readonly law: string;
  readonly remediation: string;
  /** Profiles in which the rule denies; elsewhere its findings are warnings. */
  readonly profiles: readonly ProfileName[];
  readonly tags: readonly string[];
  /** `custom.help_uri`: where the rule is documented at length, when the policy names a page. */
  readonly helpUri?: string;
  /** `custom.decision: deployment`: the rule judges a fact of the whole deployment (reported once). */
  readonly decision?: 'deployment';
  /** The rule's path, e.g. `data.kz.residency.store.deny`. */
  readonly path: string;
  /** The policy file and line of the annotation. */
  readonly file: string;
  readonly row: number;
}

/** How the formatters look a rule up; unknown ids fall back to what the finding says. */
export function ruleLookup(rules: readonly RuleMeta[]): (id: string) => RuleMeta | undefined {
  const byId = new Map(rules.map((r) => [r.id, r]));
  return (id) => byId.get(id);
}

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** 0 for critical … 3 for low. */
export function severityRank(s: Severity): number {
  const i = SEVERITY_ORDER.indexOf(s);
  return i < 0 ? SEVERITY_ORDER.length : i;
}

/** Groups findings by rule id, keeping the order of their first finding (triage order). */
export function groupByRule<T extends Finding>(findings: readonly T[]): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const f of findings) {
    const g = groups.get(f.rule);
    if (g) g.push(f);
    else groups.set(f.rule, [f]);
  }
  return [...groups.entries()];
}

/** `1 resource`, `2 resources`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `path/file.ts:12` (or just the file). */
export function formatLocation(l: SourceLocation | undefined): string {
  if (!l) return '';
  return l.line ? `${l.file}:${l.line}` : l.file;
}
