/**
 * The HQ stack: read-only replicas abroad of the stores the deployment allows out — CloudNativePG
 * replica clusters that stream from the Kazakh primaries — each fed by its own EncryptedTunnel whose
 * kz gateway lives in the primary stack and hq gateway here.
 */
import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import {
  EncryptedTunnel,
  HqReplica,
  type CrossBorderState,
  type Site,
  type TunnelImages,
  type TunnelProfile,
} from '../constructs';
import { refuse } from '../constructs/vocabulary';
import type { PrimaryStack } from './primary-stack';
import { addPrerequisitesOutput } from './prerequisites';

/** Props of {@link HqStack}. */
export interface HqStackProps {
  /** The HQ site abroad. No default. */
  readonly site: Site;
  /** The primary stack the replicas copy from. No default. */
  readonly primary: PrimaryStack;
  /** Store names replicated to the HQ. Default: none (the stack then holds nothing). */
  readonly stores?: readonly string[];
  /**
   * Host name of the HQ gateways' load balancer. wireguard: required (the kz gateways dial it).
   * gost-tls: optional, the name the HQ gateways' certificates must carry. No default.
   */
  readonly endpointHost?: string;
  /** gost-tls: required, host name of the Kazakh gateways' load balancer, which the HQ gateways dial. No default. */
  readonly kzEndpointHost?: string;
  /** CIDRs the accepting gateways admit their peer from (see `EncryptedTunnelProps.peerSourceCidrs`). Default: any address. */
  readonly peerSourceCidrs?: readonly string[];
  /** Gateway images (built from docker/ and pushed to your registry). Default: see `TunnelImages`. */
  readonly gatewayImages?: TunnelImages;
  /** Tunnel profile. Default: `gost-tls`. */
  readonly tunnelProfile?: TunnelProfile;
  /** Kill switch. No default. */
  readonly crossBorder: CrossBorderState;
  /** Transfer agreement reference (needed for personal/special data). Default: none. */
  readonly transferAgreement?: string;
  /** Legal basis (needed for personal/special data). Default: none. */
  readonly legalBasis?: string;
}

/** A stack with the read-only replicas at the HQ. */
export class HqStack extends TerraformStack {
  readonly site: Site;
  readonly replicas = new Map<string, HqReplica>();
  readonly tunnels = new Map<string, EncryptedTunnel>();

  constructor(scope: Construct, id: string, props: HqStackProps) {
    super(scope, id);
    if (props.site.isKazakh)
      refuse(this, 'site', `the HQ stack is for a site abroad; ${props.site} is in Kazakhstan`);
    this.site = props.site;
    const stores = props.stores ?? [];
    stores.forEach((name, i) => {
      const source = props.primary.store(name);
      const tunnel = new EncryptedTunnel(props.primary, `HqTunnel-${name}`, {
        name: `hq-${name}`,
        kzSite: props.primary.site,
        hqSite: props.site,
        crossBorder: props.crossBorder,
        dataClass: source.dataClass,
        source,
        hqEndpointHost: props.endpointHost,
        kzEndpointHost: props.kzEndpointHost,
        peerSourceCidrs: props.peerSourceCidrs,
        images: props.gatewayImages,
        profile: props.tunnelProfile,
        port: (props.tunnelProfile === 'wireguard' ? 51820 : 8443) + i,
        wireguardAddresses: { kz: `10.231.${i}.1/30`, hq: `10.231.${i}.2/30` },
        replicaTarget: { clusterName: `${name}-replica`, namespace: `${name}-replica` },
        hqScope: this,
      });
      props.primary.allowTunnel(name, tunnel);
      this.tunnels.set(name, tunnel);
      this.replicas.set(
        name,
        new HqReplica(this, `${name}-replica`, {
          source,
          site: props.site,
          tunnel,
          transferAgreement: props.transferAgreement,
          legalBasis: props.legalBasis,
        }),
      );
    });
    addPrerequisitesOutput(this, props.site);
  }
}
