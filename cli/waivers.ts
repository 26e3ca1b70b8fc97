/**
 * Waivers, from where they are written to what the policies see. A file waiver names a plan
 * address, a glob over addresses (`.`-separated, as the policies' `glob.match`), a construct path
 * or a glob over construct paths (`/`-separated), or `<input>:<address>` as reports show plan
 * resources when several plans are checked together; a code waiver (Waivers.of(construct).add)
 * covers the resources under its construct. Each is expanded here into one copy per resource it
 * covers, addressed as in the document the policies evaluate; `origin` maps a copy back to the
 * waiver as written, so that reports show that one, and so that a waiver no copy was used by is
 * reported as matching nothing.
 */
import picomatch from 'picomatch';
import { globToRegex } from '../engine/rego/builtins/glob';
import type { Waiver } from '../plan/types';

/** A waiver as written, with where it is written. */
export interface WaiverOrigin {
  readonly waiver: Waiver;
  readonly source: 'file' | 'code';
  /** The waivers file, or the cdk.tf.json a code waiver was read from. */
  readonly file: string;
  /** `waivers[3]`, or the field of the code waiver in the cdk.tf.json. */
  readonly field: string;
  /** Code waivers: the construct `Waivers.of(…)` was called on, the input and address they cover. */
  readonly construct?: string;
  readonly input?: number;
  readonly stackTrace?: readonly string[];
}

/** A resource the policies evaluate, with the names a waiver may use for it. */
export interface WaivableResource {
  readonly input: number;
  /** The address in its input's own plan. */
  readonly address: string;
  /** The address in the evaluated (possibly merged) document. */
  readonly evaluated: string;
  readonly constructPath?: string;
  /** How reports name it (construct path, address, or `<input>:<address>`). */
  readonly display: string;
}

/** Compiled matchers by pattern: each glob is compiled once however often it is asked for. */
const matchers = new Map<string, (r: WaivableResource) => boolean>();

/** Whether `pattern` names `r` (see the module comment). Malformed globs match nothing. */
export function waiverMatcher(pattern: string): (r: WaivableResource) => boolean {
  const known = matchers.get(pattern);
  if (known) return known;
  const safe = <T>(make: () => T): T | undefined => {
    try {
      return make();
    } catch {
      return undefined;
    }
  };
  const addressGlob = safe(() => globToRegex(pattern, ['.']));
  const pathGlob = safe(() => picomatch(pattern, { dot: true }));
  const m = (r: WaivableResource): boolean =>
    r.address === pattern ||
    r.display === pattern ||
    (addressGlob?.test(r.address) ?? false) ||
    (r.constructPath !== undefined && (r.constructPath === pattern || (pathGlob?.(r.constructPath) ?? false)));
  if (matchers.size >= 4096) matchers.delete(matchers.keys().next().value as string);
  matchers.set(pattern, m);
  return m;
}

