/**
 * The `check` pipeline: load the inputs (a plan, a cdk.tf.json or a cdktf.out directory), the
 * sites registry and the waivers; build `data.kz_residency`; evaluate `kz/residency/report`
 * for each stack separately; merge the reports with resources named by construct path (synth
 * output) or plan address (plans). It only wires: the rules are the policies', the loading
 * and validation plan/'s, the evaluation engine/'s.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JsonValue, PolicyEngine } from '../engine/engine';
import { InterpreterEngine } from '../engine/interpreter';
import { loadRegoDirectory } from '../engine/load';
import { compile } from '../engine/rego';
import { WasmEngine } from '../engine/wasm';
import { InputError } from '../plan/errors';
import type { PlanDocument, ValuesModule } from '../plan/format';
import { loadCheckInputs, type CheckInput } from '../plan/input';
import { loadKubeconfig } from '../plan/kubeconfig';
import { loadSitesRegistry } from '../plan/sites';
import type { SitesRegistry } from '../plan/types';
import { isoDateOf, loadWaivers, parseIsoDate } from '../plan/waivers';
import { UsageError } from './errors';
import {
  CheckResult,
  CheckedInput,
  DEFAULT_PROFILE,
  ExpiredWaiver,
  Finding,
  KubeconfigProof,
  ProfileName,
  RuleMeta,
  WaivedFinding,
  WaiverInfo,
} from './report';
import { rulesFromAnnotations } from './rules';
import { expandWaivers } from './waivers';

export const ENTRYPOINT = 'kz/residency/report';
/** The policy pack shipped with the command. */
export const DEFAULT_POLICIES_DIR = path.resolve(__dirname, '..', 'policies');

export interface PolicyPack {
  readonly engine: PolicyEngine;
  readonly rules: readonly RuleMeta[];
}

/** Compiles the Rego pack (tests excluded) and reads the rule catalogue from its METADATA. */
export function loadPolicyPack(dir: string = DEFAULT_POLICIES_DIR): {
  engine: InterpreterEngine;
  rules: RuleMeta[];
} {
  const sources = loadRegoDirectory(dir, { includeTests: false });
  if (sources.length === 0) throw new UsageError(`${dir}: no .rego policies found`);
  const engine = InterpreterEngine.fromSources(sources);
  return { engine, rules: rulesFromAnnotations(engine.policy.annotations) };
}

/** Only the catalogue (for `rules`, `explain` and the wasm engine, whose bundle has no annotations). */
export function loadRuleCatalogue(dir: string = DEFAULT_POLICIES_DIR): RuleMeta[] {
  const sources = loadRegoDirectory(dir, { includeTests: false });
  return rulesFromAnnotations(compile(sources).annotations);
}

export interface CheckOptions {
  readonly target: string;
  readonly sites?: string;
  readonly waivers?: string;
  /** A kubeconfig whose contexts' servers prove the cluster of providers using config_path/config_context. */
  readonly kubeconfig?: string;
  readonly profile?: ProfileName;
  readonly engine?: 'interpreter' | 'wasm';
  readonly bundle?: string;
  /** ISO date for waiver expiry; default today (UTC). */
  readonly now?: string;
  readonly policiesDir?: string;
  /** Called before each input is evaluated. */
  readonly onProgress?: (index: number, total: number, input: CheckInput) => void;
  /** Reuse an already loaded pack (tests, the demo). */
  readonly pack?: PolicyPack;
}

export interface CheckOutcome {
  readonly result: CheckResult;
  readonly rules: readonly RuleMeta[];
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

/** A path as the user would type it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file));
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
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
  if (!Array.isArray(v))
    throw new UsageError(`policy report: ${key}: expected an array of findings, got ${typeof v}`);
  return v.map((x) => asObject(x) ?? {});
}

/** Finds the line a resource starts on in the checked file, for SARIF's physical location. */
function lineFinder(file: string, kind: 'plan' | 'synth'): (address: string) => number | undefined {
  let text: string | undefined;
  const lineStarts: number[] = [0];
  // first offset of each `"address": "<addr>"` in the file, built in one pass: a search of the
  // whole text per finding made large plans quadratic (3,578 findings on a 3 MB plan took 6.5 s)
  let addressAt: Map<string, number> | undefined;
  const found = new Map<string, number | undefined>();
  const load = (): string => {
    if (text !== undefined) return text;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = '';
    }
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
    if (kind === 'plan') {
      addressAt = new Map();
      for (const m of text.matchAll(/"address"\s*:\s*("(?:[^"\\]|\\.)*")/g)) {
        const address = JSON.parse(m[1]) as string;
        if (!addressAt.has(address)) addressAt.set(address, m.index ?? 0);
      }
    }
    return text;
  };
  const offsetOf = (address: string): number => {
    const t = load();
    const at = addressAt?.get(address);
    if (at !== undefined) return at;
    // cdk.tf.json: "resource": { "<type>": { "<name>": { … } } }
    const m = /^(?:.*\.)?([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)(?:\[.*\])?$/.exec(address);
    if (!m) return -1;
    const typeAt = t.indexOf(`${JSON.stringify(m[1])}: {`);
    return typeAt < 0 ? -1 : t.indexOf(`${JSON.stringify(m[2])}: {`, typeAt);
  };
  return (address) => {
    if (found.has(address)) return found.get(address);
    const at = offsetOf(address);
    let line: number | undefined;
    if (at >= 0) {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lineStarts[mid] <= at) lo = mid;
        else hi = mid - 1;
      }
      line = lo + 1;
    }
    found.set(address, line);
    return line;
  };
}

