/**
 * Typed sites: a `KzSite` (Almaty or Astana, jurisdiction KZ) or a `ForeignSite` (any other
 * jurisdiction). A site is a value, not a construct: the same site can be used by many stacks.
 * Its shape is the sites registry entry of DESIGN.md (`SiteEntry` in plan/types.ts).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { SiteEntry, StorageClassEntry } from '../plan/types';
import { KzResidencyError } from './vocabulary';

/** The two Kazakh cities the blueprint knows. */
export type KzCity = 'Almaty' | 'Astana';

const ID_PATTERN = /^[a-z0-9-]+$/;
const ISO_ALPHA2 = /^[A-Z]{2}$/;

/**
 * Props shared by both kinds of site: a sites-registry entry (`SiteEntry`) but for the
 * jurisdiction and city, which each kind of site types for itself. Only `id` and `kubernetes` are
 * required; the lists default to none.
 */
export type SiteProps = Omit<SiteEntry, 'jurisdiction' | 'city'>;

/** Props of a Kazakh site. */
export interface KzSiteProps extends SiteProps {
  /** Almaty or Astana. No default. */
  readonly city: KzCity;
}

/** Props of a site outside Kazakhstan. */
export interface ForeignSiteProps extends SiteProps {
  /** ISO 3166-1 alpha-2 code; `KZ` is refused (use `KzSite`). No default. */
  readonly jurisdiction: string;
  /** City. No default. */
  readonly city: string;
}

/** A site error: names the site (or registry file) and the field. */
export class SiteError extends KzResidencyError {
  constructor(
    readonly where: string,
    readonly field: string,
    what: string,
  ) {
    super(`${where}: ${field}: ${what}`);
    this.name = 'SiteError';
  }
}

/** Common behaviour of `KzSite` and `ForeignSite`. */
export abstract class Site {
  /** The registry entry this site writes into `sites.json`. */
  readonly entry: SiteEntry;

  protected constructor(entry: SiteEntry, where: string) {
    validateCommon(entry, where);
    this.entry = deepFreeze(entry);
  }

  /** Registry id. */
  get id(): string {
    return this.entry.id;
  }
  /** ISO 3166-1 alpha-2 jurisdiction. */
  get jurisdiction(): string {
    return this.entry.jurisdiction;
  }
  get city(): string {
    return this.entry.city;
  }
  /** Whether the site is in Kazakhstan. */
  get isKazakh(): boolean {
    return this.entry.jurisdiction === 'KZ';
  }
  /** The Kubernetes endpoint the providers use: the first registered endpoint. */
  get endpoint(): string {
    return this.entry.kubernetes.endpoints[0];
  }
  /** `topology.kubernetes.io/region` of the site's nodes. */
  get region(): string {
    return this.entry.kubernetes.region;
  }
  /** `topology.kubernetes.io/zone` values of the site's nodes (may be empty). */
  get zones(): readonly string[] {
    return this.entry.kubernetes.zones ?? [];
  }
  get storageClasses(): readonly StorageClassEntry[] {
    return this.entry.storageClasses ?? [];
  }
  get objectStorage(): readonly string[] {
    return this.entry.objectStorage ?? [];
  }
  get logSinks(): readonly string[] {
    return this.entry.logSinks ?? [];
  }
  get captureHosts(): readonly string[] {
    return this.entry.captureHosts ?? [];
  }
  /** The registered storage class of that name, if any. */
  storageClass(name: string): StorageClassEntry | undefined {
    return this.storageClasses.find((c) => c.name === name);
  }
  /** The first storage class registered as encrypted, if any. */
  get defaultEncryptedStorageClass(): StorageClassEntry | undefined {
    return this.storageClasses.find((c) => c.encrypted);
  }
  toString(): string {
    return `${this.id} (${this.city}, ${this.jurisdiction})`;
  }
}

/** A site in Kazakhstan: Almaty or Astana, jurisdiction KZ. */
export class KzSite extends Site {
  /** Loads the site `id` from a registry file (`sites.yaml` or `sites.json`); it must be a KZ site. */
  static fromRegistry(file: string, id: string): KzSite {
    const site = siteFromRegistry(file, id);
    if (!(site instanceof KzSite)) {
      throw new SiteError(
        file,
        `sites[id=${id}].jurisdiction`,
        `expected KZ for a KzSite, got ${site.jurisdiction}`,
      );
    }
    return site;
  }

  /** Builds a site from a registry entry (jurisdiction must be KZ). */
  static fromEntry(entry: SiteEntry, where = `KzSite(${entry.id})`): KzSite {
    if (entry.jurisdiction !== 'KZ') {
      throw new SiteError(where, 'jurisdiction', `expected KZ for a KzSite, got ${entry.jurisdiction}`);
    }
    if (entry.city !== 'Almaty' && entry.city !== 'Astana') {
      throw new SiteError(
        where,
        'city',
        `a KzSite is in Almaty or Astana, got ${JSON.stringify(entry.city)}`,
      );
    }
    return new KzSite({ ...entry, city: entry.city }, where);
  }

  readonly kzCity: KzCity;

