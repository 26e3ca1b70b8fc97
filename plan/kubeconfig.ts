/**
 * The servers of a kubeconfig, for `kz-residency check --kubeconfig FILE` (DESIGN.md "Sites
 * registry": a provider configured with `config_path`/`config_context` proves a site only through
 * the server its context names). Only contexts, clusters and their `server` are read; users,
 * tokens, certificates and exec plugins are neither read nor kept.
 */
import { InputError, fieldPath, type InputIssue } from './errors';
import { readDataFile } from './validate';

/** What the policies receive as `data.kz_residency.kubeconfig`. */
export interface KubeconfigServers {
  /** The file, as given on the command line (named in findings and the report). */
  readonly file: string;
  /** `current-context`, used by providers that set no `config_context`. */
  readonly current_context: string | null;
  /** Context name → the cluster it uses. */
  readonly contexts: Readonly<Record<string, { readonly cluster: string }>>;
  /** Cluster name → its API server URL. */
  readonly clusters: Readonly<Record<string, { readonly server: string }>>;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function named(list: unknown, field: string, inner: string, key: string, issues: InputIssue[]): Map<string, string> {
  const out = new Map<string, string>();
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) {
    issues.push({ field, problem: 'must be a list' });
    return out;
  }
  list.forEach((entry, i) => {
    if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name === '') {
      issues.push({ field: fieldPath([field, i, 'name']), problem: 'must be a non-empty string' });
      return;
    }
    const body = entry[inner];
    const value = isRecord(body) ? body[key] : undefined;
    if (typeof value !== 'string' || value === '') {
      issues.push({ field: fieldPath([field, i, inner, key]), problem: 'must be a non-empty string' });
      return;
    }
    out.set(entry.name, value);
  });
  return out;
}

/** Reads a kubeconfig's contexts and cluster servers; throws InputError naming the file and field. */
export function loadKubeconfig(file: string): KubeconfigServers {
  const doc = readDataFile(file);
  if (!isRecord(doc) || (!('clusters' in doc) && !('contexts' in doc))) {
    throw new InputError(file, 'clusters', 'missing: not a kubeconfig (expected clusters and contexts lists)');
  }
  const issues: InputIssue[] = [];
  const clusters = named(doc.clusters, 'clusters', 'cluster', 'server', issues);
  const contexts = named(doc.contexts, 'contexts', 'context', 'cluster', issues);
  const current = doc['current-context'];
  if (current !== undefined && current !== null && typeof current !== 'string') {
    issues.push({ field: 'current-context', problem: 'must be a string' });
  }
  if (issues.length > 0) throw InputError.many(file, issues);
  return {
    file,
    current_context: typeof current === 'string' && current !== '' ? current : null,
    contexts: Object.fromEntries([...contexts].map(([name, cluster]) => [name, { cluster }])),
    clusters: Object.fromEntries([...clusters].map(([name, server]) => [name, { server }])),
  };
}
