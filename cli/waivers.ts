/**
 * Waivers may name construct paths (what findings on synth output show) as well as plan
 * addresses (what the policies match). For synth input, each waiver whose resource matches
 * construct paths (exactly, or as a glob with `/` separators) is also given to the policies once
 * per matching address; `origin` maps those copies back to the waiver the user wrote.
 */
import picomatch from 'picomatch';
import type { Waiver } from '../plan/types';

export interface ExpandedWaivers {
  readonly waivers: Waiver[];
  /** `rule \0 address` of each added copy → the waiver it came from. */
  readonly origin: Map<string, Waiver>;
}

export function expandWaivers(
  waivers: readonly Waiver[],
  constructPaths: Readonly<Record<string, string>>,
): ExpandedWaivers {
  const origin = new Map<string, Waiver>();
  const out: Waiver[] = [...waivers];
  const paths = Object.entries(constructPaths);
  if (paths.length === 0) return { waivers: out, origin };
  const given = new Set(waivers.map((w) => `${w.rule}\u0000${w.resource}`));
  for (const w of waivers) {
    const isMatch = picomatch(w.resource, { dot: true });
    for (const [address, cpath] of paths) {
      const key = `${w.rule}\u0000${address}`;
      if (given.has(key) || origin.has(key)) continue;
      if (cpath === w.resource || isMatch(cpath)) {
        origin.set(key, w);
        out.push({ ...w, resource: address });
      }
    }
  }
  return { waivers: out, origin };
}
