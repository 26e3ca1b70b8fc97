/**
 * The evidence pack of the examples, read as its readers would: the CSV and JSON by tools, the
 * picture's nodes, the erasure map's dates, provenance that identifies the inputs, and nothing
 * claimed that the inputs do not prove. (The HTML in a real browser: browser.test.ts.)
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { collectEvidence, packFiles, parseNow } from '../../cli/evidence/run';
import { retentionDays } from '../../cli/evidence/erasure';
import { LANGUAGES, translator } from '../../cli/i18n';
import { ExamplePacks, NOW, ROOT, type BuiltPack } from './helpers';

const packs = new ExamplePacks();
afterAll(() => packs.dispose());

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;
/** The SVG text with the character references Graphviz writes in attributes decoded (`&#45;` is "-"). */
const svgText = (svg: string) => svg.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));

describe.each(['law-firm', 'violations'] as const)('%s: the pack in every language', (example) => {
  const built: Partial<Record<(typeof LANGUAGES)[number], BuiltPack>> = {};
  beforeAll(async () => {
    for (const lang of LANGUAGES) built[lang] = await packs.build(example, lang);
  }, 240_000);

  test.each(LANGUAGES)('%s: every file is written', (lang) => {
    expect(Object.keys(built[lang]?.files ?? {}).sort()).toEqual(
      ['data-flow.dot', 'data-flow.svg', 'erasure.json', 'index.html', 'inventory.csv', 'inventory.json', 'report.md'].sort(),
    );
  });

  test.each(LANGUAGES)('%s: inventory.csv parses and has one row per store, in the order of inventory.json', (lang) => {
    const p = built[lang] as BuiltPack;
    const rows = parseCsv(p.read('inventory.csv'), { bom: true }) as string[][];
    const t = translator(lang);
    const [head, ...body] = rows;
    expect(head[0]).toBe(t('col.name'));
    expect(head).toHaveLength(18);
    const stores = (JSON.parse(p.read('inventory.json')) as { stores: Array<{ id: string; name: string | null }> }).stores;
    expect(body).toHaveLength(stores.length);
    expect(body.map((r) => r[1])).toEqual(stores.map((s) => s.id));
    for (const r of body) expect(r).toHaveLength(18);
  });

  test.each(LANGUAGES)('%s: the SVG has one node per store and one cluster per site', (lang) => {
    const p = built[lang] as BuiltPack;
    const svg = svgText(p.read('data-flow.svg'));
    const inv = p.evidence.pack.inventory;
    expect(count(svg, /<g id="store-n\d+" class="node kz-store/g)).toBe(inv.stores.length);
    expect(count(svg, /<g id="site-[^"]+" class="cluster kz-site/g)).toBe(inv.sites.length);
    for (const s of inv.sites) expect(svg).toContain(`id="site-${s.id}"`);
  });

  test.each(LANGUAGES)('%s: report.md carries the picture as Mermaid, every node it draws declared once', (lang) => {
    const md = (built[lang] as BuiltPack).read('report.md');
    const m = /```mermaid\n([\s\S]*?)```/.exec(md);
    expect(m).not.toBeNull();
    const mermaid = (m as RegExpExecArray)[1];
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    const declared = [...mermaid.matchAll(/^\s+(n\d+)[[({/\\]/gm)].map((x) => x[1]);
    expect(new Set(declared).size).toBe(declared.length);
    for (const [, from, to] of mermaid.matchAll(/^\s+(n\d+) [-=.>]+\|[^|]*\| (n\d+)$/gm)) {
      expect(declared).toContain(from);
      expect(declared).toContain(to);
    }
    expect(count(mermaid, /^\s+n\d+\[\(/gm)).toBe((built[lang] as BuiltPack).evidence.pack.inventory.stores.length);
  });

  test('no text is left untranslated where a translation exists: the Russian and Kazakh packs differ from the English one', () => {
    const en = (built.en as BuiltPack).read('index.html');
    for (const lang of ['ru', 'kk'] as const) {
      const html = (built[lang] as BuiltPack).read('index.html');
      expect(html).toContain(`<html lang="${lang}">`);
      for (const key of ['section.inventory', 'section.erasure', 'section.breach', 'breach.deadline.value'] as const)
        expect([key, html.includes(translator(lang)(key))]).toEqual([key, true]);
      expect(html).not.toContain(translator('en')('section.erasure'));
      // data classes are named in the language too (inventory, erasure headings, breach table)
      expect(en).toContain('<td>personal</td>');
      expect(html).not.toContain('<td>personal</td>');
      expect(html).toContain(`<td>${translator(lang)('class.personal')}</td>`);
      expect(html).not.toEqual(en);
    }
  });

  test('provenance identifies the inputs, the pack, the registry and the time, and --now makes it reproducible', async () => {
    const p = built.en as BuiltPack;
    const prov = p.evidence.pack.provenance;
    const out = packs.cdktfOut(example);
    expect(prov.inputs.map((i) => i.sha256)).toContain(sha256(path.join(out, 'stacks', example === 'violations' ? 'violations' : 'law-firm-primary-almaty', 'cdk.tf.json')));
    expect(prov.registry.sha256).toBe(sha256(path.join(ROOT, 'examples', example, 'sites.yaml')));
    expect(prov.policyPack.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(prov.policyPack.files).toBeGreaterThan(20);
    expect(prov.generatedAt).toBe(NOW);
    expect(prov.date).toBe('2026-12-01');
    expect(prov.tool).toEqual({ name: 'kz-residency', version: '0.1.0' });
    expect(prov.git === null || /^[0-9a-f]{40}$/.test(prov.git.commit)).toBe(true);
    const again = await collectEvidence({ targets: [out], sites: path.join(ROOT, 'examples', example, 'sites.yaml'), version: '0.1.0', now: NOW, language: 'en' });
    expect(packFiles(again)).toEqual(p.files);
  }, 60_000);
});

describe('what the law-firm pack says', () => {
  let p: BuiltPack;
  beforeAll(async () => {
    p = await packs.build('law-firm', 'en');
  }, 120_000);

  test('passes, with every personal-data store watched and the DPO named', () => {
    const v = p.evidence.pack.verdict;
    expect([v.result, v.deny, v.watched, v.audited]).toEqual(['pass', 0, 2, 2]);
    expect(p.evidence.pack.inventory.deployment.dpo_contacts).toEqual(['dpo@lawfirm.example.kz']);
    expect(p.evidence.pack.breach.gaps.filter((g) => g.kind === 'watch' || g.kind === 'dpo')).toEqual([]);
  });

  test('the erasure map of the clients: primary, standby, their backups for 30 days and the audit logs for 1095 days', () => {
    const erasure = JSON.parse(p.read('erasure.json')) as { date: string; stores: Array<{ store: string; places: Array<{ kind: string; days: number | null; retention: string | null }>; withinDays: number | null }> };
    expect(erasure.stores.map((s) => s.store)).toEqual(['law-firm-primary-almaty/clients/Cluster/release']);
    const [clients] = erasure.stores;
    expect(clients.places.map((x) => [x.kind, x.days])).toEqual([
      ['primary', 0],
      ['backup', 30],
      ['standby', 0],
      ['backup', 30],
      ['audit', 1095],
      ['audit', 1095],
    ]);
    expect(clients.withinDays).toBe(1095);
    expect(p.read('report.md')).toContain('Erased from every copy within 1095 days: for a deletion made on 2026-12-01, by 2029-11-30.');
  });

  test("each store's audit records are drawn going to the Loki its Fluent Bit pushes to, in the clear inside the cluster", () => {
    const shipping = p.evidence.pack.inventory.edges.filter((e) => e.kind === 'log-shipping');
    expect(shipping.map((e) => [e.source, e.destination, e.encrypted, e.via, e.resource]).sort()).toEqual(
      ['primary-almaty', 'standby-astana'].flatMap((site) =>
        ['clients', 'matters'].map((db) => [`law-firm-${site}/${db}/Cluster/release`, `law-firm-${site}/AuditTrail/log-store`, false, 'Fluent Bit', `law-firm-${site}/AuditTrail/collector`]),
      ).sort(),
    );
    expect(count(p.read('data-flow.svg'), /class="edge kz&#45;edge kz&#45;edge&#45;log&#45;shipping"/g)).toBe(4);
  });

  test('each Loki keeps the records in the write-once MinIO tenant of its site, over TLS', () => {
    const storage = p.evidence.pack.inventory.edges.filter((e) => e.kind === 'log-storage');
    expect(storage.map((e) => [e.source, e.destination, e.encrypted]).sort()).toEqual(
      ['primary-almaty', 'standby-astana'].map((site) => [`law-firm-${site}/AuditTrail/log-store`, `law-firm-${site}/AuditTrail/WriteOnceStore/tenant`, true]),
    );
  });

  test("the README's picture is what the command draws today (npm run docs:evidence rewrites it)", () => {
    expect(p.read('data-flow.svg')).toBe(readFileSync(path.join(ROOT, 'docs', 'evidence', 'law-firm-data-flow.svg'), 'utf8'));
  });

  test('the case data going to Frankfurt is listed as a copy abroad, without an agreement (none is needed or declared)', () => {
    const rows = parseCsv(p.read('inventory.csv'), { bom: true, columns: true }) as Array<Record<string, string>>;
    const matters = rows.find((r) => r['Address or construct path'] === 'law-firm-primary-almaty/matters/Cluster/release');
    expect(matters?.['Copies abroad (transfer agreement, legal basis)']).toBe('matters-replica on hq-fra (Frankfurt, DE) (agreement: not declared; legal basis: not declared)');
    const clients = rows.find((r) => r['Address or construct path'] === 'law-firm-primary-almaty/clients/Cluster/release');
    expect(clients?.['Copies abroad (transfer agreement, legal basis)']).toBe('none');
    expect(clients?.['Data subjects']).toBe('not declared');
    expect(clients?.Site).toBe('kz-ala-1');
    expect(clients?.['Storage class and encryption']).toBe('ala-ceph-encrypted: encrypted');
  });
});

describe('what the violations pack says', () => {
  let p: BuiltPack;
  beforeAll(async () => {
    p = await packs.build('violations', 'en');
  }, 120_000);

  test('fails with 21 denials, law and practice kept apart, and draws what they are about in red', () => {
    const v = p.evidence.pack.verdict;
    expect([v.result, v.deny]).toEqual(['fail', 21]);
    expect(v.byBasis.law + v.byBasis.practice).toBe(21);
    const svg = svgText(p.read('data-flow.svg'));
    expect(count(svg, /class="node kz-store kz-violation"/g)).toBe(3);
    expect(svg).toMatch(/class="edge kz-edge kz-edge-backup kz-violation"/);
    expect(svg).toMatch(/class="edge kz-edge kz-edge-first-touch kz-violation"/);
  });

  test('a store abroad with no registry proof of a Kazakh site is not called local, and a backup to object storage abroad is a copy abroad', () => {
    const rows = parseCsv(p.read('inventory.csv'), { bom: true, columns: true }) as Array<Record<string, string>>;
    const payments = rows.find((r) => r.Name === 'payments');
    expect(payments?.['Copies abroad (transfer agreement, legal basis)']).toBe(
      'backup https://s3.fra.example.com/customers-backups/customers on hq-fra (Frankfurt, DE) (agreement: not declared; legal basis: not declared)',
    );
    expect(payments?.['Backups (location, retention)']).toBe('https://s3.fra.example.com/customers-backups/customers (hq-fra (Frankfurt, DE); retention 30d; not encrypted)');
    const customers = rows.find((r) => r.Name === 'customers');
    expect(customers?.Jurisdiction).toBe('DE');
  });
});

describe('unknown and unproven values', () => {
  test('a store whose cluster host is known only after apply: site and jurisdiction "not proven", nothing guessed', async () => {
    const ev = await collectEvidence({
      targets: [path.join(ROOT, 'test', 'fixtures', 'plans', 'location-data-source-host.json')],
      sites: path.join(ROOT, 'test', 'fixtures', 'plans', 'sites.yaml'),
      version: '0.1.0',
      now: NOW,
    });
    const rows = parseCsv(packFiles(ev)['inventory.csv'], { bom: true, columns: true }) as Array<Record<string, string>>;
    const clients = rows.find((r) => r['Address or construct path'] === 'kubernetes_manifest.clients');
    expect([clients?.Site, clients?.City, clients?.Jurisdiction, clients?.Operator]).toEqual(['not proven', 'not proven', 'not proven', 'unknown']);
    expect(packFiles(ev)['data-flow.dot']).toContain('"Location not proven"');
    const store = ev.pack.inventory.stores.find((s) => s.id === 'kubernetes_manifest.clients');
    expect(store?.unproven_reason).toMatch(/known only after apply|data source/);
  }, 60_000);
});

describe('pieces', () => {
  test('retentions as configurations write them', () => {
    expect(['30d', '4w', '3m', '1y', '26280h', '14', 'forever', null].map((x) => retentionDays(x))).toEqual([30, 28, 90, 365, 1095, 14, undefined, undefined]);
  });

  test('--now takes a date or an ISO time, and refuses anything else', () => {
    expect(parseNow('2026-12-01')).toEqual({ generatedAt: '2026-12-01T00:00:00Z', date: '2026-12-01' });
    expect(parseNow('2026-12-01T23:30:00+05:00')).toEqual({ generatedAt: '2026-12-01T18:30:00Z', date: '2026-12-01' });
    expect(() => parseNow('tomorrow')).toThrow('--now: "tomorrow" is neither a date');
    expect(() => parseNow('2026-13-45')).toThrow('--now:');
  });
});
