/**
 * The residency vocabulary the constructs write and the policies read: label keys (from
 * plan/types.ts; CLOUD_LABELS is their spelling for cloud tags and labels whose keys forbid `.`
 * and `/`), annotation keys, and the helpers that put them on every object.
 */
import type { IConstruct } from 'constructs';
import { CLOUD_LABELS, LABELS } from '../plan/types';
import type { DataClass, StoreRole } from '../plan/types';
import type { Site } from './site';

export { CLOUD_LABELS, LABELS };
export type { DataClass, StoreRole };

/** Data classes that hold personal data (Law 94-V): they must stay in Kazakhstan as primary. */
export const PERSONAL_CLASSES: readonly DataClass[] = ['personal', 'biometric', 'special'];

/** Whether a data class carries personal data. */
export function isPersonal(dataClass: DataClass): boolean {
  return PERSONAL_CLASSES.includes(dataClass);
}

/** Annotation keys written by the constructs (values are strings). */
export const ANNOTATIONS = {
  /** Purpose of processing of a store (free text). */
  purpose: 'residency.kz/purpose',
  /** Comma-separated data categories held by a store, e.g. `identity,contact`. */
  dataCategories: 'residency.kz/data-categories',
  /** Where consent evidence comes from: comma-separated subset of `eGov,eOtinish`. */
  consentSource: 'residency.kz/consent-source',
  /** Data protection officer (responsible person, Art. 25 para 3) contact. */
  dpoContact: 'residency.kz/dpo-contact',
  /** Audit logging of a store: `pgaudit:all` (every statement class, with the user). */
  auditLog: 'residency.kz/audit-log',
  /** TLS required for clients of a store: `required`. */
  tls: 'residency.kz/tls',
  /** Backup target of a store: the object-storage endpoint URL. */
  backupTarget: 'residency.kz/backup-target',
  /** Site id of the backup target. */
  backupSite: 'residency.kz/backup-site',
  /** Kill switch of a tunnel / deployment: `active` | `suspended`. */
  crossBorder: 'residency.kz/cross-border',
  /** Tunnel name (on gateways, their ConfigMaps and on replicas it feeds). */
  tunnel: 'residency.kz/tunnel',
  /** Tunnel profile: `wireguard` | `gost-tls`. */
  tunnelProfile: 'residency.kz/tunnel-profile',
  /** Tunnel side: `kz` | `hq`. */
  tunnelSide: 'residency.kz/tunnel-side',
  /** Site id of the other end of a tunnel. */
  tunnelPeerSite: 'residency.kz/tunnel-peer-site',
  /** Transfer agreement of a cross-border replica (e.g. an SCC reference). */
  transferAgreement: 'residency.kz/transfer-agreement',
  /** Legal basis of a cross-border transfer (Law 94-V Art. 16 ground). */
  legalBasis: 'residency.kz/legal-basis',
  /** Site id of the primary a standby/replica copies. */
  sourceSite: 'residency.kz/source-site',
  /** Name of the store a standby/replica copies. */
  sourceStore: 'residency.kz/source-store',
  /** `true` on read-only replicas. */
  readOnly: 'residency.kz/read-only',
  /** Audit trail: log sink URL (on a Kazakh site). */
  logSink: 'residency.kz/log-sink',
  /** Audit trail: retention in days. */
  retentionDays: 'residency.kz/retention-days',
  /** Audit trail: `true` when object lock / immutability is on. */
  immutable: 'residency.kz/immutable',
  /** Regulator access objects: `read-only`. */
  regulatorAccess: 'residency.kz/regulator-access',
  /** Regulator access: identity provider URL (on a Kazakh site). */
  identityProvider: 'residency.kz/identity-provider',
  /** First-touch ingress: `true` on ingresses that receive personal data. */
  firstTouch: 'residency.kz/first-touch',
} as const;

/** The three residency labels of an object. */
export interface ResidencyClaim {
  readonly dataClass: DataClass;
  readonly role: StoreRole;
  readonly site: Site;
}

/** `{residency.kz/data-class, residency.kz/role, residency.kz/site}` for a claim. */
export function residencyLabels(claim: ResidencyClaim): Record<string, string> {
  return {
    [LABELS.dataClass]: claim.dataClass,
    [LABELS.role]: claim.role,
    [LABELS.site]: claim.site.id,
  };
}

/** The top-level `residency` map of Helm values (DESIGN.md, "Classification"). */
export function residencyValues(claim: ResidencyClaim): {
  dataClass: DataClass;
  role: StoreRole;
  site: string;
} {
  return { dataClass: claim.dataClass, role: claim.role, site: claim.site.id };
}

/**
 * An error a person reads: what the app asked for that kz-residency refuses (a construct prop, a
 * site, the policies at synth), in one message that says where, why and how to fix it. When such
 * an error ends the app (`npx tsx main.ts`, `cdktf synth`), `reportUncaughtErrors` prints that
 * message once, without a stack trace unless KZ_RESIDENCY_DEBUG is set.
 */
export class KzResidencyError extends Error {
  /** The construct it is about, when there is one (not serialised). */
  declare readonly scope?: IConstruct;

