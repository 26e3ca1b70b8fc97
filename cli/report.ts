/**
 * The shapes the command passes from the check pipeline to the formatters: the policy
 * report (data.kz.residency.report, see /tmp contracts and DESIGN.md "Command"), the run
 * summary, and each rule's metadata as read from its `# METADATA` annotation.
 */

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type Basis = 'law' | 'practice';
export type ProfileName = 'law' | 'audit-ready' | 'ur832';
export const PROFILES: readonly ProfileName[] = ['law', 'audit-ready', 'ur832'];
export const DEFAULT_PROFILE: ProfileName = 'audit-ready';

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
   * (prefixed with the stack name when several plans were checked together).
   */
  readonly resource: string;
  readonly site: string | null;
  readonly message: string;
  readonly remediation: string;
  /** The plan address the policy reported (`resource` before construct-path mapping). */
  readonly address?: string;
  /** The stack (or plan file) the finding comes from. */
  readonly stack?: string;
  /** The checked file (relative to the working directory) and the line the resource starts on, for SARIF. */
  readonly file?: string;
  readonly line?: number;
}

export interface WaiverInfo {
  readonly reason: string;
  readonly approved_by: string;
  readonly expires: string;
}

export interface WaivedFinding extends Finding {
  readonly waiver: WaiverInfo;
}

export interface ExpiredWaiver extends WaiverInfo {
  readonly rule: string;
  readonly resource: string;
}

/** One input the run evaluated (a plan file, or one stack of a cdktf.out directory). */
export interface CheckedInput {
  readonly name: string;
  readonly file: string;
  readonly kind: 'plan' | 'synth';
  /** Managed resources in the plan. */
  readonly resources: number;
}

export interface Summary {
  /** `fail` when anything is denied. */
  readonly result: 'pass' | 'fail';
  readonly deny: number;
  readonly warn: number;
  readonly waived: number;
  readonly expired_waivers: number;
  readonly profile: ProfileName;
  /** The date waivers were compared with (ISO). */
  readonly now: string;
  readonly engine: 'interpreter' | 'wasm';
  readonly inputs: readonly CheckedInput[];
  /** Managed resources over all inputs. */
  readonly resources: number;
  /** Rules in the policy pack. */
  readonly rules: number;
  readonly durationMs: number;
  /**
   * Present when `--kubeconfig` was given: the provider configurations whose cluster was proven
   * from that kubeconfig's server, not from the plan itself.
   */
  readonly locationFromKubeconfig?: readonly KubeconfigProof[];
}

/** A provider configuration whose Kubernetes host came from the kubeconfig given to `check`. */
export interface KubeconfigProof {
  readonly stack: string;
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
  readonly deny: readonly Finding[];
  readonly warn: readonly Finding[];
  readonly waived: readonly WaivedFinding[];
  readonly expired_waivers: readonly ExpiredWaiver[];
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

/** Groups findings by rule id, keeping the report's order (rule, then resource). */
export function groupByRule<T extends Finding>(findings: readonly T[]): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const f of findings) {
    const g = groups.get(f.rule);
    if (g) g.push(f);
    else groups.set(f.rule, [f]);
  }
  return [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
