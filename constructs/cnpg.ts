/**
 * CloudNativePG building blocks shared by PrimaryDataStore, InCountryStandby and HqReplica:
 * the typed Helm values of the `cluster` chart, the per-site operator release, and the
 * labelled namespace a store is installed into. Values are typed objects serialised as JSON
 * (valid YAML) at synth time, so that constructs like RegulatorAccess can still add roles.
 */
import { Construct, type IConstruct } from 'constructs';
import { Lazy, TerraformStack } from 'cdktf';
import { Release } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import type { DataClass, StoreRole } from '../plan/types';
import type { Site } from './site';
import { SiteProviders } from './site-providers';
import { ANNOTATIONS, refuse, residencyLabels, residencyValues, type ResidencyClaim } from './vocabulary';

/** The chart repository of both CloudNativePG charts. */
export const CNPG_REPOSITORY = 'https://cloudnative-pg.github.io/charts';
/** Operator chart version (app 1.30.0) whose values schema the tests validate against. */
export const CNPG_OPERATOR_CHART_VERSION = '0.29.0';
/** Cluster chart version whose values schema the tests validate against. */
export const CNPG_CLUSTER_CHART_VERSION = '0.8.1';

/** Where the consent evidence of a store comes from. */
export type ConsentSource = 'eGov' | 'eOtinish';

/** A CloudNativePG managed role (cluster.roles). */
export interface ManagedRole {
  readonly name: string;
  readonly ensure: 'present' | 'absent';
  readonly comment?: string;
  readonly login: boolean;
  readonly superuser: boolean;
  readonly createdb?: boolean;
  readonly createrole?: boolean;
  readonly inherit?: boolean;
  readonly replication?: boolean;
  readonly bypassrls?: boolean;
  readonly connectionLimit?: number;
  readonly inRoles?: readonly string[];
  /** Secret (kubernetes.io/basic-auth) holding the password, by name. */
  readonly passwordSecret?: { readonly name: string };
}

/** Node affinity term on topology labels. */
export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: 'In';
  readonly values: readonly string[];
}

/** Barman object store settings of the cluster chart (backups / replica origin). */
export interface BarmanObjectStoreValues {
  readonly provider: 's3';
  readonly endpointURL: string;
  readonly destinationPath: string;
  readonly s3: {
    readonly bucket: string;
    readonly path: string;
    readonly region: string;
    readonly inheritFromIAMRole: boolean;
  };
  /** Credentials come from an existing Secret (keys ACCESS_KEY_ID, ACCESS_SECRET_KEY, Region); never created from literals. */
  readonly secret: { readonly create: false; readonly name: string };
}

/**
 * `replica.origin.pg_basebackup` of the cluster chart: where a replica cluster streams from
 * (rendered as the `connectionParameters` and certificate Secret references of the
 * `originCluster` external cluster). The Secrets must exist in the replica's namespace.
 */
export interface StreamingOriginValues {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly database: string;
  readonly sslMode: 'verify-full' | 'verify-ca';
  readonly sslKeySecret: { readonly name: string; readonly key: string };
  readonly sslCertSecret: { readonly name: string; readonly key: string };
  readonly sslRootCertSecret: { readonly name: string; readonly key: string };
}

