/** The README's "Before you apply" section is the stacks' prerequisites outputs, regenerated, not a second list. */
import { readFileSync } from 'node:fs';
import { BEGIN, END, README, renderPrerequisites, withSection } from '../../scripts/prerequisites-readme';

describe('README: Before you apply', () => {
  test('is what npm run readme:prerequisites generates from the stacks (fails when stale)', () => {
    const readme = readFileSync(README, 'utf8');
    const expected = withSection(readme, renderPrerequisites());
    if (expected !== readme) {
      console.error('README.md: the "Before you apply" section is stale; run npm run readme:prerequisites');
    }
    expect(readme).toBe(expected);
  });

  test('a change to what a stack expects makes the section stale', () => {
    const readme = readFileSync(README, 'utf8');
    const section = readme.slice(readme.indexOf(BEGIN) + BEGIN.length, readme.indexOf(END));
    const edited = withSection(readme, section.replace('kz-auditor-credentials', 'someone-elses-secret').trim());
    expect(withSection(edited, renderPrerequisites())).not.toBe(edited);
    expect(() => withSection('no markers here', 'x')).toThrow('the markers of the "Before you apply" section are missing');
  });
});
