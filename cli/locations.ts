/**
 * Where a finding is, in files a reviewer sees on the diff, relative to the repository root (the
 * git top-level above the working directory, else the working directory):
 * - synth output: the first frame in the app's own code of the trace cdktf recorded where the
 *   construct was created (plan/frames.ts);
 * - plans, with `--source DIR`: the `resource "t" "n"` / `data "t" "n"` block in DIR's `.tf` files;
 *   a resource inside a module points at the `module "m"` call;
 * - otherwise the checked file itself, at the line its resource starts on.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { firstUserFrame, packageRoot } from '../plan/frames';
import type { SourceLocation } from './report';

/** The nearest folder at or above `cwd` that holds `.git` (a directory, or a file in a worktree), else `cwd`. */
export function repositoryRoot(cwd: string = process.cwd()): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/** Turns absolute paths into repository-relative ones (see `relative`). */
export class Locator {
  private readonly found = new Map<string, string | undefined>();
  private readonly terraform: TerraformIndex;

  constructor(
    readonly root: string,
    opts: { readonly sourceDirs?: readonly string[]; readonly libraryRoots?: readonly string[] } = {},
  ) {
    this.libraryRoots = opts.libraryRoots ?? [packageRoot()];
    this.terraform = new TerraformIndex(opts.sourceDirs ?? [], (f) => this.relative(f));
  }

  private readonly libraryRoots: readonly string[];

  /**
   * `file` relative to the root. A path from another machine (synth in one CI job, check in
   * another) is matched by its longest tail that exists under the root; undefined when none does.
   */
  relative(file: string): string | undefined {
    const abs = path.resolve(file);
    if (this.found.has(abs)) return this.found.get(abs);
    let out: string | undefined;
    const rel = path.relative(this.root, abs);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) out = toPosix(rel);
    else {
      const parts = abs.split(/[\\/]/).filter((p) => p !== '');
      for (let i = 1; i < parts.length && out === undefined; i++) {
        const tail = parts.slice(i).join('/');
        if (existsSync(path.join(this.root, tail))) out = tail;
      }
    }
    this.found.set(abs, out);
    return out;
  }

  /** The app's line that created a construct, from its recorded trace. */
  fromTrace(trace: readonly string[] | undefined): SourceLocation | undefined {
    if (!trace) return undefined;
    const frame = firstUserFrame(trace, this.libraryRoots);
    if (!frame) return undefined;
    const file = this.relative(frame.file);
    return file ? { file, line: frame.line, ...(frame.column ? { column: frame.column } : {}), kind: 'source' } : undefined;
  }

  /** The `.tf` block of a plan address, when --source was given. */
  fromTerraform(address: string): SourceLocation | undefined {
    return this.terraform.lookup(address);
  }

  /** A line of a checked file (only when it is under the root: a reviewer cannot open it otherwise). */
  inFile(file: string, line: number | undefined, kind: SourceLocation['kind']): SourceLocation | undefined {
    if (file === '-') return undefined;
    const rel = this.relative(file);
    return rel ? { file: rel, ...(line ? { line } : {}), kind } : undefined;
  }
}

/** `resource`, `data` and `module` blocks of the `.tf` files in the --source folders. */
class TerraformIndex {
  private index: Map<string, SourceLocation> | undefined;

  constructor(
    private readonly dirs: readonly string[],
    private readonly relative: (file: string) => string | undefined,
  ) {}

  lookup(address: string): SourceLocation | undefined {
    if (this.dirs.length === 0) return undefined;
    this.index ??= this.build();
    const bare = address.replace(/\[[^\]]*\]/g, '');
    const mod = /^module\.([A-Za-z0-9_-]+)/.exec(bare);
    if (mod) return this.index.get(`module.${mod[1]}`);
    return this.index.get(bare);
  }

  private build(): Map<string, SourceLocation> {
    const index = new Map<string, SourceLocation>();
    for (const dir of this.dirs) {
      const files = readdirSync(dir)
        .filter((n) => n.endsWith('.tf'))
        .sort();
      for (const name of files) {
        const file = path.join(dir, name);
        if (!statSync(file).isFile()) continue;
        const rel = this.relative(file) ?? toPosix(file);
        for (const [key, line] of terraformBlocks(readFileSync(file, 'utf8'))) {
          if (!index.has(key)) index.set(key, { file: rel, line, kind: 'terraform' });
        }
      }
    }
    return index;
  }
}

