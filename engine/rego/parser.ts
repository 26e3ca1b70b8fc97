/**
 * Recursive-descent parser for Rego v1 (OPA 1.x syntax). With `v0Compatible` (OPA's
 * `--v0-compatible`) it also accepts v0 rule bodies without `if` and `p[x] { … }` partial sets,
 * unless the module imports rego.v1.
 */
import type { Expr, ExprKind, Import, Module, RawAnnotation, Rule, RuleHead, Term, With } from './ast';
import { RegoError, type Location } from './errors';
import { tokenize, type Comment, type Token } from './lexer';
import { metadataBlocks, type MetaBlock } from './metadata';
import { parseNumber, type Value } from './value';

const BIN_OPS: Record<string, string> = {
  '==': 'equal',
  '!=': 'neq',
  '<': 'lt',
  '<=': 'lte',
  '>': 'gt',
  '>=': 'gte',
  '|': 'or',
  '&': 'and',
  '+': 'plus',
  '-': 'minus',
  '*': 'mul',
  '/': 'div',
  '%': 'rem',
};

const KEYWORDS = new Set(['package', 'import', 'default', 'if', 'contains', 'else', 'some', 'every', 'in', 'not', 'with', 'as']);

class Parser {
  private pos = 0;
  /** v0-only forms (a body without `if`) are errors, as in OPA 1.x: always, unless v0-compatible
   * parsing was asked for and the module does not import rego.v1. */
  private strictV1 = true;
  constructor(
    private readonly toks: Token[],
    private readonly file: string,
    private readonly v0Compatible = false,
  ) {}

  peek(o = 0): Token {
    return this.toks[Math.min(this.pos + o, this.toks.length - 1)];
  }
  next(): Token {
    const t = this.toks[this.pos];
    if (this.pos < this.toks.length - 1) this.pos++;
    return t;
  }
  loc(t: Token = this.peek()): Location {
    return { file: this.file, row: t.row, col: t.col };
  }
  isP(text: string, o = 0): boolean {
    const t = this.peek(o);
    return t.kind === 'punct' && t.text === text;
  }
  isKw(text: string, o = 0): boolean {
    const t = this.peek(o);
    return t.kind === 'ident' && t.text === text;
  }
  describe(t: Token): string {
    if (t.kind === 'eof') return 'end of input';
    if (t.kind === 'string') return `string ${JSON.stringify(t.text)}`;
    if (t.kind === 'number') return `number ${t.text}`;
    if (t.kind === 'ident') return KEYWORDS.has(t.text) ? `keyword "${t.text}"` : `identifier "${t.text}"`;
    return `"${t.text}"`;
  }
  fail(expected: string, t: Token = this.peek()): never {
    throw new RegoError('rego_parse_error', `expected ${expected} but found ${this.describe(t)}`, this.loc(t));
  }
  expectP(text: string): Token {
    if (!this.isP(text)) this.fail(`"${text}"`);
    return this.next();
  }
  expectIdent(): Token {
    const t = this.peek();
    if (t.kind !== 'ident') this.fail('identifier');
    return this.next();
  }

  // -------------------------------------------------------------------------------------------
  // Module

  parseModule(comments: Comment[]): Module {
    const blocks = metadataBlocks(comments, this.file);
    const takeBlocks = (row: number): RawAnnotation[] => {
      const out: RawAnnotation[] = [];
      while (blocks.length > 0 && blocks[0].endRow < row) {
        const b = blocks.shift() as MetaBlock;
        out.push(b.ann);
      }
      return out;
    };
    if (!this.isKw('package')) this.fail('"package"');
    const pkgTok = this.next();
    const pkgAnns = takeBlocks(pkgTok.row);
    const pkg = this.parsePackagePath();
    const mod: Module = { file: this.file, pkg, pkgLoc: this.loc(pkgTok), imports: [], rules: [], annotations: [] };
    for (const a of pkgAnns) {
      if (!a.scope) a.scope = 'package';
      mod.annotations.push(a);
    }
    while (this.isKw('import')) mod.imports.push(this.parseImport());
    this.strictV1 = !this.v0Compatible || mod.imports.some((i) => callName(i.path) === 'rego.v1');
    while (this.peek().kind !== 'eof') {
      const start = this.peek();
      if (!start.nl) this.fail('new line before rule', start);
      const anns = takeBlocks(start.row);
      const rule = this.parseRule(mod);
      for (const a of anns) {
        if (!a.scope) a.scope = 'rule';
        if (a.scope === 'package' || a.scope === 'subpackages') mod.annotations.push(a);
        else rule.annotations.push(a);
      }
      mod.rules.push(rule);
      if (this.isKw('import')) throw new RegoError('rego_parse_error', 'imports must come before rules', this.loc());
    }
    // blocks after the last rule are ignored, as OPA (it reports them); keep quiet here
    return mod;
  }

