/**
 * Property-based (fast-check, seeded): the opa-wasm backend and the interpreter give the same
 * result for every entrypoint of a bundle on random inputs. Needs a bundle compiled by OPA
 * (KZ_WASM_BUNDLE or dist/policy-bundle.tar.gz, see test/engine/wasm.test.ts); skips with the
 * reason otherwise.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import type { JsonValue, RegoSource } from '../../../engine/engine';
import { compile } from '../../../engine/rego';
import { WasmEngine, mergeData } from '../../../engine/wasm';

const repo = resolve(__dirname, '..', '..', '..');
const bundle = [process.env.KZ_WASM_BUNDLE, join(repo, 'dist', 'policy-bundle.tar.gz')].find((p): p is string => !!p && existsSync(p));

function regoSources(dir: string): RegoSource[] {
  const out: RegoSource[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.rego') && !name.endsWith('_test.rego')) out.push({ file: relative(repo, p), source: readFileSync(p, 'utf8') });
    }
  };
  walk(dir);
  return out;
}

if (!bundle) {
  console.warn('wasm properties: skipped: no OPA-compiled bundle (set KZ_WASM_BUNDLE or run `npm run build:wasm`, which needs the opa binary)');
  describe.skip('wasm and interpreter on random inputs', () => {
    it('needs a bundle', () => undefined);
  });
} else {
  const json: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>;
  describe('wasm and interpreter on random inputs (fast-check, seed 17)', () => {
    it('agree on every entrypoint', async () => {
      const engine = await WasmEngine.load(bundle);
      const policy = compile(regoSources(process.env.KZ_WASM_POLICIES ?? join(repo, 'policies')));
      await fc.assert(
        fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 8 }), json, { maxKeys: 4 }), async (input) => {
          for (const ep of engine.entrypoints) {
            const viaWasm = await engine.evaluate(ep, input as JsonValue, {});
            const viaInterp = policy.evaluate(ep, { input: input as JsonValue, data: mergeData(engine.baseData, {}) });
            expect({ ep, result: viaWasm }).toEqual({ ep, result: viaInterp });
          }
        }),
        { seed: 17, numRuns: 30 },
      );
    });
  });
}
