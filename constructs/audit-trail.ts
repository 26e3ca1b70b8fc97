/**
 * Audit trail on a Kazakh site, an audit log nobody in the cluster can erase:
 *
 * - **write-once storage** ({@link WriteOnceAuditStore}): a MinIO tenant in the audit namespace
 *   whose bucket is object-locked with a COMPLIANCE default retention of `retentionDays`;
 * - **Loki** (chart 6.55.0, single binary) storing its chunks and index in that bucket, with
 *   `auth_enabled: true` (every push and query names a tenant), deletion disabled
 *   (`limits_config.deletion_mode: disabled`: no delete API) and retention equal to the lock; its
 *   gateway requires basic authentication (an htpasswd Secret) and is published at the site's
 *   registered log sink host;
 * - **Fluent Bit** (chart 0.58.1, a DaemonSet) tailing the containers of the store and application
 *   namespaces, remembering its read position in a `DB` file and buffering on the node's
 *   filesystem (`storage.type filesystem`), so lines survive a restart, a rotation or a Loki outage,
 *   and shipping to the Loki deployed beside it, not to a host outside the deployment;
 * - an egress lockdown of the audit namespace (DNS, the namespace, the API server).
 *
 * Secrets it expects (never created from literals) are listed by {@link AuditTrail.prerequisites}.
 */
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import type { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import type { DataClass } from '../plan/types';
import type { Site } from './site';
import { SiteProviders } from './site-providers';
import { SiteRegistry } from './site-registry';
import { labelledNamespace } from './cnpg';
import { EgressLockdown } from './egress-lockdown';
import type { Prerequisite } from './prerequisites';
import { CLUSTER_CA_CONFIGMAP, MINIO_CLIENT_IMAGE, WriteOnceAuditStore } from './write-once-audit-store';
import {
  ANNOTATIONS,
  checkKubeName,
  kubeName,
  refuse,
  residencyLabels,
  residencyValues,
  type ResidencyClaim,
} from './vocabulary';

/** Chart repositories and versions used by the audit trail (the versions the tests check the values against). */
export const FLUENT_BIT_CHART = {
  repository: 'https://fluent.github.io/helm-charts',
  chart: 'fluent-bit',
  version: '0.58.1',
} as const;
export const LOKI_CHART = {
  repository: 'https://grafana.github.io/helm-charts',
  chart: 'loki',
  version: '6.55.0',
} as const;

/** Where Fluent Bit keeps its read positions and its filesystem buffer on each node. */
export const FLUENT_BIT_STATE_DIR = '/var/fluent-bit/state';
/** Where Loki reads the CA that signed the MinIO tenant's certificate. */
const LOKI_CA_DIR = '/etc/kz-audit/ca';

/** Props of {@link AuditTrail}. */
export interface AuditTrailProps {
  /** The Kazakh site of the log store. No default. */
  readonly site: Site;
  /**
   * Namespaces whose container logs are collected: the stores' and the applications' (first-touch
   * included). Default: every namespace of the node.
   */
  readonly sourceNamespaces?: readonly string[];
  /**
   * The site's registered log sink (its `logSinks`) at which Loki's gateway is published for
   * auditors, through an Ingress. Default: the site's first log sink.
   */
  readonly logSink?: string;
  /** Retention of audit logs in days, and the COMPLIANCE lock of each object. At least 1. Default: 1095 (3 years). */
  readonly retentionDays?: number;
  /** Write-once storage. Only `true` is accepted: an audit log that can be erased is refused. Default: true. */
  readonly immutable?: boolean;
  /** Loki tenant the logs are written to (`X-Scope-OrgID`). Default: `kz-audit`. */
  readonly tenant?: string;
  /** Bucket of the log store (object-locked). Default: `<name>-audit-logs`. */
  readonly bucket?: string;
  /** Secret with MinIO's root credentials (`config.env`). Default: `<name>-minio-env-configuration`. */
  readonly storageRootSecret?: string;
  /** Secret with Loki's S3 credentials for the tenant (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`). Default: `<name>-storage-credentials`. */
  readonly storageCredentialsSecret?: string;
  /** Secret with the gateway's htpasswd (key `.htpasswd`). Default: `<name>-gateway-htpasswd`. */
  readonly gatewayHtpasswdSecret?: string;
  /** Secret with Fluent Bit's gateway credentials (keys `username`, `password`). Default: `<name>-collector-credentials`. */
  readonly collectorCredentialsSecret?: string;
  /** Secret (kubernetes.io/tls) for the log sink host's Ingress. Default: `<name>-log-sink-tls`. */
  readonly logSinkTlsSecret?: string;
  /** Ingress class of the log sink Ingress. Default: `nginx`. */
  readonly ingressClassName?: string;
  /** Size of each write-once storage volume. Default: `50Gi`. */
  readonly storageVolumeSize?: string;
  /** Lock down the audit namespace's egress (DNS, itself, the API server). Default: true. */
  readonly lockEgress?: boolean;
  /** Data class of the logs (audit logs of personal stores contain personal data). Default: `personal`. */
  readonly dataClass?: DataClass;
  /** Name (release and namespace prefix). Default: the construct id in kebab case. */
  readonly name?: string;
  /** Namespace (created, labelled). Default: `<name>`. */
  readonly namespace?: string;
}

/** Log collection, a Loki log store and write-once storage on a Kazakh site. */
export class AuditTrail extends Construct {
  readonly site: Site;
  readonly logSink: string;
  readonly retentionDays: number;
  readonly immutable: true;
  readonly namespace: NamespaceV1;
  readonly namespaceName: string;
  readonly store: WriteOnceAuditStore;
  readonly logStore: Release;
  readonly collector: Release;
  readonly egress?: EgressLockdown;
  /** The in-cluster URL Fluent Bit pushes to (Loki's gateway). */
  readonly pushUrl: string;
  /** Secrets and images this audit trail expects to exist before apply. */
  readonly prerequisites: readonly Prerequisite[];

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const site = props.site;
    if (!site.isKazakh) refuse(this, 'site', `audit logs are kept on a Kazakh site; ${site} is abroad`);
    if (props.immutable === false) {
      refuse(
        this,
        'immutable',
        'audit logs are kept in write-once storage (object lock, COMPLIANCE mode); immutable: false would let them be erased',
      );
    }
    const logSink = props.logSink ?? site.logSinks[0];
    if (!logSink) refuse(this, 'logSink', `site ${site.id} registers no log sink`);
    if (!site.logSinks.includes(logSink)) {
      refuse(
        this,
        'logSink',
        `${logSink} is not a log sink of site ${site.id} (${site.logSinks.join(', ') || 'none'})`,
      );
    }
    const sinkUrl = new URL(logSink);
    if (sinkUrl.protocol !== 'https:')
      refuse(this, 'logSink', `${logSink}: the log sink is published over https only`);
    const retentionDays = props.retentionDays ?? 1095;
    if (!Number.isInteger(retentionDays) || retentionDays < 1)
      refuse(this, 'retentionDays', `expected a positive number of days, got ${retentionDays}`);
    const name = checkKubeName(this, 'name', props.name ?? kubeName(id));
    const nsName = checkKubeName(this, 'namespace', props.namespace ?? name);
    const tenant = props.tenant ?? 'kz-audit';
    if (!/^[A-Za-z0-9_.-]{1,150}$/.test(tenant))
      refuse(this, 'tenant', `${JSON.stringify(tenant)} is not a valid Loki tenant id`);
    const sc = site.defaultEncryptedStorageClass;
    if (!sc) refuse(this, 'site', `site ${site.id} registers no encrypted storage class for the log store`);
    const secrets = {
      storageRoot: checkKubeName(
        this,
        'storageRootSecret',
        props.storageRootSecret ?? `${name}-minio-env-configuration`,
      ),
      storage: checkKubeName(
        this,
        'storageCredentialsSecret',
        props.storageCredentialsSecret ?? `${name}-storage-credentials`,
      ),
      htpasswd: checkKubeName(
        this,
        'gatewayHtpasswdSecret',
        props.gatewayHtpasswdSecret ?? `${name}-gateway-htpasswd`,
      ),
      collector: checkKubeName(
        this,
        'collectorCredentialsSecret',
        props.collectorCredentialsSecret ?? `${name}-collector-credentials`,
      ),
      sinkTls: checkKubeName(this, 'logSinkTlsSecret', props.logSinkTlsSecret ?? `${name}-log-sink-tls`),
    };
    this.site = site;
    this.logSink = logSink;
    this.retentionDays = retentionDays;
    this.immutable = true;
    this.namespaceName = nsName;
    SiteRegistry.use(this, site);

    const claim: ResidencyClaim = { dataClass: props.dataClass ?? 'personal', role: 'audit', site };
    const labels = residencyLabels(claim);
    const annotations = {
      [ANNOTATIONS.logSink]: logSink,
      [ANNOTATIONS.retentionDays]: String(retentionDays),
      [ANNOTATIONS.immutable]: 'true',
    };
    const providers = SiteProviders.of(this, site);
    this.namespace = labelledNamespace(this, 'namespace', nsName, claim, annotations);

    const bucket = props.bucket ?? `${name}-audit-logs`;
    this.store = new WriteOnceAuditStore(this, 'WriteOnceStore', {
      site,
      namespace: nsName,
      namespaceResource: this.namespace,
      claim,
      name: `${name}-minio`,
      bucket,
      retentionDays,
      rootCredentialsSecret: secrets.storageRoot,
      storageClass: sc.name,
      volumeSize: props.storageVolumeSize,
    });

    const lokiRelease = `${name}-loki`;
    const lokiValues = {
      residency: residencyValues(claim),
      deploymentMode: 'SingleBinary',
      loki: {
        auth_enabled: true,
        commonConfig: { replication_factor: 1 },
        podLabels: labels,
        podAnnotations: annotations,
        schemaConfig: {
          configs: [
            {
              from: '2026-01-01',
              store: 'tsdb',
              object_store: 's3',
              schema: 'v13',
              index: { prefix: 'index_', period: '24h' },
            },
          ],
        },
        storage: {
          type: 's3',
          bucketNames: { chunks: bucket, ruler: bucket, admin: bucket },
          s3: {
            endpoint: this.store.endpointHost,
            s3ForcePathStyle: true,
            insecure: false,
            accessKeyId: '${AWS_ACCESS_KEY_ID}',
            secretAccessKey: '${AWS_SECRET_ACCESS_KEY}',
            http_config: { ca_file: `${LOKI_CA_DIR}/${CLUSTER_CA_CONFIGMAP.key}` },
          },
        },
        // No delete API; retention never shorter than the object lock.
        limits_config: { retention_period: `${retentionDays * 24}h`, deletion_mode: 'disabled' },
        compactor: { retention_enabled: true, delete_request_store: 's3' },
      },
      gateway: {
        basicAuth: { enabled: true, existingSecret: secrets.htpasswd },
        ingress: {
          enabled: true,
          ingressClassName: props.ingressClassName ?? 'nginx',
          labels,
          hosts: [{ host: sinkUrl.hostname, paths: [{ path: '/', pathType: 'Prefix' }] }],
          tls: [{ secretName: secrets.sinkTls, hosts: [sinkUrl.hostname] }],
        },
      },
      singleBinary: {
        replicas: 1,
        persistence: { storageClass: sc.name, whenDeleted: 'Retain', whenScaled: 'Retain' },
        extraArgs: ['-config.expand-env=true'],
        extraEnvFrom: [{ secretRef: { name: secrets.storage } }],
        extraVolumes: [{ name: 'object-store-ca', configMap: { name: CLUSTER_CA_CONFIGMAP.name } }],
        extraVolumeMounts: [{ name: 'object-store-ca', mountPath: LOKI_CA_DIR, readOnly: true }],
      },
      read: { replicas: 0 },
      write: { replicas: 0 },
      backend: { replicas: 0 },
      chunksCache: { enabled: false },
      resultsCache: { enabled: false },
      lokiCanary: { enabled: false },
      test: { enabled: false },
    };
    this.logStore = new Release(this, 'log-store', {
      provider: providers.helm,
      name: lokiRelease,
      namespace: nsName,
      repository: LOKI_CHART.repository,
      chart: LOKI_CHART.chart,
      version: LOKI_CHART.version,
      values: [JSON.stringify(lokiValues, null, 2)],
      dependsOn: [this.namespace, this.store.retentionJob],
    });

    const gatewayHost = `${lokiRelease}-gateway.${nsName}.svc.cluster.local`;
    this.pushUrl = `http://${gatewayHost}/loki/api/v1/push`;
    const sources = props.sourceNamespaces ?? [];
    for (const s of sources) checkKubeName(this, 'sourceNamespaces', s);
    const inputs = fluentSections('INPUT', [
      {
        Name: 'tail',
        Tag: 'kube.*',
        Path:
          sources.length > 0
            ? sources.map((ns) => `/var/log/containers/*_${ns}_*.log`).join(',')
            : '/var/log/containers/*.log',
        multiline: { parser: 'docker, cri' },
        DB: `${FLUENT_BIT_STATE_DIR}/tail-containers.db`,
        'DB.locking': 'true',
        'storage.type': 'filesystem',
        Mem_Buf_Limit: '50MB',
        Skip_Long_Lines: 'Off',
      },
    ]);
    const filters = fluentSections('FILTER', [
      {
        Name: 'kubernetes',
        Match: 'kube.*',
        Merge_Log: 'On',
        Keep_Log: 'On',
        Labels: 'On',
        Annotations: 'On',
      },
    ]);
    const outputs = fluentSections('OUTPUT', [
      {
        Name: 'loki',
        Match: 'kube.*',
        Host: gatewayHost,
        Port: '80',
        Uri: '/loki/api/v1/push',
        tenant_id: tenant,
        http_user: '${LOKI_USERNAME}',
        http_passwd: '${LOKI_PASSWORD}',
        Labels: `job=kz-audit, site=${site.id}`,
        'storage.total_limit_size': '5G',
        Retry_Limit: 'False',
      },
    ]);
    // The chart's own [SERVICE] section plus the filesystem buffer (storage.*).
    const service = [
      '[SERVICE]',
      '    Daemon Off',
      '    Flush {{ .Values.flush }}',
      '    Log_Level {{ .Values.logLevel }}',
      '    Parsers_File /fluent-bit/etc/parsers.conf',
      '    Parsers_File /fluent-bit/etc/conf/custom_parsers.conf',
      '    HTTP_Server On',
      '    HTTP_Listen 0.0.0.0',
      '    HTTP_Port {{ .Values.metricsPort }}',
      '    Health_Check On',
      `    storage.path ${FLUENT_BIT_STATE_DIR}/buffer/`,
      '    storage.sync normal',
      '    storage.checksum on',
      '    storage.backlog.mem_limit 50M',
      '',
    ].join('\n');
    const collectorValues = {
      residency: residencyValues(claim),
      kind: 'DaemonSet',
      podLabels: labels,
      podAnnotations: annotations,
      env: [
        { name: 'LOKI_USERNAME', valueFrom: { secretKeyRef: { name: secrets.collector, key: 'username' } } },
        { name: 'LOKI_PASSWORD', valueFrom: { secretKeyRef: { name: secrets.collector, key: 'password' } } },
      ],
      config: { service, inputs, filters, outputs },
      // The chart's defaults, plus the node directory that keeps read positions and the buffer.
      daemonSetVolumes: [
        { name: 'varlog', hostPath: { path: '/var/log' } },
        { name: 'varlibdockercontainers', hostPath: { path: '/var/lib/docker/containers' } },
        { name: 'etcmachineid', hostPath: { path: '/etc/machine-id', type: 'File' } },
        { name: 'state', hostPath: { path: FLUENT_BIT_STATE_DIR, type: 'DirectoryOrCreate' } },
      ],
      daemonSetVolumeMounts: [
        { name: 'varlog', mountPath: '/var/log' },
        { name: 'varlibdockercontainers', mountPath: '/var/lib/docker/containers', readOnly: true },
        { name: 'etcmachineid', mountPath: '/etc/machine-id', readOnly: true },
        { name: 'state', mountPath: FLUENT_BIT_STATE_DIR },
      ],
    };
    this.collector = new Release(this, 'collector', {
      provider: providers.helm,
      name: `${name}-collector`,
      namespace: nsName,
      repository: FLUENT_BIT_CHART.repository,
      chart: FLUENT_BIT_CHART.chart,
      version: FLUENT_BIT_CHART.version,
      values: [JSON.stringify(collectorValues, null, 2)],
      dependsOn: [this.namespace, this.logStore],
    });

    if (props.lockEgress ?? true) {
      // Fluent Bit's kubernetes filter and MinIO's sidecar read the API server; Loki, MinIO and
      // the retention Job talk only inside the namespace.
      this.egress = new EgressLockdown(this, 'Egress', {
        site,
        namespace: nsName,
        dataClass: claim.dataClass,
        apiServer: true,
        dependsOn: [this.namespace],
      });
    }

    const by = 'the site operator, before apply';
    this.prerequisites = [
      {
        kind: 'secret',
        name: secrets.storageRoot,
        namespace: nsName,
        keys: ['config.env'],
        purpose:
          'MinIO root credentials of the write-once audit store (export MINIO_ROOT_USER=… / export MINIO_ROOT_PASSWORD=…)',
        createdBy: by,
      },
      {
        kind: 'secret',
        name: secrets.storage,
        namespace: nsName,
        keys: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
        purpose:
          "Loki's credentials for the write-once audit store (the same as MinIO's root user, or a user created in it)",
        createdBy: by,
      },
      {
        kind: 'secret',
        name: secrets.htpasswd,
        namespace: nsName,
        keys: ['.htpasswd'],
        purpose: "htpasswd of Loki's gateway (basic authentication of every push and query)",
        createdBy: by,
      },
      {
        kind: 'secret',
        name: secrets.collector,
        namespace: nsName,
        keys: ['username', 'password'],
        purpose: "Fluent Bit's credentials for Loki's gateway (one of the htpasswd users)",
        createdBy: by,
      },
      {
        kind: 'secret',
        name: secrets.sinkTls,
        namespace: nsName,
        keys: ['tls.crt', 'tls.key'],
        secretType: 'kubernetes.io/tls',
        purpose: `TLS certificate of the log sink host ${sinkUrl.hostname} (kubernetes.io/tls)`,
        createdBy: `${by} (or cert-manager)`,
      },
      {
        kind: 'image',
        name: MINIO_CLIENT_IMAGE,
        purpose:
          'MinIO client of the Job that sets the COMPLIANCE default retention (mirror it to the site registry if nodes cannot pull it)',
        createdBy: 'quay.io (pinned by digest)',
      },
    ];
  }
}

type FluentValue = string | { readonly [k: string]: string };

/** Renders Fluent Bit classic-mode sections from typed key/value maps. */
export function fluentSections(
  kind: 'INPUT' | 'FILTER' | 'OUTPUT',
  sections: readonly Record<string, FluentValue>[],
): string {
  return (
    sections
      .map((s) => {
        const lines = [`[${kind}]`];
        for (const [k, v] of Object.entries(s)) {
          if (typeof v === 'string') lines.push(`    ${k} ${v}`);
          else for (const [k2, v2] of Object.entries(v)) lines.push(`    ${k}.${k2} ${v2}`);
        }
        return lines.join('\n');
      })
      .join('\n\n') + '\n'
  );
}