/** Characters that make a pattern more than a literal for glob.match (gobwas). */
const ADDRESS_GLOB = /[*?[{\\]/;
/** A construct path picomatch matches only by equality (it gives meaning to quotes, `./`, `|`, ...). */
const PATH_LITERAL = /^[A-Za-z0-9_-]+(?:[./][A-Za-z0-9_-]+)*$/;

/**
 * The resources a waiver pattern can name, found through indexes rather than by testing every
 * resource: exact names by lookup; an address glob among the addresses that start with its
 * literal prefix (and, without `*` or `{`, have its length); a construct-path glob among the
 * resources that have a construct path. The caller still applies waiverMatcher to each, so
 * the indexes only narrow the search (cost: waivers + resources, not their product).
 */
export class ResourceIndex {
  private readonly byName = new Map<string, number[]>();
  /** addresses sorted, with the resource's position */
  private readonly sorted: Array<[string, number]>;
  /** the same, by length in characters (built when a glob of fixed length asks) */
  private byLength: Map<number, Array<[string, number]>> | null = null;
  private readonly withPath: number[] = [];

  constructor(private readonly resources: readonly WaivableResource[]) {
    const add = (name: string, i: number): void => {
      const list = this.byName.get(name);
      if (list) {
        if (list[list.length - 1] !== i) list.push(i);
      } else this.byName.set(name, [i]);
    };
    resources.forEach((r, i) => {
      add(r.address, i);
      add(r.display, i);
      if (r.constructPath !== undefined) {
        add(r.constructPath, i);
        this.withPath.push(i);
      }
    });
    this.sorted = resources.map((r, i): [string, number] => [r.address, i]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  }

  /** The resources `pattern` names, in the order they were given. */
  matching(pattern: string): WaivableResource[] {
    const cands = new Set<number>(this.byName.get(pattern) ?? []);
    if (ADDRESS_GLOB.test(pattern)) for (const i of this.addressCandidates(pattern)) cands.add(i);
    if (!PATH_LITERAL.test(pattern)) for (const i of this.withPath) cands.add(i);
    const matches = waiverMatcher(pattern);
    return [...cands].sort((a, b) => a - b).map((i) => this.resources[i]).filter(matches);
  }

  /** Addresses with the glob's literal prefix (and its length, when that is fixed). */
  private addressCandidates(pattern: string): number[] {
    const prefix = pattern.slice(0, pattern.search(ADDRESS_GLOB));
    const length = fixedLength(pattern);
    let list = this.sorted;
    if (length !== undefined) {
      if (this.byLength === null) {
        this.byLength = new Map();
        for (const e of this.sorted) {
          const n = Array.from(e[0]).length;
          const l = this.byLength.get(n);
          if (l) l.push(e);
          else this.byLength.set(n, [e]);
        }
      }
      list = this.byLength.get(length) ?? [];
    }
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid][0] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let k = lo; k < list.length && list[k][0].startsWith(prefix); k++) out.push(list[k][1]);
    return out;
  }
}

/** The number of characters every match of a glob has, or undefined (`*` and `{…}` vary it). */
function fixedLength(pattern: string): number | undefined {
  if (/[*{]/.test(pattern)) return undefined;
  const p = Array.from(pattern);
  let n = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === '[') {
      const close = p.indexOf(']', i + 1);
      // a class is one character; with an escape inside, where it ends is not worth working out
      if (close < 0 || p.slice(i + 1, close).includes('\\')) return undefined;
      i = close;
    }
    n++;
  }
  return n;
}

/** The identity of a waiver copy as the policy report gives it back in `waived[].waiver`. */
export function copyKey(w: Pick<Waiver, 'rule' | 'resource' | 'reason' | 'approved_by' | 'expires'>): string {
  return [w.rule, w.resource, w.reason, w.approved_by, w.expires].join('\u0000');
}

export interface ExpandedWaivers {
  /** What the policies are given: one waiver per covered resource, by its evaluated address. */
  readonly copies: Waiver[];
  /** `copyKey` of each copy → the waiver as written (the first, when two say the same). */
  readonly origin: Map<string, WaiverOrigin>;
}

export function expandWaivers(origins: readonly WaiverOrigin[], resources: readonly WaivableResource[]): ExpandedWaivers {
  const copies: Waiver[] = [];
  const origin = new Map<string, WaiverOrigin>();
  const byInputAddress = new Map(resources.map((r) => [`${r.input}\u0000${r.address}`, r]));
  const add = (o: WaiverOrigin, r: WaivableResource) => {
    const copy: Waiver = { ...o.waiver, resource: r.evaluated };
    const key = copyKey(copy);
    if (origin.has(key)) return;
    origin.set(key, o);
    copies.push(copy);
  };
  const index = new ResourceIndex(resources);
  for (const o of origins) {
    if (o.source === 'code') {
      const r = byInputAddress.get(`${o.input}\u0000${o.waiver.resource}`);
      if (r) add(o, r);
      continue;
    }
    for (const r of index.matching(o.waiver.resource)) add(o, r);
  }
  return { copies, origin };
}
