/**
 * A read-only replica at a site abroad (the HQ): a CloudNativePG **replica cluster** that streams
 * from the Kazakh primary through an EncryptedTunnel. It names its transfer agreement (e.g. an SCC
 * reference) and legal basis (a Law 94-V Art. 16 ground). It refuses biometric data; personal and
 * special data only with agreement and basis; case and public data freely. It keeps no backups
 * abroad (a copy abroad never replaces local backups).
 *
 * The cluster chart keys it writes, and why (chart 0.8.1; templates `_bootstrap.tpl`,
 * `_external_clusters.tpl`, `_external_source_cluster.tpl`; CloudNativePG "Replica clusters"):
 * - `mode: replica` → `spec.replica: {enabled: true, source: originCluster}`: every instance is a
 *   hot standby (the designated primary too), so no session can write — read-only by construction,
 *   not by a `default_transaction_read_only` default a client could switch off.
 * - `replica.bootstrap.source: pg_basebackup` → `spec.bootstrap.pg_basebackup.source: originCluster`:
 *   the first copy is taken over the streaming protocol, through the tunnel. Not `object_store`: the
 *   primary's backups are on Kazakh object storage, which must not be reachable from abroad.
 * - `replica.origin.pg_basebackup` → `externalClusters[originCluster].connectionParameters` and
 *   `sslKey`/`sslCert`/`sslRootCert`: `host`/`port` are the hq gateway's local Service (the HQ end
 *   of the tunnel, `tunnel.hqLocalEndpoint`), `username: streaming_replica` authenticated by its
 *   client certificate (CloudNativePG's fixed pg_hba rule `hostssl replication streaming_replica
 *   all cert`), `sslMode: verify-full` against the source's CA; the source's server certificate
 *   carries the hq host name through `certificates.serverAltDNSNames` on the primary.
 *   `replica.origin.objectStore` is left empty, so the external cluster has no barmanObjectStore.
 *
 * The user provides, in the replica's namespace at HQ: the source's `<source>-replication` Secret
 * (tls.crt/tls.key of `streaming_replica`) and `<source>-ca` Secret (ca.crt), copied from the
 * Kazakh cluster where the operator generates them (or issued by the user's own CA).
 */
import { Construct } from 'constructs';
import type { DataClass } from '../plan/types';
import type { Site } from './site';
import {
  CnpgCluster,
  governanceAnnotations,
  pinnedAffinity,
  type CnpgClusterValues,
  type StreamingOriginValues,
} from './cnpg';
import { EncryptedTunnel } from './encrypted-tunnel';
import { clusterSection, type PrimaryDataStore } from './primary-data-store';
import {
  ANNOTATIONS,
  checkKubeName,
  isPersonal,
  refuse,
  residencyLabels,
  type ResidencyClaim,
} from './vocabulary';

/** Props of {@link HqReplica}. */
export interface HqReplicaProps {
  /** The Kazakh primary whose data the replica receives. No default. */
  readonly source: PrimaryDataStore;
  /** The site abroad. No default. */
  readonly site: Site;
  /** The tunnel that feeds the replica; its kz end must be the source's site and its hq end this site. No default. */
  readonly tunnel: EncryptedTunnel;
  /** Transfer agreement reference (e.g. `SCC-2026-014`). Required for personal and special data; default none otherwise. */
  readonly transferAgreement?: string;
  /** Legal basis of the transfer (e.g. `Law 94-V Art. 16: consent of the subject`). Required for personal and special data; default none otherwise. */
  readonly legalBasis?: string;
  /** Number of instances (1+). Default: 2. */
  readonly instances?: number;
  /** Storage class registered for the site (encrypted for personal data). Default: the site's first encrypted class, else its first class. */
  readonly storageClass?: string;
  /** Volume size. Default: the source's. */
  readonly storageSize?: string;
  /** Install the operator chart for the site in this stack. Default: true. */
  readonly installOperator?: boolean;
  /**
   * Secrets (by name, in the replica's namespace) holding the source's `streaming_replica` client
   * certificate and key (`tls.crt`, `tls.key`) and the source's CA (`ca.crt`). Default:
   * `<source clusterName>-replication` and `<source clusterName>-ca`, the names the operator gives
   * them in the source cluster.
   */
  readonly sourceSecrets?: { readonly replication?: string; readonly ca?: string };
  /** TLS verification of the source: `verify-full` (name and chain) or `verify-ca` (chain only). Default: `verify-full`. */
  readonly sslMode?: 'verify-full' | 'verify-ca';
}

/** The user name a replica cluster streams as (CloudNativePG's replication user). */
export const STREAMING_REPLICA_USER = 'streaming_replica';

/** A read-only replica abroad, fed through an encrypted tunnel. */
export class HqReplica extends Construct {
  readonly site: Site;
  readonly dataClass: DataClass;
  readonly clusterName: string;
  readonly namespaceName: string;
  readonly cluster: CnpgCluster;
  readonly claim: ResidencyClaim;
  /** Where the replica streams from (the chart's `replica.origin.pg_basebackup`). */
  readonly origin: StreamingOriginValues;