/** The typed subset of the `cluster` chart's values the constructs write. */
export interface CnpgClusterValues {
  /** DESIGN.md classification map, read by the policies. */
  readonly residency: { dataClass: DataClass; role: StoreRole; site: string };
  readonly fullnameOverride: string;
  readonly type: 'postgresql';
  readonly version: { readonly postgresql: string };
  readonly mode: 'standalone' | 'replica';
  readonly cluster: {
    readonly instances: number;
    readonly storage: { readonly size: string; readonly storageClass: string };
    readonly walStorage: { readonly enabled: boolean; readonly size: string; readonly storageClass: string };
    readonly affinity: {
      readonly topologyKey: string;
      readonly enablePodAntiAffinity: boolean;
      readonly podAntiAffinityType: 'preferred' | 'required';
      readonly nodeAffinity: {
        readonly requiredDuringSchedulingIgnoredDuringExecution: {
          readonly nodeSelectorTerms: readonly {
            readonly matchExpressions: readonly NodeSelectorRequirement[];
          }[];
        };
      };
    };
    readonly additionalLabels: Record<string, string>;
    readonly annotations: Record<string, string>;
    readonly enableSuperuserAccess: boolean;
    readonly enablePDB: boolean;
    readonly postgresql: {
      readonly parameters: Record<string, string>;
      readonly pg_hba: readonly string[];
      readonly shared_preload_libraries: readonly string[];
    };
    readonly roles: ManagedRole[];
    readonly monitoring: { readonly enabled: boolean };
    /** CloudNativePG `spec.certificates`; `serverAltDNSNames` adds names to the operator-generated server certificate. */
    certificates?: { readonly serverAltDNSNames: string[] };
  };
  readonly backups: {
    readonly enabled: boolean;
    readonly method?: 'barmanObjectStore';
    readonly retentionPolicy?: string;
    readonly scheduledBackups?: readonly {
      readonly name: string;
      readonly schedule: string;
      readonly backupOwnerReference: 'self';
      readonly method: 'barmanObjectStore';
    }[];
    readonly wal?: {
      readonly compression: 'gzip';
      readonly encryption: 'AES256';
      readonly maxParallel: number;
    };
    readonly data?: { readonly compression: 'gzip'; readonly encryption: 'AES256'; readonly jobs: number };
  } & Partial<BarmanObjectStoreValues>;
  /**
   * Replica mode (`mode: replica`). The chart turns it into `spec.replica {enabled: true, source:
   * originCluster}`, a `spec.bootstrap` from `bootstrap.source` and one `externalClusters` entry
   * named `originCluster`: with `barmanObjectStore` when `origin.objectStore` has a provider, with
   * `connectionParameters` (+ `sslKey`/`sslCert`/`sslRootCert` Secret references) when
   * `origin.pg_basebackup.host` is set (chart templates `_bootstrap.tpl`, `_external_clusters.tpl`).
   */
  readonly replica?: {
    readonly origin: {
      readonly objectStore?: BarmanObjectStoreValues & { readonly clusterName: string };
      readonly pg_basebackup?: StreamingOriginValues;
    };
    readonly bootstrap: { readonly source: 'object_store' | 'pg_basebackup'; readonly database: string };
  };
}

/**
 * pgaudit settings: every statement class, with parameters and the role, plus connection
 * logging so that each session's user is in the log (every user action is attributable).
 */
export const PGAUDIT_PARAMETERS: Readonly<Record<string, string>> = {
  'pgaudit.log': 'all',
  'pgaudit.log_catalog': 'on',
  'pgaudit.log_client': 'off',
  'pgaudit.log_level': 'log',
  'pgaudit.log_parameter': 'on',
  'pgaudit.log_relation': 'on',
  'pgaudit.log_statement_once': 'off',
  'pgaudit.role': 'kz_audit',
  log_connections: 'on',
  log_disconnections: 'on',
};

/** TLS settings: only TLS 1.3 clients. */
export const TLS_PARAMETERS: Readonly<Record<string, string>> = {
  ssl_min_protocol_version: 'TLSv1.3',
};

/** pg_hba lines: refuse every non-TLS connection, require TLS with SCRAM for all others. */
export const TLS_PG_HBA: readonly string[] = [
  'hostnossl all all all reject',
  'hostssl all all all scram-sha-256',
];

/** A labelled namespace (created in the same plan, so the policies can classify its releases). */
export function labelledNamespace(
  scope: Construct,
  id: string,
  name: string,
  claim: ResidencyClaim,
  annotations: Record<string, string>,
): NamespaceV1 {
  return new NamespaceV1(scope, id, {
    provider: SiteProviders.of(scope, claim.site).kubernetes,
    metadata: { name, labels: residencyLabels(claim), annotations },
  });
}

/** The operator release of one site in one stack (one per site and stack). */
export class CnpgOperator extends Construct {
  /** The stack's operator for `site`, created with the labels of the first store that needs it. */
  static of(scope: IConstruct, claim: ResidencyClaim): CnpgOperator {
    const stack = TerraformStack.of(scope);
    const id = `CnpgOperator-${claim.site.id}`;
    const existing = stack.node.tryFindChild(id);
    if (existing instanceof CnpgOperator) return existing;
    return new CnpgOperator(stack, id, claim);
  }

  readonly namespace: NamespaceV1;
  readonly release: Release;

