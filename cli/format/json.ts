/**
 * The result document of DESIGN.md "Command": `{"deny":[...],"warn":[...],"waived":[...],"summary":{...}}`,
 * plus the expired waivers, which waive nothing but must not go unnoticed.
 */
import { CheckResult } from '../report';

export function formatJson(result: CheckResult): string {
  const doc = {
    deny: result.deny,
    warn: result.warn,
    waived: result.waived,
    expired_waivers: result.expired_waivers,
    summary: result.summary,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
