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
import type { Prerequisite } from './prerequisites';
import { ANNOTATIONS, refuse, residencyLabels, residencyValues, type ResidencyClaim } from './vocabulary';

/** The chart repository of the CloudNativePG charts (operator, cluster, Barman Cloud plugin). */
export const CNPG_REPOSITORY = 'https://cloudnative-pg.github.io/charts';
/** Operator chart version (app 1.30.0: CNPG-I plugins, so backups through the Barman Cloud plugin). */
export const CNPG_OPERATOR_CHART_VERSION = '0.29.0';
/** Cluster chart version (renders the plugin's ObjectStore and the cluster's `plugins` for `backups.method: plugin`). */
export const CNPG_CLUSTER_CHART_VERSION = '0.8.1';
/** Barman Cloud plugin chart version (app v0.13.0). It needs cert-manager on the site (a prerequisite). */
export const BARMAN_CLOUD_PLUGIN_CHART_VERSION = '0.7.0';
/** The plugin's name in `cluster.plugins` and backup `pluginConfiguration`. */
export const BARMAN_CLOUD_PLUGIN = 'barman-cloud.cloudnative-pg.io';

/**
 * Operand images pinned by digest, per PostgreSQL major: the `standard` images (they ship pgaudit;
 * the `minimal` ones do not) from CloudNativePG's published catalog
 * (cloudnative-pg/artifacts image-catalogs/catalog-standard-bookworm.yaml, images dated 2026-08-31).
 * A tag alone floats: the same name can run other code tomorrow.
 */
export const PINNED_POSTGRES_IMAGES: Readonly<Record<string, string>> = {
  '15': 'ghcr.io/cloudnative-pg/postgresql:15.19-202608310817-standard-bookworm@sha256:ad1dcb64577ebafbaa0489c38e7cf950959423860ba3513e7f2f306421d3bd8c',
  '16': 'ghcr.io/cloudnative-pg/postgresql:16.15-202608310817-standard-bookworm@sha256:6c697d90e9b7cd6c70e06b76616c89540650c2b80a603e9804993800c3413c51',
  '17': 'ghcr.io/cloudnative-pg/postgresql:17.11-202608310816-standard-bookworm@sha256:e8ffaff9d17011fb71f264d857c3b4c54cb86ed0443a4ecb0298cb96be708d4e',
  '18': 'ghcr.io/cloudnative-pg/postgresql:18.6-202608310817-standard-bookworm@sha256:cdb5c283a473507f7c597ea7e045d1a5e8efcbc4c5101aada013af9bd37ccc43',
};

/** Whether an image reference is pinned by a sha256 digest. */
export function isDigestPinned(image: string): boolean {
  return /@sha256:[0-9a-f]{64}$/.test(image);
}

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

/** A reference to a CA bundle in a Secret of the cluster's namespace (`endpointCA`). */
export interface EndpointCaValues {
  /** Create the Secret from `value` (the chart's ca-bundle template), or use an existing one. */
  readonly create: boolean;
  readonly name: string;
  readonly key: string;
  /** Base64 of the PEM bundle, when `create`. */
  readonly value?: string;
}

/** Barman object store settings of the cluster chart (backups / replica origin). */
export interface BarmanObjectStoreValues {
  readonly provider: 's3';
  readonly endpointURL: string;
  /** CA bundle of a privately signed endpoint (from the site registry's `objectStorageAccess.caBundle`). */
  readonly endpointCA?: EndpointCaValues;
  readonly destinationPath: string;
  readonly s3: {
    readonly bucket: string;
    readonly path: string;
    readonly region: string;
    readonly inheritFromIAMRole: boolean;
  };
  /** Credentials come from an existing Secret (keys ACCESS_KEY_ID, ACCESS_SECRET_KEY); never created from literals. */
  readonly secret: { readonly create: false; readonly name: string };
}