  constructor(message: string, scope?: IConstruct) {
    super(message);
    this.name = 'KzResidencyError';
    if (scope) Object.defineProperty(this, 'scope', { value: scope, enumerable: false });
    reportUncaughtErrors();
  }
}

/** Whether `e` is a KzResidencyError (also across module copies, which `instanceof` would miss). */
export function isKzResidencyError(e: unknown): e is KzResidencyError {
  if (e instanceof KzResidencyError) return true;
  for (let p = e === null || typeof e !== 'object' ? null : Object.getPrototypeOf(e); p; p = Object.getPrototypeOf(p)) {
    if ((p as { constructor?: { name?: string } }).constructor?.name === 'KzResidencyError') return true;
  }
  return false;
}

/** An error at construction time that names the construct path, the prop the user set, the rule and the fix. */
export class ConstructPropError extends KzResidencyError {
  constructor(
    readonly constructPath: string,
    readonly prop: string,
    what: string,
    /** What to do instead, when the refusal does not say it already. */
    readonly fix?: string,
    scope?: IConstruct,
  ) {
    super(`${constructPath}: ${prop}: ${what}${fix ? `. Fix: ${fix}` : ''}`, scope);
    this.name = 'ConstructPropError';
  }
}

/** Throws a `ConstructPropError` for `scope`'s path and `prop`. */
export function refuse(scope: IConstruct, prop: string, what: string, fix?: string): never {
  throw new ConstructPropError(scope.node.path, prop, what, fix, scope);
}

const REPORTING = Symbol.for('kz-residency/report-uncaught-errors');

/**
 * Makes a KzResidencyError that ends the process print as one message (installed, once per
 * process, by the first such error). Under `cdktf synth` (which sets
 * CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS and prints every byte the app writes twice: live and
 * again in its failure summary) the error becomes an error annotation of the construct, the app
 * is synthesized as far as it was built, and the CLI prints the annotation once, as it prints its
 * own errors. Any other uncaught error is printed as Node would, with its stack.
 */
export function reportUncaughtErrors(): void {
  const holder = process as NodeJS.Process & { [REPORTING]?: true };
  if (holder[REPORTING]) return;
  Object.defineProperty(holder, REPORTING, { value: true });
  process.on('uncaughtException', (e: unknown) => {
    if (!isKzResidencyError(e)) {
      process.stderr.write(`${e instanceof Error && e.stack ? e.stack : String(e)}\n`);
      process.exit(1);
    }
    if (process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS === 'true' && e.scope && annotateAndSynth(e)) process.exit(0);
    const debug = process.env.KZ_RESIDENCY_DEBUG;
    process.stderr.write(`Error: ${e.message}\n`);
    if (debug && debug !== '0' && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exit(1);
  });
}

/** The cdktf CLI's way: an error annotation on the construct, and the app written as far as it got. */
function annotateAndSynth(e: KzResidencyError): boolean {
  const scope = e.scope as IConstruct;
  const root = scope.node.root as IConstruct & { synth?: () => void };
  if (typeof root.synth !== 'function') return false;
  const debug = process.env.KZ_RESIDENCY_DEBUG;
  const trace = debug && debug !== '0' && e.stack ? e.stack.split('\n').slice(1).map((l) => l.trim()) : undefined;
  // without a trace, the CLI prints the message alone (cdktf's Annotations would add one)
  scope.node.addMetadata('@cdktf/error', e.message.startsWith(`${scope.node.path}: `) ? e.message.slice(scope.node.path.length + 2) : e.message, trace ? { stackTraceOverride: trace } : {});
  pendingError = e;
  try {
    root.synth();
    return true;
  } catch {
    return false;
  }
}

let pendingError: KzResidencyError | undefined;

/** The refusal being reported while the app is synthesized for it (the guard does not judge a half-built app). */
export function pendingConstructError(): KzResidencyError | undefined {
  return pendingError;
}

/** A Kubernetes-friendly name (DNS-1123 label) derived from a construct id. */
export function kubeName(s: string): string {
  const n = s
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return n || 'kz';
}

/** Why `name` is not a Kubernetes name (DNS-1123 label), or undefined when it is one. */
export function kubeNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > 63) return `is ${name.length} characters long; at most 63`;
  if (/[A-Z]/.test(name)) return 'has upper-case letters; use lower case';
  if (/[^a-z0-9-]/.test(name)) return `has ${JSON.stringify(name.match(/[^a-z0-9-]/)?.[0])}; use only lower-case letters, digits and "-"`;
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'starts or ends with "-"';
  return undefined;
}

/** Checks a Kubernetes name given in a prop (`prop` is the prop the user set, as they wrote it). */
export function checkKubeName(scope: IConstruct, prop: string, name: string): string {
  const problem = kubeNameProblem(name);
  if (problem) {
    refuse(
      scope,
      prop,
      `${JSON.stringify(name)} is not a Kubernetes name (DNS-1123 label): it ${problem}`,
      `use e.g. ${JSON.stringify(kubeName(name))}`,
    );
  }
  return name;
}
