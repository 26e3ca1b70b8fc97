/**
 * GitHub Actions workflow commands, so that findings show as annotations on the run and the
 * pull request: `::error title=…::…` for denials, `::warning` for warnings and expired
 * waivers, `::notice` for waived findings. Escaping follows the runner's rules: in the
 * message `%`, CR and LF; in properties also `:` and `,`.
 */
import { CheckResult, Finding } from '../report';

/** Escapes a workflow command's message (the text after `::`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value (`title=…`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `file`/`line` point the annotation at the checked file (the plan or cdk.tf.json) where the resource starts. */
function command(kind: 'error' | 'warning' | 'notice', title: string, message: string, at?: Finding): string {
  const props: string[] = [];
  if (at?.file) props.push(`file=${escapeProperty(at.file)}`);
  if (at?.file && at.line) props.push(`line=${at.line}`);
  props.push(`title=${escapeProperty(title)}`);
  return `::${kind} ${props.join(',')}::${escapeData(message)}`;
}

function body(f: Finding): string {
  const site = f.site === null ? 'no registered site' : `site ${f.site}`;
  return `${f.resource} (${site}): ${f.message}\nBasis: ${f.basis} (${f.law})\nFix: ${f.remediation}`;
}

export function formatGithub(result: CheckResult): string {
  const lines: string[] = [];
  for (const f of result.deny)
    lines.push(command('error', `${f.rule} ${f.title} [${f.severity}]`, body(f), f));
  for (const f of result.warn)
    lines.push(command('warning', `${f.rule} ${f.title} [${f.severity}]`, body(f), f));
  for (const f of result.waived) {
    const w = f.waiver;
    lines.push(
      command(
        'notice',
        `${f.rule} waived`,
        `${f.resource}: ${f.message}\nWaived by ${w.approved_by} until ${w.expires}: ${w.reason}`,
        f,
      ),
    );
  }
  for (const w of result.expired_waivers) {
    lines.push(
      command(
        'warning',
        `${w.rule} waiver expired`,
        `The waiver for ${w.resource} expired on ${w.expires} and waives nothing (approved by ${w.approved_by}: ${w.reason})`,
      ),
    );
  }
  const s = result.summary;
  lines.push(
    `kz-residency: ${s.result === 'pass' ? 'pass' : 'FAIL'}: ${s.deny} denied, ${s.warn} ${s.warn === 1 ? 'warning' : 'warnings'}, ${s.waived} waived (profile ${s.profile})`,
  );
  return lines.join('\n') + '\n';
}
