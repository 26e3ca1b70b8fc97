/**
 * Egress lockdown of a namespace on a Kazakh site that holds or receives personal data: a
 * NetworkPolicy that selects every pod of the namespace for egress (so everything not listed is
 * denied) and lists exactly the exits its workloads need, each taken from the sites registry:
 *
 * - DNS (the cluster's kube-dns pods, port 53);
 * - the namespace itself;
 * - the API server (`apiServer`): the site's `kubernetes.apiServer.cidrs` on its ports, or — where
 *   the registry names a CNI entity such as Cilium's `kube-apiserver` — a CiliumNetworkPolicy
 *   allowing that entity (Cilium adds the allowances of both kinds of policy together);
 * - object storage (`objectStorage`): each given site's `objectStorageAccess.cidrs`, on the ports of
 *   its `objectStorage` endpoint URLs (a standby is given its source site's as well as its own);
 * - in-cluster peers (`peers`): e.g. the stores a first-touch application writes to, or the
 *   primary a tunnel gateway forwards from;
 * - registered addresses (`ipExits`): e.g. the peer gateway a kz gateway dials while its tunnel is
 *   active (the caller renders none while it is suspended, which is how the kill switch reaches
 *   egress).
 *
 * It refuses to render a policy that would cut a workload off from what it needs: an exit asked
 * for whose addresses the registry does not give is an error naming the construct path, the prop
 * and the missing registry field, never a silently narrower (broken) or wider (open) policy.
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import {
  NetworkPolicyV1,
  type NetworkPolicyV1SpecEgress,
} from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import type { DataClass } from '../plan/types';
import type { Site } from './site';
import { SiteProviders } from './site-providers';
import { checkKubeName, refuse, residencyLabels, type ResidencyClaim } from './vocabulary';

/** An in-cluster destination: pods of a namespace, on some TCP ports. */
export interface EgressPeer {
  /** What the peer is, for error messages (e.g. `store clients`). */
  readonly description: string;
  /** Namespace of the peer's pods. */
  readonly namespace: string;
  /** Labels of the peer's pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** TCP ports. */
  readonly ports: readonly number[];
}

/** A destination outside the cluster by address: registered CIDRs on some ports. */
export interface IpExit {
  /** What the exit is, e.g. `tunnel hq-clients to hq-fra` (its name in `exits`). */
  readonly description: string;
  /** Registered CIDRs (from the sites registry). */
  readonly cidrs: readonly string[];
  readonly ports: readonly number[];
  readonly protocol: 'TCP' | 'UDP';
}

/** Props of {@link EgressLockdown}. */
export interface EgressLockdownProps {
  /** The Kazakh site of the namespace. No default. */
  readonly site: Site;
  /** The namespace locked down (must exist or be created in the same stack; pass it in `dependsOn`). No default. */
  readonly namespace: string;
  /** Data class of the namespace (labels). No default. */
  readonly dataClass: DataClass;
  /**
   * The workloads talk to the Kubernetes API server (CloudNativePG instance managers, Fluent Bit's
   * kubernetes filter, MinIO's sidecar): open the site's registered `kubernetes.apiServer`.
   * Default: false.
   */
  readonly apiServer?: boolean;
  /** Sites whose object storage the workloads use (backups; a standby's source). Default: none. */
  readonly objectStorage?: readonly Site[];
  /** In-cluster destinations in other namespaces. Default: none. */
  readonly peers?: readonly EgressPeer[];
  /** Destinations by registered address (e.g. the peer gateway a tunnel gateway dials while active). Default: none. */
  readonly ipExits?: readonly IpExit[];
  /**
   * Escape hatch: extra CIDRs the namespace may reach, on any port. It widens the lockdown beyond
   * what the registry proves; prefer registering the exit. Default: none.
   */
  readonly extraEgressCidrs?: readonly string[];
  /** Policy name. Default: `kz-egress-lockdown`. */
  readonly name?: string;
  /** Resources to create first (e.g. the namespace). Default: none. */
  readonly dependsOn?: ITerraformDependable[];
}

/** The default API server port when the registry gives CIDRs without ports. */
export const DEFAULT_API_SERVER_PORT = 6443;

