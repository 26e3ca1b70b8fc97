/**
 * Time builtins over int64 nanoseconds since the epoch (kept exact as bigint beyond 2^53):
 * time.now_ns, parse_rfc3339_ns, parse_ns, parse_duration_ns, date, clock, weekday, add_date,
 * diff, format. Time zones: UTC, "" (UTC), "Local" and IANA names via Intl.
 */
import { isNumber, normNumber, type Value } from '../value';
import { def, fail, int, str, typeErr } from './util';
import type { BuiltinDef } from './types';

const NS_PER_MS = BigInt(1_000_000);
const INT64_MAX = BigInt('9223372036854775807');
const INT64_MIN = BigInt('-9223372036854775808');
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Broken-down wall time in a zone. */
interface Wall {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  min: number;
  sec: number;
  nsec: number;
  weekday: number;
  yday: number;
  offsetSec: number;
  zone: string;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== BigInt(0) && a < BigInt(0) !== b < BigInt(0) ? q - BigInt(1) : q;
}

function toNs(v: Value, pos: number): bigint {
  if (!isNumber(v)) return typeErr(pos, v, 'number');
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else if (Number.isInteger(v)) b = BigInt(v);
  else return fail('timestamp too big'); // OPA: not exactly an int64
  if (b > INT64_MAX || b < INT64_MIN) return fail('timestamp too big');
  return b;
}

function checkRange(ns: bigint): Value {
  if (ns > INT64_MAX || ns < INT64_MIN) return fail('time outside of valid range');
  return normNumber(ns);
}

function offsetSeconds(ms: number, tz: string): number {
  if (tz === 'UTC' || tz === '') return 0;
  if (tz === 'Local') return -new Date(ms).getTimezoneOffset() * 60;
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return fail(`unknown time zone ${tz}`);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(ms)))
    if (p.type !== 'literal' && p.type !== 'era') parts[p.type] = Number(p.value);
  const local = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((local - Math.floor(ms / 1000) * 1000) / 1000);
}

function wall(ns: bigint, tz: string): Wall {
  const msBig = floorDiv(ns, NS_PER_MS);
  const ms = Number(msBig);
  const nsec = Number(ns - floorDiv(ns, BigInt(1e9)) * BigInt(1e9));
  const off = offsetSeconds(ms, tz);
  const d = new Date(ms + off * 1000);
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    min: d.getUTCMinutes(),
    sec: d.getUTCSeconds(),
    nsec,
    weekday: d.getUTCDay(),
    yday: Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - start) / 86400000) + 1,
    offsetSec: off,
    zone: tz === '' || tz === 'UTC' ? 'UTC' : tz,
  };
}

/** The ns argument and zone of time.date/clock/weekday/format: `ns` or `[ns, tz]` (or `[ns, tz, layout]`). */
const TIME_ARG = 'either number (ns) or [number (ns), string (tz)]';

/** The ns argument and zone of time.date/clock/weekday/add_date/diff/format: `ns`, `[ns]`, `[ns, tz]` or `[ns, tz, layout]`. */
function nsAndZone(v: Value): { ns: bigint; tz: string; layout?: string } {
  if (Array.isArray(v)) {
    if (v.length === 0) return typeErr(1, v, TIME_ARG);
    const ns = toNs(v[0], 1);
    const tz = v.length > 1 ? (typeof v[1] === 'string' ? v[1] : typeErr(1, v[1], 'string')) : 'UTC';
    const layout = v.length > 2 ? (typeof v[2] === 'string' ? v[2] : typeErr(1, v[2], 'string')) : undefined;
    return { ns, tz, layout };
  }
  if (!isNumber(v)) return typeErr(1, v, TIME_ARG);
  return { ns: toNs(v, 1), tz: 'UTC' };
}

function fromWall(
  year: number,
  month: number,
  day: number,
  hour: number,
  min: number,
  sec: number,
  nsec: number,
  offsetSec: number,
): bigint {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, min, sec, 0);
  return BigInt(d.getTime() - offsetSec * 1000) * NS_PER_MS + BigInt(nsec);
}

// ---------------------------------------------------------------------------------------------
// Go layouts

