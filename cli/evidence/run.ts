/**
 * `kz-residency report` and `kz-residency diagram`: the check, the pack's inventory of the same
 * deployment, provenance, and the files of the evidence pack (index.html, report.md,
 * inventory.csv, inventory.json, erasure.json, data-flow.svg, data-flow.dot), in one language.
 * It wires only: findings come from the check pipeline, facts from the policy pack's inventory.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify as csvStringify } from 'csv-stringify/sync';
import { loadAllInputs } from '../../plan/input';
import { DEFAULT_POLICIES_DIR, loadPolicyPack, runCheck } from '../check';
import { UsageError } from '../errors';
import { prepareDeployment } from '../evaluate';
import { catalogue, localizeResult, localizeRules, translator, type Language } from '../i18n';
import { displayPath } from '../paths';
import { resolveRegistry } from '../registry';
import type { CheckResult, ProfileName, RuleMeta } from '../report';
import { DEFAULT_PROFILE } from '../report';
import { buildGraph, inlineSvg, renderSvg, toDot, toMermaid } from './graph';
import { renderHtml } from './html';
import { evaluateInventory, type Inventory } from './inventory';
import { renderMarkdown } from './markdown';
import { buildPack, type EvidencePack } from './model';
import { collectProvenance } from './provenance';
import { STORE_COLUMNS, storeCells } from './view';

export interface ReportOptions {
  /** Plans, cdk.tf.json files, cdktf.out directories (the inputs of `check`). */
  readonly targets: readonly string[];
  readonly sites?: string;
  readonly trustSynthRegistry?: boolean;
  readonly waivers?: string;
  readonly kubeconfig?: string;
  readonly profile?: ProfileName;
  /** `YYYY-MM-DD` or an ISO 8601 time: the report's time and the date waivers are compared with. Default: now. */
  readonly now?: string;
  readonly language?: Language;
  readonly policiesDir?: string;
  readonly policyDirs?: readonly string[];
  /** The tool's version (provenance). */
  readonly version: string;
  /** Reads standard input for `-`. */
  readonly readStdin?: () => Buffer;
}

/** `--now`: a date (midnight UTC) or a full ISO 8601 time. */
export function parseNow(now: string | undefined, clock: () => Date = () => new Date()): { generatedAt: string; date: string } {
  if (now === undefined) {
    const d = clock();
    return { generatedAt: d.toISOString().replace(/\.\d{3}Z$/, 'Z'), date: d.toISOString().slice(0, 10) };
  }
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(now);
  const parsed = new Date(dateOnly ? `${now}T00:00:00Z` : now);
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(now) || Number.isNaN(parsed.getTime()))
    throw new UsageError(`--now: "${now}" is neither a date YYYY-MM-DD nor an ISO 8601 time such as 2026-12-01T09:30:00Z`);
  return { generatedAt: parsed.toISOString().replace(/\.\d{3}Z$/, 'Z'), date: parsed.toISOString().slice(0, 10) };
}

export interface Evidence {
  readonly pack: EvidencePack;
  readonly result: CheckResult;
  readonly rules: readonly RuleMeta[];
  readonly dot: string;
  readonly mermaid: string;
  readonly svg: string;
}

/** Runs the check and reads the inventory of the same deployment; builds the pack in one language. */
export async function collectEvidence(o: ReportOptions): Promise<Evidence> {
  const language = o.language ?? 'en';
  const t = translator(language);
  const { generatedAt, date } = parseNow(o.now);
  const profile = o.profile ?? DEFAULT_PROFILE;
  const policiesDir = o.policiesDir ?? DEFAULT_POLICIES_DIR;
  const pack = loadPolicyPack(policiesDir, o.policyDirs ?? []);
  const { result, rules } = await runCheck({
    targets: o.targets,
    sites: o.sites,
    trustSynthRegistry: o.trustSynthRegistry,
    waivers: o.waivers,
    kubeconfig: o.kubeconfig,
    profile,
    now: date,
    pack,
    readStdin: o.readStdin,
  });
  // The same deployment once more, for the inventory (the check read and validated it already).
  const inputs = loadAllInputs(o.targets, { readStdin: o.readStdin });
  const registry = resolveRegistry(
    { sites: o.sites, trustSynthRegistry: o.trustSynthRegistry },
    inputs.map((i) => i.sitesFile).filter((f): f is string => f !== undefined),
    o.targets.join(' '),
  );
  const prepared = prepareDeployment(inputs, { sites: registry.registry.sites, fileWaivers: [], profile, now: date });
  const inventory: Inventory = await evaluateInventory(pack.engine, prepared);
  const provenance = collectProvenance({
    inputFiles: inputs.map((i) => i.file),
    policyDirs: [policiesDir, ...(o.policyDirs ?? [])],
    registryFile: registry.file,
    repository: o.targets[0] === '-' ? process.cwd() : o.targets[0],
    version: o.version,
    generatedAt,
    date,
    profile,
    engine: result.summary.engine,
    language,
  });
  const localRules = localizeRules(rules, language);
  const local = localizeResult(result, rules, language);
  const deployment = [...new Set(inputs.map((i) => i.name))].join(', ');
  const evidence = buildPack({ language, deployment, result: local, rules: localRules, inventory, provenance });
  const graph = buildGraph(inventory, local.deny, t);
  const dot = toDot(graph, t);
  return { pack: evidence, result, rules, dot, mermaid: toMermaid(graph, t), svg: await renderSvg(dot) };
}

/** The files of the pack, by name. */
export function packFiles(ev: Evidence): Record<string, string> {
  const { pack } = ev;
  const t = translator(pack.language);
  const inv = pack.inventory;
  const cells = inv.stores.map((s) => storeCells(inv, s, t));
  const csv = csvStringify([STORE_COLUMNS.map(([, h]) => t(h)), ...cells.map((c) => STORE_COLUMNS.map(([k]) => c[k]))], { record_delimiter: 'unix' });
  const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
  return {
    'index.html': renderHtml(pack, inlineSvg(ev.svg), t, catalogue(pack.language).tag),
    'report.md': renderMarkdown(pack, ev.mermaid, t),
    'inventory.csv': '\uFEFF' + csv,
    'inventory.json': json({ provenance: pack.provenance, verdict: pack.verdict, ...inv }),
    'erasure.json': json({ provenance: pack.provenance, date: pack.provenance.date, stores: pack.erasure }),
    'data-flow.svg': ev.svg,
    'data-flow.dot': ev.dot,
  };
}

/**
 * Creates `out` and its missing parents one level at a time: `mkdirSync(…, { recursive: true })`
 * never returns under a folder such as /proc where creation fails (it retries the parent forever).
 */
function makeFolder(out: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(out); !existsSync(d); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  try {
    for (const d of missing) mkdirSync(d);
    if (!statSync(out).isDirectory()) throw new Error('it is a file, not a folder');
  } catch (e) {
    throw new UsageError(`--out ${out}: cannot create the folder: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Writes the pack into `out` (created when missing); returns the files written. */
export function writePack(ev: Evidence, out: string): string[] {
  makeFolder(out);
  const written: string[] = [];
  for (const [name, content] of Object.entries(packFiles(ev))) {
    const file = path.join(out, name);
    try {
      writeFileSync(file, content);
    } catch (e) {
      throw new UsageError(`--out ${out}: cannot write ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    written.push(displayPath(file));
  }
  return written;
}
