/**
 * The residency vocabulary the constructs write and the policies read: label keys (from
 * plan/types.ts; CLOUD_LABELS is their spelling for cloud tags and labels whose keys forbid `.`
 * and `/`), annotation keys, and the helpers that put them on every object.
 */
import type { IConstruct } from 'constructs';
import { CLOUD_LABELS, LABELS } from '../plan/types';
import type { DataClass, StoreRole } from '../plan/types';
import type { Site } from './site';

export { CLOUD_LABELS, LABELS };
export type { DataClass, StoreRole };

/** Data classes that hold personal data (Law 94-V): they must stay in Kazakhstan as primary. */
export const PERSONAL_CLASSES: readonly DataClass[] = ['personal', 'biometric', 'special'];

/** Whether a data class carries personal data. */
export function isPersonal(dataClass: DataClass): boolean {
  return PERSONAL_CLASSES.includes(dataClass);
}

/** Annotation keys written by the constructs (values are strings). */
export const ANNOTATIONS = {
  /** Purpose of processing of a store (free text). */
  purpose: 'residency.kz/purpose',
  /** Comma-separated data categories held by a store, e.g. `identity,contact`. */
  dataCategories: 'residency.kz/data-categories',
  /** Where consent evidence comes from: comma-separated subset of `eGov,eOtinish`. */
  consentSource: 'residency.kz/consent-source',
  /** Data protection officer (responsible person, Art. 25 para 3) contact. */
  dpoContact: 'residency.kz/dpo-contact',
  /** Audit logging of a store: `pgaudit:all` (every statement class, with the user). */
  auditLog: 'residency.kz/audit-log',
  /** TLS required for clients of a store: `required`. */
  tls: 'residency.kz/tls',
  /** Backup target of a store: the object-storage endpoint URL. */
  backupTarget: 'residency.kz/backup-target',
  /** Site id of the backup target. */
  backupSite: 'residency.kz/backup-site',
  /** Kill switch of a tunnel / deployment: `active` | `suspended`. */
  crossBorder: 'residency.kz/cross-border',
  /** Tunnel name (on gateways, their ConfigMaps and on replicas it feeds). */
  tunnel: 'residency.kz/tunnel',
  /** Tunnel profile: `wireguard` | `gost-tls`. */
  tunnelProfile: 'residency.kz/tunnel-profile',
  /** Tunnel side: `kz` | `hq`. */
  tunnelSide: 'residency.kz/tunnel-side',
  /** Site id of the other end of a tunnel. */
  tunnelPeerSite: 'residency.kz/tunnel-peer-site',
  /** Transfer agreement of a cross-border replica (e.g. an SCC reference). */
  transferAgreement: 'residency.kz/transfer-agreement',
  /** Legal basis of a cross-border transfer (Law 94-V Art. 16 ground). */
  legalBasis: 'residency.kz/legal-basis',
  /** Site id of the primary a standby/replica copies. */
  sourceSite: 'residency.kz/source-site',
  /** Name of the store a standby/replica copies. */
  sourceStore: 'residency.kz/source-store',
  /** `true` on read-only replicas. */
  readOnly: 'residency.kz/read-only',
  /** Audit trail: log sink URL (on a Kazakh site). */
  logSink: 'residency.kz/log-sink',
  /** Audit trail: retention in days. */
  retentionDays: 'residency.kz/retention-days',
  /** Audit trail: `true` when object lock / immutability is on. */
  immutable: 'residency.kz/immutable',
  /** Regulator access objects: `read-only`. */
  regulatorAccess: 'residency.kz/regulator-access',
  /** Regulator access: identity provider URL (on a Kazakh site). */
  identityProvider: 'residency.kz/identity-provider',
  /** First-touch ingress: `true` on ingresses that receive personal data. */
  firstTouch: 'residency.kz/first-touch',
} as const;

/** The three residency labels of an object. */
export interface ResidencyClaim {
  readonly dataClass: DataClass;
  readonly role: StoreRole;
  readonly site: Site;
}

/** `{residency.kz/data-class, residency.kz/role, residency.kz/site}` for a claim. */
export function residencyLabels(claim: ResidencyClaim): Record<string, string> {
  return {
    [LABELS.dataClass]: claim.dataClass,
    [LABELS.role]: claim.role,
    [LABELS.site]: claim.site.id,
  };
}

/** The top-level `residency` map of Helm values (DESIGN.md, "Classification"). */
export function residencyValues(claim: ResidencyClaim): {
  dataClass: DataClass;
  role: StoreRole;
  site: string;
} {
  return { dataClass: claim.dataClass, role: claim.role, site: claim.site.id };
}

/** An error at construction time that names the construct path and the prop. */
export class ConstructPropError extends Error {
  constructor(
    readonly constructPath: string,
    readonly prop: string,
    what: string,
  ) {
    super(`${constructPath}: ${prop}: ${what}`);
    this.name = 'ConstructPropError';
  }
}

/** Throws a `ConstructPropError` for `scope`'s path and `prop`. */
export function refuse(scope: IConstruct, prop: string, what: string): never {
  throw new ConstructPropError(scope.node.path, prop, what);
}

/** A Kubernetes-friendly name (DNS-1123 label) derived from a construct id. */
export function kubeName(s: string): string {
  const n = s
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return n || 'kz';
}

/** Checks a Kubernetes name given in a prop. */
export function checkKubeName(scope: IConstruct, prop: string, name: string): string {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63) {
    refuse(scope, prop, `${JSON.stringify(name)} is not a valid Kubernetes name (DNS-1123 label)`);
  }
  return name;
}
