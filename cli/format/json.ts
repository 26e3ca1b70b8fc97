/**
 * The result document of DESIGN.md "Command": `{"deny":[...],"warn":[...],"waived":[...],"summary":{...}}`,
 * plus the waivers that did nothing (expired, or matching no finding). Each finding carries its
 * `fingerprint`, so that the document can be the --baseline of a later run.
 */
import { CheckResult } from '../report';

export function formatJson(result: CheckResult): string {
  const doc = {
    deny: result.deny,
    warn: result.warn,
    waived: result.waived,
    expired_waivers: result.expired_waivers,
    unused_waivers: result.unused_waivers,
    summary: result.summary,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
