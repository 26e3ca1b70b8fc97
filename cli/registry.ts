/**
 * The registry is reviewed input: the proof of where each resource runs is the sites registry the
 * reviewers approved (`--sites`, or `sites` in .kz-residency.yaml), never the `sites.json` the app
 * under review wrote itself into its cdktf.out — an app could register a Frankfurt cluster under a
 * Kazakh site id. That file is used only with `--trust-synth-registry`; when both are there, every
 * site the app declares differently from the reviewed registry is a finding of KZ-REG-001.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { normaliseEndpoint } from '../plan/endpoint';
import { isInputError } from '../plan/errors';
import { readDataFile } from '../plan/validate';
import { loadSitesRegistry, validateSitesRegistry } from '../plan/sites';
import type { RegistrySite, SitesRegistry } from '../plan/types';
import { UsageError } from './errors';
import type { RuleMeta, SourceLocation } from './report';

/** The command's own rule: the app's registry agrees with the reviewed one. */
export const REGISTRY_RULE: RuleMeta = {
  id: 'KZ-REG-001',
  title: "The app's sites.json agrees with the reviewed sites registry",
  description:
    'The proof of location is the reviewed sites registry. Every site the app writes into its cdktf.out/sites.json must be in the reviewed registry with the same jurisdiction, city, Kubernetes endpoints, region, zones, storage classes, object storage, log sinks and capture hosts; a site declared differently (for instance a Frankfurt endpoint under a Kazakh site id) would make the app prove its own location.',
  severity: 'critical',
  basis: 'practice',
  law: 'Reference design: the sites registry is reviewed like code and is the only proof of location (Law No. 94-V Art. 12 para 2 is what it proves)',
  remediation:
    'Declare sites in the app with KzSite.fromRegistry / ForeignSite.fromRegistry from the reviewed sites.yaml, or change the reviewed registry through review.',
  profiles: ['law', 'audit-ready', 'ur832'],
  tags: ['registry'],
  path: 'kz-residency check',
  file: 'cli/registry.ts',
  row: 1,
};

export interface RegistrySource {
  /** The registry file given with --sites (or the config's `sites`). */
  readonly sites?: string;
  readonly trustSynthRegistry?: boolean;
}

/** A difference between an app's sites.json and the reviewed registry. */
export interface RegistryDrift {
  readonly siteId: string;
  /** The app's file. */
  readonly synthFile: string;
  readonly message: string;
  /** Where the site is in the reviewed registry (or in the app's file when the reviewed one lacks it). */
  readonly location: { readonly file: string; readonly line?: number; readonly kind: SourceLocation['kind'] };
}

export interface ResolvedRegistry {
  readonly registry: SitesRegistry;
  /** The file the registry was read from. */
  readonly file: string;
  readonly drift: readonly RegistryDrift[];
}

export function resolveRegistry(src: RegistrySource, synthFiles: readonly string[], target: string): ResolvedRegistry {
  const appFiles = [...new Set(synthFiles)];
  if (src.sites) {
    const registry = loadSitesRegistry(src.sites);
    return { registry, file: src.sites, drift: appFiles.flatMap((f) => compareRegistries(src.sites as string, registry, f)) };
  }
  if (appFiles.length > 0 && src.trustSynthRegistry) {
    const [first, ...rest] = appFiles;
    const registry = loadSitesRegistry(first);
    return { registry, file: first, drift: rest.flatMap((f) => compareRegistries(first, registry, f)) };
  }
  if (appFiles.length > 0) {
    throw new UsageError(
      `${target}: no reviewed sites registry: pass --sites FILE (or set sites in .kz-residency.yaml); the sites.json the app wrote (${appFiles[0]}) is used only with --trust-synth-registry`,
    );
  }
  throw new UsageError(`${target}: no sites registry: pass --sites FILE; without one nothing can be proven to be in Kazakhstan`);
}

