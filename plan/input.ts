/**
 * The entry point the command uses for `check <input>...`: each input is a plan JSON, a
 * cdk.tf.json, a cdktf.out directory (every stack in its manifest), one stack directory, or `-`
 * (a plan or a cdk.tf.json on standard input), told apart by content, each turned into the same
 * plan shape. A synth output also brings what cdktf recorded beside each resource: its construct
 * path, where it was created (`stackTrace`) and the waivers written in code. A cdktf.out
 * directory's `sites.json` (written by the app) is reported as `sitesFile`: the command uses it
 * only when told to trust it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from './errors';
import { isJsonObject, type PlanDocument } from './format';
import { decodeText, parseJsonText, readJsonDocument, readJsonFile } from './json';
import { looksLikePlan, validatePlanDocument } from './load';
import { looksLikeSynth, synthToPlan } from './synth';
import { validateCodeWaivers, type CodeWaiver } from './waivers';

/** The name `-` (standard input) is shown as. */
export const STDIN_NAME = 'stdin';

export interface CheckInput {
  /** Stack name (synth) or file name (plan); unique within one run. */
  readonly name: string;
  /** The file the plan came from (a plan JSON or a cdk.tf.json), `-` for standard input. */
  readonly file: string;
  readonly kind: 'plan' | 'synth';
  readonly plan: PlanDocument;
  /** Resource address → cdktf construct path (empty for plans). */
  readonly constructPaths: Record<string, string>;
  /** Resource address → where cdktf recorded it was created (empty for plans and older synth output). */
  readonly stackTraces: Record<string, string[]>;
  /** Waivers written in code, one per resource instance (synth output only). */
  readonly codeWaivers: readonly CodeWaiver[];
  /** `<cdktf.out>/sites.json` when present. */
  readonly sitesFile?: string;
  /** Plans read from a file: the line each address first appears on (found while reading). */
  readonly addressLines?: ReadonlyMap<string, number>;
}

/** How standard input is read (replaceable in tests). */
export interface InputOptions {
  readonly readStdin?: () => Buffer;
}

