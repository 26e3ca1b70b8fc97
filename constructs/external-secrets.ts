/**
 * ExternalSecret resources (External Secrets Operator, `external-secrets.io/v1`) that create the
 * Secrets a stack expects from a secret store the user names, instead of someone creating them
 * by hand. One ExternalSecret per Secret, in the Secret's namespace, whose data are the properties
 * of the remote key `<keyPrefix><site>/<namespace>/<secret name>` (which holds exactly the keys the
 * stack's prerequisites output lists for that Secret). The operator and the
 * named (Cluster)SecretStore must exist on the site before the plan (its CRDs are what a
 * kubernetes_manifest is planned against).
 */
import { Construct } from 'constructs';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import type { Site } from './site';
import { SiteProviders } from './site-providers';
import type { Prerequisite } from './prerequisites';
import { checkKubeName, refuse, residencyLabels, type ResidencyClaim } from './vocabulary';
import type { DataClass } from '../plan/types';

/** The secret store the ExternalSecrets read from. */
export interface SecretStoreRef {
  /** Name of the store. No default. */
  readonly name: string;
  /** `ClusterSecretStore` (one for the cluster) or `SecretStore` (one per namespace). Default: `ClusterSecretStore`. */
  readonly kind?: 'ClusterSecretStore' | 'SecretStore';
  /** Prefix of every remote key. Default: `kz-residency/`. */
  readonly keyPrefix?: string;
  /** How often the operator re-reads the store. Default: `1h`. */
  readonly refreshInterval?: string;
}

/** Props of {@link ExternalSecrets}. */
export interface ExternalSecretsProps {
  /** The site whose cluster gets the ExternalSecrets. No default. */
  readonly site: Site;
  /** The store to read from. No default. */
  readonly store: SecretStoreRef;
  /** The Secrets to create (prerequisites of kind `secret`, with namespace and keys). No default. */
  readonly secrets: readonly Prerequisite[];
  /** Data class label of the objects. Default: `personal`. */
  readonly dataClass?: DataClass;
}

/** One ExternalSecret per expected Secret. */
export class ExternalSecrets extends Construct {
  readonly manifests: readonly Manifest[];
  readonly store: Required<Pick<SecretStoreRef, 'name' | 'kind' | 'keyPrefix'>>;
  /** The operator and the store, which must exist before the plan. */
  readonly prerequisites: readonly Prerequisite[];

  constructor(scope: Construct, id: string, props: ExternalSecretsProps) {
    super(scope, id);
    const kind = props.store.kind ?? 'ClusterSecretStore';
    const keyPrefix = props.store.keyPrefix ?? 'kz-residency/';
    checkKubeName(this, 'store.name', props.store.name);
    const refreshInterval = props.store.refreshInterval ?? '1h';
    if (!/^[0-9]+(s|m|h)$/.test(refreshInterval))
      refuse(
        this,
        'store.refreshInterval',
        `expected a duration like 1h, got ${JSON.stringify(refreshInterval)}`,
      );
    this.store = { name: props.store.name, kind, keyPrefix };
    const claim: ResidencyClaim = {
      dataClass: props.dataClass ?? 'personal',
      role: 'gateway',
      site: props.site,
    };
    const provider = SiteProviders.of(this, props.site).kubernetes;
    this.manifests = props.secrets.map((s) => {
      if (s.kind !== 'secret' || !s.namespace || !s.keys || s.keys.length === 0)
        refuse(this, 'secrets', `${s.name}: only Secrets with a namespace and keys can be fetched`);
      const remoteKey = remoteKeyOf(keyPrefix, props.site.id, s);
      return new Manifest(this, `${s.namespace}-${s.name}`, {
        provider,
        manifest: {
          apiVersion: 'external-secrets.io/v1',
          kind: 'ExternalSecret',
          metadata: { name: s.name, namespace: s.namespace, labels: residencyLabels(claim) },
          spec: {
            refreshInterval,
            secretStoreRef: { name: props.store.name, kind },
            target: {
              name: s.name,
              creationPolicy: 'Owner',
              ...(s.secretType ? { template: { type: s.secretType } } : {}),
            },
            // every property of the remote key becomes a data key (the store holds exactly `keys`);
            // `dataFrom` rather than per-key `data[].secretKey`, a field name KZ-SEC-001 reads as a secret
            dataFrom: [{ extract: { key: remoteKey } }],
          },
        },
      });
    });
    this.prerequisites = [
      {
        kind: 'platform',
        name: `External Secrets Operator with ${kind} ${props.store.name}`,
        purpose: `creates the Secrets below from the store (remote keys ${keyPrefix}${props.site.id}/<namespace>/<secret>)`,
        createdBy: 'the site operator, before apply',
      },
    ];
  }
}

/** The remote key of an expected Secret in the store. */
export function remoteKeyOf(keyPrefix: string, siteId: string, s: Prerequisite): string {
  return `${keyPrefix}${siteId}/${s.namespace ?? ''}/${s.name}`;
}
