/**
 * The judgment of one deployment, shared by `kz-residency check` and the synth-time
 * ResidencyGuard: the inputs (stacks or plans) are merged into one document
 * (plan/deployment.ts), the waivers expanded onto its addresses (cli/waivers.ts), and the
 * report of `data.kz.residency.report` mapped back to each input's own addresses, with the
 * renaming undone in the policies' messages. Evaluating is left to the caller, who may do it
 * synchronously (the guard, inside a cdktf validation) or not (the wasm engine).
 */
import type { JsonValue } from '../engine/engine';
import { combineDeployment, type CombinedDeployment } from '../plan/deployment';
import type { PlanDocument, ValuesModule } from '../plan/format';
import type { KubeconfigServers } from '../plan/kubeconfig';
import type { RegistrySite } from '../plan/types';
import type { CodeWaiver } from '../plan/waivers';
import { UsageError } from './errors';
import type { Basis, ProfileName, Severity } from './report';
import { copyKey, expandWaivers, type ExpandedWaivers, type WaivableResource, type WaiverOrigin } from './waivers';

export const ENTRYPOINT = 'kz/residency/report';

export interface DeploymentInput {
  readonly name: string;
  readonly kind: 'plan' | 'synth';
  readonly plan: PlanDocument;
  /** Address → construct path (synth output). */
  readonly constructPaths: Readonly<Record<string, string>>;
  readonly codeWaivers: readonly CodeWaiver[];
}

export interface PrepareOptions {
  readonly sites: readonly RegistrySite[];
  /** Waivers from a waivers file (code waivers come with the inputs). */
  readonly fileWaivers: readonly WaiverOrigin[];
  readonly profile: ProfileName;
  readonly now: string;
  /** The servers of the kubeconfig given with `check --kubeconfig`. */
  readonly kubeconfig?: KubeconfigServers;
}

export interface PreparedDeployment {
  readonly inputs: readonly DeploymentInput[];
  readonly combined: CombinedDeployment;
  /** Every managed resource, with the names a waiver or a report may use for it. */
  readonly resources: readonly WaivableResource[];
  /** All waivers as written: the file's, then the code's. */
  readonly waiverOrigins: readonly WaiverOrigin[];
  readonly waivers: ExpandedWaivers;
  /** The policy input and data. */
  readonly document: JsonValue;
  readonly data: JsonValue;
}

/** Managed resource addresses of a plan (resource_changes, then planned_values). */
export function managedAddresses(plan: PlanDocument): string[] {
  const seen = new Set<string>();
  for (const rc of plan.resource_changes ?? []) if (rc.mode === 'managed') seen.add(rc.address);
  const walk = (m: ValuesModule | undefined) => {
    if (!m) return;
    for (const r of m.resources ?? []) if (r.mode === 'managed') seen.add(r.address);
    for (const c of m.child_modules ?? []) walk(c);
  };
  walk(plan.planned_values?.root_module);
  return [...seen];
}

/** How reports name a resource: its construct path (synth), its address, or `<input>:<address>` when several plans are checked. */
export function displayName(input: DeploymentInput, address: string, several: boolean): string {
  const cpath = input.kind === 'synth' ? input.constructPaths[address] : undefined;
  if (cpath) return cpath;
  return several ? `${input.name}:${address}` : address;
}

export function prepareDeployment(inputs: readonly DeploymentInput[], opts: PrepareOptions): PreparedDeployment {
  const combined = combineDeployment(inputs.map((i) => ({ name: i.name, plan: i.plan })));
  const several = inputs.length > 1;
  const resources: WaivableResource[] = inputs.flatMap((input, i) =>
    managedAddresses(input.plan).map((address) => ({
      input: i,
      address,
      evaluated: combined.addressOf(i, address),
      ...(input.constructPaths[address] ? { constructPath: input.constructPaths[address] } : {}),
      display: displayName(input, address, several),
    })),
  );
  const codeOrigins: WaiverOrigin[] = inputs.flatMap((input, i) =>
    input.codeWaivers.map((w) => ({
      waiver: { rule: w.rule, resource: w.resource, reason: w.reason, approved_by: w.approved_by, expires: w.expires },
      source: 'code' as const,
      file: w.file,
      field: w.field,
      construct: w.construct,
      input: i,
      ...(w.stackTrace ? { stackTrace: w.stackTrace } : {}),
    })),
  );
  const waiverOrigins = [...opts.fileWaivers, ...codeOrigins];
  const waivers = expandWaivers(waiverOrigins, resources);
  const data: JsonValue = {
    kz_residency: {
      sites: opts.sites as unknown as JsonValue,
      waivers: waivers.copies as unknown as JsonValue,
      profile: opts.profile,
      now: opts.now,
      ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig as unknown as JsonValue } : {}),
    },
  };
  return { inputs, combined, resources, waiverOrigins, waivers, document: combined.plan as unknown as JsonValue, data };
}

