/**
 * ResidencyGuard: `cdktf synth` (and Testing.synth with validations) fails with the rule id,
 * construct path and message when a stack breaks a rule, and passes a stack that does not; an
 * app's stacks are judged as one deployment; under the cdktf CLI the findings are error
 * annotations (which it prints once) instead of an exception.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { StatefulSetV1 } from '@cdktf/provider-kubernetes/lib/stateful-set-v1';
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { ResidencyGuard, ResidencyGuardError, isGuarded } from '../../constructs/residency-guard';
import { KzSite, PrimaryDataStore } from '../../index';
import { buildLawFirm } from '../../examples/law-firm/main';
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

  test('an app is judged as one deployment: a store in the HQ stack counts the primary stack’s DPO and kill switch', () => {
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'kz-guard-'));
    const lawFirmSites = path.join(__dirname, '..', '..', 'examples', 'law-firm', 'sites.yaml');
    try {
      const build = (dir: string) => {
        const app = new App({ outdir: dir });
        const d = buildLawFirm(app);
        new PrimaryDataStore(d.hq!, 'crm', {
          site: KzSite.fromRegistry(lawFirmSites, 'kz-ala-1'),
          dataClass: 'personal',
          purpose: 'CRM',
          dataCategories: ['contact'],
          consentSource: 'eGov',
        });
        return { app, hq: d.hq! };
      };
      const whole = build(path.join(outdir, 'app'));
      ResidencyGuard.of(whole.app, { sites: lawFirmSites, now: NOW });
      expect(() => whole.app.synth()).not.toThrow();
      // the same HQ stack guarded on its own lacks them
      const alone = build(path.join(outdir, 'stack'));
      ResidencyGuard.of(alone.hq, { sites: lawFirmSites, now: NOW });
      expect(() => alone.app.synth()).toThrow(/KZ-GOV-002 law-firm-hq-hq-fra\/crm\/Cluster\/release: no data protection officer/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('the error lists each finding with where the app made it, and how to go on', () => {
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'kz-guard-'));
    try {
      const app = new App({ outdir });
      frankfurtStack(app, 'frankfurt');
      ResidencyGuard.of(app, { sites: SITES, now: NOW });
      let err: unknown;
      try {
        app.synth();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ResidencyGuardError);
      const message = (err as Error).message;
      expect(message).toMatch(/^kz-residency: \d+ findings deny this app \(profile audit-ready\):\n {2}KZ-RES-001 frankfurt\/customers\/db: primary store/);
      expect(message).toMatch(/\(at test\/cli\/guard\.test\.ts:\d+\)/);
      expect(message).toMatch(/Waivers\.of\(construct\)\.add/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('under the cdktf CLI, the findings are error annotations in the manifest (printed once by the CLI)', () => {
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'kz-guard-'));
    const before = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
    try {
      const app = new App({ outdir });
      frankfurtStack(app, 'frankfurt');
      ResidencyGuard.of(app, { sites: SITES, now: NOW });
      expect(() => app.synth()).not.toThrow();
      const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
        stacks: Record<string, { annotations: Array<{ constructPath: string; level: string; message: string }> }>;
      };
      expect(manifest.stacks.frankfurt.annotations).toContainEqual({
        constructPath: 'frankfurt/customers/db',
        level: '@cdktf/error',
        message: expect.stringMatching(/^KZ-RES-001: primary store \(statefulset\) of personal data runs on site "hq-fra"/),
      });
    } finally {
      if (before === undefined) delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
      else process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = before;
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
