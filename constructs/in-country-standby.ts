/**
 * An in-country standby: a CloudNativePG replica cluster of a primary, in the other Kazakh city.
 * It bootstraps and follows the primary from the primary's backups (object storage on a Kazakh
 * site) and keeps its own continuous backup on its own site. It refuses the same city and any
 * foreign site.
 */
import { Construct } from 'constructs';
import type { Site } from './site';
import { SiteRegistry } from './site-registry';
import {
  CnpgCluster,
  ENDPOINT_CA_KEY,
  backupValues,
  governanceAnnotations,
  objectStoreValues,
  pinnedAffinity,
  resolvePlacement,
  type BackupTarget,
  type CnpgClusterValues,
} from './cnpg';
import {
  clusterSection,
  resolveBackup,
  type PrimaryDataStore,
  type StoreBackupProps,
} from './primary-data-store';
import { ANNOTATIONS, checkKubeName, refuse, residencyLabels, type ResidencyClaim } from './vocabulary';

/** Props of {@link InCountryStandby}. */
export interface InCountryStandbyProps {
  /** The primary this standby follows. No default. */
  readonly primary: PrimaryDataStore;
  /** The standby's site: a Kazakh site in the other city than the primary's. No default. */
  readonly site: Site;
  /** Cluster and release name. Default: `<primary clusterName>-standby`. */
  readonly clusterName?: string;
  /** Namespace (created, labelled). Default: the primary's namespace name. */
  readonly namespace?: string;
  /** Number of instances, at least 3. Default: 3. */
  readonly instances?: number;
  /** Storage class, registered and encrypted on the standby's site. Default: the site's first encrypted class. */
  readonly storageClass?: string;
  /** Volume size. Default: the primary's (`20Gi` unless set there). */
  readonly storageSize?: string;
  /** Zones (subset of the site's zones). Default: all the site's zones. */
  readonly zones?: readonly string[];
  /** The standby's own continuous backup. Default: on, to its site's first object storage, 30d. */
  readonly backup?: StoreBackupProps;
  /** Install the operator chart for the site in this stack. Default: true. */
  readonly installOperator?: boolean;
  /** Data protection officer contact on the namespace. Default: none. */
  readonly dpoContact?: string;
}

/** A replica cluster of a primary in the other Kazakh city. */
export class InCountryStandby extends Construct {
  readonly site: Site;
  readonly primary: PrimaryDataStore;
  readonly clusterName: string;
  readonly namespaceName: string;
  readonly backup: BackupTarget;
  readonly cluster: CnpgCluster;
  readonly claim: ResidencyClaim;

  constructor(scope: Construct, id: string, props: InCountryStandbyProps) {
    super(scope, id);
    const { primary, site } = props;
    if (!site.isKazakh) {
      refuse(
        this,
        'site',
        `an in-country standby runs on a Kazakh site; ${site} is a ForeignSite (use HqReplica for a copy abroad)`,
      );
    }
    if (site.city === primary.site.city) {
      refuse(
        this,
        'site',
        `the standby must be in the other Kazakh city than the primary (both in ${site.city})`,
      );
    }
    if (site.id === primary.site.id)
      refuse(this, 'site', `the standby cannot share the primary's site ${site.id}`);
    this.site = site;
    this.primary = primary;
    this.clusterName = checkKubeName(
      this,
      'clusterName',
      props.clusterName ?? `${primary.clusterName}-standby`,
    );
    this.namespaceName = checkKubeName(this, 'namespace', props.namespace ?? primary.namespaceName);
    const primaryValues = primary.values;
    const storageSize = props.storageSize ?? primaryValues.cluster.storage.size;
    const placement = resolvePlacement({
      scope: this,
      site,
      dataClass: primary.dataClass,
      instances: props.instances ?? 3,
      storageClass: props.storageClass,
      storageSize,
      zones: props.zones,
      requireEncrypted: true,
    });
    this.backup = resolveBackup(this, site, primary.dataClass, this.clusterName, props.backup);
    SiteRegistry.use(this, this.backup.site);
    SiteRegistry.use(this, primary.backup.site);
    this.claim = { dataClass: primary.dataClass, role: 'standby', site };
    const inherited = pick(primaryValues.cluster.annotations, [
      ANNOTATIONS.purpose,
      ANNOTATIONS.dataCategories,
      ANNOTATIONS.consentSource,
    ]);
    const annotations = {
      ...inherited,
      ...governanceAnnotations({ dpoContact: props.dpoContact }),
      [ANNOTATIONS.auditLog]: 'pgaudit:all',
      [ANNOTATIONS.tls]: 'required',
      [ANNOTATIONS.backupTarget]: this.backup.endpoint,
      [ANNOTATIONS.backupSite]: this.backup.site.id,
      [ANNOTATIONS.sourceSite]: primary.site.id,
      [ANNOTATIONS.sourceStore]: primary.clusterName,
    };
    const values: CnpgClusterValues = {
      residency: { dataClass: primary.dataClass, role: 'standby', site: site.id },
      fullnameOverride: this.clusterName,
      type: 'postgresql',
      version: { postgresql: primaryValues.version.postgresql },
      mode: 'replica',
      cluster: clusterSection({
        instances: props.instances ?? 3,
        storageClass: placement.storageClass,
        storageSize,
        affinity: pinnedAffinity(site, placement.zones),
        labels: residencyLabels(this.claim),
        annotations,
        roles: [],
      }),
      // the CA Secret also trusts the source site's object storage, which the replica origin reads
      backups: backupValues(this.backup, [primary.backup.caBundle]),
      replica: {
        origin: {
          objectStore: {
            clusterName: primary.clusterName,
            ...objectStoreValues(
              primary.backup,
              this.backup.caBundle || primary.backup.caBundle
                ? { name: this.backup.caSecret, key: ENDPOINT_CA_KEY }
                : undefined,
            ),
          },
        },
        bootstrap: { source: 'object_store', database: 'app' },
      },
    };
    this.cluster = new CnpgCluster(this, 'Cluster', {
      claim: this.claim,
      clusterName: this.clusterName,
      namespace: this.namespaceName,
      namespaceAnnotations: annotations,
      values,
      installOperator: props.installOperator ?? true,
    });
  }

  /** The Helm values (typed). */
  get values(): CnpgClusterValues {
    return this.cluster.values;
  }
}

function pick(o: Record<string, string>, keys: readonly string[]): Record<string, string> {
  const r: Record<string, string> = {};
  for (const k of keys) if (o[k] !== undefined) r[k] = o[k];
  return r;
}
