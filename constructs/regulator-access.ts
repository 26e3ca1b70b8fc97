/**
 * Regulator access: a read-only path for auditors inside Kazakhstan that needs no foreign
 * system. A read-only ClusterRole (no Secrets) bound to the auditors' groups, a read-only
 * database role on each given store, and an identity provider that must run on a Kazakh site.
 */
import { Construct } from 'constructs';
import { ClusterRoleV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-v1';
import { ClusterRoleBindingV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-binding-v1';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import type { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import type { DataClass } from '../plan/types';
import type { Site } from './site';
import { SiteProviders } from './site-providers';
import { SiteRegistry } from './site-registry';
import { labelledNamespace } from './cnpg';
import type { PrimaryDataStore } from './primary-data-store';
import type { Prerequisite } from './prerequisites';
import {
  ANNOTATIONS,
  checkKubeName,
  kubeName,
  refuse,
  residencyLabels,
  type ResidencyClaim,
} from './vocabulary';

/** Props of {@link RegulatorAccess}. */
export interface RegulatorAccessProps {
  /** The Kazakh site whose cluster the auditors read. No default. */
  readonly site: Site;
  /** OIDC issuer URL of the identity provider the auditors log in with (https). No default. */
  readonly identityProviderUrl: string;
  /** Site that runs the identity provider; must be Kazakh, and the URL's host must be one of its registered hosts or a `.kz` name. Default: `site`. */
  readonly identityProviderSite?: Site;
  /** Groups (as the API server sees them from the OIDC token) bound to the read-only role. Default: `['kz-regulator-auditors']`. */
  readonly groups?: readonly string[];
  /** Stores that get a read-only database role (`pg_read_all_data`). Default: none. */
  readonly stores?: readonly PrimaryDataStore[];
  /** Name of the read-only database role. Default: `kz_auditor`. */
  readonly databaseRole?: string;
  /** Secret (kubernetes.io/basic-auth, by name) with the database role's password. Default: `kz-auditor-credentials`. */
  readonly databaseRoleSecret?: string;
  /** Name prefix of the RBAC objects and namespace. Default: the construct id in kebab case. */
  readonly name?: string;
  /** Data class label of the objects. Default: `personal`. */
  readonly dataClass?: DataClass;
}

/** Read-only RBAC, a read-only DB role and a Kazakh identity provider for auditors. */
export class RegulatorAccess extends Construct {
  readonly clusterRole: ClusterRoleV1;
  readonly binding: ClusterRoleBindingV1;
  readonly namespace: NamespaceV1;
  readonly configMap: ConfigMapV1;
  readonly identityProviderUrl: string;
  /** The API server must accept the identity provider's tokens (the database role's Secret is listed by its store). */
  readonly prerequisites: readonly Prerequisite[];

  constructor(scope: Construct, id: string, props: RegulatorAccessProps) {
    super(scope, id);
    const site = props.site;
    if (!site.isKazakh) refuse(this, 'site', `regulator access is inside Kazakhstan; ${site} is abroad`);
    const idpSite = props.identityProviderSite ?? site;
    if (!idpSite.isKazakh) {
      refuse(
        this,
        'identityProviderSite',
        `the identity provider runs on a Kazakh site (no dependency on an HQ system); ${idpSite} is abroad`,
      );
    }
    const url = parseUrl(props.identityProviderUrl);
    if (!url) refuse(this, 'identityProviderUrl', `not a URL: ${JSON.stringify(props.identityProviderUrl)}`);
    if (url.protocol !== 'https:') refuse(this, 'identityProviderUrl', `must use https, got ${url.protocol}`);
    const siteHosts = [...idpSite.entry.kubernetes.endpoints, ...idpSite.objectStorage, ...idpSite.logSinks]
      .map((u) => safeHost(u))
      .concat(idpSite.captureHosts.map((h) => h.toLowerCase()));
    const host = url.hostname.toLowerCase();
    if (!siteHosts.includes(host) && !host.endsWith('.kz')) {
      refuse(
        this,
        'identityProviderUrl',
        `${host} is neither a registered host of Kazakh site ${idpSite.id} nor a .kz name; the auditors' identity provider must not depend on a foreign system`,
      );
    }
    this.identityProviderUrl = props.identityProviderUrl;
    SiteRegistry.use(this, idpSite);
    const name = checkKubeName(this, 'name', props.name ?? kubeName(id));
    const groups = props.groups ?? ['kz-regulator-auditors'];
    if (groups.length === 0) refuse(this, 'groups', 'at least one auditors group is required');
    const claim: ResidencyClaim = { dataClass: props.dataClass ?? 'personal', role: 'audit', site };
    const labels = residencyLabels(claim);
    const annotations = {
      [ANNOTATIONS.regulatorAccess]: 'read-only',
      [ANNOTATIONS.identityProvider]: props.identityProviderUrl,
    };
    const providers = SiteProviders.of(this, site);
    this.namespace = labelledNamespace(this, 'namespace', name, claim, annotations);
    const ro = ['get', 'list', 'watch'];
    this.clusterRole = new ClusterRoleV1(this, 'role', {
      provider: providers.kubernetes,
      metadata: { name: `${name}-read-only`, labels, annotations },
      rule: [
        {
          apiGroups: [''],
          resources: [
            'namespaces',
            'pods',
            'pods/log',
            'services',
            'endpoints',
            'configmaps',
            'persistentvolumeclaims',
            'persistentvolumes',
            'events',
            'serviceaccounts',
            'nodes',
          ],
          verbs: ro,
        },
        {
          apiGroups: ['apps'],
          resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'],
          verbs: ro,
        },
        { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ro },
        { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies', 'ingresses'], verbs: ro },
        {
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'],
          verbs: ro,
        },
        { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ro },
        {
          apiGroups: ['postgresql.cnpg.io'],
          resources: ['clusters', 'backups', 'scheduledbackups', 'poolers'],
          verbs: ro,
        },
      ],
    });
    this.binding = new ClusterRoleBindingV1(this, 'binding', {
      provider: providers.kubernetes,
      metadata: { name: `${name}-read-only`, labels, annotations },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${name}-read-only` },
      subject: groups.map((g) => ({ kind: 'Group', name: g, apiGroup: 'rbac.authorization.k8s.io' })),
      dependsOn: [this.clusterRole],
    });
    const dbRole = props.databaseRole ?? 'kz_auditor';
    if (!/^[a-z_][a-z0-9_]*$/.test(dbRole))
      refuse(this, 'databaseRole', `expected a PostgreSQL role name, got ${JSON.stringify(dbRole)}`);
    const dbSecret = checkKubeName(
      this,
      'databaseRoleSecret',
      props.databaseRoleSecret ?? 'kz-auditor-credentials',
    );
    for (const store of props.stores ?? []) {
      if (store.site.id !== site.id)
        refuse(this, 'stores', `${store.node.path} is on ${store.site.id}, not on ${site.id}`);
      store.addRole({
        name: dbRole,
        ensure: 'present',
        comment: 'read-only role for the regulator (KZ-AUD-003)',
        login: true,
        superuser: false,
        createdb: false,
        createrole: false,
        inherit: true,
        replication: false,
        bypassrls: false,
        connectionLimit: 4,
        inRoles: ['pg_read_all_data'],
        passwordSecret: { name: dbSecret },
      });
    }
    this.prerequisites = [
      {
        kind: 'platform',
        name: `API server OIDC for ${props.identityProviderUrl}`,
        purpose: `the API server of site ${site.id} accepts tokens of this issuer and maps its groups claim (${groups.join(', ')}) to Kubernetes groups`,
        createdBy: 'the site operator, before apply',
      },
    ];
    this.configMap = new ConfigMapV1(this, 'config', {
      provider: providers.kubernetes,
      metadata: { name: `${name}-access`, namespace: name, labels, annotations },
      data: {
        identityProviderUrl: props.identityProviderUrl,
        groups: groups.join(','),
        clusterRole: `${name}-read-only`,
        databaseRole: dbRole,
        stores: (props.stores ?? []).map((s) => `${s.namespaceName}/${s.clusterName}`).join(','),
      },
      dependsOn: [this.namespace],
    });
  }
}

function safeHost(u: string): string {
  try {
    return new URL(u).hostname.toLowerCase();
  } catch {
    return u.toLowerCase();
  }
}

function parseUrl(u: string): URL | undefined {
  try {
    return new URL(u);
  } catch {
    return undefined;
  }
}
