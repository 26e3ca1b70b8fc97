/**
 * Ingress of a CloudNativePG cluster's instances: a NetworkPolicy on the pods labelled
 * `cnpg.io/cluster=<cluster>` that admits only
 * - the cluster's own instances (replication and the instance manager, ports 5432 and 8000),
 * - the CloudNativePG operator (namespace `cnpg-system`, pods `app.kubernetes.io/name=cloudnative-pg`,
 *   ports 8000 and 5432, as CloudNativePG's networking documentation requires),
 * - applications in the cluster's own namespace and in the client namespaces given (port 5432),
 * - the kz gateway of each tunnel allowed to carry the cluster's data (port 5432), only while that
 *   tunnel's kill switch is `active`.
 * Anything else in the cluster (or beyond it) cannot reach the database. Tunnels and client
 * namespaces can be added after construction (`allowTunnel`, `allowNamespace`): the rules are
 * produced at synth.
 */
import { Construct } from 'constructs';
import { Lazy, type ITerraformDependable } from 'cdktf';
import {
  NetworkPolicyV1,
  type NetworkPolicyV1SpecIngress,
} from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import type { DataClass } from '../plan/types';
import type { Site } from './site';
import { SiteProviders } from './site-providers';
import { ANNOTATIONS, checkKubeName, residencyLabels } from './vocabulary';

/** The namespace and pod labels of the CloudNativePG operator the cnpg chart installs. */
export const CNPG_OPERATOR_SELECTOR = {
  namespace: 'cnpg-system',
  podLabels: { 'app.kubernetes.io/name': 'cloudnative-pg' },
} as const;

/** The PostgreSQL port and the instance manager's status port of a CloudNativePG instance. */
export const CNPG_PORTS = { postgres: 5432, status: 8000 } as const;

/** The part of a tunnel a database admits: its kz gateway's namespace and pods, and its kill switch. */
export interface DatabaseIngressTunnel {
  readonly name: string;
  readonly crossBorder: 'active' | 'suspended';
  /** Namespace of the kz gateway. */
  readonly kzGatewayNamespace: string;
}

/** Props of {@link DatabaseIngressPolicy}. */
export interface DatabaseIngressPolicyProps {
  /** Site of the database. No default. */
  readonly site: Site;
  /** Namespace of the cluster. No default. */
  readonly namespace: string;
  /** CloudNativePG cluster name (pods labelled `cnpg.io/cluster=<name>`). No default. */
  readonly clusterName: string;
  /** Data class held (labels). No default. */
  readonly dataClass: DataClass;
  /** Other namespaces whose pods may connect on 5432. Default: none. */
  readonly clientNamespaces?: readonly string[];
  /** Policy name. Default: `<clusterName>-ingress`. */
  readonly name?: string;
  /** Resources to create first (the namespace). Default: none. */
  readonly dependsOn?: ITerraformDependable[];
}

/** A deny-by-default ingress NetworkPolicy for the instances of one CloudNativePG cluster. */
export class DatabaseIngressPolicy extends Construct {
  readonly policy: NetworkPolicyV1;
  private readonly clients: string[] = [];
  private readonly tunnels: DatabaseIngressTunnel[] = [];

  constructor(scope: Construct, id: string, props: DatabaseIngressPolicyProps) {
    super(scope, id);
    const ns = checkKubeName(this, 'namespace', props.namespace);
    const cluster = checkKubeName(this, 'clusterName', props.clusterName);
    for (const c of props.clientNamespaces ?? []) this.allowNamespace(c);
    const podSelector = { matchLabels: { 'cnpg.io/cluster': cluster } };
    const pg = { port: String(CNPG_PORTS.postgres), protocol: 'TCP' };
    const status = { port: String(CNPG_PORTS.status), protocol: 'TCP' };
    const produce = (): NetworkPolicyV1SpecIngress[] => [
      { from: [{ podSelector }], ports: [pg, status] },
      {
        from: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': CNPG_OPERATOR_SELECTOR.namespace },
            },
            podSelector: { matchLabels: { ...CNPG_OPERATOR_SELECTOR.podLabels } },
          },
        ],
        ports: [status, pg],
      },
      { from: [{ podSelector: {} }], ports: [pg] },
      ...this.clients.map((c) => ({
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': c } } }],
        ports: [pg],
      })),
      ...this.activeTunnels().map((t) => ({
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': t.kzGatewayNamespace } },
            podSelector: { matchLabels: { [ANNOTATIONS.tunnel]: t.name, [ANNOTATIONS.tunnelSide]: 'kz' } },
          },
        ],
        ports: [pg],
      })),
    ];
    const labels = residencyLabels({ dataClass: props.dataClass, role: 'primary', site: props.site });
    this.policy = new NetworkPolicyV1(this, 'policy', {
      provider: SiteProviders.of(this, props.site).kubernetes,
      metadata: {
        name: checkKubeName(this, 'name', props.name ?? `${cluster}-ingress`),
        namespace: ns,
        labels,
        annotations: {
          [ANNOTATIONS.crossBorder]: Lazy.stringValue({
            produce: () =>
              this.tunnels.length === 0 ? 'none' : this.activeTunnels().length > 0 ? 'active' : 'suspended',
          }),
        },
      },
      spec: {
        podSelector,
        policyTypes: ['Ingress'],
        ingress: Lazy.anyValue({ produce }) as unknown as NetworkPolicyV1SpecIngress[],
      },
      dependsOn: props.dependsOn,
    });
  }

  /** Admits pods of `namespace` on 5432. */
  allowNamespace(namespace: string): void {
    const ns = checkKubeName(this, 'clientNamespaces', namespace);
    if (!this.clients.includes(ns)) this.clients.push(ns);
  }

  /** Admits the kz gateway of `tunnel` on 5432 while its kill switch is `active`. */
  allowTunnel(tunnel: DatabaseIngressTunnel): void {
    if (!this.tunnels.some((t) => t.name === tunnel.name)) this.tunnels.push(tunnel);
  }

  /** Tunnels currently admitted (kill switch `active`). */
  activeTunnels(): DatabaseIngressTunnel[] {
    return this.tunnels.filter((t) => t.crossBorder === 'active');
  }
}
