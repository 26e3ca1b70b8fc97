/** With a named secret store, every Secret a stack expects gets an ExternalSecret, and the outputs say so. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Testing } from 'cdktf';
import { buildLawFirm } from '../../examples/law-firm/main';
import { ExternalSecrets, ResidencyGuard } from '../../constructs';
import { at, resourcesOf, synthDoc, type SynthDoc } from '../constructs/fixtures';

describe('HybridDeployment with secretStore', () => {
  const plain = buildLawFirm(Testing.app());
  // the law-firm reference, fetching its Secrets from a ClusterSecretStore
  const dep = buildLawFirm(Testing.app(), { secretStore: { name: 'kz-vault', keyPrefix: 'lawfirm/' } });
  const primary = synthDoc(dep.primary);
  const manifests = resourcesOf(primary, 'kubernetes_manifest').map(
    ([, m]) => m.manifest as Record<string, unknown>,
  );
  const externalSecrets = manifests.filter((m) => m.kind === 'ExternalSecret');
  const outputs = (doc: SynthDoc) =>
    (doc as unknown as { output: { prerequisites: { value: Array<Record<string, unknown>> } } }).output
      .prerequisites.value;

  test('one ExternalSecret per expected Secret, read from the remote key <prefix><site>/<namespace>/<name>', () => {
    const secrets = outputs(primary).filter((p) => p.kind === 'secret');
    expect(
      externalSecrets.map((m) => `${at(m, 'metadata', 'namespace')}/${at(m, 'metadata', 'name')}`).sort(),
    ).toEqual(secrets.map((p) => `${p.namespace}/${p.name}`).sort());
    const auditor = externalSecrets.find((m) => at(m, 'metadata', 'name') === 'kz-auditor-credentials');
    expect(auditor).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name: 'kz-auditor-credentials',
        namespace: 'clients',
        labels: {
          'residency.kz/data-class': 'personal',
          'residency.kz/role': 'gateway',
          'residency.kz/site': 'kz-ala-1',
        },
      },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { name: 'kz-vault', kind: 'ClusterSecretStore' },
        target: {
          name: 'kz-auditor-credentials',
          creationPolicy: 'Owner',
          template: { type: 'kubernetes.io/basic-auth' },
        },
        dataFrom: [{ extract: { key: 'lawfirm/kz-ala-1/clients/kz-auditor-credentials' } }],
      },
    });
  });

  test('the outputs say who creates each Secret now, and name the operator as a prerequisite', () => {
    const list = outputs(primary);
    expect(list.find((p) => p.name === 'clients-backup-credentials')?.created_by).toBe(
      'External Secrets Operator, from ClusterSecretStore kz-vault (remote key lawfirm/kz-ala-1/clients/clients-backup-credentials)',
    );
    expect(list.map((p) => p.name)).toContain('External Secrets Operator with ClusterSecretStore kz-vault');
    expect(dep.hq?.node.findAll().some((c) => c instanceof ExternalSecrets)).toBe(true);
  });

  test('the deployment still passes the residency policies (an ExternalSecret holds no secret)', () => {
    const guarded = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'kz-guard-eso-')) });
    buildLawFirm(guarded, { secretStore: { name: 'kz-vault' } });
    ResidencyGuard.of(guarded, { sites: path.join(__dirname, '../../examples/law-firm/sites.yaml') });
    expect(() => guarded.synth()).not.toThrow();
  }, 60_000);

  test('without a store, no ExternalSecret is rendered', () => {
    expect(resourcesOf(synthDoc(plain.primary), 'kubernetes_manifest')).toEqual([]);
  });
});
