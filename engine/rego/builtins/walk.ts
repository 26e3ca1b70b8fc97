/** walk (a relation over [path, value] pairs), graph.reachable, graph.reachable_paths. */
import { RSet, isObject, objGet, objSortedEntries, type ObjectValue, type Value } from '../value';
import { def, obj, typeErr } from './util';
import type { BuiltinDef } from './types';

function walkInto(path: Value[], v: Value, out: Value[]): void {
  out.push([path, v]);
  if (Array.isArray(v)) v.forEach((x, i) => walkInto([...path, i], x, out));
  else if (v instanceof RSet) for (const x of v.sorted()) walkInto([...path, x], x, out);
  else if (isObject(v)) for (const [k, x] of objSortedEntries(v)) walkInto([...path, k], x, out);
}

function neighbours(graph: ObjectValue, node: Value): Value[] {
  const e = objGet(graph, node);
  if (e === undefined || e === null) return [];
  if (Array.isArray(e)) return e;
  if (e instanceof RSet) return e.sorted();
  return [];
}

function initial(v: Value): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof RSet) return v.sorted();
  return typeErr(2, v, 'set', 'array');
}

export const walk: BuiltinDef[] = [
  def(
    'walk',
    1,
    ([v]) => {
      const out: Value[] = [];
      walkInto([], v, out);
      return out;
    },
    { relation: true },
  ),
  def('graph.reachable', 2, (args) => {
    const g = obj(args, 0);
    const seen = new RSet();
    const queue = initial(args[1]).filter((n) => objGet(g, n) !== undefined);
    while (queue.length) {
      const n = queue.shift() as Value;
      if (!seen.add(n)) continue;
      for (const m of neighbours(g, n)) if (!seen.has(m) && objGet(g, m) !== undefined) queue.push(m);
    }
    return seen;
  }),
  def('graph.reachable_paths', 2, (args) => {
    const g = obj(args, 0);
    const paths = new RSet();
    const visit = (n: Value, path: Value[]): void => {
      const next = neighbours(g, n).filter(
        (m) => objGet(g, m) !== undefined && !path.some((p) => p === m || JSON.stringify(p) === JSON.stringify(m)),
      );
      if (next.length === 0) paths.add(path);
      for (const m of next) visit(m, [...path, m]);
    };
    for (const n of initial(args[1])) if (objGet(g, n) !== undefined) visit(n, [n]);
    return paths;
  }),
];
