/** Array builtins: array.concat, array.slice, array.reverse. */
import type { Value } from '../value';
import { arr, def, int } from './util';
import type { BuiltinDef } from './types';

export const arrays: BuiltinDef[] = [
  def('array.concat', 2, (args) => [...arr(args, 0), ...arr(args, 1)]),
  def('array.slice', 3, (args) => {
    const a = arr(args, 0);
    let start = int(args, 1);
    let stop = int(args, 2);
    if (start < 0) start = 0;
    if (stop > a.length) stop = a.length;
    if (start >= stop) return [] as Value[];
    return a.slice(start, stop);
  }),
  def('array.reverse', 1, (args) => arr(args, 0).slice().reverse()),
];
