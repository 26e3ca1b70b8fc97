/**
 * Stable fingerprints and the baseline: a finding's fingerprint is its rule, its resource
 * (construct path or address) and its message with numbers and spacing normalised — never a
 * line number, so moving code does not make an old finding new. `--baseline FILE` reads a
 * previous JSON report (`--format json`) and marks each denial `known` when the baseline had
 * its fingerprint, `new` otherwise; only new ones fail the run.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../plan/errors';
import { isJsonObject } from '../plan/format';
import { readJsonFile } from '../plan/json';

/** Lower case, digits as `#`, quotes unified, whitespace collapsed. */
export function normaliseMessage(message: string): string {
  return message
    .toLowerCase()
    .replace(/[“”„«»]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/\d+(?:[.,]\d+)*/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

/** 32 hex digits of SHA-256 over rule, resource and normalised message. */
export function fingerprintOf(rule: string, resource: string, message: string): string {
  return createHash('sha256')
    .update(`${rule}\u0000${resource}\u0000${normaliseMessage(message)}`)
    .digest('hex')
    .slice(0, 32);
}

export interface Baseline {
  readonly file: string;
  /** Fingerprints of the baseline's denials and warnings. */
  readonly fingerprints: ReadonlySet<string>;
  /** Fingerprints of the baseline's denials (to count the ones that are gone). */
  readonly denied: ReadonlySet<string>;
}

/** Reads a JSON report written by `check --format json` (its own fingerprints, or computed from rule/resource/message). */
export function loadBaseline(file: string): Baseline {
  const doc = readJsonFile(file);
  if (!isJsonObject(doc) || !Array.isArray(doc.deny)) {
    throw new InputError(file, 'deny', 'not a kz-residency JSON report (`kz-residency check --format json`): no deny list');
  }
  const fingerprints = new Set<string>();
  const denied = new Set<string>();
  for (const key of ['deny', 'warn'] as const) {
    const list = doc[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new InputError(file, key, 'must be an array of findings');
    list.forEach((f, i) => {
      if (!isJsonObject(f) || typeof f.rule !== 'string' || typeof f.resource !== 'string' || typeof f.message !== 'string') {
        throw new InputError(file, `${key}[${i}]`, 'a finding needs rule, resource and message');
      }
      const fp = typeof f.fingerprint === 'string' ? f.fingerprint : fingerprintOf(f.rule, f.resource, f.message);
      fingerprints.add(fp);
      if (key === 'deny') denied.add(fp);
      // a collapsed deployment-level finding stands for the same decision on other objects
      if (Array.isArray(f.alsoOn))
        for (const other of f.alsoOn) if (typeof other === 'string') fingerprints.add(fingerprintOf(f.rule, other, f.message));
    });
  }
  return { file, fingerprints, denied };
}
