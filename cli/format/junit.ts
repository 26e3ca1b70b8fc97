/**
 * JUnit XML for CI test dashboards: one <testsuite> per rule, one <testcase> per resource the
 * rule checked. A denial is a <failure>; a warning passes with the finding in <system-out>;
 * a waived finding is <skipped> with the waiver in <properties>.
 *
 * "Resources checked" comes from `result.checked`: the policy report's own `checked` map when
 * it has one, otherwise (checkedSource 'plan') every managed resource of the plan counts as
 * checked by every rule — each rule's query runs over the whole plan, and a passing testcase
 * then means "this rule found nothing on this resource", not "this rule applies to it".
 */
import { CheckResult, Finding, RuleMeta, WaivedFinding } from '../report';

/** Escapes text for XML attributes and text nodes; drops characters XML 1.0 forbids. */
export function xml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** For attribute values: line breaks as character references, which attribute normalisation keeps. */
function attr(s: string): string {
  return xml(s).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

export interface JunitOptions {
  /** Seconds for the `time` attribute of <testsuites>; default the summary's duration. */
  readonly timeSeconds?: number;
}

export function formatJunit(
  result: CheckResult,
  rules: readonly RuleMeta[],
  opts: JunitOptions = {},
): string {
  const index = <T extends Finding>(list: readonly T[]) => {
    const m = new Map<string, T>();
    for (const f of list) m.set(`${f.rule}\u0000${f.resource}`, f);
    return m;
  };
  const denied = index(result.deny);
  const warned = index(result.warn);
  const waived = index<WaivedFinding>(result.waived);

  const ids = new Set<string>(rules.map((r) => r.id));
  for (const f of [...result.deny, ...result.warn, ...result.waived]) ids.add(f.rule);
  const titles = new Map(rules.map((r) => [r.id, r.title]));
  for (const f of [...result.deny, ...result.warn, ...result.waived])
    if (!titles.has(f.rule)) titles.set(f.rule, f.title);

  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const suites: string[] = [];
  for (const id of [...ids].sort()) {
    const resources = new Set(result.checked[id] ?? []);
    for (const list of [result.deny, result.warn, result.waived])
      for (const f of list) if (f.rule === id) resources.add(f.resource);
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    for (const resource of [...resources].sort()) {
      const key = `${id}\u0000${resource}`;
      const attrs = `classname="${attr(`kz-residency.${id}`)}" name="${attr(resource)}"`;
      const d = denied.get(key);
      const w = warned.get(key);
      const v = waived.get(key);
      if (d) {
        suiteFailures++;
        const site = d.site === null ? 'no registered site' : `site ${d.site}`;
        cases.push(
          `    <testcase ${attrs}>\n      <failure message="${attr(d.message)}" type="${attr(d.severity)}">` +
            xml(
              `${d.rule} ${d.title}\n${resource} (${site}): ${d.message}\nBasis: ${d.basis} (${d.law})\nFix: ${d.remediation}`,
            ) +
            `</failure>\n    </testcase>`,
        );
      } else if (v) {
        suiteSkipped++;
        cases.push(
          `    <testcase ${attrs}>\n      <properties>\n` +
            `        <property name="waiver.reason" value="${attr(v.waiver.reason)}"/>\n` +
            `        <property name="waiver.approved_by" value="${attr(v.waiver.approved_by)}"/>\n` +
            `        <property name="waiver.expires" value="${attr(v.waiver.expires)}"/>\n` +
            `      </properties>\n      <skipped message="${attr(`waived until ${v.waiver.expires}: ${v.waiver.reason}`)}"/>\n    </testcase>`,
        );
      } else if (w) {
        cases.push(
          `    <testcase ${attrs}>\n      <system-out>${xml(`warning: ${w.message}`)}</system-out>\n    </testcase>`,
        );
      } else {
        cases.push(`    <testcase ${attrs}/>`);
      }
    }
    tests += cases.length;
    failures += suiteFailures;
    skipped += suiteSkipped;
    const name = `${id} ${titles.get(id) ?? ''}`.trim();
    suites.push(
      `  <testsuite name="${attr(name)}" tests="${cases.length}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}">` +
        (cases.length ? `\n${cases.join('\n')}\n  </testsuite>` : '</testsuite>'),
    );
  }
  const time = (opts.timeSeconds ?? result.summary.durationMs / 1000).toFixed(3);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<!-- resources checked: ${result.checkedSource === 'report' ? 'as listed by the policy report' : 'every managed resource of the plan, for every rule'} -->\n` +
    `<testsuites name="kz-residency" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}">\n` +
    suites.join('\n') +
    `\n</testsuites>\n`
  );
}
