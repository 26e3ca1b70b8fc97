/**
 * Write-once storage for audit logs, created by the deployment on a Kazakh site: a MinIO tenant
 * (MinIO operator and tenant charts 7.1.1) whose bucket is created with object locking
 * (`tenant.buckets[].objectLock: true`, the Tenant CRD's `spec.buckets`), and a Job that sets the
 * bucket's default retention to COMPLIANCE mode for the retention period and reads it back.
 *
 * Why a Job: the Tenant CRD creates a bucket with object locking enabled but has no field for a
 * default retention, and object locking without a retention protects nothing. In COMPLIANCE mode
 * no user — MinIO's root user included — can delete an object version or shorten its retention
 * before it expires; a delete only adds a delete marker, the locked version stays.
 *
 * What it does not cover: someone with cluster-admin on the site can still delete the tenant's
 * volumes (PVCs). Use a storage class whose volumes are retained on release, and keep cluster-admin
 * out of day-to-day hands; object storage outside the cluster with S3 Object Lock in compliance
 * mode is the stronger choice where the site offers it.
 */
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { JobV1 } from '@cdktf/provider-kubernetes/lib/job-v1';
import type { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import type { Site } from './site';
import { SiteProviders } from './site-providers';
import { pinnedAffinity } from './cnpg';
import { MinioOperator } from './minio-operator';
import { checkKubeName, refuse, residencyLabels, residencyValues, type ResidencyClaim } from './vocabulary';

/** The MinIO tenant chart (renders a Tenant with `spec.buckets`). */
export const MINIO_TENANT_CHART = {
  repository: 'https://operator.min.io',
  chart: 'tenant',
  version: '7.1.1',
} as const;
/**
 * The MinIO client image of the retention Job, pinned by digest (the digest other public
 * deployments pin for this release; check it with `crane digest` before mirroring it).
 */
export const MINIO_CLIENT_IMAGE =
  'quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z@sha256:a7fe349ef4bd8521fb8497f55c6042871b2ae640607cf99d9bede5e9bdf11727';
/** Every namespace has this ConfigMap (Kubernetes ≥ 1.21): the cluster CA, which signs the tenant's auto-certificate. */
export const CLUSTER_CA_CONFIGMAP = { name: 'kube-root-ca.crt', key: 'ca.crt' } as const;

/** Props of {@link WriteOnceAuditStore}. */
export interface WriteOnceAuditStoreProps {
  /** The Kazakh site. No default. */
  readonly site: Site;
  /** Namespace of the tenant (created by the caller; pass it in `namespaceResource`). No default. */
  readonly namespace: string;
  /** The namespace resource to create first. No default. */
  readonly namespaceResource: NamespaceV1;
  /** Classification of the logs it holds. No default. */
  readonly claim: ResidencyClaim;
  /** Tenant name (also the prefix of its objects). No default. */
  readonly name: string;
  /** Bucket created with object locking. No default. */
  readonly bucket: string;
  /** Default retention of every object, in days (COMPLIANCE mode). No default. */
  readonly retentionDays: number;
  /**
   * Secret (by name, in `namespace`) with the tenant's root credentials as MinIO's env file: key
   * `config.env` holding `export MINIO_ROOT_USER=…` and `export MINIO_ROOT_PASSWORD=…`. It must exist
   * before apply. Default: `<name>-env-configuration`.
   */
  readonly rootCredentialsSecret?: string;
  /** Storage class of the tenant's volumes; registered and encrypted on the site. Default: the site's first encrypted class. */
  readonly storageClass?: string;
  /** Size of each volume. Default: `50Gi`. */
  readonly volumeSize?: string;
  /** MinIO servers (one volume each; 4 is the smallest erasure-coded pool). Default: 4. */
  readonly servers?: number;
  /** Image of the retention Job, pinned by digest. Default: {@link MINIO_CLIENT_IMAGE}. */
  readonly clientImage?: string;
}

/** An object-locked MinIO bucket with a COMPLIANCE default retention, on a Kazakh site. */
export class WriteOnceAuditStore extends Construct {
  readonly operator: MinioOperator;
  readonly tenant: Release;
  readonly retentionJob: JobV1;
  /** In-cluster S3 endpoint of the tenant (TLS, certificate signed by the cluster CA). */
  readonly endpointHost: string;
  readonly bucket: string;
  readonly rootCredentialsSecret: string;
  readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: WriteOnceAuditStoreProps) {
    super(scope, id);
    const site = props.site;
    if (!site.isKazakh) refuse(this, 'site', `audit logs are kept on a Kazakh site; ${site} is abroad`);
    const name = checkKubeName(this, 'name', props.name);
    const ns = checkKubeName(this, 'namespace', props.namespace);
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucket))
      refuse(this, 'bucket', `${JSON.stringify(props.bucket)} is not a valid S3 bucket name`);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1)
      refuse(this, 'retentionDays', `expected a positive number of days, got ${props.retentionDays}`);
    const servers = props.servers ?? 4;
    if (!Number.isInteger(servers) || servers < 4)
      refuse(this, 'servers', `an erasure-coded MinIO pool needs at least 4 servers, got ${servers}`);
    const scName = props.storageClass ?? site.defaultEncryptedStorageClass?.name;
    if (!scName)
      refuse(this, 'storageClass', `site ${site.id} registers no encrypted storage class for the audit logs`);
    const sc = site.storageClass(scName);
    if (!sc?.encrypted)
      refuse(
        this,
        'storageClass',
        `${JSON.stringify(scName)} is not a registered encrypted storage class of site ${site.id}`,
      );
    const volumeSize = props.volumeSize ?? '50Gi';
    if (!/^[0-9]+(Mi|Gi|Ti)$/.test(volumeSize))
      refuse(
        this,
        'volumeSize',
        `expected a Kubernetes quantity like 50Gi, got ${JSON.stringify(volumeSize)}`,
      );
    const clientImage = props.clientImage ?? MINIO_CLIENT_IMAGE;
    if (!/@sha256:[0-9a-f]{64}$/.test(clientImage))
      refuse(this, 'clientImage', `${JSON.stringify(clientImage)} is not pinned by digest`);
    this.rootCredentialsSecret = checkKubeName(
      this,
      'rootCredentialsSecret',
      props.rootCredentialsSecret ?? `${name}-env-configuration`,
    );
    this.bucket = props.bucket;
    this.retentionDays = props.retentionDays;
    this.endpointHost = `minio.${ns}.svc.cluster.local`;

    const providers = SiteProviders.of(this, site);
    const labels = residencyLabels(props.claim);
    this.operator = MinioOperator.of(this, props.claim);
    const tenantValues = {
      residency: residencyValues(props.claim),
      tenant: {
        name,
        configSecret: { name: this.rootCredentialsSecret, existingSecret: true },
        poolsMetadata: { labels },
        pools: [
          {
            servers,
            name: 'pool-0',
            volumesPerServer: 1,
            size: volumeSize,
            storageClassName: scName,
            labels,
            affinity: { nodeAffinity: pinnedAffinity(site, site.zones).nodeAffinity },
          },
        ],
        certificate: { requestAutoCert: true },
        buckets: [{ name: props.bucket, objectLock: true }],
      },
    };
    this.tenant = new Release(this, 'tenant', {
      provider: providers.helm,
      name,
      namespace: ns,
      repository: MINIO_TENANT_CHART.repository,
      chart: MINIO_TENANT_CHART.chart,
      version: MINIO_TENANT_CHART.version,
      values: [JSON.stringify(tenantValues, null, 2)],
      atomic: true,
      dependsOn: [props.namespaceResource, this.operator.release],
    });

    // Sets the default retention once the operator has created the bucket, then reads it back; the
    // apply fails (wait_for_completion) when either step does.
    const script = [
      'set -eu',
      '. /kz/minio/config.env',
      'mkdir -p /tmp/mc/certs/CAs',
      `cp /kz/ca/${CLUSTER_CA_CONFIGMAP.key} /tmp/mc/certs/CAs/cluster-ca.crt`,
      'until mc --config-dir /tmp/mc alias set kz "$KZ_MINIO_URL" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null; do sleep 5; done',
      'until mc --config-dir /tmp/mc stat "kz/$KZ_BUCKET" >/dev/null 2>&1; do sleep 5; done',
      'mc --config-dir /tmp/mc retention set --default "$KZ_RETENTION_MODE" "${KZ_RETENTION_DAYS}d" "kz/$KZ_BUCKET"',
      'mc --config-dir /tmp/mc retention info --default "kz/$KZ_BUCKET" | grep -i "$KZ_RETENTION_MODE"',
    ].join('\n');
    this.retentionJob = new JobV1(this, 'retention', {
      provider: providers.kubernetes,
      metadata: { name: `${name}-object-lock-retention`, namespace: ns, labels },
      spec: {
        backoffLimit: 6,
        activeDeadlineSeconds: 900,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'OnFailure',
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: '1000', runAsGroup: '1000' },
            container: [
              {
                name: 'mc',
                image: clientImage,
                command: ['/bin/sh', '-c', script],
                env: [
                  { name: 'KZ_MINIO_URL', value: `https://${this.endpointHost}` },
                  { name: 'KZ_BUCKET', value: props.bucket },
                  { name: 'KZ_RETENTION_MODE', value: 'COMPLIANCE' },
                  { name: 'KZ_RETENTION_DAYS', value: String(props.retentionDays) },
                ],
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMount: [
                  { name: 'root-credentials', mountPath: '/kz/minio', readOnly: true },
                  { name: 'cluster-ca', mountPath: '/kz/ca', readOnly: true },
                  { name: 'mc-config', mountPath: '/tmp/mc' },
                ],
              },
            ],
            volume: [
              { name: 'root-credentials', secret: { secretName: this.rootCredentialsSecret } },
              { name: 'cluster-ca', configMap: { name: CLUSTER_CA_CONFIGMAP.name } },
              { name: 'mc-config', emptyDir: {} },
            ],
          },
        },
      },
      waitForCompletion: true,
      timeouts: { create: '15m', update: '15m' },
      dependsOn: [this.tenant],
    });
  }
}
