/**
 * SARIF 2.1.0 for code scanning (GitHub's upload-sarif and any SARIF viewer): one
 * reportingDescriptor per rule, built from its `# METADATA`, with a `helpUri` to its entry in the
 * rule catalogue (docs/rules.md), and one result per finding with the resource as a logical
 * location (construct path or plan address) and, as the physical location, the line of the app's
 * code that made it — a URI relative to the repository root (`uriBaseId` %SRCROOT%), so that code
 * scanning puts it on the diff. Levels come from severity; warnings (rules that do not deny in the
 * chosen profile) are one level lower; waived findings carry an accepted external suppression with
 * the waiver's reason; with --baseline, `baselineState` says new or unchanged.
 */
import type * as Sarif from 'sarif';
import { CheckResult, Finding, RuleMeta, Severity, WaivedFinding } from '../report';
import { ruleHelpUri } from '../rules';

/** The base every relative URI of the log is resolved against: the repository root. */
export const SRCROOT = '%SRCROOT%';

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export interface SarifOptions {
  /** The tool's version, shown as tool.driver.version. */
  readonly version?: string;
  /** Where the rule catalogue is published (a folder URL holding rules.md): each rule's helpUri. */
  readonly docsBase?: string;
  /** The tool's home page: tool.driver.informationUri. */
  readonly informationUri?: string;
}

const LEVEL: Record<Severity, Sarif.Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};
const LOWER: Record<Sarif.Result.level, Sarif.Result.level> = {
  error: 'warning',
  warning: 'note',
  note: 'note',
  none: 'none',
};
/** GitHub code scanning reads `security-severity` (0.0–10.0) to rank alerts critical/high/medium/low. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

/** `KZ-RES-001` + "a primary store … runs on a Kazakh site" → `PrimaryStoreRunsOnAKazakhSite`. */
export function ruleName(title: string, id: string): string {
  const words = title.match(/[A-Za-z0-9]+/g);
  if (!words) return id.replace(/[^A-Za-z0-9]/g, '');
  return words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

function descriptor(rule: RuleMeta, docsBase: string | undefined): Sarif.ReportingDescriptor {
  const summary = rule.title || rule.id;
  const full = rule.description || summary;
  const help =
    `${full}\n\nBasis: ${rule.basis} (${rule.law}).\nHow to fix: ${rule.remediation}\n` +
    `Denies in profiles: ${rule.profiles.join(', ') || 'none'}; elsewhere it warns.`;
  const helpMarkdown =
    `${full}\n\n**Basis:** ${rule.basis} — ${rule.law}\n\n**How to fix:** ${rule.remediation}\n\n` +
    `Denies in profiles: ${rule.profiles.map((p) => '`' + p + '`').join(', ') || 'none'}; elsewhere it warns.`;
  return {
    id: rule.id,
    name: ruleName(summary, rule.id),
    shortDescription: { text: summary },
    fullDescription: { text: full },
    help: { text: help, markdown: helpMarkdown },
    ...(ruleHelpUri(rule, docsBase) ? { helpUri: ruleHelpUri(rule, docsBase) } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ['data-residency', rule.basis, ...rule.tags],
      'security-severity': SECURITY_SEVERITY[rule.severity],
      severity: rule.severity,
      basis: rule.basis,
      law: rule.law,
      profiles: [...rule.profiles],
      remediation: rule.remediation,
    },
  };
}

/** A descriptor for a finding whose rule has no METADATA (should not happen; kept valid anyway). */
function descriptorFromFinding(f: Finding): RuleMeta {
  return {
    id: f.rule,
    title: f.title,
    description: f.title,
    severity: f.severity,
    basis: f.basis,
    law: f.law,
    remediation: f.remediation,
    profiles: [],
    tags: [],
    path: '',
    file: '',
    row: 0,
  };
}

/** A relative path as a URI reference: forward slashes, each segment percent-encoded (spaces, #, %…). */
export function toUri(file: string): string {
  return file
    .split('\\')
    .join('/')
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function toResult(
  f: Finding,
  ruleIndex: number,
  level: Sarif.Result.level,
  suppressed?: WaivedFinding,
): Sarif.Result {
  const site = f.site === null ? 'no registered site' : `site ${f.site}`;
  const segments = f.resource.split(/[/.]/);
  const location: Sarif.Location = {
    logicalLocations: [
      {
        name: segments[segments.length - 1] || f.resource,
        fullyQualifiedName: f.resource,
        kind: 'resource',
      },
    ],
  };
  if (f.location) {
    location.physicalLocation = {
      artifactLocation: { uri: toUri(f.location.file), uriBaseId: SRCROOT },
      ...(f.location.line
        ? { region: { startLine: f.location.line, ...(f.location.column ? { startColumn: f.location.column } : {}) } }
        : {}),
    };
  }
  const result: Sarif.Result = {
    ruleId: f.rule,
    ruleIndex,
    level,
    message: { text: `${f.resource} (${site}): ${f.message}` },
    locations: [location],
    partialFingerprints: { 'kzResidencyFinding/v2': f.fingerprint },
    ...(f.baseline ? { baselineState: f.baseline === 'known' ? 'unchanged' : 'new' } : {}),
    properties: {
      severity: f.severity,
      basis: f.basis,
      law: f.law,
      site: f.site,
      ...(f.address && f.address !== f.resource ? { address: f.address } : {}),
      ...(f.stack ? { stack: f.stack } : {}),
      ...(f.alsoOn?.length ? { alsoOn: [...f.alsoOn] } : {}),
      ...(f.location ? { locationKind: f.location.kind } : {}),
    },
  };
  if (suppressed) {
    result.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        justification: suppressed.waiver.reason,
        properties: {
          approved_by: suppressed.waiver.approved_by,
          expires: suppressed.waiver.expires,
          source: suppressed.waiver.source,
          ...(suppressed.waiver.location ? { location: `${suppressed.waiver.location.file}${suppressed.waiver.location.line ? `:${suppressed.waiver.location.line}` : ''}` } : {}),
        },
      },
    ];
  }
  return result;
}

