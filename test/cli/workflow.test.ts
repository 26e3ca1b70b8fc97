/**
 * examples/github-actions/kz-residency.yml: parses as YAML and has what the integration needs —
 * least-privilege permissions for SARIF upload and the PR comment, the check in SARIF, GitHub and
 * Markdown formats, and current major versions of the actions it uses.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './helpers';

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { permissions: Record<string, string>; steps: Step[] }>;
}

const wf = parse(
  readFileSync(path.join(ROOT, 'examples/github-actions/kz-residency.yml'), 'utf8'),
) as Workflow;
const job = wf.jobs.residency;
const uses = job.steps.map((s) => s.uses).filter((u): u is string => typeof u === 'string');
const script = job.steps.map((s) => s.run ?? '').join('\n');

describe('examples/github-actions/kz-residency.yml', () => {
  test('runs on pull requests with read-only defaults and job-level write scopes', () => {
    expect(Object.keys(wf.on)).toContain('pull_request');
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(job.permissions).toEqual({
      contents: 'read',
      'security-events': 'write',
      'pull-requests': 'write',
    });
  });

  test('uses current major versions of the actions', () => {
    expect(uses).toEqual(
      expect.arrayContaining([
        'actions/checkout@v6',
        'actions/setup-node@v6',
        'hashicorp/setup-terraform@v4',
        'github/codeql-action/upload-sarif@v4',
      ]),
    );
  });

  test('synthesizes, checks in SARIF, GitHub and Markdown formats, uploads and comments', () => {
    expect(script).toContain('cdktf synth');
    expect(script).toContain('terraform -chdir="$dir" show -json tfplan');
    expect(script).toMatch(/kz-residency check .*--format sarif --output/s);
    expect(script).toMatch(/kz-residency check .*--format github/);
    expect(script).toMatch(/kz-residency check .*--format markdown/s);
    expect(script).toContain('gh pr comment "$PR" --edit-last --create-if-none --body-file kz-residency.md');
    const upload = job.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
    expect(upload?.if).toContain('always()');
    expect(upload?.with?.sarif_file).toBe('sarif');
  });
});
