/**
 * The erasure map: for each personal-data store a deletion request is made in (a primary), every
 * place the data has copies — the primary, the standbys and replicas the inventory links to it,
 * each one's backups, and the audit logs on their sites — how the deletion reaches each, and, from
 * the retentions the configuration states, within how many days the last copy is gone. A copy
 * whose retention the inputs do not state makes that date not provable; the map says so instead of
 * guessing.
 */
import type { EdgeRow, Inventory, StoreRow } from './inventory';

export type PlaceKind = 'primary' | 'standby' | 'replica' | 'backup' | 'audit';

export interface ErasurePlace {
  readonly kind: PlaceKind;
  /** The store (for primary, standby, replica, audit) or the store whose backup it is. */
  readonly store: string;
  /** A backup's endpoint. */
  readonly endpoint?: string;
  readonly site: string | null;
  readonly jurisdiction: string | null;
  readonly inKz: boolean;
  /** How a deletion reaches it. */
  readonly how: 'delete' | 'replication' | 'retention' | 'retention-unknown' | 'audit-lock' | 'audit-unknown';
  /** Retention as written, for backups and audit logs. */
  readonly retention: string | null;
  /** Days after the deletion by which this copy is gone: 0 at once, null when not provable. */
  readonly days: number | null;
  /** For audit logs: whether bound values are logged (null: not stated). */
  readonly parameters?: boolean | null;
  /** The link to this copy is a construct's declaration, not read from replication settings. */
  readonly declared: boolean;
}

export interface ErasureEntry {
  readonly store: string;
  readonly dataClass: string;
  readonly site: string | null;
  readonly jurisdiction: string | null;
  readonly places: readonly ErasurePlace[];
  /** Days until the last copy is gone; null when some copy's retention is not stated. */
  readonly withinDays: number | null;
  /** What makes `withinDays` not provable (store or site ids). */
  readonly unknown: ReadonlyArray<{ readonly kind: 'backup' | 'audit'; readonly subject: string }>;
}

const DAY_UNITS: Record<string, number> = { d: 1, w: 7, m: 30, y: 365 };

/**
 * Days of a retention as configurations write it: `30d`, `4w`, `3m` (Barman's months, counted as
 * 30 days), `1y`, `720h` (Loki), or a bare number of days. Undefined when unreadable.
 */
export function retentionDays(text: string | null): number | undefined {
  if (text === null) return undefined;
  const t = text.trim().toLowerCase();
  const hours = /^([0-9]+)h$/.exec(t);
  if (hours) return Math.ceil(Number(hours[1]) / 24);
  const m = /^([0-9]+)\s*([dwmy])?$/.exec(t);
  if (!m) return undefined;
  return Number(m[1]) * DAY_UNITS[m[2] ?? 'd'];
}

/** The audit log store on a site: the inventory's stores with role audit. */
function auditStoresOn(inv: Inventory, site: string | null): StoreRow[] {
  if (site === null) return [];
  return inv.stores.filter((s) => s.effective_role === 'audit' && s.site === site);
}

/** Copies of `source` through replication edges, transitively (standbys of standbys, replicas fed from a tunnel). */
function copiesOf(inv: Inventory, source: StoreRow): Array<{ store: StoreRow; declared: boolean }> {
  const byId = new Map(inv.stores.map((s) => [s.id, s]));
  const out = new Map<string, { store: StoreRow; declared: boolean }>();
  const replication = inv.edges.filter((e): e is EdgeRow => e.kind === 'replication' || e.kind === 'logical-replication');
  const queue: Array<{ id: string; declared: boolean }> = [{ id: source.id, declared: false }];
  while (queue.length > 0) {
    const { id, declared } = queue.shift() as { id: string; declared: boolean };
    for (const e of replication) {
      if (e.source !== id) continue;
      const to = byId.get(e.destination);
      if (!to || to.id === source.id) continue;
      const d = declared || e.proof === 'declared';
      const known = out.get(to.id);
      if (known && !(known.declared && !d)) continue;
      out.set(to.id, { store: to, declared: d });
      queue.push({ id: to.id, declared: d });
    }
  }
  return [...out.values()];
}

