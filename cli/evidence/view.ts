/**
 * What a person reads in each cell of the pack, in the report's language, shared by the HTML,
 * Markdown and CSV renderers: a value the inventory does not have is "unknown", a location it does
 * not prove is "not proven", and nothing is filled in from a name.
 */
import type { Translate, TextKey } from '../i18n';
import type { Finding, Severity } from '../report';
import type { EdgeRow, Inventory, StoreRow } from './inventory';
import type { ErasureEntry, ErasurePlace } from './erasure';
import { addDays } from './erasure';
import type { BreachStore, EvidencePack } from './model';

const ROLES = ['primary', 'standby', 'replica', 'backup', 'cache', 'gateway', 'audit'];
const CLASSES = ['personal', 'biometric', 'special', 'case', 'public'];

export function className(c: string | null, t: Translate): string {
  return CLASSES.includes(c ?? '') ? t(`class.${c}` as TextKey) : t('class.unclassified');
}

/** What a flow carries: a data class, or audit records (shipped to a log store, kept in its storage, or as alerts). */
export function carriesText(kind: string, carries: string, t: Translate): string {
  if (carries === 'audit') return t(kind === 'alerting' ? 'flow.kind.alerting' : 'flow.auditRecords');
  return className(carries, t);
}

export function roleName(r: string | null, t: Translate): string {
  if (r === null) return t('value.unknown');
  return ROLES.includes(r) ? t(`role.${r}` as TextKey) : r;
}

export function severityName(s: Severity, t: Translate): string {
  return t(`findings.severity.${s}` as TextKey);
}

export function basisName(b: Finding['basis'], t: Translate): string {
  return t(`findings.basis.${b}` as TextKey);
}

/** "kz-ala-1 (Almaty, KZ)", or "not proven" (with the reason when known). */
export function siteText(inv: Inventory, site: string | null, t: Translate): string {
  if (site === null) return t('value.notProven');
  const s = inv.sites.find((x) => x.id === site);
  return t('site.entry', { site, city: s?.city ?? t('value.unknown'), jurisdiction: s?.jurisdiction ?? t('value.unknown') });
}

/** Where a store is: its site, its cloud regions, or "not proven". */
export function storeWhere(inv: Inventory, s: StoreRow, t: Translate): string {
  if (s.site) return siteText(inv, s.site, t);
  if (s.jurisdictions.length > 0)
    return s.regions.map((r) => `${r.cloud} ${r.region ?? r.value} (${r.jurisdiction ?? t('value.unknown')})`).join(', ');
  return t('value.notProven');
}

export function storeJurisdiction(s: StoreRow, t: Translate): string {
  return s.jurisdictions.length > 0 ? s.jurisdictions.join(', ') : t('value.notProven');
}

export function storeCity(inv: Inventory, s: StoreRow, t: Translate): string {
  if (!s.site) return s.jurisdictions.length > 0 ? [...new Set(s.regions.map((r) => r.place).filter((p): p is string => !!p))].join(', ') || t('value.unknown') : t('value.notProven');
  return inv.sites.find((x) => x.id === s.site)?.city ?? t('value.unknown');
}

export function storeOperator(inv: Inventory, s: StoreRow, t: Translate): string {
  if (!s.site) return s.platform === 'cloud' && s.regions.length > 0 ? s.regions[0].cloud : t('value.unknown');
  return inv.sites.find((x) => x.id === s.site)?.operator ?? t('value.unknown');
}

export function storageText(s: StoreRow, t: Translate): string {
  const parts = s.storage.map((c) =>
    !c.registered ? t('storage.unregistered', { class: c.class }) : c.encrypted ? t('storage.encrypted', { class: c.class }) : t('storage.plain', { class: c.class }),
  );
  if (s.storage_unknown) parts.push(t('storage.unknownClass'));
  return parts.length > 0 ? parts.join('; ') : t('value.unknown');
}

export function backupsText(inv: Inventory, s: StoreRow, t: Translate): string {
  if (s.backups.length === 0) return t('value.none');
  return s.backups
    .map((b) =>
      t('backup.entry', {
        endpoint: b.endpoint,
        where: b.site ? siteText(inv, b.site, t) : t('backup.unregistered'),
        retention: b.retention ?? t('value.unknown'),
        encryption: b.encrypted ? t('backup.encrypted') : t('backup.plain'),
      }),
    )
    .join('; ');
}