  parsePackagePath(): string[] {
    const out: string[] = [this.expectIdent().text];
    for (;;) {
      if (this.isP('.') && !this.peek().nl) {
        this.next();
        out.push(this.expectIdent().text);
      } else if (this.isP('[') && !this.peek().nl) {
        this.next();
        const t = this.next();
        if (t.kind !== 'string') this.fail('string', t);
        out.push(t.text);
        this.expectP(']');
      } else break;
    }
    return out;
  }

  parseImport(): Import {
    const t = this.next();
    const path = this.parseTerm();
    if (path.type !== 'ref' && path.type !== 'var') this.fail('import path', t);
    let alias: string | null = null;
    if (this.isKw('as') && !this.peek().nl) {
      this.next();
      alias = this.expectIdent().text;
    }
    return { path, alias, loc: this.loc(t) };
  }

  // -------------------------------------------------------------------------------------------
  // Rules

  parseRule(mod: Module): Rule {
    const start = this.peek();
    const loc = this.loc(start);
    let isDefault = false;
    if (this.isKw('default')) {
      this.next();
      isDefault = true;
    }
    const nameTok = this.expectIdent();
    if (KEYWORDS.has(nameTok.text)) this.fail('rule name', nameTok);
    const ref: Term[] = [{ type: 'var', name: nameTok.text, loc: this.loc(nameTok) }];
    for (;;) {
      const t = this.peek();
      if (t.nl) break;
      if (this.isP('.')) {
        this.next();
        const id = this.expectIdent();
        ref.push({ type: 'scalar', value: id.text, loc: this.loc(id) });
      } else if (this.isP('[')) {
        this.next();
        ref.push(this.parseTerm());
        this.expectP(']');
      } else break;
    }
    let args: Term[] | null = null;
    if (this.isP('(') && !this.peek().nl) {
      this.next();
      args = [];
      if (!this.isP(')')) {
        for (;;) {
          args.push(this.parseTerm());
          if (this.isP(',')) {
            this.next();
            continue;
          }
          break;
        }
      }
      this.expectP(')');
    }
    const head: RuleHead = { ref, args, key: null, value: null, assign: false, loc };
    const rule: Rule = { head, body: [], isDefault, elseRule: null, loc, annotations: [], module: mod };
    if (this.isKw('contains') && !this.peek().nl) {
      this.next();
      head.key = this.parseTerm();
    } else if ((this.isP(':=') || this.isP('=')) && !this.peek().nl) {
      head.assign = this.next().text === ':=';
      head.value = this.parseTermExpr();
    }
    if (isDefault) {
      if (head.value === null) this.fail('":=" after default rule name');
      return rule;
    }
    const hadBody = this.parseRuleBody(rule);
    if (!hadBody && head.value === null && head.key === null && ref.length === 1 && args === null) {
      this.fail('"if", ":=", "=" or "contains" after rule name');
    }
    if (!hadBody && head.key === null && ref.length > 1 && head.value === null && args === null) {
      // `p[x]` alone (v0 partial set) or `a.b` ref: require a body or value
      this.fail('"if", ":=", "=" or "contains"');
    }
    // else chain
    let cur = rule;
    while (this.isKw('else')) {
      const et = this.next();
      const eh: RuleHead = { ref, args, key: null, value: null, assign: false, loc: this.loc(et) };
      const er: Rule = { head: eh, body: [], isDefault: false, elseRule: null, loc: this.loc(et), annotations: [], module: mod };
      if ((this.isP(':=') || this.isP('=')) && !this.peek().nl) {
        eh.assign = this.next().text === ':=';
        eh.value = this.parseTermExpr();
      }
      this.parseRuleBody(er);
      cur.elseRule = er;
      cur = er;
    }
    return rule;
  }

