/**
 * Triage order and noise: findings are ordered as a reviewer works through them — severity
 * (critical first), then rule, then where they are (file and line, then resource) — and a rule
 * that judges a fact of the whole deployment (METADATA `decision: deployment`: the DPO, the
 * regulator access and kill switch, a tunnel's profile) is reported once per distinct message,
 * on the first object in that order, with the other objects it was reported on in `alsoOn`.
 */
import { fingerprintOf } from './baseline';
import { Finding, RuleMeta, severityRank } from './report';

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

/** Severity, rule, location (file, line), resource, message. */
export function triageCompare(a: Finding, b: Finding): number {
  return (
    cmp(severityRank(a.severity), severityRank(b.severity)) ||
    cmp(a.rule, b.rule) ||
    cmp(a.location?.file ?? '\uffff', b.location?.file ?? '\uffff') ||
    cmp(a.location?.line ?? 0, b.location?.line ?? 0) ||
    cmp(a.resource, b.resource) ||
    cmp(a.message, b.message)
  );
}

/** Sorts in triage order, then folds the repeated findings of deployment-level rules into one. */
export function triage<T extends Finding>(findings: readonly T[], rules: (id: string) => RuleMeta | undefined): T[] {
  const sorted = [...findings].sort(triageCompare);
  const kept: T[] = [];
  const groups = new Map<string, { index: number; others: string[] }>();
  for (const f of sorted) {
    if (rules(f.rule)?.decision !== 'deployment') {
      kept.push(f);
      continue;
    }
    const key = `${f.rule}\u0000${f.message}`;
    const g = groups.get(key);
    if (g) g.others.push(f.resource);
    else {
      groups.set(key, { index: kept.length, others: [] });
      kept.push(f);
    }
  }
  for (const g of groups.values()) {
    if (g.others.length === 0) continue;
    const f = kept[g.index];
    const alsoOn = [...new Set(g.others.filter((r) => r !== f.resource))].sort();
    kept[g.index] = { ...f, alsoOn, fingerprint: fingerprintOf(f.rule, f.resource, f.message) };
  }
  return kept;
}
