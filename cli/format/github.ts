/**
 * GitHub Actions workflow commands, so that findings show as annotations on the pull request's
 * diff, at the line of the app's code that made the resource: `::error` for denials (criticals
 * first: GitHub shows only the first 10 error and 10 warning annotations of a step), `::warning`
 * for warnings and for waivers that did nothing, `::notice` for waived findings; then one plain
 * summary line that says how many GitHub will not show. Escaping follows the runner's rules: in
 * the message `%`, CR and LF; in properties also `:` and `,`.
 */
import { CheckResult, Finding, SourceLocation, WaiverReport, formatLocation, plural } from '../report';
import { severityCounts } from './common';

/** Annotations of one kind GitHub shows per step (its documented limit). */
export const GITHUB_ANNOTATIONS_PER_STEP = 10;

/** Escapes a workflow command's message (the text after `::`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value (`title=…`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(kind: 'error' | 'warning' | 'notice', title: string, message: string, at?: SourceLocation): string {
  const props: string[] = [];
  if (at?.file) props.push(`file=${escapeProperty(at.file)}`);
  if (at?.file && at.line) props.push(`line=${at.line}`);
  if (at?.file && at.line && at.column) props.push(`col=${at.column}`);
  props.push(`title=${escapeProperty(title)}`);
  return `::${kind} ${props.join(',')}::${escapeData(message)}`;
}

function body(f: Finding): string {
  const site = f.site === null ? 'no registered site' : `site ${f.site}`;
  const also = f.alsoOn?.length ? `\nAlso on: ${f.alsoOn.join(', ')}` : '';
  const known = f.baseline === 'known' ? ' (known in the baseline)' : '';
  return `${f.resource} (${site})${known}: ${f.message}${also}\nBasis: ${f.basis} (${f.law})\nFix: ${f.remediation}`;
}

function waiverLine(kind: 'expired' | 'unused', w: WaiverReport): string {
  const what =
    kind === 'expired'
      ? `The waiver for ${w.resource} expired on ${w.expires} and waives nothing`
      : `The waiver for ${w.resource} matches no finding (valid until ${w.expires})`;
  return command('warning', `${w.rule} waiver ${kind}`, `${what} (approved by ${w.approved_by}: ${w.reason})`, w.location);
}

export function formatGithub(result: CheckResult): string {
  const lines: string[] = [];
  for (const f of result.deny) lines.push(command('error', `${f.rule} [${f.severity}] ${f.title}`, body(f), f.location));
  for (const f of result.warn) lines.push(command('warning', `${f.rule} [${f.severity}] ${f.title}`, body(f), f.location));
  for (const w of result.expired_waivers) lines.push(waiverLine('expired', w));
  for (const w of result.unused_waivers) lines.push(waiverLine('unused', w));
  for (const f of result.waived) {
    const w = f.waiver;
    const where = w.location ? ` (${formatLocation(w.location)})` : '';
    lines.push(
      command('notice', `${f.rule} waived`, `${f.resource}: ${f.message}\nWaived${where} by ${w.approved_by} until ${w.expires}: ${w.reason}`, f.location),
    );
  }

  const s = result.summary;
  const warnings = result.warn.length + result.expired_waivers.length + result.unused_waivers.length;
  const hidden = [
    [Math.max(0, result.deny.length - GITHUB_ANNOTATIONS_PER_STEP), 'error'],
    [Math.max(0, warnings - GITHUB_ANNOTATIONS_PER_STEP), 'warning'],
    [Math.max(0, result.waived.length - GITHUB_ANNOTATIONS_PER_STEP), 'notice'],
  ] as const;
  const more = hidden.filter(([n]) => n > 0).map(([n, kind]) => plural(n, `more ${kind}`));
  const gate = s.gate;
  const parts = [
    `${s.deny} denied${s.deny > 0 ? ` (${severityCounts(s)})` : ''}`,
    plural(s.warn, 'warning'),
    `${s.waived} waived`,
  ];
  if (s.expired_waivers + s.unused_waivers > 0) parts.push(plural(s.expired_waivers + s.unused_waivers, 'waiver') + ' that did nothing');
  if (gate.baseline) parts.push(`${gate.known} known in the baseline`);
  lines.push(
    `kz-residency: ${s.result === 'pass' ? 'pass' : 'FAIL'}: ${parts.join(', ')} (profile ${s.profile})` +
      (more.length
        ? `; GitHub shows ${GITHUB_ANNOTATIONS_PER_STEP} annotations of each kind per step: ${more.join(' and ')} only in the job summary and code scanning`
        : ''),
  );
  return lines.join('\n') + '\n';
}
