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

/** A client-go exec credential plugin (`users[].user.exec` of a kubeconfig): a command, never a secret. */
export interface SiteExecAuth {
  /** `client.authentication.k8s.io/v1` or `/v1beta1`. */
  readonly apiVersion: string;
  /** Command that prints an ExecCredential, e.g. `kubelogin`. */
  readonly command: string;
  /** Its arguments. */
  readonly args?: readonly string[];
  /** Extra environment variables (names of things, never secret values). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * How the deployer authenticates to a site's API server, per site (never one kubeconfig's
 * credentials for every site): exactly one of a kubeconfig context or an exec plugin.
 */
export interface SiteKubernetesAuth {
  /** Context of the deployer's kubeconfig (the file is the provider's `config_path`, outside the registry). */
  readonly kubeconfigContext?: string;
  /** An exec credential plugin. */
  readonly exec?: SiteExecAuth;
}

/** A named peer that a CNI resolves itself (e.g. Cilium's `kube-apiserver` entity). */
export interface CniEntity {
  /** The CNI that understands the entity: `cilium`. */
  readonly cni: 'cilium';
  /** The entity, e.g. `kube-apiserver`. */
  readonly name: string;
}

/** Where pods reach the API server (the addresses behind the `kubernetes` Service), for egress rules. */
export interface SiteApiServer {
  /** CIDRs of the API server instances as pods see them after Service translation, e.g. `10.20.0.10/32`. */
  readonly cidrs?: readonly string[];
  /** Ports on those addresses. Default: 6443. */
  readonly ports?: readonly number[];
  /** A CNI entity instead of (or besides) CIDRs. */
  readonly entity?: CniEntity;
}

/** The Kubernetes cluster of a site. */
export interface SiteKubernetes {
  /** Provider `host` values that reach this cluster's API server. */
  readonly endpoints: readonly string[];
  /** `topology.kubernetes.io/region` of the cluster's nodes. */
  readonly region: string;
  /** `topology.kubernetes.io/zone` values of the cluster's nodes. */
  readonly zones?: readonly string[];
  /** PEM CA bundle of the API server (the providers' `cluster_ca_certificate`). Public data, not a secret. */
  readonly caBundle?: string;
  /** How the deployer authenticates (kubeconfig context or exec plugin). */
  readonly auth?: SiteKubernetesAuth;
  /** The API server's addresses as pods reach them (egress exits). */
  readonly apiServer?: SiteApiServer;
}

/** Network addresses and trust of a site's object storage (the `objectStorage` endpoints). */
export interface SiteObjectStorageAccess {
  /** CIDRs the `objectStorage` endpoints resolve to, for egress rules (ports come from the endpoint URLs). */
  readonly cidrs: readonly string[];
  /** PEM CA bundle that signed the endpoints' certificates, when private. Public data, not a secret. */
  readonly caBundle?: string;
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
  /** Addresses and CA bundle of the object-storage endpoints (egress exits, `endpointCA`). */
  readonly objectStorageAccess?: SiteObjectStorageAccess;
  /** Addresses at which this site's tunnel gateways (their load balancers) are reached from other sites. */
  readonly tunnelEndpoints?: { readonly cidrs: readonly string[] };
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
