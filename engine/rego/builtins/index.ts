/**
 * The builtin table: one file per family, registered here. The evaluator looks names up in
 * `builtins` and never implements builtin logic itself.
 */
import { aggregates } from './aggregates';
import { arrays } from './arrays';
import { bits } from './bits';
import { casts } from './casts';
import { crypto } from './crypto';
import { encoding } from './encoding';
import { glob } from './glob';
import { net } from './net';
import { numbers } from './numbers';
import { objects } from './objects';
import { regex, regexLegacy } from './regex';
import { runtime } from './runtime';
import { semver } from './semver';
import { sets } from './sets';
import { strings } from './strings';
import { time } from './time';
import { units } from './units';
import { walk } from './walk';
import type { BuiltinDef } from './types';

export { BuiltinError, type BuiltinContext, type BuiltinDef } from './types';

const families: BuiltinDef[][] = [
  aggregates,
  arrays,
  bits,
  casts,
  crypto,
  encoding,
  glob,
  net,
  numbers,
  objects,
  regex,
  regexLegacy,
  runtime,
  semver,
  sets,
  strings,
  time,
  units,
  walk,
];

function table(): Map<string, BuiltinDef> {
  const m = new Map<string, BuiltinDef>();
  for (const family of families) {
    for (const b of family) {
      if (m.has(b.name)) throw new Error(`builtin ${b.name} registered twice`);
      m.set(b.name, b);
    }
  }
  return m;
}

/** Every builtin by OPA name (e.g. `count`, `object.get`, `net.cidr_contains`). */
export const builtins: ReadonlyMap<string, BuiltinDef> = table();