  /** Parses `if { body }`, `if expr`, `{ body }` (v0); returns whether a body was present. */
  parseRuleBody(rule: Rule): boolean {
    if (this.isKw('if') && !this.peek().nl) {
      this.next();
      if (this.isP('{')) {
        // `if {` opens a body, unless it only parses as a term (e.g. an object comprehension)
        const save = this.pos;
        try {
          rule.body = this.parseBraceBody();
        } catch (e) {
          this.pos = save;
          try {
            rule.body = [this.parseExpr()];
          } catch {
            throw e;
          }
        }
      } else {
        rule.body = [this.parseExpr()];
      }
      return true;
    }
    if (this.isP('{') && !this.peek().nl) {
      if (this.strictV1) throw new RegoError('rego_parse_error', '`if` keyword is required before rule body', this.loc());
      // v0 body, e.g. `p { true }` or `p[x] { ... }`
      if (rule.head.key === null && rule.head.value === null && rule.head.args === null && rule.head.ref.length > 1) {
        // v0 partial set: p[x] { ... }
        const last = rule.head.ref.pop() as Term;
        rule.head.key = last;
      }
      rule.body = this.parseBraceBody();
      return true;
    }
    return false;
  }

  parseBraceBody(): Expr[] {
    const open = this.expectP('{');
    const body = this.parseBodyUntil('}');
    if (body.length === 0) throw new RegoError('rego_parse_error', 'found empty body', this.loc(open));
    this.expectP('}');
    return body;
  }

  /** Expressions separated by `;` or newlines until the closing punctuation (not consumed). */
  parseBodyUntil(close: string): Expr[] {
    const out: Expr[] = [];
    while (!this.isP(close)) {
      if (this.peek().kind === 'eof') this.fail(`"${close}"`);
      out.push(this.parseExpr());
      if (this.isP(';')) {
        this.next();
        continue;
      }
      if (this.isP(close)) break;
      if (!this.peek().nl) this.fail(`";", newline or "${close}"`);
    }
    return out;
  }

