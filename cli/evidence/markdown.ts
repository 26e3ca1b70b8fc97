/**
 * report.md: the evidence pack's content for a repository or a pull request, the picture as a
 * Mermaid flowchart (GitHub draws it) with the SVG beside it as a file.
 */
import type { Translate } from '../i18n';
import type { Finding, WaiverInfo } from '../report';
import { SEVERITY_ORDER } from '../report';
import type { EvidencePack } from './model';
import { SECTIONS } from './sections';
import {
  STORE_COLUMNS,
  basisName,
  carriesText,
  className,
  detectionText,
  edgeProtection,
  erasureTotal,
  gapText,
  placeBy,
  placeHow,
  placeKind,
  placeWhere,
  severityName,
  siteText,
  storeCells,
} from './view';

/** A table cell: pipes escaped, line breaks flattened. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [`| ${head.map(cell).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n') + '\n';
}

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function finding(f: Finding, t: Translate): string {
  const where = f.location ? ` — ${t('findings.location', { file: f.location.line ? `${f.location.file}:${f.location.line}` : f.location.file })}` : '';
  return [
    `- **${f.rule}** ${f.title} — ${severityName(f.severity, t)}, ${basisName(f.basis, t)} (${f.law})`,
    `  - ${t('col.resource')}: ${code(f.resource)}${f.site ? ` (${f.site})` : ''}${where}`,
    `  - ${f.message}`,
    `  - ${t('col.fix')}: ${f.remediation}`,
  ].join('\n');
}

function waiverRows(list: ReadonlyArray<{ rule: string; resource: string; w: WaiverInfo }>): string[][] {
  return list.map(({ rule, resource, w }) => [rule, code(resource), w.reason, w.approved_by, w.expires]);
}

export function renderMarkdown(pack: EvidencePack, mermaid: string, t: Translate): string {
  const inv = pack.inventory;
  const v = pack.verdict;
  const p = pack.provenance;
  const out: string[] = [];
  const h2 = (id: string) => out.push(`\n## ${t(SECTIONS.find((s) => s.id === id)?.title ?? 'section.summary')}\n`);

  out.push(`# ${t('report.title')}: ${pack.deployment}\n`);
  out.push(`${t('report.subtitle')}\n`);
  out.push(`_${t('report.generated', { time: p.generatedAt, version: p.tool.version })}_\n`);

  h2('summary');
  out.push(`**${v.result === 'pass' ? t('summary.pass', { profile: v.profile }) : t('summary.fail', { deny: v.deny, profile: v.profile })}**\n`);
  for (const line of [
    t('summary.counts', { deny: v.deny, critical: v.bySeverity.critical, high: v.bySeverity.high, medium: v.bySeverity.medium, low: v.bySeverity.low, warn: v.warn, waived: v.waived }),
    t('summary.basis', { law: v.byBasis.law, practice: v.byBasis.practice }),
    t('summary.stores', { stores: v.stores, personal: v.personal }),
    t('summary.sites', { kz: v.sitesKz, abroad: v.sitesAbroad }),
    t('summary.abroad', { abroad: v.abroad, unproven: v.unproven }),
    t('summary.watched', { watched: v.watched, audited: v.audited }),
    t('summary.dpo', { dpo: inv.deployment.dpo_contacts.join(', ') || t('value.notDeclared') }),
  ])
    out.push(`- ${line}`);
  out.push(`\n> ${t('report.scope')}\n`);

  h2('inventory');
  const cells = inv.stores.map((s) => storeCells(inv, s, t));
  const tableOf = (keys: Array<keyof (typeof cells)[number]>, which: (i: number) => boolean) =>
    table(
      [t('col.store'), ...keys.map((k) => t(STORE_COLUMNS.find(([c]) => c === k)?.[1] ?? 'col.store'))],
      cells.flatMap((c, i) => (which(i) ? [[`${c.name} ${code(c.address)}`, ...keys.map((k) => c[k])]] : [])),
    );
  out.push(tableOf(['dataClass', 'role', 'site', 'city', 'jurisdiction', 'operator', 'storage'], () => true));
  out.push(`### ${t('section.copies')}\n`);
  out.push(tableOf(['backups', 'copiesAbroad'], () => true));
  out.push(`### ${t('section.auditTrail')}\n`);
  out.push(tableOf(['audit', 'alerting'], (i) => inv.stores[i].effective_role !== 'audit'));
  out.push(`### ${t('section.purpose')}\n`);
  out.push(tableOf(['purpose', 'categories', 'consent', 'subjects', 'dpo'], (i) => inv.stores[i].personal && inv.stores[i].effective_role !== 'audit'));

  h2('flows');
  out.push('```mermaid');
  out.push(mermaid.trimEnd());
  out.push('```\n');
  out.push(`${t('flow.legend')} (data-flow.svg)\n`);
  out.push(`### ${t('section.edges')}\n`);
  out.push(
    inv.edges.length > 0
      ? table(
          [t('col.from'), t('col.to'), t('col.kind'), t('col.carries'), t('col.protection'), t('col.jurisdiction'), t('col.proof')],
          inv.edges.map((x) => [
            code(x.source),
            code(x.destination),
            t(`flow.kind.${x.kind}` as Parameters<Translate>[0]) + (x.via ? ` ${x.via}` : ''),
            carriesText(x.kind, x.carries, t),
            edgeProtection(x, t),
            x.destination_site ? siteText(inv, x.destination_site, t) : (x.destination_jurisdiction ?? t('value.notProven')),
            t(`flow.proof.${x.proof}` as Parameters<Translate>[0]),
          ]),
        )
      : `${t('flow.none')}\n`,
  );

  h2('findings');
  if (pack.deny.length === 0 && pack.warn.length === 0) out.push(`${t('findings.none')}\n`);
  for (const s of SEVERITY_ORDER) {
    const fs = pack.deny.filter((f) => f.severity === s);
    if (fs.length === 0) continue;
    out.push(`### ${severityName(s, t)} (${fs.length})\n`);
    out.push(fs.map((f) => finding(f, t)).join('\n') + '\n');
  }
  if (pack.warn.length > 0) {
    out.push(`### ${t('findings.warnings')} (${pack.warn.length})\n`);
    out.push(pack.warn.map((f) => finding(f, t)).join('\n') + '\n');
  }

  h2('waivers');
  const wHead = [t('col.rule'), t('col.resource'), t('col.reason'), t('col.approvedBy'), t('col.expires')];
  if (pack.waived.length + pack.expiredWaivers.length + pack.unusedWaivers.length === 0) out.push(`${t('waivers.none')}\n`);
  if (pack.waived.length > 0) out.push(`### ${t('waivers.applied')}\n\n${table(wHead, waiverRows(pack.waived.map((w) => ({ rule: w.rule, resource: w.resource, w: w.waiver }))))}`);
  if (pack.expiredWaivers.length > 0) out.push(`### ${t('waivers.expired')}\n\n${table(wHead, waiverRows(pack.expiredWaivers.map((w) => ({ rule: w.rule, resource: w.resource, w }))))}`);
  if (pack.unusedWaivers.length > 0) out.push(`### ${t('waivers.unused')}\n\n${table(wHead, waiverRows(pack.unusedWaivers.map((w) => ({ rule: w.rule, resource: w.resource, w }))))}`);

  h2('erasure');
  out.push(`${t('erasure.intro')}\n`);
  if (pack.erasure.length === 0) out.push(`${t('erasure.none')}\n`);
  for (const x of pack.erasure) {
    const store = inv.stores.find((s) => s.id === x.store);
    out.push(`### ${t('erasure.store', { store: store?.name ?? x.store, dataClass: className(x.dataClass, t), where: x.site ? siteText(inv, x.site, t) : t('value.notProven') })}\n`);
    out.push(table([t('col.place'), t('col.resource'), t('col.how'), t('col.by')], x.places.map((pl) => [placeKind(pl, t), placeWhere(inv, pl, t), placeHow(pl, t), placeBy(pl, t)])));
    out.push(`**${erasureTotal(x, p.date, t)}**\n`);
  }

  h2('breach');
  const b = pack.breach;
  out.push(`${t('breach.intro')}\n`);
  out.push(
    table(
      [t('col.item'), t('col.value')],
      [
        [t('breach.authority'), t('breach.authority.value')],
        [t('breach.deadline'), t('breach.deadline.value')],
        [t('breach.responsible'), b.dpo.join(', ') || t('value.notDeclared')],
      ],
    ),
  );
  out.push(`### ${t('breach.detection')}\n`);
  out.push(b.stores.map((s) => `- ${detectionText(s, t)}`).join('\n') + '\n');
  out.push(`### ${t('breach.stores')}\n`);
  out.push(
    table(
      [t('col.store'), t('col.dataClass'), t('col.categories'), t('col.subjects'), t('col.purpose'), t('breach.where')],
      b.stores.map((s) => [
        code(s.store),
        s.dataClass === null ? t('value.unknown') : className(s.dataClass, t),
        s.categories.join(', ') || t('value.notDeclared'),
        s.subjects ?? t('value.notDeclared'),
        s.purpose ?? t('value.notDeclared'),
        s.places.map((pl) => `${t(`erasure.place.${pl.kind}` as Parameters<Translate>[0])}: ${pl.where ?? t('value.notProven')} (${pl.jurisdiction ?? t('value.notProven')})`).join('; '),
      ]),
    ),
  );
  out.push(`### ${t('breach.fill')}\n`);
  out.push(table([t('col.item'), t('col.value')], (['detected', 'nature', 'stores', 'subjects', 'consequences', 'measures', 'contact'] as const).map((k) => [t(`breach.fill.${k}`), ' '])));
  out.push(`### ${t('breach.gaps')}\n`);
  out.push(b.gaps.length > 0 ? b.gaps.map((g) => `- ${gapText(g, t)}`).join('\n') + '\n' : `${t('breach.noGaps')}\n`);

  h2('provenance');
  out.push(
    table(
      [t('col.item'), t('col.value')],
      [
        ...p.inputs.map((i) => [t('provenance.inputs'), `${code(i.file)} ${code(i.sha256)}`]),
        [t('provenance.inputsHash'), code(p.inputsSha256)],
        [t('provenance.policies', { files: p.policyPack.files }), `${code(p.policyPack.dirs.join(', '))} ${code(p.policyPack.sha256)}`],
        [t('provenance.registry'), `${code(p.registry.file)} ${code(p.registry.sha256)}`],
        [t('provenance.git'), p.git ? (p.git.dirty ? t('provenance.gitDirty', { commit: p.git.commit }) : p.git.commit) : t('provenance.gitNone')],
        [t('provenance.tool'), `${p.tool.name} ${p.tool.version}`],
        [t('provenance.time'), p.generatedAt],
        [t('provenance.date'), p.date],
        [t('provenance.profile'), p.profile],
        [t('provenance.engine'), p.engine],
        [t('provenance.language'), t('language.name')],
      ],
    ),
  );
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}
