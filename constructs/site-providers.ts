/**
 * A Kubernetes and a Helm provider for one site in one stack, aliased by the site id, whose
 * `host` is the site's first registered endpoint (so the policies can prove the site from the
 * provider configuration). `SiteProviders.of(scope, site)` returns the stack's single instance.
 */
import { Construct, type IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import type { Site } from './site';
import { SiteRegistry } from './site-registry';

export interface SiteProvidersProps {
  /** The site whose cluster these providers reach. No default. */
  readonly site: Site;
  /** Path to a kubeconfig file with credentials for the site. Default: the providers' own lookup (KUBE_CONFIG_PATH etc.). */
  readonly configPath?: string;
  /** Kubeconfig context to use. Default: the kubeconfig's current context. */
  readonly configContext?: string;
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
    this.kubernetes = new KubernetesProvider(this, 'kubernetes', {
      alias: props.site.id,
      host: props.site.endpoint,
      ...(props.configPath ? { configPath: props.configPath } : {}),
      ...(props.configContext ? { configContext: props.configContext } : {}),
    });
    this.helm = new HelmProvider(this, 'helm', {
      alias: props.site.id,
      kubernetes: {
        host: props.site.endpoint,
        ...(props.configPath ? { configPath: props.configPath } : {}),
        ...(props.configContext ? { configContext: props.configContext } : {}),
      },
    });
  }
}
