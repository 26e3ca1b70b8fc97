/**
 * index.html of the evidence pack: one self-contained file (styles inline, the picture inline as
 * SVG, no script, no font, no request of any kind — its Content-Security-Policy forbids them), laid
 * out for a laptop screen and for print.
 */
import type { Translate } from '../i18n';
import type { Finding, WaiverInfo } from '../report';
import { SEVERITY_ORDER } from '../report';
import type { EvidencePack } from './model';
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
import { SECTIONS } from './sections';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const e = escapeHtml;

const CSS = `
:root { --ink:#1f2933; --muted:#52606d; --line:#cbd2d9; --bad:#c62828; --ok:#2e7d32; --warn:#ef6c00; --bg:#f5f7fa; }
* { box-sizing: border-box; }
body { margin:0; font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color:var(--ink); background:#fff; font-size:14px; line-height:1.45; }
header { padding:20px 32px 12px; border-bottom:3px solid var(--ink); }
header h1 { margin:0; font-size:24px; }
header p { margin:4px 0; color:var(--muted); }
nav { padding:8px 32px; background:var(--bg); border-bottom:1px solid var(--line); }
nav a { margin-right:14px; color:var(--ink); text-decoration:none; white-space:nowrap; }
main { padding:0 32px 32px; max-width:1400px; }
section { margin-top:28px; }
h2 { font-size:19px; border-bottom:1px solid var(--line); padding-bottom:4px; }
h3 { font-size:16px; margin:18px 0 6px; }
table { border-collapse:collapse; width:100%; margin:8px 0 12px; font-size:12.5px; }
th, td { border:1px solid var(--line); padding:4px 6px; text-align:left; vertical-align:top; overflow-wrap:break-word; }
table.inventory td:first-child { min-width:14em; }
table.inventory code { font-size:11px; color:var(--muted); }
th { background:var(--bg); }
.table-wrap { overflow-x:auto; }
.verdict { display:inline-block; padding:6px 12px; border-radius:4px; font-weight:bold; color:#fff; }
.verdict.pass { background:var(--ok); }
.verdict.fail { background:var(--bad); }
.sev-critical, .sev-high { color:var(--bad); font-weight:bold; }
.sev-medium { color:var(--warn); font-weight:bold; }
.sev-low { color:var(--muted); font-weight:bold; }
.basis { display:inline-block; padding:0 6px; border-radius:3px; font-size:11px; border:1px solid var(--muted); }
.basis.law { border-color:var(--ink); background:var(--ink); color:#fff; }
.finding { border:1px solid var(--line); border-left:4px solid var(--bad); padding:6px 10px; margin:8px 0; }
.finding.warn { border-left-color:var(--warn); }
.finding p { margin:3px 0; }
.muted { color:var(--muted); }
.diagram { border:1px solid var(--line); padding:8px; overflow-x:auto; background:#fff; }
.diagram svg { max-width:100%; height:auto; }
.fill td:last-child { height:28px; width:55%; }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size:12px; overflow-wrap:anywhere; }
@media print {
  nav { display:none; }
  body { font-size:11px; }
  header, main { padding-left:0; padding-right:0; }
  section { break-inside:auto; }
  h2, h3 { break-after:avoid; }
  tr, .finding { break-inside:avoid; }
  .table-wrap, .diagram { overflow:visible; }
  a { color:inherit; text-decoration:none; }
}
`;

function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>, cls = ''): string {
  return (
    `<div class="table-wrap"><table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`
  );
}

function findingBlock(f: Finding, t: Translate, warn = false): string {
  const where = f.location ? ` <span class="muted">${e(t('findings.location', { file: f.location.line ? `${f.location.file}:${f.location.line}` : f.location.file }))}</span>` : '';
  return (
    `<div class="finding${warn ? ' warn' : ''}" data-rule="${e(f.rule)}">` +
    `<p><strong>${e(f.rule)}</strong> ${e(f.title)} <span class="sev-${f.severity}">[${e(severityName(f.severity, t))}]</span> ` +
    `<span class="basis ${f.basis}">${e(basisName(f.basis, t))}</span></p>` +
    `<p class="muted">${e(f.law)}</p>` +
    `<p>${e(t('col.resource'))}: <code>${e(f.resource)}</code>${f.site ? ` (${e(f.site)})` : ''}${where}</p>` +
    `<p>${e(f.message)}</p>` +
    `<p>${e(t('col.fix'))}: ${e(f.remediation)}</p></div>`
  );
}

