/**
 * The Rego interpreter's public API: `compile` sources into a `CompiledPolicy`, then `evaluate`
 * a rule path or run a `query`. All synchronous. `runTests`/`formatTestReport` are in testing.ts.
 */
import type { JsonValue, RegoSource } from '../engine';
import type { Module } from './ast';
import { builtins } from './builtins/index';
import { Compiler, type Annotation, type CExpr, type DocNode } from './compiler/index';
import type { Capabilities } from './capabilities';
import type { CoverageTracker } from './coverage';
import { RegoError } from './errors';
import { Evaluator, type Frame } from './eval';
import { parseModule, parseQuery } from './parser';
import { RObject, fromJson, fromJsonChecked, makeSet, toJson, type Value } from './value';

export { RegoError, RegoErrors } from './errors';
export { loadCapabilities, parseCapabilities, type Capabilities } from './capabilities';
export type { Annotation } from './compiler/index';
export { runTests, formatTestReport, type TestReport, type TestResult } from './testing';
export { CoverageTracker, coverageReport, type CoverageReport, type FileCoverage } from './coverage';

export interface EvalOpts {
  input?: JsonValue;
  data?: JsonValue;
  strictBuiltinErrors?: boolean;
  /** Where `print` writes (default: stderr). */
  print?: (msg: string) => void;
  /** Collects line coverage (see coverage.ts); none by default. */
  coverage?: CoverageTracker;
  /** Entries per generation of the function-result cache (memory against recomputation; see fn-cache.ts). */
  functionCacheEntries?: number;
  /**
   * Values of rules computed by another evaluation of the same input and data (a worker
   * thread), by path (`kz/residency/store/deny`): used as the rule's value instead of
   * evaluating it. A partial set rule's value may be given as an array of its members.
   */
  ruleValues?: ReadonlyMap<string, JsonValue>;
}

export interface CompileOptions {
  /** Accept Rego v0 syntax and the builtins OPA 1.x removed in modules that do not import
   * rego.v1 (OPA's `--v0-compatible`). Default: Rego v1 only, as OPA 1.x. */
  v0Compatible?: boolean;
  /** Only these builtins may be called (OPA's capabilities JSON, see capabilities.ts); a call
   * outside them is a compile error. Default: every builtin of engine/rego/builtins. */
  capabilities?: Capabilities;
}

/** One evaluation asked for several paths (CompiledPolicy.session). */
export interface PolicySession {
  /** The value of a rule or document path, evaluated once per session. */
  evaluate(path: string): JsonValue | undefined;
  /** Uses `value` for the rule at `path` (see EvalOpts.ruleValues); before that rule is evaluated. */
  seed(path: string, value: JsonValue): void;
}

/** `print` writes to stderr unless the evaluation names another sink (EvalOpts.print). */
const defaultPrint = (msg: string): void => {
  process.stderr.write(msg + '\n');
};

/** What compiling produces, as compiled-cache.ts stores it. */
export interface CompiledParts {
  /** The parsed modules. */
  readonly modules: Module[];
  /** The compiled rule tree the evaluator walks. */
  readonly root: DocNode;
  /** Every `# METADATA` block. */
  readonly annotations: Annotation[];
  /** The options the modules were compiled with. */
  readonly options: CompileOptions;
}

export class CompiledPolicy {
  /** Every `# METADATA` block, with its scope and the path it applies to. */
  readonly annotations: Annotation[];
  /** The parsed modules (for tools such as the test runner). */
  readonly modules: Module[];
  /** The compiler's state, for queries; absent for a policy loaded from the cache until a query needs it. */
  private compiler: Compiler | null;
  private root: DocNode;
  private readonly options: CompileOptions;
  private readonly queryCache = new Map<string, { body: CExpr[]; nslots: number; vars: Map<string, number> }>();

  constructor(modules: Module[], opts: CompileOptions = {}, prebuilt?: CompiledParts) {
    this.modules = modules;
    this.options = opts;
    if (prebuilt) {
      this.compiler = null;
      this.root = prebuilt.root;
      this.annotations = prebuilt.annotations;
      return;
    }
    this.compiler = new Compiler(builtins, opts);
    const out = this.compiler.compileModules(modules);
    this.root = out.root;
    this.annotations = out.annotations;
  }

  /** A policy from the parts a previous compile produced (see compiled-cache.ts). */
  static fromParts(parts: CompiledParts): CompiledPolicy {
    return new CompiledPolicy(parts.modules, parts.options, parts);
  }

  /** The parts to store (see compiled-cache.ts). */
  parts(): CompiledParts {
    return { modules: this.modules, root: this.root, annotations: this.annotations, options: this.options };
  }

  /** The compiler, compiling the modules again if this policy came from the cache. */
  private queryCompiler(): Compiler {
    if (!this.compiler) {
      this.compiler = new Compiler(builtins, this.options);
      this.root = this.compiler.compileModules(this.modules).root;
    }
    return this.compiler;
  }

  private evaluator(opts: EvalOpts): Evaluator {
    const input = opts.input === undefined ? undefined : fromJson(opts.input);
    const data = opts.data === undefined || opts.data === null ? new RObject() : fromJsonChecked(opts.data);
    const ev = new Evaluator(this.root, { input, data, strict: opts.strictBuiltinErrors === true, print: opts.print ?? defaultPrint, coverage: opts.coverage, functionCacheEntries: opts.functionCacheEntries });
    for (const [path, value] of opts.ruleValues ?? []) this.seed(ev, path, value);
    return ev;
  }

