/**
 * The compiled-pack cache: `check` loads the pack compiled by an earlier run instead of parsing
 * and compiling the Rego again (about 300 ms of a cold start for the shipped pack; a small check
 * starts that much faster).
 *
 * Key: a SHA-256 of the compiled form's version, this tool's version, Node's V8 version (the
 * serializer's format), the compile options (capabilities, v0 compatibility) and every source
 * (file name and text; the team's policies included). A change to any of them is a different
 * key, so an edited policy is never served from an old entry; nothing needs to be cleared.
 *
 * Where: `$KZ_RESIDENCY_CACHE_DIR` if set; otherwise `node_modules/.cache/kz-residency` of the
 * nearest folder above the working directory that has a writable node_modules (the convention
 * of Babel, ESLint and find-cache-dir); otherwise `$XDG_CACHE_HOME/kz-residency` (on Windows
 * `%LOCALAPPDATA%\kz-residency\cache`, elsewhere `~/.cache/kz-residency`). `KZ_RESIDENCY_CACHE=off`
 * turns it off. Files are `pack-<key>.bin`, written to a temporary name and renamed; the 8 most
 * recently used are kept, older ones deleted. A file that cannot be read (truncated, from another
 * build) is deleted and the pack compiled as if there were none. Caching never changes a result:
 * anything that fails only means compiling.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RegoSource } from '../engine/engine';
import { compile, type CompiledPolicy, type CompileOptions } from '../engine/rego';
import { COMPILED_FORMAT_VERSION, deserializeCompiled, serializeCompiled } from '../engine/rego/compiled-cache';

const KEEP = 8;

function toolVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8')) as { version?: string }).version ?? '0';
  } catch {
    return '0';
  }
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The cache folder (see the module comment), or undefined when caching is off. */
export function packCacheDir(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string | undefined {
  if ((env.KZ_RESIDENCY_CACHE ?? '').toLowerCase() === 'off') return undefined;
  if (env.KZ_RESIDENCY_CACHE_DIR) return path.resolve(env.KZ_RESIDENCY_CACHE_DIR);
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const nm = path.join(dir, 'node_modules');
    if (existsSync(nm) && writable(nm)) return path.join(nm, '.cache', 'kz-residency');
    if (path.dirname(dir) === dir) break;
  }
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'kz-residency', 'cache');
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'kz-residency');
}

/** The cache key of compiling `sources` with `options` (see the module comment). */
export function packCacheKey(sources: readonly RegoSource[], options: CompileOptions): string {
  const h = createHash('sha256');
  h.update(`kz-residency compiled pack ${COMPILED_FORMAT_VERSION}\u0000${toolVersion()}\u0000${process.versions.v8}\u0000`);
  h.update(JSON.stringify({ v0: options.v0Compatible === true, capabilities: options.capabilities ? [...options.capabilities.builtins].sort() : null }));
  for (const s of sources) {
    h.update(`\u0000${s.file}\u0000${s.source.length}\u0000`);
    h.update(s.source);
  }
  return h.digest('hex').slice(0, 32);
}

/**
 * Compiles `sources`, or loads what an earlier compile of the same sources and options stored.
 * Compile errors are thrown as by `compile` (and nothing is stored).
 */
export function compileCached(sources: readonly RegoSource[], options: CompileOptions = {}, dir: string | undefined = packCacheDir()): CompiledPolicy {
  if (dir === undefined) return compile([...sources], options);
  const file = path.join(dir, `pack-${packCacheKey(sources, options)}.bin`);
  try {
    const bytes = readFileSync(file);
    const policy = deserializeCompiled(bytes);
    touch(file);
    return policy;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') rmSync(file, { force: true });
  }
  const policy = compile([...sources], options);
  store(dir, file, policy);
  return policy;
}

function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // an entry that cannot be marked used is only pruned sooner
  }
}

function store(dir: string, file: string, policy: CompiledPolicy): void {
  try {
    const bytes = serializeCompiled(policy);
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
    prune(dir);
  } catch {
    // a cache that cannot be written (read-only, full, a policy that cannot be stored) only means compiling next time
  }
}

/** Keeps the KEEP most recently used entries. */
function prune(dir: string): void {
  const entries = readdirSync(dir)
    .filter((n) => /^pack-[0-9a-f]+\.bin$/.test(n))
    .map((n) => ({ file: path.join(dir, n), used: statSync(path.join(dir, n)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const e of entries.slice(KEEP)) rmSync(e.file, { force: true });
}
