/**
 * What fails the run: by default every denial; `--fail-on SEVERITY` only denials of that
 * severity or worse; `--fail-on warn` warnings too; with `--baseline` only findings the baseline
 * report did not have (the rest are marked `known`); `--fail-on-unused-waivers` also a waiver
 * that matched nothing. `--soft-fail` reports all of it and exits 0 anyway (main.ts).
 */
import type { Baseline } from './baseline';
import { fingerprintOf } from './baseline';
import { FailOn, Finding, Gate, severityRank } from './report';

export interface GateOptions {
  readonly failOn?: FailOn;
  readonly softFail?: boolean;
  readonly baseline?: Baseline;
  readonly failOnUnusedWaivers?: boolean;
}

function isKnown(f: Finding, b: Baseline): boolean {
  if (b.fingerprints.has(f.fingerprint)) return true;
  return (f.alsoOn ?? []).some((r) => b.fingerprints.has(fingerprintOf(f.rule, r, f.message)));
}

export function applyGate<T extends Finding>(
  deny: readonly T[],
  warn: readonly T[],
  unusedWaivers: number,
  opts: GateOptions,
): { deny: T[]; warn: T[]; gate: Gate; result: 'pass' | 'fail' } {
  const failOn = opts.failOn ?? 'any';
  const b = opts.baseline;
  const mark = (f: T): T => (b ? { ...f, baseline: isKnown(f, b) ? 'known' : 'new' } : f);
  const d = deny.map(mark);
  const w = warn.map(mark);
  const fresh = (f: T) => f.baseline !== 'known';
  const severe = (f: T) => failOn === 'any' || failOn === 'warn' || severityRank(f.severity) <= severityRank(failOn);
  const failing = d.filter((f) => fresh(f) && severe(f)).length + (failOn === 'warn' ? w.filter(fresh).length : 0);
  const present = new Set(d.flatMap((f) => [f.fingerprint, ...(f.alsoOn ?? []).map((r) => fingerprintOf(f.rule, r, f.message))]));
  const fixed = b ? [...b.denied].filter((fp) => !present.has(fp)).length : 0;
  const gate: Gate = {
    failOn,
    softFail: opts.softFail ?? false,
    ...(b ? { baseline: b.file } : {}),
    failOnUnusedWaivers: opts.failOnUnusedWaivers ?? false,
    failing,
    known: d.filter((f) => f.baseline === 'known').length,
    fixed,
  };
  const fails = failing > 0 || (gate.failOnUnusedWaivers && unusedWaivers > 0);
  return { deny: d, warn: w, gate, result: fails ? 'fail' : 'pass' };
}
