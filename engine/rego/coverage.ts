/**
 * Line coverage of Rego modules, as `opa test --coverage` reports it: a line is coverable when a
 * rule head or a body expression (comprehension, `every` and `not` bodies included) starts on it;
 * it is covered when the evaluator evaluated that expression, or the rule produced a value. The
 * report has OPA's JSON shape: files → covered / not_covered row ranges, line counts, percent.
 */
import type { Expr, Module, Rule, Term } from './ast';
import type { Location } from './errors';

/** Rows hit during evaluation, per file (filled by the evaluator). */
export class CoverageTracker {
  readonly hits = new Map<string, Set<number>>();
  hit(loc: Location): void {
    let rows = this.hits.get(loc.file);
    if (!rows) this.hits.set(loc.file, (rows = new Set()));
    rows.add(loc.row);
  }
}

export interface RowRange {
  start: { row: number };
  end: { row: number };
}

export interface FileCoverage {
  covered?: RowRange[];
  not_covered?: RowRange[];
  covered_lines?: number;
  not_covered_lines?: number;
  /** percent, two decimals */
  coverage?: number;
}

export interface CoverageReport {
  files: Record<string, FileCoverage>;
  covered_lines: number;
  not_covered_lines: number;
  coverage: number;
}

/** The coverable rows of a module: rule heads and body expressions. */
export function coverableRows(m: Module): Set<number> {
  const rows = new Set<number>();
  const term = (t: Term): void => {
    switch (t.type) {
      case 'ref':
        term(t.head);
        t.path.forEach(term);
        return;
      case 'array':
      case 'set':
        t.items.forEach(term);
        return;
      case 'object':
        for (const [k, v] of t.items) {
          term(k);
          term(v);
        }
        return;
      case 'arraycompr':
      case 'setcompr':
        term(t.term);
        t.body.forEach(expr);
        return;
      case 'objectcompr':
        term(t.key);
        term(t.value);
        t.body.forEach(expr);
        return;
      case 'call':
        t.args.forEach(term);
        return;
      default:
        return;
    }
  };
  const expr = (e: Expr): void => {
    rows.add(e.loc.row);
    switch (e.kind) {
      case 'term':
        term(e.term);
        break;
      case 'unify':
      case 'assign':
        term(e.left);
        term(e.right);
        break;
      case 'somein':
        term(e.coll);
        break;
      case 'every':
        term(e.coll);
        e.body.forEach(expr);
        break;
      case 'not':
        expr(e.expr);
        break;
      default:
        break;
    }
  };
  for (const first of m.rules) {
    for (let r: Rule | null = first; r; r = r.elseRule) {
      rows.add(r.loc.row);
      if (r.head.value) term(r.head.value);
      r.body.forEach(expr);
    }
  }
  return rows;
}

function ranges(rows: number[]): RowRange[] {
  const out: RowRange[] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last && last.end.row === r - 1) last.end.row = r;
    else out.push({ start: { row: r }, end: { row: r } });
  }
  return out;
}

const percent = (covered: number, total: number): number => (total === 0 ? 0 : Math.round((10000 * covered) / total) / 100);

/** OPA's coverage report for the modules from what the tracker saw. */
export function coverageReport(modules: Module[], tracker: CoverageTracker): CoverageReport {
  const byFile = new Map<string, Set<number>>();
  for (const m of modules) {
    const rows = byFile.get(m.file) ?? new Set<number>();
    for (const r of coverableRows(m)) rows.add(r);
    byFile.set(m.file, rows);
  }
  const files: Record<string, FileCoverage> = {};
  let covered = 0;
  let notCovered = 0;
  for (const file of [...byFile.keys()].sort()) {
    const rows = [...(byFile.get(file) as Set<number>)].sort((a, b) => a - b);
    const hits = tracker.hits.get(file) ?? new Set<number>();
    const yes = rows.filter((r) => hits.has(r));
    const no = rows.filter((r) => !hits.has(r));
    const fc: FileCoverage = {};
    if (yes.length > 0) {
      fc.covered = ranges(yes);
      fc.covered_lines = yes.length;
    }
    if (no.length > 0) {
      fc.not_covered = ranges(no);
      fc.not_covered_lines = no.length;
    }
    const pct = percent(yes.length, rows.length);
    if (pct > 0) fc.coverage = pct;
    files[file] = fc;
    covered += yes.length;
    notCovered += no.length;
  }
  return { files, covered_lines: covered, not_covered_lines: notCovered, coverage: percent(covered, covered + notCovered) };
}
