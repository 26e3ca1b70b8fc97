/**
 * bench/engine: the interpreter on a generated plan of 1,000 and 10,000 resources against a
 * hand-written TypeScript function doing the same check, with JSON.parse of the plan as the floor.
 * Prints ms (median), ratios, heap used, and whether the targets are met:
 * 10,000 resources under 2 s, and within 20x of the hand-written function.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonValue } from '../../engine/engine';
import { compile } from '../../engine/rego/index';
import { handwrittenCheck, type BenchFinding } from './handwritten';
import { generatePlan, registryData } from './plan';

const SIZES = [1000, 10000];
const TARGET_MS = 2000;
const TARGET_RATIO = 20;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Runs fn `runs` times (fewer when one run is slow) and returns the median ms and the last result. */
function time<T>(fn: () => T, runs: number): { ms: number; result: T } {
  const times: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
    if (times[times.length - 1] > 5000 && i >= 0) break;
  }
  return { ms: median(times), result: result as T };
}

function key(f: BenchFinding): string {
  return `${f.rule}|${f.resource}|${f.detail}`;
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) g();
}

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

function main(): number {
  const source = readFileSync(join(__dirname, 'policy.rego'), 'utf8');
  const tc = performance.now();
  const policy = compile([{ file: 'bench/engine/policy.rego', source }]);
  const compileMs = performance.now() - tc;
  const data = registryData();
  process.stdout.write(`policy: bench/engine/policy.rego (compile ${compileMs.toFixed(1)} ms)\n\n`);
  const rows: string[][] = [
    [
      'resources',
      'JSON.parse',
      'hand-written',
      'interpreter',
      'interp/hand',
      'interp/parse',
      'findings',
      'heap used',
    ],
  ];
  const verdicts: string[] = [];
  let ok = true;
  for (const n of SIZES) {
    const text = JSON.stringify(generatePlan(n));
    const runs = n >= 10000 ? 5 : 9;
    const parse = time(() => JSON.parse(text) as JsonValue, runs);
    const plan = parse.result;
    const hand = time(() => handwrittenCheck(plan, data), runs);
    // warm-up once, then measure
    policy.evaluate('bench/residency/findings', { input: plan, data });
    gc();
    const interp = time(() => policy.evaluate('bench/residency/findings', { input: plan, data }), runs);
    gc();
    const heap = process.memoryUsage().heapUsed;
    const got = (Array.isArray(interp.result) ? (interp.result as unknown as BenchFinding[]) : [])
      .map(key)
      .sort();
    const want = hand.result.map(key).sort();
    const same = got.length === want.length && got.every((k, i) => k === want[i]);
    if (!same) {
      ok = false;
      process.stdout.write(
        `MISMATCH at ${n}: interpreter ${got.length} findings, hand-written ${want.length}\n`,
      );
      const g = new Set(got);
      const w = new Set(want);
      process.stdout.write(
        `  only interpreter: ${got
          .filter((k) => !w.has(k))
          .slice(0, 5)
          .join('; ')}\n`,
      );
      process.stdout.write(
        `  only hand-written: ${want
          .filter((k) => !g.has(k))
          .slice(0, 5)
          .join('; ')}\n`,
      );
    }
    const ratioHand = interp.ms / Math.max(hand.ms, 0.001);
    const ratioParse = interp.ms / Math.max(parse.ms, 0.001);
    rows.push([
      n.toLocaleString('en-US'),
      `${parse.ms.toFixed(1)} ms`,
      `${hand.ms.toFixed(1)} ms`,
      `${interp.ms.toFixed(1)} ms`,
      `${ratioHand.toFixed(1)}x`,
      `${ratioParse.toFixed(1)}x`,
      `${want.length}${same ? '' : ' (MISMATCH)'}`,
      mb(heap),
    ]);
    if (n === 10000) {
      const t1 = interp.ms < TARGET_MS;
      const t2 = ratioHand <= TARGET_RATIO;
      verdicts.push(
        `target: 10,000 resources under ${TARGET_MS} ms: ${t1 ? 'MET' : 'NOT MET'} (${interp.ms.toFixed(0)} ms)`,
      );
      verdicts.push(
        `target: within ${TARGET_RATIO}x of the hand-written function: ${t2 ? 'MET' : 'NOT MET'} (${ratioHand.toFixed(1)}x)`,
      );
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows)
    process.stdout.write(
      r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ') + '\n',
    );
  process.stdout.write('\n' + verdicts.join('\n') + '\n');
  process.stdout.write(
    '(median of several runs; interpreter = CompiledPolicy.evaluate with the parsed plan as input)\n',
  );
  return ok ? 0 : 1;
}

process.exit(main());