const TOKENS = [
  'January',
  'Monday',
  '2006',
  '-07:00:00',
  'Z07:00:00',
  '-07:00',
  'Z07:00',
  '-0700',
  'Z0700',
  '-07',
  'Z07',
  'Jan',
  'Mon',
  'MST',
  '002',
  '__2',
  '01',
  '02',
  '_2',
  '03',
  '04',
  '05',
  '06',
  '15',
  'PM',
  'pm',
  '1',
  '2',
  '3',
  '4',
  '5',
];

type Tok = { lit: string } | { tok: string } | { frac: string };

function tokenize(layout: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let lit = '';
  while (i < layout.length) {
    const fm = /^[.,](0+|9+)(?!\d)/.exec(layout.slice(i));
    if (fm && /\d$/.test(layout.slice(0, i)) === true) {
      if (lit) out.push({ lit });
      lit = '';
      out.push({ frac: fm[0] });
      i += fm[0].length;
      continue;
    }
    const t = TOKENS.find((x) => layout.startsWith(x, i));
    if (t) {
      if (lit) out.push({ lit });
      lit = '';
      out.push({ tok: t });
      i += t.length;
    } else lit += layout[i++];
  }
  if (lit) out.push({ lit });
  return out;
}

const p2 = (n: number): string => String(n).padStart(2, '0');

function offsetText(off: number, tok: string): string {
  if (tok.startsWith('Z') && off === 0) return 'Z';
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  const h = p2(Math.floor(a / 3600));
  const m = p2(Math.floor((a % 3600) / 60));
  const s = p2(a % 60);
  const core = tok.replace(/^Z/, '-');
  if (core === '-07') return sign + h;
  if (core === '-0700') return sign + h + m;
  if (core === '-07:00') return `${sign}${h}:${m}`;
  return `${sign}${h}:${m}:${s}`;
}

export function formatTime(w: Wall, layout: string): string {
  let out = '';
  for (const t of tokenize(layout)) {
    if ('lit' in t) out += t.lit;
    else if ('frac' in t) {
      const digits = t.frac.length - 1;
      let f = String(w.nsec).padStart(9, '0').slice(0, digits);
      if (t.frac[1] === '9') {
        f = f.replace(/0+$/, '');
        if (f) out += t.frac[0] + f;
      } else out += t.frac[0] + f;
    } else {
      const h12 = w.hour % 12 === 0 ? 12 : w.hour % 12;
      switch (t.tok) {
        case 'January':
          out += MONTHS[w.month - 1];
          break;
        case 'Jan':
          out += MONTHS[w.month - 1].slice(0, 3);
          break;
        case 'Monday':
          out += DAYS[w.weekday];
          break;
        case 'Mon':
          out += DAYS[w.weekday].slice(0, 3);
          break;
        case '2006':
          out += String(w.year).padStart(4, '0');
          break;
        case '06':
          out += p2(w.year % 100);
          break;
        case '01':
          out += p2(w.month);
          break;
        case '1':
          out += String(w.month);
          break;
        case '02':
          out += p2(w.day);
          break;
        case '2':
          out += String(w.day);
          break;
        case '_2':
          out += String(w.day).padStart(2, ' ');
          break;
        case '002':
          out += String(w.yday).padStart(3, '0');
          break;
        case '__2':
          out += String(w.yday).padStart(3, ' ');
          break;
        case '15':
          out += p2(w.hour);
          break;
        case '03':
          out += p2(h12);
          break;
        case '3':
          out += String(h12);
          break;
        case '04':
          out += p2(w.min);
          break;
        case '4':
          out += String(w.min);
          break;
        case '05':
          out += p2(w.sec);
          break;
        case '5':
          out += String(w.sec);
          break;
        case 'PM':
          out += w.hour >= 12 ? 'PM' : 'AM';
          break;
        case 'pm':
          out += w.hour >= 12 ? 'pm' : 'am';
          break;
        case 'MST':
          out += w.offsetSec === 0 ? 'UTC' : offsetText(w.offsetSec, '-0700');
          break;
        default:
          out += offsetText(w.offsetSec, t.tok);
      }
    }
  }
  return out;
}

function parseErr(layout: string, value: string, why = ''): never {
  return fail(
    `parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(value)}${why ? ' ' + why : ''}`,
  );
}