const LABEL = String.raw`(?:"([^"]+)"|([A-Za-z_][A-Za-z0-9_-]*))`;
const RESOURCE_BLOCK = new RegExp(String.raw`^\s*(resource|data)\s+${LABEL}\s+${LABEL}\s*\{`);
const MODULE_BLOCK = new RegExp(String.raw`^\s*module\s+${LABEL}\s*\{`);

/**
 * The top-level blocks of a `.tf` file with their line: `t.n` for resources, `data.t.n` for data
 * sources, `module.m` for module calls. Comments (`#`, `//`, `/* … *\/`) and heredocs are skipped.
 */
export function terraformBlocks(text: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  let inComment = false;
  let heredoc: string | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    let line = raw;
    if (heredoc !== undefined) {
      if (line.trim() === heredoc) heredoc = undefined;
      return;
    }
    if (inComment) {
      const end = line.indexOf('*/');
      if (end < 0) return;
      inComment = false;
      line = line.slice(end + 2);
    }
    const start = line.indexOf('/*');
    if (start >= 0 && line.indexOf('*/', start) < 0) {
      inComment = true;
      line = line.slice(0, start);
    }
    if (/^\s*(#|\/\/)/.test(line)) return;
    const here = /<<-?([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(line);
    const r = RESOURCE_BLOCK.exec(line);
    if (r) {
      const type = r[2] ?? r[3];
      const name = r[4] ?? r[5];
      out.push([r[1] === 'data' ? `data.${type}.${name}` : `${type}.${name}`, i + 1]);
    } else {
      const m = MODULE_BLOCK.exec(line);
      if (m) out.push([`module.${m[1] ?? m[2]}`, i + 1]);
    }
    if (here) heredoc = here[1];
  });
  return out;
}

/**
 * Finds the line a resource starts on in a checked file (a plan JSON: its first `"address"`;
 * a cdk.tf.json: its `"<type>": { … "<name>": {` key), indexing the file once.
 */
export function lineFinder(file: string, kind: 'plan' | 'synth'): (address: string) => number | undefined {
  let text: string | undefined;
  const lineStarts: number[] = [0];
  // the first offset of each `"address": "<addr>"`, found in one pass: a search of the whole text
  // per finding made large plans quadratic
  let addressAt: Map<string, number> | undefined;
  const found = new Map<string, number | undefined>();
  const load = (): string => {
    if (text !== undefined) return text;
    try {
      text = file === '-' ? '' : readFileSync(file, 'utf8');
    } catch {
      text = '';
    }
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
    if (kind === 'plan') {
      addressAt = new Map();
      for (const m of text.matchAll(/"address"\s*:\s*("(?:[^"\\]|\\.)*")/g)) {
        const address = JSON.parse(m[1]) as string;
        if (!addressAt.has(address)) addressAt.set(address, m.index ?? 0);
      }
    }
    return text;
  };
  const offsetOf = (address: string): number => {
    const t = load();
    const at = addressAt?.get(address);
    if (at !== undefined) return at;
    // cdk.tf.json: "resource": { "<type>": { "<name>": { … } } }
    const m = /^(?:.*\.)?([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)(?:\[.*\])?$/.exec(address);
    if (!m) return -1;
    const typeAt = t.indexOf(`${JSON.stringify(m[1])}: {`);
    return typeAt < 0 ? -1 : t.indexOf(`${JSON.stringify(m[2])}: {`, typeAt);
  };
  return (address) => {
    if (found.has(address)) return found.get(address);
    const at = offsetOf(address);
    let line: number | undefined;
    if (at >= 0) {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lineStarts[mid] <= at) lo = mid;
        else hi = mid - 1;
      }
      line = lo + 1;
    }
    found.set(address, line);
    return line;
  };
}
