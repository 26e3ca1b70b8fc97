/**
 * Loads waivers (`waivers.yaml`, DESIGN.md "Waivers"): validated against
 * policies/data/waivers.schema.json (rule id, resource, non-empty reason and approver, an ISO
 * expiry date that exists), with no two waivers for the same rule and resource. `waiverStatus`
 * tells the command which waivers have expired on the run's date.
 */
import waiversSchema from '../policies/data/waivers.schema.json';
import { InputError, fieldPath, type InputIssue } from './errors';
import type { Waiver, WaiversFile } from './types';
import { readDataFile, validateAgainstSchema } from './validate';

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