  private constructor(scope: Construct, id: string, claim: ResidencyClaim) {
    super(scope, id);
    const providers = SiteProviders.of(this, claim.site);
    const nsName = 'cnpg-system';
    this.namespace = labelledNamespace(this, 'namespace', nsName, claim, {});
    const labels = residencyLabels(claim);
    const values = {
      residency: residencyValues(claim),
      replicaCount: 1,
      podLabels: labels,
      commonAnnotations: {},
      crds: { create: true },
    };
    this.release = new Release(this, 'release', {
      provider: providers.helm,
      name: 'cnpg',
      namespace: nsName,
      repository: CNPG_REPOSITORY,
      chart: 'cloudnative-pg',
      version: CNPG_OPERATOR_CHART_VERSION,
      values: [JSON.stringify(values, null, 2)],
      atomic: true,
      dependsOn: [this.namespace],
    });
  }
}

/** Inputs of `CnpgCluster` (already validated by the public construct). */
export interface CnpgClusterProps {
  /** Data class, role and site of the cluster (labels of every object). No default. */
  readonly claim: ResidencyClaim;
  /** Cluster and Helm release name. No default. */
  readonly clusterName: string;
  /** Namespace, created and labelled by the construct. No default. */
  readonly namespace: string;
  /** Annotations of the namespace (governance, audit, backup). No default. */
  readonly namespaceAnnotations: Record<string, string>;
  /** The cluster chart values (serialised at synth, so roles can still be added). No default. */
  readonly values: CnpgClusterValues;
  /** Install the operator chart for the site in this stack (once). No default. */
  readonly installOperator: boolean;
}

/** The namespace and Helm release of one CloudNativePG cluster. */
export class CnpgCluster extends Construct {
  readonly namespace: NamespaceV1;
  readonly release: Release;
  readonly operator?: CnpgOperator;
  /** The values object (mutable until synth through `addRole`). */
  readonly values: CnpgClusterValues;

  constructor(scope: Construct, id: string, props: CnpgClusterProps) {
    super(scope, id);
    this.values = props.values;
    const providers = SiteProviders.of(this, props.claim.site);
    this.namespace = labelledNamespace(
      this,
      'namespace',
      props.namespace,
      props.claim,
      props.namespaceAnnotations,
    );
    this.operator = props.installOperator ? CnpgOperator.of(this, props.claim) : undefined;
    this.release = new Release(this, 'release', {
      provider: providers.helm,
      name: props.clusterName,
      namespace: props.namespace,
      repository: CNPG_REPOSITORY,
      chart: 'cluster',
      version: CNPG_CLUSTER_CHART_VERSION,
      values: [Lazy.stringValue({ produce: () => JSON.stringify(this.values, null, 2) })],
      atomic: true,
      dependsOn: [this.namespace, ...(this.operator ? [this.operator.release] : [])],
    });
  }

  /** Adds a managed database role (e.g. a read-only auditor role). */
  addRole(role: ManagedRole): void {
    if (this.values.cluster.roles.some((r) => r.name === role.name)) return;
    this.values.cluster.roles.push(role);
  }
}

/** Common validation and value building of the three store constructs. */
export interface StoreCommonInput {
  readonly scope: Construct;
  readonly site: Site;
  readonly dataClass: DataClass;
  readonly instances: number;
  readonly storageClass?: string;
  readonly storageSize: string;
  readonly zones?: readonly string[];
  readonly requireEncrypted: boolean;
}

