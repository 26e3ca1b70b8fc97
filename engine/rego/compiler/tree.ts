/**
 * Pass 1, the rule tree: every rule placed at its path in the tree of documents (DocNode), with
 * its kind (complete, multi-value, general ref head, function, default); each package a document
 * even without rules; imports and the package's rule names per module; conflicts between rule
 * kinds at one path reported as OPA reports them. Later passes resolve names against this tree.
 */
import type { Module, Rule, Term } from '../ast';
import { RegoError, notSupported, type Location } from '../errors';
import { toAnnotation, type Annotation } from '../metadata';
import { callName } from '../parser';
import { RObject } from '../value';
import { DocNode, type CRule } from './ir';
import { NO_NEEDS } from './vars';

export interface ModuleEnv {
  pkg: string[];
  /** alias → path ['input', ...] or ['data', ...] */
  imports: Map<string, string[]>;
  /** first ref segment of every rule in the package */
  ruleNames: Set<string>;
  /** Rego v1 rules apply (the default, or the module imports rego.v1): builtins removed in OPA 1.x are unavailable */
  v1?: boolean;
}

/** A rule placed in the tree, with its source and its module's names. */
export interface PlacedRule {
  rule: CRule;
  src: Rule;
  env: ModuleEnv;
}

export interface RuleTree {
  root: DocNode;
  placed: PlacedRule[];
  /** first ref segment of every rule, per package (`a.b`) */
  pkgRuleNames: Map<string, Set<string>>;
  /** package and subpackages annotations, per package */
  pkgAnnotations: Map<string, Annotation[]>;
  /** every annotation seen so far (rules add theirs in the resolve pass) */
  annotations: Annotation[];
}

/** Builds the tree; errors are added to `errors` (the caller reports them together). */
export function buildTree(modules: Module[], opts: { v0Compatible?: boolean }, errors: RegoError[]): RuleTree {
  const tree: RuleTree = { root: new DocNode([], null), placed: [], pkgRuleNames: new Map(), pkgAnnotations: new Map(), annotations: [] };
  for (const m of modules) {
    const key = m.pkg.join('.');
    let names = tree.pkgRuleNames.get(key);
    if (!names) tree.pkgRuleNames.set(key, (names = new Set()));
    for (const r of m.rules) {
      const h = r.head.ref[0];
      if (h.type === 'var') names.add(h.name);
    }
    for (const a of m.annotations) {
      const ann = toAnnotation(a.data, a.scope as Annotation['scope'], 'data.' + m.pkg.join('.'), a.loc);
      tree.annotations.push(ann);
      const list = tree.pkgAnnotations.get(key) ?? [];
      list.push(ann);
      tree.pkgAnnotations.set(key, list);
    }
  }
  for (const m of modules) {
    // a package is a document even without rules (`package a.b` alone makes data.a.b {})
    let pkgNode = tree.root;
    for (const p of m.pkg) pkgNode = pkgNode.child(p);
    const env: ModuleEnv = { pkg: m.pkg, imports: new Map(), ruleNames: tree.pkgRuleNames.get(m.pkg.join('.')) as Set<string> };
    try {
      for (const imp of m.imports) addImport(env, imp.path, imp.alias, imp.loc);
    } catch (e) {
      if (!(e instanceof RegoError)) throw e;
      errors.push(e);
    }
    env.v1 = !opts.v0Compatible || m.imports.some((i) => callName(i.path) === 'rego.v1');
    for (const r of m.rules) {
      try {
        tree.placed.push({ rule: placeRule(tree.root, r, env), src: r, env });
      } catch (e) {
        if (!(e instanceof RegoError)) throw e;
        errors.push(e);
      }
    }
  }
  checkTree(tree.root, errors);
  return tree;
}

