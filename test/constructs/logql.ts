/**
 * The alert rules' LogQL, parsed by Grafana's own grammar (@grafana/lezer-logql) and evaluated
 * over log lines for the tests: the subset the audit rules use (a stream selector, the `json`
 * parser with extraction expressions, label filters with =, !=, =~, !~ (RE2, anchored, as Loki
 * has them), `label_format` with the `__timestamp__ | date "<layout>"` template, count_over_time,
 * `sum by (...)` and a comparison with a number). Anything else is refused, so a rule that grows
 * beyond what is evaluated here fails its test instead of passing untested.
 */
import { parser } from '@grafana/lezer-logql';
import type { SyntaxNode } from '@lezer/common';
import { RE2JS } from 're2js';

/** Positions of syntax errors in `expr` (empty when the grammar accepts it). */
export function syntaxErrors(expr: string): number[] {
  const errors: number[] = [];
  parser.parse(expr).iterate({
    enter(n) {
      if (n.type.isError) errors.push(n.from);
    },
  });
  return errors;
}

/** One log line of a stream: its labels, its time and its text. */
export interface LogLine {
  readonly labels: Readonly<Record<string, string>>;
  readonly time: Date;
  readonly line: string;
}

type Labels = Record<string, string>;
type Matcher = { name: string; op: '=' | '!=' | '=~' | '!~'; value: string };

const OPS: Record<string, Matcher['op']> = { Eq: '=', Neq: '!=', Re: '=~', Nre: '!~' };

function text(expr: string, n: SyntaxNode): string {
  return expr.slice(n.from, n.to);
}

function unquote(s: string): string {
  if (s.startsWith('`')) return s.slice(1, -1);
  return JSON.parse(s) as string;
}

function children(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** Every descendant named `name`, in source order, not descending into matches. */
function all(n: SyntaxNode, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const walk = (x: SyntaxNode) => {
    for (const c of children(x)) {
      if (c.name === name) out.push(c);
      else walk(c);
    }
  };
  walk(n);
  return out;
}

function one(n: SyntaxNode, name: string): SyntaxNode {
  const found = all(n, name);
  if (found.length !== 1) throw new Error(`expected one ${name} under ${n.name}, found ${found.length}`);
  return found[0];
}

function matcher(expr: string, m: SyntaxNode): Matcher {
  const [id, op, value] = children(m);
  const o = OPS[op.name];
  if (!o || id.name !== 'Identifier' || value.name !== 'String') throw new Error(`unsupported matcher ${text(expr, m)}`);
  return { name: text(expr, id), op: o, value: unquote(text(expr, value)) };
}

function matches(m: Matcher, labels: Labels): boolean {
  const v = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return RE2JS.compile(`^(?:${m.value})$`).matcher(v).matches();
    case '!~':
      return !RE2JS.compile(`^(?:${m.value})$`).matcher(v).matches();
  }
}

const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Go's time.Format for the layout elements the rules use, in UTC (Loki's `date` on __timestamp__). */
function goDate(layout: string, t: Date): string {
  return layout.replace(/Mon|15|2006|01|02|04/g, (k) => {
    switch (k) {
      case 'Mon':
        return WEEKDAY[t.getUTCDay()];
      case '15':
        return String(t.getUTCHours()).padStart(2, '0');
      case '2006':
        return String(t.getUTCFullYear());
      case '01':
        return String(t.getUTCMonth() + 1).padStart(2, '0');
      case '02':
        return String(t.getUTCDate()).padStart(2, '0');
      default:
        return String(t.getUTCMinutes()).padStart(2, '0');
    }
  });
}

function template(tpl: string, line: LogLine): string {
  const m = /^\{\{\s*__timestamp__\s*\|\s*date\s+"([^"]*)"\s*\}\}$/.exec(tpl);
  if (!m) throw new Error(`unsupported template ${tpl}`);
  return goDate(m[1], line.time);
}

