/**
 * HybridDeployment: a whole deployment from one typed description — the golden record in Almaty
 * or Astana, an in-country standby in the other city, and (optionally) read-only replicas at an
 * HQ abroad fed through encrypted tunnels with a kill switch.
 */
import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import {
  isPersonal,
  type CrossBorderState,
  type KzCity,
  type Site,
  type TunnelImages,
  type TunnelProfile,
} from '../constructs';
import { instancesProblem } from '../constructs/cnpg';
import { checkKubeName, refuse } from '../constructs/vocabulary';
import { AlmatyPrimaryStack, AstanaPrimaryStack, type PrimaryStack } from './primary-stack';
import { AlmatyStandbyStack, AstanaStandbyStack, type StandbyStack } from './standby-stack';
import { HqStack } from './hq-stack';
import { fetchSecretsFrom } from './prerequisites';
import type { SecretStoreRef } from '../constructs/external-secrets';
import type { AuditSpec, FirstTouchSpec, RegulatorSpec, StoreSpec } from './types';

/** The HQ part of a deployment. */
export interface HqSpec {
  /** The HQ site abroad. No default. */
  readonly site: Site;
  /**
   * Host name of the HQ gateways' load balancer. wireguard: required (the Kazakh gateways dial out
   * to it). gost-tls: optional, the name the HQ gateways' certificates must carry. No default.
   */
  readonly endpointHost?: string;
  /**
   * gost-tls: required. Host name of the Kazakh gateways' load balancer, which the HQ gateways dial
   * (TLS is TCP, and the HQ standby opens the connection). wireguard: not used. No default.
   */
  readonly kzEndpointHost?: string;
  /** CIDRs the accepting gateways admit their peer from. Default: any address (the tunnel authenticates the peer). */
  readonly peerSourceCidrs?: readonly string[];
  /** Gateway images built from docker/ and pushed to your registry. Default: the local build tags (see `TunnelImages`). */
  readonly gatewayImages?: TunnelImages;
  /** Tunnel profile. Default: `gost-tls`. */
  readonly tunnelProfile?: TunnelProfile;
  /** Transfer agreement reference (needed when personal/special data goes to the HQ). Default: none. */
  readonly transferAgreement?: string;
  /** Legal basis (needed when personal/special data goes to the HQ). Default: none. */
  readonly legalBasis?: string;
}

/** Props of {@link HybridDeployment}. */
export interface HybridDeploymentProps {
  /** City of the golden record. No default. */
  readonly primaryCity: KzCity;
  /** The two Kazakh sites (one in Almaty, one in Astana). No default. */
  readonly kzSites: { readonly almaty: Site; readonly astana: Site };
  /** The stores. No default. */
  readonly stores: readonly StoreSpec[];
  /** Data protection officer contact. No default. */
  readonly dpoContact: string;
  /** Cross-border kill switch. No default. */
  readonly crossBorder: CrossBorderState;
  /** HQ abroad. Default: none (no data leaves Kazakhstan). */
  readonly hq?: HqSpec;
  /** Audit trail. Default: on at both Kazakh sites. */
  readonly audit?: AuditSpec;
  /** Regulator access on the primary site. Default: none. */
  readonly regulator?: RegulatorSpec;
  /** First-touch ingress on the primary site. Default: none. */
  readonly firstTouch?: FirstTouchSpec;
  /** Escape hatch: extra CIDRs personal-data store namespaces may reach beyond their registered exits. Default: none. */
  readonly extraEgressCidrs?: readonly string[];
  /**
   * A secret store (External Secrets Operator) to fetch every Secret the stacks expect from: one
   * ExternalSecret per Secret, remote key `<keyPrefix><site>/<namespace>/<name>`. Default: none (the
   * Secrets are created by hand; each stack's `prerequisites` output lists them).
   */
  readonly secretStore?: SecretStoreRef;
  /** Prefix of the stack names. Default: the construct id. */
  readonly stackPrefix?: string;
}

/** Primary, standby and HQ stacks composed from one description. */
export class HybridDeployment extends Construct {
  readonly primary: PrimaryStack;
  readonly standby?: StandbyStack;
  readonly hq?: HqStack;

