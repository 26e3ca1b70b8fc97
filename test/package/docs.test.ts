/**
 * The documentation users have is the repository's: the rule catalogue is current with the policies,
 * every rule family has its legal basis explained, and nothing links outside the repository.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { loadRuleCatalogue } from '../../cli/check';
import { REGENERATE, RULES_DOC, currentRuleCatalogue } from '../../scripts/docs';
import { ROOT } from './helpers';

const DOCS = path.join(ROOT, 'docs');
const markdown = (): string[] => [
  path.join(ROOT, 'README.md'),
  ...readdirSync(DOCS)
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join(DOCS, f)),
];
/** Written for other issues at the same time as this documentation; linked from docs/README.md. */
const WRITTEN_ELSEWHERE = ['data-path.md', 'prerequisites.md', 'sites-registry.md', 'stores-and-clouds.md'];

test(`docs/rules.md is what \`${REGENERATE}\` writes from the policies' METADATA`, () => {
  const committed = existsSync(RULES_DOC) ? readFileSync(RULES_DOC, 'utf8') : '';
  if (committed !== currentRuleCatalogue()) {
    throw new Error(
      `docs/rules.md is out of date with the rules' # METADATA in policies/: run \`${REGENERATE}\` and commit it`,
    );
  }
});

test('docs/rules.md lists exactly the rules `kz-residency rules` lists, with their titles', () => {
  const doc = readFileSync(RULES_DOC, 'utf8');
  const listed = [...doc.matchAll(/^## (KZ-[A-Z0-9]+-\d{3})\n\n\*\*(.*)\*\*$/gm)].map((m) => [m[1], m[2]]);
  expect(listed).toEqual(loadRuleCatalogue().map((r) => [r.id, r.title]));
});

test('docs/legal-basis.md explains the basis of every rule family in the catalogue', () => {
  const legal = readFileSync(path.join(DOCS, 'legal-basis.md'), 'utf8');
  const families = [...new Set(loadRuleCatalogue().map((r) => r.id.replace(/-\d{3}$/, '')))];
  expect(families.filter((f) => !legal.includes(f))).toEqual([]);
});

test('the README and docs/ link only to files of the repository (no steering documents, no /tmp, no ../shared)', () => {
  const problems: string[] = [];
  for (const file of markdown()) {
    const text = readFileSync(file, 'utf8');
    const rel = path.relative(ROOT, file);
    for (const bad of ['DESIGN.md', 'law.md', '/tmp', '../shared', 'steering']) {
      if (text.includes(bad)) problems.push(`${rel}: mentions ${bad}`);
    }
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1].split('#')[0];
      if (!target || /^[a-z]+:/.test(target)) continue; // an anchor on the page, or a web address
      const resolved = path.resolve(path.dirname(file), decodeURI(target));
      if (!resolved.startsWith(ROOT + path.sep) && resolved !== ROOT)
        problems.push(`${rel}: ${m[1]} leaves the repository`);
      else if (!existsSync(resolved) && !WRITTEN_ELSEWHERE.includes(path.relative(DOCS, resolved)))
        problems.push(`${rel}: ${m[1]} does not exist`);
    }
  }
  expect(problems).toEqual([]);
});

test('the README keeps the two commands a fresh clone starts with, and says how to install and release', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  expect(readme).toContain('npm ci && npm run demo');
  expect(readme).toContain('npm ci && npm test');
  expect(readme).toMatch(/npm install .*kz-residency-\d+\.\d+\.\d+\.tgz/);
  expect(readme).toMatch(/docs\/releasing\.md/);
});