function validateNow(now: string | undefined): string {
  if (now === undefined) return isoDateOf(new Date());
  if (!parseIsoDate(now)) throw new UsageError(`--now: "${now}" is not a date of the form YYYY-MM-DD`);
  return now;
}

/** Loads the registry named by --sites, else the sites.json beside the synth output. Fails closed when there is none. */
function resolveRegistry(opts: CheckOptions, inputs: readonly CheckInput[]): SitesRegistry {
  if (opts.sites) return loadSitesRegistry(opts.sites);
  const found = inputs.map((i) => i.sitesFile).find((f): f is string => typeof f === 'string');
  if (found) return loadSitesRegistry(found);
  throw new UsageError(
    `${opts.target}: no sites registry: pass --sites FILE (a cdktf.out directory's sites.json is used when present); ` +
      'without one nothing can be proven to be in Kazakhstan',
  );
}

async function engineFor(opts: CheckOptions): Promise<PolicyPack> {
  if (opts.pack) return opts.pack;
  const kind = opts.engine ?? 'interpreter';
  if (kind === 'wasm') {
    if (!opts.bundle) {
      throw new UsageError(
        '--engine wasm needs --bundle FILE (a policy.wasm or bundle .tar.gz from `opa build -t wasm -e kz/residency/report`)',
      );
    }
    const engine = await WasmEngine.load(opts.bundle);
    let rules: RuleMeta[] = [];
    try {
      rules = loadRuleCatalogue(opts.policiesDir);
    } catch {
      rules = []; // the bundle has no annotations; findings still carry title, law and remediation
    }
    return { engine, rules };
  }
  if (opts.bundle) throw new UsageError('--bundle is only used with --engine wasm');
  return loadPolicyPack(opts.policiesDir);
}

