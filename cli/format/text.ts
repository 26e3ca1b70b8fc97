/**
 * The terminal report: findings in triage order (critical first), grouped by rule — each with
 * its resource, site, where it is in the code and the message; per rule the basis (law or
 * practice) with its reference and how to fix it — then the waivers that did nothing, and a
 * summary line with what decided the exit status. Colours only when asked (main.ts: a terminal
 * or FORCE_COLOR, never NO_COLOR).
 */
import pc from 'picocolors';
import { CheckResult, Finding, RuleMeta, WaivedFinding, formatLocation, groupByRule, plural, ruleLookup } from '../report';
import { failOnText, severityCounts } from './common';

export interface TextOptions {
  readonly color?: boolean;
}

export function formatText(result: CheckResult, rules: readonly RuleMeta[], opts: TextOptions = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const meta = ruleLookup(rules);
  const s = result.summary;
  const out: string[] = [];
  const inputs = s.inputs.length === 1 ? s.inputs[0].name : plural(s.inputs.length, 'input');
  out.push(
    c.bold(`kz-residency check: ${inputs}`) +
      c.dim(` (${plural(s.resources, 'resource')}, ${plural(s.rules, 'rule')}, profile ${s.profile}, date ${s.now}, ${s.engine})`),
  );
  if (s.inputs.length > 1) out.push(c.dim(`  judged as one deployment: ${s.inputs.map((i) => `${i.name} (${i.resources})`).join(', ')}`));
  for (const p of s.locationFromKubeconfig ?? []) {
    out.push(c.dim(`  location from a kubeconfig, not the plan: provider ${p.provider} -> ${p.server} (${p.source})`));
  }

  const section = (label: 'DENY' | 'WARN' | 'WAIVED', colour: (t: string) => string, findings: readonly Finding[]) => {
    for (const [rule, group] of groupByRule(findings)) {
      const m = meta(rule);
      const first = group[0];
      out.push('');
      out.push(`${colour(c.bold(label))} ${c.bold(rule)} ${m?.title ?? first.title} ${c.dim(`[${first.severity}]`)}`);
      out.push(`  ${c.dim('basis:')} ${m?.basis ?? first.basis} (${m?.law ?? first.law})`);
      for (const f of group) {
        const site = f.site === null ? 'no registered site' : `site ${f.site}`;
        const mark = label === 'WAIVED' ? '~' : label === 'DENY' ? '✗' : '!';
        const where = f.location ? ` ${c.dim('at')} ${formatLocation(f.location)}` : '';
        const known = f.baseline === 'known' ? ` ${c.dim('[known in the baseline]')}` : '';
        out.push(`  ${colour(mark)} ${c.cyan(f.resource)} ${c.dim(`(${site})`)}${where}${known}`);
        out.push(`    ${f.message.replace(/\r?\n/g, '\n    ')}`);
        if (f.alsoOn?.length) out.push(`    ${c.dim(`also on ${f.alsoOn.join(', ')}`)}`);
        if ('waiver' in f) {
          const w = (f as WaivedFinding).waiver;
          const at = w.location ? ` (${formatLocation(w.location)})` : '';
          out.push(`    ${c.dim(`waived ${w.source === 'code' ? 'in code' : 'by file'}${at} by ${w.approved_by} until ${w.expires}: ${w.reason}`)}`);
        }
      }
      const fixes = [...new Set(group.map((f) => f.remediation).filter((r) => r !== ''))];
      const fix = fixes.length === 1 ? fixes[0] : (m?.remediation ?? fixes.join(' / '));
      if (fix) out.push(`  ${c.dim('fix:')} ${fix}`);
    }
  };
  section('DENY', c.red, result.deny);
  section('WARN', c.yellow, result.warn);
  section('WAIVED', c.blue, result.waived);

  const waiverList = (title: string, list: CheckResult['expired_waivers'], what: (w: CheckResult['expired_waivers'][number]) => string) => {
    if (list.length === 0) return;
    out.push('');
    out.push(c.yellow(c.bold(title)));
    for (const w of list) {
      const at = w.location ? ` (${formatLocation(w.location)})` : '';
      out.push(`  ${w.rule} ${w.resource}${at}: ${what(w)} (approved by ${w.approved_by}: ${w.reason})`);
    }
  };
  waiverList('Expired waivers (they waive nothing):', result.expired_waivers, (w) => `expired ${w.expires}`);
  waiverList('Unused waivers (they match no finding):', result.unused_waivers, (w) => `valid until ${w.expires}`);

  out.push('');
  const g = s.gate;
  const verdict = s.result === 'pass' ? c.green(c.bold('PASS')) : c.red(c.bold('FAIL'));
  const parts = [
    `${s.deny} denied${s.deny > 0 ? ` (${severityCounts(s)})` : ''}`,
    plural(s.warn, 'warning'),
    `${s.waived} waived`,
  ];
  if (s.expired_waivers > 0) parts.push(`${plural(s.expired_waivers, 'expired waiver')}`);
  if (s.unused_waivers > 0) parts.push(`${plural(s.unused_waivers, 'unused waiver')}`);
  const gateParts: string[] = [];
  if (g.failOn !== 'any') gateParts.push(`fails on ${failOnText(g.failOn)}`);
  if (g.baseline) gateParts.push(`baseline: ${g.known} known, ${g.fixed} fixed`);
  if (g.failing > 0 && (g.failOn !== 'any' || g.baseline)) gateParts.push(`${g.failing} failing`);
  if (g.softFail && s.result === 'fail') gateParts.push('soft-fail: exit 0');
  out.push(`${verdict} ${parts.join(', ')}${gateParts.length ? c.dim(` — ${gateParts.join('; ')}`) : ''}`);
  return out.join('\n') + '\n';
}