/** Replication edges out of `s`, followed through copies. */
function downstream(inv: Inventory, s: StoreRow): StoreRow[] {
  const byId = new Map(inv.stores.map((x) => [x.id, x]));
  const out: StoreRow[] = [];
  const seen = new Set([s.id]);
  const queue = [s.id];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    for (const e of inv.edges) {
      if (!(e.kind === 'replication' || e.kind === 'logical-replication') || e.source !== id || seen.has(e.destination)) continue;
      const d = byId.get(e.destination);
      if (!d) continue;
      seen.add(d.id);
      out.push(d);
      queue.push(d.id);
    }
  }
  return out;
}

/** Copies of the store's data outside Kazakhstan: replicas abroad and backups not on a Kazakh site. */
export function copiesAbroadText(inv: Inventory, s: StoreRow, t: Translate): string {
  const replicas = downstream(inv, s).filter((d) => d.jurisdictions.some((j) => j !== 'KZ'));
  const own = s.jurisdictions.some((j) => j !== 'KZ') && s.effective_role !== 'primary' ? [s] : [];
  const entries = [...own, ...replicas].map((d) =>
    t('abroad.entry', {
      store: d.name ?? d.id,
      where: storeWhere(inv, d, t),
      agreement: d.transfer_agreement ?? t('value.notDeclared'),
      basis: d.legal_basis ?? t('value.notDeclared'),
    }),
  );
  for (const b of s.backups) {
    if (b.jurisdiction === 'KZ') continue;
    entries.push(
      t('abroad.entry', {
        store: `${t('flow.kind.backup')} ${b.endpoint}`,
        where: b.site ? siteText(inv, b.site, t) : t('backup.unregistered'),
        agreement: s.transfer_agreement ?? t('value.notDeclared'),
        basis: s.legal_basis ?? t('value.notDeclared'),
      }),
    );
  }
  return entries.length > 0 ? entries.join('; ') : t('value.none');
}

export function auditText(s: StoreRow, t: Translate): string {
  if (!s.audit_logging) return t('audit.off');
  const params = s.audit_parameters === true ? t('audit.parameters') : s.audit_parameters === false ? t('audit.noParameters') : null;
  return params ? `${t('audit.on')} (${params})` : t('audit.on');
}

export function alertingText(s: StoreRow, t: Translate): string {
  if (!s.audit_logging) return t('value.none');
  if (!s.audit_collected) return t('alerting.notCollected');
  if (s.alerting.watched)
    return t('alerting.watched', { count: s.alerting.rules.length, rules: s.alerting.rules.join(', '), recipients: s.alerting.recipients.join(', ') || t('value.unknown') });
  return t('alerting.notWatched', { problem: s.alerting.problem ?? t('value.unknown') });
}

export function dpoText(inv: Inventory, s: StoreRow, t: Translate): string {
  if (s.dpo_contact) return s.dpo_contact;
  if (inv.deployment.dpo_contacts.length > 0) return inv.deployment.dpo_contacts.join(', ');
  return t('value.notDeclared');
}

export function edgeProtection(e: EdgeRow, t: Translate): string {
  const enc = e.encrypted === true ? t('flow.encrypted') : e.encrypted === false ? t('flow.notEncrypted') : null;
  const parts = [enc, e.protection].filter((x): x is string => !!x);
  return parts.length > 0 ? parts.join('; ') : t('value.unknown');
}

/** One row of the inventory: every column of inventory.csv, as text. */
export interface StoreCells {
  readonly name: string;
  readonly address: string;
  readonly dataClass: string;
  readonly role: string;
  readonly site: string;
  readonly city: string;
  readonly jurisdiction: string;
  readonly operator: string;
  readonly storage: string;
  readonly backups: string;
  readonly copiesAbroad: string;
  readonly purpose: string;
  readonly categories: string;
  readonly consent: string;
  readonly subjects: string;
  readonly dpo: string;
  readonly audit: string;
  readonly alerting: string;
}

export function storeCells(inv: Inventory, s: StoreRow, t: Translate): StoreCells {
  const unknown = t('value.unknown');
  const personal = s.personal;
  const declared = (v: string | null) => v ?? (personal ? t('value.notDeclared') : unknown);
  return {
    name: s.name ?? s.id,
    address: s.id,
    dataClass: className(s.data_class, t),
    role: roleName(s.role ?? s.effective_role, t),
    site: s.site ?? t('value.notProven'),
    city: storeCity(inv, s, t),
    jurisdiction: storeJurisdiction(s, t),
    operator: storeOperator(inv, s, t),
    storage: storageText(s, t),
    backups: backupsText(inv, s, t),
    copiesAbroad: copiesAbroadText(inv, s, t),
    purpose: declared(s.purpose),
    categories: s.data_categories.length > 0 ? s.data_categories.join(', ') : declared(null),
    consent: declared(s.consent_source),
    subjects: s.data_subjects ?? (personal ? t('value.notDeclared') : unknown),
    dpo: dpoText(inv, s, t),
    audit: auditText(s, t),
    alerting: alertingText(s, t),
  };
}

