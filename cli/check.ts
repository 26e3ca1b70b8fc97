/**
 * The `check` pipeline: load the inputs (plans, cdk.tf.json files, cdktf.out directories, `-`),
 * the reviewed sites registry and the waivers (the file's and those written in code); judge all
 * inputs as one deployment (cli/evaluate.ts) with the shipped pack and the team's policies; put
 * each finding where the user's code is (cli/locations.ts); order them for triage and fold
 * deployment-level repeats (cli/triage.ts); and apply the gate (cli/gate.ts). It only wires: the
 * rules are the policies', the loading and validation plan/'s, the evaluation engine/'s.
 */
import path from 'node:path';
import type { CompileOptions } from '../engine/rego/index';
import type { JsonValue, PolicyEngine } from '../engine/engine';
import { InterpreterEngine } from '../engine/interpreter';
import { loadRegoDirectory } from '../engine/load';
import { InputError } from '../plan/errors';
import { loadAllInputs, type CheckInput } from '../plan/input';
import { loadKubeconfig } from '../plan/kubeconfig';
import { checkWaiverRules, fileWaiverSources, isoDateOf, loadWaivers, parseIsoDate, waiverStatus } from '../plan/waivers';
import type { Baseline } from './baseline';
import { fingerprintOf } from './baseline';
import { UsageError } from './errors';
import { ENTRYPOINT, interpretReport, managedAddresses, prepareDeployment, type PrepareOptions, type RawFinding } from './evaluate';
import { applyGate } from './gate';
import { Locator, lineFinder, repositoryRoot } from './locations';
import { displayPath } from './paths';
import { REGISTRY_RULE, resolveRegistry } from './registry';
import {
  CheckResult,
  CheckedInput,
  DEFAULT_PROFILE,
  FailOn,
  Finding,
  ProfileName,
  RuleMeta,
  SEVERITY_ORDER,
  Severity,
  SourceLocation,
  WaivedFinding,
  WaiverInfo,
  WaiverReport,
  ruleLookup,
} from './report';
import { rulesFromAnnotations } from './rules';
import { compileCached } from './pack-cache';
import { evaluateInParallel, workerCount } from './parallel';
import { loadTeamSources, packageRule, teamFindings, teamPackages, type TeamPackage } from './team-policies';
import { triage } from './triage';
import { waiverMatcher, type WaivableResource, type WaiverOrigin } from './waivers';

export { ENTRYPOINT, managedAddresses } from './evaluate';
export { displayPath } from './paths';

/** The policy pack shipped with the command. */
export const DEFAULT_POLICIES_DIR = path.resolve(__dirname, '..', 'policies');

/**
 * Options for compiling the policies. This is where the engine's own compile options (OPA
 * capabilities, v0 compatibility) reach the interpreter; `check` passes them through unchanged.
 */
export type PolicyCompileOptions = CompileOptions;

export interface PolicyPack {
  readonly engine: PolicyEngine;
  /** The catalogue: the pack's rules, the team's, and the command's own (KZ-REG-001). */
  readonly rules: readonly RuleMeta[];
  /** The team's packages (--policy), evaluated per input. */
  readonly team?: readonly TeamPackage[];
}

/** Compiles the Rego pack (tests excluded) with the team's directories and reads the catalogue from the METADATA. */
export function loadPolicyPack(
  dir: string = DEFAULT_POLICIES_DIR,
  teamDirs: readonly string[] = [],
  compileOptions: PolicyCompileOptions = {},
): { engine: InterpreterEngine; rules: RuleMeta[]; team: TeamPackage[] } {
  const sources = loadRegoDirectory(dir, { includeTests: false });
  if (sources.length === 0) throw new UsageError(`${dir}: no .rego policies found`);
  const team = loadTeamSources(teamDirs);
  const engine = new InterpreterEngine(compileCached([...sources, ...team], compileOptions));
  const packages = teamPackages(engine.policy.modules, new Set(team.map((s) => s.file)));
  const rules = rulesFromAnnotations(engine.policy.annotations);
  const ids = new Set(rules.map((r) => r.id));
  const extra = packages.map(packageRule).filter((r) => !ids.has(r.id));
  return { engine, rules: sortRules([...rules, ...extra, REGISTRY_RULE]), team: packages };
}