/** One entry of `cluster.plugins`. */
export interface CnpgPluginValues {
  readonly name: string;
  readonly enabled: boolean;
  readonly isWALArchiver: boolean;
  readonly parameters: Record<string, string>;
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
    /** Operand image, pinned by digest (filled in by CnpgCluster from the PostgreSQL major when unset). */
    imageName?: string;
    /** CNPG-I plugins: the Barman Cloud plugin as WAL archiver when backups are on (filled in by CnpgCluster). */
    plugins?: CnpgPluginValues[];
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
    /** `plugin`: the chart renders an ObjectStore (barmancloud.cnpg.io/v1) and the Barman Cloud plugin does the archiving. */
    readonly method?: 'plugin';
    readonly pluginConfiguration?: { readonly name: string };
    readonly retentionPolicy?: string;
    readonly scheduledBackups?: readonly {
      readonly name: string;
      readonly schedule: string;
      readonly backupOwnerReference: 'self';
      readonly method: 'plugin';
      readonly pluginConfiguration: { readonly name: string };
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
 * pgaudit settings: session audit logging of every statement class with its relations, plus
 * connection logging so that each session's user is in the log (every user action is
 * attributable). No `pgaudit.role`: object audit logging would need that role to exist and be
 * granted per table, and session logging of `all` already covers every statement. Catalog
 * queries (psql's `\d`, drivers' metadata lookups) are left out: they are noise, not user
 * actions on personal data. Statement parameters are off here; see {@link pgauditParameters}.
 */
export const PGAUDIT_PARAMETERS: Readonly<Record<string, string>> = {
  'pgaudit.log': 'all',
  'pgaudit.log_catalog': 'off',
  'pgaudit.log_client': 'off',
  'pgaudit.log_level': 'log',
  'pgaudit.log_parameter': 'off',
  'pgaudit.log_relation': 'on',
  'pgaudit.log_statement_once': 'off',
  log_connections: 'on',
  log_disconnections: 'on',
};

/**
 * The pgaudit parameters with statement parameters logged or not. Off by default: the bound
 * values of a statement are the personal data itself (names, IINs, addresses), and audit logs are
 * kept for three years in write-once storage that nobody can erase, so logging them copies the
 * personal data into a store that cannot honour deletion. Turn it on only where the values are
 * needed as evidence and the retention of that copy is accounted for.
 */
export function pgauditParameters(logParameters: boolean): Record<string, string> {
  return { ...PGAUDIT_PARAMETERS, 'pgaudit.log_parameter': logParameters ? 'on' : 'off' };
}

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
  /** The Barman Cloud plugin (backups), in the operator's namespace, after the operator. */
  readonly barmanCloudPlugin: Release;
  /** The Barman Cloud plugin chart issues its TLS certificates with cert-manager. */
  readonly prerequisites: readonly Prerequisite[] = [
    {
      kind: 'platform',
      name: 'cert-manager',
      purpose: 'issues the Barman Cloud plugin\'s TLS certificates (the plugin chart creates a cert-manager Issuer); install it and its CRDs first',
      createdBy: 'the site operator, before apply',
    },
  ];

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
    // No residency map: the plugin is not a store (the namespace's labels classify it).
    const pluginValues = { podLabels: labels };
    this.barmanCloudPlugin = new Release(this, 'barman-cloud', {
      provider: providers.helm,
      name: 'barman-cloud',
      namespace: nsName,
      repository: CNPG_REPOSITORY,
      chart: 'plugin-barman-cloud',
      version: BARMAN_CLOUD_PLUGIN_CHART_VERSION,
      values: [JSON.stringify(pluginValues, null, 2)],
      atomic: true,
      dependsOn: [this.release],
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
  readonly namespaceName: string;
  readonly release: Release;
  readonly operator?: CnpgOperator;
  /** The values object (mutable until synth through `addRole`). */
  readonly values: CnpgClusterValues;

  constructor(scope: Construct, id: string, props: CnpgClusterProps) {
    super(scope, id);
    this.values = props.values;
    this.namespaceName = props.namespace;
    const providers = SiteProviders.of(this, props.claim.site);
    this.namespace = labelledNamespace(
      this,
      'namespace',
      props.namespace,
      props.claim,
      props.namespaceAnnotations,
    );
    if (this.values.cluster.imageName === undefined) {
      const pinned = PINNED_POSTGRES_IMAGES[this.values.version.postgresql];
      if (!pinned) {
        refuse(
          this,
          'postgresVersion',
          `no pinned image is known for PostgreSQL ${this.values.version.postgresql} (${Object.keys(PINNED_POSTGRES_IMAGES).join(', ')}); give imageName with a digest`,
        );
      }
      this.values.cluster.imageName = pinned;
    } else if (!isDigestPinned(this.values.cluster.imageName)) {
      refuse(
        this,
        'imageName',
        `${JSON.stringify(this.values.cluster.imageName)} is not pinned by digest (<image>:<tag>@sha256:<digest>); a tag alone can run other code tomorrow`,
      );
    }
    const backups = this.values.backups;
    if (backups.enabled && backups.method === 'plugin' && this.values.cluster.plugins === undefined) {
      this.values.cluster.plugins = [barmanCloudPlugin(this.values.fullnameOverride)];
    }
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
      dependsOn: [
        this.namespace,
        ...(this.operator ? [this.operator.release, this.operator.barmanCloudPlugin] : []),
      ],
    });
  }

