/**
 * The deployment's inventory as the policy pack states it (`data.kz.residency.inventory`), read
 * into typed rows with every address put back where the user wrote it (the construct path of a
 * synth output, the plan address of a plan). Nothing here works a fact out of the plan itself:
 * what the pack does not say stays null, and the report prints it as unknown.
 */
import type { JsonValue, PolicyEngine } from '../../engine/engine';
import { UsageError } from '../errors';
import { displayName, type PreparedDeployment } from '../evaluate';

export const INVENTORY_ENTRYPOINT = 'kz/residency/inventory/inventory';

export interface StorageClassRow {
  readonly class: string;
  /** Whether the store's proven site registers this class. */
  readonly registered: boolean;
  /** What the registry says; null when the class is not registered there (or the site is unproven). */
  readonly encrypted: boolean | null;
}

export interface BackupRow {
  readonly endpoint: string;
  readonly encrypted: boolean;
  /** The registered site of the object storage, or null when no site registers it. */
  readonly site: string | null;
  readonly jurisdiction: string | null;
  /** As written in the backup configuration (e.g. `30d`), or null when it states none. */
  readonly retention: string | null;
}

export interface StoreAlerting {
  readonly watched: boolean;
  readonly rules: readonly string[];
  readonly recipients: readonly string[];
  readonly problem: string | null;
}

export interface StoreRow {
  /** How the report names it: its construct path (synth) or plan address. */
  readonly id: string;
  /** The address the policies evaluated (in the combined deployment). */
  readonly evaluated: string;
  /** The plan address in its own input. */
  readonly address: string;
  /** The stack or plan file it is in. */
  readonly input: string | null;
  readonly kind: string;
  readonly engine: string | null;
  readonly platform: 'kubernetes' | 'cloud' | 'other';
  readonly type: string;
  readonly namespace: string | null;
  readonly name: string | null;
  readonly data_class: string | null;
  readonly class_claims: readonly string[];
  readonly personal: boolean;
  readonly role: string | null;
  readonly effective_role: string;
  readonly site_claims: readonly string[];
  readonly site: string | null;
  readonly proven: boolean;
  readonly in_kz: boolean;
  readonly jurisdictions: readonly string[];
  readonly where: string;
  readonly unproven_reason: string | null;
  readonly regions: ReadonlyArray<{ cloud: string; value: string; region: string | null; jurisdiction: string | null; place: string | null }>;
  readonly storage: readonly StorageClassRow[];
  readonly storage_unknown: boolean;
  readonly tls_required: boolean;
  readonly audit_logging: boolean;
  readonly audit_parameters: boolean | null;
  readonly audit_collected: boolean;
  readonly alerting: StoreAlerting;
  readonly read_only: boolean;
  readonly backups: readonly BackupRow[];
  /** The gateways a copy of another store comes through (lib/flows), or null when none does. */
  readonly tunnel: { readonly through: readonly string[]; readonly encrypted: boolean; readonly protection: string } | null;
  readonly transfer_agreement: string | null;
  readonly legal_basis: string | null;
  readonly purpose: string | null;
  readonly data_categories: readonly string[];
  readonly consent_source: string | null;
  readonly data_subjects: string | null;
  readonly dpo_contact: string | null;
}

export interface SiteRow {
  readonly id: string;
  readonly jurisdiction: string;
  readonly kz: boolean;
  readonly city: string | null;
  readonly operator: string | null;
  readonly kind: 'kubernetes' | 'cloud';
  readonly object_storage: readonly string[];
  readonly log_sinks: readonly string[];
  readonly capture_hosts: readonly string[];
}

export interface GatewayRow {
  readonly id: string;
  readonly evaluated: string;
  /** Where its forwards connect to, as its configuration writes them. */
  readonly targets: readonly string[];
  /** `kz` on a Kazakh site, `abroad` on a site proven elsewhere, null when unproven. */
  readonly side: string | null;
  /** The profiles of its forwards (`gost-tls`, `wireguard`, `tls`, `plain`, ...), joined by `+`. */
  readonly profile: string | null;
  /** The gateways at the other end that the plan holds. */
  readonly peers: readonly string[];
  readonly peer_site: string | null;
  readonly site: string | null;
  readonly proven: boolean;
  readonly in_kz: boolean;
  readonly jurisdictions: readonly string[];
  readonly data_class: string | null;
}

