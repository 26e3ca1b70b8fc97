/**
 * The primary ("golden record") PostgreSQL store, run by CloudNativePG and installed with the
 * operator chart and the cluster chart. Secure by default: 3+ instances pinned to the site's
 * region/zones on an encrypted storage class, TLS-only clients, pgaudit on every statement class,
 * continuous backup to the site's object storage. Refuses a foreign site for personal data.
 */
import { Construct } from 'constructs';
import type { DataClass } from '../plan/types';
import type { Site } from './site';
import { SiteRegistry } from './site-registry';
import {
  CnpgCluster,
  TLS_PARAMETERS,
  TLS_PG_HBA,
  backupValues,
  checkRetention,
  governanceAnnotations,
  pgauditParameters,
  pinnedAffinity,
  resolvePlacement,
  type BackupTarget,
  type CnpgClusterValues,
  type ConsentSource,
  type ManagedRole,
} from './cnpg';
import { DatabaseIngressPolicy, type DatabaseIngressTunnel } from './database-ingress-policy';
import {
  ANNOTATIONS,
  checkKubeName,
  isPersonal,
  kubeName,
  refuse,
  residencyLabels,
  type ResidencyClaim,
} from './vocabulary';

/** Continuous backup settings of a store. */
export interface StoreBackupProps {
  /** Site whose object storage receives the backups; must be a Kazakh site for personal data. Default: the store's site. */
  readonly site?: Site;
  /** Object-storage endpoint; must be registered for that site. Default: the site's first `objectStorage` endpoint. */
  readonly endpoint?: string;
  /** Bucket. Default: `<clusterName>-backups`. */
  readonly bucket?: string;
  /** Path inside the bucket. Default: `/<clusterName>`. */
  readonly path?: string;
  /** Secret (keys ACCESS_KEY_ID, ACCESS_SECRET_KEY) with the object-storage credentials, by name; it must exist before apply (see the stack's prerequisites). Default: `<clusterName>-backup-credentials`. */
  readonly credentialsSecret?: string;
  /** Barman retention policy (`30d`, `4w`, `6m`). Default: `30d`. */
  readonly retention?: string;
  /** Six-field cron schedule of base backups. Default: `0 0 2 * * *` (daily 02:00). */
  readonly schedule?: string;
}

/**
 * What a store holds and why: its data class and the processing record written on it. Shared by
 * {@link PrimaryDataStoreProps} and the stacks' `StoreSpec`, which passes it through.
 */
export interface StoreContentProps {
  /** Data class held. No default. */
  readonly dataClass: DataClass;
  /** Purpose of processing (annotation `residency.kz/purpose`). Required for personal, biometric and special data; default none otherwise. */
  readonly purpose?: string;
  /** Data categories held, e.g. `['identity', 'contact']` (annotation `residency.kz/data-categories`). Required for personal classes; default none otherwise. */
  readonly dataCategories?: readonly string[];
  /** Where consent evidence comes from: `eGov`, `eOtinish` or both. Required for personal classes; default none otherwise. */
  readonly consentSource?: ConsentSource | readonly ConsentSource[];
}

/** Props of {@link PrimaryDataStore}. */
export interface PrimaryDataStoreProps extends StoreContentProps {
  /** The site that holds the store. Personal, biometric and special data need a `KzSite`. No default. */
  readonly site: Site;
  /** CloudNativePG cluster name and Helm release name. Default: the construct id in kebab case. */
  readonly clusterName?: string;
  /** Namespace (created by the construct, labelled). Default: the cluster name. */
  readonly namespace?: string;
  /** Number of instances, at least 3. Default: 3. */
  readonly instances?: number;
  /** Storage class; must be registered for the site and, for personal classes, encrypted. Default: the site's first encrypted class. */
  readonly storageClass?: string;
  /** Volume size. Default: `20Gi`. */
  readonly storageSize?: string;
  /** Zones the pods may run in (subset of the site's zones). Default: all the site's zones. */
  readonly zones?: readonly string[];
  /** PostgreSQL major version. Default: `16`. */
  readonly postgresVersion?: string;
  /**
   * Operand image, pinned by digest (`<image>:<tag>@sha256:<digest>`), e.g. the same image pushed to
   * the site's own registry. It must ship pgaudit. Default: CloudNativePG's `standard` image of
   * `postgresVersion` at the digest in `PINNED_POSTGRES_IMAGES`.
   */
  readonly imageName?: string;
  /**
   * Write statement parameters (the bound values) into the audit log (`pgaudit.log_parameter`).
   * Default: false — those values are the personal data itself, and the audit log keeps them for
   * three years in write-once storage where they cannot be deleted on request.
   */
  readonly auditLogParameters?: boolean;
  /** Continuous backup. Default: on, to the site's first object-storage endpoint, retention 30d. */
  readonly backup?: StoreBackupProps;
  /** Data protection officer contact written on the namespace (`residency.kz/dpo-contact`). Default: none. */
  readonly dpoContact?: string;
  /** Install the CloudNativePG operator chart for this site in this stack (once). Default: true. */
  readonly installOperator?: boolean;
  /** Extra managed roles. Default: none. */
  readonly roles?: readonly ManagedRole[];
  /** Namespaces (besides the store's own) whose applications may connect to the database on 5432. Default: none. */
  readonly clientNamespaces?: readonly string[];
}

