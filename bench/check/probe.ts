/**
 * One measurement in a fresh process (bench/check/index.ts compiles it with the command and runs
 * it as a child), printed as one JSON line on stdout:
 *
 *   probe.js parse <plan>                        read and JSON.parse only (the floor)
 *   probe.js check <plan> <sites> <waivers> <now> check in-process, its phases, the hand-written check
 *
 * `check` runs the command's pipeline (runCheck, then the json and text formats) once to warm up
 * and once measured, then times the phases apart on the same inputs: read (the file's bytes),
 * parse (reading and parsing as the loader does, minus read), plan view (the policies' resource
 * view) and evaluation (the rest of the report, in the same evaluation), and the hand-written
 * check of KZ-RES-001/002/003 on the parsed plan, whose findings it also compares with the
 * pack's.
 */
import { readFileSync } from 'node:fs';
import { loadPolicyPack, runCheck } from '../../cli/check';
import { prepareDeployment } from '../../cli/evaluate';
import { render } from '../../cli/format';
import type { WaiverOrigin } from '../../cli/waivers';
import type { InterpreterEngine } from '../../engine/interpreter';
import { loadAllInputs } from '../../plan/input';
import { readJsonDocument } from '../../plan/json';
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
  const opts = { targets: [plan], sites, waivers: waivers === '-' ? undefined : waivers, now, pack };
  // warm-up: the first run compiles the evaluator's hot paths (a user's run pays this too: see the end-to-end figures)
  await runCheck(opts);
  t = performance.now();
  const { result, rules } = await runCheck(opts);
  const checkMs = ms(t);
  t = performance.now();
  render('json', result, rules);
  render('text', result, rules, { color: false });
  const formatMs = ms(t);

  // the phases, apart
  t = performance.now();
  readFileSync(plan);
  const readMs = ms(t);
  t = performance.now();
  const doc = readJsonDocument(plan);
  const parseMs = Math.max(0, ms(t) - readMs);
  const inputs = loadAllInputs([plan]);
  const registry = loadSitesRegistry(sites);
  const fileWaivers: WaiverOrigin[] =
    waivers === '-' ? [] : loadWaivers(waivers).map((w, i) => ({ waiver: w, source: 'file', file: waivers, field: `waivers[${i}]` }));
  const prepared = prepareDeployment(inputs, { sites: registry.sites, fileWaivers, profile: 'audit-ready', now });
  const session = (pack.engine as InterpreterEngine).policy.session({ input: prepared.document, data: prepared.data });
  t = performance.now();
  session.evaluate('kz/lib/plan/resources');
  const viewMs = ms(t);
  t = performance.now();
  const report = session.evaluate('kz/residency/report') as { deny?: Array<{ rule: string; resource: string }> } | undefined;
  const evalMs = ms(t);

  // the hand-written check, on the same parsed plan
  t = performance.now();
  const hand = handwrittenCheck(doc.value, registry.sites as unknown as HandSite[]);
  const handMs = ms(t);
  const core = new Set(['KZ-RES-001', 'KZ-RES-002', 'KZ-RES-003']);
  const key = (f: { rule: string; address?: string; resource?: string }): string => `${f.rule} ${f.address ?? f.resource}`;
  const packCore = new Set((report?.deny ?? []).filter((f) => core.has(f.rule)).map(key));
  const handCore = new Set(hand.map(key));
  const onlyPack = [...packCore].filter((k) => !handCore.has(k));
  const onlyHand = [...handCore].filter((k) => !packCore.has(k));

  return {
    packMs,
    checkMs,
    formatMs,
    readMs,
    parseMs,
    viewMs,
    evalMs,
    handMs,
    deny: result.summary.deny,
    waived: result.summary.waived,
    coreFindings: packCore.size,
    agree: onlyPack.length === 0 && onlyHand.length === 0,
    disagreement: [...onlyPack.slice(0, 3).map((k) => `pack only: ${k}`), ...onlyHand.slice(0, 3).map((k) => `hand only: ${k}`)],
  };
}

async function main(): Promise<void> {
  const [mode, plan, sites, waivers, now] = process.argv.slice(2);
  const out = mode === 'parse' ? parseOnly(plan) : await check(plan, sites, waivers, now);
  const rss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ ...out, maxRss: rss }) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`probe: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