function waiverRow(rule: string, resource: string, w: WaiverInfo): string[] {
  return [e(rule), `<code>${e(resource)}</code>`, e(w.reason), e(w.approved_by), e(w.expires)];
}

export function renderHtml(pack: EvidencePack, svg: string, t: Translate, tag: string): string {
  const inv = pack.inventory;
  const v = pack.verdict;
  const p = pack.provenance;
  const parts: string[] = [];
  const section = (id: string, title: string, body: string) =>
    parts.push(`<section id="${id}" data-section="${id}"><h2>${e(title)}</h2>${body}</section>`);

  // Summary
  section(
    'summary',
    t('section.summary'),
    `<p><span class="verdict ${v.result}">${e(v.result === 'pass' ? t('summary.pass', { profile: v.profile }) : t('summary.fail', { deny: v.deny, profile: v.profile }))}</span></p>` +
      `<ul>` +
      [
        t('summary.counts', { deny: v.deny, critical: v.bySeverity.critical, high: v.bySeverity.high, medium: v.bySeverity.medium, low: v.bySeverity.low, warn: v.warn, waived: v.waived }),
        t('summary.basis', { law: v.byBasis.law, practice: v.byBasis.practice }),
        t('summary.stores', { stores: v.stores, personal: v.personal }),
        t('summary.sites', { kz: v.sitesKz, abroad: v.sitesAbroad }),
        t('summary.abroad', { abroad: v.abroad, unproven: v.unproven }),
        t('summary.watched', { watched: v.watched, audited: v.audited }),
        t('summary.dpo', { dpo: inv.deployment.dpo_contacts.join(', ') || t('value.notDeclared') }),
      ]
        .map((x) => `<li>${e(x)}</li>`)
        .join('') +
      `</ul><p class="muted">${e(t('report.scope'))}</p>`,
  );

  // Inventory: where each store is and how it is kept, its copies, its audit trail, and (for
  // personal data) why it is held
  const cells = inv.stores.map((s) => storeCells(inv, s, t));
  const storeCell = (i: number) => `<strong>${e(cells[i].name)}</strong><br><code>${e(cells[i].address)}</code>`;
  const cols = (...keys: Array<keyof (typeof cells)[number]>) => keys;
  const tableOf = (keys: Array<keyof (typeof cells)[number]>, which: (i: number) => boolean) =>
    table(
      [t('col.store'), ...keys.map((k) => t(STORE_COLUMNS.find(([c]) => c === k)?.[1] ?? 'col.store'))],
      cells.flatMap((c, i) => (which(i) ? [[storeCell(i), ...keys.map((k) => e(c[k]))]] : [])),
      'inventory',
    );
  const all = () => true;
  const personal = (i: number) => inv.stores[i].personal && inv.stores[i].effective_role !== 'audit';
  section(
    'inventory',
    t('section.inventory'),
    tableOf(cols('dataClass', 'role', 'site', 'city', 'jurisdiction', 'operator', 'storage'), all) +
      `<h3>${e(t('section.copies'))}</h3>` +
      tableOf(cols('backups', 'copiesAbroad'), all) +
      `<h3>${e(t('section.auditTrail'))}</h3>` +
      tableOf(cols('audit', 'alerting'), (i) => inv.stores[i].effective_role !== 'audit') +
      `<h3>${e(t('section.purpose'))}</h3>` +
      tableOf(cols('purpose', 'categories', 'consent', 'subjects', 'dpo'), personal),
  );

  // Flows
  const edgeRows = inv.edges.map((x) => [
    `<code>${e(x.source)}</code>`,
    `<code>${e(x.destination)}</code>`,
    e(t(`flow.kind.${x.kind}` as Parameters<Translate>[0])) + (x.via ? ` ${e(x.via)}` : ''),
    e(carriesText(x.kind, x.carries, t)),
    e(edgeProtection(x, t)),
    e(x.destination_site ? siteText(inv, x.destination_site, t) : (x.destination_jurisdiction ?? t('value.notProven'))),
    e(t(`flow.proof.${x.proof}` as Parameters<Translate>[0])),
  ]);
  section(
    'flows',
    t('section.flows'),
    `<figure class="diagram" id="diagram">${svg}</figure><p class="muted">${e(t('flow.legend'))}</p>` +
      `<h3>${e(t('section.edges'))}</h3>` +
      (edgeRows.length > 0
        ? table([t('col.from'), t('col.to'), t('col.kind'), t('col.carries'), t('col.protection'), t('col.jurisdiction'), t('col.proof')], edgeRows)
        : `<p>${e(t('flow.none'))}</p>`),
  );

  // Findings
  let findings = '';
  if (pack.deny.length === 0 && pack.warn.length === 0) findings += `<p>${e(t('findings.none'))}</p>`;
  for (const s of SEVERITY_ORDER) {
    const fs = pack.deny.filter((f) => f.severity === s);
    if (fs.length === 0) continue;
    findings += `<h3 class="sev-${s}">${e(severityName(s, t))} (${fs.length})</h3>${fs.map((f) => findingBlock(f, t)).join('')}`;
  }
  if (pack.warn.length > 0) findings += `<h3>${e(t('findings.warnings'))} (${pack.warn.length})</h3>${pack.warn.map((f) => findingBlock(f, t, true)).join('')}`;
  section('findings', t('section.findings'), findings);

  // Waivers
  const wHead = [t('col.rule'), t('col.resource'), t('col.reason'), t('col.approvedBy'), t('col.expires')];
  let waivers = '';
  if (pack.waived.length + pack.expiredWaivers.length + pack.unusedWaivers.length === 0) waivers = `<p>${e(t('waivers.none'))}</p>`;
  if (pack.waived.length > 0) waivers += `<h3>${e(t('waivers.applied'))}</h3>${table(wHead, pack.waived.map((w) => waiverRow(w.rule, w.resource, w.waiver)))}`;
  if (pack.expiredWaivers.length > 0) waivers += `<h3>${e(t('waivers.expired'))}</h3>${table(wHead, pack.expiredWaivers.map((w) => waiverRow(w.rule, w.resource, w)))}`;
  if (pack.unusedWaivers.length > 0) waivers += `<h3>${e(t('waivers.unused'))}</h3>${table(wHead, pack.unusedWaivers.map((w) => waiverRow(w.rule, w.resource, w)))}`;
  section('waivers', t('section.waivers'), waivers);

  // Erasure
  let erasure = `<p class="muted">${e(t('erasure.intro'))}</p>`;
  if (pack.erasure.length === 0) erasure += `<p>${e(t('erasure.none'))}</p>`;
  for (const x of pack.erasure) {
    const store = inv.stores.find((s) => s.id === x.store);
    erasure +=
      `<h3>${e(t('erasure.store', { store: store?.name ?? x.store, dataClass: className(x.dataClass, t), where: x.site ? siteText(inv, x.site, t) : t('value.notProven') }))}</h3>` +
      table(
        [t('col.place'), t('col.resource'), t('col.how'), t('col.by')],
        x.places.map((pl) => [e(placeKind(pl, t)), e(placeWhere(inv, pl, t)), e(placeHow(pl, t)), e(placeBy(pl, t))]),
      ) +
      `<p><strong>${e(erasureTotal(x, p.date, t))}</strong></p>`;
  }
  section('erasure', t('section.erasure'), erasure);

  // Breach readiness
  const b = pack.breach;
  const breach =
    `<p>${e(t('breach.intro'))}</p>` +
    table(
      [t('col.item'), t('col.value')],
      [
        [e(t('breach.authority')), e(t('breach.authority.value'))],
        [e(t('breach.deadline')), e(t('breach.deadline.value'))],
        [e(t('breach.responsible')), e(b.dpo.join(', ') || t('value.notDeclared'))],
      ],
    ) +
    `<h3>${e(t('breach.detection'))}</h3><ul>${b.stores.map((s) => `<li>${e(detectionText(s, t))}</li>`).join('')}</ul>` +
    `<h3>${e(t('breach.stores'))}</h3>` +
    table(
      [t('col.store'), t('col.dataClass'), t('col.categories'), t('col.subjects'), t('col.purpose'), t('breach.where')],
      b.stores.map((s) => [
        `<code>${e(s.store)}</code>`,
        e(s.dataClass === null ? t('value.unknown') : className(s.dataClass, t)),
        e(s.categories.join(', ') || t('value.notDeclared')),
        e(s.subjects ?? t('value.notDeclared')),
        e(s.purpose ?? t('value.notDeclared')),
        e(s.places.map((pl) => `${t(`erasure.place.${pl.kind === 'audit' ? 'audit' : pl.kind}` as Parameters<Translate>[0])}: ${pl.where ?? t('value.notProven')} (${pl.jurisdiction ?? t('value.notProven')})`).join('; ')),
      ]),
    ) +
    `<h3>${e(t('breach.fill'))}</h3>` +
    table(
      [t('col.item'), t('col.value')],
      (['detected', 'nature', 'stores', 'subjects', 'consequences', 'measures', 'contact'] as const).map((k) => [e(t(`breach.fill.${k}`)), '']),
      'fill',
    ) +
    `<h3>${e(t('breach.gaps'))}</h3>` +
    (b.gaps.length > 0 ? `<ul>${b.gaps.map((g) => `<li>${e(gapText(g, t))}</li>`).join('')}</ul>` : `<p>${e(t('breach.noGaps'))}</p>`);
  section('breach', t('section.breach'), breach);

  // Provenance
  const prov = [
    ...p.inputs.map((i) => [e(t('provenance.inputs')), `<code>${e(i.file)}</code><br><code>${e(i.sha256)}</code>`]),
    [e(t('provenance.inputsHash')), `<code>${e(p.inputsSha256)}</code>`],
    [e(t('provenance.policies', { files: p.policyPack.files })), `<code>${e(p.policyPack.dirs.join(', '))}</code><br><code>${e(p.policyPack.sha256)}</code>`],
    [e(t('provenance.registry')), `<code>${e(p.registry.file)}</code><br><code>${e(p.registry.sha256)}</code>`],
    [e(t('provenance.git')), e(p.git ? (p.git.dirty ? t('provenance.gitDirty', { commit: p.git.commit }) : p.git.commit) : t('provenance.gitNone'))],
    [e(t('provenance.tool')), e(`${p.tool.name} ${p.tool.version}`)],
    [e(t('provenance.time')), e(p.generatedAt)],
    [e(t('provenance.date')), e(p.date)],
    [e(t('provenance.profile')), e(p.profile)],
    [e(t('provenance.engine')), e(p.engine)],
    [e(t('provenance.language')), e(t('language.name'))],
  ];
  section('provenance', t('section.provenance'), table([t('col.item'), t('col.value')], prov));

  const nav = SECTIONS.map((s) => `<a href="#${s.id}">${e(t(s.title))}</a>`).join('');
  return `<!DOCTYPE html>
<html lang="${e(tag)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="kz-residency ${e(p.tool.version)}">
<title>${e(t('report.title'))}: ${e(pack.deployment)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${e(t('report.title'))}: ${e(pack.deployment)}</h1><p>${e(t('report.subtitle'))}</p><p class="muted">${e(t('report.generated', { time: p.generatedAt, version: p.tool.version }))}</p></header>
<nav aria-label="${e(t('report.contents'))}">${nav}</nav>
<main>
${parts.join('\n')}
</main>
</body>
</html>
`;
}
