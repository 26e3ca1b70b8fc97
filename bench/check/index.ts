/**
 * `npm run bench check`: the shipped pack on realistic generated plans (bench/plans), as a user
 * runs it and in-process, against what it must be compared with, all measured in the same run:
 *
 * - a process that only reads and JSON.parses the same file (time and peak memory);
 * - a hand-written TypeScript check of KZ-RES-001/002/003 (bench/check/handwritten.ts), on the
 *   parsed plan, whose findings must equal the pack's for those rules.
 *
 * Sizes 1,000 and 10,000 resources; 100,000 with BENCH_LARGE=1; a plan beyond 512 MiB (no
 * parse-only floor: one string cannot hold it) with BENCH_HUGE=1. BENCH_RUNS sets repetitions.
 * Every child process is fresh; repetitions are interleaved (parse-only, in-process, end to end)
 * so that load from other processes hits all three alike, and each ratio is taken within one
 * repetition; medians are printed with the spread (min-max) of the ratio.
 *
 * The command is compiled with tsc (as `npm run build` does) into the benchmark's cache, with
 * the probe (probe.ts) beside it; plans, registry and waivers files are generated once per
 * generator version into node_modules/.cache/kz-residency-bench.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GENERATOR_VERSION, generatePlan, type GeneratedPlan } from '../plans/generate';
import { registryDocument } from '../plans/sites';
import { manyWaivers, realisticWaivers } from '../plans/waivers';

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'kz-residency-bench');
const BUILD = path.join(CACHE, 'build');
const SEED = 42;
const NOW = '2026-11-23';
const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Building the command and the probe

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const n of readdirSync(p)) if (n !== 'node_modules' && !n.startsWith('.')) m = Math.max(m, newestMtime(path.join(p, n)));
  return m;
}

function build(): void {
  const sources = ['engine', 'plan', 'cli', 'constructs', 'stacks', 'policies', 'bench/check', 'index.ts', 'package.json', 'tsconfig.build.json'];
  const newest = Math.max(...sources.map((s) => newestMtime(path.join(ROOT, s))));
  const stamp = path.join(BUILD, '.built');
  if (existsSync(stamp) && Number(readFileSync(stamp, 'utf8')) >= newest) return;
  process.stdout.write('compiling the command and the probe with tsc (as npm run build) ...\n');
  rmSync(BUILD, { recursive: true, force: true });
  mkdirSync(BUILD, { recursive: true });
  const tsconfig = path.join(CACHE, 'tsconfig.bench.json');
  const base = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[]; exclude: string[] };
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: path.join(ROOT, 'tsconfig.build.json'),
      compilerOptions: { outDir: BUILD, rootDir: ROOT, declaration: false, noEmit: false },
      include: [...base.include.map((p) => path.join(ROOT, p)), path.join(ROOT, 'bench/check/probe.ts')],
      exclude: base.exclude.map((p) => path.join(ROOT, p)),
    }),
  );
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig], { stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error('tsc failed');
  cpSync(path.join(ROOT, 'policies'), path.join(BUILD, 'policies'), {
    recursive: true,
    filter: (src) => statSync(src).isDirectory() || (/\.(rego|json)$/.test(src) && !src.endsWith('_test.rego')),
  });
  cpSync(path.join(ROOT, 'package.json'), path.join(BUILD, 'package.json'));
  writeFileSync(stamp, String(newest));
}

// ---------------------------------------------------------------------------------------------
// Inputs

interface Inputs {
  readonly plan: GeneratedPlan;
  readonly sites: string;
  readonly waivers: string;
  readonly manyWaivers: string;
}

function inputs(resources: number): Inputs {
  const dir = path.join(CACHE, 'plans', `g${GENERATOR_VERSION}-s${SEED}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `plan-${resources}.json`);
  const meta = `${file}.meta.json`;
  let plan: GeneratedPlan;
  if (existsSync(file) && existsSync(meta)) plan = JSON.parse(readFileSync(meta, 'utf8')) as GeneratedPlan;
  else {
    process.stdout.write(`generating a plan of ${resources.toLocaleString('en-US')} resources ...\n`);
    plan = generatePlan(file, resources, SEED);
    writeFileSync(meta, JSON.stringify(plan));
  }
  const sites = path.join(dir, 'sites.json');
  if (!existsSync(sites)) writeFileSync(sites, JSON.stringify(registryDocument(), null, 1));
  const waivers = path.join(dir, `waivers-${resources}.json`);
  if (!existsSync(waivers)) writeFileSync(waivers, JSON.stringify(realisticWaivers(plan), null, 1));
  const many = path.join(dir, `waivers-${resources}-many.json`);
  if (!existsSync(many)) writeFileSync(many, JSON.stringify(manyWaivers(plan, plan.addresses, resources), null, 1));
  return { plan, sites, waivers, manyWaivers: many };
}

// ---------------------------------------------------------------------------------------------
// Running

interface ProbeOut {
  [k: string]: unknown;
  maxRss: number;
}

function probe(args: string[], env: NodeJS.ProcessEnv = process.env): ProbeOut {
  const r = spawnSync(process.execPath, [path.join(BUILD, 'bench', 'check', 'probe.js'), ...args], { encoding: 'utf8', maxBuffer: 64 * MiB, cwd: ROOT, env });
  if (r.status !== 0) throw new Error(`probe ${args[0]} failed: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as ProbeOut;
}

/** `kz-residency check` as a user runs it (the compiled command in a fresh process): wall time and peak RSS. */
function endToEnd(plan: string, sites: string, waivers: string): { ms: number; maxRss: number; status: number } {
  const rssFile = path.join(os.tmpdir(), `kz-bench-rss-${process.pid}.json`);
  const preload = path.join(CACHE, 'rss-at-exit.cjs');
  if (!existsSync(preload))
    writeFileSync(preload, "process.on('exit', () => require('fs').writeFileSync(process.env.KZ_BENCH_RSS, String(process.resourceUsage().maxRSS * 1024)));\n");
  const out = path.join(os.tmpdir(), `kz-bench-out-${process.pid}.json`);
  const t = performance.now();
  const r = spawnSync(
    process.execPath,
    ['--require', preload, path.join(BUILD, 'cli', 'main.js'), 'check', plan, '--sites', sites, '--waivers', waivers, '--now', NOW, '--format', `json=${out}`],
    { encoding: 'utf8', cwd: ROOT, env: { ...process.env, KZ_BENCH_RSS: rssFile, NO_COLOR: '1' }, maxBuffer: 64 * MiB },
  );
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`check exited ${r.status}: ${r.stderr.trim()}`);
  const maxRss = Number(readFileSync(rssFile, 'utf8'));
  rmSync(rssFile, { force: true });
  rmSync(out, { force: true });
  return { ms, maxRss, status: r.status ?? -1 };
}

