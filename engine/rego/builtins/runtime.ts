/**
 * opa.runtime: OPA returns an empty object when it runs embedded without runtime information,
 * which is how this interpreter always runs.
 */
import { RObject } from '../value';
import { def } from './util';
import type { BuiltinDef } from './types';

export const runtime: BuiltinDef[] = [def('opa.runtime', 0, () => new RObject())];