const CONSENT: readonly ConsentSource[] = ['eGov', 'eOtinish'];

/** A primary PostgreSQL store (CloudNativePG) on one site. */
export class PrimaryDataStore extends Construct {
  readonly site: Site;
  readonly dataClass: DataClass;
  readonly clusterName: string;
  readonly namespaceName: string;
  readonly backup: BackupTarget;
  readonly cluster: CnpgCluster;
  readonly claim: ResidencyClaim;
  /** Ingress NetworkPolicy of the instances: own instances, the operator, allowed namespaces, tunnels. */
  readonly ingress: DatabaseIngressPolicy;

  constructor(scope: Construct, id: string, props: PrimaryDataStoreProps) {
    super(scope, id);
    const personal = isPersonal(props.dataClass);
    this.site = props.site;
    this.dataClass = props.dataClass;
    if (personal && !props.site.isKazakh) {
      refuse(
        this,
        'site',
        `${props.dataClass} data must have its primary store on a Kazakh site (Law 94-V Art. 12 para 2); ${props.site} is a ForeignSite`,
      );
    }
    const consent = normaliseConsent(this, props.consentSource);
    if (personal) {
      if (!props.purpose)
        refuse(this, 'purpose', `a store of ${props.dataClass} data declares its purpose of processing`);
      if (!props.dataCategories || props.dataCategories.length === 0) {
        refuse(
          this,
          'dataCategories',
          `a store of ${props.dataClass} data declares the categories of data it holds`,
        );
      }
      if (consent.length === 0)
        refuse(
          this,
          'consentSource',
          `a store of ${props.dataClass} data names its consent evidence source (eGov or eOtinish)`,
        );
    }
    this.clusterName = checkKubeName(this, 'clusterName', props.clusterName ?? kubeName(id));
    this.namespaceName = checkKubeName(this, 'namespace', props.namespace ?? this.clusterName);
    const placement = resolvePlacement({
      scope: this,
      site: props.site,
      dataClass: props.dataClass,
      instances: props.instances ?? 3,
      storageClass: props.storageClass,
      storageSize: props.storageSize ?? '20Gi',
      zones: props.zones,
      requireEncrypted: personal || props.site.isKazakh,
    });
    this.backup = resolveBackup(this, props.site, props.dataClass, this.clusterName, props.backup);
    SiteRegistry.use(this, this.backup.site);
    this.claim = { dataClass: props.dataClass, role: 'primary', site: props.site };
    const governance = governanceAnnotations({
      purpose: props.purpose,
      dataCategories: props.dataCategories,
      consentSource: consent,
      dpoContact: props.dpoContact,
    });
    const storeAnnotations = {
      ...governance,
      [ANNOTATIONS.auditLog]: 'pgaudit:all',
      [ANNOTATIONS.tls]: 'required',
      [ANNOTATIONS.backupTarget]: this.backup.endpoint,
      [ANNOTATIONS.backupSite]: this.backup.site.id,
    };
    const values: CnpgClusterValues = {
      residency: { dataClass: props.dataClass, role: 'primary', site: props.site.id },
      fullnameOverride: this.clusterName,
      type: 'postgresql',
      version: { postgresql: props.postgresVersion ?? '16' },
      mode: 'standalone',
      cluster: clusterSection({
        instances: props.instances ?? 3,
        storageClass: placement.storageClass,
        storageSize: props.storageSize ?? '20Gi',
        affinity: pinnedAffinity(props.site, placement.zones),
        labels: residencyLabels(this.claim),
        annotations: storeAnnotations,
        roles: [...(props.roles ?? [])],
        logParameters: props.auditLogParameters ?? false,
        ...(props.imageName !== undefined ? { imageName: props.imageName } : {}),
      }),
      backups: backupValues(this.backup),
    };
    this.cluster = new CnpgCluster(this, 'Cluster', {
      claim: this.claim,
      clusterName: this.clusterName,
      namespace: this.namespaceName,
      namespaceAnnotations: storeAnnotations,
      values,
      installOperator: props.installOperator ?? true,
    });
    this.ingress = new DatabaseIngressPolicy(this, 'Ingress', {
      site: props.site,
      namespace: this.namespaceName,
      clusterName: this.clusterName,
      dataClass: props.dataClass,
      clientNamespaces: props.clientNamespaces,
      dependsOn: [this.cluster.namespace],
    });
  }

