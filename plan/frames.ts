/**
 * Stack frames as V8 prints them (`new Release (/app/main.ts:12:5)`, `/app/main.ts:3:1`,
 * `file:///app/main.mjs:4:2`), and which of them are the user's code: not Node's internals, not
 * anything under node_modules (kz-residency, cdktf, constructs, providers, tsx), and not this
 * package's own library folders when it runs from its sources. The constructs use this to record
 * where a construct was created (constructs/source-traces.ts); the command to find that place
 * again (cli/locations.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Frame {
  /** Absolute path (or the frame's own text for frames without one, e.g. `native`). */
  readonly file: string;
  readonly line: number;
  readonly column?: number;
}

/** The folders of this package that hold library code (not examples, not tests). */
export const LIBRARY_FOLDERS = ['constructs', 'stacks', 'plan', 'engine', 'cli', 'dist'] as const;

/** This package's root (the folder above plan/, or above dist/ when compiled). */
export function packageRoot(): string {
  const up = path.resolve(__dirname, '..');
  return path.basename(up) === 'dist' ? path.dirname(up) : up;
}

/** Parses one frame line (with or without the leading `at `); undefined when it names no file position. */
export function parseFrame(text: string): Frame | undefined {
  const s = text.trim().replace(/^at\s+/, '');
  const inParens = /\(([^()]*):(\d+):(\d+)\)\s*$/.exec(s);
  const bare = /^(?:async\s+)?([^\s()][^()]*?):(\d+):(\d+)$/.exec(s);
  const m = inParens ?? bare;
  if (!m) return undefined;
  let file = m[1];
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  return { file, line: Number(m[2]), column: Number(m[3]) };
}

/** Whether `file` is code the user wrote (see the module comment). */
export function isUserFile(file: string, libraryRoots: readonly string[] = [packageRoot()]): boolean {
  if (!path.isAbsolute(file)) return false; // node:internal/…, native, <anonymous>, evalmachine
  const parts = file.split(/[\\/]/);
  if (parts.includes('node_modules')) return false;
  for (const root of libraryRoots) {
    const rel = path.relative(root, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    const top = rel.split(/[\\/]/)[0];
    if ((LIBRARY_FOLDERS as readonly string[]).includes(top)) return false;
    if (rel === 'index.ts' || rel === 'index.js') return false;
  }
  return true;
}

/** The first frame of `trace` in the user's code. */
export function firstUserFrame(
  trace: readonly string[],
  libraryRoots: readonly string[] = [packageRoot()],
): Frame | undefined {
  for (const line of trace) {
    const f = parseFrame(line);
    if (f && isUserFile(f.file, libraryRoots)) return f;
  }
  return undefined;
}
