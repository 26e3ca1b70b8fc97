/**
 * The plan corpus of test/fixtures/plans: every store kind and every way a plan says where a store
 * runs, each in a compliant and a violating plan shaped like `terraform show -json` output. Each
 * file must be what its scenario describes (regenerate with `npx tsx test/fixtures/plans/generate.ts`),
 * and `kz-residency check` with the corpus's sites registry must give exactly the scenario's
 * findings: the same rule ids on the same resources, nothing more.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPolicyPack, runCheck } from '../../cli/check';
import type { JsonValue } from '../../engine/engine';
import { InterpreterEngine } from '../../engine/interpreter';
import { loadRegoDirectory } from '../../engine/load';
import { loadSitesRegistry } from '../../plan/sites';
import { buildPlan } from '../fixtures/plans/builder';
import { SCENARIOS, type Scenario } from '../fixtures/plans/scenarios';
import { ROOT, kz } from '../cli/helpers';

const DIR = path.resolve(__dirname, '../fixtures/plans');
const pack = loadPolicyPack();

const pairs = (xs: ReadonlyArray<readonly [string, string]>): string[] => xs.map(([rule, resource]) => `${rule} ${resource}`).sort();

function optionsOf(s: Scenario): { kubeconfig?: string } {
  const args = s.args ?? [];
  const i = args.indexOf('--kubeconfig');
  return i >= 0 ? { kubeconfig: path.join(DIR, args[i + 1]) } : {};
}

describe('the plan corpus', () => {
  it('has a compliant and a violating plan for every location shape and store kind', () => {
    const names = SCENARIOS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    const compliant = SCENARIOS.filter((s) => s.deny.length === 0).length;
    expect(compliant).toBeGreaterThanOrEqual(18);
    expect(SCENARIOS.length - compliant).toBeGreaterThanOrEqual(18);
  });

  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s.json is the plan its scenario describes', (name, s) => {
    const text = readFileSync(path.join(DIR, `${name}.json`), 'utf8');
    expect(JSON.parse(text)).toEqual(buildPlan(s.plan));
  });

  it('every plan evaluates with strict builtin errors (no builtin is ever given a wrong type)', () => {
    const strict = InterpreterEngine.fromSources(loadRegoDirectory(path.join(ROOT, 'policies'), { includeTests: false }), { strictBuiltinErrors: true });
    const sites = loadSitesRegistry(path.join(DIR, 'sites.yaml')).sites as unknown as JsonValue;
    for (const s of SCENARIOS) {
      const plan = JSON.parse(readFileSync(path.join(DIR, `${s.name}.json`), 'utf8')) as JsonValue;
      expect([s.name, strict.evaluateSync('kz/residency/report', plan, { kz_residency: { sites, now: '2026-11-23' } }) !== undefined]).toEqual([s.name, true]);
    }
  });

  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s: exactly the expected findings', async (name, s) => {
    const { result } = await runCheck({ target: path.join(DIR, `${name}.json`), sites: path.join(DIR, 'sites.yaml'), now: '2026-11-23', pack, ...optionsOf(s) });
    expect(pairs(result.deny.map((f) => [f.rule, f.resource] as const))).toEqual(pairs(s.deny));
    expect(result.warn).toEqual([]);
  });
});

describe('kz-residency check --kubeconfig', () => {
  const plan = path.relative(ROOT, path.join(DIR, 'location-kubeconfig-kz.json'));
  const sites = path.relative(ROOT, path.join(DIR, 'sites.yaml'));
  const kubeconfig = path.relative(ROOT, path.join(DIR, 'ci.kubeconfig'));

  it('proves the cluster through the context server and says so in the report', () => {
    const json = kz(['check', plan, '--sites', sites, '--kubeconfig', kubeconfig, '--format', 'json', '--now', '2026-11-23']);
    expect(json.stderr).toBe('');
    expect(json.status).toBe(0);
    const doc = JSON.parse(json.stdout) as { summary: { locationFromKubeconfig?: unknown } };
    expect(doc.summary.locationFromKubeconfig).toEqual([
      { provider: 'kubernetes.ci', server: 'https://k8s.ala.example.kz:6443', source: `kubeconfig ${kubeconfig}, context "ala"` },
    ]);
    const text = kz(['check', plan, '--sites', sites, '--kubeconfig', kubeconfig, '--now', '2026-11-23']);
    expect(text.stdout).toContain(`location from a kubeconfig, not the plan: provider kubernetes.ci -> https://k8s.ala.example.kz:6443 (kubeconfig ${kubeconfig}, context "ala")`);
  });

  it('without it, the same plan proves nothing', () => {
    const r = kz(['check', plan, '--sites', sites, '--format', 'json', '--now', '2026-11-23']);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as { deny: Array<{ rule: string; message: string }>; summary: Record<string, unknown> };
    expect(doc.summary).not.toHaveProperty('locationFromKubeconfig');
    expect(doc.deny.find((f) => f.rule === 'KZ-RES-002')?.message).toMatch(/pass it with --kubeconfig FILE/);
  });

  it('a file that is not a kubeconfig is refused with exit 2 naming the file and field', () => {
    const r = kz(['check', plan, '--sites', sites, '--kubeconfig', sites]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`kz-residency: ${sites}: clusters: missing: not a kubeconfig (expected clusters and contexts lists)\n`);
  });
});

describe('docs/stores-and-clouds.md', () => {
  const doc = readFileSync(path.join(ROOT, 'docs', 'stores-and-clouds.md'), 'utf8');
  const tables = pack.engine.evaluateSync('kz/lib/stores', {}, {}) as { operator_kinds: Record<string, Record<string, string>>; cloud_store_types: Record<string, string> };

  it('lists every managed cloud store type the pack recognises', () => {
    for (const t of Object.keys(tables.cloud_store_types)) expect([t, doc.includes(t)]).toEqual([t, true]);
  });

  it('lists every operator API group and kind', () => {
    for (const [group, kinds] of Object.entries(tables.operator_kinds)) {
      const row = doc.split('\n').find((l) => l.startsWith('| ') && l.split('|')[1].split(',').map((g) => g.trim()).includes(group));
      expect([group, row === undefined ? 'missing' : 'row']).toEqual([group, 'row']);
      for (const k of Object.keys(kinds)) expect([group, k, row?.includes(k)]).toEqual([group, k, true]);
    }
  });
});

describe('plans judged together (one deployment)', () => {
  it('a plan without the complete field (Terraform before 1.8) still has its untouched prior-state objects judged', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'kz-corpus-'));
    try {
      const legacy = JSON.parse(readFileSync(path.join(DIR, 'after-apply-targeted-prior-state.json'), 'utf8')) as Record<string, unknown>;
      delete legacy.complete;
      const file = path.join(tmp, 'legacy.json');
      writeFileSync(file, JSON.stringify(legacy));
      const { result } = await runCheck({ targets: [file, path.join(DIR, 'location-literal-host-kz.json')], sites: path.join(DIR, 'sites.yaml'), now: '2026-11-23', pack });
      expect(pairs(result.deny.map((f) => [f.rule, f.resource] as const))).toEqual(
        pairs([['KZ-RES-001', 'legacy.json:kubernetes_manifest.legacy'], ['KZ-XBT-004', 'legacy.json:kubernetes_manifest.legacy']]),
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
