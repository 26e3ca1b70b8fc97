/**
 * sprintf with Go's fmt semantics for the verbs OPA users write (%v %s %d %f %e %g %q %x %X %o %b
 * %t %c %%, flags `+-# 0`, width and precision), given arguments converted as OPA converts them:
 * integers as Go ints (big ones as *big.Int), other numbers as float64, strings as strings, and
 * every other value as its Rego text.
 */
import { formatValue, isObject, RSet, type Value } from '../value';

type Arg =
  | { kind: 'int'; v: bigint; big: boolean }
  | { kind: 'float'; v: number }
  | { kind: 'string'; v: string }
  | { kind: 'bool'; v: boolean; text: string }
  | { kind: 'other'; text: string };

const INT64_MAX = BigInt('9223372036854775807');
const INT64_MIN = BigInt('-9223372036854775808');

export function toArg(v: Value): Arg {
  // integers beyond 2^53 that are exact are bigint in the value model; a float-valued JS number is a float
  if (typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v))) {
    const b = BigInt(v);
    return { kind: 'int', v: b, big: b > INT64_MAX || b < INT64_MIN };
  }
  if (typeof v === 'number') return { kind: 'float', v };
  if (typeof v === 'string') return { kind: 'string', v };
  if (typeof v === 'boolean') return { kind: 'bool', v, text: String(v) };
  return { kind: 'other', text: formatValue(v) };
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  if (spec.width === undefined || s.length >= spec.width) return s;
  const n = spec.width - [...s].length;
  if (n <= 0) return s;
  if (spec.minus) return s + ' '.repeat(n);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? s[0] : '';
    const rest = sign ? s.slice(1) : s;
    return sign + '0'.repeat(n) + rest;
  }
  if (spec.zero && !numeric) return '0'.repeat(n) + s;
  return ' '.repeat(n) + s;
}

function sign(neg: boolean, spec: Spec): string {
  return neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
}

function fmtInt(v: bigint, base: number, upper: boolean, spec: Spec, verb: string): string {
  const neg = v < BigInt(0);
  let digits = (neg ? -v : v).toString(base);
  if (upper) digits = digits.toUpperCase();
  if (spec.prec !== undefined && digits.length < spec.prec)
    digits = '0'.repeat(spec.prec - digits.length) + digits;
  if (spec.prec === 0 && v === BigInt(0)) digits = '';
  let prefix = '';
  if (spec.sharp) {
    if (base === 16) prefix = upper ? '0X' : '0x';
    else if (base === 8 && !digits.startsWith('0')) prefix = '0';
    else if (base === 2) prefix = '0b';
  }
  if (verb === 'O') prefix = '0o';
  const s = sign(neg, spec) + prefix + digits;
  return pad(s, { ...spec, zero: spec.zero && spec.prec === undefined }, true);
}

