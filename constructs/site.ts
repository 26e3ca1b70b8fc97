/**
 * Typed sites: a `KzSite` (Almaty or Astana, jurisdiction KZ) or a `ForeignSite` (any other
 * jurisdiction). A site is a value, not a construct: the same site can be used by many stacks.
 * Its shape is the sites registry entry of DESIGN.md (`SiteEntry` in plan/types.ts).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type {
  SiteApiServer,
  SiteEntry,
  SiteKubernetesAuth,
  SiteObjectStorageAccess,
  StorageClassEntry,
} from '../plan/types';
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
  /** PEM CA bundle of the API server, if registered. */
  get clusterCa(): string | undefined {
    return this.entry.kubernetes.caBundle;
  }
  /** How the deployer authenticates to the site (kubeconfig context or exec plugin), if registered. */
  get auth(): SiteKubernetesAuth | undefined {
    return this.entry.kubernetes.auth;
  }
  /** The API server's addresses as pods reach them, if registered. */
  get apiServer(): SiteApiServer | undefined {
    return this.entry.kubernetes.apiServer;
  }
  /** Addresses and CA bundle of the object storage, if registered. */
  get objectStorageAccess(): SiteObjectStorageAccess | undefined {
    return this.entry.objectStorageAccess;
  }
  /** Addresses of the site's tunnel gateways as other sites dial them, if registered. */
  get tunnelEndpoints(): readonly string[] | undefined {
    return this.entry.tunnelEndpoints?.cidrs;
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
      ...(p.kubernetes?.caBundle !== undefined ? { caBundle: p.kubernetes.caBundle } : {}),
      ...(p.kubernetes?.auth ? { auth: copyAuth(p.kubernetes.auth) } : {}),
      ...(p.kubernetes?.apiServer ? { apiServer: copyApiServer(p.kubernetes.apiServer) } : {}),
    },
  };
  if (p.operator !== undefined) entry.operator = p.operator;
  if (p.storageClasses)
    entry.storageClasses = p.storageClasses.map((c) => ({ name: c.name, encrypted: c.encrypted }));
  if (p.objectStorage) entry.objectStorage = [...p.objectStorage];
  if (p.objectStorageAccess) {
    entry.objectStorageAccess = {
      cidrs: [...p.objectStorageAccess.cidrs],
      ...(p.objectStorageAccess.caBundle !== undefined ? { caBundle: p.objectStorageAccess.caBundle } : {}),
    };
  }
  if (p.tunnelEndpoints) entry.tunnelEndpoints = { cidrs: [...p.tunnelEndpoints.cidrs] };
  if (p.logSinks) entry.logSinks = [...p.logSinks];
  if (p.captureHosts) entry.captureHosts = [...p.captureHosts];
  return entry;
}

function copyAuth(a: SiteKubernetesAuth): SiteKubernetesAuth {
  return {
    ...(a.kubeconfigContext !== undefined ? { kubeconfigContext: a.kubeconfigContext } : {}),
    ...(a.exec
      ? {
          exec: {
            apiVersion: a.exec.apiVersion,
            command: a.exec.command,
            ...(a.exec.args ? { args: [...a.exec.args] } : {}),
            ...(a.exec.env ? { env: { ...a.exec.env } } : {}),
          },
        }
      : {}),
  };
}

function copyApiServer(a: SiteApiServer): SiteApiServer {
  return {
    ...(a.cidrs ? { cidrs: [...a.cidrs] } : {}),
    ...(a.ports ? { ports: [...a.ports] } : {}),
    ...(a.entity ? { entity: { cni: a.entity.cni, name: a.entity.name } } : {}),
  };
}

const CIDR = /^(([0-9]{1,3}\.){3}[0-9]{1,3}\/([0-9]|[12][0-9]|3[0-2])|[0-9A-Fa-f:]+:[0-9A-Fa-f:.]*\/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))$/;
const PEM = /^\s*-----BEGIN CERTIFICATE-----/;

function validateCidrs(where: string, field: string, cidrs: unknown): void {
  if (!Array.isArray(cidrs) || cidrs.length === 0) throw new SiteError(where, field, 'at least one CIDR is required');
  for (const c of cidrs) {
    if (typeof c !== 'string' || !CIDR.test(c)) throw new SiteError(where, field, `not a CIDR: ${JSON.stringify(c)}`);
  }
}

function validatePem(where: string, field: string, pem: unknown): void {
  if (pem === undefined) return;
  if (typeof pem !== 'string' || !PEM.test(pem))
    throw new SiteError(where, field, 'expected a PEM bundle starting with -----BEGIN CERTIFICATE-----');
  if (/PRIVATE KEY/.test(pem)) throw new SiteError(where, field, 'holds a private key; the registry never holds secrets');
}

/** Checks the operating fields (credentials, exits, CAs): a registry never holds secrets. */
function validateOperating(e: SiteEntry, where: string): void {
  const k = e.kubernetes;
  validatePem(where, 'kubernetes.caBundle', k.caBundle);
  if (k.auth !== undefined) {
    const n = (k.auth.kubeconfigContext !== undefined ? 1 : 0) + (k.auth.exec !== undefined ? 1 : 0);
    if (n !== 1)
      throw new SiteError(where, 'kubernetes.auth', 'exactly one of kubeconfigContext or exec is required');
    if (k.auth.exec && (!k.auth.exec.command || !k.auth.exec.apiVersion))
      throw new SiteError(where, 'kubernetes.auth.exec', 'needs an apiVersion and a command');
  }
  if (k.apiServer !== undefined) {
    if (!k.apiServer.cidrs && !k.apiServer.entity)
      throw new SiteError(where, 'kubernetes.apiServer', 'needs cidrs or a CNI entity');
    if (k.apiServer.cidrs) validateCidrs(where, 'kubernetes.apiServer.cidrs', k.apiServer.cidrs);
    for (const p of k.apiServer.ports ?? []) {
      if (!Number.isInteger(p) || p < 1 || p > 65535)
        throw new SiteError(where, 'kubernetes.apiServer.ports', `not a port: ${JSON.stringify(p)}`);
    }
  }
  if (e.objectStorageAccess !== undefined) {
    validateCidrs(where, 'objectStorageAccess.cidrs', e.objectStorageAccess.cidrs);
    validatePem(where, 'objectStorageAccess.caBundle', e.objectStorageAccess.caBundle);
  }
  if (e.tunnelEndpoints !== undefined) validateCidrs(where, 'tunnelEndpoints.cidrs', e.tunnelEndpoints.cidrs);
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
  validateOperating(e, where);
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
