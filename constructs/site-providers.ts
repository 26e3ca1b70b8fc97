/**
 * A Kubernetes and a Helm provider for one site in one stack, aliased by the site id, whose
 * `host` is the site's first registered endpoint (so the policies can prove the site from the
 * provider configuration) and whose trust and credentials come from that site's registry entry:
 * the API server's CA bundle (`cluster_ca_certificate`) and either a kubeconfig context or an exec
 * credential plugin. Each site gets its own; a site without registered credentials is refused,
 * because the providers would then use whatever kubeconfig the environment holds — the same
 * credentials for every site. `SiteProviders.of(scope, site)` returns the stack's single instance.
 */
import { Construct, type IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { KubernetesProvider, type KubernetesProviderConfig } from '@cdktf/provider-kubernetes/lib/provider';
import { HelmProvider, type HelmProviderKubernetes } from '@cdktf/provider-helm/lib/provider';
import type { Site } from './site';
import { SiteRegistry } from './site-registry';
import { refuse } from './vocabulary';

export interface SiteProvidersProps {
  /** The site whose cluster these providers reach. No default. */
  readonly site: Site;
  /**
   * Path of the deployer's kubeconfig file that holds the context the registry names
   * (`kubernetes.auth.kubeconfigContext`). A path on the deployer's machine, so it is not in the
   * registry. Default: none (the providers read `KUBE_CONFIG_PATH`). Unused with an exec plugin.
   */
  readonly configPath?: string;
}

/** The settings both providers share: host, CA and the site's own credentials. */
interface SiteConnection {
  readonly host: string;
  readonly clusterCaCertificate?: string;
  readonly configPath?: string;
  readonly configContext?: string;
  readonly exec?: {
    readonly apiVersion: string;
    readonly command: string;
    readonly args?: string[];
    readonly env?: Record<string, string>;
  };
}

/** The providers of one site in one stack. */
export class SiteProviders extends Construct {
  /** The stack's providers for `site` (created on first use with default props). */
  static of(scope: IConstruct, site: Site): SiteProviders {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.children.find(
      (c): c is SiteProviders => c instanceof SiteProviders && c.site.id === site.id,
    );
    if (existing) return existing;
    return new SiteProviders(stack, `Providers-${site.id}`, { site });
  }

  readonly site: Site;
  readonly kubernetes: KubernetesProvider;
  readonly helm: HelmProvider;

  constructor(scope: Construct, id: string, props: SiteProvidersProps) {
    super(scope, id);
    this.site = props.site;
    const stack = TerraformStack.of(this);
    const twin = stack.node.children.find(
      (c) => c !== this && c instanceof SiteProviders && c.site.id === props.site.id,
    );
    if (twin)
      throw new Error(
        `${this.node.path}: site: ${twin.node.path} already holds the providers of site ${props.site.id} in this stack`,
      );
    SiteRegistry.use(this, props.site);
    const connection = siteConnection(this, props);
    const { exec, ...rest } = connection;
    const kubernetes: KubernetesProviderConfig = {
      alias: props.site.id,
      ...rest,
      ...(exec ? { exec: [exec] } : {}),
    };
    this.kubernetes = new KubernetesProvider(this, 'kubernetes', kubernetes);
    const helmKubernetes: HelmProviderKubernetes = { ...rest, ...(exec ? { exec } : {}) };
    this.helm = new HelmProvider(this, 'helm', { alias: props.site.id, kubernetes: helmKubernetes });
  }
}

/** Host (literal registered endpoint), CA and credentials of `props.site`, or a refusal. */
function siteConnection(scope: Construct, props: SiteProvidersProps): SiteConnection {
  const site = props.site;
  const auth = site.auth;
  if (!auth) {
    refuse(
      scope,
      'site',
      `site ${site.id} registers no kubernetes.auth (a kubeconfigContext or an exec plugin); without it the providers would use whatever kubeconfig the environment holds, the same credentials for every site`,
    );
  }
  const base = {
    host: site.endpoint,
    ...(site.clusterCa !== undefined ? { clusterCaCertificate: site.clusterCa } : {}),
  };
  if (auth.exec) {
    return {
      ...base,
      exec: {
        apiVersion: auth.exec.apiVersion,
        command: auth.exec.command,
        ...(auth.exec.args ? { args: [...auth.exec.args] } : {}),
        ...(auth.exec.env ? { env: { ...auth.exec.env } } : {}),
      },
    };
  }
  return {
    ...base,
    ...(props.configPath ? { configPath: props.configPath } : {}),
    configContext: auth.kubeconfigContext,
  };
}