export type EdgeKind =
  | 'backup'
  | 'dump'
  | 'volume-backup'
  | 'replication'
  | 'logical-replication'
  | 'tunnel'
  | 'service-alias'
  | 'first-touch'
  | 'alerting'
  | 'log-shipping'
  | 'log-storage'
  | (string & {});

export interface EdgeRow {
  readonly kind: EdgeKind;
  /** A node id: a store's or gateway's id, a capture host, an endpoint URL. */
  readonly source: string;
  readonly destination: string;
  readonly destination_kind: string;
  readonly destination_site: string | null;
  readonly destination_jurisdiction: string | null;
  readonly carries: string;
  readonly encrypted: boolean | null;
  readonly protection: string | null;
  /** The mechanism (the flow inventory's), or the collector or tunnel it goes by. */
  readonly via: string | null;
  /** Gateways a copy passes on its way (flow edges), as the report names them. */
  readonly through?: readonly string[];
  /** What configures the flow (a flow edge's resource: the store, job, collector, alias or gateway), as the report names it. */
  readonly resource?: string;
  /** `configuration` (read from what the plan configures) or `declared` (a construct's annotation). */
  readonly proof: 'configuration' | 'declared';
}

export interface CaptureRow {
  readonly host: string;
  readonly sites: readonly string[];
  readonly entries: readonly string[];
  readonly fronts: readonly string[];
}

export interface AlertRuleRow {
  readonly loki: string;
  readonly source: string;
  readonly tenant: string;
  readonly group: string;
  readonly alert: string;
  readonly severity: string | null;
}

export interface AlertRouteRow {
  readonly ruler: string;
  readonly alertmanager: string;
  readonly receivers: readonly string[];
  readonly recipients: readonly string[];
}

export interface LogStoreRow {
  readonly id: string;
  readonly site: string | null;
  /** Loki's `limits_config.retention_period` (e.g. `26280h`), or null when not set. */
  readonly retention: string | null;
  /** Loki's `limits_config.deletion_mode` (`disabled`: no delete API), or null when not set. */
  readonly deletion: string | null;
  readonly alertsTo: readonly string[];
}

export interface Inventory {
  readonly stores: readonly StoreRow[];
  readonly sites: readonly SiteRow[];
  readonly gateways: readonly GatewayRow[];
  readonly edges: readonly EdgeRow[];
  readonly capture: readonly CaptureRow[];
  readonly alerting: { readonly rules: readonly AlertRuleRow[]; readonly routes: readonly AlertRouteRow[] };
  readonly logStores: readonly LogStoreRow[];
  readonly deployment: {
    readonly dpo_contacts: readonly string[];
    readonly kill_switch: ReadonlyArray<{ address: string; state: string; site: string | null }>;
    readonly regulator_access: ReadonlyArray<{ address: string; access: string; site: string | null; in_kz: boolean }>;
  };
}