function placeOf(s: StoreRow, kind: PlaceKind, how: ErasurePlace['how'], days: number | null, declared: boolean): ErasurePlace {
  return {
    kind,
    store: s.id,
    site: s.site,
    jurisdiction: s.jurisdictions.length === 1 ? s.jurisdictions[0] : null,
    inKz: s.in_kz,
    how,
    retention: null,
    days,
    declared,
  };
}

function backupPlaces(s: StoreRow, declared: boolean): ErasurePlace[] {
  return s.backups.map((b) => {
    const days = retentionDays(b.retention);
    return {
      kind: 'backup' as const,
      store: s.id,
      endpoint: b.endpoint,
      site: b.site,
      jurisdiction: b.jurisdiction,
      inKz: b.jurisdiction === 'KZ',
      how: days === undefined ? ('retention-unknown' as const) : ('retention' as const),
      retention: b.retention,
      days: days ?? null,
      declared,
    };
  });
}

export function erasureMap(inv: Inventory): ErasureEntry[] {
  const primaries = inv.stores.filter((s) => s.personal && s.effective_role === 'primary');
  return primaries.map((p) => {
    const copies = copiesOf(inv, p);
    const places: ErasurePlace[] = [placeOf(p, 'primary', 'delete', 0, false), ...backupPlaces(p, false)];
    for (const c of copies) {
      const kind: PlaceKind = c.store.effective_role === 'standby' ? 'standby' : 'replica';
      places.push(placeOf(c.store, kind, 'replication', 0, c.declared), ...backupPlaces(c.store, c.declared));
    }
    // Audit logs of every site holding the data: they record the statements that read and deleted it.
    const holders = [p, ...copies.map((c) => c.store)].filter((s) => s.audit_logging);
    const seen = new Set<string>();
    for (const h of holders) {
      for (const a of auditStoresOn(inv, h.site)) {
        if (seen.has(a.id)) continue;
        seen.add(a.id);
        const retention = a.backups.find((b) => b.retention)?.retention ?? null;
        const lock = auditLockDays(inv, a);
        places.push({
          kind: 'audit',
          store: a.id,
          site: a.site,
          jurisdiction: a.jurisdictions.length === 1 ? a.jurisdictions[0] : null,
          inKz: a.in_kz,
          how: lock === undefined ? 'audit-unknown' : 'audit-lock',
          retention: lock === undefined ? retention : `${lock}d`,
          days: lock ?? null,
          parameters: h.audit_parameters,
          declared: false,
        });
      }
    }
    const unknown = places
      .filter((x) => x.days === null)
      .map((x) => (x.kind === 'audit' ? { kind: 'audit' as const, subject: x.site ?? x.store } : { kind: 'backup' as const, subject: x.store }));
    const withinDays = unknown.length > 0 ? null : Math.max(0, ...places.map((x) => x.days ?? 0));
    return {
      store: p.id,
      dataClass: p.data_class ?? 'unclassified',
      site: p.site,
      jurisdiction: p.jurisdictions.length === 1 ? p.jurisdictions[0] : null,
      places,
      withinDays,
      unknown: dedupe(unknown),
    };
  });
}

/**
 * The lock of an audit log store in days, as its site's log store configures it: the retention of
 * the audit trail's Loki (which keeps its chunks in that store) when the inventory gives one.
 */
function auditLockDays(inv: Inventory, auditStore: StoreRow): number | undefined {
  const logStore = inv.logStores.find((l) => l.site === auditStore.site && l.retention !== null);
  return logStore ? retentionDays(logStore.retention) : undefined;
}

function dedupe<T>(xs: T[]): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = JSON.stringify(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** `date` + `days` as an ISO date (UTC). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