  parseQuery(): Expr[] {
    const out: Expr[] = [];
    while (this.peek().kind !== 'eof') {
      out.push(this.parseExpr());
      if (this.isP(';')) {
        this.next();
        continue;
      }
      if (this.peek().kind === 'eof') break;
      if (!this.peek().nl) this.fail('";" or newline');
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  parseExpr(): Expr {
    const t = this.peek();
    const loc = this.loc(t);
    let kind: ExprKind;
    if (this.isKw('not')) {
      this.next();
      const inner = this.parseExprNoWith();
      kind = { kind: 'not', expr: { ...inner, loc: inner.loc, withs: [] } };
    } else {
      const e = this.parseExprNoWith();
      kind = e;
    }
    const withs: With[] = [];
    while (this.isKw('with')) {
      const wt = this.next();
      const target = this.parseTerm();
      if (!this.isKw('as')) this.fail('"as"');
      this.next();
      const value = this.parseTermExpr();
      withs.push({ target, value, loc: this.loc(wt) });
    }
    return { ...kind, loc, withs } as Expr;
  }

  parseExprNoWith(): ExprKind & { loc: Location } {
    const t = this.peek();
    const loc = this.loc(t);
    if (this.isKw('some')) {
      this.next();
      const terms: Term[] = [this.parseTermIn(false)];
      while (this.isP(',')) {
        this.next();
        terms.push(this.parseTermIn(false));
      }
      if (this.isKw('in') && !this.peek().nl) {
        this.next();
        if (terms.length > 2) this.fail('at most two variables before "in"');
        const coll = this.parseTermIn(false);
        return terms.length === 2 ? { kind: 'somein', key: terms[0], value: terms[1], coll, loc } : { kind: 'somein', key: null, value: terms[0], coll, loc };
      }
      for (const v of terms) if (v.type !== 'var') throw new RegoError('rego_parse_error', 'expected var after "some"', v.loc);
      return { kind: 'some', vars: terms, loc };
    }
    if (this.isKw('every')) {
      this.next();
      const first = this.parseTermIn(false);
      let key: Term | null = null;
      let value = first;
      if (this.isP(',')) {
        this.next();
        key = first;
        value = this.parseTermIn(false);
      }
      if (!this.isKw('in')) this.fail('"in"');
      this.next();
      const coll = this.parseTermIn(false);
      if (key && key.type !== 'var') throw new RegoError('rego_parse_error', 'expected var in every', key.loc);
      if (value.type !== 'var') throw new RegoError('rego_parse_error', 'expected var in every', value.loc);
      const body = this.parseBraceBody();
      return { kind: 'every', key, value, coll, body, loc };
    }
    const left = this.parseTermIn(true, true);
    if ((this.isP('=') || this.isP(':=')) && !this.peek().nl) {
      const op = this.next().text;
      const right = this.parseTermExpr();
      return op === ':=' ? { kind: 'assign', left, right, loc } : { kind: 'unify', left, right, loc };
    }
    return { kind: 'term', term: left, loc };
  }

  /** Full term expression: `in` is the loosest operator. */
  parseTermExpr(): Term {
    return this.parseTermIn(true);
  }

  parseTermIn(allowIn: boolean, allowPair = false): Term {
    let left = this.parseTermRelation();
    if (allowIn && allowPair && this.isP(',') && !this.peek().nl) {
      // `k, v in coll`
      const save = this.pos;
      this.next();
      const second = this.parseTermRelation();
      if (this.isKw('in') && !this.peek().nl) {
        const t = this.next();
        const coll = this.parseTermRelation();
        left = { type: 'call', op: 'internal.member_3', opTerm: { type: 'var', name: 'internal.member_3', loc: this.loc(t) }, args: [left, second, coll], loc: left.loc };
      } else this.pos = save;
    }
    while (allowIn && this.isKw('in') && !this.peek().nl) {
      const t = this.next();
      const right = this.parseTermRelation();
      left = { type: 'call', op: 'internal.member_2', opTerm: { type: 'var', name: 'internal.member_2', loc: this.loc(t) }, args: [left, right], loc: left.loc };
    }
    return left;
  }

  parseBinary(ops: string[], sub: () => Term): Term {
    let left = sub();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct' || t.nl || !ops.includes(t.text)) return left;
      this.next();
      const right = sub();
      const op = BIN_OPS[t.text];
      left = { type: 'call', op, opTerm: { type: 'var', name: op, loc: this.loc(t) }, args: [left, right], loc: left.loc };
    }
  }

  parseTermRelation(): Term {
    return this.parseBinary(['==', '!=', '<', '<=', '>', '>='], () => this.parseTermOr());
  }
  parseTermOr(): Term {
    return this.parseBinary(['|'], () => this.parseTermAnd());
  }
  parseTermAnd(): Term {
    return this.parseBinary(['&'], () => this.parseTermArith());
  }
  parseTermArith(): Term {
    return this.parseBinary(['+', '-'], () => this.parseTermFactor());
  }
  parseTermFactor(): Term {
    return this.parseBinary(['*', '/', '%'], () => this.parseTerm());
  }

  // -------------------------------------------------------------------------------------------
  // Terms

  parseTerm(): Term {
    const t = this.peek();
    const loc = this.loc(t);
    let term: Term;
    if (this.isP('-')) {
      this.next();
      const n = this.peek();
      if (n.kind === 'number' && !n.nl) {
        this.next();
        term = { type: 'scalar', value: negate(parseNumber(n.text)), loc };
      } else {
        const inner = this.parseTerm();
        return { type: 'call', op: 'minus', opTerm: { type: 'var', name: 'minus', loc }, args: [{ type: 'scalar', value: 0, loc }, inner], loc };
      }
    } else if (t.kind === 'number') {
      this.next();
      term = { type: 'scalar', value: parseNumber(t.text), loc };
    } else if (t.kind === 'string') {
      this.next();
      term = { type: 'scalar', value: t.text, loc };
    } else if (t.kind === 'ident') {
      if (t.text === 'true' || t.text === 'false') {
        this.next();
        term = { type: 'scalar', value: t.text === 'true', loc };
      } else if (t.text === 'null') {
        this.next();
        term = { type: 'scalar', value: null, loc };
      } else if (t.text === 'set' && this.isP('(', 1) && this.isP(')', 2)) {
        this.next();
        this.next();
        this.next();
        term = { type: 'set', items: [], loc };
      } else {
        if (KEYWORDS.has(t.text) && t.text !== 'contains' && t.text !== 'if') this.fail('term');
        this.next();
        term = { type: 'var', name: t.text, loc };
      }
    } else if (this.isP('(')) {
      this.next();
      term = this.parseTermIn(true, true);
      this.expectP(')');
    } else if (this.isP('[')) {
      term = this.parseArray();
    } else if (this.isP('{')) {
      term = this.parseBrace();
    } else {
      this.fail('term');
    }
    return this.parsePostfix(term);
  }

  parsePostfix(head: Term): Term {
    let term = head;
    for (;;) {
      const t = this.peek();
      if (t.nl || t.kind !== 'punct') return term;
      if (t.text === '.') {
        this.next();
        const id = this.peek();
        if (id.kind !== 'ident') this.fail('identifier after "."');
        this.next();
        term = appendRef(term, { type: 'scalar', value: id.text, loc: this.loc(id) });
      } else if (t.text === '[') {
        this.next();
        const idx = this.parseTermExpr();
        this.expectP(']');
        term = appendRef(term, idx);
      } else if (t.text === '(') {
        const name = callName(term);
        if (name === null) return term;
        this.next();
        const args: Term[] = [];
        if (!this.isP(')')) {
          for (;;) {
            args.push(this.parseTermExpr());
            if (this.isP(',')) {
              this.next();
              continue;
            }
            break;
          }
        }
        this.expectP(')');
        term = { type: 'call', op: name, opTerm: term, args, loc: term.loc };
      } else return term;
    }
  }

  parseArray(): Term {
    const open = this.next();
    const loc = this.loc(open);
    if (this.isP(']')) {
      this.next();
      return { type: 'array', items: [], loc };
    }
    const first = this.parseTermExprNoBar();
    if (this.isP('|')) {
      this.next();
      const body = this.parseBodyUntil(']');
      this.expectP(']');
      return { type: 'arraycompr', term: first, body, loc };
    }
    const items = [first];
    while (this.isP(',')) {
      this.next();
      if (this.isP(']')) break;
      items.push(this.parseTermExpr());
    }
    this.expectP(']');
    return { type: 'array', items, loc };
  }

  parseBrace(): Term {
    const open = this.next();
    const loc = this.loc(open);
    if (this.isP('}')) {
      this.next();
      return { type: 'object', items: [], loc };
    }
    const first = this.parseTermExprNoBar();
    if (this.isP(':')) {
      this.next();
      const v = this.parseTermExprNoBar();
      if (this.isP('|')) {
        this.next();
        const body = this.parseBodyUntil('}');
        this.expectP('}');
        return { type: 'objectcompr', key: first, value: v, body, loc };
      }
      const items: [Term, Term][] = [[first, v]];
      while (this.isP(',')) {
        this.next();
        if (this.isP('}')) break;
        const k = this.parseTermExpr();
        this.expectP(':');
        items.push([k, this.parseTermExpr()]);
      }
      this.expectP('}');
      return { type: 'object', items, loc };
    }
    if (this.isP('|')) {
      this.next();
      const body = this.parseBodyUntil('}');
      this.expectP('}');
      return { type: 'setcompr', term: first, body, loc };
    }
    const f = first;
    const items = [f];
    while (this.isP(',')) {
      this.next();
      if (this.isP('}')) break;
      items.push(this.parseTermExpr());
    }
    this.expectP('}');
    return { type: 'set', items, loc };
  }

  /** Object value before a possible `|` of an object comprehension. */
  parseTermExprNoBar(): Term {
    // `{k: v | body}`: `|` would otherwise parse as set union; OPA resolves this the same way.
    let left = this.parseBinary(['==', '!=', '<', '<=', '>', '>='], () => this.parseTermAnd());
    while (this.isKw('in') && !this.peek().nl) {
      const t = this.next();
      const right = this.parseTermRelation();
      left = { type: 'call', op: 'internal.member_2', opTerm: { type: 'var', name: 'internal.member_2', loc: this.loc(t) }, args: [left, right], loc: left.loc };
    }
    return left;
  }
}

function negate(n: number | bigint): number | bigint {
  return typeof n === 'bigint' ? -n : -n;
}

function appendRef(term: Term, seg: Term): Term {
  if (term.type === 'ref') return { type: 'ref', head: term.head, path: [...term.path, seg], loc: term.loc };
  return { type: 'ref', head: term, path: [seg], loc: term.loc };
}

/** The dotted name of a term usable as a function name, or null. */
export function callName(t: Term): string | null {
  if (t.type === 'var') return t.name;
  if (t.type === 'ref' && t.head.type === 'var') {
    let s = t.head.name;
    for (const p of t.path) {
      if (p.type !== 'scalar' || typeof p.value !== 'string') return null;
      s += '.' + p.value;
    }
    return s;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------

export interface ParseOptions {
  /** Accept Rego v0 syntax in modules that do not import rego.v1 (OPA's `--v0-compatible`). */
  v0Compatible?: boolean;
}

export function parseModule(source: string, file: string, opts: ParseOptions = {}): Module {
  const { tokens, comments } = tokenize(source, file);
  return new Parser(tokens, file, opts.v0Compatible === true).parseModule(comments);
}

export function parseQuery(source: string, file = 'query'): Expr[] {
  const { tokens } = tokenize(source, file);
  return new Parser(tokens, file).parseQuery();
}

/** Parses a single Rego term (e.g. conformance `input_term`). */
export function parseTermText(source: string, file = 'term'): Term {
  const { tokens } = tokenize(source, file);
  const p = new Parser(tokens, file);
  const t = p.parseTermExpr();
  if (p.peek().kind !== 'eof') p.fail('end of term');
  return t;
}

export type { Value };
