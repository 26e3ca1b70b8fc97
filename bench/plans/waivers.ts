/**
 * Waivers files for the generated plans: a realistic one (about one waiver per hundred
 * resources: exact addresses of stores that break a rule on purpose, a few globs, some expired)
 * and a large one (as many exact waivers as the plan has resources, on every rule) to show that
 * waiver matching costs findings + waivers, not their product.
 */
import type { GeneratedPlan } from './generate';
import { Rng } from './random';

interface WaiverEntry {
  rule: string;
  resource: string;
  reason: string;
  approved_by: string;
  expires: string;
}

const RULES = ['KZ-RES-001', 'KZ-RES-002', 'KZ-RES-003', 'KZ-RES-004', 'KZ-RES-005', 'KZ-RES-006', 'KZ-BAK-001', 'KZ-AUD-001', 'KZ-AUD-002', 'KZ-SEC-001', 'KZ-GOV-001'];

function entry(rule: string, resource: string, i: number, expired: boolean): WaiverEntry {
  return {
    rule,
    resource,
    reason: `Accepted for the migration window (ticket RISK-${1000 + i})`,
    approved_by: 'dpo@bench.example.kz',
    expires: expired ? '2025-01-31' : '2027-06-30',
  };
}

/** About one waiver per hundred resources: the plan's deliberate violations, two globs, some expired. */
export function realisticWaivers(plan: GeneratedPlan): { waivers: WaiverEntry[] } {
  const rng = new Rng(plan.resources);
  const out: WaiverEntry[] = [];
  const seen = new Set<string>();
  const want = Math.max(4, Math.round(plan.resources / 100));
  for (const [i, t] of plan.waiverTargets.entries()) {
    if (out.length >= want - 2) break;
    if (seen.has(`${t.rule} ${t.address}`)) continue; // a rule waives a resource once
    seen.add(`${t.rule} ${t.address}`);
    out.push(entry(t.rule, t.address, i, rng.chance(0.1)));
  }
  out.push(entry('KZ-RES-002', 'module.tenants_lab*', out.length, false));
  out.push(entry('KZ-SEC-001', 'module.platform_*.helm_release.*', out.length, false));
  return { waivers: out };
}

/** `count` exact waivers spread over the plan's addresses and the rules, plus the realistic ones. */
export function manyWaivers(plan: GeneratedPlan, addresses: readonly string[], count: number): { waivers: WaiverEntry[] } {
  const rng = new Rng(count);
  const out = [...realisticWaivers(plan).waivers];
  const seen = new Set(out.map((w) => `${w.rule} ${w.resource}`));
  // every address once per rule, rules in turn, addresses in a seeded order
  const order = addresses.map((_, i) => [rng.next(), i] as const).sort((a, b) => a[0] - b[0]);
  for (let i = 0; out.length < count && i < order.length * RULES.length; i++) {
    const rule = RULES[i % RULES.length];
    const address = addresses[order[Math.floor(i / RULES.length) % order.length][1]];
    if (seen.has(`${rule} ${address}`)) continue;
    seen.add(`${rule} ${address}`);
    out.push(entry(rule, address, i, rng.chance(0.05)));
  }
  return { waivers: out };
}
