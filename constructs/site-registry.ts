/**
 * The per-app registry of every site the constructs use. It is a construct on the root of the
 * construct tree (found with `node.root`), not a global: two apps in one process keep two
 * registries. Each stack that uses a site gets a synthesizer wrapper that writes
 * `<outdir>/sites.json` (`{ "sites": [...] }`) after the stack itself is written.
 */
import { Construct, type IConstruct } from 'constructs';
import { TerraformStack, type IStackSynthesizer, type ISynthesisSession } from 'cdktf';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SiteEntry, SitesRegistry } from '../plan/types';
import type { Site } from './site';

const REGISTRY_ID = 'KzResidencySiteRegistry';

/** Collects the sites an app uses; writes them as `sites.json` at synth. */
export class SiteRegistry extends Construct {
  /** The registry of the app that `scope` belongs to (created on first use). */
  static of(scope: IConstruct): SiteRegistry {
    const root = scope.node.root;
    const existing = root.node.tryFindChild(REGISTRY_ID);
    if (existing instanceof SiteRegistry) return existing;
    return new SiteRegistry(root, REGISTRY_ID);
  }

  /** Registers `site` as used by `scope` (and makes `scope`'s stack write `sites.json`). */
  static use(scope: IConstruct, site: Site): void {
    const registry = SiteRegistry.of(scope);
    registry.add(site, scope.node.path);
    const stack = TerraformStack.of(scope);
    if (!(stack.synthesizer instanceof SitesFileSynthesizer)) {
      stack.synthesizer = new SitesFileSynthesizer(stack.synthesizer, registry);
    }
  }

  private readonly sites = new Map<string, { site: Site; usedBy: string }>();

  private constructor(scope: IConstruct, id: string) {
    super(scope, id);
  }

  /** Adds a site; two different sites with the same id are refused. */
  add(site: Site, usedBy: string): void {
    const known = this.sites.get(site.id);
    if (known) {
      if (known.site !== site && JSON.stringify(known.site.entry) !== JSON.stringify(site.entry)) {
        throw new Error(
          `${usedBy}: site: a different site with id ${JSON.stringify(site.id)} is already used by ${known.usedBy}`,
        );
      }
      return;
    }
    this.sites.set(site.id, { site, usedBy });
  }

  /** Every site used so far, sorted by id. */
  get entries(): SiteEntry[] {
    return [...this.sites.values()].map((s) => s.site.entry).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The `sites.json` document. */
  toJson(): SitesRegistry {
    return { sites: this.entries };
  }

  /** Writes `<outdir>/sites.json`. */
  writeTo(outdir: string): string {
    mkdirSync(outdir, { recursive: true });
    const file = join(outdir, 'sites.json');
    writeFileSync(file, JSON.stringify(this.toJson(), null, 2) + '\n');
    return file;
  }
}

/** Wraps a stack's synthesizer: synthesizes the stack, then writes the app's `sites.json`. */
export class SitesFileSynthesizer implements IStackSynthesizer {
  constructor(
    private readonly inner: IStackSynthesizer,
    private readonly registry: SiteRegistry,
  ) {}

  synthesize(session: ISynthesisSession): void {
    this.inner.synthesize(session);
    this.registry.writeTo(session.outdir);
  }
}
