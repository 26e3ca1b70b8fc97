/**
 * A pull-request comment (and the job summary): a verdict, a narrow table of rules in triage
 * order (severity, then rule; the rule's id does not break at its hyphens, its title wraps), one
 * collapsible <details> per rule with its basis, a short "how to fix" and its findings as a list
 * (each with where it is in the code), then the waivers. Stays readable at PR width and under
 * GitHub's 65,536-character comment limit with hundreds of findings: each rule lists at most
 * `maxPerRule` findings and says how many it left out.
 */
import {
  CheckResult,
  Finding,
  RuleMeta,
  Severity,
  WaiverReport,
  formatLocation,
  groupByRule,
  plural,
  ruleLookup,
  severityRank,
} from '../report';
import { failOnText, severityCounts } from './common';

export interface MarkdownOptions {
  /** Findings listed per rule before "… and N more". Default 20. */
  readonly maxPerRule?: number;
}

/** Escapes text for a table cell or list item: pipes, line breaks and HTML-significant characters. */
export function cell(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

/** Inline code that survives backticks and pipes inside. */
function code(s: string): string {
  return s.includes('`') ? `<code>${cell(s)}</code>` : '`' + s.replace(/\|/g, '\\|') + '`';
}

/** A rule id that a narrow column does not break at its hyphens (U+2011 NON-BREAKING HYPHEN). */
export function unbreakable(id: string): string {
  return id.replace(/-/g, '\u2011');
}

const ICON: Record<Severity, string> = { critical: '🟥', high: '🟧', medium: '🟨', low: '⬜' };

/** GitHub rejects comments over 65,536 characters; keep a margin for what CI adds around it. */
export const MAX_COMMENT_CHARS = 60_000;

export function formatMarkdown(result: CheckResult, rules: readonly RuleMeta[], opts: MarkdownOptions = {}): string {
  // Many rules with many findings: list fewer per rule until the comment fits.
  let max = opts.maxPerRule ?? 20;
  let out = render(result, rules, max);
  while (out.length > MAX_COMMENT_CHARS && max > 0) {
    max = Math.floor(max / 2);
    out = render(result, rules, max);
  }
  return out;
}

function item(f: Finding): string {
  const site = f.site === null ? 'no registered site' : `site ${cell(f.site)}`;
  const where = f.location ? ` — ${code(formatLocation(f.location))}` : '';
  const known = f.baseline === 'known' ? ' · _known in the baseline_' : f.baseline === 'new' ? ' · **new**' : '';
  const also = f.alsoOn?.length ? `<br>also on ${f.alsoOn.map(code).join(', ')}` : '';
  return `- ${code(f.resource)} (${site})${where}${known}<br>${cell(f.message)}${also}`;
}

function render(result: CheckResult, rules: readonly RuleMeta[], max: number): string {
  const meta = ruleLookup(rules);
  const s = result.summary;
  const g = s.gate;
  const out: string[] = [];
  const verdict = s.result === 'pass' ? '✅ kz-residency: pass' : `❌ kz-residency: ${s.deny > 0 ? `${s.deny} denied` : 'fail'}`;
  out.push(`## ${verdict}`);
  out.push('');
  const where = s.inputs.length === 1 ? code(s.inputs[0].name) : `${plural(s.inputs.length, 'input')} judged as one deployment`;
  const counts = [
    `**${s.deny}** denied${s.deny > 0 ? ` (${severityCounts(s, ' · ')})` : ''}`,
    `**${s.warn}** ${s.warn === 1 ? 'warning' : 'warnings'}`,
    `**${s.waived}** waived`,
  ];
  if (s.expired_waivers > 0) counts.push(`**${s.expired_waivers}** expired ${s.expired_waivers === 1 ? 'waiver' : 'waivers'}`);
  if (s.unused_waivers > 0) counts.push(`**${s.unused_waivers}** unused ${s.unused_waivers === 1 ? 'waiver' : 'waivers'}`);
  out.push(`${counts.join(' · ')} — ${where}, ${plural(s.resources, 'resource')}, profile \`${s.profile}\`, date ${s.now}`);
  const gate: string[] = [];
  if (g.failOn !== 'any') gate.push(`fails on ${failOnText(g.failOn)}`);
  if (g.baseline) gate.push(`baseline: **${g.failing}** new failing, ${g.known} known, ${g.fixed} fixed`);
  if (g.softFail && s.result === 'fail') gate.push('soft-fail: the job does not fail');
  if (gate.length) {
    out.push('');
    out.push(`_${gate.join(' · ')}_`);
  }

  const all = [...result.deny, ...result.warn, ...result.waived];
  if (all.length === 0) {
    out.push('');
    out.push(`No findings: every rule of the \`${s.profile}\` profile passed.`);
  } else {
    const count = (list: readonly Finding[], id: string) => list.filter((f) => f.rule === id).length;
    out.push('');
    out.push('| severity | rule | denied | warnings | waived |');
    out.push('|---|---|--:|--:|--:|');
    const severityOf = (id: string, first: Finding) => meta(id)?.severity ?? first.severity;
    const rows = groupByRule(all).sort(
      ([a, ga], [b, gb]) => severityRank(severityOf(a, ga[0])) - severityRank(severityOf(b, gb[0])) || (a < b ? -1 : a > b ? 1 : 0),
    );
    for (const [id, group] of rows) {
      const first = group[0];
      const m = meta(id);
      const severity = severityOf(id, first);
      out.push(
        `| ${ICON[severity]} ${severity} | **${unbreakable(id)}** ${cell(m?.title ?? first.title)} | ` +
          `${count(result.deny, id)} | ${count(result.warn, id)} | ${count(result.waived, id)} |`,
      );
    }
  }

  const details = (heading: string, findings: readonly Finding[]) => {
    const groups = groupByRule(findings);
    if (groups.length === 0) return;
    out.push('');
    out.push(`### ${heading}`);
    for (const [id, group] of groups) {
      const m = meta(id);
      const first = group[0];
      out.push('');
      out.push('<details>');
      out.push(`<summary><b>${cell(id)}</b> ${cell(m?.title ?? first.title)} (${group.length})</summary>`);
      out.push('');
      out.push(`**Basis:** ${m?.basis ?? first.basis} — ${cell(m?.law ?? first.law)}`);
      out.push('');
      out.push(`**How to fix:** ${cell(m?.remediation ?? first.remediation)}`);
      out.push('');
      for (const f of group.slice(0, max)) out.push(item(f));
      if (group.length > max) {
        out.push('');
        out.push(`… and ${group.length - max} more (run \`kz-residency check\` locally or see the SARIF results for all).`);
      }
      out.push('');
      out.push('</details>');
    }
  };
  details('Denied', result.deny);
  details('Warnings', result.warn);

  const waiverRow = (w: { rule: string; resource: string; approved_by: string; expires: string; reason: string; source: string }, expires: string) =>
    `| ${code(w.rule)} | ${code(w.resource)} | ${w.source} | ${cell(w.approved_by)} | ${expires} | ${cell(w.reason)} |`;
  if (result.waived.length > 0 || result.expired_waivers.length > 0 || result.unused_waivers.length > 0) {
    out.push('');
    out.push('### Waivers');
    out.push('');
    out.push('| rule | on | from | approved by | expires | reason |');
    out.push('|---|---|---|---|---|---|');
    const shown = result.waived.slice(0, max * 2);
    for (const f of shown) out.push(waiverRow({ ...f.waiver, rule: f.rule, resource: f.resource }, cell(f.waiver.expires)));
    const report = (list: readonly WaiverReport[], label: (w: WaiverReport) => string) => {
      for (const w of list) out.push(waiverRow(w, label(w)));
    };
    report(result.expired_waivers, (w) => `**expired ${cell(w.expires)}**`);
    report(result.unused_waivers, (w) => `${cell(w.expires)} — **matches nothing**`);
    if (result.waived.length > shown.length) out.push(`\n… and ${result.waived.length - shown.length} more waived findings.`);
  }
  return out.join('\n') + '\n';
}
