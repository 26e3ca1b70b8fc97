/**
 * Where a report comes from, so that an auditor can tell which inputs, rules and registry it
 * judged: a SHA-256 of every input file, of the policy pack (every policy file, by path and
 * content), of the sites registry, the git commit of the repository the inputs are in (when
 * there is one), the tool's version and the time. `--now` fixes the time, so that tests and
 * re-runs produce the same report.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadRegoDirectory } from '../../engine/load';
import { displayPath } from '../paths';

export interface FileHash {
  readonly file: string;
  readonly sha256: string;
}

export interface Provenance {
  /** Every file the deployment was read from (each stack's cdk.tf.json, or each plan). */
  readonly inputs: readonly FileHash[];
  /** One hash over all inputs (their hashes in order). */
  readonly inputsSha256: string;
  /** The policy pack: files hashed (tests excluded), and one hash over their paths and contents. */
  readonly policyPack: { readonly dirs: readonly string[]; readonly files: number; readonly sha256: string };
  readonly registry: FileHash;
  /** The commit checked out where the inputs are; null outside a git repository or without git. */
  readonly git: { readonly commit: string; readonly dirty: boolean } | null;
  readonly tool: { readonly name: 'kz-residency'; readonly version: string };
  /** When the report was made (ISO 8601, UTC). */
  readonly generatedAt: string;
  /** The date waivers were compared with. */
  readonly date: string;
  readonly profile: string;
  readonly engine: string;
  readonly language: string;
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export function hashFile(file: string): FileHash {
  return { file: displayPath(file), sha256: sha256(readFileSync(file)) };
}

/** The pack's hash: each policy file (tests excluded) as `path NUL content NUL`, in path order. */
export function hashPolicies(dirs: readonly string[]): { dirs: string[]; files: number; sha256: string } {
  const h = createHash('sha256');
  let files = 0;
  for (const dir of dirs) {
    for (const src of loadRegoDirectory(dir, { includeTests: false })) {
      h.update(src.file).update('\0').update(src.source).update('\0');
      files++;
    }
  }
  return { dirs: dirs.map((d) => displayPath(d)), files, sha256: h.digest('hex') };
}

/** The commit of the repository holding `where`, and whether its work tree has changes. */
export function gitState(where: string): { commit: string; dirty: boolean } | null {
  let dir = where;
  try {
    if (!statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = process.cwd();
  }
  const git = (args: string[]): string =>
    execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  try {
    const commit = git(['rev-parse', 'HEAD']);
    if (!/^[0-9a-f]{40}$/.test(commit)) return null;
    const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
    return { commit, dirty };
  } catch {
    return null;
  }
}

export interface ProvenanceOptions {
  readonly inputFiles: readonly string[];
  readonly policyDirs: readonly string[];
  readonly registryFile: string;
  /** Where to look for the repository (the first input). */
  readonly repository: string;
  readonly version: string;
  readonly generatedAt: string;
  readonly date: string;
  readonly profile: string;
  readonly engine: string;
  readonly language: string;
}

export function collectProvenance(o: ProvenanceOptions): Provenance {
  const inputs = [...new Set(o.inputFiles)].filter((f) => f !== '-').map(hashFile);
  return {
    inputs,
    inputsSha256: sha256(inputs.map((i) => i.sha256).join('\n')),
    policyPack: hashPolicies(o.policyDirs),
    registry: hashFile(o.registryFile),
    git: gitState(o.repository),
    tool: { name: 'kz-residency', version: o.version },
    generatedAt: o.generatedAt,
    date: o.date,
    profile: o.profile,
    engine: o.engine,
    language: o.language,
  };
}
