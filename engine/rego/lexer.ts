/** Rego lexer: tokens with file:row:col and a flag for a preceding newline; comments are kept. */
import { RegoError } from './errors';

export type TokenKind = 'ident' | 'string' | 'number' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifier name, punctuation text, number text, or the decoded string. */
  text: string;
  row: number;
  col: number;
  /** A newline separates this token from the previous one. */
  nl: boolean;
  /** For strings: written with backquotes. */
  raw?: boolean;
}

export interface Comment {
  text: string; // without the leading '#'
  row: number;
  col: number;
}

const PUNCT3 = new Set<string>([]);
const PUNCT2 = new Set([':=', '==', '!=', '<=', '>=']);
const PUNCT1 = new Set(['{', '}', '[', ']', '(', ')', '.', ',', ';', ':', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|']);

export function tokenize(src: string, file: string): { tokens: Token[]; comments: Comment[] } {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  let i = 0;
  let row = 1;
  let lineStart = 0;
  let nl = true;
  const n = src.length;
  const err = (msg: string, r = row, c = i - lineStart + 1): RegoError => new RegoError('rego_parse_error', msg, { file, row: r, col: c });
  while (i < n) {
    const ch = src.charCodeAt(i);
    if (ch === 10) {
      i++;
      row++;
      lineStart = i;
      nl = true;
      continue;
    }
    if (ch === 32 || ch === 9 || ch === 13) {
      i++;
      continue;
    }
    const col = i - lineStart + 1;
    if (ch === 35) {
      // '#'
      let j = i + 1;
      while (j < n && src.charCodeAt(j) !== 10) j++;
      comments.push({ text: src.slice(i + 1, j).replace(/\r$/, ''), row, col });
      i = j;
      continue;
    }
    if (isIdentStart(ch)) {
      let j = i + 1;
      while (j < n && isIdentPart(src.charCodeAt(j))) j++;
      tokens.push({ kind: 'ident', text: src.slice(i, j), row, col, nl });
      nl = false;
      i = j;
      continue;
    }
    if (ch >= 48 && ch <= 57) {
      const m = /^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i, i + 400));
      if (!m) throw err('illegal number');
      let j = i + m[0].length;
      if (j < n && (isIdentPart(src.charCodeAt(j)) || src[j] === '.')) {
        // e.g. 01 or 1.a
        while (j < n && (isIdentPart(src.charCodeAt(j)) || src[j] === '.')) j++;
        throw err(`illegal number format: ${src.slice(i, j)}`, row, col);
      }
      tokens.push({ kind: 'number', text: m[0], row, col, nl });
      nl = false;
      i = j;
      continue;
    }
    if (ch === 34) {
      // "..."
      let j = i + 1;
      let out = '';
      for (;;) {
        if (j >= n || src.charCodeAt(j) === 10) throw err('non-terminated string', row, col);
        const c = src[j];
        if (c === '"') break;
        if (c === '\\') {
          const e = src[j + 1];
          switch (e) {
            case '"':
            case '\\':
            case '/':
              out += e;
              j += 2;
              break;
            case 'b':
              out += '\b';
              j += 2;
              break;
            case 'f':
              out += '\f';
              j += 2;
              break;
            case 'n':
              out += '\n';
              j += 2;
              break;
            case 'r':
              out += '\r';
              j += 2;
              break;
            case 't':
              out += '\t';
              j += 2;
              break;
            case 'u': {
              const hex = src.slice(j + 2, j + 6);
              if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw err('illegal escape sequence in string', row, j - lineStart + 1);
              out += String.fromCharCode(parseInt(hex, 16));
              j += 6;
              break;
            }
            default:
              throw err('illegal escape sequence in string', row, j - lineStart + 1);
          }
          continue;
        }
        out += c;
        j++;
      }
      tokens.push({ kind: 'string', text: out, row, col, nl });
      nl = false;
      i = j + 1;
      continue;
    }
    if (ch === 96) {
      // `raw`
      const j = src.indexOf('`', i + 1);
      if (j < 0) throw err('non-terminated raw string', row, col);
      const text = src.slice(i + 1, j);
      tokens.push({ kind: 'string', text, row, col, nl, raw: true });
      nl = false;
      for (let k = i; k < j; k++) {
        if (src.charCodeAt(k) === 10) {
          row++;
          lineStart = k + 1;
        }
      }
      i = j + 1;
      continue;
    }
    const three = src.slice(i, i + 3);
    if (PUNCT3.has(three)) {
      tokens.push({ kind: 'punct', text: three, row, col, nl });
      nl = false;
      i += 3;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (PUNCT2.has(two)) {
      tokens.push({ kind: 'punct', text: two, row, col, nl });
      nl = false;
      i += 2;
      continue;
    }
    const one = src[i];
    if (PUNCT1.has(one)) {
      tokens.push({ kind: 'punct', text: one, row, col, nl });
      nl = false;
      i += 1;
      continue;
    }
    throw err(`illegal token ${JSON.stringify(one)}`, row, col);
  }
  tokens.push({ kind: 'eof', text: '', row, col: i - lineStart + 1, nl: true });
  return { tokens, comments };
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}
