/** The kz-residency construct library. */
export * from './vocabulary';
export * from './site';
export * from './site-registry';
export * from './site-providers';
export * from './cnpg';
export * from './primary-data-store';
export * from './in-country-standby';
export * from './hq-replica';
export * from './encrypted-tunnel';
export * from './egress-lockdown';
export * from './audit-trail';
export * from './regulator-access';
export * from './first-touch-ingress';
export * from './governance';
export {
  renderTunnelConfig,
  TunnelConfigError,
  WIREGUARD_SECRET_KEYS,
  GOST_TLS_SECRET_KEYS,
  STUNNEL_CONFIG_FILE,
  GOST_CIPHER_SUITES,
} from './tunnel-config';
export type { TunnelRenderOptions } from './tunnel-config';
export { ResidencyGuard, DEFAULT_POLICIES_DIR, isGuarded } from './residency-guard';
export type { ResidencyGuardProps } from './residency-guard';