function addImport(env: ModuleEnv, path: Term, alias: string | null, loc: Location): void {
  const segs = refStrings(path);
  if (!segs) throw new RegoError('rego_parse_error', 'invalid import path', loc);
  if (segs[0] === 'future' || (segs[0] === 'rego' && segs[1] === 'v1')) return;
  if (segs[0] !== 'data' && segs[0] !== 'input') throw new RegoError('rego_parse_error', `invalid import path ${segs.join('.')}: must begin with input or data`, loc);
  const name = alias ?? segs[segs.length - 1];
  if (segs.length === 1 && alias === null && segs[0] === 'input') return;
  env.imports.set(name, segs);
}

function placeRule(root: DocNode, r: Rule, env: ModuleEnv): CRule {
  const ref = r.head.ref;
  const name = (ref[0] as { name: string }).name;
  let node = root;
  for (const p of env.pkg) node = node.child(p);
  node = node.child(name);
  let i = 1;
  for (; i < ref.length; i++) {
    const seg = ref[i];
    if (seg.type === 'scalar' && typeof seg.value === 'string') node = node.child(seg.value);
    else break;
  }
  let kind: CRule['kind'];
  if (r.isDefault) kind = 'default';
  else if (r.head.args) kind = 'func';
  else if (i < ref.length) kind = 'general';
  else if (r.head.key) kind = 'multi';
  else kind = 'complete';
  if (r.head.args && i < ref.length) throw notSupported('functions with variables in the name', r.loc);
  if (r.elseRule && (kind === 'multi' || kind === 'general')) {
    throw new RegoError('rego_parse_error', 'else keyword cannot be used on multi-value rules', r.elseRule.loc);
  }
  const cr: CRule = {
    kind,
    node,
    refSegs: [],
    key: null,
    value: { t: 'val', v: true, needs: NO_NEEDS },
    args: null,
    body: [],
    nslots: 0,
    slotNames: [],
    elseRule: null,
    constValue: true,
    loc: r.loc,
    src: r,
    metaRule: new RObject(),
    metaChain: [],
  };
  switch (kind) {
    case 'default':
      if (r.head.args) {
        node.funcs.push(cr);
        cr.kind = 'func';
      } else {
        if (node.defaultRule) throw new RegoError('rego_type_error', `multiple default rules ${node.pathText} found`, r.loc);
        node.defaultRule = cr;
      }
      break;
    case 'func':
      node.funcs.push(cr);
      break;
    case 'general':
      node.general.push(cr);
      break;
    case 'multi':
      node.multi.push(cr);
      break;
    default:
      node.complete.push(cr);
  }
  return cr;
}

function checkTree(node: DocNode, errors: RegoError[]): void {
  const kinds = [node.complete.length > 0 || node.defaultRule !== null, node.multi.length > 0, node.funcs.length > 0].filter(Boolean).length;
  if (kinds > 1) {
    const r = node.rules()[0];
    errors.push(new RegoError('rego_type_error', `conflicting rules ${node.pathText} found`, r.loc));
  }
  if (node.funcs.length > 0) {
    const arities = new Set(node.funcs.map((f) => (f.src.head.args as Term[]).length));
    if (arities.size > 1) errors.push(new RegoError('rego_type_error', `conflicting rules ${node.pathText} found`, node.funcs[0].loc));
  }
  if ((node.complete.length > 0 || node.defaultRule || node.multi.length > 0 || node.funcs.length > 0) && node.children.size > 0) {
    const r = node.rules()[0];
    errors.push(new RegoError('rego_type_error', `rule ${node.pathText} conflicts with rules below it`, r.loc));
  }
  for (const c of node.children.values()) checkTree(c, errors);
}

function refStrings(t: Term): string[] | null {
  const n = callName(t);
  if (n !== null) return n.split('.');
  if (t.type === 'ref' && t.head.type === 'var') {
    const out = [t.head.name];
    for (const p of t.path) {
      if (p.type !== 'scalar' || typeof p.value !== 'string') return null;
      out.push(p.value);
    }
    return out;
  }
  return null;
}
