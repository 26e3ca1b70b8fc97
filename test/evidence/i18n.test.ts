/**
 * The message catalogues (cli/i18n/{en,ru,kk}.json): every key in all three languages, with the
 * same parameters; a current translation of every rule of the shipped pack; and `--lang` as a user
 * sees it on `check`, `report` and `diagram`.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadRuleCatalogue } from '../../cli/check';
import { LANGUAGES, catalogue, localizeRules, ruleSourceHash, translator } from '../../cli/i18n';
import { fx, kz, ROOT } from '../cli/helpers';

interface CatalogueFile {
  readonly note: string;
  readonly text: Record<string, string>;
  readonly rules?: Record<string, { title: string; description: string; remediation: string; source: string }>;
}

const read = (lang: string): CatalogueFile => JSON.parse(readFileSync(path.join(ROOT, 'cli', 'i18n', `${lang}.json`), 'utf8')) as CatalogueFile;
const params = (s: string) => [...s.matchAll(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g)].map((m) => m[1]).sort();
const RULES = loadRuleCatalogue(path.join(ROOT, 'policies'));

describe('message catalogues', () => {
  const en = read('en');

  test('there is one catalogue file per language and no other', () => {
    expect(readdirSync(path.join(ROOT, 'cli', 'i18n')).filter((f) => f.endsWith('.json')).sort()).toEqual(LANGUAGES.map((l) => `${l}.json`).sort());
  });

  test.each(['ru', 'kk'])('%s has every key of en, no other, each non-empty with the same parameters', (lang) => {
    const other = read(lang);
    expect(Object.keys(other.text).sort()).toEqual(Object.keys(en.text).sort());
    const wrong = Object.keys(en.text).filter((k) => !other.text[k]?.trim() || params(other.text[k] as string).join() !== params(en.text[k] as string).join());
    expect(wrong).toEqual([]);
  });

  test.each(['ru', 'kk'])('%s is a translation: most of its fixed text differs from the English', (lang) => {
    const other = read(lang);
    // Proper names (SHA-256, Alertmanager, Loki ruler, site.entry's pattern) may stay as they are.
    const same = Object.keys(en.text).filter((k) => other.text[k] === en.text[k]);
    expect(same.length).toBeLessThan(10);
    expect(other.text['section.erasure']).not.toBe(en.text['section.erasure']);
  });

  test.each(['ru', 'kk'])('%s translates every rule of the shipped pack from its current metadata', (lang) => {
    const rules = read(lang).rules ?? {};
    // A rule whose # METADATA changed after its translation: re-translate it and record the new source hash.
    const stale = RULES.filter((r) => rules[r.id]?.source !== ruleSourceHash(r)).map((r) => `${r.id} (source ${ruleSourceHash(r)})`);
    expect(stale).toEqual([]);
    expect(Object.keys(rules).filter((id) => !RULES.some((r) => r.id === id))).toEqual([]);
    for (const r of Object.values(rules)) for (const v of [r.title, r.description, r.remediation]) expect(v.trim()).not.toBe('');
  });

  test('a translation made from older metadata is not used: the English metadata is shown instead', () => {
    const rule = RULES.find((r) => r.id === 'KZ-RES-001');
    expect(rule).toBeDefined();
    const changed = { ...rule!, title: `${rule!.title} (amended)` };
    expect(localizeRules([changed], 'kk')[0]?.title).toBe(changed.title);
    expect(localizeRules([rule!], 'kk')[0]?.title).toBe(catalogue('kk').rules['KZ-RES-001']?.title);
  });

  test('parameters are filled in, in every language', () => {
    for (const lang of LANGUAGES) expect(translator(lang)('erasure.by.days', { days: 30 })).toContain('30');
  });
});

describe('the command: --lang, report and diagram', () => {
  test('check --lang kk prints the Kazakh rule titles and keeps rule ids and exit status', () => {
    const en = kz(['check', fx('frankfurt-primary.cdk.tf.json'), '--sites', fx('sites.yaml'), '--format', 'json']);
    const r = kz(['check', fx('frankfurt-primary.cdk.tf.json'), '--sites', fx('sites.yaml'), '--format', 'json', '--lang', 'kk']);
    expect(r.status).toBe(en.status);
    expect(r.status).toBe(1);
    const titles = (out: string) => (JSON.parse(out) as { deny: Array<{ rule: string; title: string }> }).deny.map((d) => [d.rule, d.title]);
    expect(titles(r.stdout).map(([id]) => id)).toEqual(titles(en.stdout).map(([id]) => id));
    expect(titles(r.stdout)).toContainEqual(['KZ-RES-001', catalogue('kk').rules['KZ-RES-001']?.title]);
  });

  test('an unknown language is refused with exit 2 naming the option', () => {
    const r = kz(['check', fx('frankfurt-primary.cdk.tf.json'), '--sites', fx('sites.yaml'), '--lang', 'de']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--lang/);
    expect(r.stdout).toBe('');
  });

  test('report --lang ru writes the pack in Russian; diagram --format mermaid prints the picture alone', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'kz-report-cli-'));
    try {
      const r = kz(['report', fx('frankfurt-primary.cdk.tf.json'), '--sites', fx('sites.yaml'), '--out', out, '--lang', 'ru', '--now', '2026-12-01']);
      expect(r.stderr).toMatch(/report: FAIL: \d+ denied/);
      expect(r.status).toBe(0);
      expect(readdirSync(out).sort()).toEqual(['data-flow.dot', 'data-flow.svg', 'erasure.json', 'index.html', 'inventory.csv', 'inventory.json', 'report.md']);
      const html = readFileSync(path.join(out, 'index.html'), 'utf8');
      expect(html).toContain('<html lang="ru">');
      expect(html).toContain(translator('ru')('section.erasure'));
      const d = kz(['diagram', fx('frankfurt-primary.cdk.tf.json'), '--sites', fx('sites.yaml'), '--format', 'mermaid']);
      expect(d.status).toBe(0);
      expect(d.stdout.startsWith('flowchart LR\n')).toBe(true);
      const missing = kz(['report', fx('frankfurt-primary.cdk.tf.json'), '--sites', fx('sites.yaml')]);
      expect(missing.status).toBe(2);
      expect(missing.stderr).toMatch(/--out/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('a personal-data store that is not a primary (a cache) is named in the breach runbook by its role, in every language', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kz-report-cache-'));
    try {
      const doc = JSON.parse(readFileSync(fx('frankfurt-primary.cdk.tf.json'), 'utf8')) as {
        resource: { kubernetes_stateful_set_v1: { customers_db: { metadata: { labels: Record<string, string> }; spec: { template: { spec: { container: Array<{ image: string }> } } } } } };
      };
      const db = doc.resource.kubernetes_stateful_set_v1.customers_db;
      db.metadata.labels['residency.kz/role'] = 'cache';
      db.spec.template.spec.container[0].image = 'redis:7';
      const plan = path.join(dir, 'cache.cdk.tf.json');
      writeFileSync(plan, JSON.stringify(doc));
      for (const lang of LANGUAGES) {
        const out = path.join(dir, `out-${lang}`);
        const r = kz(['report', plan, '--sites', fx('sites.yaml'), '--out', out, '--lang', lang, '--now', '2026-12-01']);
        expect(r.stderr).not.toMatch(/TypeError|at .*\.ts:/);
        expect(r.status).toBe(0);
        expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain(`${translator(lang)('erasure.place.cache')}: hq-fra`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an --out that cannot be a folder is exit 2 with one line naming it, also under /proc (where a recursive mkdir never returns)', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'kz-report-out-'));
    try {
      const file = path.join(tmp, 'a-file');
      writeFileSync(file, '');
      const targets = existsSync('/proc/self') ? [file, path.join(file, 'sub'), '/proc/kz-nope/pack'] : [file, path.join(file, 'sub')];
      for (const out of targets) {
        const r = kz(['report', fx('frankfurt-primary.cdk.tf.json'), '--sites', fx('sites.yaml'), '--out', out]);
        expect([out, r.status]).toEqual([out, 2]);
        expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(`--out ${out}: cannot create the folder`)]);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
