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

/** Whether `pattern` names `r` (see the module comment). Malformed globs match nothing. */
export function waiverMatcher(pattern: string): (r: WaivableResource) => boolean {
  const safe = <T>(make: () => T): T | undefined => {
    try {
      return make();
    } catch {
      return undefined;
    }
  };
  const addressGlob = safe(() => globToRegex(pattern, ['.']));
  const pathGlob = safe(() => picomatch(pattern, { dot: true }));
  return (r) =>
    r.address === pattern ||
    r.display === pattern ||
    (addressGlob?.test(r.address) ?? false) ||
    (r.constructPath !== undefined && (r.constructPath === pattern || (pathGlob?.(r.constructPath) ?? false)));
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
  for (const o of origins) {
    if (o.source === 'code') {
      const r = byInputAddress.get(`${o.input}\u0000${o.waiver.resource}`);
      if (r) add(o, r);
      continue;
    }
    const matches = waiverMatcher(o.waiver.resource);
    for (const r of resources) if (matches(r)) add(o, r);
  }
  return { copies, origin };
}
