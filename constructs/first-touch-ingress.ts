/**
 * First touch: a TLS ingress on a Kazakh site for the public hosts that receive personal data.
 * It refuses a host the site does not list as a capture host, and a foreign site. The namespace
 * that receives the data gets an egress lockdown: DNS, itself and the stores it writes to, nothing
 * else (so data received in Kazakhstan cannot be sent on from there).
 */
import { Construct } from 'constructs';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import type { DataClass } from '../plan/types';
import type { Site } from './site';
import { SiteProviders } from './site-providers';
import { EgressLockdown } from './egress-lockdown';
import type { PrimaryDataStore } from './primary-data-store';
import type { Prerequisite } from './prerequisites';
import {
  ANNOTATIONS,
  checkKubeName,
  kubeName,
  refuse,
  residencyLabels,
  type ResidencyClaim,
} from './vocabulary';

/** Props of {@link FirstTouchIngress}. */
export interface FirstTouchIngressProps {
  /** The Kazakh site that receives the traffic first. No default. */
  readonly site: Site;
  /** Public hosts; each must be a capture host of the site. No default. */
  readonly hosts: readonly string[];
  /** Namespace of the ingress and its backend (must exist). No default. */
  readonly namespace: string;
  /** Backend service name and port. No default. */
  readonly backend: { readonly serviceName: string; readonly port: number };
  /** Secret (kubernetes.io/tls, by name) with the certificate. Default: `<name>-tls`. */
  readonly tlsSecretName?: string;
  /** Ingress class. Default: `nginx`. */
  readonly ingressClassName?: string;
  /** Data class received. Default: `personal`. */
  readonly dataClass?: DataClass;
  /** Ingress name. Default: the construct id in kebab case. */
  readonly name?: string;
  /** Stores the application writes to: the only in-cluster exits of its namespace (PostgreSQL port). Default: none. */
  readonly stores?: readonly PrimaryDataStore[];
  /** Lock down the namespace's egress (DNS, itself, `stores`). Default: true. */
  readonly lockEgress?: boolean;
  /** Escape hatch: extra CIDRs the application may reach (e.g. a Kazakh consent service). Default: none. */
  readonly extraEgressCidrs?: readonly string[];
}

/** A TLS ingress for capture hosts on a Kazakh site. */
export class FirstTouchIngress extends Construct {
  readonly ingress: IngressV1;
  readonly egress?: EgressLockdown;
  /** The TLS Secret, the namespace with the application and an ingress controller. */
  readonly prerequisites: readonly Prerequisite[];

  constructor(scope: Construct, id: string, props: FirstTouchIngressProps) {
    super(scope, id);
    const site = props.site;
    if (!site.isKazakh)
      refuse(this, 'site', `personal data is first received in Kazakhstan; ${site} is abroad`);
    if (props.hosts.length === 0) refuse(this, 'hosts', 'at least one host is required');
    for (const h of props.hosts) {
      if (!site.captureHosts.includes(h)) {
        refuse(
          this,
          'hosts',
          `${h} is not a capture host of site ${site.id} (${site.captureHosts.join(', ') || 'none'}); register it in the sites registry`,
        );
      }
    }
    const name = checkKubeName(this, 'name', props.name ?? kubeName(id));
    const tlsSecret = checkKubeName(this, 'tlsSecretName', props.tlsSecretName ?? `${name}-tls`);
    const claim: ResidencyClaim = { dataClass: props.dataClass ?? 'personal', role: 'gateway', site };
    const namespace = checkKubeName(this, 'namespace', props.namespace);
    for (const store of props.stores ?? []) {
      if (store.site.id !== site.id)
        refuse(this, 'stores', `${store.node.path} is on ${store.site.id}, not on ${site.id}`);
    }
    this.ingress = new IngressV1(this, 'ingress', {
      provider: SiteProviders.of(this, site).kubernetes,
      metadata: {
        name,
        namespace,
        labels: residencyLabels(claim),
        annotations: {
          [ANNOTATIONS.firstTouch]: 'true',
          'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
          'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true',
        },
      },
      spec: {
        ingressClassName: props.ingressClassName ?? 'nginx',
        tls: [{ hosts: [...props.hosts], secretName: tlsSecret }],
        rule: props.hosts.map((host) => ({
          host,
          http: {
            path: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: {
                  service: { name: props.backend.serviceName, port: { number: props.backend.port } },
                },
              },
            ],
          },
        })),
      },
    });
    if (props.lockEgress ?? true) {
      this.egress = new EgressLockdown(this, 'Egress', {
        site,
        namespace,
        dataClass: claim.dataClass,
        peers: (props.stores ?? []).map((s) => ({
          description: `store ${s.clusterName}`,
          namespace: s.namespaceName,
          podLabels: { 'cnpg.io/cluster': s.clusterName },
          ports: [5432],
        })),
        extraEgressCidrs: props.extraEgressCidrs,
      });
    }
    const by = 'the application team, before apply';
    this.prerequisites = [
      {
        kind: 'platform',
        name: `namespace ${namespace} with Service ${props.backend.serviceName}:${props.backend.port}`,
        purpose: `the application that receives ${props.hosts.join(', ')} (the ingress and its egress lockdown go into it)`,
        createdBy: by,
      },
      {
        kind: 'platform',
        name: `ingress controller (class ${props.ingressClassName ?? 'nginx'})`,
        purpose: 'terminates TLS for the capture hosts on the Kazakh site',
        createdBy: 'the site operator, before apply',
      },
      {
        kind: 'secret',
        name: tlsSecret,
        namespace,
        keys: ['tls.crt', 'tls.key'],
        secretType: 'kubernetes.io/tls',
        purpose: `TLS certificate of ${props.hosts.join(', ')} (kubernetes.io/tls)`,
        createdBy: `${by} (or cert-manager)`,
      },
    ];
  }
}