/** A finding of the policy report, back on its input's own address. */
export interface RawFinding {
  readonly rule: string;
  readonly title: string;
  readonly severity: Severity;
  readonly basis: Basis;
  readonly law: string;
  readonly remediation: string;
  readonly message: string;
  readonly site: string | null;
  /** The input it is in, when the resource is one of the inputs' (it always is for the shipped pack). */
  readonly input?: number;
  /** The address in that input (or the resource exactly as the policy reported it). */
  readonly address: string;
}

export interface InterpretedReport {
  readonly deny: RawFinding[];
  readonly warn: RawFinding[];
  readonly waived: Array<RawFinding & { readonly origin: WaiverOrigin }>;
  /** Rule id → the resources it evaluated, as {input, address}; undefined when the report has no `checked` map. */
  readonly checked?: Map<string, Array<{ input?: number; address: string }>>;
  /** Configuration the policies could not use (an unknown profile, a waiver they cannot read). */
  readonly errors: string[];
  /** Provider configurations whose Kubernetes host came from the kubeconfig given to `check`. */
  readonly locationFromKubeconfig: Array<{ provider: string; server: string; source: string }>;
}

function asObject(v: JsonValue | undefined): Record<string, JsonValue> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
}
const str = (v: JsonValue | undefined): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);

/** Reads the report's findings defensively: a policy that returns a malformed report is an engine problem. */
function findingsOf(report: Record<string, JsonValue>, key: string): Record<string, JsonValue>[] {
  const v = report[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new UsageError(`policy report: ${key}: expected an array of findings, got ${typeof v}`);
  return v.map((x) => asObject(x) ?? {});
}

const SEVERITIES: readonly string[] = ['critical', 'high', 'medium', 'low'];

export function interpretReport(raw: JsonValue | undefined, prepared: PreparedDeployment): InterpretedReport {
  const report = asObject(raw);
  if (!report) throw new UsageError(`the policy pack has no ${ENTRYPOINT} rule (or it is not an object)`);
  const { combined } = prepared;
  const back = (evaluated: string): { input?: number; address: string } => {
    const o = combined.origin.get(evaluated);
    return o ? { input: o.input, address: o.address } : { address: combined.restoreNames(evaluated) };
  };
  const toRaw = (f: Record<string, JsonValue>): RawFinding => {
    const severity = str(f.severity);
    return {
      rule: str(f.rule),
      title: str(f.title),
      severity: (SEVERITIES.includes(severity) ? severity : 'medium') as Severity,
      basis: (str(f.basis) === 'law' ? 'law' : 'practice') as Basis,
      law: str(f.law),
      remediation: str(f.remediation),
      message: combined.restoreNames(str(f.message)),
      site: typeof f.site === 'string' ? f.site : null,
      ...back(str(f.resource)),
    };
  };
  const waived: Array<RawFinding & { origin: WaiverOrigin }> = [];
  for (const f of findingsOf(report, 'waived')) {
    const w = asObject(f.waiver) ?? {};
    const origin = prepared.waivers.origin.get(
      copyKey({ rule: str(w.rule), resource: str(w.resource), reason: str(w.reason), approved_by: str(w.approved_by), expires: str(w.expires) }),
    );
    // a waiver the command did not give (a policy's own) is reported as written
    const asWritten: WaiverOrigin = origin ?? {
      waiver: { rule: str(w.rule), resource: str(w.resource), reason: str(w.reason), approved_by: str(w.approved_by), expires: str(w.expires) },
      source: 'file',
      file: '',
      field: '',
    };
    waived.push({ ...toRaw(f), origin: asWritten });
  }
  let checked: Map<string, Array<{ input?: number; address: string }>> | undefined;
  const listed = asObject(report.checked);
  if (listed) {
    checked = new Map();
    for (const [rule, list] of Object.entries(listed)) {
      checked.set(rule, Array.isArray(list) ? list.filter((a): a is string => typeof a === 'string').map(back) : []);
    }
  }
  const errors = Array.isArray(report.errors) ? report.errors.filter((e): e is string => typeof e === 'string') : [];
  const locationFromKubeconfig = findingsOf(report, 'location_from_kubeconfig').map((p) => ({
    provider: combined.restoreNames(str(p.provider)),
    server: str(p.server),
    source: str(p.source),
  }));
  return {
    deny: findingsOf(report, 'deny').map(toRaw),
    warn: findingsOf(report, 'warn').map(toRaw),
    waived,
    ...(checked ? { checked } : {}),
    errors,
    locationFromKubeconfig,
  };
}
