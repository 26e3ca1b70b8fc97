/**
 * The standby stack: an in-country standby of each store of a primary stack, in the other
 * Kazakh city, with its own DPO declaration and (when the site has a log sink) audit trail.
 * `AstanaStandbyStack` and `AlmatyStandbyStack` pin the city.
 */
import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import {
  AuditTrail,
  EgressLockdown,
  Governance,
  InCountryStandby,
  isPersonal,
  type KzCity,
  type Site,
} from '../constructs';
import { refuse } from '../constructs/vocabulary';
import { addPrerequisitesOutput } from './prerequisites';
import type { PrimaryStack } from './primary-stack';
import type { AuditSpec } from './types';

/** Props of {@link StandbyStack}. */
export interface StandbyStackProps {
  /** The standby's Kazakh site, in the other city than the primary. No default. */
  readonly site: Site;
  /** The primary stack whose stores are followed. No default. */
  readonly primary: PrimaryStack;
  /** Store names to follow. Default: every store of the primary. */
  readonly stores?: readonly string[];
  /** DPO contact. No default. */
  readonly dpoContact: string;
  /** Kill switch state (recorded). No default. */
  readonly crossBorder: 'active' | 'suspended';
  /** Audit trail on this site; `false` to leave it out. Default: on when the site registers a log sink. */
  readonly audit?: AuditSpec | false;
  /** Escape hatch: extra CIDRs personal-data namespaces may reach beyond their registered exits. Default: none. */
  readonly extraEgressCidrs?: readonly string[];
}

/** A stack of in-country standbys. */
export class StandbyStack extends TerraformStack {
  readonly site: Site;
  readonly standbys = new Map<string, InCountryStandby>();
  readonly governance: Governance;
  readonly audit?: AuditTrail;

  constructor(scope: Construct, id: string, props: StandbyStackProps) {
    super(scope, id);
    if (!props.site.isKazakh)
      refuse(this, 'site', `the standby stack runs on a Kazakh site; ${props.site} is abroad`);
    this.site = props.site;
    this.governance = new Governance(this, 'Governance', {
      site: props.site,
      dpoContact: props.dpoContact,
      crossBorder: props.crossBorder,
    });
    const names = props.stores ?? [...props.primary.stores.keys()];
    for (const name of names) {
      const primary = props.primary.store(name);
      const standby = new InCountryStandby(this, name, {
        primary,
        site: props.site,
        dpoContact: props.dpoContact,
      });
      this.standbys.set(name, standby);
      if (isPersonal(primary.dataClass)) {
        new EgressLockdown(this, `EgressLockdown-${name}`, {
          site: props.site,
          namespace: standby.namespaceName,
          dataClass: primary.dataClass,
          apiServer: true,
          // its own backups, and the source's backups it bootstraps and follows from
          objectStorage: [standby.backup.site, primary.backup.site],
          extraEgressCidrs: props.extraEgressCidrs,
          dependsOn: [standby.cluster.namespace],
        });
      }
    }
    const audit = props.audit === false ? undefined : props.audit;
    const wantAudit = props.audit !== false && (audit !== undefined || props.site.logSinks.length > 0);
    if (wantAudit) {
      this.audit = new AuditTrail(this, 'AuditTrail', {
        site: props.site,
        name: 'kz-audit',
        sourceNamespaces: [...this.standbys.values()].map((s) => s.namespaceName),
        retentionDays: audit?.retentionDays,
        immutable: audit?.immutable,
      });
    }
    addPrerequisitesOutput(this, props.site);
  }
}

/** Refuses a site in another city than the one a city-pinned stack stands for. */
function requireCity(
  scope: Construct,
  id: string,
  props: StandbyStackProps,
  city: KzCity,
): StandbyStackProps {
  if (props.site.city !== city) {
    throw new Error(
      `${scope.node.path ? scope.node.path + '/' : ''}${id}: site: a ${city} standby stack needs a ${city} site, got ${props.site}`,
    );
  }
  return props;
}

/** The standby stack pinned to Astana. */
export class AstanaStandbyStack extends StandbyStack {
  constructor(scope: Construct, id: string, props: StandbyStackProps) {
    super(scope, id, requireCity(scope, id, props, 'Astana'));
  }
}

/** The standby stack pinned to Almaty. */
export class AlmatyStandbyStack extends StandbyStack {
  constructor(scope: Construct, id: string, props: StandbyStackProps) {
    super(scope, id, requireCity(scope, id, props, 'Almaty'));
  }
}
