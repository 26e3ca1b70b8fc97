/**
 * The team's own Rego beside the shipped pack (`check --policy DIR`, repeatable): compiled together
 * with the pack through the engine's one API, so a team rule can use `data.kz.lib.*`. Every package
 * of the team's files that defines `deny`, `warn` or `violation` is evaluated on each input's own
 * plan, as conftest would. A result may be a string (conftest's `msg`) or an object; an object made
 * with `data.kz.lib.finding.new(rego.metadata.rule(), …)` carries its rule id, severity, basis and
 * profiles like the pack's own findings. A string result takes its rule id from the rule's
 * `# METADATA custom.id`, else the package path, and names no resource.
 */
import path from 'node:path';
import type { JsonValue, RegoSource } from '../engine/engine';
import { loadRegoDirectory } from '../engine/load';
import type { Module } from '../engine/rego/ast';
import { UsageError } from './errors';
import { displayPath } from './paths';
import type { Basis, ProfileName, RuleMeta, Severity } from './report';
import { PROFILES } from './report';

export const TEAM_RULE_NAMES = ['deny', 'violation', 'warn'] as const;
type TeamRuleName = (typeof TEAM_RULE_NAMES)[number];

export interface TeamPackage {
  /** `acme.inhouse` */
  readonly name: string;
  readonly rules: readonly TeamRuleName[];
}

/** Reads the team's directories; file names are shown as the user gave the directory. */
export function loadTeamSources(dirs: readonly string[]): RegoSource[] {
  const out: RegoSource[] = [];
  for (const dir of dirs) {
    const sources = loadRegoDirectory(dir, { includeTests: false });
    if (sources.length === 0) throw new UsageError(`--policy ${dir}: no .rego policies found`);
    const base = path.basename(path.resolve(dir));
    for (const s of sources) {
      // loadRegoDirectory names files from the directory's parent (`<dir name>/x.rego`)
      const rel = s.file.startsWith(`${base}/`) ? s.file.slice(base.length + 1) : s.file;
      out.push({ file: `${displayPath(dir).replace(/\/+$/, '')}/${rel}`, source: s.source });
    }
  }
  return out;
}

/** The team's packages that define a rule the command evaluates. */
export function teamPackages(modules: readonly Module[], teamFiles: ReadonlySet<string>): TeamPackage[] {
  const byName = new Map<string, Set<TeamRuleName>>();
  for (const m of modules) {
    if (!teamFiles.has(m.file)) continue;
    const name = m.pkg.join('.');
    for (const r of m.rules) {
      const head = r.head.ref[0];
      if (head?.type === 'var' && (TEAM_RULE_NAMES as readonly string[]).includes(head.name)) {
        const set = byName.get(name) ?? new Set<TeamRuleName>();
        set.add(head.name as TeamRuleName);
        byName.set(name, set);
      }
    }
  }
  return [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, rules]) => ({ name, rules: TEAM_RULE_NAMES.filter((r) => rules.has(r)) }));
}

/** A result of a team rule, as the command reports it. */
export interface TeamFinding {
  readonly kind: 'deny' | 'warn';
  readonly rule: string;
  readonly title: string;
  readonly severity: Severity;
  readonly basis: Basis;
  readonly law: string;
  readonly remediation: string;
  readonly message: string;
  /** The resource address the result names, if any. */
  readonly resource?: string;
  readonly site: string | null;
  /** Profiles in which it denies (results made with finding.new); undefined: `deny`/`violation` deny, `warn` warns. */
  readonly profiles?: readonly ProfileName[];
}

const SEVERITIES: readonly string[] = ['critical', 'high', 'medium', 'low'];
const s = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The catalogue entry of a team rule without METADATA: the package is its id. */
export function packageRule(pkg: TeamPackage): RuleMeta {
  return {
    id: pkg.name,
    title: `${pkg.name} (team policy)`,
    description: `Rules ${pkg.rules.join(', ')} of package ${pkg.name}.`,
    severity: 'medium',
    basis: 'practice',
    law: '',
    remediation: '',
    profiles: [...PROFILES],
    tags: ['team'],
    path: `data.${pkg.name}`,
    file: '',
    row: 0,
  };
}

/** Turns the value of `data.<pkg>.<rule>` into findings. */
export function teamFindings(
  pkg: TeamPackage,
  rule: TeamRuleName,
  value: JsonValue | undefined,
  meta: RuleMeta | undefined,
): TeamFinding[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  const kind = rule === 'warn' ? 'warn' : 'deny';
  const base = meta ?? packageRule(pkg);
  return items.flatMap((item): TeamFinding[] => {
    if (typeof item === 'string') {
      return [{ kind, rule: base.id, title: base.title, severity: base.severity, basis: base.basis, law: base.law, remediation: base.remediation, message: item, site: null }];
    }
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return [];
    const severity = s(item.severity);
    const profiles = Array.isArray(item.profiles)
      ? item.profiles.filter((p): p is ProfileName => typeof p === 'string' && (PROFILES as readonly string[]).includes(p))
      : undefined;
    return [
      {
        kind,
        rule: s(item.rule) ?? s(item.id) ?? base.id,
        title: s(item.title) ?? base.title,
        severity: (severity && SEVERITIES.includes(severity) ? severity : base.severity) as Severity,
        basis: s(item.basis) === 'law' ? 'law' : s(item.basis) === 'practice' ? 'practice' : base.basis,
        law: s(item.law) ?? base.law,
        remediation: s(item.remediation) ?? base.remediation,
        message: s(item.message) ?? s(item.msg) ?? JSON.stringify(item),
        ...(s(item.resource) ?? s(item.address) ? { resource: s(item.resource) ?? s(item.address) } : {}),
        site: s(item.site) ?? null,
        ...(profiles ? { profiles } : {}),
      },
    ];
  });
}
