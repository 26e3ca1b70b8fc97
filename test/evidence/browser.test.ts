/**
 * index.html as a person sees it: Debian's Chromium (never a downloaded browser), headless, opens
 * the law-firm and violations packs in every language from disk. No console error, no request
 * beyond the file itself, every section there, one node per store and one cluster per site in the
 * picture, and a screenshot of each page as a test artefact (test/evidence/artifacts, not in git).
 *
 * Without /usr/bin/chromium (a user's clone) the suite is skipped with the reason printed; in CI
 * (CI=true) a missing browser fails it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { LANGUAGES, translator } from '../../cli/i18n';
import { SECTIONS } from '../../cli/evidence/sections';
import { ExamplePacks, type BuiltPack } from './helpers';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, 'artifacts');
const present = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';

if (!present && !inCi) console.warn(`test/evidence/browser.test.ts: skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);

(present || inCi ? describe : describe.skip)('index.html in headless Chromium', () => {
  const packs = new ExamplePacks();
  let browser: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    if (!present) throw new Error(`${CHROMIUM} is missing: CI installs it (.ci/run: apt-get install chromium)`);
    profile = mkdtempSync(path.join(os.tmpdir(), 'kz-chromium-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    // a fresh profile (--user-data-dir) for every run: playwright passes it as the persistent context's folder
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1366, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    packs.dispose();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const cases = (['law-firm', 'violations'] as const).flatMap((example) => LANGUAGES.map((lang) => [example, lang] as const));

  test.each(cases)('%s (%s): no console error, no request, every section, one node per store and site', async (example, lang) => {
    const built: BuiltPack = await packs.build(example, lang);
    const file = path.join(built.dir, 'index.html');
    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);

    const t = translator(lang);
    for (const s of SECTIONS) {
      const heading = await page.locator(`section#${s.id} > h2`).textContent();
      expect([s.id, heading]).toEqual([s.id, t(s.title)]);
    }
    expect(await page.getAttribute('html', 'lang')).toBe(lang);

    const inv = built.evidence.pack.inventory;
    expect(await page.locator('#diagram svg g.node.kz-store').count()).toBe(inv.stores.length);
    expect(await page.locator('#diagram svg g.cluster.kz-site').count()).toBe(inv.sites.length);
    for (const site of inv.sites) expect(await page.locator(`#diagram svg g.cluster.kz-site[id="site-${site.id}"]`).count()).toBe(1);
    // the picture is drawn: its nodes have a size on the page
    const box = await page.locator('#diagram svg').boundingBox();
    expect(box && box.width > 300 && box.height > 150).toBe(true);
    // every store is a row of the inventory table
    expect(await page.locator('section#inventory table.inventory').first().locator('tbody tr').count()).toBe(inv.stores.length);

    const shot = path.join(ARTIFACTS, `${example}-${lang}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    // and as printed: the navigation is hidden, nothing is cut off horizontally
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav').isVisible()).toBe(false);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  }, 120_000);
});