  constructor(scope: Construct, id: string, props: HybridDeploymentProps) {
    super(scope, id);
    if (TerraformStack.isStack(scope) || scope.node.scopes.some((s) => TerraformStack.isStack(s))) {
      refuse(this, 'scope', 'create HybridDeployment on the App: it creates its own stacks');
    }
    const { almaty, astana } = props.kzSites;
    if (almaty.city !== 'Almaty' || !almaty.isKazakh)
      refuse(this, 'kzSites.almaty', `expected a Kazakh site in Almaty, got ${almaty}`);
    if (astana.city !== 'Astana' || !astana.isKazakh)
      refuse(this, 'kzSites.astana', `expected a Kazakh site in Astana, got ${astana}`);
    if (props.primaryCity !== 'Almaty' && props.primaryCity !== 'Astana') {
      refuse(this, 'primaryCity', `expected Almaty or Astana, got ${JSON.stringify(props.primaryCity)}`);
    }
    // the props the user set here are blamed, not the ones the stacks derive from them
    props.stores.forEach((s, i) => {
      checkKubeName(this, `stores[${i}].name`, s.name);
      const problem = s.instances === undefined ? undefined : instancesProblem(s.instances);
      if (problem) refuse(this, `stores[${i}].instances`, problem, 'set instances to a whole number of 3 or more');
    });
    const toHq = props.stores.filter((s) => s.replicateToHq);
    if (toHq.length > 0 && !props.hq)
      refuse(
        this,
        'hq',
        `stores ${toHq.map((s) => s.name).join(', ')} replicate to the HQ but no hq is described`,
      );
    const prefix = props.stackPrefix ?? id;
    // Stacks are siblings of this construct (children of the app), as cdktf requires.
    const app = this.node.scope ?? this;
    const almatyPrimary = props.primaryCity === 'Almaty';
    const PrimaryClass = almatyPrimary ? AlmatyPrimaryStack : AstanaPrimaryStack;
    this.primary = new PrimaryClass(app, `${prefix}-primary-${almatyPrimary ? 'almaty' : 'astana'}`, {
      site: almatyPrimary ? almaty : astana,
      stores: props.stores,
      dpoContact: props.dpoContact,
      crossBorder: props.crossBorder,
      audit: props.audit,
      regulator: props.regulator,
      firstTouch: props.firstTouch,
      extraEgressCidrs: props.extraEgressCidrs,
    });
    const standbyStores = props.stores.filter((s) => s.standby !== false).map((s) => s.name);
    if (standbyStores.length > 0) {
      const StandbyClass = almatyPrimary ? AstanaStandbyStack : AlmatyStandbyStack;
      this.standby = new StandbyClass(app, `${prefix}-standby-${almatyPrimary ? 'astana' : 'almaty'}`, {
        site: almatyPrimary ? astana : almaty,
        primary: this.primary,
        stores: standbyStores,
        dpoContact: props.dpoContact,
        crossBorder: props.crossBorder,
        audit: props.audit,
        extraEgressCidrs: props.extraEgressCidrs,
      });
    }
    if (props.hq) {
      for (const s of toHq) {
        if (s.dataClass === 'biometric')
          refuse(this, `stores[${s.name}].replicateToHq`, 'biometric data never leaves Kazakhstan');
        if (isPersonal(s.dataClass) && (!props.hq.transferAgreement || !props.hq.legalBasis)) {
          refuse(
            this,
            'hq.transferAgreement',
            `store ${s.name} holds ${s.dataClass} data: name the transfer agreement and the legal basis`,
          );
        }
      }
      this.hq = new HqStack(app, `${prefix}-hq-${props.hq.site.id}`, {
        site: props.hq.site,
        primary: this.primary,
        stores: toHq.map((s) => s.name),
        endpointHost: props.hq.endpointHost,
        kzEndpointHost: props.hq.kzEndpointHost,
        peerSourceCidrs: props.hq.peerSourceCidrs,
        gatewayImages: props.hq.gatewayImages,
        tunnelProfile: props.hq.tunnelProfile,
        crossBorder: props.crossBorder,
        transferAgreement: props.hq.transferAgreement,
        legalBasis: props.hq.legalBasis,
      });
    }
    this.primary.lockEgress();
    if (props.secretStore) {
      for (const stack of [this.primary, this.standby, this.hq]) {
        if (stack) fetchSecretsFrom(stack, stack.site, props.secretStore);
      }
    }
  }
}
