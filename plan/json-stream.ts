/**
 * Reads a large JSON file without building one string of the whole text: V8 refuses strings
 * beyond 2^29 − 24 characters (about 512 MiB), and the text would double the memory a plan
 * needs while it is parsed. The file is read in chunks; containers of up to `leafBytes` are
 * handed to JSON.parse whole (a resource change, a module of planned values), larger ones are
 * walked member by member, so JSON.parse does almost all the work on pieces of bounded size.
 * The result is the value JSON.parse would give for the whole text (same key order, same
 * numbers, same duplicate-key rule: the last one wins).
 *
 * It also records, as it passes, the line of the first `"address": "<x>"` of every address
 * (what a report needs for the location of a finding), so nothing reads the text a second time.
 * A syntax error is reported with the byte offset of the piece that failed; the caller turns it
 * into a line and column (see json.ts).
 */
import { closeSync, openSync, readSync } from 'node:fs';

export interface StreamedJson {
  readonly value: unknown;
  /** First line (1-based) of `"address": "<address>"` in the file, per address. */
  readonly addressLines: ReadonlyMap<string, number>;
}

/** A syntax error at a byte offset of the file; `slice` is the text JSON.parse refused, if any. */
export class JsonStreamError extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
    readonly slice?: string,
  ) {
    super(problem);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const NL = 0x0a;
const ADDRESS_KEY = Buffer.from('"address"');

export interface StreamOptions {
  /** Bytes read per read(2) call. */
  readonly chunkBytes?: number;
  /** Containers up to this size are parsed by one JSON.parse. */
  readonly leafBytes?: number;
}

/** Reads and parses `file` (UTF-8, with or without a BOM). Throws JsonStreamError on bad JSON. */
export function readJsonStream(file: string, opts: StreamOptions = {}): StreamedJson {
  const chunkBytes = opts.chunkBytes ?? 8 << 20;
  const leafBytes = opts.leafBytes ?? 1 << 20;
  const fd = openSync(file, 'r');
  try {
    return new Reader(fd, chunkBytes, leafBytes).read();
  } finally {
    closeSync(fd);
  }
}

class Reader {
  /** bytes [0, end) of `buf` hold file bytes [base, base + end) */
  private buf: Buffer;
  private end = 0;
  private base = 0;
  private eof = false;
  /** read position (index into buf) */
  private p = 0;
  private readonly addresses = new AddressScanner();

  constructor(
    private readonly fd: number,
    private readonly chunkBytes: number,
    private readonly leafBytes: number,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(chunkBytes, leafBytes) * 2 + 16);
  }

  read(): StreamedJson {
    this.fill(3);
    if (this.end >= 3 && this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) this.p = 3;
    const value = this.value();
    this.ws();
    if (this.p < this.end || !this.eof) this.fail(`unexpected ${this.describe()} after the JSON value`);
    this.addresses.scan(this.buf, this.base, this.base + this.end, this.end, true);
    return { value, addressLines: this.addresses.lines };
  }

  /** Makes at least `n` bytes available from p (fewer at the end of the file). */
  private fill(n: number): void {
    if (this.end - this.p >= n || this.eof) return;
    // bytes before p are parsed: record the addresses in them, then drop them (but for an
    // address match the scan could not finish yet)
    this.addresses.scan(this.buf, this.base, this.base + this.p, this.end, this.eof);
    const keep = Math.min(this.p, this.addresses.scannedTo - this.base);
    if (keep > 0) {
      this.buf.copy(this.buf, 0, keep, this.end);
      this.base += keep;
      this.end -= keep;
      this.p -= keep;
    }
    if (this.end + n > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.end + n + this.chunkBytes));
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    while (this.end - this.p < n && !this.eof) {
      const want = Math.min(this.buf.length - this.end, Math.max(this.chunkBytes, n));
      const got = readSync(this.fd, this.buf, this.end, want, null);
      if (got <= 0) this.eof = true;
      else this.end += got;
    }
  }

  /** The character at p, as findJsonError (json.ts) names it: `"x"`, or end of file. */
  private describe(): string {
    if (this.p >= this.end) return 'end of file';
    const b = this.buf[this.p];
    const len = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    this.fill(len);
    return JSON.stringify(this.buf.toString('utf8', this.p, this.p + len));
  }

  private fail(problem: string, at = this.p): never {
    throw new JsonStreamError(this.base + at, problem);
  }

  private ws(): void {
    for (;;) {
      this.fill(1);
      const buf = this.buf;
      while (this.p < this.end && isWs(buf[this.p])) this.p++;
      if (this.p < this.end || this.eof) return;
    }
  }

  private value(): unknown {
    this.ws();
    if (this.p >= this.end) this.fail('unexpected end of file, expected a value');
    const c = this.buf[this.p];
    if (c === LBRACE || c === LBRACKET) {
      this.fill(this.leafBytes);
      const close = containerEnd(this.buf, this.p, Math.min(this.end, this.p + this.leafBytes));
      if (close >= 0) return this.parseSlice(this.p, close + 1);
      return c === LBRACE ? this.object() : this.array();
    }
    return this.scalar();
  }

  private parseSlice(from: number, to: number): unknown {
    const text = this.buf.toString('utf8', from, to);
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      throw new JsonStreamError(this.base + from, (e as Error).message, text);
    }
    this.p = to;
    return v;
  }

  private scalar(): unknown {
    const buf = this.buf;
    if (buf[this.p] === QUOTE) return this.stringToken();
    // numbers and literals: up to the next delimiter
    let i = this.p;
    for (;;) {
      while (i < this.end && !isDelimiter(buf[i])) i++;
      if (i < this.end || this.eof) break;
      const offset = i - this.p;
      this.fill(offset + 64);
      i = this.p + offset;
    }
    return this.parseSlice(this.p, i);
  }

  private stringToken(): string {
    for (;;) {
      const close = stringEnd(this.buf, this.p, this.end);
      if (close >= 0) return this.parseSlice(this.p, close + 1) as string;
      if (this.eof) this.fail('unterminated string', this.end);
      this.fill(this.end - this.p + this.chunkBytes);
    }
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.p++; // {
    this.ws();
    if (this.buf[this.p] === RBRACE) {
      this.p++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.buf[this.p] !== QUOTE) this.fail(`expected a property name in double quotes, found ${this.describe()}`);
      const key = this.stringToken();
      this.ws();
      if (this.buf[this.p] !== COLON) this.fail(`expected ':' after property name, found ${this.describe()}`);
      this.p++;
      const v = this.value();
      // as JSON.parse: a later duplicate wins, and __proto__ is an own property
      Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
      this.ws();
      const c = this.buf[this.p];
      if (c === COMMA) {
        this.p++;
        continue;
      }
      if (c === RBRACE) {
        this.p++;
        return out;
      }
      this.fail(`expected ',' or '}' after property value, found ${this.describe()}`);
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.p++; // [
    this.ws();
    if (this.buf[this.p] === RBRACKET) {
      this.p++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.buf[this.p];
      if (c === COMMA) {
        this.p++;
        continue;
      }
      if (c === RBRACKET) {
        this.p++;
        return out;
      }
      this.fail(`expected ',' or ']' after array element, found ${this.describe()}`);
    }
  }
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isDelimiter(c: number): boolean {
  return c === COMMA || c === RBRACE || c === RBRACKET || isWs(c);
}