/** Path lookup of a `json` extraction expression ("record.user_name", "a.b[0]"). */
function jsonPath(doc: unknown, path: string): string | undefined {
  let v: unknown = doc;
  for (const part of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

type Stage = (labels: Labels, line: LogLine) => Labels | undefined;

function stage(expr: string, s: SyntaxNode): Stage {
  const [pipe, body] = children(s);
  if (pipe.name !== 'Pipe') throw new Error(`unsupported stage ${text(expr, s)}`);
  if (body.name === 'JsonExpressionParser') {
    const extractions = all(body, 'LabelExtractionExpression').map((e) => {
      const [id, , str] = children(e);
      return [text(expr, id), unquote(text(expr, str))] as const;
    });
    return (labels, line) => {
      let doc: unknown;
      try {
        doc = JSON.parse(line.line);
      } catch {
        return { ...labels, __error__: 'JSONParserErr' };
      }
      const out = { ...labels };
      for (const [name, path] of extractions) {
        const v = jsonPath(doc, path);
        if (v !== undefined) out[name] = v;
      }
      return out;
    };
  }
  if (body.name === 'LabelFilter') {
    const m = matcher(expr, one(body, 'Matcher'));
    return (labels) => (matches(m, labels) ? labels : undefined);
  }
  if (body.name === 'LabelFormatExpr') {
    const formats = all(body, 'LabelFormatMatcher').map((f) => {
      const [id, , str] = children(f);
      return [text(expr, id), unquote(text(expr, str))] as const;
    });
    return (labels, line) => ({ ...labels, ...Object.fromEntries(formats.map(([k, tpl]) => [k, template(tpl, line)])) });
  }
  throw new Error(`unsupported stage ${text(expr, s)}`);
}

const DURATION = /^([0-9]+)(ms|s|m|h|d)$/;
const MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A parsed alert expression: `sum by (...) (count_over_time(<selector> <pipeline> [range])) <op> <n>`. */
export interface AlertQuery {
  readonly selector: readonly Matcher[];
  readonly rangeMs: number;
  readonly groupBy: readonly string[];
  readonly op: '>' | '>=';
  readonly threshold: number;
  /** The label filters and formats of the pipeline, as written (for assertions). */
  readonly pipeline: readonly string[];
  /** Series (by the grouping labels) whose count passes the comparison at `at`. */
  evaluate(lines: readonly LogLine[], at: Date): Array<{ labels: Labels; value: number }>;
}

export function parseAlert(expr: string): AlertQuery {
  if (syntaxErrors(expr).length > 0) throw new Error(`LogQL syntax error in ${expr}`);
  const top = parser.parse(expr).topNode;
  const bin = one(top, 'BinOpExpr');
  const [left, opNode, , right] = children(bin);
  const op = text(expr, opNode);
  if (op !== '>' && op !== '>=') throw new Error(`unsupported comparison ${op}`);
  const threshold = Number(text(expr, one(right, 'Number')));
  const agg = one(left, 'VectorAggregationExpr');
  if (text(expr, one(agg, 'VectorOp')) !== 'sum') throw new Error('only sum is evaluated');
  const grouping = one(agg, 'Grouping');
  if (!text(expr, grouping).startsWith('by')) throw new Error('only sum by (...) is evaluated');
  const groupBy = all(grouping, 'Identifier').map((i) => text(expr, i));
  const range = one(agg, 'RangeAggregationExpr');
  if (text(expr, one(range, 'RangeOp')) !== 'count_over_time') throw new Error('only count_over_time is evaluated');
  const logRange = one(range, 'LogRangeExpr');
  const selector = all(one(logRange, 'Selector'), 'Matcher').map((m) => matcher(expr, m));
  const d = DURATION.exec(text(expr, one(logRange, 'Duration')));
  if (!d) throw new Error('unsupported range');
  const rangeMs = Number(d[1]) * MS[d[2]];
  const stageNodes = all(one(logRange, 'PipelineExpr'), 'PipelineStage');
  const stages = stageNodes.map((s) => stage(expr, s));
  return {
    selector,
    rangeMs,
    groupBy,
    op,
    threshold,
    pipeline: stageNodes.map((s) => text(expr, s).replace(/^\|\s*/, '')),
    evaluate(lines, at) {
      const counts = new Map<string, { labels: Labels; value: number }>();
      for (const l of lines) {
        const age = at.getTime() - l.time.getTime();
        if (age < 0 || age >= rangeMs) continue;
        if (!selector.every((m) => matches(m, l.labels))) continue;
        let labels: Labels | undefined = { ...l.labels };
        for (const s of stages) {
          labels = s(labels, l);
          if (!labels) break;
        }
        if (!labels || labels.__error__) continue;
        const key = Object.fromEntries(groupBy.map((g) => [g, labels?.[g] ?? '']));
        const k = JSON.stringify(key);
        const c = counts.get(k) ?? { labels: key, value: 0 };
        c.value++;
        counts.set(k, c);
      }
      return [...counts.values()].filter((c) => (op === '>' ? c.value > threshold : c.value >= threshold));
    },
  };
}
