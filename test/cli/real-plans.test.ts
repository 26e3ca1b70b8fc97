/**
 * The command on the real plan JSON documents in ../shared/plans/real (public repositories'
 * `terraform show -json` output): each is checked to a result (exit 0 or 1, a JSON document
 * naming every finding's rule, resource and message), never exit 2 or a crash.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT, fx, kz } from './helpers';

const REAL = path.resolve(ROOT, '..', 'shared', 'plans', 'real');
const plans = existsSync(REAL)
  ? readdirSync(REAL)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];
if (plans.length === 0)
  console.warn(`test/cli/real-plans.test.ts: ${REAL} is absent; skipping the real-plan checks`);

(plans.length ? describe : describe.skip)('kz-residency check on real plans', () => {
  test.each(plans)('%s gives a result', (name) => {
    const r = kz([
      'check',
      path.join(REAL, name),
      '--sites',
      fx('sites.yaml'),
      '--format',
      'json',
      '--now',
      '2026-11-23',
    ]);
    expect(r.stderr).toBe('');
    expect([0, 1]).toContain(r.status);
    const doc = JSON.parse(r.stdout) as {
      deny: Array<Record<string, unknown>>;
      summary: { resources: number; deny: number };
    };
    expect(doc.summary.resources).toBeGreaterThan(0);
    expect(r.status).toBe(doc.summary.deny > 0 ? 1 : 0);
    for (const f of doc.deny)
      expect(f).toEqual(
        expect.objectContaining({
          rule: expect.any(String),
          resource: expect.any(String),
          message: expect.any(String),
        }),
      );
  });
});