/** Go's time.Parse for the common layout elements. */
export function parseTime(layout: string, value: string): bigint {
  let i = 0;
  let year = 1;
  let month = 1;
  let day = 1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let pm: boolean | undefined;
  let off = 0;
  const num = (min: number, max: number): number => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(value.slice(i));
    if (!m) parseErr(layout, value);
    i += m[0].length;
    return Number(m[0]);
  };
  const word = (list: string[], len?: number): number => {
    const idx = list.findIndex(
      (w) =>
        value.slice(i, i + (len ?? w.length)).toLowerCase() === (len ? w.slice(0, len) : w).toLowerCase(),
    );
    if (idx < 0) parseErr(layout, value);
    i += len ?? list[idx].length;
    return idx;
  };
  const toks = tokenize(layout);
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if ('lit' in t) {
      if (!value.startsWith(t.lit, i)) parseErr(layout, value);
      i += t.lit.length;
      continue;
    }
    if ('frac' in t) {
      const m = /^[.,](\d+)/.exec(value.slice(i));
      if (m) {
        nsec = Number(m[1].slice(0, 9).padEnd(9, '0'));
        i += m[0].length;
      } else if (t.frac[1] === '0') parseErr(layout, value);
      continue;
    }
    switch (t.tok) {
      case 'January':
        month = word(MONTHS) + 1;
        break;
      case 'Jan':
        month = word(MONTHS, 3) + 1;
        break;
      case 'Monday':
        word(DAYS);
        break;
      case 'Mon':
        word(DAYS, 3);
        break;
      case '2006':
        year = num(4, 4);
        break;
      case '06': {
        const y = num(2, 2);
        year = y >= 69 ? 1900 + y : 2000 + y;
        break;
      }
      case '01':
        month = num(2, 2);
        break;
      case '1':
        month = num(1, 2);
        break;
      case '02':
        day = num(2, 2);
        break;
      case '2':
        day = num(1, 2);
        break;
      case '_2':
        if (value[i] === ' ') i++;
        day = num(1, 2);
        break;
      case '002':
      case '__2':
        num(3, 3);
        break;
      case '15':
        hour = num(1, 2);
        break;
      case '03':
        hour = num(2, 2);
        break;
      case '3':
        hour = num(1, 2);
        break;
      case '04':
        min = num(2, 2);
        break;
      case '4':
        min = num(1, 2);
        break;
      case '05':
      case '5': {
        sec = num(t.tok === '05' ? 2 : 1, 2);
        // Go accepts fractional seconds after the seconds field even when the layout has none
        const m = /^[.,](\d+)/.exec(value.slice(i));
        if (m && !('frac' in (toks[k + 1] ?? { lit: '' }))) {
          nsec = Number(m[1].slice(0, 9).padEnd(9, '0'));
          i += m[0].length;
        }
        break;
      }
      case 'PM':
      case 'pm': {
        const s = value.slice(i, i + 2).toUpperCase();
        if (s !== 'AM' && s !== 'PM') parseErr(layout, value);
        pm = s === 'PM';
        i += 2;
        break;
      }
      case 'MST': {
        const m = /^[A-Z]{3,5}/.exec(value.slice(i));
        if (!m) parseErr(layout, value);
        i += m[0].length;
        break;
      }
      default: {
        if (t.tok.startsWith('Z') && (value[i] === 'Z' || value[i] === 'z')) {
          i++;
          off = 0;
          break;
        }
        const m = /^([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?/.exec(value.slice(i));
        if (!m) parseErr(layout, value);
        off = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0));
        i += m[0].length;
      }
    }
  }
  if (i !== value.length)
    fail(`parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(value.slice(i))}`);
  if (pm !== undefined) {
    if (pm && hour < 12) hour += 12;
    if (!pm && hour === 12) hour = 0;
  }
  if (month < 1 || month > 12) fail(`parsing time ${JSON.stringify(value)}: month out of range`);
  // Go's time.Parse refuses a day the month does not have ("2026-02-30"), rather than rolling over
  if (day < 1 || day > daysIn(year, month) || hour > 23 || min > 59 || sec > 59)
    fail(`parsing time ${JSON.stringify(value)}: day out of range`);
  return fromWall(year, month, day, hour, min, sec, nsec, off);
}

const RFC3339 = '2006-01-02T15:04:05Z07:00';
const RFC3339_NANO = '2006-01-02T15:04:05.999999999Z07:00';