type Obj = Record<string, JsonValue>;
const isObj = (v: JsonValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Evaluates the inventory entrypoint on a prepared deployment and maps its addresses back. */
export async function evaluateInventory(engine: PolicyEngine, prepared: PreparedDeployment): Promise<Inventory> {
  const raw = await engine.evaluate(INVENTORY_ENTRYPOINT, prepared.document, prepared.data);
  if (!isObj(raw) || !Array.isArray(raw.stores))
    throw new UsageError(`the policy pack has no ${INVENTORY_ENTRYPOINT.replace(/\//g, '.')} (or it is not an inventory)`);
  return readInventory(raw, prepared);
}

/** Turns the raw inventory into rows named as the user names things. */
export function readInventory(raw: Obj, prepared: PreparedDeployment): Inventory {
  const several = prepared.inputs.length > 1;
  const { combined } = prepared;
  const names = (evaluated: string): { id: string; address: string; input: string | null } => {
    const o = combined.origin.get(evaluated);
    if (!o) return { id: combined.restoreNames(evaluated), address: combined.restoreNames(evaluated), input: null };
    const input = prepared.inputs[o.input];
    return { id: displayName(input, o.address, several), address: o.address, input: input.name };
  };
  /** An address-or-other node reference (a capture host, an endpoint URL) as the report names it. */
  const node = (ref: string): string => (combined.origin.has(ref) ? names(ref).id : combined.restoreNames(ref));
  const list = (k: string, from: Obj = raw): Obj[] => (Array.isArray(from[k]) ? (from[k] as JsonValue[]).filter(isObj) : []);

  const stores = list('stores').map((s): StoreRow => {
    const n = names(String(s.address));
    const { address: _evaluatedAddress, ...rest } = s;
    void _evaluatedAddress;
    const tunnel = isObj(s.tunnel)
      ? { through: Array.isArray(s.tunnel.through) ? s.tunnel.through.map((x) => node(String(x))) : [], encrypted: s.tunnel.encrypted === true, protection: String(s.tunnel.protection ?? '') }
      : null;
    return { ...(rest as unknown as Omit<StoreRow, 'id' | 'evaluated' | 'address' | 'input' | 'tunnel'>), tunnel, id: n.id, evaluated: String(s.address), address: n.address, input: n.input };
  });
  const gateways = list('gateways').map((g): GatewayRow => {
    const { address: _a, ...rest } = g;
    void _a;
    const peers = Array.isArray(g.peers) ? (g.peers as JsonValue[]).map((x) => node(String(x))) : [];
    return { ...(rest as unknown as Omit<GatewayRow, 'id' | 'evaluated' | 'peers'>), peers, id: names(String(g.address)).id, evaluated: String(g.address) };
  });
  const edges = list('edges').map(
    (e): EdgeRow => ({
      ...(e as unknown as EdgeRow),
      source: node(String(e.source)),
      destination: node(String(e.destination)),
      ...(Array.isArray(e.through) ? { through: (e.through as JsonValue[]).map((x) => node(String(x))) } : {}),
      ...(typeof e.resource === 'string' ? { resource: node(e.resource) } : {}),
      proof: e.proof === 'declared' ? 'declared' : 'configuration',
    }),
  );
  const capture = list('capture').map(
    (c): CaptureRow => ({
      host: String(c.host),
      sites: (c.sites as string[]) ?? [],
      entries: ((c.entries as string[]) ?? []).map(node),
      fronts: ((c.fronts as string[]) ?? []).map(node),
    }),
  );
  const alerting = isObj(raw.alerting) ? raw.alerting : {};
  const deployment = isObj(raw.deployment) ? raw.deployment : {};
  return {
    stores,
    sites: list('sites') as unknown as SiteRow[],
    gateways,
    edges,
    capture,
    logStores: list('log_stores').map((l) => ({
      id: node(String(l.address)),
      site: (l.site as string | null) ?? null,
      retention: (l.retention as string | null) ?? null,
      deletion: (l.deletion as string | null) ?? null,
      alertsTo: ((l.alerts_to as string[]) ?? []).map(node),
    })),
    alerting: {
      rules: list('rules', alerting).map((r) => ({ ...(r as unknown as AlertRuleRow), loki: node(String(r.loki)), source: node(String(r.source)) })),
      routes: list('routes', alerting).map((r) => ({ ...(r as unknown as AlertRouteRow), ruler: node(String(r.ruler)), alertmanager: node(String(r.alertmanager)) })),
    },
    deployment: {
      dpo_contacts: (deployment.dpo_contacts as string[]) ?? [],
      kill_switch: list('kill_switch', deployment).map((k) => ({ address: node(String(k.address)), state: String(k.state), site: (k.site as string | null) ?? null })),
      regulator_access: list('regulator_access', deployment).map((a) => ({
        address: node(String(a.address)),
        access: String(a.access),
        site: (a.site as string | null) ?? null,
        in_kz: a.in_kz === true,
      })),
    },
  };
}
