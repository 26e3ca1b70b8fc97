/**
 * The compiled-pack cache (cli/pack-cache.ts): a second compile of the same sources is loaded
 * from the cache and evaluates exactly as a fresh compile; any change to a source is a new key;
 * a damaged entry is replaced; it can be turned off or moved; old entries are pruned.
 */
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generatePlan } from '../../bench/plans/generate';
import { registryDocument } from '../../bench/plans/sites';
import type { JsonValue, RegoSource } from '../../engine/engine';
import { loadRegoDirectory } from '../../engine/load';
import { compile } from '../../engine/rego';
import { compileCached, packCacheDir, packCacheKey } from '../../cli/pack-cache';
import { readJsonFile } from '../../plan/json';
import { cleanupTempDirs, tempDir } from '../plan/helpers';

afterAll(cleanupTempDirs);

const PACK = loadRegoDirectory(path.resolve(__dirname, '../../policies'), { includeTests: false });
const entries = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.bin'));

test('the cached pack evaluates exactly as a freshly compiled one', () => {
  const dir = tempDir();
  const first = compileCached(PACK, {}, dir);
  expect(entries(dir)).toHaveLength(1);
  const cached = compileCached(PACK, {}, dir);
  expect(cached).not.toBe(first);
  const file = path.join(tempDir(), 'plan.json');
  generatePlan(file, 200, 5);
  const input = readJsonFile(file) as JsonValue;
  const data = { kz_residency: { ...(registryDocument() as Record<string, JsonValue>), profile: 'audit-ready', now: '2026-11-23', waivers: [] } } as JsonValue;
  const want = JSON.stringify(compile(PACK).evaluate('kz/residency/report', { input, data }));
  expect(JSON.stringify(cached.evaluate('kz/residency/report', { input, data }))).toBe(want);
  expect(cached.annotations).toEqual(first.annotations);
  // a query needs the compiler, which a cached policy rebuilds
  expect(cached.query('x := data.kz.lib.endpoint.normalize("HTTPS://K8s.Example.KZ/")')).toEqual([{ x: 'https://k8s.example.kz:443' }]);
});

test('a changed source, file name or option is another key', () => {
  const edited: RegoSource[] = PACK.map((s, i) => (i === 0 ? { ...s, source: s.source + '\n# edited\n' } : s));
  const renamed: RegoSource[] = PACK.map((s, i) => (i === 0 ? { ...s, file: s.file + '.moved' } : s));
  const keys = new Set([packCacheKey(PACK, {}), packCacheKey(edited, {}), packCacheKey(renamed, {}), packCacheKey(PACK, { v0Compatible: true })]);
  expect(keys.size).toBe(4);
  expect(packCacheKey(PACK, {})).toBe(packCacheKey([...PACK], {}));
});

test('a damaged entry is replaced by a fresh compile', () => {
  const dir = tempDir();
  compileCached(PACK, {}, dir);
  const [name] = entries(dir);
  writeFileSync(path.join(dir, name), 'not a compiled pack');
  const p = compileCached(PACK, {}, dir);
  expect(p.annotations.length).toBeGreaterThan(0);
  expect(entries(dir)).toEqual([name]);
  expect(compileCached(PACK, {}, dir).annotations).toEqual(p.annotations);
});

test('compile errors are thrown and nothing is stored', () => {
  const dir = tempDir();
  expect(() => compileCached([{ file: 'bad.rego', source: 'package x\n\np if {' }], {}, dir)).toThrow(/rego_parse_error|parse/);
  expect(existsSync(dir) ? entries(dir) : []).toEqual([]);
});

test('the 8 most recently used entries are kept', () => {
  const dir = tempDir();
  const small = (i: number): RegoSource[] => [{ file: 'p.rego', source: `package p${i}\n\nx := ${i}\n` }];
  for (let i = 0; i < 10; i++) {
    compileCached(small(i), {}, dir);
    for (const n of entries(dir)) utimesSync(path.join(dir, n), new Date(Date.now() - (20 - i) * 1000), new Date(Date.now() - (20 - i) * 1000));
  }
  expect(entries(dir)).toHaveLength(8);
});

test('where the cache is: the env override, off, node_modules/.cache above the working directory, else XDG', () => {
  expect(packCacheDir({ KZ_RESIDENCY_CACHE: 'off' })).toBeUndefined();
  expect(packCacheDir({ KZ_RESIDENCY_CACHE_DIR: '/tmp/kz-pc' })).toBe('/tmp/kz-pc');
  const project = tempDir({ 'node_modules/.keep': '', 'src/deep/file.txt': '' });
  expect(packCacheDir({}, path.join(project, 'src', 'deep'))).toBe(path.join(project, 'node_modules', '.cache', 'kz-residency'));
  const bare = tempDir();
  const found = packCacheDir({ XDG_CACHE_HOME: '/tmp/xdg' }, bare);
  // a node_modules above the temporary folder (none on most machines) would win; otherwise XDG
  expect(found === '/tmp/xdg/kz-residency' || found?.endsWith(path.join('node_modules', '.cache', 'kz-residency'))).toBe(true);
});
