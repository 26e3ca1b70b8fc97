/**
 * yaml.unmarshal's block reader (yaml-block.ts) gives exactly what the yaml library gives, or
 * gives up: on the charts' values files in ../shared/charts, on generated Helm values and on
 * corner cases of the subset's edges. (When it gives up the yaml library reads the text, so
 * the builtin's result is the library's either way.)
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse, type Tags } from 'yaml';
import { readBlockYaml, type YamlJson } from '../../../engine/rego/builtins/yaml-block';
import { call } from './helpers';

const OPTIONS = {
  version: '1.1' as const,
  uniqueKeys: true,
  customTags: (tags: Tags): Tags => tags.filter((t) => typeof t === 'string' || !(((t as { tag?: string }).tag === 'tag:yaml.org,2002:timestamp') || (t as { format?: string }).format === 'TIME')),
};

function norm(x: unknown): unknown {
  if (x === undefined) return null;
  if (x instanceof Date) return x.toISOString();
  if (Array.isArray(x)) return x.map(norm);
  if (x instanceof Map) return Object.fromEntries([...x].map(([k, v]) => [String(k), norm(v)]));
  if (typeof x === 'bigint') return Number(x);
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, norm(v)]));
  return x;
}

const resolve = (s: string): YamlJson | undefined => {
  try {
    return norm(parse(s, OPTIONS)) as YamlJson;
  } catch {
    return undefined;
  }
};

/** What the yaml library gives, or 'error'. */
function full(text: string): unknown {
  try {
    return norm(parse(text, { ...OPTIONS, maxAliasCount: 1000 }));
  } catch {
    return 'error';
  }
}

const CHARTS = path.resolve(__dirname, '../../..', '../shared/charts');
function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) && statSync(p).size < 512 * 1024 ? [p] : [];
  });
}

const CORNERS = [
  'a: 1\nb: yes\nc: ~\nd: "x"\ne: \'y\'\nf: -x\ng: 0x1f\nh: 1_000\ni: 2024-01-01\nj: .inf\nk: {}\nl: []\nm:\n- 1\n- two\nn:\n  - a: 1\n    b: 2\n  - c\no: # comment\n  p: q # c\n',
  'key: value\n  continued\n', 'a: |\n  x\n', 'a: &x 1\nb: *x\n', 'a: [1, 2]\n', '- a\n- b: c\n  d: e\n- - x\n', 'a: b: c\n', 'a:b\n', 'on: push\n',
  '"quoted key": "v\\n"\n', "'k': 'it''s'\n", 'x: 1\nx: 2\n', '---\na: 1\n', 'a: 1\n---\nb: 2\n', 'a:\n- 1\nb: 2\n', '  a: 1\n', 'a: "x" y\n', 'a: #notvalue\n',
  'a: b#c\n', 'k: 0777\n', 'k: +1\n', 'k: 1e3\n', 'k: 1.2.3\n', 'k: Y\n', 'k: null\n', 'k: NULL\n', 'k: "\\u00e9"\n', 'k: "\\x41"\n', 'a:\n  b:\n    - c: 1\n      d:\n        - e\n',
  '- name: x\n  value: "1"\n- name: y\n  value:\n    nested: true\n', 'a:\n\n  b: 1\n\n# end\n', 'a: "unterminated\n', 'a: b\n\tc: d\n', '__proto__: x\n', '<<: {a: 1}\n',
];

describe('the block YAML reader reads as the yaml library does', () => {
  const docs: string[] = [...CORNERS];
  if (existsSync(CHARTS)) for (const f of yamlFiles(CHARTS)) docs.push(readFileSync(f, 'utf8'));
  else console.warn(`test/engine/builtins/yaml-block: chart values skipped, ${CHARTS} is absent`);

  test.each(docs.map((d, i) => [i, d.slice(0, 60)]))('document %i (%j)', (i) => {
    const text = docs[i as number];
    const fast = readBlockYaml(text, resolve);
    if (fast === undefined) return; // the yaml library reads it
    expect(fast).toEqual(full(text));
  });

  test('reads the usual Helm values shape itself, and gives up on the rest', () => {
    expect(readBlockYaml('image:\n  tag: "1.2"\nresources: {}\nargs:\n  - --v=2\n', resolve)).toEqual({ image: { tag: '1.2' }, resources: {}, args: ['--v=2'] });
    for (const t of ['a: |\n  x\n', 'a: [1]\n', 'a: &x 1\n', 'x: 1\nx: 2\n', 'key: v\n  more\n']) expect(readBlockYaml(t, resolve)).toBeUndefined();
  });

  test('yaml.unmarshal and yaml.is_valid give the same answers through either reader', () => {
    expect(call('yaml.unmarshal', 'a:\n  b: yes\n  c: 010\n')).toEqual({ a: { b: true, c: 8 } });
    expect(call('yaml.is_valid', 'a:\n  - 1\n')).toBe(true);
    expect(call('yaml.is_valid', 'a: [1\n')).toBe(false);
  });
});
