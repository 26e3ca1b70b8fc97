/**
 * Reading JSON files for users: decodes UTF-8 (with or without a BOM) and UTF-16 (a PowerShell
 * `>` redirect writes UTF-16LE with a BOM), and turns a syntax error into an InputError that
 * says where: line and column. Large files are read in chunks (json-stream.ts), never as one string.
 */
import * as fs from 'node:fs';
import { InputError } from './errors';
import { AddressScanner, JsonStreamError, readJsonStream } from './json-stream';

/** Reads a text file, naming the file in the error when it is missing or unreadable. */
export function readTextFile(file: string): string {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(file, undefined, 'no such file');
    if (code === 'EISDIR') throw new InputError(file, undefined, 'is a directory, expected a file');
    if (code === 'EACCES') throw new InputError(file, undefined, 'permission denied');
    throw new InputError(file, undefined, `cannot read: ${code ?? String(e)}`);
  }
  return decodeText(buf);
}

/** Decodes a file's bytes: UTF-16LE/BE with BOM, else UTF-8 (BOM dropped). */
export function decodeText(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const swapped = Buffer.from(buf.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses JSON text; a syntax error becomes `<file>: line L, column C: <problem>`. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const at = findJsonError(text);
    const { line, column } = lineColumn(text, at.offset);
    throw new InputError(file, `line ${line}, column ${column}`, `not valid JSON: ${at.problem}`);
  }
}

/** Reads and parses a JSON file. */
export function readJsonFile(file: string): unknown {
  return readJsonDocument(file).value;
}

/** A parsed JSON file, with the line of the first `"address": "<x>"` of each address in it. */
export interface JsonDocument {
  readonly value: unknown;
  readonly addressLines: ReadonlyMap<string, number>;
}

/**
 * Files from this size on are read in chunks (json-stream.ts) instead of as one string: the
 * string would cost as much memory as the file and cannot exceed 2^29 - 24 characters in V8.
 * Below it, one JSON.parse of the whole text is a little faster.
 */
export const STREAM_FROM_BYTES = 64 << 20;

function openError(file: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(file, undefined, 'no such file');
  if (code === 'EISDIR') return new InputError(file, undefined, 'is a directory, expected a file');
  if (code === 'EACCES') return new InputError(file, undefined, 'permission denied');
  return new InputError(file, undefined, `cannot read: ${code ?? String(e)}`);
}

/**
 * Reads and parses a JSON file, recording where each address first appears (for the location of
 * a finding: nothing reads the text again). UTF-16 files are decoded whole; UTF-8 files from
 * STREAM_FROM_BYTES on are streamed, so their size is limited by memory only.
 */
export function readJsonDocument(file: string, opts: { streamFromBytes?: number } = {}): JsonDocument {
  const streamFrom = opts.streamFromBytes ?? STREAM_FROM_BYTES;
  let size: number;
  let utf16 = false;
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    size = st.size;
    if (size >= streamFrom) {
      const fd = fs.openSync(file, 'r');
      const head = Buffer.alloc(2);
      try {
        fs.readSync(fd, head, 0, 2, 0);
      } finally {
        fs.closeSync(fd);
      }
      utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
    }
  } catch (e) {
    throw openError(file, e);
  }
  if (size >= streamFrom && !utf16) {
    try {
      return readJsonStream(file);
    } catch (e) {
      if (e instanceof JsonStreamError) throw streamSyntaxError(file, e);
      throw openError(file, e);
    }
  }
  let buf: Buffer | null;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw openError(file, e);
  }
  const scanner = new AddressScanner();
  const isUtf16 = buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff));
  if (!isUtf16) scanner.scan(buf, 0, buf.length, buf.length, true);
  let text: string;
  try {
    text = decodeText(buf);
  } catch (e) {
    // beyond V8's longest string (a UTF-16 file over 1 GiB)
    throw new InputError(file, undefined, `too large to read as UTF-16 (${(e as Error).message}): convert it to UTF-8`);
  }
  // the bytes are not needed while the text is parsed: let them go (the file's size, once less)
  buf = null;
  if (isUtf16) {
    const bytes = Buffer.from(text, 'utf8');
    scanner.scan(bytes, 0, bytes.length, bytes.length, true);
  }
  const value = parseJsonText(text, file);
  return { value, addressLines: scanner.lines };
}

/** A syntax error found while streaming, as `<file>: line L, column C: not valid JSON: <problem>`. */
function streamSyntaxError(file: string, e: JsonStreamError): InputError {
  let offset = e.offset;
  let problem = e.problem;
  if (e.slice !== undefined) {
    const at = findJsonError(e.slice);
    offset += Buffer.byteLength(e.slice.slice(0, at.offset), 'utf8');
    problem = at.problem;
  }
  const { line, column } = lineColumnOfByte(file, offset);
  return new InputError(file, `line ${line}, column ${column}`, `not valid JSON: ${problem}`);
}

/** Line and column (in UTF-16 characters, as lineColumn) of a byte offset, reading the file in chunks. */
function lineColumnOfByte(file: string, offset: number): { line: number; column: number } {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let line = 1;
    let column = 1;
    let pos = 0;
    while (pos < offset) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, offset - pos), pos);
      if (n <= 0) break;
      for (let i = 0; i < n; i++) {
        const b = buf[i];
        if (b === 10) {
          line++;
          column = 1;
        } else if ((b & 0xc0) !== 0x80) column += b >= 0xf0 ? 2 : 1; // a character starts (astral: two UTF-16 units)
      }
      pos += n;
    }
    return { line, column };
  } finally {
    fs.closeSync(fd);
  }
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Finds the first syntax error in JSON text (Node's JSON.parse messages do not always carry a
 * position). A small recursive-descent scanner that mirrors JSON.parse's grammar.
 */
export function findJsonError(text: string): { offset: number; problem: string } {
  let i = 0;
  const n = text.length;
  class Stop {
    constructor(
      readonly offset: number,
      readonly problem: string,
    ) {}
  }
  const describe = (at: number): string => (at >= n ? 'end of file' : JSON.stringify(text[at]));
  const fail = (problem: string, at = i): never => {
    throw new Stop(at, problem);
  };
  const ws = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const str = (): void => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape in string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail('bad escape in string');
      } else if (c < 0x20) fail('control character in string (unescaped newline?)');
      else i++;
    }
    fail('unterminated string');
  };
  const num = (): void => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail(`unexpected ${describe(i)}`);
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    if (i >= n) fail('unexpected end of file, expected a value');
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${describe(i)}`);
        str();
        ws();
        if (text[i] !== ':') fail(`expected ':' after property name, found ${describe(i)}`);
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`expected ',' or '}' after property value, found ${describe(i)}`);
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`expected ',' or ']' after array element, found ${describe(i)}`);
      }
    } else if (c === '"') str();
    else if (c === '-' || (c >= '0' && c <= '9')) num();
    else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else fail(`unexpected ${describe(i)}`);
  };
  try {
    value();
    ws();
    if (i < n) fail(`unexpected ${describe(i)} after the JSON value`);
    return { offset: 0, problem: 'unparseable' };
  } catch (e) {
    if (e instanceof Stop) return { offset: e.offset, problem: e.problem };
    throw e;
  }
}