/** Index of the closing quote of the string starting at `at`, or -1 if not within [at, end). */
function stringEnd(buf: Buffer, at: number, end: number): number {
  // most strings (keys, short values) end within a few bytes: a plain loop is cheaper there
  // than a call into Buffer.indexOf
  const near = Math.min(end, at + 24);
  let i = at + 1;
  for (; i < near; i++) {
    const c = buf[i];
    if (c === QUOTE) return i;
    if (c === BACKSLASH) {
      i++;
      continue;
    }
  }
  if (i > near) i = near + 1; // an escape at the edge skipped one byte past `near`
  for (;;) {
    const q = buf.indexOf(QUOTE, i);
    if (q < 0 || q >= end) return -1;
    // escaped when preceded by an odd number of backslashes
    let b = q - 1;
    while (b > at && buf[b] === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q;
    i = q + 1;
  }
}

/** Byte classes for containerEnd: 1 opens, 2 closes, 3 starts a string. */
const CLASS = new Uint8Array(256);
CLASS[LBRACE] = 1;
CLASS[LBRACKET] = 1;
CLASS[RBRACE] = 2;
CLASS[RBRACKET] = 2;
CLASS[QUOTE] = 3;

/** Index of the bracket closing the container that opens at `at`, or -1 if not before `limit`. */
function containerEnd(buf: Buffer, at: number, limit: number): number {
  let depth = 0;
  let i = at;
  while (i < limit) {
    const k = CLASS[buf[i]];
    if (k === 0) {
      i++;
      continue;
    }
    if (k === 3) {
      const close = stringEnd(buf, i, limit);
      if (close < 0) return -1;
      i = close + 1;
      continue;
    }
    if (k === 1) depth++;
    else if (--depth === 0) return i;
    i++;
  }
  return -1;
}

/**
 * Finds the first `"address": "<x>"` of each address and its line, over bytes given in order
 * (the whole file at once, or chunk by chunk as the reader drops what it has parsed).
 */
export class AddressScanner {
  /** address → 1-based line of its first occurrence */
  readonly lines = new Map<string, number>();
  /** file offset up to which bytes are scanned (bytes from here on must still be given) */
  scannedTo = 0;
  /** newlines in the file before `lineAt` (a file offset) */
  private newlines = 0;
  private lineAt = 0;
  private buf: Buffer = Buffer.alloc(0);
  private base = 0;

  /**
   * Records the first `"address": "<x>"` of each address in file bytes [scannedTo, upTo) and
   * counts lines up to there. A match whose text is not all read yet is left for the next call.
   */
  scan(buf: Buffer, base: number, upTo: number, end: number, eof: boolean): void {
    this.buf = buf;
    this.base = base;
    let from = this.scannedTo - base;
    const stop = upTo - base;
    let resume = stop;
    while (from < stop) {
      const at = buf.indexOf(ADDRESS_KEY, from);
      if (at < 0 || at >= stop) break;
      // "address" <ws> : <ws> "<string>"
      let i = at + ADDRESS_KEY.length;
      while (i < end && isWs(buf[i])) i++;
      if (i < end && buf[i] === COLON) {
        i++;
        while (i < end && isWs(buf[i])) i++;
      }
      if (i >= end && !eof) {
        resume = at;
        break;
      }
      if (!this.hasColonBetween(at + ADDRESS_KEY.length, i) || buf[i] !== QUOTE) {
        from = at + 1;
        continue;
      }
      const close = stringEnd(buf, i, end);
      if (close < 0) {
        if (!eof) {
          resume = at;
          break;
        }
        from = at + 1;
        continue;
      }
      this.countLinesTo(this.base + at);
      let address: string | undefined;
      try {
        address = JSON.parse(buf.toString('utf8', i, close + 1)) as string;
      } catch {
        address = undefined;
      }
      if (address !== undefined && !this.lines.has(address)) this.lines.set(address, this.newlines + 1);
      from = close + 1;
    }
    const to = base + Math.max(resume, Math.min(from, stop));
    if (to > this.scannedTo) {
      this.countLinesTo(to);
      this.scannedTo = to;
    }
  }

  /** Whether bytes [from, to) are whitespace around exactly one ':'. */
  private hasColonBetween(from: number, to: number): boolean {
    let colons = 0;
    for (let k = from; k < to; k++) {
      const c = this.buf[k];
      if (c === COLON) colons++;
      else if (!isWs(c)) return false;
    }
    return colons === 1;
  }

  /** Counts the newlines up to file offset `at` (never before lineAt). */
  private countLinesTo(at: number): void {
    if (at <= this.lineAt) return;
    const region = this.buf.subarray(this.lineAt - this.base, at - this.base);
    let i = region.indexOf(NL);
    while (i >= 0) {
      this.newlines++;
      i = region.indexOf(NL, i + 1);
    }
    this.lineAt = at;
  }
}