/** Validates instances, storage class and zones; returns the storage class and zones to use. */
export function resolvePlacement(i: StoreCommonInput): { storageClass: string; zones: readonly string[] } {
  if (!Number.isInteger(i.instances) || i.instances < 3) {
    refuse(
      i.scope,
      'instances',
      `at least 3 instances are required (failover inside the site), got ${i.instances}`,
    );
  }
  if (!/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti)$/.test(i.storageSize)) {
    refuse(
      i.scope,
      'storageSize',
      `expected a Kubernetes quantity like 20Gi, got ${JSON.stringify(i.storageSize)}`,
    );
  }
  let storageClass = i.storageClass;
  if (storageClass === undefined) {
    const def = i.requireEncrypted
      ? i.site.defaultEncryptedStorageClass
      : (i.site.defaultEncryptedStorageClass ?? i.site.storageClasses[0]);
    if (!def) {
      refuse(
        i.scope,
        'storageClass',
        `site ${i.site.id} registers no ${i.requireEncrypted ? 'encrypted ' : ''}storage class`,
      );
    }
    storageClass = def.name;
  }
  const registered = i.site.storageClass(storageClass);
  if (!registered) {
    refuse(
      i.scope,
      'storageClass',
      `${JSON.stringify(storageClass)} is not registered for site ${i.site.id} (registered: ${i.site.storageClasses.map((c) => c.name).join(', ') || 'none'})`,
    );
  }
  if (i.requireEncrypted && !registered.encrypted) {
    refuse(
      i.scope,
      'storageClass',
      `${JSON.stringify(storageClass)} of site ${i.site.id} is not marked encrypted; ${i.dataClass} data needs an encrypted storage class`,
    );
  }
  const zones = i.zones ?? i.site.zones;
  for (const z of zones) {
    if (!i.site.zones.includes(z)) {
      refuse(
        i.scope,
        'zones',
        `zone ${JSON.stringify(z)} is not a zone of site ${i.site.id} (${i.site.zones.join(', ') || 'none registered'})`,
      );
    }
  }
  return { storageClass, zones };
}

/** Required node affinity on the site's region and zones. */
export function pinnedAffinity(
  site: Site,
  zones: readonly string[],
): CnpgClusterValues['cluster']['affinity'] {
  const matchExpressions: NodeSelectorRequirement[] = [
    { key: 'topology.kubernetes.io/region', operator: 'In', values: [site.region] },
  ];
  if (zones.length > 0)
    matchExpressions.push({ key: 'topology.kubernetes.io/zone', operator: 'In', values: [...zones] });
  return {
    topologyKey: 'topology.kubernetes.io/zone',
    enablePodAntiAffinity: true,
    podAntiAffinityType: 'preferred',
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] },
    },
  };
}

/** Backup target of a store, resolved and validated. */
export interface BackupTarget {
  readonly site: Site;
  readonly endpoint: string;
  readonly bucket: string;
  readonly path: string;
  readonly credentialsSecret: string;
  readonly retention: string;
  readonly schedule: string;
}

/** Barman object-store values for a backup target. */
export function objectStoreValues(t: BackupTarget): BarmanObjectStoreValues {
  const path = t.path.startsWith('/') ? t.path : `/${t.path}`;
  return {
    provider: 's3',
    endpointURL: t.endpoint,
    destinationPath: `s3://${t.bucket}${path}`,
    s3: { bucket: t.bucket, path, region: '', inheritFromIAMRole: false },
    secret: { create: false, name: t.credentialsSecret },
  };
}

/** Backup section of the values for a target (continuous WAL archiving + daily base backups). */
export function backupValues(t: BackupTarget): CnpgClusterValues['backups'] {
  return {
    enabled: true,
    method: 'barmanObjectStore',
    ...objectStoreValues(t),
    wal: { compression: 'gzip', encryption: 'AES256', maxParallel: 2 },
    data: { compression: 'gzip', encryption: 'AES256', jobs: 2 },
    scheduledBackups: [
      { name: 'daily', schedule: t.schedule, backupOwnerReference: 'self', method: 'barmanObjectStore' },
    ],
    retentionPolicy: t.retention,
  };
}

/** Governance annotations (purpose, categories, consent source) of a store. */
export function governanceAnnotations(g: {
  purpose?: string;
  dataCategories?: readonly string[];
  consentSource?: readonly ConsentSource[];
  dpoContact?: string;
}): Record<string, string> {
  const a: Record<string, string> = {};
  if (g.purpose) a[ANNOTATIONS.purpose] = g.purpose;
  if (g.dataCategories && g.dataCategories.length > 0)
    a[ANNOTATIONS.dataCategories] = g.dataCategories.join(',');
  if (g.consentSource && g.consentSource.length > 0) a[ANNOTATIONS.consentSource] = g.consentSource.join(',');
  if (g.dpoContact) a[ANNOTATIONS.dpoContact] = g.dpoContact;
  return a;
}

/** Checks a retention like `30d`, `4w`, `6m`. */
export function checkRetention(scope: IConstruct, prop: string, r: string): string {
  if (!/^[1-9][0-9]*[dwm]$/.test(r))
    refuse(scope, prop, `expected a retention like 30d, 4w or 6m, got ${JSON.stringify(r)}`);
  return r;
}