  /** The rule-tree node of a path (`a/b/c` or `data.a.b.c`), when it holds rules. */
  private ruleNode(path: string): DocNode | undefined {
    const segs = path.startsWith('data') && (path.length === 4 || path[4] === '.') ? path.split('.').slice(1) : path.split('/').filter((x) => x !== '');
    let node: DocNode | undefined = this.root;
    for (const seg of segs) node = node?.children.get(seg);
    return node && node.hasOwnRules() ? node : undefined;
  }

  /** Paths of the rules named `name` in the packages below `pkg` (`kz/residency` → `kz/residency/store/deny`, …). */
  rulesNamed(pkg: string, name: string): string[] {
    let node: DocNode | undefined = this.root;
    for (const seg of pkg.split('/').filter((x) => x !== '')) node = node?.children.get(seg);
    const out: string[] = [];
    for (const child of node?.children.values() ?? []) {
      const rule = child.children.get(name);
      if (rule && rule.hasOwnRules()) out.push(rule.path.join('/'));
    }
    return out.sort();
  }

  /** Evaluates a rule or document path (`kz/residency/report` or `data.kz.residency.report`). */
  evaluate(path: string, opts: EvalOpts = {}): JsonValue | undefined {
    const v = this.evaluateValue(path, opts);
    return v === undefined ? undefined : toJson(v);
  }

  /** Like evaluate, but returns the Rego value (sets stay sets). */
  evaluateValue(path: string, opts: EvalOpts = {}): Value | undefined {
    return evaluatePath(this.evaluator(opts), path);
  }

  /**
   * One evaluation for several paths: rule values computed for one path (a plan view, say) are
   * not computed again for the next. For tools that time or inspect parts of a policy.
   */
  session(opts: EvalOpts = {}): PolicySession {
    const ev = this.evaluator(opts);
    return {
      evaluate: (path: string): JsonValue | undefined => {
        const v = evaluatePath(ev, path);
        return v === undefined ? undefined : toJson(v);
      },
      seed: (path: string, value: JsonValue): void => this.seed(ev, path, value),
    };
  }

  private seed(ev: Evaluator, path: string, value: JsonValue): void {
    const node = this.ruleNode(path);
    if (!node) throw new RegoError('engine_error', `ruleValues: ${path} is not a rule of the policy`);
    const v = fromJson(value);
    ev.seedRuleValue(node, node.multi.length > 0 && Array.isArray(v) ? makeSet(v) : v);
  }


  /** Runs a Rego query; one record of variable bindings per result. */
  query(text: string, opts: EvalOpts = {}): Array<Record<string, JsonValue>> {
    this.queryCompiler();
    let q = this.queryCache.get(text);
    if (!q) {
      const body = parseQuery(text);
      if (body.length === 0) throw new RegoError('rego_parse_error', 'empty query', { file: 'query', row: 1, col: 1 });
      q = this.queryCompiler().compileQuery(body);
      this.queryCache.set(text, q);
    }
    const ev = this.evaluator(opts);
    const f: Frame = new Array(q.nslots);
    const rows: Array<Record<string, JsonValue>> = [];
    const names = Array.from(q.vars.entries()).filter(([n]) => !n.startsWith('_'));
    const qq = q;
    guard(() =>
      ev.evalBody(qq.body, 0, f, () => {
        const row: Record<string, JsonValue> = {};
        for (const [n, s] of names) {
          const v = f[s];
          if (v !== undefined) row[n] = toJson(v);
        }
        rows.push(row);
        return false;
      }),
    );
    return rows;
  }

  /** Rule paths of every test (`test_*`) rule, for the test runner. */
  testRules(): Array<{ path: string[]; file: string; row: number }> {
    const out: Array<{ path: string[]; file: string; row: number }> = [];
    const seen = new Set<string>();
    for (const m of this.modules) {
      for (const r of m.rules) {
        const h = r.head.ref[0];
        if (h.type !== 'var' || !h.name.startsWith('test_') || r.head.args || r.head.ref.length > 1) continue;
        const key = [...m.pkg, h.name].join('.');
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ path: [...m.pkg, h.name], file: m.file, row: r.loc.row });
      }
    }
    return out;
  }
}

/** The value of a rule or document path (`kz/residency/report` or `data.kz.residency.report`). */
function evaluatePath(ev: Evaluator, path: string): Value | undefined {
  const segs = path.startsWith('data') && (path.length === 4 || path[4] === '.') ? path.split('.').slice(1) : path.split('/').filter((s) => s !== '');
  let result: Value | undefined;
  const terms = segs.map((s) => ({ t: 'val' as const, v: s, needs: [] as number[] }));
  guard(() =>
    ev.evalTerm({ t: 'data', path: terms, needs: [], loc: { file: 'query', row: 1, col: 1 } }, [], (v) => {
      result = v;
      return true;
    }),
  );
  return result;
}

/** Turns a JS stack overflow into an engine error instead of a crash with a stack trace. */
function guard(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new RegoError('engine_error', 'evaluation nested too deeply (JavaScript stack exhausted); simplify the policy or raise node --stack-size');
    }
    throw e;
  }
}

/** Parses and checks the sources (safety, recursion, names); throws RegoError. */
export function compile(sources: RegoSource[], opts: CompileOptions = {}): CompiledPolicy {
  let policy: CompiledPolicy | undefined;
  guard(() => {
    policy = new CompiledPolicy(
      sources.map((s) => parseModule(s.source, s.file, { v0Compatible: opts.v0Compatible })),
      opts,
    );
  });
  return policy as CompiledPolicy;
}
