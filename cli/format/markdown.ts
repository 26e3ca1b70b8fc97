/**
 * A pull-request comment: a verdict, a summary table per rule, one collapsible <details> per
 * rule with its basis, a short "how to fix" and its findings, then waivers with their expiry.
 * Stays readable (and under GitHub's 65,536-character comment limit) with hundreds of
 * findings: each rule lists at most `maxPerRule` findings and says how many it left out.
 */
import { CheckResult, Finding, RuleMeta, WaivedFinding, groupByRule, ruleLookup } from '../report';

export interface MarkdownOptions {
  /** Findings listed per rule before "… and N more". Default 20. */
  readonly maxPerRule?: number;
}

/** Escapes text for a table cell: pipes, line breaks and HTML-significant characters. */
export function cell(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

/** Inline code that survives backticks inside. */
function code(s: string): string {
  return s.includes('`') ? `<code>${cell(s)}</code>` : '`' + s.replace(/\|/g, '\\|') + '`';
}

/** GitHub rejects comments over 65,536 characters; keep a margin for what CI adds around it. */
export const MAX_COMMENT_CHARS = 60_000;

export function formatMarkdown(
  result: CheckResult,
  rules: readonly RuleMeta[],
  opts: MarkdownOptions = {},
): string {
  // Many rules with many findings: list fewer per rule until the comment fits.
  let max = opts.maxPerRule ?? 20;
  let out = render(result, rules, max);
  while (out.length > MAX_COMMENT_CHARS && max > 0) {
    max = Math.floor(max / 2);
    out = render(result, rules, max);
  }
  return out;
}

function render(result: CheckResult, rules: readonly RuleMeta[], max: number): string {
  const meta = ruleLookup(rules);
  const s = result.summary;
  const out: string[] = [];
  const icon = s.result === 'pass' ? '✅' : '❌';
  out.push(`## ${icon} kz-residency: ${s.result === 'pass' ? 'pass' : 'denied'}`);
  out.push('');
  const where = s.inputs.length === 1 ? code(s.inputs[0].name) : `${s.inputs.length} stacks`;
  out.push(
    `**${s.deny}** denied · **${s.warn}** ${s.warn === 1 ? 'warning' : 'warnings'} · **${s.waived}** waived` +
      (s.expired_waivers > 0
        ? ` · **${s.expired_waivers}** expired ${s.expired_waivers === 1 ? 'waiver' : 'waivers'}`
        : '') +
      ` — ${where}, ${s.resources} resources, profile \`${s.profile}\`, date ${s.now}`,
  );

  const ids = [...new Set([...result.deny, ...result.warn, ...result.waived].map((f) => f.rule))].sort();
  if (ids.length === 0) {
    out.push('');
    out.push(`No findings: every rule of the \`${s.profile}\` profile passed.`);
    return out.join('\n') + '\n';
  }

  const count = (list: readonly Finding[], id: string) => list.filter((f) => f.rule === id).length;
  out.push('');
  out.push('| rule | title | severity | basis | denied | warnings | waived |');
  out.push('|---|---|---|---|--:|--:|--:|');
  for (const id of ids) {
    const any = [...result.deny, ...result.warn, ...result.waived].find((f) => f.rule === id) as Finding;
    const m = meta(id);
    out.push(
      `| ${code(id)} | ${cell(m?.title ?? any.title)} | ${m?.severity ?? any.severity} | ${m?.basis ?? any.basis} | ` +
        `${count(result.deny, id)} | ${count(result.warn, id)} | ${count(result.waived, id)} |`,
    );
  }

  const details = (heading: string, findings: readonly Finding[], open: boolean) => {
    const groups = groupByRule(findings);
    if (groups.length === 0) return;
    out.push('');
    out.push(`### ${heading}`);
    for (const [id, group] of groups) {
      const m = meta(id);
      const first = group[0];
      out.push('');
      out.push(`<details${open ? ' open' : ''}>`);
      out.push(`<summary><b>${cell(id)}</b> ${cell(m?.title ?? first.title)} (${group.length})</summary>`);
      out.push('');
      out.push(`**Basis:** ${m?.basis ?? first.basis} — ${cell(m?.law ?? first.law)}`);
      out.push('');
      out.push(`**How to fix:** ${cell(m?.remediation ?? first.remediation)}`);
      out.push('');
      out.push('| resource | site | message |');
      out.push('|---|---|---|');
      for (const f of group.slice(0, max)) {
        out.push(`| ${code(f.resource)} | ${f.site === null ? '—' : cell(f.site)} | ${cell(f.message)} |`);
      }
      if (group.length > max) {
        out.push('');
        out.push(
          `… and ${group.length - max} more (run \`kz-residency check\` locally or see the SARIF results for all).`,
        );
      }
      out.push('');
      out.push('</details>');
    }
  };
  details('Denied', result.deny, false);
  details('Warnings', result.warn, false);

  if (result.waived.length > 0 || result.expired_waivers.length > 0) {
    out.push('');
    out.push('### Waivers');
    out.push('');
    out.push('| rule | resource | approved by | expires | reason |');
    out.push('|---|---|---|---|---|');
    const waived: readonly WaivedFinding[] = result.waived;
    for (const f of waived.slice(0, max * 2)) {
      out.push(
        `| ${code(f.rule)} | ${code(f.resource)} | ${cell(f.waiver.approved_by)} | ${cell(f.waiver.expires)} | ${cell(f.waiver.reason)} |`,
      );
    }
    if (waived.length > max * 2) out.push(`\n… and ${waived.length - max * 2} more waived findings.`);
    for (const w of result.expired_waivers) {
      out.push(
        `| ${code(w.rule)} | ${code(w.resource)} | ${cell(w.approved_by)} | **expired ${cell(w.expires)}** | ${cell(w.reason)} |`,
      );
    }
  }
  return out.join('\n') + '\n';
}
