/**
 * A bank's KYC: selfies and ID scans (biometric data) and customer records (personal data) with
 * their golden record in Astana and a standby in Almaty. No cross-border replica at all; an
 * audit trail with object lock at both sites and read-only access for the regulator.
 */
import * as path from 'node:path';
import { App } from 'cdktf';
import { HybridDeployment, KzSite, ResidencyGuard } from 'kz-residency';

const registry = path.join(__dirname, 'sites.yaml');

/** Builds the bank's stacks into `app`. */
export function buildFintechBiometric(app: App): HybridDeployment {
  return new HybridDeployment(app, 'fintech', {
    primaryCity: 'Astana',
    kzSites: {
      almaty: KzSite.fromRegistry(registry, 'kz-ala-bank'),
      astana: KzSite.fromRegistry(registry, 'kz-ast-bank'),
    },
    dpoContact: 'dpo@bank.example.kz',
    crossBorder: 'suspended',
    stores: [
      {
        name: 'kyc-biometrics',
        dataClass: 'biometric',
        purpose: 'Remote customer identification (KYC) for account opening',
        dataCategories: ['facial-image', 'identity-document-scan'],
        consentSource: ['eGov', 'eOtinish'],
        instances: 3,
        storageSize: '200Gi',
      },
      {
        name: 'customers',
        dataClass: 'personal',
        purpose: 'Customer accounts and AML checks',
        dataCategories: ['identity', 'contact', 'financial'],
        consentSource: 'eGov',
      },
    ],
    audit: {
      retentionDays: 1825,
      immutable: true,
      alerting: {
        smtp: { smarthost: 'smtp.bank.example.kz:587', from: 'kz-audit@bank.example.kz', username: 'kz-audit', cidrs: ['10.50.60.25/32'] },
        massReadStatements: 200,
      },
    },
    regulator: {
      identityProviderUrl: 'https://id.bank.example.kz/realms/regulator',
      groups: ['arrfr-inspectors', 'isc-auditors'],
    },
    firstTouch: {
      hosts: ['kyc.bank.example.kz'],
      namespace: 'kyc-web',
      backend: { serviceName: 'kyc-web', port: 8443 },
    },
  });
}

if (require.main === module) {
  const app = new App();
  buildFintechBiometric(app);
  // `cdktf synth` fails when a stack breaks a residency rule (set KZ_RESIDENCY_GUARD=off to skip).
  if (process.env.KZ_RESIDENCY_GUARD !== 'off') ResidencyGuard.of(app, { sites: registry });
  app.synth();
}
