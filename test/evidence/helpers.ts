/** The examples' evidence packs, built once per suite, in a temporary folder. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { synthInChild } from '../cli/helpers';
import { collectEvidence, packFiles, writePack, type Evidence } from '../../cli/evidence/run';
import type { Language } from '../../cli/i18n';

export const ROOT = path.resolve(__dirname, '..', '..');
export const NOW = '2026-12-01T09:30:00Z';

export interface BuiltPack {
  readonly evidence: Evidence;
  readonly dir: string;
  readonly files: Record<string, string>;
  read(name: string): string;
}

/** Synthesizes examples into one temporary folder and writes their packs in every language asked for. */
export class ExamplePacks {
  private readonly tmp = mkdtempSync(path.join(os.tmpdir(), 'kz-evidence-'));
  private readonly outs = new Map<string, string>();

  cdktfOut(example: string): string {
    let out = this.outs.get(example);
    if (!out) {
      mkdirSync(path.join(this.tmp, example), { recursive: true });
      out = synthInChild(example, path.join(this.tmp, example, 'cdktf.out'));
      this.outs.set(example, out);
    }
    return out;
  }

  async build(example: string, language: Language): Promise<BuiltPack> {
    const evidence = await collectEvidence({
      targets: [this.cdktfOut(example)],
      sites: path.join(ROOT, 'examples', example, 'sites.yaml'),
      version: '0.1.0',
      now: NOW,
      language,
    });
    const dir = path.join(this.tmp, example, `pack-${language}`);
    writePack(evidence, dir);
    return { evidence, dir, files: packFiles(evidence), read: (name) => readFileSync(path.join(dir, name), 'utf8') };
  }

  dispose(): void {
    rmSync(this.tmp, { recursive: true, force: true });
  }
}