  /**
   * Lets `tunnel`'s kz gateway reach the instances (while its kill switch is active) and adds
   * `serverName` — the name the replica dials at the other end — to the operator-generated server
   * certificate, so the replica can use `sslmode=verify-full`.
   */
  allowReplicationThrough(tunnel: DatabaseIngressTunnel, serverName: string): void {
    this.ingress.allowTunnel(tunnel);
    const cluster = this.values.cluster;
    const names = cluster.certificates?.serverAltDNSNames ?? [];
    if (!names.includes(serverName)) names.push(serverName);
    cluster.certificates = { serverAltDNSNames: names };
  }

  /** Read-write service host inside the site's cluster. */
  get serviceHost(): string {
    return `${this.clusterName}-rw.${this.namespaceName}.svc`;
  }

  /** The Helm values (typed). */
  get values(): CnpgClusterValues {
    return this.cluster.values;
  }

  /** Adds a managed database role (e.g. a read-only role for auditors). */
  addRole(role: ManagedRole): void {
    this.cluster.addRole(role);
  }
}

/** The `cluster` section shared by primaries, standbys and replicas. */
export function clusterSection(o: {
  instances: number;
  storageClass: string;
  storageSize: string;
  affinity: CnpgClusterValues['cluster']['affinity'];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  roles: ManagedRole[];
  /** pgaudit.log_parameter (see `pgauditParameters`). Default: false. */
  logParameters?: boolean;
  /** Operand image pinned by digest. Default: the pinned image of the PostgreSQL major (CnpgCluster). */
  imageName?: string;
}): CnpgClusterValues['cluster'] {
  return {
    instances: o.instances,
    ...(o.imageName !== undefined ? { imageName: o.imageName } : {}),
    storage: { size: o.storageSize, storageClass: o.storageClass },
    walStorage: { enabled: false, size: '1Gi', storageClass: o.storageClass },
    affinity: o.affinity,
    additionalLabels: o.labels,
    annotations: o.annotations,
    enableSuperuserAccess: false,
    enablePDB: true,
    postgresql: {
      parameters: { ...pgauditParameters(o.logParameters ?? false), ...TLS_PARAMETERS },
      pg_hba: [...TLS_PG_HBA],
      shared_preload_libraries: ['pgaudit'],
    },
    roles: o.roles,
    monitoring: { enabled: false },
  };
}

/** Normalises and checks a consent source prop. */
export function normaliseConsent(
  scope: Construct,
  c: ConsentSource | readonly ConsentSource[] | undefined,
): ConsentSource[] {
  const list: ConsentSource[] = c === undefined ? [] : typeof c === 'string' ? [c] : [...c];
  for (const s of list) {
    if (!CONSENT.includes(s))
      refuse(scope, 'consentSource', `expected eGov or eOtinish, got ${JSON.stringify(s)}`);
  }
  return list;
}

/** Resolves and validates a backup target (Kazakh object storage for personal data). */
export function resolveBackup(
  scope: Construct,
  storeSite: Site,
  dataClass: DataClass,
  clusterName: string,
  b: StoreBackupProps | undefined,
): BackupTarget {
  const site = b?.site ?? storeSite;
  if (isPersonal(dataClass) && !site.isKazakh) {
    refuse(
      scope,
      'backup.site',
      `backups of ${dataClass} data land on a Kazakh site; ${site} is abroad (a copy abroad is extra, never the backup)`,
    );
  }
  const endpoint = b?.endpoint ?? site.objectStorage[0];
  if (!endpoint)
    refuse(scope, 'backup.endpoint', `site ${site.id} registers no objectStorage endpoint for backups`);
  if (!site.objectStorage.includes(endpoint)) {
    refuse(
      scope,
      'backup.endpoint',
      `${endpoint} is not an objectStorage endpoint of site ${site.id} (${site.objectStorage.join(', ') || 'none'})`,
    );
  }
  const schedule = b?.schedule ?? '0 0 2 * * *';
  if (schedule.trim().split(/\s+/).length !== 6)
    refuse(scope, 'backup.schedule', `expected a six-field cron schedule, got ${JSON.stringify(schedule)}`);
  return {
    site,
    endpoint,
    bucket: b?.bucket ?? `${clusterName}-backups`,
    path: b?.path ?? `/${clusterName}`,
    credentialsSecret: checkKubeName(
      scope,
      'backup.credentialsSecret',
      b?.credentialsSecret ?? `${clusterName}-backup-credentials`,
    ),
    retention: checkRetention(scope, 'backup.retention', b?.retention ?? '30d'),
    schedule,
    ...(site.objectStorageAccess?.caBundle ? { caBundle: site.objectStorageAccess.caBundle } : {}),
    caSecret: `${clusterName}-object-storage-ca`,
  };
}
