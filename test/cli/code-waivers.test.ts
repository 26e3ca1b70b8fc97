/**
 * Waivers in code: `Waivers.of(construct).add({ rule, reason, approvedBy, expires })` is written
 * into cdk.tf.json beside every resource under the construct, honoured by `kz-residency check` and
 * by the synth-time guard, reported like a file waiver (and when it expired or matched nothing),
 * refused at construction without reason, approver or date, and refused by check (exit 2, file and
 * field) when its rule does not exist.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { StatefulSetV1 } from '@cdktf/provider-kubernetes/lib/stateful-set-v1';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ConstructPropError, ResidencyGuard, Waivers } from '../../index';
import { FIXTURES, kz } from './helpers';

const SITES = path.join(FIXTURES, 'sites.yaml');
const NOW = ['--now', '2026-11-23'];

/** The Frankfurt primary of personal data (KZ-RES-001 denies it) under the construct `customers`. */
function frankfurt(app: App): { stack: TerraformStack; customers: Construct } {
  const stack = new TerraformStack(app, 'frankfurt');
  const provider = new KubernetesProvider(stack, 'fra', { host: 'https://k8s.fra.example.com', alias: 'fra' });
  const customers = new Construct(stack, 'customers');
  new StatefulSetV1(customers, 'db', {
    provider,
    metadata: { name: 'customers-db', labels: { 'residency.kz/data-class': 'personal', 'residency.kz/role': 'primary', 'residency.kz/site': 'hq-fra' } },
    spec: {
      serviceName: 'customers-db',
      selector: { matchLabels: { app: 'customers-db' } },
      template: { metadata: { labels: { app: 'customers-db' } }, spec: { container: [{ name: 'postgres', image: 'postgres:16' }] } },
      volumeClaimTemplate: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fra-standard', resources: { requests: { storage: '10Gi' } } } }],
    },
  });
  return { stack, customers };
}

let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kz-code-waivers-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function synth(name: string, add: (customers: Construct, stack: TerraformStack) => void): string {
  const outdir = path.join(tmp, name);
  const app = new App({ outdir });
  const { stack, customers } = frankfurt(app);
  add(customers, stack);
  app.synth();
  return outdir;
}

const migration = { rule: 'KZ-RES-001', reason: 'migration to the Almaty cluster, ticket OPS-42', approvedBy: 'dpo@example.kz', expires: '2026-12-31' };

describe('Waivers.of(construct).add', () => {
  test('is written into cdk.tf.json beside each resource under the construct, with the construct and where add was called', () => {
    const out = synth('written', (customers) => Waivers.of(customers).add(migration));
    const doc = JSON.parse(readFileSync(path.join(out, 'stacks', 'frankfurt', 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, Record<string, { '//': Record<string, { waivers?: Array<Record<string, unknown>> }> }>>;
    };
    const [body] = Object.values(doc.resource.kubernetes_stateful_set_v1);
    const [w] = body['//']['kz-residency'].waivers ?? [];
    expect(w).toMatchObject({ rule: 'KZ-RES-001', reason: migration.reason, approved_by: 'dpo@example.kz', expires: '2026-12-31', construct: 'frankfurt/customers' });
    expect(String((w.stackTrace as string[]).at(-1))).toContain('code-waivers.test.ts');
  });

  test('check honours it and reports it like a file waiver, from code', () => {
    const out = synth('honoured', (customers) => Waivers.of(customers).add(migration));
    const r = kz(['check', out, '--sites', SITES, ...NOW, '--rule', 'KZ-RES-001', '--format', 'json']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { waived: Array<{ rule: string; resource: string; waiver: { source: string; resource: string; location?: { file: string } } }> };
    expect(doc.waived).toHaveLength(1);
    expect(doc.waived[0]).toMatchObject({ rule: 'KZ-RES-001', resource: 'frankfurt/customers/db', waiver: { source: 'code', resource: 'frankfurt/customers' } });
    expect(doc.waived[0].waiver.location?.file).toBe('test/cli/code-waivers.test.ts');
  });

  test('expired, it waives nothing and is reported; matching nothing, it is reported as unused', () => {
    const out = synth('idle', (customers) => {
      Waivers.of(customers).add({ ...migration, expires: '2026-01-31' });
      Waivers.of(customers).add({ ...migration, rule: 'KZ-FT-001', reason: 'no ingress here' });
    });
    const r = kz(['check', out, '--sites', SITES, ...NOW, '--format', 'json']);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      deny: Array<{ rule: string }>;
      expired_waivers: Array<{ rule: string; resource: string; source: string }>;
      unused_waivers: Array<{ rule: string; resource: string; source: string }>;
    };
    expect(doc.deny.map((f) => f.rule)).toContain('KZ-RES-001');
    expect(doc.expired_waivers).toEqual([expect.objectContaining({ rule: 'KZ-RES-001', resource: 'frankfurt/customers', source: 'code' })]);
    expect(doc.unused_waivers).toEqual([expect.objectContaining({ rule: 'KZ-FT-001', resource: 'frankfurt/customers', source: 'code' })]);
  });

  test('a rule that does not exist is exit 2 naming the synth output and the field', () => {
    const out = synth('unknown', (customers) => Waivers.of(customers).add({ ...migration, rule: 'KZ-RES-999' }));
    const r = kz(['check', out, '--sites', SITES, ...NOW]);
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 2, stdout: '' });
    expect(r.stderr).toMatch(
      /^kz-residency: .*stacks\/frankfurt\/cdk\.tf\.json: resource\.kubernetes_stateful_set_v1\.customers_db_[0-9A-F]+\.\/\/\.kz-residency\.waivers\[0\]\.rule: unknown rule "KZ-RES-999"/,
    );
  });

  test.each([
    ['reason', { reason: ' ' }, /frankfurt\/customers: Waivers\.add\(…\)\.reason: a waiver says why/],
    ['approvedBy', { approvedBy: '' }, /Waivers\.add\(…\)\.approvedBy: a waiver names who approved it/],
    ['expires', { expires: '2026-02-30' }, /Waivers\.add\(…\)\.expires: "2026-02-30" is not a date/],
    ['rule', { rule: 'KZ RES' }, /Waivers\.add\(…\)\.rule: "KZ RES" is not a rule id/],
  ])('without a proper %s it is refused, naming the construct path and the prop', (_prop, bad, message) => {
    const { customers } = frankfurt(new App({ outdir: path.join(tmp, 'refused') }));
    expect(() => Waivers.of(customers).add({ ...migration, ...bad })).toThrow(ConstructPropError);
    expect(() => Waivers.of(customers).add({ ...migration, ...bad })).toThrow(message);
  });

  test('the synth-time guard honours it too', () => {
    const app = new App({ outdir: path.join(tmp, 'guarded') });
    const { customers } = frankfurt(app);
    ResidencyGuard.of(app, { sites: SITES, now: '2026-11-23', profile: 'law' });
    expect(() => app.synth()).toThrow(/KZ-RES-001 frankfurt\/customers\/db/);
    const waived = new App({ outdir: path.join(tmp, 'guarded-waived') });
    const w = frankfurt(waived);
    Waivers.of(w.customers).add(migration);
    ResidencyGuard.of(waived, { sites: SITES, now: '2026-11-23', profile: 'law' });
    let message = '';
    try {
      waived.synth();
    } catch (e) {
      message = String(e);
    }
    expect(message).not.toMatch(/KZ-RES-001/);
    void customers;
  });
});