/**
 * The site's fields, in a form where list order and endpoint spelling do not matter (`normalise`),
 * or as written (for messages).
 */
function canonical(s: RegistrySite, normalise = true): Record<string, unknown> {
  const set = (xs: readonly string[] | undefined, norm: (x: string) => string = (x) => x) =>
    [...new Set((xs ?? []).map(normalise ? norm : (x) => x))].sort();
  const ep = (x: string) => normaliseEndpoint(x) ?? x;
  return {
    jurisdiction: s.jurisdiction,
    city: s.city,
    operator: s.operator ?? null,
    'kubernetes.endpoints': set(s.kubernetes?.endpoints, ep),
    'kubernetes.region': s.kubernetes?.region ?? null,
    'kubernetes.zones': set(s.kubernetes?.zones),
    'cloud.provider': s.cloud?.provider ?? null,
    'cloud.regions': set(s.cloud?.regions, (r) => r.toLowerCase()),
    storageClasses: set(('storageClasses' in s ? (s.storageClasses ?? []) : []).map((c) => `${c.name} (encrypted: ${c.encrypted})`)),
    objectStorage: set(s.objectStorage, ep),
    logSinks: set(s.logSinks, ep),
    captureHosts: set(s.captureHosts, (h) => h.toLowerCase()),
  };
}

const show = (v: unknown) => (Array.isArray(v) ? (v.length ? v.join(', ') : 'none') : v === null ? 'none' : String(v));

/** The line of `id: <id>` (YAML) or `"id": "<id>"` (JSON) in a registry file. */
function lineOfSite(file: string, id: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const esc = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(?:^|[\\s{,-])["']?id["']?\\s*:\\s*["']?${esc}["']?\\s*(?:[,}#]|$)`, 'm');
  const m = re.exec(text);
  return m ? text.slice(0, m.index + m[0].indexOf('id')).split('\n').length : undefined;
}

function compareRegistries(reviewedFile: string, reviewed: SitesRegistry, appFile: string): RegistryDrift[] {
  let app: SitesRegistry;
  try {
    app = validateSitesRegistry(readDataFile(appFile), appFile);
  } catch (e) {
    if (!isInputError(e)) throw e;
    const first = e.issues[0];
    return [
      {
        siteId: '(file)',
        synthFile: appFile,
        message: `the app's registry is not a valid sites registry (${first.field ? `${first.field}: ` : ''}${first.problem}), so it cannot be compared with ${reviewedFile}`,
        location: { file: appFile, kind: 'input' },
      },
    ];
  }
  const byId = new Map(reviewed.sites.map((s) => [s.id, s]));
  const out: RegistryDrift[] = [];
  for (const site of app.sites) {
    const ref = byId.get(site.id);
    if (!ref) {
      out.push({
        siteId: site.id,
        synthFile: appFile,
        message: `site "${site.id}" (${site.city}, ${site.jurisdiction}) is declared by the app but is not in the reviewed registry ${reviewedFile}`,
        location: { file: appFile, ...(lineOfSite(appFile, site.id) ? { line: lineOfSite(appFile, site.id) } : {}), kind: 'input' },
      });
      continue;
    }
    const a = canonical(site);
    const b = canonical(ref);
    const [asWritten, reviewedAsWritten] = [canonical(site, false), canonical(ref, false)];
    const diffs = Object.keys(b)
      .filter((k) => !isDeepStrictEqual(a[k], b[k]))
      .map((k) => `${k}: ${show(asWritten[k])} in the app, ${show(reviewedAsWritten[k])} reviewed`);
    if (diffs.length === 0) continue;
    const line = lineOfSite(reviewedFile, site.id);
    out.push({
      siteId: site.id,
      synthFile: appFile,
      message: `site "${site.id}" differs from the reviewed registry: ${diffs.join('; ')}`,
      location: { file: reviewedFile, ...(line ? { line } : {}), kind: 'registry' },
    });
  }
  return out;
}
