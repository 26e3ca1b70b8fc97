/** The typed description shared by the stacks and HybridDeployment. */
import type { DataClass } from '../plan/types';
import type { ConsentSource } from '../constructs/cnpg';

/** One store of a deployment. */
export interface StoreSpec {
  /** Cluster name (kebab case); also the namespace. No default. */
  readonly name: string;
  /** Data class. No default. */
  readonly dataClass: DataClass;
  /** Purpose of processing. Required for personal, biometric and special data. */
  readonly purpose?: string;
  /** Data categories. Required for personal, biometric and special data. */
  readonly dataCategories?: readonly string[];
  /** Consent evidence source(s). Required for personal, biometric and special data. */
  readonly consentSource?: ConsentSource | readonly ConsentSource[];
  /** Instances (at least 3). Default: 3. */
  readonly instances?: number;
  /** Volume size. Default: `20Gi`. */
  readonly storageSize?: string;
  /** Keep an in-country standby of this store. Default: true. */
  readonly standby?: boolean;
  /** Replicate this store to the HQ through an encrypted tunnel. Default: false. */
  readonly replicateToHq?: boolean;
}

/** Audit trail settings. */
export interface AuditSpec {
  /** Retention in days. Default: 1095. */
  readonly retentionDays?: number;
  /** Object lock on the log bucket. Default: true. */
  readonly immutable?: boolean;
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
}

export type { DataClass };
