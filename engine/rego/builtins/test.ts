/** `test.sleep` (OPA topdown/test.go): blocks for a Go duration such as "10ms", at most a minute here. */
import { def, fail, str } from './util';
import type { BuiltinDef } from './types';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };

export const test: BuiltinDef[] = [
  def('test.sleep', 1, (args) => {
    const d = str(args, 0);
    const parts = [...d.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)];
    if (!/^((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/.test(d)) return fail(`time: invalid duration ${JSON.stringify(d)}`);
    const ms = Math.min(
      parts.reduce((t, p) => t + Number(p[1]) * UNIT_MS[p[2]], 0),
      60_000,
    );
    // the evaluator is synchronous: block the thread, as Go's time.Sleep blocks the goroutine
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    return null;
  }),
];

