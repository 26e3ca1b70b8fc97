/**
 * Comparison operators by OPA's builtin names (topdown/comparison.go): `==` is `equal`, `!=`
 * `neq`, `<` `lt`, `<=` `lte`, `>` `gt`, `>=` `gte`. Any two values compare, by OPA's total
 * order (null < boolean < number < string < array < object < set).
 */
import { compareValues, valueEquals } from '../value';
import { def } from './util';
import type { BuiltinDef } from './types';

export const comparison: BuiltinDef[] = [
  def('equal', 2, ([a, b]) => valueEquals(a, b)),
  def('neq', 2, ([a, b]) => !valueEquals(a, b)),
  def('lt', 2, ([a, b]) => compareValues(a, b) < 0),
  def('lte', 2, ([a, b]) => compareValues(a, b) <= 0),
  def('gt', 2, ([a, b]) => compareValues(a, b) > 0),
  def('gte', 2, ([a, b]) => compareValues(a, b) >= 0),
];