function statOf(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

function isFile(p: string): boolean {
  return statOf(p)?.isFile() ?? false;
}

/**
 * Loads every input of every target, in order; names are made unique (`plan.json`, `plan.json#2`).
 * Throws InputError when a target holds nothing usable. `-` may be given once.
 */
export function loadAllInputs(targets: readonly string[], opts: InputOptions = {}): CheckInput[] {
  if (targets.filter((t) => t === '-').length > 1)
    throw new InputError('-', undefined, 'standard input can be read only once');
  const all = targets.flatMap((t) => loadCheckInputs(t, opts));
  const seen = new Map<string, number>();
  return all.map((i) => {
    const n = (seen.get(i.name) ?? 0) + 1;
    seen.set(i.name, n);
    return n === 1 ? i : { ...i, name: `${i.name}#${n}` };
  });
}

/** Loads every input at `p` (see the module comment). Throws InputError when nothing usable is there. */
export function loadCheckInputs(p: string, opts: InputOptions = {}): CheckInput[] {
  if (p === '-') return [fromParsed(readStdin(opts), '-', STDIN_NAME)];
  const st = statOf(p);
  if (!st) throw new InputError(p, undefined, 'no such file or directory');
  if (st.isDirectory()) return loadDirectory(p);
  return [loadFile(p)];
}

function readStdin(opts: InputOptions): unknown {
  let buf: Buffer;
  try {
    buf = opts.readStdin ? opts.readStdin() : fs.readFileSync(0);
  } catch (e) {
    throw new InputError('-', undefined, `cannot read standard input: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const text = decodeText(buf);
  if (text.trim() === '') throw new InputError('-', undefined, 'standard input is empty: pipe a plan JSON or a cdk.tf.json into it');
  return parseJsonText(text, '-');
}

function sitesNextTo(outDir: string): string | undefined {
  const s = path.join(outDir, 'sites.json');
  return isFile(s) ? s : undefined;
}

function loadFile(file: string, stackName?: string, outDir?: string): CheckInput {
  const doc = readJsonDocument(file);
  const input = fromParsed(doc.value, file, undefined, stackName, outDir);
  return input.kind === 'plan' ? { ...input, addressLines: doc.addressLines } : input;
}

function fromParsed(parsed: unknown, file: string, fixedName?: string, stackName?: string, outDir?: string): CheckInput {
  if (looksLikePlan(parsed)) {
    return {
      name: fixedName ?? path.basename(file),
      file,
      kind: 'plan',
      plan: validatePlanDocument(parsed, file),
      constructPaths: {},
      stackTraces: {},
      codeWaivers: [],
    };
  }
  if (looksLikeSynth(parsed)) {
    const { plan, constructPaths, stackTraces, codeWaivers } = synthToPlan(parsed, { file });
    // cdktf.out/stacks/<name>/cdk.tf.json: the stack name is the folder, sites.json is two up
    const stackDir = path.dirname(file);
    const guessedOut =
      file === '-' ? undefined : (outDir ?? (path.basename(path.dirname(stackDir)) === 'stacks' ? path.dirname(path.dirname(stackDir)) : undefined));
    const meta = isJsonObject(parsed) && isJsonObject(parsed['//']) && isJsonObject(parsed['//'].metadata) ? parsed['//'].metadata : {};
    const name =
      fixedName ?? stackName ?? (typeof meta.stackName === 'string' ? meta.stackName : guessedOut ? path.basename(stackDir) : path.basename(file));
    const sitesFile = guessedOut ? sitesNextTo(guessedOut) : undefined;
    return {
      name,
      file,
      kind: 'synth',
      plan,
      constructPaths,
      stackTraces,
      codeWaivers: validateCodeWaivers(codeWaivers, file),
      ...(sitesFile ? { sitesFile } : {}),
    };
  }
  throw new InputError(
    file,
    undefined,
    'neither a Terraform plan JSON (`terraform show -json`: format_version, resource_changes) nor a cdktf synth output (cdk.tf.json: resource, provider, terraform)',
  );
}

function loadDirectory(dir: string): CheckInput[] {
  const manifest = path.join(dir, 'manifest.json');
  if (isFile(manifest)) return loadManifest(dir, manifest);
  const stackFile = path.join(dir, 'cdk.tf.json');
  if (isFile(stackFile)) return [loadFile(stackFile)];
  const stacksDir = path.join(dir, 'stacks');
  if (statOf(stacksDir)?.isDirectory()) {
    const found = fs
      .readdirSync(stacksDir)
      .sort()
      .filter((n) => isFile(path.join(stacksDir, n, 'cdk.tf.json')));
    if (found.length > 0) return found.map((n) => loadFile(path.join(stacksDir, n, 'cdk.tf.json'), n, dir));
  }
  const out = path.join(dir, 'cdktf.out');
  if (statOf(out)?.isDirectory()) return loadDirectory(out);
  throw new InputError(
    dir,
    undefined,
    'no cdktf stacks here: expected a cdktf.out directory (with manifest.json), a stack directory (with cdk.tf.json), or a file (plan JSON or cdk.tf.json); run `cdktf synth` first',
  );
}

function loadManifest(dir: string, manifest: string): CheckInput[] {
  const m = readJsonFile(manifest);
  if (!isJsonObject(m) || !isJsonObject(m.stacks)) throw new InputError(manifest, 'stacks', 'missing: not a cdktf manifest');
  const entries = Object.entries(m.stacks).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) throw new InputError(manifest, 'stacks', 'the manifest lists no stacks: nothing to check');
  return entries.map(([name, s]) => {
    const rel = isJsonObject(s) && typeof s.synthesizedStackPath === 'string' ? s.synthesizedStackPath : path.join('stacks', name, 'cdk.tf.json');
    const file = path.join(dir, rel);
    if (!isFile(file)) throw new InputError(manifest, `stacks.${name}.synthesizedStackPath`, `${rel} does not exist; run \`cdktf synth\` again`);
    return loadFile(file, isJsonObject(s) && typeof s.name === 'string' ? s.name : name, dir);
  });
}
