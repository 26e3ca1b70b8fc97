/** Golden-file comparison: UPDATE_GOLDEN=1 rewrites test/cli/golden/<name> instead of comparing. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const GOLDEN_DIR = path.join(__dirname, 'golden');

export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    if (process.env.CI === 'true' && !existsSync(file))
      throw new Error(`golden file ${name} is missing (run with UPDATE_GOLDEN=1)`);
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  const expected = readFileSync(file, 'utf8');
  if (actual !== expected) {
    // The golden files follow the policies, the examples and the plan converter: when one of those
    // changed on purpose, regenerate them and review the diff.
    console.error(
      `${name} differs: if the change is intended, run UPDATE_GOLDEN=1 npx jest test/cli and review git diff test/cli/golden`,
    );
  }
  expect(actual).toBe(expected);
}
