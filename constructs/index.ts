/**
 * The kz-residency construct library: the public constructs, their props and the vocabulary a
 * user needs to write an app. Helpers the constructs share among themselves stay in their files.
 */
// First: a missing peer dependency (cdktf, constructs, the provider packages) is named in one line.
import './peers';
export { LABELS, CLOUD_LABELS, ANNOTATIONS, PERSONAL_CLASSES, isPersonal, ConstructPropError, KzResidencyError } from './vocabulary';
export type { DataClass, StoreRole, ResidencyClaim } from './vocabulary';
export { Site, KzSite, ForeignSite, SiteError, loadSites } from './site';
export type { KzCity, SiteProps, KzSiteProps, ForeignSiteProps } from './site';
export { SiteRegistry } from './site-registry';
// the registry's and the guard's shapes, as plan/ validates them
export type {
  SitesRegistry,
  SiteEntry,
  SiteKubernetes,
  StorageClassEntry,
  SiteKubernetesAuth,
  SiteExecAuth,
  CniEntity,
  SiteApiServer,
  SiteObjectStorageAccess,
  Waiver,
  Profile,
} from '../plan/types';
export { SiteProviders } from './site-providers';
export type { SiteProvidersProps } from './site-providers';
export {
  CnpgOperator,
  CnpgCluster,
  CNPG_REPOSITORY,
  CNPG_OPERATOR_CHART_VERSION,
  CNPG_CLUSTER_CHART_VERSION,
  BARMAN_CLOUD_PLUGIN_CHART_VERSION,
  PINNED_POSTGRES_IMAGES,
} from './cnpg';
export type {
  ConsentSource,
  ManagedRole,
  CnpgClusterProps,
  CnpgClusterValues,
  BarmanObjectStoreValues,
  NodeSelectorRequirement,
  BackupTarget,
  StreamingOriginValues,
  EndpointCaValues,
  CnpgPluginValues,
} from './cnpg';
export { PrimaryDataStore } from './primary-data-store';
export type { PrimaryDataStoreProps, StoreBackupProps, StoreContentProps } from './primary-data-store';
export { InCountryStandby } from './in-country-standby';
export type { InCountryStandbyProps } from './in-country-standby';
export { HqReplica, STREAMING_REPLICA_USER } from './hq-replica';
export type { HqReplicaProps } from './hq-replica';
export { EncryptedTunnel, GATEWAY_ENTRYPOINT, GATEWAY_IMAGE_VERSION } from './encrypted-tunnel';
export type {
  EncryptedTunnelProps,
  GatewayExit,
  TunnelGateway,
  TunnelImages,
  TunnelReplicaTarget,
  TunnelSource,
} from './encrypted-tunnel';
export { GatewayIngressPolicy } from './gateway-ingress-policy';
export type { GatewayIngressPolicyProps, GatewayIngressSource } from './gateway-ingress-policy';
export { DatabaseIngressPolicy } from './database-ingress-policy';
export type { DatabaseIngressPolicyProps, DatabaseIngressTunnel } from './database-ingress-policy';
export { EgressLockdown } from './egress-lockdown';
export type { EgressLockdownProps, EgressPeer, IpExit } from './egress-lockdown';
export { AuditTrail, FLUENT_BIT_CHART, LOKI_CHART } from './audit-trail';
export { WriteOnceAuditStore, MINIO_TENANT_CHART, MINIO_CLIENT_IMAGE } from './write-once-audit-store';
export { MinioOperator, MINIO_OPERATOR_CHART } from './minio-operator';
export type { WriteOnceAuditStoreProps } from './write-once-audit-store';
export type { Prerequisite, HasPrerequisites } from './prerequisites';
export { ExternalSecrets } from './external-secrets';
export type { ExternalSecretsProps, SecretStoreRef } from './external-secrets';
export type { AuditTrailProps } from './audit-trail';
export { RegulatorAccess } from './regulator-access';
export type { RegulatorAccessProps } from './regulator-access';
export { FirstTouchIngress } from './first-touch-ingress';
export type { FirstTouchIngressProps } from './first-touch-ingress';
export { Governance } from './governance';
export type { GovernanceProps } from './governance';
export {
  renderTunnelConfig,
  TunnelConfigError,
  WIREGUARD_SECRET_KEYS,
  GOST_TLS_SECRET_KEYS,
  STUNNEL_CONFIG_FILE,
  FORWARD_CONFIG_FILE,
  GOST_CIPHER_SUITES,
} from './tunnel-config';
export type { TunnelProfile, TunnelSide, CrossBorderState, TunnelRenderOptions } from './tunnel-config';
export { ResidencyGuard, ResidencyGuardError, isGuarded } from './residency-guard';
export { Waivers } from './waivers';
export type { WaiverProps, WaiverEntry } from './waivers';
export type { ResidencyGuardProps } from './residency-guard';
export { recordSourceTraces, DISABLE_STACK_TRACE_CONTEXT } from './source-traces';

import { recordSourceTraces } from './source-traces';
// cdk.tf.json carries where each resource was created in the app's code, so that findings point
// there (`new App({ stackTraces: false })` turns it off, as cdktf documents).
recordSourceTraces();
