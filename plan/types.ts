/**
 * Shapes shared by the constructs (which write the sites registry), the loaders in plan/
 * (which read and validate it) and the command. The JSON Schemas in policies/data/ are the
 * normative form; these types mirror them.
 */

/** A storage class registered for a site. */
export interface StorageClassEntry {
  /** Kubernetes StorageClass name. */
  readonly name: string;
  /** Whether volumes of this class are encrypted at rest. */
  readonly encrypted: boolean;
}

/** The Kubernetes cluster of a site. */
export interface SiteKubernetes {
  /** Provider `host` values that reach this cluster's API server. */
  readonly endpoints: readonly string[];
  /** `topology.kubernetes.io/region` of the cluster's nodes. */
  readonly region: string;
  /** `topology.kubernetes.io/zone` values of the cluster's nodes. */
  readonly zones?: readonly string[];
}

/** One site of the sites registry (DESIGN.md, "Sites registry"). */
export interface SiteEntry {
  /** `[a-z0-9-]+`, unique in the registry (and in the app). */
  readonly id: string;
  /** ISO 3166-1 alpha-2 code, e.g. `KZ`, `DE`. */
  readonly jurisdiction: string;
  /** City; for KZ sites Almaty or Astana. */
  readonly city: string;
  /** Operator or data centre. */
  readonly operator?: string;
  /** The site's Kubernetes cluster: API endpoints (provider `host` values), region, zones. */
  readonly kubernetes: SiteKubernetes;
  /** Storage classes with their `encrypted` flag; none means no store can be placed here. */
  readonly storageClasses?: readonly StorageClassEntry[];
  /** Object-storage endpoints (backups). */
  readonly objectStorage?: readonly string[];
  /** Log sink endpoints (audit logs). */
  readonly logSinks?: readonly string[];
  /** Public host names that receive personal data (first touch). */
  readonly captureHosts?: readonly string[];
  /** The cloud region(s) the site also is (a managed Kubernetes cluster in a cloud region). Default: none. */
  readonly cloud?: SiteCloud;
}

/**
 * The cloud region(s) of a site (DESIGN.md "Sites registry": `cloud: {provider, regions}`): a
 * managed store in one of them is at the site.
 */
export interface SiteCloud {
  /** `aws`, `google`, `azure` or `yandex`. */
  readonly provider: 'aws' | 'google' | 'azure' | 'yandex';
  /** Region names as the provider writes them, e.g. `kz1` (Yandex Cloud, Kazakhstan). */
  readonly regions: readonly string[];
}

/** A site that is only a cloud region, with no Kubernetes cluster of its own. */
export interface CloudSiteEntry extends Omit<SiteEntry, 'kubernetes' | 'cloud' | 'storageClasses'> {
  readonly kubernetes?: undefined;
  readonly cloud: SiteCloud;
}

/** One entry of the registry: a Kubernetes site (possibly also a cloud region) or a cloud region. */
export type RegistrySite = SiteEntry | CloudSiteEntry;

/** A sites registry file: `sites.yaml` or `sites.json`. */
export interface SitesRegistry {
  readonly sites: readonly RegistrySite[];
}

/** One waiver (DESIGN.md, "Waivers"). */
export interface Waiver {
  /** Rule id, e.g. `KZ-AUD-002`. */
  readonly rule: string;
  /** A resource address or a glob over addresses. */
  readonly resource: string;
  /** Why the finding is accepted. */
  readonly reason: string;
  /** Who approved the waiver. */
  readonly approved_by: string;
  /** ISO date after which the waiver no longer applies. */
  readonly expires: string;
}

export interface WaiversFile {
  readonly waivers: readonly Waiver[];
}

export type DataClass = 'personal' | 'biometric' | 'special' | 'case' | 'public';
export type StoreRole = 'primary' | 'standby' | 'replica' | 'backup' | 'cache' | 'gateway' | 'audit';
export type Profile = 'law' | 'audit-ready' | 'ur832';

/** Kubernetes label keys of the residency vocabulary. */
export const LABELS = {
  dataClass: 'residency.kz/data-class',
  role: 'residency.kz/role',
  site: 'residency.kz/site',
} as const;

/**
 * The cloud-safe spelling of the same keys, for clouds whose tag or label keys forbid `.` or `/`
 * (Google Cloud labels, Azure tag names); every other `residency.kz/<key>` is `residency-kz-<key>`.
 * The policies read both spellings everywhere, AWS `tags_all` and Google `labels`/`user_labels`
 * included.
 */
export const CLOUD_LABELS = {
  dataClass: 'residency-kz-data-class',
  role: 'residency-kz-role',
  site: 'residency-kz-site',
} as const;
