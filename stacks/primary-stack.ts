/**
 * The primary stack: every store's golden record on one Kazakh site, with the DPO declaration,
 * the audit trail, regulator access, the first-touch ingress and egress lockdown of each
 * personal-data namespace. `AlmatyPrimaryStack` and `AstanaPrimaryStack` pin the city.
 */
import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import {
  AuditTrail,
  EgressLockdown,
  FirstTouchIngress,
  Governance,
  PrimaryDataStore,
  RegulatorAccess,
  isPersonal,
  type KzCity,
  type Site,
  type EncryptedTunnel,
} from '../constructs';
import { checkKubeName, refuse } from '../constructs/vocabulary';
import { addPrerequisitesOutput } from './prerequisites';
import type { AuditSpec, FirstTouchSpec, RegulatorSpec, StoreSpec } from './types';

/** Props of {@link PrimaryStack}. */
export interface PrimaryStackProps {
  /** The Kazakh site of the golden record. No default. */
  readonly site: Site;
  /** The stores. No default (at least one). */
  readonly stores: readonly StoreSpec[];
  /** Data protection officer contact. No default. */
  readonly dpoContact: string;
  /** Kill switch state of the deployment (recorded on the governance namespace). No default. */
  readonly crossBorder: 'active' | 'suspended';
  /** Audit trail on this site; `false` to leave it out (policy KZ-AUD-002 will object). Default: on with defaults. */
  readonly audit?: AuditSpec | false;
  /** Regulator access. Default: none (policy KZ-AUD-003 will object). */
  readonly regulator?: RegulatorSpec;
  /** First-touch ingress. Default: none. */
  readonly firstTouch?: FirstTouchSpec;
  /** Escape hatch: extra CIDRs personal-data store namespaces may reach beyond their registered exits (DNS, API server, object storage, tunnels). Default: none. */
  readonly extraEgressCidrs?: readonly string[];
}

/** A stack with the primary stores on a Kazakh site. */
export class PrimaryStack extends TerraformStack {
  readonly site: Site;
  readonly stores = new Map<string, PrimaryDataStore>();
  readonly governance: Governance;
  readonly audit?: AuditTrail;
  readonly regulator?: RegulatorAccess;
  readonly firstTouch?: FirstTouchIngress;
  private readonly tunnelsByStore = new Map<string, EncryptedTunnel[]>();
  private readonly extraEgressCidrs: readonly string[];

  constructor(scope: Construct, id: string, props: PrimaryStackProps) {
    super(scope, id);
    if (!props.site.isKazakh)
      refuse(this, 'site', `the primary stack runs on a Kazakh site; ${props.site} is abroad`);
    if (props.stores.length === 0) refuse(this, 'stores', 'at least one store is required');
    this.site = props.site;
    this.extraEgressCidrs = props.extraEgressCidrs ?? [];
    this.governance = new Governance(this, 'Governance', {
      site: props.site,
      dpoContact: props.dpoContact,
      crossBorder: props.crossBorder,
    });
    props.stores.forEach((spec, i) => checkKubeName(this, `stores[${i}].name`, spec.name));
    for (const spec of props.stores) {
      if (this.stores.has(spec.name)) refuse(this, 'stores', `two stores are named ${spec.name}`);
      const store = new PrimaryDataStore(this, spec.name, {
        site: props.site,
        dataClass: spec.dataClass,
        clusterName: spec.name,
        purpose: spec.purpose,
        dataCategories: spec.dataCategories,
        consentSource: spec.consentSource,
        instances: spec.instances,
        storageSize: spec.storageSize,
        clientNamespaces: spec.clientNamespaces,
        dpoContact: props.dpoContact,
      });
      this.stores.set(spec.name, store);
    }
    if (props.firstTouch) {
      const writesTo = (props.firstTouch.stores ?? [...this.stores.keys()]).map((n) => this.store(n));
      this.firstTouch = new FirstTouchIngress(this, 'FirstTouch', {
        site: props.site,
        name: 'first-touch',
        hosts: props.firstTouch.hosts,
        namespace: props.firstTouch.namespace,
        backend: props.firstTouch.backend,
        stores: writesTo,
      });
    }
    if (props.audit !== false) {
      const sources = [
        ...[...this.stores.values()].map((s) => s.namespaceName),
        ...(props.firstTouch ? [props.firstTouch.namespace] : []),
        ...(props.audit?.applicationNamespaces ?? []),
      ];
      this.audit = new AuditTrail(this, 'AuditTrail', {
        site: props.site,
        name: 'kz-audit',
        sourceNamespaces: [...new Set(sources)],
        retentionDays: props.audit?.retentionDays,
        immutable: props.audit?.immutable,
      });
    }
    if (props.regulator) {
      this.regulator = new RegulatorAccess(this, 'RegulatorAccess', {
        site: props.site,
        name: 'kz-regulator',
        identityProviderUrl: props.regulator.identityProviderUrl,
        groups: props.regulator.groups,
        stores: [...this.stores.values()].filter((s) => isPersonal(s.dataClass)),
      });
    }
    addPrerequisitesOutput(this, props.site);
  }

