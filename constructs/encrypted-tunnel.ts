/**
 * An encrypted tunnel between a Kazakh site and a site abroad: one gateway Deployment at each end,
 * in the `wireguard` or `gost-tls` profile (stunnel with the OpenSSL GOST engine and
 * GOST R 34.10-2012 keys). The configuration files are rendered by `renderTunnelConfig`
 * (constructs/tunnel-config.ts) into one ConfigMap per side, exactly as returned; keys and
 * certificates come from Kubernetes Secrets mounted by name, never literals.
 *
 * Personal-data namespaces on the Kazakh side get an egress lockdown NetworkPolicy: only DNS,
 * their own namespace and (while cross-border is active) the tunnel gateway.
 * The kill switch `crossBorder: 'suspended'` scales both gateways to zero, withdraws the egress
 * allowance to the gateway and renders configuration that carries nothing.
 */
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { TerraformStack, type ITerraformDependable } from 'cdktf';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import type { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import type { DataClass } from '../plan/types';
import type { Site } from './site';
import { SiteProviders } from './site-providers';
import { labelledNamespace } from './cnpg';
import { EgressLockdown, type TunnelEgressTarget } from './egress-lockdown';
import {
  renderTunnelConfig,
  type CrossBorderState,
  type TunnelProfile,
  type TunnelRenderOptions,
  type TunnelSide,
} from './tunnel-config';
import {
  ANNOTATIONS,
  checkKubeName,
  kubeName,
  refuse,
  residencyLabels,
  type ResidencyClaim,
} from './vocabulary';

export type { CrossBorderState, TunnelProfile, TunnelSide };

/** Label keys that identify a tunnel gateway's pods and ConfigMaps (with the residency labels). */
export const TUNNEL_LABELS = {
  tunnel: ANNOTATIONS.tunnel,
  side: ANNOTATIONS.tunnelSide,
} as const;

/** Where a gateway mounts its rendered configuration files. */
export const TUNNEL_CONFIG_MOUNT = '/etc/kz-tunnel/config';
/** Where a gateway mounts its Secret (keys/certificates). */
export const TUNNEL_SECRET_MOUNT = '/etc/kz-tunnel/secret';

/** Gateway container images. */
export interface TunnelImages {
  /** Image with wireguard-go, wireguard-tools and iproute2. Default: `registry.local/kz-residency/tunnel-gateway:wireguard` (build it from Debian bookworm with those packages). */
  readonly wireguard?: string;
  /** Image with stunnel4 and libengine-gost-openssl. Default: `registry.local/kz-residency/tunnel-gateway:gost-tls` (Debian bookworm with those packages). */
  readonly gostTls?: string;
}

/** The database an hq gateway forwards to (gost-tls) — where an HqReplica must live. */
export interface TunnelReplicaTarget {
  /** Cluster name of the replica (its service is `<clusterName>-rw`). */
  readonly clusterName: string;
  /** Namespace of the replica on the hq site. */
  readonly namespace: string;
  /** Port. */
  readonly port: number;
}

/** Props of {@link EncryptedTunnel}. */
export interface EncryptedTunnelProps {
  /** The Kazakh end. No default. */
  readonly kzSite: Site;
  /** The end abroad (the HQ site). No default. */
  readonly hqSite: Site;
  /** Kill switch: `active` carries traffic; `suspended` scales gateways to zero, withdraws egress and renders a configuration that carries nothing. Required, no default. */
  readonly crossBorder: CrossBorderState;
  /** Data class the tunnel carries (labels of every object). No default. */
  readonly dataClass: DataClass;
  /** Host name or address at which the kz gateway reaches the hq gateway's load balancer. No default. */
  readonly hqEndpointHost: string;
  /** Tunnel profile. Default: `gost-tls`. */
  readonly profile?: TunnelProfile;
  /** Tunnel name (prefix of every object). Default: the construct id in kebab case. */
  readonly name?: string;
  /** Gateway namespace on the kz site (created, labelled). Default: `<name>-gateway`. */
  readonly kzNamespace?: string;
  /** Gateway namespace on the hq site (created, labelled). Default: `<name>-gateway`. */
  readonly hqNamespace?: string;
  /** Tunnel port of the hq gateway (UDP for wireguard, TCP for gost-tls). Default: 51820 (wireguard) or 8443 (gost-tls). */
  readonly port?: number;
  /** gost-tls: the port the kz gateway accepts local (in-cluster) connections on. Default: 5432. */
  readonly localPort?: number;
  /** The replica the hq gateway forwards to (gost-tls). Default: `{clusterName: '<name>-replica', namespace: '<name>-replica', port: 5432}`. */
  readonly replicaTarget?: Partial<TunnelReplicaTarget>;
  /** Secret (by name) with the kz gateway's keys. Default: `<name>-kz-keys`. */
  readonly kzSecretName?: string;
  /** Secret (by name) with the hq gateway's keys. Default: `<name>-hq-keys`. */
  readonly hqSecretName?: string;
  /** wireguard: tunnel addresses of the two gateways. Default: kz `10.231.0.1/30`, hq `10.231.0.2/30`. */
  readonly wireguardAddresses?: { readonly kz: string; readonly hq: string };
  /** Gateway images. Default: see {@link TunnelImages}. */
  readonly images?: TunnelImages;
  /** Gateway replicas while active. Default: 1. */
  readonly replicas?: number;
  /** Kz-side namespaces whose egress is locked down to DNS, themselves and this gateway. Default: none (use `lockEgress`). */
  readonly protectedNamespaces?: readonly string[];
  /** Extra CIDRs personal-data namespaces may reach (object storage, API server). Default: none. */
  readonly extraEgressCidrs?: readonly string[];
  /** Scope for the hq-side resources (e.g. the HQ stack). Default: this construct. */
  readonly hqScope?: Construct;
}

/** One side of the tunnel: namespace, ConfigMap, Deployment, Service. */
export interface TunnelGateway {
  readonly side: TunnelSide;
  readonly site: Site;
  readonly namespace: NamespaceV1;
  readonly namespaceName: string;
  readonly configMap: ConfigMapV1;
  readonly deployment: DeploymentV1;
  readonly service: ServiceV1;
  /** The rendered files (file name -> content). */
  readonly files: Readonly<Record<string, string>>;
  readonly secretName: string;
}

/** Gateways at both ends, their rendered configuration, NetworkPolicies and the kill switch. */
export class EncryptedTunnel extends Construct implements TunnelEgressTarget {
  readonly name: string;
  readonly profile: TunnelProfile;
  readonly crossBorder: CrossBorderState;
  readonly dataClass: DataClass;
  readonly kzSite: Site;
  readonly hqSite: Site;
  readonly kz: TunnelGateway;
  readonly hq: TunnelGateway;
  readonly replicaTarget: TunnelReplicaTarget;
  readonly port: number;
  readonly localPort: number;
  /** NetworkPolicies created by `lockEgress`, by namespace. */
  readonly egressPolicies = new Map<string, EgressLockdown>();
  private readonly extraEgressCidrs: readonly string[];

  constructor(scope: Construct, id: string, props: EncryptedTunnelProps) {
    super(scope, id);
    if (!props.kzSite.isKazakh)
      refuse(this, 'kzSite', `the kz end must be a Kazakh site; ${props.kzSite} is abroad`);
    if (props.hqSite.isKazakh)
      refuse(this, 'hqSite', `the hq end is a site abroad; ${props.hqSite} is in Kazakhstan`);
    if (props.crossBorder !== 'active' && props.crossBorder !== 'suspended') {
      refuse(
        this,
        'crossBorder',
        `expected 'active' or 'suspended', got ${JSON.stringify(props.crossBorder)}`,
      );
    }
    const profile = props.profile ?? 'gost-tls';
    if (profile !== 'wireguard' && profile !== 'gost-tls') {
      refuse(this, 'profile', `expected 'wireguard' or 'gost-tls', got ${JSON.stringify(profile)}`);
    }
    if (!props.hqEndpointHost || /[/\s]/.test(props.hqEndpointHost)) {
      refuse(
        this,
        'hqEndpointHost',
        `expected a host name or address, got ${JSON.stringify(props.hqEndpointHost)}`,
      );
    }
    this.name = checkKubeName(this, 'name', props.name ?? kubeName(id));
    this.profile = profile;
    this.crossBorder = props.crossBorder;
    this.dataClass = props.dataClass;
    this.kzSite = props.kzSite;
    this.hqSite = props.hqSite;
    this.port = checkPort(this, 'port', props.port ?? (profile === 'wireguard' ? 51820 : 8443));
    this.localPort = checkPort(this, 'localPort', props.localPort ?? 5432);
    this.extraEgressCidrs = props.extraEgressCidrs ?? [];
    this.replicaTarget = {
      clusterName: checkKubeName(
        this,
        'replicaTarget.clusterName',
        props.replicaTarget?.clusterName ?? `${this.name}-replica`,
      ),
      namespace: checkKubeName(
        this,
        'replicaTarget.namespace',
        props.replicaTarget?.namespace ?? `${this.name}-replica`,
      ),
      port: checkPort(this, 'replicaTarget.port', props.replicaTarget?.port ?? 5432),
    };
    const addresses = props.wireguardAddresses ?? { kz: '10.231.0.1/30', hq: '10.231.0.2/30' };
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1)
      refuse(this, 'replicas', `expected a positive integer, got ${replicas}`);

    const render = (side: TunnelSide): Record<string, string> => {
      const common = { profile, side, crossBorder: this.crossBorder, secretMountPath: TUNNEL_SECRET_MOUNT };
      let opts: TunnelRenderOptions;
      if (profile === 'wireguard') {
        opts = {
          ...common,
          listenPort: this.port,
          tunnelAddress: side === 'kz' ? addresses.kz : addresses.hq,
          peerTunnelAddress: (side === 'kz' ? addresses.hq : addresses.kz).split('/')[0],
          ...(side === 'kz' ? { peerEndpoint: `${props.hqEndpointHost}:${this.port}` } : {}),
        };
      } else if (side === 'kz') {
        const host = props.hqEndpointHost;
        const isAddress = /^[0-9.]+$/.test(host) || host.includes(':');
        opts = {
          ...common,
          listenPort: this.localPort,
          peerEndpoint: `${host.includes(':') ? `[${host}]` : host}:${this.port}`,
          // the hq certificate must carry the DNS name the kz gateway dials (stunnel checkHost)
          ...(isAddress ? {} : { peerName: host }),
        };
      } else {
        const t = this.replicaTarget;
        opts = {
          ...common,
          listenPort: this.port,
          forwardTo: `${t.clusterName}-rw.${t.namespace}.svc:${t.port}`,
        };
      }
      try {
        return renderTunnelConfig(opts);
      } catch (e) {
        return refuse(this, 'tunnel configuration', (e as Error).message);
      }
    };

    const images = props.images ?? {};
    const image =
      profile === 'wireguard'
        ? (images.wireguard ?? 'registry.local/kz-residency/tunnel-gateway:wireguard')
        : (images.gostTls ?? 'registry.local/kz-residency/tunnel-gateway:gost-tls');

    const mk = (
      side: TunnelSide,
      parent: Construct,
      site: Site,
      nsName: string,
      secretName: string,
    ): TunnelGateway => {
      const claim: ResidencyClaim = { dataClass: props.dataClass, role: 'gateway', site };
      const providers = SiteProviders.of(parent, site);
      const files = render(side);
      const labels = {
        ...residencyLabels(claim),
        [TUNNEL_LABELS.tunnel]: this.name,
        [TUNNEL_LABELS.side]: side,
      };
      const annotations = {
        [ANNOTATIONS.crossBorder]: this.crossBorder,
        [ANNOTATIONS.tunnelProfile]: profile,
        [ANNOTATIONS.tunnelPeerSite]: side === 'kz' ? props.hqSite.id : props.kzSite.id,
      };
      const namespace = labelledNamespace(parent, 'namespace', nsName, claim, annotations);
      const configName = `${this.name}-${side}-config`;
      const configMap = new ConfigMapV1(parent, 'config', {
        provider: providers.kubernetes,
        metadata: { name: configName, namespace: nsName, labels, annotations },
        data: files,
        dependsOn: [namespace],
      });
      const configHash = createHash('sha256').update(JSON.stringify(files)).digest('hex');
      const fileName = Object.keys(files)[0];
      const command =
        profile === 'wireguard'
          ? ['/bin/sh', '-c', `wg-quick up ${TUNNEL_CONFIG_MOUNT}/${fileName} && exec sleep infinity`]
          : ['stunnel', `${TUNNEL_CONFIG_MOUNT}/${fileName}`];
      const protocol = profile === 'wireguard' ? 'UDP' : 'TCP';
      const containerPort = side === 'kz' && profile === 'gost-tls' ? this.localPort : this.port;
      const deployment = new DeploymentV1(parent, 'gateway', {
        provider: providers.kubernetes,
        metadata: { name: `${this.name}-gateway`, namespace: nsName, labels, annotations },
        spec: {
          replicas: String(this.crossBorder === 'active' ? replicas : 0),
          selector: { matchLabels: { [TUNNEL_LABELS.tunnel]: this.name, [TUNNEL_LABELS.side]: side } },
          template: {
            metadata: { labels, annotations: { ...annotations, 'residency.kz/config-sha256': configHash } },
            spec: {
              automountServiceAccountToken: false,
              container: [
                {
                  name: 'gateway',
                  image,
                  command,
                  port: [{ name: 'tunnel', containerPort, protocol }],
                  securityContext:
                    profile === 'wireguard'
                      ? {
                          allowPrivilegeEscalation: false,
                          capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
                        }
                      : {
                          allowPrivilegeEscalation: false,
                          readOnlyRootFilesystem: true,
                          runAsNonRoot: true,
                          capabilities: { drop: ['ALL'] },
                        },
                  volumeMount: [
                    { name: 'config', mountPath: TUNNEL_CONFIG_MOUNT, readOnly: true },
                    { name: 'keys', mountPath: TUNNEL_SECRET_MOUNT, readOnly: true },
                    // wireguard-go (userspace WireGuard, used when the node has no kernel module) needs the TUN device
                    ...(profile === 'wireguard' ? [{ name: 'tun', mountPath: '/dev/net/tun' }] : []),
                  ],
                },
              ],
              volume: [
                { name: 'config', configMap: { name: configName } },
                { name: 'keys', secret: { secretName, defaultMode: '0400' } },
                ...(profile === 'wireguard'
                  ? [{ name: 'tun', hostPath: { path: '/dev/net/tun', type: 'CharDevice' } }]
                  : []),
              ],
            },
          },
        },
        waitForRollout: false,
        dependsOn: [configMap],
      });
      const service = new ServiceV1(parent, 'service', {
        provider: providers.kubernetes,
        metadata: { name: `${this.name}-gateway`, namespace: nsName, labels, annotations },
        spec: {
          type: side === 'hq' ? 'LoadBalancer' : 'ClusterIP',
          selector: { [TUNNEL_LABELS.tunnel]: this.name, [TUNNEL_LABELS.side]: side },
          port: [{ name: 'tunnel', port: containerPort, targetPort: String(containerPort), protocol }],
        },
        dependsOn: [namespace],
      });
      return {
        side,
        site,
        namespace,
        namespaceName: nsName,
        configMap,
        deployment,
        service,
        files,
        secretName,
      };
    };

    const kzNs = checkKubeName(this, 'kzNamespace', props.kzNamespace ?? `${this.name}-gateway`);
    const hqNs = checkKubeName(this, 'hqNamespace', props.hqNamespace ?? `${this.name}-gateway`);
    const kzSecret = checkKubeName(this, 'kzSecretName', props.kzSecretName ?? `${this.name}-kz-keys`);
    const hqSecret = checkKubeName(this, 'hqSecretName', props.hqSecretName ?? `${this.name}-hq-keys`);
    this.kz = mk('kz', new Construct(this, 'Kz'), props.kzSite, kzNs, kzSecret);
    const hqParent =
      props.hqScope && props.hqScope !== this
        ? new Construct(props.hqScope, `${this.node.id}-Hq`)
        : new Construct(this, 'Hq');
    this.hq = mk('hq', hqParent, props.hqSite, hqNs, hqSecret);
    for (const ns of props.protectedNamespaces ?? []) this.lockEgress(ns);
  }

  /** Whether the hq-side resources are in another stack than the kz side. */
  get spansStacks(): boolean {
    return TerraformStack.of(this.kz.deployment) !== TerraformStack.of(this.hq.deployment);
  }

  /** Namespace of the kz gateway (for {@link EgressLockdown}). */
  get kzGatewayNamespace(): string {
    return this.kz.namespaceName;
  }

  /** Port clients use on the kz gateway (gost-tls), undefined for wireguard (routed, any port). */
  get kzGatewayPort(): number | undefined {
    return this.profile === 'gost-tls' ? this.localPort : undefined;
  }

  /**
   * Locks down the egress of a namespace on the kz site (see {@link EgressLockdown}): DNS, the
   * namespace itself, `extraEgressCidrs` and — only while cross-border is active — this tunnel's kz gateway.
   */
  lockEgress(namespace: string, dependsOn: ITerraformDependable[] = []): EgressLockdown {
    const existing = this.egressPolicies.get(namespace);
    if (existing) return existing;
    const lockdown = new EgressLockdown(this, `Egress-${namespace}`, {
      site: this.kzSite,
      namespace,
      dataClass: this.dataClass,
      tunnels: [this],
      extraEgressCidrs: this.extraEgressCidrs,
      name: `${this.name}-egress-lockdown`,
      dependsOn,
    });
    this.egressPolicies.set(namespace, lockdown);
    return lockdown;
  }
}

function checkPort(scope: Construct, prop: string, p: number): number {
  if (!Number.isInteger(p) || p < 1 || p > 65535) refuse(scope, prop, `expected a port 1-65535, got ${p}`);
  return p;
}