// ---------------------------------------------------------------------------------------------
// Statistics and printing

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function spread(xs: number[], digits = 1): string {
  if (xs.length < 2) return '';
  return ` (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})`;
}

const fmtMs = (x: number): string => (x >= 10000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
const fmtMb = (bytes: number): string => `${Math.round(bytes / MiB)} MB`;

function table(rows: string[][]): string {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(w[c]) : cell.padStart(w[c]))).join('  ')).join('\n') + '\n';
}

function machine(): string {
  const cpus = os.cpus();
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} logical CPUs, ${Math.round(os.totalmem() / 1024 ** 3)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}; load average ${load} at start`;
}

interface SizeResult {
  n: number;
  bytes: number;
  parse: ProbeOut[];
  check: ProbeOut[];
  phases: ProbeOut[];
  e2e: Array<{ ms: number; maxRss: number; status: number }>;
  manyWaivers?: { base: number[]; many: number[]; waivers: number };
}

const num = (o: ProbeOut, k: string): number => Number(o[k]);

function runSize(n: number, runs: number, withParse: boolean): SizeResult {
  const inp = inputs(n);
  const res: SizeResult = { n, bytes: statSync(inp.plan.file).size, parse: [], check: [], phases: [], e2e: [] };
  for (let i = 0; i < runs; i++) {
    if (withParse) res.parse.push(probe(['parse', inp.plan.file]));
    res.check.push(probe(['check', inp.plan.file, inp.sites, inp.waivers, NOW]));
    res.phases.push(probe(['phases', inp.plan.file, inp.sites, inp.waivers, NOW]));
    res.e2e.push(endToEnd(inp.plan.file, inp.sites, inp.waivers));
    process.stdout.write(`  ${n.toLocaleString('en-US')} resources: run ${i + 1}/${runs} done\n`);
  }
  return res;
}

function runWaivers(n: number, runs: number): SizeResult['manyWaivers'] {
  const inp = inputs(n);
  const base: number[] = [];
  const many: number[] = [];
  for (let i = 0; i < runs; i++) {
    base.push(endToEnd(inp.plan.file, inp.sites, inp.waivers).ms);
    many.push(endToEnd(inp.plan.file, inp.sites, inp.manyWaivers).ms);
  }
  const count = (JSON.parse(readFileSync(inp.manyWaivers, 'utf8')) as { waivers: unknown[] }).waivers.length;
  return { base, many, waivers: count };
}

function main(): number {
  const started = performance.now();
  const large = process.env.BENCH_LARGE === '1';
  const huge = process.env.BENCH_HUGE === '1';
  const runsFor = (n: number): number => Number(process.env.BENCH_RUNS ?? (n <= 1000 ? 5 : n <= 10000 ? 3 : 1));
  process.stdout.write(`machine: ${machine()}\n`);
  build();
  const sizes = (process.env.BENCH_SIZES ?? `1000,10000${large ? ',100000' : ''}`).split(',').map(Number);
  const results: SizeResult[] = [];
  for (const n of sizes) results.push(runSize(n, runsFor(n), true));
  const at10k = results.find((r) => r.n === 10000);
  let waiverRuns: SizeResult['manyWaivers'];
  const notesEarly: string[] = [];
  try {
    waiverRuns = process.env.BENCH_SIZES ? undefined : runWaivers(10000, runsFor(10000));
  } catch (e) {
    notesEarly.push(`the waivers run failed: ${(e as Error).message.split('\n')[0]}`);
  }
  // the pack's start: compiled from the Rego (cache off) and loaded from the compiled-pack cache
  const packCompiled: number[] = [];
  const packCached: number[] = [];
  probe(['pack']); // fills the cache
  for (let i = 0; i < 5; i++) {
    packCompiled.push(num(probe(['pack'], { ...process.env, KZ_RESIDENCY_CACHE: 'off' }), 'packMs'));
    packCached.push(num(probe(['pack']), 'packMs'));
  }
  let hugeResult: SizeResult | undefined;
  if (huge) hugeResult = runSize(112000, 1, false);

  const first = results[0]?.check[0];
  const rows: string[][] = [['resources', 'file', 'JSON.parse', 'check', '÷parse', 'end to end', '÷parse process', 'eval ÷ hand', 'peak RSS', '÷file', '÷parse-only peak']];
  const split: string[][] = [['resources', 'read', 'parse', 'plan view', 'evaluation', 'other', 'formatting', 'check', 'hand-written', 'pack load']];
  const verdicts: string[] = [];
  const notes: string[] = [...notesEarly];
  for (const r of [...results, ...(hugeResult ? [hugeResult] : [])]) {
    const reps = r.check.length;
    const parseMs = r.parse.map((p) => num(p, 'parseMs'));
    const parseProc = r.parse.map((p) => num(p, 'readMs') + num(p, 'parseMs'));
    const checkMs = r.check.map((c) => num(c, 'checkMs') + num(c, 'formatMs'));
    const ratioParse = r.parse.length ? checkMs.map((c, i) => c / parseMs[i]) : [];
    const ratioE2e = r.parse.length ? r.e2e.map((e, i) => e.ms / (parseProc[i] + 1)) : [];
    const evalMs = r.phases.map((c) => num(c, 'viewMs') + num(c, 'evalMs'));
    const ratioHand = r.phases.map((c, i) => evalMs[i] / Math.max(0.1, num(c, 'handMs')));
    const rss = r.e2e.map((e) => e.maxRss);
    const rssParse = r.parse.map((p) => p.maxRss);
    const rssRatio = r.parse.length ? rss.map((x, i) => x / rssParse[i]) : [];
    rows.push([
      r.n.toLocaleString('en-US'),
      fmtMb(r.bytes),
      r.parse.length ? fmtMs(median(parseMs)) : 'n/a (> 512 MiB)',
      fmtMs(median(checkMs)),
      r.parse.length ? `${median(ratioParse).toFixed(1)}x${spread(ratioParse)}` : '',
      fmtMs(median(r.e2e.map((e) => e.ms))),
      r.parse.length ? `${median(ratioE2e).toFixed(1)}x${spread(ratioE2e)}` : '',
      `${median(ratioHand).toFixed(1)}x${spread(ratioHand)}`,
      fmtMb(median(rss)),
      `${(median(rss) / r.bytes).toFixed(1)}x`,
      r.parse.length ? `${median(rssRatio).toFixed(2)}x${spread(rssRatio, 2)}` : '',
    ]);
    const m = (k: string): number => median(r.phases.map((c) => num(c, k)));
    const mc = (k: string): number => median(r.check.map((c) => num(c, k)));
    const other = median(r.check.map((c, i) => num(c, 'checkMs') - ['readMs', 'parseMs', 'viewMs', 'evalMs'].reduce((a, k) => a + num(r.phases[i], k), 0)));
    split.push([r.n.toLocaleString('en-US'), fmtMs(m('readMs')), fmtMs(m('parseMs')), fmtMs(m('viewMs')), fmtMs(m('evalMs')), fmtMs(Math.max(0, other)), fmtMs(mc('formatMs')), fmtMs(median(checkMs)), fmtMs(m('handMs')), fmtMs(mc('packMs'))]);
    const disagree = r.phases.find((c) => c.agree !== true);
    if (disagree) notes.push(`${r.n}: the hand-written check and the pack disagree on KZ-RES-001/002/003: ${(disagree.disagreement as string[]).join('; ')}`);
    if (r.n === 10000) {
      verdicts.push(verdict(`10k: check ≤ 3x JSON.parse of the file (in-process)`, median(ratioParse), 3));
      verdicts.push(verdict(`10k: check ≤ 3x a process that reads and JSON.parses it (end to end, Node start included)`, median(ratioE2e), 3));
      verdicts.push(verdict(`10k: pack evaluation ≤ 10x the hand-written KZ-RES-001/002/003 check`, median(ratioHand), 10));
    }
    if (r.parse.length && r.n >= 10000) verdicts.push(verdict(`${r.n / 1000}k: peak RSS ≤ 1.5x the parse-only process's`, median(rssRatio), 1.5));
    if (r === hugeResult) verdicts.push(`${r.n.toLocaleString('en-US')} resources (${fmtMb(r.bytes)}, beyond one V8 string): ${r.e2e.every((e) => e.status === 0 || e.status === 1) ? 'MET' : 'NOT MET'}, checked in ${fmtMs(median(r.e2e.map((e) => e.ms)))}, peak ${fmtMb(median(rss))}`);
    void reps;
  }
  verdicts.push(
    `target the compiled pack is cached: ${median(packCached) < median(packCompiled) ? 'MET' : 'NOT MET'} (the pack loads in ${fmtMs(median(packCached))} from the cache, ${fmtMs(median(packCompiled))} compiled from the Rego; median of ${packCached.length})`,
  );
  if (waiverRuns) {
    const ratio = waiverRuns.many.map((x, i) => x / waiverRuns.base[i]);
    verdicts.push(verdict(`10k with ${waiverRuns.waivers.toLocaleString('en-US')} waivers: ≤ 1.25x the time with ${JSON.parse(readFileSync(inputs(10000).waivers, 'utf8')).waivers.length} (waivers + findings, not their product)`, median(ratio), 1.25));
  }
  if (!at10k) notes.push('no 10,000-resource run (BENCH_SIZES): the 10k targets are not judged');

  process.stdout.write('\n' + table(rows));
  process.stdout.write('\ntime split (median; "other": validation, deployment merge, waivers, report building):\n' + table(split));
  process.stdout.write('\n' + verdicts.join('\n') + '\n');
  for (const n of notes) process.stdout.write(`note: ${n}\n`);
  process.stdout.write(
    `\ncheck = runCheck + json and text formats in a fresh process once it is up and the pack loaded (cold, as a user's run); end to end = \`kz-residency check --format json\` in a fresh process;\n` +
      `the time split is measured apart (another fresh process): read, parse, plan view, evaluation; "other" = check - those;\n` +
      `eval = plan view + evaluation of the report; hand = bench/check/handwritten.ts on the parsed plan; ratios are per repetition, median (min-max) of ${results.map((r) => `${r.check.length} at ${r.n.toLocaleString('en-US')}`).join(', ')}.\n` +
      `pack: ${first ? `loaded in ${num(first, 'packMs')} ms` : ''}; plans: bench/plans, seed ${SEED}, generator ${GENERATOR_VERSION}; took ${fmtMs(performance.now() - started)}.\n`,
  );
  return 0;
}

function verdict(what: string, value: number, target: number): string {
  return `target ${what}: ${value <= target ? 'MET' : 'NOT MET'} (${value.toFixed(2)}x)`;
}

process.exitCode = main();