  constructor(scope: Construct, id: string, props: HqReplicaProps) {
    super(scope, id);
    const { source, site, tunnel } = props;
    const dataClass = source.dataClass;
    if (dataClass === 'biometric') {
      refuse(
        this,
        'source',
        `biometric data never leaves Kazakhstan; ${source.node.path} holds biometric data`,
      );
    }
    if (site.isKazakh)
      refuse(this, 'site', `an HqReplica is a copy abroad; ${site} is in Kazakhstan (use InCountryStandby)`);
    if (!(tunnel instanceof EncryptedTunnel))
      refuse(this, 'tunnel', 'an HqReplica is fed only through an EncryptedTunnel');
    if (tunnel.hqSite.id !== site.id)
      refuse(this, 'tunnel', `the tunnel ends at ${tunnel.hqSite.id}, not at the replica's site ${site.id}`);
    if (
      tunnel.source.clusterName !== source.clusterName ||
      tunnel.source.namespaceName !== source.namespaceName
    ) {
      refuse(
        this,
        'tunnel',
        `the tunnel carries connections to ${tunnel.source.namespaceName}/${tunnel.source.clusterName}, not to the source ${source.namespaceName}/${source.clusterName}`,
      );
    }
    if (tunnel.kzSite.id !== source.site.id) {
      refuse(
        this,
        'tunnel',
        `the tunnel starts at ${tunnel.kzSite.id}, not at the source's site ${source.site.id}`,
      );
    }
    if (isPersonal(dataClass)) {
      if (!props.transferAgreement)
        refuse(
          this,
          'transferAgreement',
          `a cross-border replica of ${dataClass} data names its transfer agreement (e.g. an SCC reference)`,
        );
      if (!props.legalBasis)
        refuse(
          this,
          'legalBasis',
          `a cross-border replica of ${dataClass} data names its legal basis (Law 94-V Art. 16)`,
        );
    }
    const instances = props.instances ?? 2;
    if (!Number.isInteger(instances) || instances < 1)
      refuse(this, 'instances', `expected a positive integer, got ${instances}`);
    const sc = props.storageClass ?? (site.defaultEncryptedStorageClass ?? site.storageClasses[0])?.name;
    if (!sc) refuse(this, 'storageClass', `site ${site.id} registers no storage class`);
    const registered = site.storageClass(sc);
    if (!registered)
      refuse(this, 'storageClass', `${JSON.stringify(sc)} is not registered for site ${site.id}`);
    if (isPersonal(dataClass) && !registered.encrypted) {
      refuse(
        this,
        'storageClass',
        `${JSON.stringify(sc)} of site ${site.id} is not marked encrypted; ${dataClass} data needs one`,
      );
    }
    this.site = site;
    this.dataClass = dataClass;
    this.clusterName = tunnel.replicaTarget.clusterName;
    this.namespaceName = tunnel.replicaTarget.namespace;
    this.claim = { dataClass, role: 'replica', site };
    const inherited: Record<string, string> = {};
    for (const k of [ANNOTATIONS.purpose, ANNOTATIONS.dataCategories, ANNOTATIONS.consentSource]) {
      const v = source.values.cluster.annotations[k];
      if (v !== undefined) inherited[k] = v;
    }
    const annotations: Record<string, string> = {
      ...inherited,
      ...governanceAnnotations({}),
      [ANNOTATIONS.tunnel]: tunnel.name,
      [ANNOTATIONS.tunnelProfile]: tunnel.profile,
      [ANNOTATIONS.crossBorder]: tunnel.crossBorder,
      [ANNOTATIONS.sourceSite]: source.site.id,
      [ANNOTATIONS.sourceStore]: source.clusterName,
      [ANNOTATIONS.auditLog]: 'pgaudit:all',
      [ANNOTATIONS.tls]: 'required',
      ...(props.transferAgreement ? { [ANNOTATIONS.transferAgreement]: props.transferAgreement } : {}),
      ...(props.legalBasis ? { [ANNOTATIONS.legalBasis]: props.legalBasis } : {}),
    };
    const sslMode = props.sslMode ?? 'verify-full';
    if (sslMode !== 'verify-full' && sslMode !== 'verify-ca')
      refuse(this, 'sslMode', `expected 'verify-full' or 'verify-ca', got ${JSON.stringify(sslMode)}`);
    const replicationSecret = checkKubeName(
      this,
      'sourceSecrets.replication',
      props.sourceSecrets?.replication ?? `${source.clusterName}-replication`,
    );
    const caSecret = checkKubeName(
      this,
      'sourceSecrets.ca',
      props.sourceSecrets?.ca ?? `${source.clusterName}-ca`,
    );
    this.origin = {
      host: tunnel.hqLocalEndpoint.host,
      port: tunnel.hqLocalEndpoint.port,
      username: STREAMING_REPLICA_USER,
      database: 'postgres',
      sslMode,
      sslKeySecret: { name: replicationSecret, key: 'tls.key' },
      sslCertSecret: { name: replicationSecret, key: 'tls.crt' },
      sslRootCertSecret: { name: caSecret, key: 'ca.crt' },
    };
    // the kz gateway may reach the primary, and the primary's certificate names the host dialled here
    source.allowReplicationThrough(tunnel, this.origin.host);
    const values: CnpgClusterValues = {
      residency: { dataClass, role: 'replica', site: site.id },
      fullnameOverride: this.clusterName,
      type: 'postgresql',
      version: { postgresql: source.values.version.postgresql },
      mode: 'replica',
      cluster: clusterSection({
        instances,
        storageClass: sc,
        storageSize: props.storageSize ?? source.values.cluster.storage.size,
        affinity: pinnedAffinity(site, site.zones),
        labels: residencyLabels(this.claim),
        annotations,
        roles: [],
      }),
      backups: { enabled: false },
      replica: {
        bootstrap: { source: 'pg_basebackup', database: 'app' },
        origin: { pg_basebackup: this.origin },
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
