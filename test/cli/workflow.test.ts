/**
 * examples/github-actions/kz-residency.yml: valid against the GitHub Actions workflow schema
 * (SchemaStore's, as @action-validator/core checks it), least-privilege permissions, one run of
 * the check that writes every report (annotations, SARIF, Markdown, JSON) with the reviewed
 * registry and, on pull requests, the base branch's report as the baseline; current major versions
 * of the actions it uses; and the same file `kz-residency init` writes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';
import { WORKFLOW_YAML } from '../../cli/templates';
import { ROOT } from './helpers';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { permissions: Record<string, string>; env: Record<string, string>; steps: Step[] }>;
}

const text = readFileSync(path.join(ROOT, 'examples/github-actions/kz-residency.yml'), 'utf8');
const wf = parse(text) as Workflow;
const job = wf.jobs.residency;
const uses = job.steps.map((s) => s.uses).filter((u): u is string => typeof u === 'string');
const checkStep = job.steps.find((s) => s.id === 'check');
const checkRun = checkStep?.run ?? '';

describe('examples/github-actions/kz-residency.yml', () => {
  test('is valid against the GitHub Actions workflow schema', () => {
    expect(validateWorkflow(text).errors).toEqual([]);
  });

  test('the schema check is real: a misspelt key is reported', () => {
    const broken = text.replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest');
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });

  test('runs on pull requests with read-only defaults and job-level scopes for what it does', () => {
    expect(Object.keys(wf.on)).toEqual(expect.arrayContaining(['pull_request', 'push']));
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(job.permissions).toEqual({
      contents: 'read',
      actions: 'read', // the baseline artifact of the base branch
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
        'actions/upload-artifact@v7',
      ]),
    );
  });

  test('checks once, with the reviewed registry, writing every report', () => {
    expect(checkRun.match(/kz-residency check/g)).toHaveLength(1);
    expect(job.env.KZ_SITES).toBe('sites.yaml');
    expect(checkRun).toContain('--sites "$KZ_SITES"');
    for (const f of ['--format github', '--format sarif=kz-residency.sarif', '--format markdown=kz-residency.md', '--format json=kz-residency.json'])
      expect(checkRun).toContain(f);
    expect(checkRun).toContain('targets=(cdktf.out)');
    expect(checkRun).toContain('targets=(plans/*.json)');
    expect(job.steps.map((s) => s.run ?? '').join('\n')).toContain('terraform -chdir="$dir" show -json tfplan');
  });

  test('on pull requests, only findings new since the base branch fail: its report is the baseline', () => {
    const fetch = job.steps.find((s) => s.name?.startsWith('Fetch the baseline'));
    expect(fetch?.if).toBe("github.event_name == 'pull_request'");
    expect(fetch?.run).toContain('gh run download "$run_id" --name kz-residency-report --dir baseline');
    expect(checkRun).toContain('--baseline baseline/kz-residency.json');
    const keep = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(keep?.if).toContain("github.event_name == 'push'");
    expect(keep?.with).toMatchObject({ name: 'kz-residency-report', path: 'kz-residency.json' });
  });

  test('uploads SARIF and comments even when the check fails, then fails the job', () => {
    const upload = job.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
    expect(upload?.if).toContain('always()');
    expect(upload?.with?.sarif_file).toBe('kz-residency.sarif');
    const comment = job.steps.find((s) => s.name === 'Comment on the pull request');
    expect(comment?.run).toBe('gh pr comment "$PR" --edit-last --create-if-none --body-file kz-residency.md');
    const last = job.steps[job.steps.length - 1];
    expect(last.if).toBe("steps.check.outputs.status != '0'");
    expect(last.run).toContain('exit 1');
  });

  test('is the workflow `kz-residency init` writes', () => {
    expect(WORKFLOW_YAML).toBe(text);
  });
});