/** Go's %e exponent: at least two digits. */
function goExp(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Go's %v for a float64: strconv.FormatFloat(f, 'g', -1, 64), i.e. the shortest digits, in
 * exponent form when the exponent is below -4 or at least 6 (fmt.Sprint(1234567.5) = "1.2345675e+06"). */
export function goFloatV(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const e = f.toExponential(); // shortest round-trip digits, e.g. "1.2345675e+6"
  const exp = Number(e.slice(e.indexOf('e') + 1));
  if (exp < -4 || exp >= 21 || exp >= 6) return goExp(e);
  const s = String(f);
  // JS switches to exponent form below 1e-6; Go at 1e-4 (handled above), so expand
  return s.includes('e') ? f.toFixed(-exp + e.slice(0, e.indexOf('e')).replace(/^-?\d\.?/, '').length) : s;
}

function fmtFloat(f: number, verb: string, spec: Spec): string {
  if (!Number.isFinite(f)) {
    const s = Number.isNaN(f) ? (spec.plus ? '+NaN' : 'NaN') : f > 0 ? '+Inf' : '-Inf'; // Go keeps the sign of infinities
    return pad(s, { ...spec, zero: false }, true);
  }
  const neg = f < 0 || Object.is(f, -0);
  const a = Math.abs(f);
  let body: string;
  switch (verb) {
    case 'f':
    case 'F':
      body = a.toFixed(spec.prec ?? 6);
      break;
    case 'e':
    case 'E':
      body = goExp(a.toExponential(spec.prec ?? 6));
      if (verb === 'E') body = body.toUpperCase();
      break;
    case 'g':
    case 'G':
      if (spec.prec === undefined) body = goFloatV(a);
      else {
        const p = spec.prec === 0 ? 1 : spec.prec;
        const exp = a === 0 ? 0 : Math.floor(Math.log10(a));
        body =
          exp < -4 || exp >= p
            ? goExp(a.toExponential(p - 1).replace(/\.?0+e/, 'e'))
            : String(Number(a.toPrecision(p)));
      }
      if (verb === 'G') body = body.toUpperCase();
      break;
    default:
      body = goFloatV(a);
  }
  return pad(sign(neg, spec) + body, spec, true);
}

function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

function goTypeName(a: Arg): string {
  switch (a.kind) {
    case 'int':
      return a.big ? '*big.Int' : 'int';
    case 'float':
      return 'float64';
    default:
      return 'string';
  }
}

function rawText(a: Arg): string {
  switch (a.kind) {
    case 'int':
      return a.v.toString();
    case 'float':
      return goFloatV(a.v);
    case 'string':
      return a.v;
    case 'bool':
      return a.text;
    default:
      return a.text;
  }
}

function bad(verb: string, a: Arg): string {
  return `%!${verb}(${goTypeName(a)}=${rawText(a)})`;
}

function hexString(s: string, upper: boolean, spec: Spec): string {
  let h = Buffer.from(s, 'utf8').toString('hex');
  if (upper) h = h.toUpperCase();
  return pad(h, spec, false);
}

function formatOne(verb: string, a: Arg, spec: Spec): string {
  const isText = a.kind === 'string' || a.kind === 'bool' || a.kind === 'other';
  const text = a.kind === 'string' ? a.v : a.kind === 'bool' || a.kind === 'other' ? a.text : '';
  switch (verb) {
    case 'v':
      if (a.kind === 'int') return fmtInt(a.v, 10, false, spec, verb);
      if (a.kind === 'float') return fmtFloat(a.v, 'v', spec);
      return pad(text, spec, false);
    case 's':
      if (isText)
        return pad(spec.prec !== undefined ? [...text].slice(0, spec.prec).join('') : text, spec, false);
      if (a.kind === 'int' && a.big) return fmtInt(a.v, 10, false, spec, verb);
      return bad(verb, a);
    case 'q':
      if (isText) return pad(quote(text), spec, false);
      if (a.kind === 'int' && !a.big)
        return pad(quote(String.fromCodePoint(Number(a.v))).replace(/^"|"$/g, "'"), spec, false);
      return bad(verb, a);
    case 't':
      if (a.kind === 'bool') return pad(a.text, spec, false);
      return bad(verb, a);
    case 'd':
      if (a.kind === 'int') return fmtInt(a.v, 10, false, spec, verb);
      return bad(verb, a);
    case 'b':
    case 'o':
    case 'O':
      if (a.kind === 'int') return fmtInt(a.v, verb === 'b' ? 2 : 8, false, spec, verb);
      return bad(verb, a);
    case 'x':
    case 'X':
      if (a.kind === 'int') return fmtInt(a.v, 16, verb === 'X', spec, verb);
      if (isText) return hexString(text, verb === 'X', spec);
      return bad(verb, a);
    case 'c':
      if (a.kind === 'int' && !a.big) return pad(String.fromCodePoint(Number(a.v)), spec, false);
      return bad(verb, a);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      if (a.kind === 'float') return fmtFloat(a.v, verb, spec);
      if (a.kind === 'int') return bad(verb, a);
      return bad(verb, a);
    default:
      return `%!${verb}(${goTypeName(a)}=${rawText(a)})`;
  }
}

/** Go's fmt.Sprintf over OPA-converted arguments. */
export function sprintf(format: string, values: Value[]): string {
  const args = values.map(toArg);
  let out = '';
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const ch = format[i];
    if (ch !== '%') {
      out += ch;
      i++;
      continue;
    }
    i++;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };
    for (; i < format.length; i++) {
      const f = format[i];
      if (f === '-') spec.minus = true;
      else if (f === '+') spec.plus = true;
      else if (f === '#') spec.sharp = true;
      else if (f === ' ') spec.space = true;
      else if (f === '0') spec.zero = !spec.minus;
      else break;
    }
    let w = '';
    if (format[i] === '*') {
      const a = args[argi++];
      spec.width = a && a.kind === 'int' ? Number(a.v) : undefined;
      i++;
    } else while (i < format.length && /\d/.test(format[i])) w += format[i++];
    if (w) spec.width = Number(w);
    if (format[i] === '.') {
      i++;
      let p = '';
      if (format[i] === '*') {
        const a = args[argi++];
        p = a && a.kind === 'int' ? String(a.v) : '0';
        i++;
      } else while (i < format.length && /\d/.test(format[i])) p += format[i++];
      spec.prec = p ? Number(p) : 0;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = format[i++];
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatOne(verb, args[argi++], spec);
  }
  if (argi < args.length) {
    out +=
      '%!(EXTRA ' +
      args
        .slice(argi)
        .map((a) => `${goTypeName(a)}=${rawText(a)}`)
        .join(', ') +
      ')';
  }
  return out;
}

export function isComposite(v: Value): boolean {
  return Array.isArray(v) || v instanceof RSet || isObject(v);
}