export async function runCheck(opts: CheckOptions): Promise<CheckOutcome> {
  const started = Date.now();
  const profile = opts.profile ?? DEFAULT_PROFILE;
  const now = validateNow(opts.now);
  // Arguments that need no file come first, so that a wrong flag is reported before a slow load.
  if ((opts.engine ?? 'interpreter') === 'wasm' && !opts.bundle && !opts.pack) {
    throw new UsageError(
      '--engine wasm needs --bundle FILE (a policy.wasm or bundle .tar.gz from `opa build -t wasm -e kz/residency/report`)',
    );
  }

  const inputs = loadCheckInputs(opts.target);
  if (inputs.length === 0) throw new InputError(opts.target, undefined, 'no plan or cdktf stack found');
  const registry = resolveRegistry(opts, inputs);
  const waivers = opts.waivers ? loadWaivers(opts.waivers) : [];
  const kubeconfig = opts.kubeconfig ? { ...loadKubeconfig(opts.kubeconfig), file: displayPath(opts.kubeconfig) } : undefined;
  const kubeconfigProofs: KubeconfigProof[] = [];
  const pack = await engineFor(opts);

  const deny: Finding[] = [];
  const warn: Finding[] = [];
  const waived: WaivedFinding[] = [];
  const expired = new Map<string, ExpiredWaiver>();
  const checked = new Map<string, Set<string>>();
  let checkedFromReport = true;
  const checkedInputs: CheckedInput[] = [];
  const several = inputs.length > 1;

  for (const [i, input] of inputs.entries()) {
    opts.onProgress?.(i, inputs.length, input);
    const addresses = managedAddresses(input.plan);
    if (addresses.length === 0) {
      throw new InputError(
        input.file,
        input.kind === 'synth' ? 'resource' : 'resource_changes',
        'the plan has no resources to check (empty plan)',
      );
    }
    const file = displayPath(input.file);
    checkedInputs.push({ name: input.name, file, kind: input.kind, resources: addresses.length });

    const cpaths = input.constructPaths ?? {};
    const display = (address: string): string => {
      if (input.kind === 'synth' && cpaths[address]) return cpaths[address];
      return several ? `${input.name}:${address}` : address;
    };
    const lineOf = lineFinder(input.file, input.kind);
    const { waivers: policyWaivers, origin } = expandWaivers(
      waivers,
      input.kind === 'synth' ? input.constructPaths : {},
    );
    const data: JsonValue = {
      kz_residency: {
        sites: registry.sites as unknown as JsonValue,
        waivers: policyWaivers as unknown as JsonValue,
        profile,
        now,
        ...(kubeconfig ? { kubeconfig: kubeconfig as unknown as JsonValue } : {}),
      },
    };
    const raw = await pack.engine.evaluate(ENTRYPOINT, input.plan as unknown as JsonValue, data);
    const report = asObject(raw);
    if (!report) throw new UsageError(`the policy pack has no ${ENTRYPOINT} rule (or it is not an object)`);
    // Configuration the policies could not use (an unknown profile, a waiver they cannot read) fails closed.
    const errors = Array.isArray(report.errors)
      ? report.errors.filter((e): e is string => typeof e === 'string')
      : [];
    if (errors.length > 0) {
      throw new UsageError(
        `${input.file}: the policies rejected the configuration: ${errors[0]}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
      );
    }

    const toFinding = (f: Record<string, JsonValue>): Finding => {
      const address = str(f.resource);
      return {
        rule: str(f.rule),
        title: str(f.title),
        severity: (str(f.severity) || 'medium') as Finding['severity'],
        basis: (str(f.basis) || 'practice') as Finding['basis'],
        law: str(f.law),
        resource: display(address),
        site: typeof f.site === 'string' ? f.site : null,
        message: str(f.message),
        remediation: str(f.remediation),
        address,
        stack: input.name,
        file,
        line: lineOf(address),
      };
    };
    for (const f of findingsOf(report, 'deny')) deny.push(toFinding(f));
    for (const f of findingsOf(report, 'warn')) warn.push(toFinding(f));
    for (const f of findingsOf(report, 'waived')) {
      const w = asObject(f.waiver) ?? {};
      const info: WaiverInfo = {
        reason: str(w.reason),
        approved_by: str(w.approved_by),
        expires: str(w.expires),
      };
      waived.push({ ...toFinding(f), waiver: info });
    }
    for (const w of findingsOf(report, 'expired_waivers')) {
      const back = origin.get(`${str(w.rule)}\u0000${str(w.resource)}`);
      const e: ExpiredWaiver = back
        ? {
            rule: back.rule,
            resource: back.resource,
            reason: back.reason,
            approved_by: back.approved_by,
            expires: back.expires,
          }
        : {
            rule: str(w.rule),
            resource: str(w.resource),
            reason: str(w.reason),
            approved_by: str(w.approved_by),
            expires: str(w.expires),
          };
      expired.set(`${e.rule}\u0000${e.resource}`, e);
    }

    for (const p of findingsOf(report, 'location_from_kubeconfig')) {
      kubeconfigProofs.push({ stack: input.name, provider: str(p.provider), server: str(p.server), source: str(p.source) });
    }

    const listed = asObject(report.checked);
    if (listed) {
      for (const [rule, list] of Object.entries(listed)) {
        const set = checked.get(rule) ?? new Set<string>();
        if (Array.isArray(list)) for (const a of list) if (typeof a === 'string') set.add(display(a));
        checked.set(rule, set);
      }
    } else {
      checkedFromReport = false;
      for (const rule of pack.rules) {
        const set = checked.get(rule.id) ?? new Set<string>();
        for (const a of addresses) set.add(display(a));
        checked.set(rule.id, set);
      }
    }
  }

  const byRuleThenResource = (
    a: { rule: string; resource: string },
    b: { rule: string; resource: string },
  ) =>
    a.rule < b.rule
      ? -1
      : a.rule > b.rule
        ? 1
        : a.resource < b.resource
          ? -1
          : a.resource > b.resource
            ? 1
            : 0;
  deny.sort(byRuleThenResource);
  warn.sort(byRuleThenResource);
  waived.sort(byRuleThenResource);
  const expiredList = [...expired.values()].sort(byRuleThenResource);

  const result: CheckResult = {
    deny,
    warn,
    waived,
    expired_waivers: expiredList,
    summary: {
      result: deny.length > 0 ? 'fail' : 'pass',
      deny: deny.length,
      warn: warn.length,
      waived: waived.length,
      expired_waivers: expiredList.length,
      profile,
      now,
      engine: pack.engine.kind,
      inputs: checkedInputs,
      resources: checkedInputs.reduce((n, i) => n + i.resources, 0),
      rules: pack.rules.length,
      durationMs: Date.now() - started,
      ...(kubeconfig ? { locationFromKubeconfig: kubeconfigProofs } : {}),
    },
    checked: Object.fromEntries([...checked.entries()].map(([k, v]) => [k, [...v].sort()])),
    checkedSource: checkedFromReport ? 'report' : 'plan',
  };
  return { result, rules: pack.rules };
}
