/**
 * OPA capabilities (`opa build --capabilities caps.json`): the builtins a policy may call. A
 * policy that calls a builtin outside them fails to compile with OPA's message,
 * `rego_type_error: undefined function NAME`. Only `builtins` restricts anything here; the other
 * fields of OPA's format (`future_keywords`, `features`, `wasm_abi_versions`, `allow_net`) are
 * read and ignored, because this interpreter has no network builtins and always knows every keyword.
 */
import { readFileSync } from 'node:fs';
import { PolicyEngineError } from '../engine';

export interface Capabilities {
  /** Names of the builtins (operators included, by OPA's names: `equal`, `plus`, `eq`, `assign`…). */
  readonly builtins: ReadonlySet<string>;
}

/** Validates a parsed capabilities document; errors name `source` and the field. */
export function parseCapabilities(doc: unknown, source: string): Capabilities {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new PolicyEngineError(`${source}: capabilities must be a JSON object`, 'engine_error');
  }
  const list = (doc as { builtins?: unknown }).builtins;
  if (!Array.isArray(list)) throw new PolicyEngineError(`${source}: builtins: expected an array of {name, decl}`, 'engine_error');
  const names = new Set<string>();
  list.forEach((b: unknown, i) => {
    const name = typeof b === 'object' && b !== null ? (b as { name?: unknown }).name : undefined;
    if (typeof name !== 'string' || name === '') {
      throw new PolicyEngineError(`${source}: builtins[${i}].name: expected a string`, 'engine_error');
    }
    names.add(name);
  });
  return { builtins: names };
}

/** Reads a capabilities JSON file (OPA's format). */
export function loadCapabilities(file: string): Capabilities {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PolicyEngineError(`${file}: cannot read capabilities: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'engine_error');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new PolicyEngineError(`${file}: not JSON: ${(e as Error).message}`, 'engine_error');
  }
  return parseCapabilities(doc, file);
}
