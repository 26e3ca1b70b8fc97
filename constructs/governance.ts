/**
 * Deployment governance on a site: the data protection officer (responsible person, Law 94-V
 * Art. 25 para 3) contact, declared on a labelled namespace (`residency.kz/dpo-contact`) and in
 * a ConfigMap `kz-residency-governance` the policies and auditors can read.
 */
import { Construct } from 'constructs';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import type { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import type { DataClass } from '../plan/types';
import type { Site } from './site';
import { SiteProviders } from './site-providers';
import { labelledNamespace } from './cnpg';
import { ANNOTATIONS, refuse, residencyLabels, type ResidencyClaim } from './vocabulary';

/** Name of the governance namespace and ConfigMap. */
export const GOVERNANCE_NAME = 'kz-residency-governance';

/** Props of {@link Governance}. */
export interface GovernanceProps {
  /** Site whose cluster carries the declaration. No default. */
  readonly site: Site;
  /** Contact of the data protection officer (e-mail or phone). No default. */
  readonly dpoContact: string;
  /** Name of the DPO. Default: none. */
  readonly dpoName?: string;
  /** Kill switch state of the deployment, recorded for auditors. Default: not recorded. */
  readonly crossBorder?: 'active' | 'suspended';
  /** Data class label. Default: `personal`. */
  readonly dataClass?: DataClass;
}

/** The DPO declaration of a deployment on one site. */
export class Governance extends Construct {
  readonly namespace: NamespaceV1;
  readonly configMap: ConfigMapV1;

  constructor(scope: Construct, id: string, props: GovernanceProps) {
    super(scope, id);
    if (!props.dpoContact || !/^\S+@\S+\.\S+$|^\+?[0-9 ()-]{7,}$/.test(props.dpoContact)) {
      refuse(
        this,
        'dpoContact',
        `expected an e-mail address or phone number, got ${JSON.stringify(props.dpoContact)}`,
      );
    }
    const claim: ResidencyClaim = {
      dataClass: props.dataClass ?? 'personal',
      role: 'audit',
      site: props.site,
    };
    const annotations: Record<string, string> = {
      [ANNOTATIONS.dpoContact]: props.dpoContact,
      ...(props.crossBorder ? { [ANNOTATIONS.crossBorder]: props.crossBorder } : {}),
    };
    this.namespace = labelledNamespace(this, 'namespace', GOVERNANCE_NAME, claim, annotations);
    this.configMap = new ConfigMapV1(this, 'config', {
      provider: SiteProviders.of(this, props.site).kubernetes,
      metadata: {
        name: GOVERNANCE_NAME,
        namespace: GOVERNANCE_NAME,
        labels: residencyLabels(claim),
        annotations,
      },
      data: {
        dpoContact: props.dpoContact,
        ...(props.dpoName ? { dpoName: props.dpoName } : {}),
        ...(props.crossBorder ? { crossBorder: props.crossBorder } : {}),
      },
      dependsOn: [this.namespace],
    });
  }
}
