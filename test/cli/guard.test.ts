/**
 * ResidencyGuard: `cdktf synth` (and Testing.synth with validations) fails with the rule id,
 * construct path and message when a stack breaks a rule, and passes a stack that does not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { StatefulSetV1 } from '@cdktf/provider-kubernetes/lib/stateful-set-v1';
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { ResidencyGuard, isGuarded } from '../../constructs/residency-guard';
import { loadSitesRegistry } from '../../plan/sites';
import { FIXTURES } from './helpers';

const SITES = path.join(FIXTURES, 'sites.yaml');
const NOW = '2026-11-23';

/** A personal-data primary store on the Frankfurt cluster: KZ-RES-001 must deny it. */
function frankfurtStack(scope: Construct, id: string): TerraformStack {
  const stack = new TerraformStack(scope, id);
  const provider = new KubernetesProvider(stack, 'fra', {
    host: 'https://k8s.fra.example.com',
    alias: 'fra',
  });
  const customers = new Construct(stack, 'customers');
  new StatefulSetV1(customers, 'db', {
    provider,
    metadata: {
      name: 'customers-db',
      labels: {
        'residency.kz/data-class': 'personal',
        'residency.kz/role': 'primary',
        'residency.kz/site': 'hq-fra',
      },
    },
    spec: {
      serviceName: 'customers-db',
      selector: { matchLabels: { app: 'customers-db' } },
      template: {
        metadata: { labels: { app: 'customers-db' } },
        spec: { container: [{ name: 'postgres', image: 'postgres:16' }] },
      },
      volumeClaimTemplate: [
        {
          metadata: { name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: 'fra-standard',
            resources: { requests: { storage: '10Gi' } },
          },
        },
      ],
    },
  });
  return stack;
}

/** Only a namespace for public data in Almaty: nothing personal, nothing to deny. */
function publicStack(scope: Construct, id: string): TerraformStack {
  const stack = new TerraformStack(scope, id);
  const provider = new KubernetesProvider(stack, 'ala', { host: 'https://k8s.ala.example.kz', alias: 'ala' });
  new NamespaceV1(stack, 'site-docs', {
    provider,
    metadata: {
      name: 'site-docs',
      labels: { 'residency.kz/data-class': 'public', 'residency.kz/site': 'kz-ala-1' },
    },
  });
  return stack;
}

describe('ResidencyGuard', () => {
  test('a violating stack fails synth with rule id, construct path and message', () => {
    const stack = frankfurtStack(Testing.app(), 'frankfurt');
    ResidencyGuard.of(stack, { sites: SITES, now: NOW });
    expect(isGuarded(stack)).toBe(true);
    expect(() => Testing.synth(stack, true)).toThrow(/KZ-RES-001 frankfurt\/customers\/db: primary store/);
  });

  test('a compliant stack synthesizes', () => {
    const stack = publicStack(Testing.app(), 'docs');
    ResidencyGuard.of(stack, { sites: loadSitesRegistry(SITES), now: NOW });
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  test('a waiver (by construct path or by address) is honoured at synth', () => {
    const stack = frankfurtStack(Testing.app(), 'frankfurt');
    ResidencyGuard.of(stack, {
      sites: SITES,
      now: NOW,
      profile: 'law',
      waivers: [
        {
          rule: 'KZ-RES-001',
          resource: 'frankfurt/customers/*',
          reason: 'migration',
          approved_by: 'dpo',
          expires: '2026-12-31',
        },
      ],
    });
    let message = '';
    try {
      Testing.synth(stack, true);
    } catch (e) {
      message = e instanceof Error ? e.message : String(e);
    }
    expect(message).not.toMatch(/KZ-RES-001/);
  });

  test('guarding an app checks every stack when app.synth() runs, also stacks added later', () => {
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'kz-guard-'));
    try {
      const app = new App({ outdir });
      publicStack(app, 'docs');
      ResidencyGuard.of(app, { sites: SITES, now: NOW });
      frankfurtStack(app, 'frankfurt'); // added after the guard
      expect(() => app.synth()).toThrow(/KZ-RES-001 frankfurt\/customers\/db/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a registry file that fails its schema is reported where the guard is created', () => {
    const stack = publicStack(Testing.app(), 'docs');
    expect(() => ResidencyGuard.of(stack, { sites: path.join(FIXTURES, 'bad', 'sites-bad.yaml') })).toThrow(
      /sites-bad\.yaml: sites\[0\]/,
    );
  });
});
