/**
 * Runtime and tracing (OPA topdown/runtime.go, trace.go): `opa.runtime` is an empty object, as in
 * OPA embedded without runtime information, which is how this interpreter always runs; `trace`
 * is true (this interpreter keeps no evaluation trace to add the note to).
 */
import { RObject } from '../value';
import { def, str } from './util';
import type { BuiltinDef } from './types';

export const runtime: BuiltinDef[] = [
  def('opa.runtime', 0, () => new RObject()),
  def('trace', 1, (args) => {
    str(args, 0);
    return true;
  }),
];
