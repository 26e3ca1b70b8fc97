/** Small pieces of wording the formats share. */
import { FailOn, SEVERITY_ORDER, Summary } from '../report';

/** `2 critical, 1 high` (severities with denials only). */
export function severityCounts(s: Pick<Summary, 'bySeverity'>, sep = ', '): string {
  return SEVERITY_ORDER.filter((k) => s.bySeverity[k] > 0)
    .map((k) => `${s.bySeverity[k]} ${k}`)
    .join(sep);
}

/** How `--fail-on` reads in a sentence. */
export function failOnText(f: FailOn): string {
  if (f === 'any') return 'any denial';
  if (f === 'warn') return 'any denial or warning';
  if (f === 'low') return 'denials of any severity';
  return `${f === 'critical' ? 'critical' : `${f} or worse`} denials`;
}
