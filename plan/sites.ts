/**
 * Loads the sites registry (`sites.yaml` / `sites.json`, DESIGN.md "Sites registry"): validates it
 * against policies/data/sites.schema.json, then checks what a schema cannot say — site ids are
 * unique, no Kubernetes endpoint (after normalising, path included: several clusters may sit
 * behind one proxy URL) is claimed by two sites, and no cloud region by two sites.
 */
import sitesSchema from '../policies/data/sites.schema.json';
import { InputError, fieldPath, type InputIssue } from './errors';
import { normaliseEndpoint } from './endpoint';
import type { RegistrySite, SitesRegistry } from './types';
import { readDataFile, validateAgainstSchema } from './validate';

export { normaliseEndpoint } from './endpoint';

/** Reads and validates a sites registry file; throws InputError naming the file and field. */
export function loadSitesRegistry(file: string): SitesRegistry {
  return validateSitesRegistry(readDataFile(file), file);
}

/** Validates an already-parsed registry (e.g. the `sites.json` a cdktf app wrote). */
export function validateSitesRegistry(value: unknown, file: string): SitesRegistry {
  validateAgainstSchema(value, sitesSchema, file);
  const registry = value as SitesRegistry;
  const issues = semanticIssues(registry.sites);
  if (issues.length > 0) throw InputError.many(file, issues);
  return registry;
}

function semanticIssues(sites: readonly RegistrySite[]): InputIssue[] {
  const issues: InputIssue[] = [];
  const ids = new Map<string, number>();
  sites.forEach((s, i) => {
    const first = ids.get(s.id);
    if (first !== undefined) issues.push({ field: fieldPath(['sites', i, 'id']), problem: `duplicate site id "${s.id}" (also sites[${first}])` });
    else ids.set(s.id, i);
  });
  const owners = new Map<string, { site: string; index: number }>();
  sites.forEach((s, i) => {
    (s.kubernetes?.endpoints ?? []).forEach((ep, j) => {
      const field = fieldPath(['sites', i, 'kubernetes', 'endpoints', j]);
      const norm = normaliseEndpoint(ep);
      if (norm === undefined) {
        issues.push({ field, problem: `not an http(s) endpoint: ${JSON.stringify(ep)}` });
        return;
      }
      const owner = owners.get(norm);
      if (owner && owner.index !== i) {
        issues.push({ field, problem: `endpoint ${norm} is also claimed by site "${owner.site}" (sites[${owner.index}]); an endpoint must prove one site` });
      } else if (!owner) owners.set(norm, { site: s.id, index: i });
    });
  });
  const regions = new Map<string, { site: string; index: number }>();
  sites.forEach((s, i) => {
    (s.cloud?.regions ?? []).forEach((r, j) => {
      const key = `${s.cloud?.provider ?? ''} ${r.toLowerCase()}`;
      const owner = regions.get(key);
      if (owner && owner.index !== i) {
        issues.push({
          field: fieldPath(['sites', i, 'cloud', 'regions', j]),
          problem: `${s.cloud?.provider ?? ''} region ${r} is also claimed by site "${owner.site}" (sites[${owner.index}]); a region must prove one site`,
        });
      } else if (!owner) regions.set(key, { site: s.id, index: i });
    });
  });
  return issues;
}

/** The site whose Kubernetes endpoints include `host` after normalising (path included), if any. */
export function siteForHost(registry: SitesRegistry, host: string): RegistrySite | undefined {
  const norm = normaliseEndpoint(host);
  if (norm === undefined) return undefined;
  return registry.sites.find((s) => (s.kubernetes?.endpoints ?? []).some((e) => normaliseEndpoint(e) === norm));
}
