/**
 * The rule catalogue, read from the policies' `# METADATA` annotations (custom.id, severity,
 * basis, law, remediation, profiles): the one source for `rules`, `explain`, SARIF
 * descriptors and the "how to fix" lines of the reports.
 */
import { Basis, PROFILES, ProfileName, RuleMeta, SEVERITY_ORDER, Severity } from './report';

/** The part of an engine annotation the catalogue reads (engine/rego `Annotation`). */
export interface AnnotationLike {
  readonly scope: string;
  readonly title?: string;
  readonly description?: string;
  readonly custom?: Readonly<Record<string, unknown>>;
  readonly path: string;
  readonly location: { readonly file: string; readonly row: number; readonly col?: number };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Rules with `custom.id`, one per id (the first annotation of an id wins; later ones fill gaps), sorted by id. */
export function rulesFromAnnotations(annotations: readonly AnnotationLike[]): RuleMeta[] {
  const byId = new Map<string, RuleMeta>();
  for (const a of annotations) {
    const custom = a.custom ?? {};
    const id = str(custom.id);
    if (!id) continue;
    const severity = str(custom.severity);
    const basis = str(custom.basis);
    const profilesRaw = custom.profiles;
    const profiles = Array.isArray(profilesRaw)
      ? profilesRaw.filter(
          (p): p is ProfileName => typeof p === 'string' && (PROFILES as readonly string[]).includes(p),
        )
      : [];
    const tagsRaw = custom.tags;
    const tags = Array.isArray(tagsRaw) ? tagsRaw.filter((t): t is string => typeof t === 'string') : [];
    const meta: RuleMeta = {
      id,
      title: a.title ?? id,
      description: a.description?.trim() ?? '',
      severity: (SEVERITY_ORDER as readonly string[]).includes(severity ?? '')
        ? (severity as Severity)
        : 'medium',
      basis: basis === 'law' || basis === 'practice' ? (basis as Basis) : 'practice',
      law: str(custom.law) ?? '',
      remediation: str(custom.remediation)?.trim() ?? '',
      profiles,
      tags,
      ...(str(custom.help_uri) ? { helpUri: str(custom.help_uri) } : {}),
      ...(custom.decision === 'deployment' ? { decision: 'deployment' as const } : {}),
      path: a.path,
      file: a.location.file,
      row: a.location.row,
    };
    const prev = byId.get(id);
    if (!prev) byId.set(id, meta);
    else
      byId.set(id, {
        ...prev,
        description: prev.description || meta.description,
        law: prev.law || meta.law,
        remediation: prev.remediation || meta.remediation,
        profiles: prev.profiles.length ? prev.profiles : meta.profiles,
        tags: [...new Set([...prev.tags, ...meta.tags])],
        ...(prev.decision || meta.decision ? { decision: 'deployment' as const } : {}),
      });
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The anchor of a rule in docs/rules.md: its id in lower case (`kz-res-001`). */
export function ruleAnchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
}

/** Where a rule is documented: its METADATA `help_uri`, else its anchor in the rule catalogue under `docsBase`. */
export function ruleHelpUri(rule: Pick<RuleMeta, 'id' | 'helpUri'>, docsBase: string | undefined): string | undefined {
  if (rule.helpUri) return rule.helpUri;
  return docsBase ? `${docsBase.replace(/\/+$/, '')}/rules.md#${ruleAnchor(rule.id)}` : undefined;
}

/** The `rules` command's table: id, title, severity, basis, profiles where it denies. */
export function formatRulesTable(rules: readonly RuleMeta[]): string {
  const rows = rules.map((r) => [r.id, r.title, r.severity, r.basis, r.profiles.join(', ') || '—']);
  const header = ['ID', 'TITLE', 'SEVERITY', 'BASIS', 'DENIES IN'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line), '', `${rules.length} rules`].join('\n') + '\n';
}

/** The `explain` command's text for one rule. */
export function formatExplain(r: RuleMeta): string {
  const out = [
    `${r.id}: ${r.title}`,
    '',
    `severity:   ${r.severity}`,
    `basis:      ${r.basis}${r.basis === 'practice' ? ' (audit guidance and the reference design, not the letter of the law)' : ''}`,
    `reference:  ${r.law || '—'}`,
    `denies in:  ${r.profiles.join(', ') || 'no profile'} (elsewhere its findings are warnings)`,
    `defined in: ${r.file}:${r.row} (${r.path})`,
  ];
  if (r.tags.length) out.push(`tags:       ${r.tags.join(', ')}`);
  if (r.description) out.push('', r.description);
  if (r.remediation) out.push('', 'How to fix:', `  ${r.remediation}`);
  return out.join('\n') + '\n';
}
