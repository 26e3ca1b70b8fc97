/** The output formats of `kz-residency check`, each a pure function of the result and the rule metadata. */
import { CheckResult, RuleMeta } from '../report';
import { formatGithub } from './github';
import { formatJson } from './json';
import { formatJunit } from './junit';
import { formatMarkdown } from './markdown';
import { formatSarif } from './sarif';
import { formatText } from './text';

export const FORMATS = ['text', 'json', 'markdown', 'github', 'sarif', 'junit'] as const;
export type FormatName = (typeof FORMATS)[number];

export interface FormatOptions {
  /** Colours in the text format. */
  readonly color?: boolean;
  /** The tool version for SARIF. */
  readonly version?: string;
  /** SARIF: where the rule catalogue is published (helpUri) and the tool's home page (informationUri). */
  readonly docsBase?: string;
  readonly informationUri?: string;
}

export function isFormat(s: string): s is FormatName {
  return (FORMATS as readonly string[]).includes(s);
}

export function render(
  format: FormatName,
  result: CheckResult,
  rules: readonly RuleMeta[],
  opts: FormatOptions = {},
): string {
  switch (format) {
    case 'text':
      return formatText(result, rules, { color: opts.color });
    case 'json':
      return formatJson(result);
    case 'markdown':
      return formatMarkdown(result, rules);
    case 'github':
      return formatGithub(result);
    case 'sarif':
      return formatSarif(result, rules, { version: opts.version, docsBase: opts.docsBase, informationUri: opts.informationUri });
    case 'junit':
      return formatJunit(result, rules);
  }
}
