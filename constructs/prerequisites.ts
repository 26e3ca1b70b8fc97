/**
 * What a deployment expects to exist before `terraform apply` and does not create itself: Secrets
 * (credentials never go into the configuration), container images and platform components. The
 * constructs that reference them describe them here, from the same values they render, so the
 * stacks' `prerequisites` outputs and the README's "Before you apply" section cannot drift from
 * what the configuration actually references.
 */

/** One thing that must exist before apply. */
export interface Prerequisite {
  /** `secret` (a Kubernetes Secret), `image` (a container image the nodes must pull) or `platform` (a component of the cluster). */
  readonly kind: 'secret' | 'image' | 'platform';
  /** Secret name, image reference or component name. */
  readonly name: string;
  /** Namespace of a Secret. */
  readonly namespace?: string;
  /** Data keys a Secret must hold. */
  readonly keys?: readonly string[];
  /** Type of a Secret other than Opaque, e.g. `kubernetes.io/tls`. */
  readonly secretType?: string;
  /** What it is for. */
  readonly purpose: string;
  /** Who creates (or provides) it. */
  readonly createdBy: string;
  /** Site id where it must exist (set by the stack that lists it). */
  readonly site?: string;
}

/** A construct that references things it does not create. */
export interface HasPrerequisites {
  readonly prerequisites: readonly Prerequisite[];
}

/** Whether `x` lists prerequisites. */
export function hasPrerequisites(x: unknown): x is HasPrerequisites {
  return (
    typeof x === 'object' && x !== null && Array.isArray((x as { prerequisites?: unknown }).prerequisites)
  );
}

/** The identity of a prerequisite: two constructs referencing the same Secret list it once. */
export function prerequisiteKey(p: Prerequisite): string {
  return [p.kind, p.site ?? '', p.namespace ?? '', p.name].join('\u0000');
}

/** Sorted, without duplicates (keys of the same Secret merged). */
export function normalisePrerequisites(list: readonly Prerequisite[]): Prerequisite[] {
  const byKey = new Map<string, Prerequisite>();
  for (const p of list) {
    const k = prerequisiteKey(p);
    const known = byKey.get(k);
    if (!known) {
      byKey.set(k, { ...p, ...(p.keys ? { keys: [...p.keys] } : {}) });
      continue;
    }
    const keys = [...new Set([...(known.keys ?? []), ...(p.keys ?? [])])];
    const purpose = known.purpose === p.purpose ? known.purpose : `${known.purpose}; ${p.purpose}`;
    byKey.set(k, { ...known, purpose, ...(keys.length > 0 ? { keys } : {}) });
  }
  const order = { platform: 0, secret: 1, image: 2 } as const;
  return [...byKey.values()].sort(
    (a, b) =>
      order[a.kind] - order[b.kind] ||
      (a.site ?? '').localeCompare(b.site ?? '') ||
      (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
      a.name.localeCompare(b.name),
  );
}