function sortRules(rules: RuleMeta[]): RuleMeta[] {
  return rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Only the catalogue (for `rules`, `explain` and the wasm engine, whose bundle has no annotations). */
export function loadRuleCatalogue(dir: string = DEFAULT_POLICIES_DIR): RuleMeta[] {
  const sources = loadRegoDirectory(dir, { includeTests: false });
  if (sources.length === 0) throw new UsageError(`${dir}: no .rego policies found`);
  const rules = rulesFromAnnotations(compileCached(sources).annotations);
  // A catalogue of only the command's own rule would read as a pack with nothing to check.
  if (rules.length === 0) throw new UsageError(`${dir}: no rule carries a # METADATA block with custom.id`);
  return sortRules([...rules, REGISTRY_RULE]);
}

export interface CheckOptions {
  /** Plans, cdk.tf.json files, cdktf.out or stack directories, or `-` (standard input). */
  readonly targets?: readonly string[];
  /** One input (what `targets` was before several could be given); added to `targets`. */
  readonly target?: string;
  /** The reviewed sites registry. */
  readonly sites?: string;
  /** Use a cdktf.out's own sites.json when no registry is given. */
  readonly trustSynthRegistry?: boolean;
  readonly waivers?: string;
  /** A kubeconfig whose contexts' servers prove the cluster of providers using config_path/config_context. */
  readonly kubeconfig?: string;
  readonly profile?: ProfileName;
  readonly engine?: 'interpreter' | 'wasm';
  readonly bundle?: string;
  /** ISO date for waiver expiry; default today (UTC). */
  readonly now?: string;
  readonly policiesDir?: string;
  /** The team's policy directories (--policy). */
  readonly policyDirs?: readonly string[];
  readonly compileOptions?: PolicyCompileOptions;
  /** Only these rules (ids or globs), and not these. */
  readonly rules?: readonly string[];
  readonly skipRules?: readonly string[];
  /** Folders with the .tf files the plans were made from (--source). */
  readonly sourceDirs?: readonly string[];
  /** The repository root findings are located against; default: the git top-level above the working directory. */
  readonly root?: string;
  readonly failOn?: FailOn;
  readonly softFail?: boolean;
  readonly baseline?: Baseline;
  readonly failOnUnusedWaivers?: boolean;
  /** Reads standard input for `-` (tests). */
  readonly readStdin?: () => Buffer;
  /** Called before the inputs are evaluated, with the number of resources. */
  readonly onProgress?: (inputs: readonly CheckInput[], resources: number) => void;
  /** Called as worker threads finish (several large inputs: cli/parallel.ts). */
  readonly onWorkers?: (done: number, total: number) => void;
  /** Reuse an already loaded pack (tests, the demo). */
  readonly pack?: PolicyPack;
}

export interface CheckOutcome {
  readonly result: CheckResult;
  readonly rules: readonly RuleMeta[];
}

function validateNow(now: string | undefined): string {
  if (now === undefined) return isoDateOf(new Date());
  if (!parseIsoDate(now)) throw new UsageError(`--now: "${now}" is not a date of the form YYYY-MM-DD`);
  return now;
}

const WASM_NEEDS_BUNDLE =
  '--engine wasm needs --bundle FILE (a policy.wasm or bundle .tar.gz from `opa build -t wasm -e kz/residency/report`)';

async function engineFor(opts: CheckOptions): Promise<PolicyPack> {
  if (opts.pack) return opts.pack;
  const kind = opts.engine ?? 'interpreter';
  if (kind === 'wasm') {
    if (!opts.bundle) throw new UsageError(WASM_NEEDS_BUNDLE);
    if (opts.policyDirs?.length)
      throw new UsageError('--policy needs the interpreter engine: build your policies into the wasm bundle instead');
    // loaded only for --engine wasm: opa-wasm and tar take ~150 ms to load, which every check paid
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { WasmEngine } = require('../engine/wasm') as typeof import('../engine/wasm');
    const engine = await WasmEngine.load(opts.bundle);
    let rules: RuleMeta[] = [REGISTRY_RULE];
    try {
      rules = loadRuleCatalogue(opts.policiesDir);
    } catch {
      // the bundle has no annotations; findings still carry title, law and remediation
    }
    return { engine, rules };
  }
  if (opts.bundle) throw new UsageError('--bundle is only used with --engine wasm');
  return loadPolicyPack(opts.policiesDir, opts.policyDirs, opts.compileOptions);
}

/** `--rule`/`--skip-rule`: ids or globs (`KZ-XBT-*`); one that names no rule is an error. */
function ruleSelector(rules: readonly RuleMeta[], only: readonly string[], skip: readonly string[]): (id: string) => boolean {
  const ids = rules.map((r) => r.id);
  const compile = (flag: string, p: string): RegExp => {
    const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    if (!ids.some((id) => re.test(id)))
      throw new UsageError(`${flag} ${p}: no rule has that id (see \`kz-residency rules\`)`);
    return re;
  };
  const inc = only.map((p) => compile('--rule', p));
  const exc = skip.map((p) => compile('--skip-rule', p));
  return (id) => (inc.length === 0 || inc.some((r) => r.test(id))) && !exc.some((r) => r.test(id));
}

export async function runCheck(opts: CheckOptions): Promise<CheckOutcome> {
  const started = Date.now();
  const profile = opts.profile ?? DEFAULT_PROFILE;
  const now = validateNow(opts.now);
  // Arguments that need no file come first, so that a wrong flag is reported before a slow load.
  if ((opts.engine ?? 'interpreter') === 'wasm' && !opts.bundle && !opts.pack) throw new UsageError(WASM_NEEDS_BUNDLE);
  const targets = [...(opts.targets ?? []), ...(opts.target !== undefined ? [opts.target] : [])];
  if (targets.length === 0) throw new UsageError('no input: give a plan JSON, a cdk.tf.json, a cdktf.out directory or - (standard input)');

  const inputs = loadAllInputs(targets, { readStdin: opts.readStdin });
  if (inputs.length === 0) throw new InputError(targets.join(' '), undefined, 'no plan or cdktf stack found');
  for (const input of inputs) {
    if (managedAddresses(input.plan).length === 0) {
      throw new InputError(input.file, input.kind === 'synth' ? 'resource' : 'resource_changes', 'the plan has no resources to check (empty plan)');
    }
  }
  const registry = resolveRegistry(
    { sites: opts.sites, trustSynthRegistry: opts.trustSynthRegistry },
    inputs.map((i) => i.sitesFile).filter((f): f is string => f !== undefined),
    targets.join(' '),
  );
  const fileWaivers = opts.waivers ? loadWaivers(opts.waivers) : [];
  const kubeconfig = opts.kubeconfig ? { ...loadKubeconfig(opts.kubeconfig), file: displayPath(opts.kubeconfig) } : undefined;
  const pack = await engineFor(opts);
  const known = new Set(pack.rules.map((r) => r.id));
  checkWaiverRules(
    [
      ...(opts.waivers ? fileWaiverSources(fileWaivers, opts.waivers) : []),
      ...inputs.flatMap((i) => i.codeWaivers.map((w) => ({ rule: w.rule, file: w.file, field: `${w.field}.rule` }))),
    ],
    known,
  );
  const selected = ruleSelector(pack.rules, opts.rules ?? [], opts.skipRules ?? []);
  const meta = ruleLookup(pack.rules);
  const locator = new Locator(opts.root ?? repositoryRoot(), { sourceDirs: opts.sourceDirs });

  const fileOrigins: WaiverOrigin[] = fileWaivers.map((w, i) => ({
    waiver: w,
    source: 'file',
    file: opts.waivers as string,
    field: `waivers[${i}]`,
  }));
  const prepareOptions: PrepareOptions = { sites: registry.registry.sites, fileWaivers: fileOrigins, profile, now, ...(kubeconfig ? { kubeconfig } : {}) };
  const prepared = prepareDeployment(inputs, prepareOptions);
  opts.onProgress?.(inputs, prepared.resources.length);
  // several large inputs: the areas' findings on worker threads (cli/parallel.ts); the pack must be the one loaded here
  const workers = !opts.pack && pack.engine instanceof InterpreterEngine ? workerCount(inputs.length, prepared.resources.length, targets.includes('-')) : 0;
  const raw =
    workers > 0
      ? await evaluateInParallel(
          pack.engine as InterpreterEngine,
          ENTRYPOINT,
          prepared,
          { targets, prepare: prepareOptions, policiesDir: opts.policiesDir, policyDirs: opts.policyDirs, compileOptions: opts.compileOptions },
          workers,
          opts.onWorkers,
        )
      : await pack.engine.evaluate(ENTRYPOINT, prepared.document, prepared.data);
  const report = interpretReport(raw, prepared);
  // Configuration the policies could not use (an unknown profile, a waiver they cannot read) fails closed.
  if (report.errors.length > 0) {
    const more = report.errors.length > 1 ? ` (and ${report.errors.length - 1} more)` : '';
    throw new UsageError(`the policies rejected the configuration: ${report.errors[0]}${more}`);
  }

  const several = inputs.length > 1;
  // lines found while the plans were read (plan/json.ts); reading the file again only for inputs without them
  const lineFinders = inputs.map((i): ((address: string) => number | undefined) => {
    const lines = i.addressLines;
    return lines ? (address) => lines.get(address) : lineFinder(i.file, 'plan');
  });
  const display = (input: number | undefined, address: string): string => {
    if (input === undefined) return address;
    const i = inputs[input];
    const cpath = i.kind === 'synth' ? i.constructPaths[address] : undefined;
    return cpath ?? (several ? `${i.name}:${address}` : address);
  };
  const locate = (input: number | undefined, address: string): SourceLocation | undefined => {
    if (input === undefined) return undefined;
    const i = inputs[input];
    // synth output without a recorded trace: no file a reviewer could open (cdktf.out is generated)
    if (i.kind === 'synth') return locator.fromTrace(i.stackTraces[address]);
    return locator.fromTerraform(address) ?? locator.inFile(i.file, lineFinders[input](address), 'input');
  };
  const waiverInfo = (o: WaiverOrigin): WaiverInfo => {
    const location =
      o.source === 'code' ? locator.fromTrace(o.stackTrace) : locator.inFile(o.file, undefined, 'input');
    return {
      reason: o.waiver.reason,
      approved_by: o.waiver.approved_by,
      expires: o.waiver.expires,
      source: o.source,
      resource: o.source === 'code' ? (o.construct ?? o.waiver.resource) : o.waiver.resource,
      ...(location ? { location } : {}),
    };
  };
  const toFinding = (f: RawFinding): Finding => {
    const resource = display(f.input, f.address);
    const location = locate(f.input, f.address);
    return {
      rule: f.rule,
      title: f.title,
      severity: f.severity,
      basis: f.basis,
      law: f.law,
      resource,
      site: f.site,
      message: f.message,
      remediation: f.remediation,
      address: f.address,
      ...(f.input !== undefined ? { stack: inputs[f.input].name, input: displayPath(inputs[f.input].file) } : {}),
      ...(location ? { location } : {}),
      fingerprint: fingerprintOf(f.rule, resource, f.message),
    };
  };

  let deny = report.deny.map(toFinding);
  let warn = report.warn.map(toFinding);
  let waived: WaivedFinding[] = report.waived.map((f) => ({ ...toFinding(f), waiver: waiverInfo(f.origin) }));
  const used = new Set<WaiverOrigin>(report.waived.map((f) => f.origin));

  // The team's policies, on each input's own plan; their waivers are applied here, as the pack's
  // report applies the pack's.
  const activeWaivers = prepared.waiverOrigins.filter((o) => waiverStatus(o.waiver, now) === 'active');
  const waiverFor = (rule: string, r: WaivableResource | undefined): WaiverOrigin | undefined =>
    r &&
    activeWaivers.find(
      (o) => o.waiver.rule === rule && (o.source === 'code' ? o.input === r.input && o.waiver.resource === r.address : waiverMatcher(o.waiver.resource)(r)),
    );
  const resourceOf = new Map(prepared.resources.map((r) => [`${r.input}\u0000${r.address}`, r]));
  const teamData: JsonValue = { kz_residency: { sites: registry.registry.sites as unknown as JsonValue, profile, now } };
  if (pack.team?.length) {
    for (const [index, input] of inputs.entries()) {
      for (const pkg of pack.team) {
        for (const name of pkg.rules) {
          const value = await pack.engine.evaluate(`${pkg.name.replace(/\./g, '/')}/${name}`, input.plan as unknown as JsonValue, teamData);
          const ruleMeta = pack.rules.find((r) => r.path === `data.${pkg.name}.${name}`);
          for (const t of teamFindings(pkg, name, value, ruleMeta)) {
            const address = t.resource ?? '';
            const raw: RawFinding = { ...t, input: index, address };
            const finding = t.resource ? toFinding(raw) : { ...toFinding(raw), resource: input.name, fingerprint: fingerprintOf(t.rule, input.name, t.message) };
            const w = t.resource ? waiverFor(t.rule, resourceOf.get(`${index}\u0000${t.resource}`)) : undefined;
            if (w) {
              used.add(w);
              waived.push({ ...finding, waiver: waiverInfo(w) });
            } else if (t.kind === 'deny' && (t.profiles === undefined || t.profiles.includes(profile))) deny.push(finding);
            else warn.push(finding);
          }
        }
      }
    }
  }

  // The command's own rule: the app's sites.json against the reviewed registry.
  for (const d of registry.drift) {
    const location = locator.inFile(d.location.file, d.location.line, d.location.kind);
    const resource = `${displayPath(d.synthFile)}#${d.siteId}`;
    const finding: Finding = {
      rule: REGISTRY_RULE.id,
      title: REGISTRY_RULE.title,
      severity: REGISTRY_RULE.severity,
      basis: REGISTRY_RULE.basis,
      law: REGISTRY_RULE.law,
      resource,
      site: d.siteId === '(file)' ? null : d.siteId,
      message: d.message,
      remediation: REGISTRY_RULE.remediation,
      input: displayPath(d.synthFile),
      ...(location ? { location } : {}),
      fingerprint: fingerprintOf(REGISTRY_RULE.id, resource, d.message),
    };
    const w = activeWaivers.find((o) => o.source === 'file' && o.waiver.rule === REGISTRY_RULE.id && (o.waiver.resource === resource || waiverMatcher(o.waiver.resource)({ input: -1, address: resource, evaluated: resource, display: resource })));
    if (w) {
      used.add(w);
      waived.push({ ...finding, waiver: waiverInfo(w) });
    } else deny.push(finding);
  }

  deny = triage(deny.filter((f) => selected(f.rule)), meta);
  warn = triage(warn.filter((f) => selected(f.rule)), meta);
  waived = triage(waived.filter((f) => selected(f.rule)), meta);

  // Waivers that did nothing: expired (whatever they match), or active and used by no finding. A
  // code waiver is copied onto every resource under its construct; it is one waiver as written.
  const identity = (o: WaiverOrigin) =>
    o.source === 'code'
      ? ['code', o.construct, o.waiver.rule, o.waiver.reason, o.waiver.approved_by, o.waiver.expires].join('\u0000')
      : `file\u0000${o.field}`;
  const usedIds = new Set([...used].map(identity));
  const expired: WaiverReport[] = [];
  const unused: WaiverReport[] = [];
  const reported = new Set<string>();
  for (const o of prepared.waiverOrigins) {
    const id = identity(o);
    if (reported.has(id) || !selected(o.waiver.rule)) continue;
    reported.add(id);
    if (waiverStatus(o.waiver, now) === 'expired') expired.push({ rule: o.waiver.rule, ...waiverInfo(o) });
    else if (!usedIds.has(id)) unused.push({ rule: o.waiver.rule, ...waiverInfo(o) });
  }
  const byRuleResource = (a: WaiverReport, b: WaiverReport) =>
    a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0;
  expired.sort(byRuleResource);
  unused.sort(byRuleResource);

  // What each rule evaluated, for one JUnit test case per rule × resource.
  const checked = new Map<string, Set<string>>();
  const checkedFromReport = report.checked !== undefined;
  if (report.checked) {
    for (const [rule, list] of report.checked) checked.set(rule, new Set(list.map((r) => display(r.input, r.address))));
  } else {
    for (const rule of pack.rules) checked.set(rule.id, new Set(prepared.resources.map((r) => r.display)));
  }
  for (const id of [...checked.keys()]) if (!selected(id)) checked.delete(id);

  const gated = applyGate(deny, warn, unused.length, opts);
  const checkedInputs: CheckedInput[] = inputs.map((i) => ({
    name: i.name,
    file: displayPath(i.file),
    kind: i.kind,
    resources: managedAddresses(i.plan).length,
  }));
  const bySeverity = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, gated.deny.filter((f) => f.severity === s).length])) as Record<Severity, number>;
  const result: CheckResult = {
    deny: gated.deny,
    warn: gated.warn,
    waived,
    expired_waivers: expired,
    unused_waivers: unused,
    summary: {
      result: gated.result,
      deny: gated.deny.length,
      warn: gated.warn.length,
      waived: waived.length,
      expired_waivers: expired.length,
      unused_waivers: unused.length,
      bySeverity,
      profile,
      now,
      engine: pack.engine.kind,
      inputs: checkedInputs,
      resources: checkedInputs.reduce((n, i) => n + i.resources, 0),
      rules: pack.rules.filter((r) => selected(r.id)).length,
      gate: gated.gate,
      durationMs: Date.now() - started,
      ...(kubeconfig ? { locationFromKubeconfig: report.locationFromKubeconfig } : {}),
    },
    checked: Object.fromEntries([...checked.entries()].map(([k, v]) => [k, [...v].sort()])),
    checkedSource: checkedFromReport ? 'report' : 'plan',
  };
  return { result, rules: pack.rules.filter((r) => selected(r.id)) };
}
