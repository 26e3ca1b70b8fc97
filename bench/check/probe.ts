/**
 * One measurement in a fresh process (bench/check/index.ts compiles it with the command and runs
 * it as a child), printed as one JSON line on stdout:
 *
 *   probe.js parse <plan>                          read and JSON.parse only (the floor)
 *   probe.js check <plan> <sites> <waivers> <now>  the command's pipeline in-process: runCheck,
 *                                                  then the json and text formats, once
 *   probe.js phases <plan> <sites> <waivers> <now> the phases apart, and the hand-written check
 *   probe.js pack                                  loading the shipped pack, as `check` starts
 *                                                  (the caller sets KZ_RESIDENCY_CACHE=off to compile)
 *
 * `check` is what a user's run does once the process is up and the pack loaded (cold, as a
 * user's run is). `phases` times, in another fresh process: read (the file's bytes), parse
 * (what the loader does: read, parse, record address lines, validate; minus read), the plan
 * view (the policies' resource view) and the evaluation (the rest of the report, in the same
 * evaluation); then the hand-written check of KZ-RES-001/002/003 on the same parsed plan, whose
 * findings it compares with the pack's findings for those rules (denied, warned or waived).
 */
import { readFileSync } from 'node:fs';
import { loadPolicyPack, runCheck } from '../../cli/check';
import { prepareDeployment } from '../../cli/evaluate';
import { render } from '../../cli/format';
import type { WaiverOrigin } from '../../cli/waivers';
import type { InterpreterEngine } from '../../engine/interpreter';
import { loadAllInputs } from '../../plan/input';
import { loadSitesRegistry } from '../../plan/sites';
import { loadWaivers } from '../../plan/waivers';
import { handwrittenCheck, type HandSite } from './handwritten';

const ms = (t0: number): number => Math.round((performance.now() - t0) * 10) / 10;

function parseOnly(plan: string): object {
  let t = performance.now();
  const text = readFileSync(plan, 'utf8');
  const readMs = ms(t);
  t = performance.now();
  JSON.parse(text);
  const parseMs = ms(t);
  return { readMs, parseMs };
}

async function check(plan: string, sites: string, waivers: string, now: string): Promise<object> {
  let t = performance.now();
  const pack = loadPolicyPack();
  const packMs = ms(t);
  t = performance.now();
  const { result, rules } = await runCheck({ targets: [plan], sites, waivers: waivers === '-' ? undefined : waivers, now, pack });
  const checkMs = ms(t);
  t = performance.now();
  render('json', result, rules);
  render('text', result, rules, { color: false });
  const formatMs = ms(t);
  return { packMs, checkMs, formatMs, deny: result.summary.deny, waived: result.summary.waived };
}

async function phases(plan: string, sites: string, waivers: string, now: string): Promise<object> {
  const pack = loadPolicyPack();
  let t = performance.now();
  readFileSync(plan);
  const readMs = ms(t);
  // parse: what the loader does (read, parse, record address lines, validate), minus reading
  t = performance.now();
  const inputs = loadAllInputs([plan]);
  const parseMs = Math.max(0, ms(t) - readMs);
  const registry = loadSitesRegistry(sites);
  const fileWaivers: WaiverOrigin[] =
    waivers === '-' ? [] : loadWaivers(waivers).map((w, i) => ({ waiver: w, source: 'file', file: waivers, field: `waivers[${i}]` }));
  const prepared = prepareDeployment(inputs, { sites: registry.sites, fileWaivers, profile: 'audit-ready', now });
  const session = (pack.engine as InterpreterEngine).policy.session({ input: prepared.document, data: prepared.data });
  t = performance.now();
  session.evaluate('kz/lib/plan/resources');
  const viewMs = ms(t);
  t = performance.now();
  type F = { rule: string; resource: string };
  const report = session.evaluate('kz/residency/report') as { deny?: F[]; warn?: F[]; waived?: F[] } | undefined;
  const evalMs = ms(t);

  // the hand-written check, on the same parsed plan
  t = performance.now();
  const hand = handwrittenCheck(inputs[0].plan, registry.sites as unknown as HandSite[]);
  const handMs = ms(t);
  const core = new Set(['KZ-RES-001', 'KZ-RES-002', 'KZ-RES-003']);
  const key = (f: { rule: string; address?: string; resource?: string }): string => `${f.rule} ${f.address ?? f.resource}`;
  const all = [...(report?.deny ?? []), ...(report?.warn ?? []), ...(report?.waived ?? [])];
  const packCore = new Set(all.filter((f) => core.has(f.rule)).map(key));
  const handCore = new Set(hand.map(key));
  const onlyPack = [...packCore].filter((k) => !handCore.has(k));
  const onlyHand = [...handCore].filter((k) => !packCore.has(k));
  return {
    readMs,
    parseMs,
    viewMs,
    evalMs,
    handMs,
    coreFindings: packCore.size,
    agree: onlyPack.length === 0 && onlyHand.length === 0,
    disagreement: [...onlyPack.slice(0, 3).map((k) => `pack only: ${k}`), ...onlyHand.slice(0, 3).map((k) => `hand only: ${k}`)],
  };
}

function packOnly(): object {
  const t = performance.now();
  loadPolicyPack();
  return { packMs: ms(t) };
}

async function main(): Promise<void> {
  const [mode, plan, sites, waivers, now] = process.argv.slice(2);
  const out =
    mode === 'parse' ? parseOnly(plan) : mode === 'pack' ? packOnly() : mode === 'phases' ? await phases(plan, sites, waivers, now) : await check(plan, sites, waivers, now);
  const rss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ ...out, maxRss: rss }) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`probe: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
