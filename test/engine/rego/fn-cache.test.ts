/**
 * The function-result cache is bounded (fn-cache.ts): with a cache of a few entries the shipped
 * pack gives exactly the report it gives with the default one, on a generated plan with every
 * kind of store, violations and waivers; and the cache never holds more than two generations.
 */
import path from 'node:path';
import { generatePlan } from '../../../bench/plans/generate';
import { registryDocument } from '../../../bench/plans/sites';
import type { JsonValue } from '../../../engine/engine';
import { loadRegoDirectory } from '../../../engine/load';
import { compile } from '../../../engine/rego';
import type { DocNode } from '../../../engine/rego/compiler/ir';
import { FnResultCache, UNDEF } from '../../../engine/rego/fn-cache';
import { readJsonFile } from '../../../plan/json';
import { cleanupTempDirs, tempDir } from '../../plan/helpers';

afterAll(cleanupTempDirs);

test('a tiny cache gives the same report as the default one', () => {
  const file = path.join(tempDir(), 'plan.json');
  generatePlan(file, 300, 11);
  const plan = readJsonFile(file) as JsonValue;
  const policy = compile(loadRegoDirectory(path.resolve(__dirname, '../../../policies'), { includeTests: false }));
  const data = { kz_residency: { ...(registryDocument() as Record<string, JsonValue>), profile: 'audit-ready', now: '2026-11-23', waivers: [] } } as JsonValue;
  const full = policy.evaluate('kz/residency/report', { input: plan, data });
  const tiny = policy.evaluate('kz/residency/report', { input: plan, data, functionCacheEntries: 3 });
  expect(JSON.stringify(tiny)).toBe(JSON.stringify(full));
  expect(((full as { deny: unknown[] }).deny ?? []).length).toBeGreaterThan(0);
});

test('holds at most two generations: an entry survives one generation change, not two', () => {
  const node = {} as DocNode;
  const c = new FnResultCache(2);
  c.set(node, ['a'], [0], 1);
  expect(c.get(node, ['a'], [0])).toBe(1);
  c.set(node, ['b'], [0], 2); // young full: becomes old
  expect(c.get(node, ['a'], [0])).toBe(1); // found in old, copied to young
  c.set(node, ['c'], [0], UNDEF);
  c.set(node, ['d'], [0], 4);
  c.set(node, ['e'], [0], 5);
  expect(c.get(node, ['b'], [0])).toBeUndefined();
  expect(c.get(node, ['e'], [0])).toBe(5);
});
