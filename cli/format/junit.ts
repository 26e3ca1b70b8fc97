/**
 * JUnit XML for CI test dashboards: one <testsuite> per rule, one <testcase> per resource the rule
 * checked, each with a `status` (the attribute of Jenkins' and xunit's JUnit schema):
 * - `failed`: a denial that fails the run — with a <failure>;
 * - `denied`: a denial that does not fail it (known in the --baseline, or below --fail-on);
 * - `warning`: a warning (with a <failure> when --fail-on warn makes it fail the run);
 * - `waived`: a waived finding — <skipped>, with the waiver in <properties>;
 * - `passed`: the rule found nothing on the resource.
 * Findings that are not about a resource of the plan have their own test case too. The message,
 * basis and fix of every finding are in <system-out>, so a dashboard shows them for warnings too.
 *
 * "Resources checked" comes from `result.checked`: the policy report's own `checked` map when
 * it has one, otherwise (checkedSource 'plan') every managed resource counts as checked by every
 * rule — each rule's query runs over the whole plan, and a passing test case then means "this
 * rule found nothing on this resource", not "this rule applies to it".
 */
import { CheckResult, Finding, RuleMeta, WaivedFinding, formatLocation, severityRank } from '../report';

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

function details(f: Finding): string {
  const site = f.site === null ? 'no registered site' : `site ${f.site}`;
  const lines = [`${f.rule} ${f.title} [${f.severity}]`, `${f.resource} (${site}): ${f.message}`];
  if (f.location) lines.push(`At: ${formatLocation(f.location)}`);
  if (f.alsoOn?.length) lines.push(`Also on: ${f.alsoOn.join(', ')}`);
  lines.push(`Basis: ${f.basis} (${f.law})`, `Fix: ${f.remediation}`);
  return lines.join('\n');
}

export function formatJunit(result: CheckResult, rules: readonly RuleMeta[], opts: JunitOptions = {}): string {
  const gate = result.summary.gate;
  const fails = (f: Finding, warning: boolean): boolean => {
    if (f.baseline === 'known') return false;
    if (warning) return gate.failOn === 'warn';
    return gate.failOn === 'any' || gate.failOn === 'warn' || severityRank(f.severity) <= severityRank(gate.failOn);
  };
  const index = <T extends Finding>(list: readonly T[]) => {
    const m = new Map<string, T>();
    for (const f of list) m.set(`${f.rule}\u0000${f.resource}`, f);
    return m;
  };
  // a deployment-level decision reported once (alsoOn): its other objects are not failures of their own
  const sameDecision = new Map<string, Finding>();
  for (const f of [...result.deny, ...result.warn])
    for (const other of f.alsoOn ?? []) if (!sameDecision.has(`${f.rule}\u0000${other}`)) sameDecision.set(`${f.rule}\u0000${other}`, f);
  const denied = index(result.deny);
  const warned = index(result.warn);
  const waived = index<WaivedFinding>(result.waived);

  const ids = new Set<string>(rules.map((r) => r.id));
  for (const f of [...result.deny, ...result.warn, ...result.waived]) ids.add(f.rule);
  const titles = new Map(rules.map((r) => [r.id, r.title]));
  for (const f of [...result.deny, ...result.warn, ...result.waived]) if (!titles.has(f.rule)) titles.set(f.rule, f.title);

  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const suites: string[] = [];
  for (const id of [...ids].sort()) {
    const resources = new Set(result.checked[id] ?? []);
    for (const list of [result.deny, result.warn, result.waived])
      for (const f of list) if (f.rule === id) for (const r of [f.resource, ...(f.alsoOn ?? [])]) resources.add(r);
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    for (const resource of [...resources].sort()) {
      const key = `${id}\u0000${resource}`;
      const attrs = `classname="${attr(`kz-residency.${id}`)}" name="${attr(resource)}"`;
      const d = denied.get(key);
      const w = warned.get(key);
      const v = waived.get(key);
      const f = d ?? w;
      const same = f || v ? undefined : sameDecision.get(key);
      if (same) {
        cases.push(
          `    <testcase ${attrs} status="${result.deny.includes(same) ? 'denied' : 'warning'}">\n      <properties>\n` +
            `        <property name="decision" value="${attr(`reported once, on ${same.resource}`)}"/>\n      </properties>\n` +
            `      <system-out>${xml(`the same deployment-level decision as ${same.resource}: ${same.message}`)}</system-out>\n    </testcase>`,
        );
      } else if (f) {
        const warning = !d;
        const failing = fails(f, warning);
        const status = failing ? 'failed' : warning ? 'warning' : 'denied';
        const why = !failing && !warning ? (f.baseline === 'known' ? 'known in the baseline' : `below --fail-on ${gate.failOn}`) : '';
        if (failing) suiteFailures++;
        const props =
          `      <properties>\n` +
          `        <property name="severity" value="${attr(f.severity)}"/>\n` +
          `        <property name="basis" value="${attr(f.basis)}"/>\n` +
          (f.location ? `        <property name="location" value="${attr(formatLocation(f.location))}"/>\n` : '') +
          (f.baseline ? `        <property name="baseline" value="${attr(f.baseline)}"/>\n` : '') +
          (why ? `        <property name="not-failing" value="${attr(why)}"/>\n` : '') +
          `      </properties>\n`;
        const failure = failing
          ? `      <failure message="${attr(f.message)}" type="${attr(warning ? 'warning' : f.severity)}">${xml(details(f))}</failure>\n`
          : '';
        cases.push(
          `    <testcase ${attrs} status="${status}">\n${props}${failure}` +
            `      <system-out>${xml(`${warning ? 'warning' : 'denied'}: ${details(f)}`)}</system-out>\n    </testcase>`,
        );
      } else if (v) {
        suiteSkipped++;
        cases.push(
          `    <testcase ${attrs} status="waived">\n      <properties>\n` +
            `        <property name="waiver.source" value="${attr(v.waiver.source)}"/>\n` +
            `        <property name="waiver.reason" value="${attr(v.waiver.reason)}"/>\n` +
            `        <property name="waiver.approved_by" value="${attr(v.waiver.approved_by)}"/>\n` +
            `        <property name="waiver.expires" value="${attr(v.waiver.expires)}"/>\n` +
            `      </properties>\n      <skipped message="${attr(`waived until ${v.waiver.expires}: ${v.waiver.reason}`)}"/>\n    </testcase>`,
        );
      } else {
        cases.push(`    <testcase ${attrs} status="passed"/>`);
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