/** Column order and headings of inventory.csv (and of the inventory tables). */
export const STORE_COLUMNS: ReadonlyArray<[keyof StoreCells, TextKey]> = [
  ['name', 'col.name'],
  ['address', 'col.address'],
  ['dataClass', 'col.dataClass'],
  ['role', 'col.role'],
  ['site', 'col.site'],
  ['city', 'col.city'],
  ['jurisdiction', 'col.jurisdiction'],
  ['operator', 'col.operator'],
  ['storage', 'col.storage'],
  ['backups', 'col.backups'],
  ['copiesAbroad', 'col.copiesAbroad'],
  ['purpose', 'col.purpose'],
  ['categories', 'col.categories'],
  ['consent', 'col.consent'],
  ['subjects', 'col.subjects'],
  ['dpo', 'col.dpo'],
  ['audit', 'col.audit'],
  ['alerting', 'col.alerting'],
];

// ---------------------------------------------------------------------------------------------
// Erasure places and breach detection, as text
// ---------------------------------------------------------------------------------------------


export function placeKind(p: ErasurePlace, t: Translate): string {
  return t(`erasure.place.${p.kind}` as TextKey);
}

export function placeWhere(inv: Inventory, p: ErasurePlace, t: Translate): string {
  const site = p.site ? siteText(inv, p.site, t) : p.jurisdiction ? p.jurisdiction : t('value.notProven');
  return p.endpoint ? `${p.endpoint} — ${site}` : `${p.store} — ${site}`;
}

export function placeHow(p: ErasurePlace, t: Translate): string {
  const params = p.parameters === true ? t('erasure.parameters.on') : p.parameters === false ? t('erasure.parameters.off') : t('erasure.parameters.unknown');
  const declared = p.declared ? ` ${t('erasure.declared')}` : '';
  switch (p.how) {
    case 'delete':
      return t('erasure.how.primary');
    case 'replication':
      return t('erasure.how.replication') + declared;
    case 'retention':
      return t('erasure.how.backup', { retention: p.retention ?? t('value.unknown') }) + declared;
    case 'retention-unknown':
      return t('erasure.how.backupUnknown') + declared;
    case 'audit-lock':
      return t('erasure.how.audit', { days: p.days ?? t('value.unknown'), parameters: params });
    case 'audit-unknown':
      return t('erasure.how.auditUnknown', { parameters: params });
  }
}

export function placeBy(p: ErasurePlace, t: Translate): string {
  if (p.how === 'delete') return t('erasure.by.now');
  if (p.how === 'replication') return t('erasure.by.replication');
  return p.days === null ? t('erasure.by.unknown') : t('erasure.by.days', { days: p.days });
}

export function erasureTotal(e: ErasureEntry, date: string, t: Translate): string {
  if (e.withinDays !== null) return t('erasure.total', { days: e.withinDays, date, until: addDays(date, e.withinDays) });
  const reason = e.unknown
    .map((u) => (u.kind === 'backup' ? t('erasure.unknown.backup', { store: u.subject }) : t('erasure.unknown.audit', { site: u.subject })))
    .join('; ');
  return t('erasure.totalUnknown', { reason });
}

export function detectionText(b: BreachStore, t: Translate): string {
  switch (b.detection) {
    case 'watched':
      return t('breach.detection.watched', { store: b.store, rules: b.rules.join(', '), recipients: b.recipients.join(', ') || t('value.unknown') });
    case 'not-watched':
      return t('breach.detection.notWatched', { store: b.store, problem: b.problem ?? t('value.unknown') });
    case 'not-collected':
      return t('breach.detection.notCollected', { store: b.store });
    case 'not-logged':
      return t('breach.detection.notWatched', { store: b.store, problem: t('audit.off') });
  }
}

export function gapText(g: EvidencePack['breach']['gaps'][number], t: Translate): string {
  switch (g.kind) {
    case 'dpo':
      return t('breach.gap.dpo');
    case 'watch':
      return t('breach.gap.watch', { store: g.store ?? '' });
    case 'subjects':
      return t('breach.gap.subjects', { store: g.store ?? '' });
    case 'categories':
      return t('breach.gap.categories', { store: g.store ?? '' });
  }
}
