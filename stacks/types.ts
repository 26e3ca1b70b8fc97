/** The typed description shared by the stacks and HybridDeployment. */
import type { DataClass } from '../plan/types';
import type { PrimaryDataStoreProps, StoreContentProps } from '../constructs/primary-data-store';

/**
 * One store of a deployment: what it holds and why, and its size, as {@link PrimaryDataStoreProps}
 * (to which they are passed), plus its name and what follows it.
 */
export interface StoreSpec
  extends StoreContentProps, Pick<PrimaryDataStoreProps, 'instances' | 'storageSize' | 'clientNamespaces'> {
  /** Cluster name (kebab case); also the namespace. No default. */
  readonly name: string;
  /** Keep an in-country standby of this store. Default: true. */
  readonly standby?: boolean;
  /** Replicate this store to the HQ through an encrypted tunnel. Default: false. */
  readonly replicateToHq?: boolean;
}

/** Audit trail settings. */
export interface AuditSpec {
  /** Retention in days. Default: 1095. */
  readonly retentionDays?: number;
  /** Write-once storage of the logs; only `true` is accepted (AuditTrail refuses an erasable audit log). Default: true. */
  readonly immutable?: boolean;
  /** Application namespaces whose logs are collected besides the stores' (the first-touch namespace is added). Default: none. */
  readonly applicationNamespaces?: readonly string[];
}

/** Regulator access settings. */
export interface RegulatorSpec {
  /** OIDC issuer URL on a Kazakh site. No default. */
  readonly identityProviderUrl: string;
  /** Auditor groups. Default: `['kz-regulator-auditors']`. */
  readonly groups?: readonly string[];
}

/** First-touch ingress settings. */
export interface FirstTouchSpec {
  /** Capture hosts (registered for the primary site). No default. */
  readonly hosts: readonly string[];
  /** Namespace of the application. No default. */
  readonly namespace: string;
  /** Backend service. No default. */
  readonly backend: { readonly serviceName: string; readonly port: number };
  /** Names of the stores the application writes to: the only exits of its namespace besides DNS. Default: every store of the deployment. */
  readonly stores?: readonly string[];
}

export type { DataClass };
