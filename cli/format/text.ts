/**
 * The terminal report: findings grouped by rule (denied, then warnings, then waived), each
 * with its resource, site and message; per rule the basis (law or practice) with its
 * reference and how to fix it; a summary line at the end. Colours only when asked
 * (the command asks when stdout is a TTY and NO_COLOR is unset).
 */
import pc from 'picocolors';
import { CheckResult, Finding, RuleMeta, groupByRule, ruleLookup } from '../report';

export interface TextOptions {
  readonly color?: boolean;
}

export function formatText(result: CheckResult, rules: readonly RuleMeta[], opts: TextOptions = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const meta = ruleLookup(rules);
  const s = result.summary;
  const out: string[] = [];
  const inputs = s.inputs.length === 1 ? s.inputs[0].name : `${s.inputs.length} stacks`;
  out.push(
    c.bold(`kz-residency check: ${inputs}`) +
      c.dim(
        ` (${s.resources} ${s.resources === 1 ? 'resource' : 'resources'}, ${s.rules} rules, profile ${s.profile}, date ${s.now}, ${s.engine})`,
      ),
  );

  if (s.inputs.length > 1) {
    out.push(c.dim(`  stacks: ${s.inputs.map((i) => `${i.name} (${i.resources})`).join(', ')}`));
  }
  for (const p of s.locationFromKubeconfig ?? []) {
    out.push(c.dim(`  location from a kubeconfig, not the plan: provider ${p.provider} -> ${p.server} (${p.source})`));
  }

  const section = (
    label: string,
    colour: (t: string) => string,
    findings: readonly Finding[],
    waived: boolean,
  ) => {
    for (const [rule, group] of groupByRule(findings)) {
      const m = meta(rule);
      const first = group[0];
      const title = m?.title ?? first.title;
      const basis = m?.basis ?? first.basis;
      const law = m?.law ?? first.law;
      out.push('');
      out.push(`${colour(c.bold(label))} ${c.bold(rule)} ${title} ${c.dim(`[${first.severity}]`)}`);
      out.push(`  ${c.dim('basis:')} ${basis} (${law})`);
      for (const f of group) {
        const site = f.site === null ? 'no registered site' : `site ${f.site}`;
        out.push(
          `  ${colour(waived ? '~' : label === 'DENY' ? '✗' : '!')} ${c.cyan(f.resource)} ${c.dim(`(${site})`)}`,
        );
        out.push(`    ${f.message.replace(/\r?\n/g, '\n    ')}`);
        if ('waiver' in f) {
          const w = (f as Finding & { waiver: { reason: string; approved_by: string; expires: string } })
            .waiver;
          out.push(`    ${c.dim(`waived by ${w.approved_by} until ${w.expires}: ${w.reason}`)}`);
        }
      }
      const fixes = [...new Set(group.map((f) => f.remediation).filter((r) => r !== ''))];
      const fix = fixes.length === 1 ? fixes[0] : (m?.remediation ?? fixes.join(' / '));
      if (fix) out.push(`  ${c.dim('fix:')} ${fix}`);
    }
  };
  section('DENY', c.red, result.deny, false);
  section('WARN', c.yellow, result.warn, false);
  section('WAIVED', c.blue, result.waived, true);

  if (result.expired_waivers.length > 0) {
    out.push('');
    out.push(c.yellow(c.bold('Expired waivers (they waive nothing):')));
    for (const w of result.expired_waivers) {
      out.push(`  ${w.rule} ${w.resource}: expired ${w.expires} (approved by ${w.approved_by}: ${w.reason})`);
    }
  }

  out.push('');
  const verdict = s.result === 'pass' ? c.green(c.bold('PASS')) : c.red(c.bold('FAIL'));
  const parts = [
    `${s.deny} denied`,
    `${s.warn} ${s.warn === 1 ? 'warning' : 'warnings'}`,
    `${s.waived} waived`,
  ];
  if (s.expired_waivers > 0)
    parts.push(`${s.expired_waivers} expired ${s.expired_waivers === 1 ? 'waiver' : 'waivers'}`);
  out.push(`${verdict} ${parts.join(', ')}`);
  return out.join('\n') + '\n';
}
