/**
 * The prerequisites of a stack — Secrets, images and platform components the configuration
 * references but does not create — gathered from the constructs that reference them, and written
 * as the stack's `prerequisites` TerraformOutput. `scripts/prerequisites-readme.ts` renders the
 * README's "Before you apply" section from the same function, so the two cannot disagree.
 */
import type { IConstruct } from 'constructs';
import { Lazy, TerraformOutput, TerraformStack } from 'cdktf';
import { EncryptedTunnel, GOST_TLS_SECRET_KEYS, WIREGUARD_SECRET_KEYS } from '../constructs';
import { hasPrerequisites, normalisePrerequisites, type Prerequisite } from '../constructs/prerequisites';
import type { Site } from '../constructs/site';
import { ExternalSecrets, remoteKeyOf, type SecretStoreRef } from '../constructs/external-secrets';

/** Every prerequisite of `stack`, each with the site it is needed on. */
export function stackPrerequisites(stack: TerraformStack, site: Site): Prerequisite[] {
  const found: Prerequisite[] = [];
  for (const c of stack.node.findAll()) {
    if (hasPrerequisites(c)) found.push(...c.prerequisites.map((p) => ({ ...p, site: site.id })));
  }
  // A tunnel's sides may live in two stacks (its hq side in the HQ stack): each stack lists its side.
  for (const c of stack.node.root.node.findAll()) {
    if (!(c instanceof EncryptedTunnel)) continue;
    for (const side of [c.kz, c.hq]) {
      if (TerraformStack.of(side.deployment) !== stack) continue;
      found.push(...tunnelSidePrerequisites(c, side.side, side.namespaceName, side.secretName, side.site));
    }
  }
  const fetched = stack.node.findAll().find((c): c is ExternalSecrets => c instanceof ExternalSecrets);
  const list = normalisePrerequisites(found);
  if (!fetched) return list;
  const { kind, name, keyPrefix } = fetched.store;
  return list.map((p) =>
    p.kind === 'secret'
      ? { ...p, createdBy: `External Secrets Operator, from ${kind} ${name} (remote key ${remoteKeyOf(keyPrefix, site.id, p)})` }
      : p,
  );
}

/**
 * Creates an ExternalSecret for every Secret `stack` expects, read from `store` (call it once,
 * after every construct of the stack exists: HybridDeployment does when given `secretStore`).
 */
export function fetchSecretsFrom(stack: TerraformStack, site: Site, store: SecretStoreRef): ExternalSecrets {
  const secrets = stackPrerequisites(stack, site).filter((p) => p.kind === 'secret');
  return new ExternalSecrets(stack, 'ExternalSecrets', { site, store, secrets });
}

function tunnelSidePrerequisites(
  tunnel: EncryptedTunnel,
  side: 'kz' | 'hq',
  namespace: string,
  secretName: string,
  site: Site,
): Prerequisite[] {
  const keys = Object.values(tunnel.profile === 'wireguard' ? WIREGUARD_SECRET_KEYS : GOST_TLS_SECRET_KEYS);
  const out: Prerequisite[] = [
    {
      kind: 'secret',
      name: secretName,
      namespace,
      keys,
      purpose: `${tunnel.profile} keys of the ${side} gateway of tunnel ${tunnel.name}`,
      createdBy: `the security team of site ${site.id}, before apply`,
      site: site.id,
    },
  ];
  const image = gatewayImage(tunnel, side);
  if (image) {
    out.push({
      kind: 'image',
      name: image,
      purpose: `${tunnel.profile} gateway of tunnel ${tunnel.name}`,
      createdBy: 'built from the repository and pushed to a registry the site can pull from',
      site: site.id,
    });
  }
  return out;
}

function gatewayImage(tunnel: EncryptedTunnel, side: 'kz' | 'hq'): string | undefined {
  const d = side === 'kz' ? tunnel.kz.deployment : tunnel.hq.deployment;
  const spec = d.spec.internalValue as
    { template?: { spec?: { container?: { image?: string }[] } } } | undefined;
  const image = spec?.template?.spec?.container?.[0]?.image;
  return typeof image === 'string' ? image : undefined;
}

/** Adds the `prerequisites` output to `stack` (computed at synth, after every construct exists). */
export function addPrerequisitesOutput(stack: TerraformStack, site: Site): TerraformOutput {
  return new TerraformOutput(stack, 'prerequisites', {
    description:
      'Secrets, images and platform components this stack expects to exist before apply (it creates none of them)',
    value: Lazy.anyValue({ produce: () => stackPrerequisites(stack, site).map(toOutput) }),
  });
}

function toOutput(p: Prerequisite): Record<string, unknown> {
  return {
    kind: p.kind,
    name: p.name,
    site: p.site ?? null,
    namespace: p.namespace ?? null,
    keys: p.keys ? [...p.keys] : [],
    purpose: p.purpose,
    created_by: p.createdBy,
  };
}

/** The constructs of a scope that list prerequisites (for tests and tools). */
export function constructsWithPrerequisites(scope: IConstruct): IConstruct[] {
  return scope.node.findAll().filter(hasPrerequisites);
}
