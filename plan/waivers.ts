/**
 * Loads waivers (`waivers.yaml`, DESIGN.md "Waivers"): validated against
 * policies/data/waivers.schema.json (rule id, resource, non-empty reason and approver, an ISO
 * expiry date that exists), with no two waivers for the same rule and resource. Waivers written in
 * code (constructs/waivers.ts) arrive in cdk.tf.json and are validated against the same schema's
 * `codeWaiver`. `checkWaiverRules` refuses a waiver whose rule is not in the catalogue, naming the
 * file and field; `waiverStatus` tells which waivers have expired on the run's date.
 */
import waiversSchema from '../policies/data/waivers.schema.json';
import { InputError, fieldPath, type InputIssue } from './errors';
import type { RawCodeWaiver } from './synth';
import type { Waiver, WaiversFile } from './types';
import { readDataFile, validateAgainstSchema } from './validate';

/** A waiver written in code: it covers one resource instance and says where it was written. */
export interface CodeWaiver extends Waiver {
  /** The construct `Waivers.of(…)` was called on. */
  readonly construct: string;
  /** The synth output it was read from, and the field, for error messages. */
  readonly file: string;
  readonly field: string;
  /** Where `add` was called, when the synth output records it. */
  readonly stackTrace?: readonly string[];
}

/** One waiver with the file and field it came from (file waivers: `waivers[i]`). */
export interface WaiverSource {
  readonly rule: string;
  readonly file: string;
  readonly field: string;
}

/** Reads and validates a waivers file; throws InputError naming the file and field. */
export function loadWaivers(file: string): Waiver[] {
  return validateWaivers(readDataFile(file), file);
}

export function validateWaivers(value: unknown, file: string): Waiver[] {
  validateAgainstSchema(value, waiversSchema, file);
  const waivers = (value as WaiversFile).waivers;
  const issues: InputIssue[] = [];
  const seen = new Map<string, number>();
  waivers.forEach((w, i) => {
    const key = `${w.rule}\u0000${w.resource}`;
    const first = seen.get(key);
    if (first !== undefined) issues.push({ field: fieldPath(['waivers', i]), problem: `duplicate of waivers[${first}] (same rule ${w.rule} and resource ${w.resource})` });
    else seen.set(key, i);
  });
  if (issues.length > 0) throw InputError.many(file, issues);
  return [...waivers];
}

const codeWaiverSchema = {
  $schema: waiversSchema.$schema,
  $defs: waiversSchema.$defs,
  $ref: '#/$defs/codeWaiver',
};

/** Validates the code waivers found in one synth output; throws InputError naming the file and field. */
export function validateCodeWaivers(raw: readonly RawCodeWaiver[], file: string): CodeWaiver[] {
  const out: CodeWaiver[] = [];
  for (const r of raw) {
    try {
      // synth.ts gives a `waivers` value that is not a list as one entry without an index
      if (r.field.endsWith('.waivers')) throw new InputError(file, r.field, 'must be an array of waivers');
      validateAgainstSchema(r.value, codeWaiverSchema, file);
    } catch (e) {
      if (e instanceof InputError && e.file === file) {
        // the schema speaks from the waiver's root; prefix its fields with where the waiver is
        throw InputError.many(
          file,
          e.issues.map((i) => ({ field: i.field ? `${r.field}.${i.field}` : r.field, problem: i.problem })),
        );
      }
      throw e;
    }
    const v = r.value as {
      rule: string;
      reason: string;
      approved_by: string;
      expires: string;
      construct: string;
      stackTrace?: string[];
    };
    out.push({
      rule: v.rule,
      resource: r.address,
      reason: v.reason,
      approved_by: v.approved_by,
      expires: v.expires,
      construct: v.construct,
      file,
      field: r.field,
      ...(v.stackTrace ? { stackTrace: v.stackTrace } : {}),
    });
  }
  return out;
}

/** The sources of a waivers file's entries, for `checkWaiverRules`. */
export function fileWaiverSources(waivers: readonly Waiver[], file: string): WaiverSource[] {
  return waivers.map((w, i) => ({ rule: w.rule, file, field: fieldPath(['waivers', i, 'rule']) }));
}

/**
 * Refuses waivers whose rule is not a known rule id: a typo would otherwise waive nothing without
 * a word. Throws one InputError for the first file with unknown rules, naming each field.
 */
export function checkWaiverRules(sources: readonly WaiverSource[], known: ReadonlySet<string>): void {
  const byFile = new Map<string, InputIssue[]>();
  for (const s of sources) {
    if (known.has(s.rule)) continue;
    const near = closest(s.rule, known);
    const issues = byFile.get(s.file) ?? [];
    issues.push({
      field: s.field,
      problem: `unknown rule ${JSON.stringify(s.rule)}${near ? ` (did you mean ${near}?)` : ''}: not in the policy pack, so it would waive nothing (see \`kz-residency rules\`)`,
    });
    byFile.set(s.file, issues);
  }
  for (const [file, issues] of byFile) throw InputError.many(file, issues);
}

/** The known id nearest to `id` (edit distance ≤ 2, case-insensitive), if any. */
function closest(id: string, known: ReadonlySet<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(id.toUpperCase(), k.toUpperCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** A calendar date, no time zone. */
export interface IsoDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Parses `YYYY-MM-DD`, rejecting dates that do not exist (2026-02-30); undefined when invalid. */
export function parseIsoDate(s: string): IsoDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return undefined;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (day > days) return undefined;
  return { year, month, day };
}

/** The date of `now` as `YYYY-MM-DD` (UTC), or `now` itself when it already is an ISO date string. */
export function isoDateOf(now: Date | string): string {
  if (typeof now === 'string') {
    if (!parseIsoDate(now)) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${now}`);
    return now;
  }
  return now.toISOString().slice(0, 10);
}

/**
 * `active` through the whole of its `expires` day, `expired` from the day after. `now` is a Date
 * (its UTC date counts) or an ISO date string such as the value of `--now`.
 */
export function waiverStatus(waiver: Pick<Waiver, 'expires'>, now: Date | string): 'active' | 'expired' {
  if (!parseIsoDate(waiver.expires)) return 'expired'; // cannot be proven valid: waives nothing
  return isoDateOf(now) <= waiver.expires ? 'active' : 'expired';
}
