/**
 * The construct library runs inside the user's cdktf (or CDK Terrain) app and builds the app's own
 * provider resources, so cdktf, constructs and the two provider packages are peer dependencies: one
 * copy, the app's. They are optional peers because the `kz-residency` command needs none of them; a
 * construct user who has not installed one gets this message instead of a module-not-found trace.
 */
const PEERS: ReadonlyArray<{ readonly name: string; readonly probe: string; readonly range: string }> = [
  { name: 'cdktf', probe: 'cdktf', range: '^0.21.0 (or CDK Terrain: cdktf@npm:cdktn@^0.24.0)' },
  { name: 'constructs', probe: 'constructs', range: '^10.4.2' },
  { name: '@cdktf/provider-kubernetes', probe: '@cdktf/provider-kubernetes/lib/provider', range: '^12.1.1' },
  { name: '@cdktf/provider-helm', probe: '@cdktf/provider-helm/lib/provider', range: '^12.1.2' },
];

/** Throws one error naming every missing peer and the command that installs them. */
export function assertPeerDependencies(resolve: (id: string) => string = require.resolve): void {
  const missing = PEERS.filter((p) => {
    try {
      resolve(p.probe);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return;
  throw new Error(
    `kz-residency: the constructs need ${missing.map((p) => `${p.name} ${p.range}`).join(', ')} in your app ` +
      `(peer dependencies): npm install ${missing.map((p) => `${p.name}@${p.range.split(' ')[0]}`).join(' ')}`,
  );
}

assertPeerDependencies();
