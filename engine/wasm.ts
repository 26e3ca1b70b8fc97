/**
 * The opa-wasm backend: runs a policy compiled by `opa build -t wasm` through
 * `@open-policy-agent/opa-wasm`. Accepts a bare `policy.wasm` or an OPA bundle
 * (`.tar.gz` holding `/policy.wasm`, and optionally `data.json` files that become base data).
 * Results have the same shape as the interpreter's: the entrypoint's value, or `undefined`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { PolicyEngineError, type JsonValue, type PolicyEngine } from './engine';
import { builtins, BuiltinError, type BuiltinContext, type BuiltinDef } from './rego/builtins/index';
import { marshal } from './rego/builtins/encoding';
import { fromJson } from './rego/value';

type JsonObject = { [key: string]: JsonValue };

/** The files of an OPA bundle this backend uses. */
interface BundleContents {
  wasm: Buffer;
  /** data.json documents keyed by their directory inside the bundle ('' for the root). */
  data: Array<{ path: string[]; value: JsonValue; file: string }>;
}

const WASM_MAGIC = Buffer.from([0x00, 0x61, 0x73, 0x6d]);
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep-merges `overlay` into `base` (objects merge, anything else replaces). Returns a new value. */
export function mergeData(base: JsonValue, overlay: JsonValue): JsonValue {
  if (!isObject(base) || !isObject(overlay)) return overlay;
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(overlay)) {
    out[k] = k in base ? mergeData(base[k], v) : v;
  }
  return out;
}

function nest(path: string[], value: JsonValue): JsonValue {
  let v = value;
  for (let i = path.length - 1; i >= 0; i--) v = { [path[i]]: v };
  return v;
}

async function readBundle(file: string, bytes: Buffer): Promise<BundleContents> {
  const entries = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        const name = entry.path.replace(/^\.?\/+/, '');
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => {
          if (entry.type === 'File') entries.set(name, Buffer.concat(chunks));
        });
      },
    });
    parser.on('error', (e: unknown) => reject(e instanceof Error ? e : new Error(String(e))));
    parser.on('warn', (_code: string, message: string | Error) => {
      reject(new Error(typeof message === 'string' ? message : message.message));
    });
    parser.on('end', () => resolve());
    parser.on('close', () => resolve());
    parser.end(bytes);
  }).catch((e: unknown) => {
    throw new PolicyEngineError(
      `${file}: not a readable OPA bundle (.tar.gz): ${(e as Error).message}`,
      'engine_error',
    );
  });
  const wasm = entries.get('policy.wasm');
  if (!wasm) {
    const names = [...entries.keys()].sort();
    throw new PolicyEngineError(
      `${file}: the bundle holds no /policy.wasm (build it with \`opa build -t wasm\`); files: ${names.join(', ') || 'none'}`,
      'engine_error',
    );
  }
  const data: BundleContents['data'] = [];
  for (const [name, content] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (name !== 'data.json' && !name.endsWith('/data.json')) continue;
    let value: JsonValue;
    try {
      value = JSON.parse(content.toString('utf8')) as JsonValue;
    } catch (e) {
      throw new PolicyEngineError(`${file}: ${name}: invalid JSON: ${(e as Error).message}`, 'engine_error');
    }
    const path = name.split('/').slice(0, -1);
    data.push({ path, value, file: name });
  }
  return { wasm, data };
}

type SdkBuiltin = (...args: JsonValue[]) => ArrayBuffer | undefined;

/**
 * Builtins the compiled policy cannot run inside WebAssembly are called back into JavaScript.
 * The SDK ships a few of its own (sprintf via sprintf-js, which lacks Go's %q and formats %v
 * differently; regex.split; json.is_valid; yaml.*). We answer every such callback with the
 * interpreter's builtins, so both engines share one implementation of each builtin: the SDK's
 * table is updated in place (it has no public hook), and the rest are passed as custom builtins.
 * Errors make the call undefined, as OPA's default (non-strict) mode does.
 */
function adapt(def: BuiltinDef, ctx: BuiltinContext): SdkBuiltin {
  return (...args) => {
    try {
      const r = def.fn(args.map(fromJson), ctx);
      if (r === undefined) return undefined;
      // JSON text written by us, so that integers beyond 2^53 stay exact
      const bytes = Buffer.from(marshal(r), 'utf8');
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    } catch (e) {
      if (e instanceof BuiltinError) return undefined;
      throw e;
    }
  };
}

let sdkPatched: string[] | undefined;

