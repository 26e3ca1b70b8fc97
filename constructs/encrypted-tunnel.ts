/**
 * An encrypted tunnel that carries an HQ standby's PostgreSQL connection to a Kazakh primary: one
 * gateway Deployment at each end, in the `wireguard` profile (WireGuard + a TCP forwarder) or the
 * `gost-tls` profile (stunnel with the OpenSSL GOST engine and GOST R 34.10-2012 keys). The
 * configuration files are rendered by `renderTunnelConfig` (constructs/tunnel-config.ts) into one
 * ConfigMap per side, exactly as returned; keys and certificates come from Kubernetes Secrets mounted
 * by name, never literals. Both images run docker/kz-tunnel-gateway, the same script the e2e suites run.
 *
 * Direction. A standby always dials its source, so every connection starts at HQ: the HQ standby
 * dials the hq gateway's local Service (`hqLocalEndpoint`), and the kz gateway connects to the
 * primary's read-write Service. Who opens the tunnel itself differs by profile:
 * - wireguard: the **kz gateway initiates** (it dials `hqEndpointHost` over UDP and keeps the
 *   session alive with a persistent keepalive), so the Kazakh data centre needs no inbound port —
 *   what most Kazakh operators allow — and connections from HQ still flow through the session.
 *   The kz forwarder listens only on the kz tunnel address.
 * - gost-tls: TLS runs over TCP, so the side that opens the standby's connection opens the TLS
 *   connection: the **hq gateway initiates** (stunnel client) and the kz gateway accepts mutual
 *   GOST TLS on a load balancer at `kzEndpointHost` (restrict it with `peerSourceCidrs`). stunnel has
 *   no reverse mode; where no inbound port can be opened in Kazakhstan, use the wireguard profile.
 *
 * Containment: each gateway gets an ingress NetworkPolicy admitting only its peer (tunnel port)
 * and, at HQ, the standby's namespace (local port); the kz gateway's only exit in its cluster is
 * the primary (`exits`, for the egress lockdown). The kill switch `crossBorder: 'suspended'` scales
 * both gateways to zero, renders configuration that carries nothing, withdraws every ingress rule
 * and every exit.
 *
 * Pod security. gost-tls: non-root (UID/GID 10001, fsGroup 10001), no capabilities, read-only root
 * file system; the Secret is mounted 0440 so the group (fsGroup) reads the key. wireguard: the pod
 * needs NET_ADMIN and /dev/net/tun (userspace wireguard-go where the node has no WireGuard module).
 * It runs as UID 0 inside the container with every other capability dropped and no privilege
 * escalation: wg-quick refuses to run as another user, and iproute2 drops NET_ADMIN for a non-root
 * user unless it is in the inheritable set, which Kubernetes never sets — so a non-root WireGuard
 * gateway would need file capabilities plus `allowPrivilegeEscalation: true`, a wider grant. Its
 * namespace must admit that pod (Pod Security `privileged`: NET_ADMIN and a hostPath device exceed
 * `baseline`).
 */
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import {
  DeploymentV1,
  type DeploymentV1SpecTemplateSpec,
} from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import type { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import type { DataClass } from '../plan/types';
import type { Site } from './site';
import { SiteProviders } from './site-providers';
import { labelledNamespace } from './cnpg';
import { GatewayIngressPolicy, type GatewayIngressSource } from './gateway-ingress-policy';
import {
  FORWARD_CONFIG_FILE,
  STUNNEL_CONFIG_FILE,
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
/** The gateway images' entrypoint (docker/kz-tunnel-gateway, installed at this path by both Dockerfiles). */
export const GATEWAY_ENTRYPOINT = '/usr/local/bin/kz-tunnel-gateway';
/** UID/GID of the non-root gost-tls gateway (the `kzgw` user of docker/gost-tls.Dockerfile). */
export const GATEWAY_UID = 10001;
/** Version tag of the gateway images built from docker/ (bump with the Dockerfiles). */
export const GATEWAY_IMAGE_VERSION = '0.1.0';

/**
 * Gateway container images. Nothing is published: build them from docker/ (see docs/data-path.md),
 * push them to your registry and name them here.
 */
export interface TunnelImages {
  /** Image built from docker/wireguard.Dockerfile. Default: `kz-residency/tunnel-gateway-wireguard:<GATEWAY_IMAGE_VERSION>` (a local build's tag; not pullable until you push it). */
  readonly wireguard?: string;
  /** Image built from docker/gost-tls.Dockerfile. Default: `kz-residency/tunnel-gateway-gost-tls:<GATEWAY_IMAGE_VERSION>` (a local build's tag; not pullable until you push it). */
  readonly gostTls?: string;
}

/** The primary a tunnel carries connections to (a PrimaryDataStore fits). */
export interface TunnelSource {
  /** CloudNativePG cluster name: the kz gateway connects to its `<clusterName>-rw` Service. */
  readonly clusterName: string;
  /** Namespace of that cluster on the kz site. */
  readonly namespaceName: string;
}

/** Where the HqReplica fed by this tunnel lives on the hq site. */
export interface TunnelReplicaTarget {
  /** Cluster name of the replica. */
  readonly clusterName: string;
  /** Namespace of the replica on the hq site: the only namespace the hq gateway admits. */
  readonly namespace: string;
}

/** One exit a gateway needs (for an egress lockdown of its namespace). */
export interface GatewayExit {
  /** `source`: the primary's instances in the same cluster; `peer`: the other gateway, across the border. */
  readonly to: 'source' | 'peer';
  /** `source`: namespace of the primary. */
  readonly namespace?: string;
  /** `source`: labels of the primary's pods (what its `-rw` Service selects). */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** `peer`: the host name or address dialled (resolve it to CIDRs for a NetworkPolicy). */
  readonly host?: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
}

/** Props of {@link EncryptedTunnel}. */
export interface EncryptedTunnelProps {
  /** The Kazakh end. No default. */
  readonly kzSite: Site;
  /** The end abroad (the HQ site). No default. */
  readonly hqSite: Site;
  /** Kill switch: `active` carries traffic; `suspended` scales gateways to zero, renders a configuration that carries nothing and withdraws every ingress rule and exit. Required, no default. */
  readonly crossBorder: CrossBorderState;
  /** Data class the tunnel carries (labels of every object). No default. */
  readonly dataClass: DataClass;
  /** The primary whose read-write Service the kz gateway forwards to (e.g. a PrimaryDataStore). No default. */
  readonly source: TunnelSource;
  /** Port of the primary's read-write Service. Default: 5432. */
  readonly sourcePort?: number;
  /**
   * DNS name or address of the hq gateway's load balancer. wireguard: required — the kz gateway
   * dials it. gost-tls: optional — the DNS name the hq gateway's client certificate must carry
   * (the kz gateway checks it). No default.
   */
  readonly hqEndpointHost?: string;
  /**
   * gost-tls: required — DNS name or address of the kz gateway's load balancer, which the hq gateway
   * dials (a DNS name is also checked against the kz certificate). wireguard: not used. No default.
   */
  readonly kzEndpointHost?: string;
  /**
   * CIDRs the accepting gateway's load balancer admits the peer from (hq for wireguard, kz for
   * gost-tls): `loadBalancerSourceRanges` and the gateway's ingress NetworkPolicy. Default: any
   * address — the peer is then authenticated only by the tunnel (WireGuard keys, mutual GOST TLS).
   */
  readonly peerSourceCidrs?: readonly string[];
  /** Tunnel profile. Default: `gost-tls`. */
  readonly profile?: TunnelProfile;
  /** Tunnel name (prefix of every object). Default: the construct id in kebab case. */
  readonly name?: string;
  /** Gateway namespace on the kz site (created, labelled). Default: `<name>-gateway`. */
  readonly kzNamespace?: string;
  /** Gateway namespace on the hq site (created, labelled). Default: `<name>-gateway`. */
  readonly hqNamespace?: string;
  /** Tunnel port: the hq gateway's UDP port (wireguard) or the kz gateway's TLS port (gost-tls). Default: 51820 (wireguard) or 8443 (gost-tls). */
  readonly port?: number;
  /** The hq gateway's local TCP port, which the HQ standby dials. Default: 5432. */
  readonly localPort?: number;
  /** The replica this tunnel feeds. Default: `{clusterName: '<name>-replica', namespace: '<name>-replica'}`. */
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
  /** Scope for the hq-side resources (e.g. the HQ stack). Default: this construct. */
  readonly hqScope?: Construct;
}

/** One side of the tunnel: namespace, ConfigMap, Deployment, Services, ingress policy. */
export interface TunnelGateway {
  readonly side: TunnelSide;
  readonly site: Site;
  readonly namespace: NamespaceV1;
  readonly namespaceName: string;
  readonly configMap: ConfigMapV1;
  readonly deployment: DeploymentV1;
  /** The load balancer the peer dials: the hq side for wireguard, the kz side for gost-tls. */
  readonly tunnelService?: ServiceV1;
  /** hq side only: the in-cluster Service the HQ standby dials (`hqLocalEndpoint`). */
  readonly localService?: ServiceV1;
  /** Ingress NetworkPolicy of the gateway pods. */
  readonly ingress: GatewayIngressPolicy;
  /** The rendered files (file name -> content). */
  readonly files: Readonly<Record<string, string>>;
  /** The container's arguments to the entrypoint (profile and file paths). */
  readonly args: readonly string[];
  readonly image: string;
  readonly secretName: string;
}

/** Gateways at both ends, their rendered configuration, NetworkPolicies and the kill switch. */
export class EncryptedTunnel extends Construct {
  readonly name: string;
  readonly profile: TunnelProfile;
  readonly crossBorder: CrossBorderState;
  readonly dataClass: DataClass;
  readonly kzSite: Site;
  readonly hqSite: Site;
  readonly kz: TunnelGateway;
  readonly hq: TunnelGateway;
  readonly source: TunnelSource & { readonly port: number };
  readonly replicaTarget: TunnelReplicaTarget;
  /** Tunnel port: UDP at the hq gateway (wireguard) or TLS at the kz gateway (gost-tls). */
  readonly port: number;
  /** The hq gateway's local port (the standby dials it). */
  readonly localPort: number;
  /** What the HQ standby dials: the hq gateway's local Service. */
  readonly hqLocalEndpoint: { readonly host: string; readonly port: number };
  /** Which side opens the tunnel: `kz` (wireguard) or `hq` (gost-tls). */
  readonly initiator: TunnelSide;
  /** The exits each gateway needs while active (empty when suspended), for an egress lockdown of its namespace. */
  readonly exits: { readonly kz: readonly GatewayExit[]; readonly hq: readonly GatewayExit[] };

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
    if (!props.source || typeof props.source.clusterName !== 'string')
      refuse(
        this,
        'source',
        'expected the primary the tunnel carries connections to (e.g. a PrimaryDataStore)',
      );
    for (const [prop, host] of [
      ['hqEndpointHost', props.hqEndpointHost],
      ['kzEndpointHost', props.kzEndpointHost],
    ] as const) {
      if (host !== undefined && (host === '' || /[/\s]/.test(host)))
        refuse(this, prop, `expected a host name or address, got ${JSON.stringify(host)}`);
    }
    if (profile === 'wireguard' && props.hqEndpointHost === undefined)
      refuse(
        this,
        'hqEndpointHost',
        'required for wireguard: the kz gateway dials the hq gateway at this host',
      );
    if (profile === 'gost-tls' && props.kzEndpointHost === undefined) {
      refuse(
        this,
        'kzEndpointHost',
        "required for gost-tls: the hq gateway dials the kz gateway's load balancer at this host (TLS is TCP: the standby's side opens it)",
      );
    }
    this.name = checkKubeName(this, 'name', props.name ?? kubeName(id));
    this.profile = profile;
    this.initiator = profile === 'wireguard' ? 'kz' : 'hq';
    this.crossBorder = props.crossBorder;
    this.dataClass = props.dataClass;
    this.kzSite = props.kzSite;
    this.hqSite = props.hqSite;
    this.port = checkPort(this, 'port', props.port ?? (profile === 'wireguard' ? 51820 : 8443));
    this.localPort = checkPort(this, 'localPort', props.localPort ?? 5432);
    this.source = {
      clusterName: checkKubeName(this, 'source.clusterName', props.source.clusterName),
      namespaceName: checkKubeName(this, 'source.namespaceName', props.source.namespaceName),
      port: checkPort(this, 'sourcePort', props.sourcePort ?? 5432),
    };
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
    };
    const peerCidrs = props.peerSourceCidrs ?? [];
    peerCidrs.forEach((c, i) => {
      if (!/^[0-9a-fA-F.:]+\/\d{1,3}$/.test(c))
        refuse(
          this,
          `peerSourceCidrs[${i}]`,
          `expected a CIDR like 203.0.113.0/24, got ${JSON.stringify(c)}`,
        );
    });
    const addresses = props.wireguardAddresses ?? { kz: '10.231.0.1/30', hq: '10.231.0.2/30' };
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1)
      refuse(this, 'replicas', `expected a positive integer, got ${replicas}`);
    const kzNs = checkKubeName(this, 'kzNamespace', props.kzNamespace ?? `${this.name}-gateway`);
    const hqNs = checkKubeName(this, 'hqNamespace', props.hqNamespace ?? `${this.name}-gateway`);
    const localServiceName = `${this.name}-local`;
    this.hqLocalEndpoint = { host: `${localServiceName}.${hqNs}.svc`, port: this.localPort };
    const sourceEndpoint = `${this.source.clusterName}-rw.${this.source.namespaceName}.svc:${this.source.port}`;
    const active = this.crossBorder === 'active';
    const primaryPods = { 'cnpg.io/cluster': this.source.clusterName, 'cnpg.io/instanceRole': 'primary' };
    const sourceExit: GatewayExit = {
      to: 'source',
      namespace: this.source.namespaceName,
      podLabels: primaryPods,
      port: this.source.port,
      protocol: 'TCP',
    };
    this.exits = !active
      ? { kz: [], hq: [] }
      : profile === 'wireguard'
        ? {
            kz: [sourceExit, { to: 'peer', host: props.hqEndpointHost, port: this.port, protocol: 'UDP' }],
            hq: [],
          }
        : {
            kz: [sourceExit],
            hq: [{ to: 'peer', host: props.kzEndpointHost, port: this.port, protocol: 'TCP' }],
          };

    const render = (side: TunnelSide): Record<string, string> => {
      const common = {
        profile,
        side,
        crossBorder: this.crossBorder,
        secretMountPath: TUNNEL_SECRET_MOUNT,
        ...(side === 'kz' ? { sourceEndpoint } : { localPort: this.localPort }),
      };
      let opts: TunnelRenderOptions;
      if (profile === 'wireguard') {
        opts = {
          ...common,
          tunnelPort: this.port,
          tunnelAddress: side === 'kz' ? addresses.kz : addresses.hq,
          peerTunnelAddress: (side === 'kz' ? addresses.hq : addresses.kz).split('/')[0],
          ...(side === 'kz' ? { peerEndpoint: endpointOf(props.hqEndpointHost ?? '', this.port) } : {}),
        };
      } else {
        // a DNS name is checked against the peer's certificate (stunnel checkHost)
        const peerHost = side === 'kz' ? props.hqEndpointHost : props.kzEndpointHost;
        const peerName = peerHost !== undefined && !isAddress(peerHost) ? { peerName: peerHost } : {};
        opts =
          side === 'kz'
            ? { ...common, tunnelPort: this.port, ...peerName }
            : { ...common, peerEndpoint: endpointOf(props.kzEndpointHost ?? '', this.port), ...peerName };
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
        ? (images.wireguard ?? `kz-residency/tunnel-gateway-wireguard:${GATEWAY_IMAGE_VERSION}`)
        : (images.gostTls ?? `kz-residency/tunnel-gateway-gost-tls:${GATEWAY_IMAGE_VERSION}`);
    if (!/^[^\s]+$/.test(image))
      refuse(this, 'images', `expected an image reference, got ${JSON.stringify(image)}`);

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
      const selector = { [TUNNEL_LABELS.tunnel]: this.name, [TUNNEL_LABELS.side]: side };
      const labels = { ...residencyLabels(claim), ...selector };
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
      const at = (f: string): string => `${TUNNEL_CONFIG_MOUNT}/${f}`;
      const wgFile = Object.keys(files).find((f) => f !== FORWARD_CONFIG_FILE) ?? '';
      const args =
        profile === 'wireguard'
          ? ['wireguard', at(wgFile), at(FORWARD_CONFIG_FILE)]
          : ['gost-tls', at(STUNNEL_CONFIG_FILE)];
      // what the peer dials (the accepting side's tunnel port) and what the standby dials (hq local port)
      const accepts = side !== this.initiator;
      const protocol = profile === 'wireguard' ? 'UDP' : 'TCP';
      const ports: { name: string; containerPort: number; protocol: string }[] = [];
      if (accepts) ports.push({ name: 'tunnel', containerPort: this.port, protocol });
      if (side === 'hq') ports.push({ name: 'local', containerPort: this.localPort, protocol: 'TCP' });
      const wireguard = profile === 'wireguard';
      const podSpec: DeploymentV1SpecTemplateSpec = {
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: wireguard
          ? {
              runAsUser: '0',
              runAsGroup: '0',
              runAsNonRoot: false,
              seccompProfile: { type: 'RuntimeDefault' },
            }
          : {
              runAsUser: String(GATEWAY_UID),
              runAsGroup: String(GATEWAY_UID),
              fsGroup: String(GATEWAY_UID),
              runAsNonRoot: true,
              seccompProfile: { type: 'RuntimeDefault' },
            },
        container: [
          {
            name: 'gateway',
            image,
            command: [GATEWAY_ENTRYPOINT],
            args,
            port: ports,
            readinessProbe: {
              exec: { command: [GATEWAY_ENTRYPOINT, 'ready', ...args] },
              initialDelaySeconds: 2,
              periodSeconds: 10,
              failureThreshold: 3,
            },
            securityContext: {
              allowPrivilegeEscalation: false,
              privileged: false,
              readOnlyRootFilesystem: true,
              capabilities: wireguard ? { add: ['NET_ADMIN'], drop: ['ALL'] } : { drop: ['ALL'] },
            },
            volumeMount: [
              { name: 'config', mountPath: TUNNEL_CONFIG_MOUNT, readOnly: true },
              { name: 'keys', mountPath: TUNNEL_SECRET_MOUNT, readOnly: true },
              // wireguard-go (used when the node has no WireGuard module) needs the TUN device and
              // a writable socket directory for `wg`
              ...(wireguard
                ? [
                    { name: 'tun', mountPath: '/dev/net/tun' },
                    { name: 'wg-run', mountPath: '/var/run/wireguard' },
                  ]
                : []),
            ],
          },
        ],
        volume: [
          { name: 'config', configMap: { name: configName, defaultMode: '0444' } },
          // gost-tls runs as GATEWAY_UID: the kubelet gives the Secret's files group fsGroup, 0440 lets it read them
          { name: 'keys', secret: { secretName, defaultMode: wireguard ? '0400' : '0440' } },
          ...(wireguard
            ? [
                { name: 'tun', hostPath: { path: '/dev/net/tun', type: 'CharDevice' } },
                { name: 'wg-run', emptyDir: { medium: 'Memory' } },
              ]
            : []),
        ],
      };
      const deployment = new DeploymentV1(parent, 'gateway', {
        provider: providers.kubernetes,
        metadata: { name: `${this.name}-gateway`, namespace: nsName, labels, annotations },
        spec: {
          replicas: String(active ? replicas : 0),
          selector: { matchLabels: selector },
          template: {
            metadata: { labels, annotations: { ...annotations, 'residency.kz/config-sha256': configHash } },
            spec: podSpec,
          },
        },
        // apply fails while a gateway is not ready instead of reporting success over a crash loop
        waitForRollout: true,
        dependsOn: [configMap],
      });
      const tunnelService = accepts
        ? new ServiceV1(parent, 'tunnel-service', {
            provider: providers.kubernetes,
            metadata: { name: `${this.name}-tunnel`, namespace: nsName, labels, annotations },
            spec: {
              type: 'LoadBalancer',
              // keeps the peer's address, so the ingress policy's CIDRs apply
              externalTrafficPolicy: 'Local',
              ...(peerCidrs.length > 0 ? { loadBalancerSourceRanges: [...peerCidrs] } : {}),
              selector,
              port: [{ name: 'tunnel', port: this.port, targetPort: String(this.port), protocol }],
            },
            dependsOn: [namespace],
          })
        : undefined;
      const localService =
        side === 'hq'
          ? new ServiceV1(parent, 'local-service', {
              provider: providers.kubernetes,
              metadata: { name: localServiceName, namespace: nsName, labels, annotations },
              spec: {
                type: 'ClusterIP',
                selector,
                port: [
                  {
                    name: 'local',
                    port: this.localPort,
                    targetPort: String(this.localPort),
                    protocol: 'TCP',
                  },
                ],
              },
              dependsOn: [namespace],
            })
          : undefined;
      const anyAddress = ['0.0.0.0/0', '::/0'];
      const sources: GatewayIngressSource[] = [];
      if (accepts)
        sources.push({
          peer: { cidrs: peerCidrs.length > 0 ? peerCidrs : anyAddress },
          port: this.port,
          protocol,
        });
      if (side === 'hq')
        sources.push({ namespace: this.replicaTarget.namespace, port: this.localPort, protocol: 'TCP' });
      const ingress = new GatewayIngressPolicy(parent, 'ingress', {
        site,
        namespace: nsName,
        dataClass: props.dataClass,
        tunnel: this.name,
        side,
        crossBorder: this.crossBorder,
        sources,
        dependsOn: [namespace],
      });
      return {
        side,
        site,
        namespace,
        namespaceName: nsName,
        configMap,
        deployment,
        tunnelService,
        localService,
        ingress,
        files,
        args,
        image,
        secretName,
      };
    };

    const kzSecret = checkKubeName(this, 'kzSecretName', props.kzSecretName ?? `${this.name}-kz-keys`);
    const hqSecret = checkKubeName(this, 'hqSecretName', props.hqSecretName ?? `${this.name}-hq-keys`);
    this.kz = mk('kz', new Construct(this, 'Kz'), props.kzSite, kzNs, kzSecret);
    const hqParent =
      props.hqScope && props.hqScope !== this
        ? new Construct(props.hqScope, `${this.node.id}-Hq`)
        : new Construct(this, 'Hq');
    this.hq = mk('hq', hqParent, props.hqSite, hqNs, hqSecret);
  }

  /** Whether the hq-side resources are in another stack than the kz side. */
  get spansStacks(): boolean {
    return TerraformStack.of(this.kz.deployment) !== TerraformStack.of(this.hq.deployment);
  }

  /** Namespace of the kz gateway (for the database's ingress policy). */
  get kzGatewayNamespace(): string {
    return this.kz.namespaceName;
  }
}

function checkPort(scope: Construct, prop: string, p: number): number {
  if (!Number.isInteger(p) || p < 1 || p > 65535) refuse(scope, prop, `expected a port 1-65535, got ${p}`);
  return p;
}

function isAddress(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(':');
}

function endpointOf(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
