/**
 * The MinIO operator of one site in one stack (chart 7.1.1, namespace `minio-operator`): it installs
 * the Tenant CRD and turns a Tenant into pods, volumes, certificates and the buckets it lists.
 * `MinioOperator.of(scope, claim)` returns the stack's single instance.
 */
import { Construct, type IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { Release } from '@cdktf/provider-helm/lib/release';
import type { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { SiteProviders } from './site-providers';
import { labelledNamespace } from './cnpg';
import { residencyLabels, residencyValues, type ResidencyClaim } from './vocabulary';

/** The MinIO operator chart (installs the Tenant CRD). */
export const MINIO_OPERATOR_CHART = {
  repository: 'https://operator.min.io',
  chart: 'operator',
  version: '7.1.1',
} as const;

/** The MinIO operator of one site in one stack. */
export class MinioOperator extends Construct {
  /** The stack's operator for `claim.site` (created on first use). */
  static of(scope: IConstruct, claim: ResidencyClaim): MinioOperator {
    const stack = TerraformStack.of(scope);
    const id = `MinioOperator-${claim.site.id}`;
    const existing = stack.node.tryFindChild(id);
    if (existing instanceof MinioOperator) return existing;
    return new MinioOperator(stack, id, claim);
  }

  readonly namespace: NamespaceV1;
  readonly release: Release;

  private constructor(scope: Construct, id: string, claim: ResidencyClaim) {
    super(scope, id);
    const nsName = 'minio-operator';
    this.namespace = labelledNamespace(this, 'namespace', nsName, claim, {});
    const values = {
      residency: residencyValues(claim),
      operator: { additionalLabels: residencyLabels(claim) },
    };
    this.release = new Release(this, 'release', {
      provider: SiteProviders.of(this, claim.site).helm,
      name: 'minio-operator',
      namespace: nsName,
      repository: MINIO_OPERATOR_CHART.repository,
      chart: MINIO_OPERATOR_CHART.chart,
      version: MINIO_OPERATOR_CHART.version,
      values: [JSON.stringify(values, null, 2)],
      atomic: true,
      dependsOn: [this.namespace],
    });
  }
}