/** A deny-by-default egress NetworkPolicy listing exactly the exits a namespace needs. */
export class EgressLockdown extends Construct {
  readonly policy: NetworkPolicyV1;
  /** The CiliumNetworkPolicy that opens a CNI entity (the API server), when the site registers one. */
  readonly ciliumPolicy?: Manifest;
  /** Names of the exits rendered, in order (`dns`, `namespace`, `api-server`, `object-storage:<site>`, …). */
  readonly exits: readonly string[];
  /** The namespace locked down. */
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: EgressLockdownProps) {
    super(scope, id);
    const site = props.site;
    if (!site.isKazakh)
      refuse(this, 'site', `egress lockdown protects namespaces on Kazakh sites; ${site} is abroad`);
    const ns = checkKubeName(this, 'namespace', props.namespace);
    this.namespace = ns;
    const name = checkKubeName(this, 'name', props.name ?? 'kz-egress-lockdown');
    const exits: string[] = ['dns', 'namespace'];
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

    let ciliumEntity: string | undefined;
    if (props.apiServer) {
      const api = site.apiServer;
      if (!api) {
        refuse(
          this,
          'apiServer',
          `site ${site.id} registers no kubernetes.apiServer (cidrs or a CNI entity); the workloads of namespace ${ns} need the API server, so this lockdown would cut them off`,
        );
      }
      if (api.cidrs) {
        egress.push({
          to: api.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
          ports: (api.ports ?? [DEFAULT_API_SERVER_PORT]).map((p) => ({ port: String(p), protocol: 'TCP' })),
        });
      }
      if (api.entity) ciliumEntity = api.entity.name;
      exits.push('api-server');
    }

    const storageSites = uniqueSites(props.objectStorage ?? []);
    for (const s of storageSites) {
      const access = s.objectStorageAccess;
      if (!access) {
        refuse(
          this,
          'objectStorage',
          `site ${s.id} registers no objectStorageAccess.cidrs; namespace ${ns} writes to its object storage, so this lockdown would cut it off`,
        );
      }
      const ports = objectStoragePorts(s);
      if (ports.length === 0) {
        refuse(
          this,
          'objectStorage',
          `site ${s.id} registers no objectStorage endpoint to take the ports from`,
        );
      }
      egress.push({
        to: access.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
        ports: ports.map((p) => ({ port: String(p), protocol: 'TCP' })),
      });
      exits.push(`object-storage:${s.id}`);
    }

    for (const peer of props.peers ?? []) {
      checkKubeName(this, 'peers', peer.namespace);
      if (peer.ports.length === 0)
        refuse(this, 'peers', `${peer.description}: at least one port is required`);
      egress.push({
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } },
            podSelector: { matchLabels: { ...peer.podLabels } },
          },
        ],
        ports: peer.ports.map((p) => ({ port: String(p), protocol: 'TCP' })),
      });
      exits.push(`peer:${peer.namespace}`);
    }

    for (const x of props.ipExits ?? []) {
      if (x.cidrs.length === 0 || x.ports.length === 0)
        refuse(this, 'ipExits', `${x.description}: needs registered CIDRs and ports`);
      egress.push({
        to: x.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
        ports: x.ports.map((p) => ({ port: String(p), protocol: x.protocol })),
      });
      exits.push(`ip:${x.description}`);
    }

    const extra = props.extraEgressCidrs ?? [];
    if (extra.length > 0) {
      egress.push({ to: extra.map((cidr) => ({ ipBlock: { cidr } })) });
      exits.push('extra-cidrs');
    }

    this.exits = exits;

    const claim: ResidencyClaim = { dataClass: props.dataClass, role: 'gateway', site };
    const provider = SiteProviders.of(this, site).kubernetes;
    const metadata = {
      name,
      namespace: ns,
      labels: residencyLabels(claim),
    };
    this.policy = new NetworkPolicyV1(this, 'policy', {
      provider,
      metadata,
      spec: { podSelector: {}, policyTypes: ['Egress'], egress },
      dependsOn: props.dependsOn,
    });
    if (ciliumEntity !== undefined) {
      // Cilium matches a host-network API server by entity, not by an ipBlock; the CRD exists
      // before any plan (Cilium is the site's CNI), so a kubernetes_manifest can be planned.
      this.ciliumPolicy = new Manifest(this, 'cilium-api-server', {
        provider,
        manifest: {
          apiVersion: 'cilium.io/v2',
          kind: 'CiliumNetworkPolicy',
          metadata: { name: `${name}-api-server`, namespace: ns, labels: residencyLabels(claim) },
          spec: { endpointSelector: {}, egress: [{ toEntities: [ciliumEntity] }] },
        },
        dependsOn: props.dependsOn,
      });
    }
  }
}

/** The TCP ports of a site's object-storage endpoint URLs (443 for https, 80 for http by default). */
export function objectStoragePorts(site: Site): number[] {
  const ports = new Set<number>();
  for (const u of site.objectStorage) {
    try {
      const url = new URL(u);
      ports.add(url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443);
    } catch {
      // the registry loader has already refused a malformed URL
    }
  }
  return [...ports].sort((a, b) => a - b);
}

function uniqueSites(sites: readonly Site[]): Site[] {
  const seen = new Map<string, Site>();
  for (const s of sites) if (!seen.has(s.id)) seen.set(s.id, s);
  return [...seen.values()];
}