  /** Secrets and the image these values reference (read at synth, after roles were added). */
  get prerequisites(): Prerequisite[] {
    const v = this.values;
    const ns = this.namespaceName;
    const by = 'the site operator, before apply';
    const out: Prerequisite[] = [];
    if (v.backups.enabled && v.backups.secret && !v.backups.secret.create) {
      out.push({
        kind: 'secret',
        name: v.backups.secret.name,
        namespace: ns,
        keys: ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY'],
        purpose: `write access to ${v.backups.destinationPath ?? 'the backup bucket'} at ${v.backups.endpointURL ?? ''} (backups of ${v.fullnameOverride})`,
        createdBy: by,
      });
    }
    const origin = v.replica?.origin.objectStore;
    if (origin && !origin.secret.create) {
      out.push({
        kind: 'secret',
        name: origin.secret.name,
        namespace: ns,
        keys: ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY'],
        purpose: `read access to ${origin.destinationPath} at ${origin.endpointURL} (backups of ${origin.clusterName}, the source it follows)`,
        createdBy: by,
      });
    }
    const stream = v.replica?.origin.pg_basebackup;
    if (stream) {
      const refs = [stream.sslCertSecret, stream.sslKeySecret, stream.sslRootCertSecret];
      for (const name of new Set(refs.map((r) => r.name))) {
        out.push({
          kind: 'secret',
          name,
          namespace: ns,
          keys: refs.filter((r) => r.name === name).map((r) => r.key),
          purpose: `${[
            ...(name === stream.sslCertSecret.name || name === stream.sslKeySecret.name ? [`the TLS client certificate of ${stream.username}`] : []),
            ...(name === stream.sslRootCertSecret.name ? ["the source's CA"] : []),
          ].join(' and ')}, to stream from ${stream.host}:${stream.port} with sslmode=${stream.sslMode}`,
          createdBy: 'copied from the source cluster (its replication client certificate and CA), before apply',
        });
      }
    }
    for (const r of v.cluster.roles) {
      if (!r.passwordSecret) continue;
      out.push({
        kind: 'secret',
        name: r.passwordSecret.name,
        namespace: ns,
        keys: ['username', 'password'],
        secretType: 'kubernetes.io/basic-auth',
        purpose: `password of database role ${r.name} (kubernetes.io/basic-auth, username ${r.name})`,
        createdBy: by,
      });
    }
    if (v.cluster.imageName) {
      out.push({
        kind: 'image',
        name: v.cluster.imageName,
        purpose: 'PostgreSQL operand of the CloudNativePG clusters (ships pgaudit; mirror it where nodes cannot pull it)',
        createdBy: 'CloudNativePG (pinned by digest)',
      });
    }
    return out;
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

/** Why `n` is not a store's number of instances (a whole number, at least 3 for failover inside the site), if it is not. */
export function instancesProblem(n: number): string | undefined {
  if (typeof n !== 'number' || !Number.isInteger(n)) return `${JSON.stringify(n)} is not an integer: a store runs a whole number of instances`;
  if (n < 3) return `${n} is fewer than 3: a store runs at least 3 instances (failover inside the site)`;
  return undefined;
}

/** Validates instances, storage class and zones; returns the storage class and zones to use. */
export function resolvePlacement(i: StoreCommonInput): { storageClass: string; zones: readonly string[] } {
  const problem = instancesProblem(i.instances);
  if (problem) refuse(i.scope, 'instances', problem, 'set instances to a whole number of 3 or more');
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
  /** PEM CA bundle of the endpoint, from the site registry (`objectStorageAccess.caBundle`), if private. */
  readonly caBundle?: string;
  /** Secret (created by the cluster chart from `caBundle`) that holds the CA for `endpointCA`. */
  readonly caSecret: string;
}

/** The key of the CA bundle in the `endpointCA` Secret. */
export const ENDPOINT_CA_KEY = 'ca-bundle.crt';

/** Barman object-store values for a backup target; `endpointCA` refers to a CA Secret of the cluster's namespace. */
export function objectStoreValues(
  t: BackupTarget,
  endpointCA?: { readonly name: string; readonly key: string },
): BarmanObjectStoreValues {
  const path = t.path.startsWith('/') ? t.path : `/${t.path}`;
  return {
    provider: 's3',
    endpointURL: t.endpoint,
    ...(endpointCA ? { endpointCA: { create: false, name: endpointCA.name, key: endpointCA.key } } : {}),
    destinationPath: `s3://${t.bucket}${path}`,
    s3: { bucket: t.bucket, path, region: '', inheritFromIAMRole: false },
    secret: { create: false, name: t.credentialsSecret },
  };
}

/**
 * Backup section of the values for a target: continuous WAL archiving and daily base backups
 * through the Barman Cloud plugin (the chart renders the ObjectStore `<cluster>-backups` from
 * these values and puts the plugin in the cluster's `plugins` as WAL archiver). The endpoint's CA
 * bundle (plus `alsoTrust`, e.g. the CA of a standby's source site) becomes a Secret the chart
 * creates, referenced as `endpointCA`: a CA certificate is public, not a credential.
 */
export function backupValues(t: BackupTarget, alsoTrust: readonly (string | undefined)[] = []): CnpgClusterValues['backups'] {
  const bundles = [t.caBundle, ...alsoTrust].filter((b): b is string => typeof b === 'string' && b.length > 0);
  const pem = [...new Set(bundles.map((b) => b.trim() + '\n'))].join('');
  const plugin = { name: BARMAN_CLOUD_PLUGIN };
  return {
    enabled: true,
    method: 'plugin',
    pluginConfiguration: plugin,
    ...objectStoreValues(t),
    ...(pem
      ? {
          endpointCA: {
            create: true,
            name: t.caSecret,
            key: ENDPOINT_CA_KEY,
            value: Buffer.from(pem, 'utf8').toString('base64'),
          },
        }
      : {}),
    wal: { compression: 'gzip', encryption: 'AES256', maxParallel: 2 },
    data: { compression: 'gzip', encryption: 'AES256', jobs: 2 },
    scheduledBackups: [
      {
        name: 'daily',
        schedule: t.schedule,
        backupOwnerReference: 'self',
        method: 'plugin',
        pluginConfiguration: plugin,
      },
    ],
    retentionPolicy: t.retention,
  };
}

/** The `cluster.plugins` entry of the Barman Cloud plugin archiving WAL to `<clusterName>-backups`. */
export function barmanCloudPlugin(clusterName: string): CnpgPluginValues {
  return {
    name: BARMAN_CLOUD_PLUGIN,
    enabled: true,
    isWALArchiver: true,
    parameters: { barmanObjectName: `${clusterName}-backups` },
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
