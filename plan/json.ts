/**
 * Reading JSON files for users: decodes UTF-8 (with or without a BOM) and UTF-16 (a PowerShell
 * `>` redirect writes UTF-16LE with a BOM), and turns a syntax error into an InputError that
 * says where: line and column.
 */
import * as fs from 'node:fs';
import { InputError } from './errors';

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
  return parseJsonText(readTextFile(file), file);
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