  /** A store by name (throws naming the stack when absent). */
  store(name: string): PrimaryDataStore {
    const s = this.stores.get(name);
    if (!s) refuse(this, 'stores', `no store named ${name} (${[...this.stores.keys()].join(', ')})`);
    return s;
  }

  /** Registers `tunnel` as carrying `store`'s data (its kz gateway is locked down by `lockEgress`). */
  allowTunnel(store: string, tunnel: EncryptedTunnel): void {
    this.store(store);
    this.tunnelsByStore.set(store, [...(this.tunnelsByStore.get(store) ?? []), tunnel]);
  }

  /**
   * Creates the egress lockdown of every personal-data store namespace and of the kz gateway
   * namespace of every tunnel registered with `allowTunnel`. Call once, after the tunnels exist
   * (HybridDeployment does).
   *
   * A store's exits are DNS, itself, the API server and its backup site's object storage: its data
   * leaves only because its tunnel's gateway dials it. A gateway's exits are the tunnel's own
   * (`EncryptedTunnel.exits.kz`): the primary it forwards from, and — when it initiates the tunnel
   * (wireguard) — the peer gateway at the HQ site's registered `tunnelEndpoints`. While the kill
   * switch is `suspended` the tunnel has no exits, so the gateway namespace keeps only DNS and itself.
   */
  lockEgress(): EgressLockdown[] {
    const out: EgressLockdown[] = [];
    const tunnels = new Set<EncryptedTunnel>();
    for (const [name, store] of this.stores) {
      const storeTunnels = this.tunnelsByStore.get(name) ?? [];
      storeTunnels.forEach((t) => tunnels.add(t));
      if (!isPersonal(store.dataClass) && storeTunnels.length === 0) continue;
      out.push(
        new EgressLockdown(this, `EgressLockdown-${name}`, {
          site: this.site,
          namespace: store.namespaceName,
          dataClass: store.dataClass,
          // CloudNativePG's instance manager reads the API server; the Barman Cloud sidecar writes
          // WAL and base backups to the backup site's object storage.
          apiServer: true,
          objectStorage: [store.backup.site],
          extraEgressCidrs: this.extraEgressCidrs,
          dependsOn: [store.cluster.namespace],
        }),
      );
    }
    for (const tunnel of tunnels) out.push(this.lockGateway(tunnel));
    return out;
  }

  private lockGateway(tunnel: EncryptedTunnel): EgressLockdown {
    const peers = tunnel.exits.kz.filter((x) => x.to === 'source');
    const crossBorder = tunnel.exits.kz.filter((x) => x.to === 'peer');
    const hqCidrs = tunnel.hqSite.tunnelEndpoints;
    if (crossBorder.length > 0 && !hqCidrs) {
      refuse(
        this,
        'hq.site',
        `site ${tunnel.hqSite.id} registers no tunnelEndpoints.cidrs; the kz gateway of tunnel ${tunnel.name} dials it (${crossBorder.map((x) => `${x.host}:${x.port}/${x.protocol}`).join(', ')}), so its lockdown would cut the tunnel off`,
      );
    }
    return new EgressLockdown(this, `EgressLockdown-${tunnel.name}-gateway`, {
      site: this.site,
      namespace: tunnel.kzGatewayNamespace,
      dataClass: tunnel.dataClass,
      peers: peers.map((x) => ({
        description: `source ${x.namespace ?? ''}`,
        namespace: x.namespace ?? '',
        podLabels: x.podLabels ?? {},
        ports: [x.port],
      })),
      ipExits: crossBorder.map((x) => ({
        description: `tunnel ${tunnel.name} to ${tunnel.hqSite.id}`,
        cidrs: hqCidrs ?? [],
        ports: [x.port],
        protocol: x.protocol,
      })),
      dependsOn: [tunnel.kz.namespace],
    });
  }
}

/** Refuses a site in another city than the one a city-pinned stack stands for. */
function requireCity(
  scope: Construct,
  id: string,
  props: PrimaryStackProps,
  city: KzCity,
): PrimaryStackProps {
  if (props.site.city !== city) {
    throw new Error(
      `${scope.node.path ? scope.node.path + '/' : ''}${id}: site: a ${city} primary stack needs a ${city} site, got ${props.site}`,
    );
  }
  return props;
}

/** The primary stack pinned to Almaty. */
export class AlmatyPrimaryStack extends PrimaryStack {
  constructor(scope: Construct, id: string, props: PrimaryStackProps) {
    super(scope, id, requireCity(scope, id, props, 'Almaty'));
  }
}

/** The primary stack pinned to Astana. */
export class AstanaPrimaryStack extends PrimaryStack {
  constructor(scope: Construct, id: string, props: PrimaryStackProps) {
    super(scope, id, requireCity(scope, id, props, 'Astana'));
  }
}
