/**
 * The builtin table: one file per family (as OPA's topdown/*.go), registered here — operators
 * included, by OPA's names (`equal`, `plus`, `internal.member_2`…). The compiler resolves calls
 * here and the evaluator calls `fn`; neither implements a builtin itself. Only `print` (which
 * needs its arguments unevaluated, to show `<undefined>`) and `rego.metadata.rule`/`chain`
 * (constants of the calling rule) are handled by the compiler and evaluator.
 */
import { aggregates } from './aggregates';
import { arithmetic } from './arithmetic';
import { arrays } from './arrays';
import { bits } from './bits';
import { casts } from './casts';
import { comparison } from './comparison';
import { crypto } from './crypto';
import { encoding } from './encoding';
import { glob } from './glob';
import { json } from './json';
import { net } from './net';
import { numbers } from './numbers';
import { objects } from './objects';
import { regex, regexLegacy } from './regex';
import { runtime } from './runtime';
import { semver } from './semver';
import { sets, setsLegacy } from './sets';
import { strings } from './strings';
import { test } from './test';
import { time } from './time';
import { tokens } from './tokens';
import { units } from './units';
import { unavailableBuiltins } from './unavailable';
import { uuid } from './uuid';
import { walk } from './walk';
import type { BuiltinDef } from './types';

export { BuiltinError, type BuiltinContext, type BuiltinDef } from './types';

const families: BuiltinDef[][] = [
  aggregates,
  arithmetic,
  arrays,
  bits,
  casts,
  comparison,
  crypto,
  encoding,
  glob,
  json,
  net,
  numbers,
  objects,
  regex,
  regexLegacy,
  runtime,
  semver,
  sets,
  setsLegacy,
  strings,
  test,
  time,
  tokens,
  units,
  unavailableBuiltins,
  uuid,
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