  constructor(props: KzSiteProps, where = `KzSite(${props.id})`) {
    if (props.city !== 'Almaty' && props.city !== 'Astana') {
      throw new SiteError(
        where,
        'city',
        `a KzSite is in Almaty or Astana, got ${JSON.stringify(props.city)}`,
      );
    }
    super(toEntry({ ...props, jurisdiction: 'KZ' }), where);
    this.kzCity = props.city;
  }
}

/** A site outside Kazakhstan (e.g. the HQ in Frankfurt). */
export class ForeignSite extends Site {
  /** Loads the site `id` from a registry file; it must not be a KZ site. */
  static fromRegistry(file: string, id: string): ForeignSite {
    const site = siteFromRegistry(file, id);
    if (!(site instanceof ForeignSite)) {
      throw new SiteError(file, `sites[id=${id}].jurisdiction`, 'a ForeignSite cannot be in KZ (use KzSite)');
    }
    return site;
  }

  constructor(props: ForeignSiteProps, where = `ForeignSite(${props.id})`) {
    if (props.jurisdiction === 'KZ') {
      throw new SiteError(where, 'jurisdiction', 'a ForeignSite cannot be in KZ (use KzSite)');
    }
    super(toEntry(props), where);
  }
}

/** Reads a registry file and returns every site in it, typed. */
export function loadSites(file: string): Site[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SiteError(file, '(file)', `cannot read: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new SiteError(
      file,
      '(file)',
      `not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`,
    );
  }
  if (!isRecord(doc) || !Array.isArray(doc.sites)) {
    throw new SiteError(file, 'sites', 'expected a top-level `sites` list');
  }
  return doc.sites.map((raw: unknown, i: number) => {
    const where = `${file}: sites[${i}]`;
    if (!isRecord(raw)) throw new SiteError(where, '(entry)', 'expected a mapping');
    const entry = raw as unknown as SiteEntry;
    return entry.jurisdiction === 'KZ' ? KzSite.fromEntry(entry, where) : new ForeignSite(entry, where);
  });
}

/** The site `id` of a registry file, typed by its jurisdiction. */
export function siteFromRegistry(file: string, id: string): Site {
  const sites = loadSites(file);
  const site = sites.find((s) => s.id === id);
  if (!site)
    throw new SiteError(file, 'sites', `no site with id ${JSON.stringify(id)}; the registry has ${sites.map((s) => s.id).join(', ') || 'no sites'}`);
  return site;
}

function toEntry(p: SiteProps & { jurisdiction: string; city: string }): SiteEntry {
  const entry: {
    -readonly [K in keyof SiteEntry]: SiteEntry[K];
  } = {
    id: p.id,
    jurisdiction: p.jurisdiction,
    city: p.city,
    kubernetes: {
      endpoints: [...(p.kubernetes?.endpoints ?? [])],
      region: p.kubernetes?.region,
      ...(p.kubernetes?.zones ? { zones: [...p.kubernetes.zones] } : {}),
    },
  };
  if (p.operator !== undefined) entry.operator = p.operator;
  if (p.storageClasses)
    entry.storageClasses = p.storageClasses.map((c) => ({ name: c.name, encrypted: c.encrypted }));
  if (p.objectStorage) entry.objectStorage = [...p.objectStorage];
  if (p.logSinks) entry.logSinks = [...p.logSinks];
  if (p.captureHosts) entry.captureHosts = [...p.captureHosts];
  return entry;
}

function validateCommon(e: SiteEntry, where: string): void {
  if (typeof e.id !== 'string' || !ID_PATTERN.test(e.id)) {
    throw new SiteError(where, 'id', `must match [a-z0-9-]+, got ${JSON.stringify(e.id)}`);
  }
  if (typeof e.jurisdiction !== 'string' || !ISO_ALPHA2.test(e.jurisdiction)) {
    throw new SiteError(
      where,
      'jurisdiction',
      `must be an ISO 3166-1 alpha-2 code, got ${JSON.stringify(e.jurisdiction)}`,
    );
  }
  if (typeof e.city !== 'string' || e.city.length === 0) throw new SiteError(where, 'city', 'is required');
  if (!e.kubernetes || !Array.isArray(e.kubernetes.endpoints) || e.kubernetes.endpoints.length === 0) {
    throw new SiteError(where, 'kubernetes.endpoints', 'at least one Kubernetes API endpoint is required');
  }
  for (const ep of e.kubernetes.endpoints) {
    if (!/^https?:\/\//.test(ep))
      throw new SiteError(where, 'kubernetes.endpoints', `not a URL: ${JSON.stringify(ep)}`);
  }
  if (typeof e.kubernetes.region !== 'string' || e.kubernetes.region.length === 0) {
    throw new SiteError(where, 'kubernetes.region', 'is required');
  }
  for (const c of e.storageClasses ?? []) {
    if (typeof c.name !== 'string' || typeof c.encrypted !== 'boolean') {
      throw new SiteError(
        where,
        'storageClasses',
        'each entry needs a name and an encrypted flag (true|false)',
      );
    }
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
