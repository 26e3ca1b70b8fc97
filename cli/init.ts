/**
 * `kz-residency init [dir]`: writes a starter sites registry (sites.yaml), waivers file
 * (waivers.yaml), settings file (.kz-residency.yaml) and the CI workflow
 * (.github/workflows/kz-residency.yml). It writes nothing when one of them exists already,
 * unless --force.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors';
import { displayPath } from './paths';
import { CONFIG_YAML, SITES_YAML, WAIVERS_YAML, WORKFLOW_YAML } from './templates';

export const INIT_FILES: ReadonlyArray<readonly [string, string]> = [
  ['sites.yaml', SITES_YAML],
  ['waivers.yaml', WAIVERS_YAML],
  ['.kz-residency.yaml', CONFIG_YAML],
  [path.join('.github', 'workflows', 'kz-residency.yml'), WORKFLOW_YAML],
];

export function runInit(dir: string, force: boolean): string[] {
  const targets = INIT_FILES.map(([name, text]) => ({ file: path.join(dir, name), text }));
  const present = targets.filter((t) => existsSync(t.file)).map((t) => displayPath(t.file));
  if (present.length > 0 && !force) {
    throw new UsageError(
      `init: ${present.join(', ')} already ${present.length === 1 ? 'exists' : 'exist'}: nothing written (--force overwrites)`,
    );
  }
  for (const t of targets) {
    try {
      mkdirSync(path.dirname(t.file), { recursive: true });
      writeFileSync(t.file, t.text);
    } catch (e) {
      throw new UsageError(`init: cannot write ${displayPath(t.file)}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  }
  return targets.map((t) => displayPath(t.file));
}
