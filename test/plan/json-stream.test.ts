/**
 * The chunked JSON reader (plan/json-stream.ts) against JSON.parse of the whole text, and the
 * lines it records against the regular expression check.ts used over the whole text: on the real
 * plans, on a generated plan minified and pretty-printed, with chunks of a few bytes (so that
 * every token and every `"address"` match crosses a chunk boundary somewhere), and on bad JSON.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatePlan } from '../../bench/plans/generate';
import { readJsonDocument } from '../../plan/json';
import { readJsonStream } from '../../plan/json-stream';
import { cleanupTempDirs, inputErrorOf, tempDir } from './helpers';

const REAL = path.resolve(__dirname, '../..', '../shared/plans/real');
const realPresent = fs.existsSync(REAL);
if (!realPresent) console.warn(`test/plan/json-stream: real plans skipped, ${REAL} is absent`);

afterAll(cleanupTempDirs);

/** What check.ts computed before: the line of the first `"address": "<x>"` match of each address. */
function regexLines(text: string): Map<string, number> {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const out = new Map<string, number>();
  for (const m of text.matchAll(/"address"\s*:\s*("(?:[^"\\]|\\.)*")/g)) {
    const a = JSON.parse(m[1]) as string;
    if (out.has(a)) continue;
    const at = m.index ?? 0;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    out.set(a, lo + 1);
  }
  return out;
}

function expectSameAsWhole(file: string, opts: { chunkBytes?: number; leafBytes?: number }): void {
  const text = fs.readFileSync(file, 'utf8');
  const streamed = readJsonStream(file, opts);
  expect(JSON.stringify(streamed.value)).toBe(JSON.stringify(JSON.parse(text)));
  expect([...streamed.addressLines].sort()).toEqual([...regexLines(text)].sort());
}

describe('the chunked reader gives what JSON.parse and the address regex give', () => {
  const dir = tempDir();
  const minified = path.join(dir, 'plan.json');
  generatePlan(minified, 150, 7);
  const pretty = path.join(dir, 'pretty.json');
  fs.writeFileSync(pretty, JSON.stringify(JSON.parse(fs.readFileSync(minified, 'utf8')), null, 2));
  const sizes = [
    { chunkBytes: 8 << 20, leafBytes: 1 << 20 },
    { chunkBytes: 4096, leafBytes: 512 },
    { chunkBytes: 7, leafBytes: 3 },
  ];

  test.each(sizes)('a generated plan, minified and pretty-printed (%o)', (opts) => {
    expectSameAsWhole(minified, opts);
    expectSameAsWhole(pretty, opts);
  });

  (realPresent ? test : test.skip)('every real plan, in small chunks', () => {
    for (const f of fs.readdirSync(REAL).filter((n) => n.endsWith('.json'))) expectSameAsWhole(path.join(REAL, f), { chunkBytes: 1000, leafBytes: 300 });
  });

  test('keys as JSON.parse makes them: a later duplicate wins, __proto__ is an own key, integer keys first', () => {
    const f = path.join(dir, 'keys.json');
    fs.writeFileSync(f, '{"b": 1, "a": {"x": 1, "x": 2}, "__proto__": {"y": true}, "10": 0, "2": 0, "b": 3}');
    const v = readJsonStream(f, { chunkBytes: 5, leafBytes: 2 }).value as Record<string, unknown>;
    expect(JSON.stringify(v)).toBe(JSON.stringify(JSON.parse(fs.readFileSync(f, 'utf8'))));
    expect(Object.keys(v)).toEqual(['2', '10', 'b', 'a', '__proto__']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });

  test('a UTF-8 byte order mark is skipped; strings with escapes and non-ASCII text survive chunking', () => {
    const f = path.join(dir, 'bom.json');
    const doc = { address: 'module.a["é\\"😀"]', s: 'line\nbreak \\ "quoted" 😀', n: [1.5e300, -0, 12345678901234567890] };
    fs.writeFileSync(f, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(doc))]));
    const r = readJsonStream(f, { chunkBytes: 3, leafBytes: 2 });
    expect(r.value).toEqual(JSON.parse(JSON.stringify(doc)));
    expect(r.addressLines.get('module.a["é\\"😀"]')).toBe(1);
  });
});

describe('readJsonDocument', () => {
  const bad = [
    '{"a": [1, 2,, 3]}',
    '{\n  "a": {\n    "b": tru\n  }\n}',
    '{"a": "x\ny"}',
    '{"a": 1} x',
    '{"a": {"é😀": [1, }]}}',
    '[1, 2',
    '{"a": "unterminated',
    '',
    '{"a" 1}',
  ];

  test.each(bad)('streamed or not, bad JSON is reported at the same line and column: %j', (text) => {
    const f = path.join(tempDir({ 'bad.json': text }), 'bad.json');
    const whole = inputErrorOf(() => readJsonDocument(f)).message;
    const streamed = inputErrorOf(() => readJsonDocument(f, { streamFromBytes: 0 })).message;
    expect(streamed).toBe(whole);
    expect(whole).toMatch(/bad\.json: line \d+, column \d+: not valid JSON: /);
  });

  test('gives the lines of addresses whether it streams or not', () => {
    const f = path.join(tempDir(), 'plan.json');
    generatePlan(f, 40, 3);
    const whole = readJsonDocument(f);
    const streamed = readJsonDocument(f, { streamFromBytes: 0 });
    expect([...streamed.addressLines]).toEqual([...whole.addressLines]);
    expect(whole.addressLines.size).toBeGreaterThan(40);
  });

  test('a missing file or a directory is an InputError naming it', () => {
    const dir = tempDir();
    expect(inputErrorOf(() => readJsonDocument(path.join(dir, 'none.json'))).message).toMatch(/none\.json: no such file/);
    expect(inputErrorOf(() => readJsonDocument(dir)).message).toMatch(/is a directory/);
  });
});
