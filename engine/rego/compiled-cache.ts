/**
 * A compiled policy as bytes and back, so that a command can skip parsing and compiling an
 * unchanged pack (about 300 ms of a cold start for the shipped one). The compiled form is an
 * object graph (the rule tree, rules, terms, modules, annotations) with cycles; V8's serializer
 * (node:v8) keeps identity and cycles, Maps, Sets and bigints, but not classes or functions. So
 * before serializing, class instances are tagged with their class and each builtin is replaced
 * by its name; after deserializing, instances get their class back and builtins are looked up
 * again in this build's table. What is stored says nothing about where: see cli/pack-cache.ts.
 */
import { types } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { builtins } from './builtins/index';
import type { BuiltinDef } from './builtins/types';
import { DocNode } from './compiler/ir';
import { CompiledPolicy, type CompiledParts } from './index';
import { RObject, RSet, type Value } from './value';

/** Bump when the compiled form changes shape (the cache key includes it). */
export const COMPILED_FORMAT_VERSION = 2;

const TAG = '\u0000kz';

/** Something in the compiled policy that cannot be stored (a function that is not a builtin). */
export class NotStorable extends Error {}

export function serializeCompiled(policy: CompiledPolicy): Buffer {
  const builtinNames = new Map<BuiltinDef, string>();
  for (const [name, def] of builtins) if (!builtinNames.has(def)) builtinNames.set(def, name);
  const memo = new Map<object, unknown>();
  const tag = (v: unknown): unknown => {
    if (typeof v === 'function') throw new NotStorable('a function in the compiled policy');
    if (typeof v !== 'object' || v === null) return v;
    const known = memo.get(v);
    if (known !== undefined) return known;
    const b = builtinNames.get(v as BuiltinDef);
    if (b !== undefined) {
      const out = { [TAG]: 'builtin', name: b };
      memo.set(v, out);
      return out;
    }
    if (v instanceof RSet) {
      const out: Record<string, unknown> = { [TAG]: 'RSet' };
      memo.set(v, out);
      out.items = v.values().map(tag);
      return out;
    }
    if (types.isMap(v)) {
      const out = new Map<unknown, unknown>();
      memo.set(v, out);
      for (const [k, x] of v as Map<unknown, unknown>) out.set(tag(k), tag(x));
      return out;
    }
    if (types.isSet(v)) {
      const out = new Set<unknown>();
      memo.set(v, out);
      for (const x of v as Set<unknown>) out.add(tag(x));
      return out;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = new Array(v.length);
      memo.set(v, out);
      for (let i = 0; i < v.length; i++) out[i] = tag(v[i]);
      return out;
    }
    const proto = Object.getPrototypeOf(v) as object | null;
    const cls = proto === DocNode.prototype ? 'DocNode' : proto === RObject.prototype ? 'RObject' : proto === Object.prototype || proto === null ? 'Object' : undefined;
    if (cls === undefined) throw new NotStorable(`an instance of ${(v as object).constructor?.name ?? 'an unknown class'}`);
    const out: Record<string, unknown> = cls === 'Object' ? {} : { [TAG]: cls };
    memo.set(v, out);
    for (const k of Object.keys(v)) out[k] = tag((v as Record<string, unknown>)[k]);
    return out;
  };
  const p = policy.parts();
  return serialize(tag({ format: COMPILED_FORMAT_VERSION, modules: p.modules, root: p.root, annotations: p.annotations, options: p.options }));
}

export function deserializeCompiled(bytes: Buffer): CompiledPolicy {
  const data = deserialize(bytes) as Record<string, unknown>;
  if (data.format !== COMPILED_FORMAT_VERSION) throw new NotStorable(`compiled form ${String(data.format)}, expected ${COMPILED_FORMAT_VERSION}`);
  const memo = new Map<object, unknown>();
  const revive = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    const known = memo.get(v);
    if (known !== undefined) return known;
    // (util.types, not instanceof: the Maps V8 deserializes belong to the main realm, which
    // is not the test runner's)
    if (types.isMap(v)) {
      const out = new Map<unknown, unknown>();
      memo.set(v, out);
      for (const [k, x] of v as Map<unknown, unknown>) out.set(revive(k), revive(x));
      return out;
    }
    if (types.isSet(v)) {
      const out = new Set<unknown>();
      memo.set(v, out);
      for (const x of v as Set<unknown>) out.add(revive(x));
      return out;
    }
    if (Array.isArray(v)) {
      memo.set(v, v);
      for (let i = 0; i < v.length; i++) v[i] = revive(v[i]);
      return v;
    }
    const o = v as Record<string, unknown>;
    const cls = o[TAG];
    if (cls === 'builtin') {
      const def = builtins.get(o.name as string);
      if (!def) throw new NotStorable(`builtin ${String(o.name)} is not in this build`);
      memo.set(v, def);
      return def;
    }
    if (cls === 'RSet') {
      const s = new RSet();
      memo.set(v, s);
      for (const x of o.items as unknown[]) s.add(revive(x) as Value);
      return s;
    }
    if (cls === 'DocNode' || cls === 'RObject') {
      const inst = Object.create(cls === 'DocNode' ? DocNode.prototype : RObject.prototype) as Record<string, unknown>;
      memo.set(v, inst);
      for (const k of Object.keys(o)) if (k !== TAG) inst[k] = revive(o[k]);
      return inst;
    }
    memo.set(v, v);
    for (const k of Object.keys(o)) o[k] = revive(o[k]);
    return v;
  };
  const parts = revive(data) as Record<string, unknown>;
  return CompiledPolicy.fromParts(parts as unknown as CompiledParts);
}
