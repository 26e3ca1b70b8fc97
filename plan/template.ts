/**
 * Terraform string templates as cdktf writes them into cdk.tf.json (`"${aws_x.y.id}-suffix"`):
 * finding interpolations, listing the references Terraform would list for them, and evaluating
 * the few that are known at plan time (constant locals, `count.index`, `each.key`/`each.value`).
 */
import type { Json } from './format';

/** A part of a template: literal text or the source of one `${…}` / `%{…}` sequence. */
export type TemplatePart = { literal: string } | { expr: string; directive: boolean };

/** Splits a template into literal and interpolation parts, honouring `$${` / `%%{` escapes and quoted strings. */
export function parseTemplate(s: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let lit = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if ((c === '$' || c === '%') && s[i + 1] === c && s[i + 2] === '{') {
      lit += `${c}{`;
      i += 3;
      continue;
    }
    if ((c === '$' || c === '%') && s[i + 1] === '{') {
      const end = matchBrace(s, i + 1);
      if (end < 0) {
        // an unterminated sequence: Terraform would reject it; treat the rest as an expression
        if (lit) parts.push({ literal: lit });
        parts.push({ expr: s.slice(i + 2), directive: c === '%' });
        return parts;
      }
      if (lit) parts.push({ literal: lit });
      lit = '';
      parts.push({ expr: s.slice(i + 2, end), directive: c === '%' });
      i = end + 1;
      continue;
    }
    lit += c;
    i++;
  }
  if (lit || parts.length === 0) parts.push({ literal: lit });
  return parts;
}

/** Index of the `}` closing the `{` at `open`, skipping nested braces and quoted strings; -1 if none. */
function matchBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      for (i++; i < s.length && s[i] !== '"'; i++) if (s[i] === '\\') i++;
    } else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Whether the string holds an interpolation or directive (i.e. is not a plain literal). */
export function isTemplate(s: string): boolean {
  return parseTemplate(s).some((p) => 'expr' in p);
}

/** The literal value of a string with no interpolation (`$${` unescaped). */
export function unescapeLiteral(s: string): string {
  return parseTemplate(s)
    .map((p) => ('literal' in p ? p.literal : ''))
    .join('');
}

const ROOTS_WITH_TWO = new Set(['var', 'local', 'count', 'each', 'self', 'path', 'terraform', 'module']);

/**
 * The references an expression makes, as Terraform lists them: each traversal with all its
 * prefixes down to the object it starts from (`kubernetes_namespace_v1.ns.metadata[0].name`,
 * `…metadata[0]`, `…metadata`, `kubernetes_namespace_v1.ns`).
 */
export function expressionReferences(expr: string): string[] {
  // drop quoted strings (their own interpolations are found by the recursive call)
  const nested: string[] = [];
  const code = expr.replace(/"(?:[^"\\]|\\.)*"/g, (q) => {
    nested.push(...templateReferences(q.slice(1, -1)));
    return '""';
  });
  const out: string[] = [];
  // variables bound by for-expressions (`[for s in var.xs : s.id]`) are not references
  const bound = new Set<string>();
  for (const m of code.matchAll(/\bfor\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\b/g)) {
    bound.add(m[1]);
    if (m[2]) bound.add(m[2]);
  }
  const re = /(?<![\w.\]])([A-Za-z_][\w-]*)((?:\s*\.\s*[A-Za-z_*][\w-]*|\s*\[[^\]]*\])*)(\s*\()?/g;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const [, head, tail, call] = m;
    if (call) continue; // a function name
    if (/^(true|false|null|for|in|if|else|endif|endfor)$/.test(head) || bound.has(head)) continue;
    const steps = [...tail.matchAll(/\.\s*([A-Za-z_*][\w-]*)|\[([^\]]*)\]/g)].map((s) => (s[1] !== undefined ? `.${s[1]}` : `[${s[2].trim()}]`));
    if (steps.length === 0) continue; // a bare identifier (a for-expression variable)
    // how many steps make the root object: data.T.N (2), module.N / var.N (1), T.N (1)
    const rootLen = head === 'data' ? 2 : 1;
    if (steps.length < rootLen) continue;
    if (!ROOTS_WITH_TWO.has(head) && head !== 'data' && steps[0].startsWith('[')) continue;
    for (let k = steps.length; k >= rootLen; k--) out.push(head + steps.slice(0, k).join(''));
  }
  return dedupe([...out, ...nested]);
}

/** All references made by the interpolations of a template string. */
export function templateReferences(s: string): string[] {
  return dedupe(parseTemplate(s).flatMap((p) => ('expr' in p ? expressionReferences(p.expr) : [])));
}

/** All references made anywhere in a JSON value's strings. */
export function valueReferences(v: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (typeof x === 'string') out.push(...templateReferences(x));
    else if (Array.isArray(x)) x.forEach(walk);
    else if (typeof x === 'object' && x !== null) Object.values(x).forEach(walk);
  };
  walk(v);
  return dedupe(out);
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** Values known while planning: constant locals and the instance keys of count/for_each. */
export interface KnownScope {
  /** `local.<name>` → value (only locals that are themselves constant). */
  readonly locals: Readonly<Record<string, Json>>;
  readonly countIndex?: number;
  readonly eachKey?: string;
  readonly eachValue?: Json;
}

/** Sentinel for "not known at plan time". */
export const UNKNOWN: unique symbol = Symbol('unknown');

function lookup(expr: string, scope: KnownScope): Json | typeof UNKNOWN {
  const e = expr.trim();
  if (e === 'count.index' && scope.countIndex !== undefined) return scope.countIndex;
  if (e === 'each.key' && scope.eachKey !== undefined) return scope.eachKey;
  if (e === 'each.value' && scope.eachValue !== undefined) return scope.eachValue;
  const m = /^local\.([A-Za-z_][\w-]*)$/.exec(e);
  if (m && Object.prototype.hasOwnProperty.call(scope.locals, m[1])) return scope.locals[m[1]];
  return UNKNOWN;
}

/**
 * Evaluates a template when every interpolation is a known value: a whole-string interpolation
 * keeps its value's type (`"${local.n}"` → 3); scalars inside text are concatenated.
 */
export function evalTemplate(s: string, scope: KnownScope): Json | typeof UNKNOWN {
  const parts = parseTemplate(s);
  if (parts.length === 1 && 'expr' in parts[0]) return parts[0].directive ? UNKNOWN : lookup(parts[0].expr, scope);
  let out = '';
  for (const p of parts) {
    if ('literal' in p) out += p.literal;
    else {
      if (p.directive) return UNKNOWN;
      const v = lookup(p.expr, scope);
      if (v === UNKNOWN || (typeof v === 'object' && v !== null)) return UNKNOWN;
      out += v === null ? '' : String(v);
    }
  }
  return out;
}
