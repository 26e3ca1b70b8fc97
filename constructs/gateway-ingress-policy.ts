/**
 * Ingress of a tunnel gateway: a NetworkPolicy on the gateway's pods that admits only the peer
 * gateway (on the tunnel port, from the peer's source CIDRs when known) and the namespaces the
 * gateway serves (on the HQ side, the standby's namespace on the local port). Everything else is
 * denied: no other namespace can push data into the tunnel. With the kill switch engaged the
 * policy admits nothing.
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import {
  NetworkPolicyV1,
  type NetworkPolicyV1SpecIngress,
} from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import type { DataClass } from '../plan/types';
import type { Site } from './site';
import { SiteProviders } from './site-providers';
import { ANNOTATIONS, checkKubeName, refuse, residencyLabels } from './vocabulary';

/** One source a gateway admits. */
export type GatewayIngressSource =
  /** The peer gateway across the border, by address (its load balancer's or NAT's egress CIDRs). */
  | {
      readonly peer: { readonly cidrs: readonly string[] };
      readonly port: number;
      readonly protocol: 'TCP' | 'UDP';
    }
  /** Pods of a namespace this gateway serves (in the same cluster). */
  | { readonly namespace: string; readonly port: number; readonly protocol: 'TCP' };

/** Props of {@link GatewayIngressPolicy}. */
export interface GatewayIngressPolicyProps {
  /** Site of the gateway. No default. */
  readonly site: Site;
  /** Namespace of the gateway. No default. */
  readonly namespace: string;
  /** Data class the tunnel carries (labels). No default. */
  readonly dataClass: DataClass;
  /** Tunnel name: the policy selects pods labelled `residency.kz/tunnel=<tunnel>`. No default. */
  readonly tunnel: string;
  /** Which gateway of the tunnel: pods labelled `residency.kz/tunnel-side=<side>`. No default. */
  readonly side: 'kz' | 'hq';
  /** The kill switch: `suspended` admits nothing. No default. */
  readonly crossBorder: 'active' | 'suspended';
  /** What the gateway admits while active. Default: nothing. */
  readonly sources?: readonly GatewayIngressSource[];
  /** Policy name. Default: `<tunnel>-<side>-gateway-ingress`. */
  readonly name?: string;
  /** Resources to create first (the namespace). Default: none. */
  readonly dependsOn?: ITerraformDependable[];
}

/** A deny-by-default ingress NetworkPolicy for one tunnel gateway. */
export class GatewayIngressPolicy extends Construct {
  readonly policy: NetworkPolicyV1;
  /** What the policy admits (empty while the kill switch is engaged). */
  readonly sources: readonly GatewayIngressSource[];

  constructor(scope: Construct, id: string, props: GatewayIngressPolicyProps) {
    super(scope, id);
    const ns = checkKubeName(this, 'namespace', props.namespace);
    const active = props.crossBorder === 'active';
    this.sources = active ? [...(props.sources ?? [])] : [];
    const ingress: NetworkPolicyV1SpecIngress[] = this.sources.map((s, i) => {
      if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65535)
        refuse(this, `sources[${i}].port`, `expected a port 1-65535, got ${s.port}`);
      const ports = [{ port: String(s.port), protocol: s.protocol }];
      if ('peer' in s) {
        if (s.peer.cidrs.length === 0)
          refuse(this, `sources[${i}].peer.cidrs`, 'name at least one CIDR (0.0.0.0/0 and ::/0 for any)');
        return { from: s.peer.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports };
      }
      return {
        from: [
          {
            namespaceSelector: {
              matchLabels: {
                'kubernetes.io/metadata.name': checkKubeName(this, `sources[${i}].namespace`, s.namespace),
              },
            },
          },
        ],
        ports,
      };
    });
    const labels = residencyLabels({ dataClass: props.dataClass, role: 'gateway', site: props.site });
    this.policy = new NetworkPolicyV1(this, 'policy', {
      provider: SiteProviders.of(this, props.site).kubernetes,
      metadata: {
        name: checkKubeName(this, 'name', props.name ?? `${props.tunnel}-${props.side}-gateway-ingress`),
        namespace: ns,
        labels: { ...labels, [ANNOTATIONS.tunnel]: props.tunnel, [ANNOTATIONS.tunnelSide]: props.side },
        annotations: { [ANNOTATIONS.crossBorder]: props.crossBorder },
      },
      spec: {
        podSelector: {
          matchLabels: { [ANNOTATIONS.tunnel]: props.tunnel, [ANNOTATIONS.tunnelSide]: props.side },
        },
        policyTypes: ['Ingress'],
        ...(ingress.length > 0 ? { ingress } : {}),
      },
      dependsOn: props.dependsOn,
    });
  }
}
