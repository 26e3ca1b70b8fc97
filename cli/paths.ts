/** Paths as the user would type them. */
import path from 'node:path';

/** A path relative to the working directory when inside it (`/`-separated), else as given. */
export function displayPath(file: string): string {
  if (file === '-') return file;
  const rel = path.relative(process.cwd(), path.resolve(file));
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}
