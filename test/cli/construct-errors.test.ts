/**
 * Construct errors a person reads: an app the constructs refuse ends with one message — the
 * construct path, the prop the user set, the real reason, the fix — and no stack trace (unless
 * KZ_RESIDENCY_DEBUG is set), run as `npx tsx main.ts` would and under the real `cdktf synth`, where
 * it is printed once (as an error annotation the CLI prints) instead of twice.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers';

const APP = path.join(__dirname, 'fixtures', 'apps', 'refused.ts');

let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kz-refused-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(which: string, env: NodeJS.ProcessEnv = {}) {
  const base = { ...process.env };
  delete base.KZ_RESIDENCY_DEBUG;
  delete base.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  const r = spawnSync(process.execPath, ['--import', 'tsx', APP, which], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...base, OUTDIR: path.join(tmp, which), ...env },
    timeout: 120_000,
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('a construct refusal, run as `npx tsx main.ts`', () => {
  test.each([
    ['instances', 'Error: crm/clients: instances: 3.5 is not an integer: a store runs a whole number of instances. Fix: set instances to a whole number of 3 or more'],
    ['store-name', 'Error: firm: stores[0].name: "Clients" is not a Kubernetes name (DNS-1123 label): it has upper-case letters; use lower case. Fix: use e.g. "clients"'],
  ])('%s: one line naming the construct path and the prop the user set, exit 1, no stack', (which, line) => {
    const r = run(which);
    expect(r.status).toBe(1);
    expect(r.out).toBe(`${line}\n`);
  });

  test('an unknown site id lists the ids the registry has', () => {
    const r = run('site-id');
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/^Error: .*sites\.yaml: sites: no site with id "kz-alm-1"; the registry has kz-ala-1, hq-fra\n$/);
  });

  test('KZ_RESIDENCY_DEBUG adds the stack trace', () => {
    const r = run('instances', { KZ_RESIDENCY_DEBUG: '1' });
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/^Error: crm\/clients: instances: /);
    expect(r.out).toMatch(/\n\s+at resolvePlacement \(/);
  });
});

describe('under the real `cdktf synth`', () => {
  test('the refusal is printed once, as the CLI prints an error annotation, without a stack trace', () => {
    const dir = path.join(tmp, 'cdktf-app');
    const cdktf = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
    spawnSync('mkdir', ['-p', dir]);
    writeFileSync(
      path.join(dir, 'cdktf.json'),
      JSON.stringify({ language: 'typescript', app: `"${path.join(ROOT, 'node_modules', '.bin', 'tsx')}" --tsconfig "${path.join(ROOT, 'tsconfig.json')}" "${APP}" instances`, projectId: 'refused', sendCrashReports: 'false', terraformProviders: [], terraformModules: [] }),
    );
    const r = spawnSync(cdktf, ['synth'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1', OUTDIR: path.join(dir, 'cdktf.out') },
      timeout: 180_000,
    });
    const out = r.stdout + r.stderr;
    expect(r.status).not.toBe(0);
    expect(out.split('3.5 is not an integer')).toHaveLength(2); // exactly once
    expect(out).toContain('ERROR [crm/clients]: instances: 3.5 is not an integer');
    expect(out).not.toMatch(/\n\s+at \S+ \(/);
  }, 200_000);
});
