/**
 * An international law firm: client files (personal data) have their golden record in Almaty
 * with a standby in Astana; the head office in Frankfurt receives only case data (matters, no
 * personal data) through a GOST TLS tunnel that a kill switch can cut.
 *
 *   npx cdktf synth        (in this folder; no terraform binary needed; ResidencyGuard checks the policies)
 */
import * as path from 'node:path';
import { App } from 'cdktf';
import { ForeignSite, HybridDeployment, KzSite, ResidencyGuard, type HybridDeploymentProps } from 'kz-residency';

const registry = path.join(__dirname, 'sites.yaml');

/** Builds the law firm's stacks into `app` (`more` overrides or adds props, e.g. a `secretStore`). */
export function buildLawFirm(app: App, more: Partial<HybridDeploymentProps> = {}): HybridDeployment {
  return new HybridDeployment(app, 'law-firm', {
    primaryCity: 'Almaty',
    kzSites: {
      almaty: KzSite.fromRegistry(registry, 'kz-ala-1'),
      astana: KzSite.fromRegistry(registry, 'kz-ast-1'),
    },
    dpoContact: 'dpo@lawfirm.example.kz',
    crossBorder: 'active',
    stores: [
      {
        name: 'clients',
        dataClass: 'personal',
        purpose: 'Legal representation of clients under engagement letters',
        dataCategories: ['identity', 'contact', 'correspondence'],
        consentSource: 'eGov',
      },
      { name: 'matters', dataClass: 'case', replicateToHq: true },
    ],
    hq: {
      site: ForeignSite.fromRegistry(registry, 'hq-fra'),
      // GOST TLS is TCP and the Frankfurt standby opens the connection: it dials the Almaty gateway
      endpointHost: 'tunnel.fra.lawfirm.example.com',
      kzEndpointHost: 'tunnel.ala.lawfirm.example.kz',
      tunnelProfile: 'gost-tls',
    },
    audit: { retentionDays: 1095, immutable: true },
    regulator: { identityProviderUrl: 'https://id.lawfirm.example.kz/realms/regulator' },
    firstTouch: {
      hosts: ['portal.lawfirm.example.kz'],
      namespace: 'portal',
      backend: { serviceName: 'portal', port: 8080 },
    },
    ...more,
  });
}

if (require.main === module) {
  const app = new App();
  buildLawFirm(app);
  // `cdktf synth` fails when a stack breaks a residency rule (set KZ_RESIDENCY_GUARD=off to skip).
  if (process.env.KZ_RESIDENCY_GUARD !== 'off') ResidencyGuard.of(app, { sites: registry });
  app.synth();
}