const LAYOUTS: Record<string, string> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339,
  RFC3339Nano: RFC3339_NANO,
  Kitchen: '3:04PM',
  Stamp: 'Jan _2 15:04:05',
  StampMilli: 'Jan _2 15:04:05.000',
  StampMicro: 'Jan _2 15:04:05.000000',
  StampNano: 'Jan _2 15:04:05.000000000',
  DateTime: '2006-01-02 15:04:05',
  DateOnly: '2006-01-02',
  TimeOnly: '15:04:05',
};

const UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

function parseDuration(s: string): bigint {
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(s);
  if (!m && s !== '0') return fail(`time: invalid duration ${JSON.stringify(s)}`);
  if (s === '0') return BigInt(0);
  let total = 0;
  for (const part of s.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g))
    total += Number(part[1]) * UNITS[part[2]];
  return BigInt(Math.round(s.startsWith('-') ? -total : total));
}

/** Days of a month in the proleptic Gregorian calendar (any year, 0 and negative ones included). */
function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

export const time: BuiltinDef[] = [
  def('time.now_ns', 0, (_args, ctx) => normNumber(ctx.nowNs())),
  def('time.parse_rfc3339_ns', 1, (args) => {
    const s = str(args, 0);
    if (!/^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s)) {
      return fail(
        `parsing time ${JSON.stringify(s)} as ${JSON.stringify(RFC3339)}: cannot parse ${JSON.stringify(s)} as ${JSON.stringify('2006')}`,
      );
    }
    return checkRange(parseTime(RFC3339, s.replace('t', 'T')));
  }),
  def('time.parse_ns', 2, (args) => {
    const layout = str(args, 0);
    return checkRange(parseTime(LAYOUTS[layout] ?? layout, str(args, 1)));
  }),
  def('time.parse_duration_ns', 1, (args) => normNumber(parseDuration(str(args, 0)))),
  def('time.date', 1, ([v]) => {
    const { ns, tz } = nsAndZone(v);
    const w = wall(ns, tz);
    return [w.year, w.month, w.day];
  }),
  def('time.clock', 1, ([v]) => {
    const { ns, tz } = nsAndZone(v);
    const w = wall(ns, tz);
    return [w.hour, w.min, w.sec];
  }),
  def('time.weekday', 1, ([v]) => {
    const { ns, tz } = nsAndZone(v);
    return DAYS[wall(ns, tz).weekday];
  }),
  def('time.add_date', 4, (args) => {
    const { ns, tz } = nsAndZone(args[0]);
    const y = int(args, 1);
    const m = int(args, 2);
    const d = int(args, 3);
    const w = wall(ns, tz);
    if (Math.abs(w.year + y) > 200000) return fail('time outside of valid range');
    // Go's AddDate keeps the wall clock in the zone; the offset may change (DST), so recompute it once
    const guess = fromWall(w.year + y, w.month + m, w.day + d, w.hour, w.min, w.sec, w.nsec, w.offsetSec);
    const off = tz === 'UTC' || tz === '' ? 0 : offsetSeconds(Number(floorDiv(guess, NS_PER_MS)), tz);
    return checkRange(fromWall(w.year + y, w.month + m, w.day + d, w.hour, w.min, w.sec, w.nsec, off));
  }),
  def('time.diff', 2, ([a, b]) => {
    const x = nsAndZone(a);
    const y = nsAndZone(b);
    // both in the first argument's zone, as OPA does
    let t1 = wall(x.ns, x.tz);
    let t2 = wall(y.ns, x.tz);
    if (x.ns > y.ns) [t1, t2] = [t2, t1];
    let years = t2.year - t1.year;
    let months = t2.month - t1.month;
    let days = t2.day - t1.day;
    let hours = t2.hour - t1.hour;
    let mins = t2.min - t1.min;
    let secs = t2.sec - t1.sec;
    if (secs < 0) {
      secs += 60;
      mins--;
    }
    if (mins < 0) {
      mins += 60;
      hours--;
    }
    if (hours < 0) {
      hours += 24;
      days--;
    }
    if (days < 0) {
      days += daysIn(t1.year, t1.month); // the earlier time's month, as OPA (icza/gox) does
      months--;
    }
    if (months < 0) {
      months += 12;
      years--;
    }
    return [years, months, days, hours, mins, secs];
  }),
  def('time.format', 1, ([v]) => {
    const { ns, tz, layout } = nsAndZone(v);
    return formatTime(wall(ns, tz), layout === undefined ? RFC3339_NANO : (LAYOUTS[layout] ?? layout));
  }),
];
