/**
 * The settings file `.kz-residency.yaml` (or `.yml`): found upward from the working directory,
 * or named with `--config FILE`, ignored with `--no-config`; validated against
 * policies/data/config.schema.json like the registry and the waivers (a bad key is exit 2 naming
 * the file and field). Its keys are the flags' names; a flag on the command line overrides its
 * key, and a repeatable flag given on the command line replaces the key's whole list. Paths in
 * the file are relative to its folder.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import configSchema from '../policies/data/config.schema.json';
import { readDataFile, validateAgainstSchema } from '../plan/validate';
import type { FailOn, ProfileName } from './report';

export const CONFIG_NAMES = ['.kz-residency.yaml', '.kz-residency.yml'] as const;

/** The settings, with paths resolved against the file's folder. */
export interface Settings {
  readonly file: string;
  readonly inputs?: string[];
  readonly sites?: string;
  readonly 'trust-synth-registry'?: boolean;
  readonly waivers?: string;
  readonly profile?: ProfileName;
  readonly format?: string[];
  readonly 'fail-on'?: Exclude<FailOn, 'any'>;
  readonly 'soft-fail'?: boolean;
  readonly baseline?: string;
  readonly 'fail-on-unused-waivers'?: boolean;
  readonly policy?: string[];
  readonly rule?: string[];
  readonly 'skip-rule'?: string[];
  readonly source?: string[];
  readonly capabilities?: string;
  readonly engine?: 'interpreter' | 'wasm';
  readonly bundle?: string;
}

/** The settings file at or above `cwd`, if any. */
export function findConfig(cwd: string = process.cwd()): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    for (const name of CONFIG_NAMES) {
      const file = path.join(dir, name);
      if (existsSync(file) && statSync(file).isFile()) return file;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

const list = (v: unknown): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v.map(String) : [String(v)]);

/** Reads and validates a settings file; throws InputError naming the file and field. */
export function loadConfig(file: string): Settings {
  const raw = readDataFile(file);
  validateAgainstSchema(raw, configSchema, file);
  const doc = raw as Record<string, unknown>;
  const dir = path.dirname(path.resolve(file));
  // relative to the working directory when the file is below it, so that reports name paths as typed
  const resolve = (p: string) => {
    const abs = path.resolve(dir, p);
    const rel = path.relative(process.cwd(), abs);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
  };
  const paths = (v: unknown) => list(v)?.map(resolve);
  const one = (v: unknown) => (typeof v === 'string' ? resolve(v) : undefined);
  const formats = list(doc.format)?.map((spec) => {
    const eq = spec.indexOf('=');
    return eq < 0 ? spec : `${spec.slice(0, eq)}=${resolve(spec.slice(eq + 1))}`;
  });
  const out: Record<string, unknown> = { file };
  const set = (k: keyof Settings, v: unknown) => {
    if (v !== undefined) out[k] = v;
  };
  set('inputs', paths(doc.inputs));
  set('sites', one(doc.sites));
  set('trust-synth-registry', doc['trust-synth-registry']);
  set('waivers', one(doc.waivers));
  set('profile', doc.profile);
  set('format', formats);
  set('fail-on', doc['fail-on']);
  set('soft-fail', doc['soft-fail']);
  set('baseline', one(doc.baseline));
  set('fail-on-unused-waivers', doc['fail-on-unused-waivers']);
  set('policy', paths(doc.policy));
  set('rule', list(doc.rule));
  set('skip-rule', list(doc['skip-rule']));
  set('source', paths(doc.source));
  set('capabilities', one(doc.capabilities));
  set('engine', doc.engine);
  set('bundle', one(doc.bundle));
  return out as unknown as Settings;
}
