/**
 * The compiler, as OPA's and regorus' are: a sequence of passes, each in its own file.
 *   1. tree.ts       the rule tree: rules placed by path, conflicts between rule kinds
 *   2. resolve.ts    names resolved, variables numbered into slots, builtins checked
 *   3. safety.ts     bodies ordered so that every variable is bound before use; unsafe vars
 *   4. recursion.ts  rules that depend on themselves
 *   5. indexing.ts   `some x in coll` iterations narrowed by a later equality
 * The evaluator (../eval.ts) runs the result. Errors of one pass are reported together (OPA
 * lists them all); later passes run only when the earlier ones found none.
 */
import type { Expr, Module } from '../ast';
import type { Capabilities } from '../capabilities';
import { RegoError, RegoErrors } from '../errors';
import type { Annotation } from '../metadata';
import { indexBody, indexRule } from './indexing';
import type { Builtins, CExpr, CRule, DocNode } from './ir';
import { checkRecursion } from './recursion';
import { Resolver } from './resolve';
import { scheduleBody, scheduleRule } from './safety';
import { buildTree, type RuleTree } from './tree';

export * from './ir';
export type { Annotation } from '../metadata';

export interface CompilerOptions {
  /** Accept Rego v0 modules and the builtins OPA 1.x removed (OPA's `--v0-compatible`). */
  v0Compatible?: boolean;
  /** Only these builtins may be called (OPA's capabilities); default: every builtin. */
  capabilities?: Capabilities;
}

export interface CompileOutput {
  root: DocNode;
  rules: CRule[];
  annotations: Annotation[];
}

export interface CompiledQuery {
  body: CExpr[];
  nslots: number;
  /** variable name → slot */
  vars: Map<string, number>;
}

function collect(errors: RegoError[], fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof RegoError)) throw e;
    errors.push(e);
  }
}

function flush(errors: RegoError[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new RegoErrors(errors);
}

export class Compiler {
  private tree: RuleTree | null = null;
  private resolver: Resolver | null = null;

  constructor(
    private readonly builtins: Builtins,
    private readonly options: CompilerOptions = {},
  ) {}

  compileModules(modules: Module[]): CompileOutput {
    const errors: RegoError[] = [];
    const tree = buildTree(modules, this.options, errors);
    flush(errors);
    const resolver = new Resolver(tree, this.builtins, { capabilities: this.options.capabilities });
    this.tree = tree;
    this.resolver = resolver;
    const rules = tree.placed.map((p) => p.rule);
    for (const p of tree.placed) collect(errors, () => resolver.resolveRule(p.rule, p.src, p.env));
    flush(errors);
    for (const r of rules) collect(errors, () => scheduleRule(r));
    flush(errors);
    checkRecursion(tree.root, rules);
    for (const r of rules) indexRule(r);
    return { root: tree.root, rules, annotations: tree.annotations };
  }

  /** Compiles a query against the modules compiled before (resolve, schedule, index). */
  compileQuery(body: Expr[], pkg: string[] = []): CompiledQuery {
    if (!this.tree || !this.resolver) throw new Error('compileQuery before compileModules');
    const { body: resolved, scope } = this.resolver.resolveQuery(body, pkg);
    const ordered = scheduleBody(resolved, new Set(), body[0]?.loc ?? { file: 'query', row: 1, col: 1 }, scope.slotNames);
    indexBody(ordered, new Set());
    return { body: ordered, nslots: scope.nslots, vars: scope.names };
  }
}
