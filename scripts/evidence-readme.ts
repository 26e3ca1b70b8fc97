/**
 * `npm run docs:evidence`: the README's picture and screenshot of the evidence pack, made by the
 * command itself from the law-firm reference design (synthesized into a temporary folder):
 * docs/evidence/law-firm-data-flow.svg (the data-flow picture, as `kz-residency diagram` writes it)
 * and docs/evidence/law-firm-report.png (the top of index.html in Debian's headless Chromium).
 * `--now` is fixed so a rerun with nothing changed writes the same SVG.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { collectEvidence, writePack } from '../cli/evidence/run';
import { synthExample } from '../examples/synth-all';

const ROOT = path.resolve(__dirname, '..');
const DOCS = path.join(ROOT, 'docs', 'evidence');
const CHROMIUM = '/usr/bin/chromium';

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kz-evidence-readme-'));
  const profile = mkdtempSync(path.join(os.tmpdir(), 'kz-chromium-'));
  try {
    process.env.KZ_RESIDENCY_GUARD = 'off';
    const out = synthExample('law-firm', path.join(tmp, 'cdktf.out'));
    const ev = await collectEvidence({
      targets: [out],
      sites: path.join(ROOT, 'examples', 'law-firm', 'sites.yaml'),
      version: '0.1.0',
      now: '2026-12-01T09:30:00Z',
      language: 'en',
    });
    mkdirSync(DOCS, { recursive: true });
    writeFileSync(path.join(DOCS, 'law-firm-data-flow.svg'), ev.svg);
    const pack = path.join(tmp, 'report');
    writePack(ev, pack);
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(path.join(pack, 'index.html')).href, { waitUntil: 'load' });
      await page.screenshot({ path: path.join(DOCS, 'law-firm-report.png') });
    } finally {
      await browser.close();
    }
    process.stdout.write(`wrote ${path.relative(ROOT, DOCS)}/law-firm-data-flow.svg and law-firm-report.png\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`docs:evidence: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