export function buildSarif(
  result: CheckResult,
  rules: readonly RuleMeta[],
  opts: SarifOptions = {},
): Sarif.Log {
  const catalogue: RuleMeta[] = [...rules];
  const index = new Map(catalogue.map((r, i) => [r.id, i]));
  const indexOf = (f: Finding): number => {
    let i = index.get(f.rule);
    if (i === undefined) {
      i = catalogue.length;
      catalogue.push(descriptorFromFinding(f));
      index.set(f.rule, i);
    }
    return i;
  };
  const results: Sarif.Result[] = [];
  for (const f of result.deny) results.push(toResult(f, indexOf(f), LEVEL[f.severity]));
  for (const f of result.warn) results.push(toResult(f, indexOf(f), LOWER[LEVEL[f.severity]]));
  for (const f of result.waived) results.push(toResult(f, indexOf(f), LEVEL[f.severity], f));

  const s = result.summary;
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'kz-residency',
        ...(opts.version ? { version: opts.version, semanticVersion: opts.version } : {}),
        ...(opts.informationUri ? { informationUri: opts.informationUri } : {}),
        rules: catalogue.map((r) => descriptor(r, opts.docsBase)),
      },
    },
    // One category per checked input set, so that several uploads (one per stack plan) do not collide.
    automationDetails: {
      id: `kz-residency/${s.profile}/${s.inputs.length === 1 ? s.inputs[0].name : 'stacks'}/`,
    },
    results,
    invocations: [
      {
        executionSuccessful: true,
        properties: {
          profile: s.profile,
          now: s.now,
          engine: s.engine,
          deny: s.deny,
          warn: s.warn,
          waived: s.waived,
          failing: s.gate.failing,
          failOn: s.gate.failOn,
          expiredWaivers: result.expired_waivers.map((w) => ({ ...w })),
          unusedWaivers: result.unused_waivers.map((w) => ({ ...w })),
        },
      },
    ],
    originalUriBaseIds: { [SRCROOT]: { description: { text: 'The root of the repository the app is in' } } },
    columnKind: 'unicodeCodePoints',
    properties: { inputs: s.inputs.map((i) => ({ ...i })) },
  };
  return { version: '2.1.0', $schema: SARIF_SCHEMA_URI, runs: [run] };
}

export function formatSarif(
  result: CheckResult,
  rules: readonly RuleMeta[],
  opts: SarifOptions = {},
): string {
  return JSON.stringify(buildSarif(result, rules, opts), null, 2) + '\n';
}
