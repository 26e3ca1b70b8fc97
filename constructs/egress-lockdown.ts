/**
 * Egress lockdown of a personal-data namespace on a Kazakh site: a NetworkPolicy that denies all
 * egress except DNS, the namespace itself, optional CIDRs (object storage, API server), and the
 * kz gateways of the tunnels that are allowed to carry this namespace's data — only while their
 * kill switch is `active`.
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import {
  NetworkPolicyV1,
  type NetworkPolicyV1SpecEgress,
} from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import type { DataClass } from '../plan/types';
import type { Site } from './site';
import { SiteProviders } from './site-providers';
import { ANNOTATIONS, checkKubeName, refuse, residencyLabels, type ResidencyClaim } from './vocabulary';

/** The part of a tunnel an egress lockdown needs (implemented by EncryptedTunnel). */
export interface TunnelEgressTarget {
  readonly name: string;
  readonly crossBorder: 'active' | 'suspended';
  readonly kzSite: Site;
  /** Namespace of the kz gateway. */
  readonly kzGatewayNamespace: string;
  /** Port clients use on the kz gateway, or undefined for any port (wireguard). */
  readonly kzGatewayPort?: number;
}

/** Props of {@link EgressLockdown}. */
export interface EgressLockdownProps {
  /** The Kazakh site of the namespace. No default. */
  readonly site: Site;
  /** The namespace locked down (must exist or be created in the same stack; pass it in `dependsOn`). No default. */
  readonly namespace: string;
  /** Data class of the namespace (labels). No default. */
  readonly dataClass: DataClass;
  /** Tunnels whose kz gateway this namespace may reach while their kill switch is active. Default: none. */
  readonly tunnels?: readonly TunnelEgressTarget[];
  /** Extra CIDRs the namespace may reach (object storage, Kubernetes API). Default: none. */
  readonly extraEgressCidrs?: readonly string[];
  /** Policy name. Default: `kz-egress-lockdown`. */
  readonly name?: string;
  /** Resources to create first (e.g. the namespace). Default: none. */
  readonly dependsOn?: ITerraformDependable[];
}

/** A deny-by-default egress NetworkPolicy for a personal-data namespace. */
export class EgressLockdown extends Construct {
  readonly policy: NetworkPolicyV1;

  constructor(scope: Construct, id: string, props: EgressLockdownProps) {
    super(scope, id);
    if (!props.site.isKazakh)
      refuse(this, 'site', `egress lockdown protects namespaces on Kazakh sites; ${props.site} is abroad`);
    const ns = checkKubeName(this, 'namespace', props.namespace);
    for (const t of props.tunnels ?? []) {
      if (t.kzSite.id !== props.site.id)
        refuse(this, 'tunnels', `tunnel ${t.name} starts at ${t.kzSite.id}, not at ${props.site.id}`);
    }
    const egress: NetworkPolicyV1SpecEgress[] = [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { port: '53', protocol: 'UDP' },
          { port: '53', protocol: 'TCP' },
        ],
      },
      { to: [{ podSelector: {} }] },
    ];
    if ((props.extraEgressCidrs ?? []).length > 0) {
      egress.push({ to: (props.extraEgressCidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })) });
    }
    const active = (props.tunnels ?? []).filter((t) => t.crossBorder === 'active');
    for (const t of active) {
      egress.push({
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': t.kzGatewayNamespace } },
            podSelector: { matchLabels: { [ANNOTATIONS.tunnel]: t.name, [ANNOTATIONS.tunnelSide]: 'kz' } },
          },
        ],
        ...(t.kzGatewayPort !== undefined
          ? { ports: [{ port: String(t.kzGatewayPort), protocol: 'TCP' }] }
          : {}),
      });
    }
    const claim: ResidencyClaim = { dataClass: props.dataClass, role: 'gateway', site: props.site };
    const tunnels = props.tunnels ?? [];
    const state = tunnels.length === 0 ? 'none' : active.length > 0 ? 'active' : 'suspended';
    this.policy = new NetworkPolicyV1(this, 'policy', {
      provider: SiteProviders.of(this, props.site).kubernetes,
      metadata: {
        name: checkKubeName(this, 'name', props.name ?? 'kz-egress-lockdown'),
        namespace: ns,
        labels: residencyLabels(claim),
        annotations: {
          [ANNOTATIONS.crossBorder]: state,
          ...(tunnels.length > 0 ? { [ANNOTATIONS.tunnel]: tunnels.map((t) => t.name).join(',') } : {}),
        },
      },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress },
      dependsOn: props.dependsOn,
    });
  }
}
