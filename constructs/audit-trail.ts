/**
 * Audit trail: Fluent Bit collects the database (pgaudit) and application logs of the given
 * namespaces and ships them to a log sink on a Kazakh site; optionally a Loki log store on that
 * site keeps them in the site's object storage with a retention and an object lock.
 */
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import type { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import type { DataClass } from '../plan/types';
import type { Site } from './site';
import { SiteProviders } from './site-providers';
import { SiteRegistry } from './site-registry';
import { labelledNamespace } from './cnpg';
import {
  ANNOTATIONS,
  checkKubeName,
  kubeName,
  refuse,
  residencyLabels,
  residencyValues,
  type ResidencyClaim,
} from './vocabulary';

/** Chart repositories and versions used by the audit trail. */
export const FLUENT_BIT_CHART = {
  repository: 'https://fluent.github.io/helm-charts',
  chart: 'fluent-bit',
  version: '0.48.9',
} as const;
export const LOKI_CHART = {
  repository: 'https://grafana.github.io/helm-charts',
  chart: 'loki',
  version: '6.29.0',
} as const;

/** Props of {@link AuditTrail}. */
export interface AuditTrailProps {
  /** The Kazakh site of the log store. No default. */
  readonly site: Site;
  /** Namespaces whose logs are collected (store and application namespaces). Default: all namespaces. */
  readonly sourceNamespaces?: readonly string[];
  /** Log sink URL; must be registered in the site's `logSinks`. Default: the site's first log sink. */
  readonly logSink?: string;
  /** Retention of audit logs in days (at least 1). Default: 1095 (3 years). */
  readonly retentionDays?: number;
  /** Object lock (WORM) on the log bucket so no one can alter or delete logs before retention ends. Default: true. */
  readonly immutable?: boolean;
  /** Deploy the Loki log store on the site (backed by its object storage). Default: true. */
  readonly deployLogStore?: boolean;
  /** Object storage endpoint of the log store; must be registered for the site. Default: the site's first object storage. */
  readonly objectStorage?: string;
  /** Bucket of the log store. Default: `<name>-audit-logs`. */
  readonly bucket?: string;
  /** Secret (by name) with object-storage credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY). Default: `<name>-storage-credentials`. */
  readonly credentialsSecret?: string;
  /** Data class of the logs (audit logs of personal stores contain personal data). Default: `personal`. */
  readonly dataClass?: DataClass;
  /** Name (release and namespace prefix). Default: the construct id in kebab case. */
  readonly name?: string;
  /** Namespace (created, labelled). Default: `<name>`. */
  readonly namespace?: string;
}

/** Log collection and a log store on a Kazakh site, with retention and immutability. */
export class AuditTrail extends Construct {
  readonly site: Site;
  readonly logSink: string;
  readonly retentionDays: number;
  readonly immutable: boolean;
  readonly namespace: NamespaceV1;
  readonly collector: Release;
  readonly logStore?: Release;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const site = props.site;
    if (!site.isKazakh) refuse(this, 'site', `audit logs are kept on a Kazakh site; ${site} is abroad`);
    const logSink = props.logSink ?? site.logSinks[0];
    if (!logSink) refuse(this, 'logSink', `site ${site.id} registers no log sink`);
    if (!site.logSinks.includes(logSink)) {
      refuse(
        this,
        'logSink',
        `${logSink} is not a log sink of site ${site.id} (${site.logSinks.join(', ') || 'none'})`,
      );
    }
    const retentionDays = props.retentionDays ?? 1095;
    if (!Number.isInteger(retentionDays) || retentionDays < 1)
      refuse(this, 'retentionDays', `expected a positive number of days, got ${retentionDays}`);
    const immutable = props.immutable ?? true;
    const name = checkKubeName(this, 'name', props.name ?? kubeName(id));
    const nsName = checkKubeName(this, 'namespace', props.namespace ?? name);
    const deployLogStore = props.deployLogStore ?? true;
    this.site = site;
    this.logSink = logSink;
    this.retentionDays = retentionDays;
    this.immutable = immutable;
    SiteRegistry.use(this, site);

    const claim: ResidencyClaim = { dataClass: props.dataClass ?? 'personal', role: 'audit', site };
    const labels = residencyLabels(claim);
    const annotations = {
      [ANNOTATIONS.logSink]: logSink,
      [ANNOTATIONS.retentionDays]: String(retentionDays),
      [ANNOTATIONS.immutable]: String(immutable),
    };
    const providers = SiteProviders.of(this, site);
    this.namespace = labelledNamespace(this, 'namespace', nsName, claim, annotations);

    const sink = new URL(logSink);
    const sources = props.sourceNamespaces ?? [];
    const inputs = fluentSections('INPUT', [
      {
        Name: 'tail',
        Tag: 'kube.*',
        Path:
          sources.length > 0
            ? sources.map((ns) => `/var/log/containers/*_${ns}_*.log`).join(',')
            : '/var/log/containers/*.log',
        multiline: { parser: 'docker, cri' },
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
        Host: sink.hostname,
        Port: sink.port || (sink.protocol === 'https:' ? '443' : '80'),
        tls: sink.protocol === 'https:' ? 'On' : 'Off',
        'tls.verify': 'On',
        Labels: `job=kz-audit, site=${site.id}`,
        Retry_Limit: 'False',
      },
    ]);
    const collectorValues = {
      residency: residencyValues(claim),
      podLabels: labels,
      podAnnotations: annotations,
      config: { inputs, filters, outputs },
    };
    this.collector = new Release(this, 'collector', {
      provider: providers.helm,
      name: `${name}-collector`,
      namespace: nsName,
      repository: FLUENT_BIT_CHART.repository,
      chart: FLUENT_BIT_CHART.chart,
      version: FLUENT_BIT_CHART.version,
      values: [JSON.stringify(collectorValues, null, 2)],
      dependsOn: [this.namespace],
    });

    if (deployLogStore) {
      const endpoint = props.objectStorage ?? site.objectStorage[0];
      if (!endpoint)
        refuse(this, 'objectStorage', `site ${site.id} registers no object storage for the log store`);
      if (!site.objectStorage.includes(endpoint)) {
        refuse(this, 'objectStorage', `${endpoint} is not an objectStorage endpoint of site ${site.id}`);
      }
      const bucket = props.bucket ?? `${name}-audit-logs`;
      const secret = checkKubeName(
        this,
        'credentialsSecret',
        props.credentialsSecret ?? `${name}-storage-credentials`,
      );
      const sc = site.defaultEncryptedStorageClass;
      if (!sc) refuse(this, 'site', `site ${site.id} registers no encrypted storage class for the log store`);
      const lokiValues = {
        residency: residencyValues(claim),
        deploymentMode: 'SingleBinary',
        loki: {
          auth_enabled: false,
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
              endpoint,
              s3ForcePathStyle: true,
              insecure: false,
              accessKeyId: '${AWS_ACCESS_KEY_ID}',
              secretAccessKey: '${AWS_SECRET_ACCESS_KEY}',
            },
            objectLock: { enabled: immutable, mode: 'COMPLIANCE', retentionDays },
          },
          limits_config: { retention_period: `${retentionDays * 24}h` },
          compactor: { retention_enabled: true, delete_request_store: 's3' },
        },
        singleBinary: {
          replicas: 1,
          persistence: { storageClass: sc.name },
          extraArgs: ['-config.expand-env=true'],
          extraEnvFrom: [{ secretRef: { name: secret } }],
        },
        read: { replicas: 0 },
        write: { replicas: 0 },
        backend: { replicas: 0 },
      };
      this.logStore = new Release(this, 'log-store', {
        provider: providers.helm,
        name: `${name}-loki`,
        namespace: nsName,
        repository: LOKI_CHART.repository,
        chart: LOKI_CHART.chart,
        version: LOKI_CHART.version,
        values: [JSON.stringify(lokiValues, null, 2)],
        dependsOn: [this.namespace],
      });
    }
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