/** The SDK's own table of JavaScript builtins (module-level, shared by every loaded policy). */
export function sdkBuiltinTable(): Record<string, unknown> | undefined {
  try {
    const sdkRequire = createRequire(__filename);
    const entry = sdkRequire.resolve('@open-policy-agent/opa-wasm');
    const table: unknown = sdkRequire(join(dirname(entry), 'builtins', 'index.js'));
    return typeof table === 'object' && table !== null ? (table as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // another SDK layout: its own JavaScript builtins stay in use
  }
}

/** Replaces the SDK's JavaScript builtins by ours (once); returns the names replaced. */
export function installSdkBuiltins(): string[] {
  if (sdkPatched) return sdkPatched;
  const replaced: string[] = [];
  const table = sdkBuiltinTable();
  if (table) {
    for (const name of Object.keys(table)) {
      const def = builtins.get(name);
      if (def && !def.relation) {
        table[name] = adapt(def, sharedCtx);
        replaced.push(name);
      }
    }
  }
  sdkPatched = replaced.sort();
  return sdkPatched;
}

function customBuiltins(ctx: BuiltinContext): Record<string, SdkBuiltin> {
  installSdkBuiltins();
  const out: Record<string, SdkBuiltin> = {};
  for (const [name, def] of builtins) if (!def.relation) out[name] = adapt(def, ctx);
  return out;
}

/** The clock the SDK-table builtins read: set by each WasmEngine.evaluate (time.now_ns is fixed per evaluation). */
let currentNowNs = BigInt(0);
const sharedCtx: BuiltinContext = { strict: false, nowNs: () => currentNowNs, queryCache: new Map() };

/** Normalises `data.kz.residency.report` or `kz/residency/report` to opa-wasm's `kz/residency/report`. */
export function toWasmEntrypoint(entrypoint: string): string {
  let e = entrypoint.trim();
  if (e.startsWith('data.')) e = e.slice(5).replace(/\./g, '/');
  else if (e === 'data') e = '';
  return e.replace(/^\/+|\/+$/g, '');
}

export class WasmEngine implements PolicyEngine {
  readonly kind = 'wasm' as const;
  private lastData: string | undefined;

  private constructor(
    private readonly policy: LoadedPolicy,
    /** The file the policy came from, for error messages. */
    readonly file: string,
    /** Base data from the bundle's data.json files (`{}` when none). */
    readonly baseData: JsonValue,
  ) {}

  /** Loads a `policy.wasm` or an OPA bundle `.tar.gz` holding `/policy.wasm`. */
  static async load(path: string): Promise<WasmEngine> {
    if (!existsSync(path)) {
      throw new PolicyEngineError(
        `${path}: no such file (expected a policy.wasm or an OPA bundle .tar.gz)`,
        'engine_error',
      );
    }
    if (statSync(path).isDirectory()) {
      throw new PolicyEngineError(
        `${path}: is a directory (expected a policy.wasm or an OPA bundle .tar.gz)`,
        'engine_error',
      );
    }
    const bytes = readFileSync(path);
    let wasm: Buffer;
    let baseData: JsonValue = {};
    if (bytes.subarray(0, 4).equals(WASM_MAGIC)) {
      wasm = bytes;
    } else if (bytes.subarray(0, 2).equals(GZIP_MAGIC)) {
      const bundle = await readBundle(path, bytes);
      wasm = bundle.wasm;
      for (const d of bundle.data) baseData = mergeData(baseData, nest(d.path, d.value));
    } else {
      throw new PolicyEngineError(
        `${path}: neither a WebAssembly module nor a gzipped OPA bundle (expected a policy.wasm or a .tar.gz from \`opa build -t wasm\`)`,
        'engine_error',
      );
    }
    let policy: LoadedPolicy;
    try {
      policy = await loadPolicy(wasm, undefined, customBuiltins(sharedCtx));
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new PolicyEngineError(`${path}: cannot load the OPA WebAssembly policy: ${msg}`, 'engine_error');
    }
    return new WasmEngine(policy, path, baseData);
  }

  /** The entrypoints compiled into the policy, e.g. `kz/residency/report`. */
  get entrypoints(): string[] {
    const eps = this.policy.entrypoints as Record<string, number> | undefined;
    return Object.keys(eps ?? {}).sort();
  }

  async evaluate(entrypoint: string, input: JsonValue, data: JsonValue): Promise<JsonValue | undefined> {
    const ep = toWasmEntrypoint(entrypoint);
    if (!this.entrypoints.includes(ep)) {
      throw new PolicyEngineError(
        `${this.file}: entrypoint "${ep}" is not in this bundle; it has: ${this.entrypoints.join(', ') || 'none'} ` +
          `(compile with \`opa build -t wasm -e ${ep}\`)`,
        'engine_error',
      );
    }
    const merged = mergeData(this.baseData, data ?? {});
    const text = JSON.stringify(merged);
    if (text !== this.lastData) {
      this.policy.setData(merged as object);
      this.lastData = text;
    }
    let rs: unknown;
    currentNowNs = BigInt(Date.now()) * BigInt(1_000_000);
    sharedCtx.queryCache.clear(); // random builtins are fixed per evaluation, as per OPA query
    try {
      rs = this.policy.evaluate(input, ep);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new PolicyEngineError(
        `${this.file}: evaluating ${ep}: ${msg}`,
        /eval_\w+/.exec(msg)?.[0] ?? 'engine_error',
      );
    }
    if (!Array.isArray(rs) || rs.length === 0) return undefined;
    const first = rs[0] as { result?: JsonValue } | undefined;
    if (!first || !('result' in first)) return undefined;
    return first.result;
  }
}
