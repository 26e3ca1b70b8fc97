/** loadKubeconfig: contexts and servers only, never credentials; bad files named by file and field. */
import * as path from 'node:path';
import { loadKubeconfig } from '../../plan/kubeconfig';
import { cleanupTempDirs, inputErrorOf, tempDir } from './helpers';

afterAll(cleanupTempDirs);

const CONFIG = `apiVersion: v1
kind: Config
current-context: ala
clusters:
  - name: ala
    cluster: {server: "https://k8s.ala.example.kz:6443", certificate-authority-data: Q0E=}
contexts:
  - name: ala
    context: {cluster: ala, user: admin}
users:
  - name: admin
    user: {token: s3cr3t-token, client-key-data: S0VZ}
`;

describe('loadKubeconfig', () => {
  test('reads contexts and cluster servers, and nothing of the users', () => {
    const dir = tempDir({ config: CONFIG });
    const k = loadKubeconfig(path.join(dir, 'config'));
    expect(k).toEqual({
      file: path.join(dir, 'config'),
      current_context: 'ala',
      contexts: { ala: { cluster: 'ala' } },
      clusters: { ala: { server: 'https://k8s.ala.example.kz:6443' } },
    });
    expect(JSON.stringify(k)).not.toMatch(/s3cr3t|S0VZ|Q0E=|admin/);
  });

  test('errors name the file and the field', () => {
    const dir = tempDir({ config: CONFIG.replace('server: "https://k8s.ala.example.kz:6443", ', '').replace('cluster: ala, user', 'user'), other: 'sites: []\n' });
    expect(inputErrorOf(() => loadKubeconfig(path.join(dir, 'config'))).message.split(`${dir}${path.sep}`).join('')).toBe(
      ['config: clusters[0].cluster.server: must be a non-empty string', 'config: contexts[0].context.cluster: must be a non-empty string'].join('\n'),
    );
    expect(inputErrorOf(() => loadKubeconfig(path.join(dir, 'other'))).message.split(`${dir}${path.sep}`).join('')).toBe(
      'other: clusters: missing: not a kubeconfig (expected clusters and contexts lists)',
    );
  });
});
