/**
 * The evidence pack as one model, built once and rendered as HTML, Markdown, CSV and JSON: the
 * verdict, the inventory, the flows, the findings with their legal basis, the waivers, the erasure
 * map, breach readiness and provenance. Everything comes from the check result and the pack's
 * inventory; the model adds no fact of its own.
 */
import type { CheckResult, Finding, RuleMeta, Severity, WaivedFinding, WaiverReport } from '../report';
import { SEVERITY_ORDER } from '../report';
import type { Language } from '../i18n';
import { erasureMap, type ErasureEntry } from './erasure';
import type { Inventory, StoreRow } from './inventory';
import type { Provenance } from './provenance';

export interface BreachStore {
  readonly store: string;
  readonly dataClass: string | null;
  readonly categories: readonly string[];
  readonly subjects: string | null;
  readonly purpose: string | null;
  readonly consentSource: string | null;
  /** Where its data is: the store and every copy (sites, or endpoints for backups). */
  readonly places: ReadonlyArray<{ readonly kind: string; readonly where: string | null; readonly jurisdiction: string | null }>;
  readonly detection: 'watched' | 'not-watched' | 'not-collected' | 'not-logged';
  readonly rules: readonly string[];
  readonly recipients: readonly string[];
  readonly problem: string | null;
}

export interface BreachReadiness {
  readonly dpo: readonly string[];
  readonly stores: readonly BreachStore[];
  readonly gaps: ReadonlyArray<{ readonly kind: 'dpo' | 'watch' | 'subjects' | 'categories'; readonly store?: string }>;
}

export interface Verdict {
  readonly result: 'pass' | 'fail';
  readonly profile: string;
  readonly deny: number;
  readonly warn: number;
  readonly waived: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly byBasis: { readonly law: number; readonly practice: number };
  readonly stores: number;
  readonly personal: number;
  readonly sitesKz: number;
  readonly sitesAbroad: number;
  readonly abroad: number;
  readonly unproven: number;
  readonly watched: number;
  readonly audited: number;
}

export interface EvidencePack {
  readonly language: Language;
  readonly deployment: string;
  readonly verdict: Verdict;
  readonly inventory: Inventory;
  readonly deny: readonly Finding[];
  readonly warn: readonly Finding[];
  readonly waived: readonly WaivedFinding[];
  readonly expiredWaivers: readonly WaiverReport[];
  readonly unusedWaivers: readonly WaiverReport[];
  readonly erasure: readonly ErasureEntry[];
  readonly breach: BreachReadiness;
  readonly rules: readonly RuleMeta[];
  readonly provenance: Provenance;
}

// where a store that is not a primary holds the data, by its role (a role the catalogues do not name is a store)
const PLACE_OF_ROLE: Readonly<Record<string, string>> = { primary: 'primary', standby: 'standby', replica: 'replica', backup: 'backup', cache: 'cache', audit: 'audit' };

function breachReadiness(inv: Inventory, erasure: readonly ErasureEntry[]): BreachReadiness {
  const personal = inv.stores.filter((s) => s.personal && s.effective_role !== 'audit');
  const stores = personal.map((s): BreachStore => {
    const e = erasure.find((x) => x.store === s.id);
    const places = e
      ? e.places.map((p) => ({ kind: p.kind, where: p.kind === 'backup' ? (p.endpoint ?? null) : p.site, jurisdiction: p.jurisdiction }))
      : [{ kind: PLACE_OF_ROLE[s.effective_role] ?? 'store', where: s.site, jurisdiction: s.jurisdictions.length === 1 ? s.jurisdictions[0] : null }];
    return {
      store: s.id,
      dataClass: s.data_class,
      categories: s.data_categories,
      subjects: s.data_subjects,
      purpose: s.purpose,
      consentSource: s.consent_source,
      places,
      detection: detection(s),
      rules: s.alerting.rules,
      recipients: s.alerting.recipients,
      problem: s.alerting.problem,
    };
  });
  const gaps: BreachReadiness['gaps'][number][] = [];
  if (inv.deployment.dpo_contacts.length === 0) gaps.push({ kind: 'dpo' });
  for (const b of stores) {
    if (b.detection !== 'watched') gaps.push({ kind: 'watch', store: b.store });
  }
  for (const b of stores) {
    if (b.subjects === null) gaps.push({ kind: 'subjects', store: b.store });
    if (b.categories.length === 0) gaps.push({ kind: 'categories', store: b.store });
  }
  return { dpo: inv.deployment.dpo_contacts, stores, gaps };
}

function detection(s: StoreRow): BreachStore['detection'] {
  if (!s.audit_logging) return 'not-logged';
  if (!s.audit_collected) return 'not-collected';
  return s.alerting.watched ? 'watched' : 'not-watched';
}

export interface PackInput {
  readonly language: Language;
  readonly deployment: string;
  readonly result: CheckResult;
  readonly rules: readonly RuleMeta[];
  readonly inventory: Inventory;
  readonly provenance: Provenance;
}

export function buildPack(i: PackInput): EvidencePack {
  const inv = i.inventory;
  const erasure = erasureMap(inv);
  const r = i.result;
  const audited = inv.stores.filter((s) => s.personal && s.effective_role !== 'audit' && s.audit_logging && s.audit_collected);
  const verdict: Verdict = {
    result: r.summary.result,
    profile: r.summary.profile,
    deny: r.deny.length,
    warn: r.warn.length,
    waived: r.waived.length,
    bySeverity: Object.fromEntries(SEVERITY_ORDER.map((s) => [s, r.deny.filter((f) => f.severity === s).length])) as Record<Severity, number>,
    byBasis: { law: r.deny.filter((f) => f.basis === 'law').length, practice: r.deny.filter((f) => f.basis === 'practice').length },
    stores: inv.stores.length,
    personal: inv.stores.filter((s) => s.personal).length,
    sitesKz: inv.sites.filter((s) => s.kz).length,
    sitesAbroad: inv.sites.filter((s) => !s.kz).length,
    abroad: inv.stores.filter((s) => s.jurisdictions.some((j) => j !== 'KZ')).length,
    unproven: inv.stores.filter((s) => !s.proven).length,
    watched: audited.filter((s) => s.alerting.watched).length,
    audited: audited.length,
  };
  return {
    language: i.language,
    deployment: i.deployment,
    verdict,
    inventory: inv,
    deny: r.deny,
    warn: r.warn,
    waived: r.waived,
    expiredWaivers: r.expired_waivers,
    unusedWaivers: r.unused_waivers,
    erasure,
    breach: breachReadiness(inv, erasure),
    rules: i.rules,
    provenance: i.provenance,
  };
}
