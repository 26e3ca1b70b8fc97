/**
 * The `kz-residency` command: check, test, explain, rules. Exit statuses (DESIGN.md
 * "Command"): 0 nothing denied, 1 at least one denial (or a failing policy test), 2 the input,
 * the registry, the waivers, the policies or the arguments could not be used — then exactly one
 * line on stderr and nothing on stdout.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { PolicyEngineError } from '../engine/engine';
import { isInputError } from '../plan/errors';
import { DEFAULT_POLICIES_DIR, displayPath, loadRuleCatalogue, runCheck } from './check';
import { EXIT, UsageError, oneLine } from './errors';
import { FORMATS, FormatName, render } from './format';
import { DEFAULT_PROFILE, PROFILES, ProfileName } from './report';
import { formatExplain, formatRulesTable } from './rules';
import { runPolicyTests } from './test-command';

const PROGRAM = 'kz-residency';

/** The version in kz-residency's package.json, found upward from here (sources or dist/). */
function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'kz-residency') return pkg.version ?? '0.0.0';
    } catch {
      // no package.json here: keep going up
    }
    if (path.dirname(dir) === dir) return '0.0.0';
  }
}

/** Colours only for a terminal, and never when NO_COLOR is set to anything non-empty (no-color.org). */
export function wantsColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '') && env.TERM !== 'dumb';
}

/** One line for any error; the stack only with KZ_RESIDENCY_DEBUG=1. */
export function describeError(e: unknown): string {
  if (isInputError(e)) {
    const first = e.issues?.[0];
    const line = first
      ? first.field
        ? `${e.file}: ${first.field}: ${first.problem}`
        : `${e.file}: ${first.problem}`
      : e.message;
    const more = (e.issues?.length ?? 1) - 1;
    return oneLine(more > 0 ? `${line} (and ${more} more ${more === 1 ? 'problem' : 'problems'})` : line);
  }
  if (e instanceof UsageError) return oneLine(e.message);
  if (e instanceof PolicyEngineError) {
    // The interpreter reports all compile errors together; one line shows the first and counts the rest.
    const many = (e as PolicyEngineError & { errors?: unknown }).errors;
    if (Array.isArray(many) && many.length > 1 && many[0] instanceof Error) {
      return oneLine(`policy error: ${many[0].message} (and ${many.length - 1} more)`);
    }
    return oneLine(`policy error: ${e.message}`);
  }
  if (e instanceof Error) return oneLine(`internal error: ${e.message}`);
  return oneLine(`internal error: ${String(e)}`);
}

function fail(e: unknown): number {
  process.stderr.write(`${PROGRAM}: ${describeError(e)}\n`);
  if (process.env.KZ_RESIDENCY_DEBUG === '1' && e instanceof Error && e.stack)
    process.stderr.write(e.stack + '\n');
  return EXIT.unusable;
}

interface CheckFlags {
  sites?: string;
  waivers?: string;
  kubeconfig?: string;
  profile: ProfileName;
  format?: FormatName;
  output?: string;
  engine: 'interpreter' | 'wasm';
  bundle?: string;
  now?: string;
  policies?: string;
}

/** The progress line on stderr: only for a terminal, and only when there is enough to wait for. */
function progressReporter(): ((i: number, total: number, name: string, resources: number) => void) & {
  done(): void;
} {
  const tty = Boolean(process.stderr.isTTY);
  let shown = false;
  const fn = (i: number, total: number, name: string, resources: number) => {
    if (!tty || (total < 4 && resources < 500)) return;
    shown = true;
    process.stderr.write(`\r\x1b[K[${i + 1}/${total}] checking ${name} (${resources} resources)…`);
  };
  return Object.assign(fn, {
    done() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  });
}

/** `--output results.sarif` without `--format` means SARIF (likewise .json, .md, .xml). */
export function formatFromFile(file: string | undefined): FormatName | undefined {
  const ext = file ? path.extname(file).toLowerCase() : '';
  return (
    { '.sarif': 'sarif', '.json': 'json', '.md': 'markdown', '.xml': 'junit' } as Record<string, FormatName>
  )[ext];
}

async function check(target: string, flags: CheckFlags): Promise<number> {
  // Text is the default everywhere: on a terminal with colours, elsewhere (CI logs, pipes) plain,
  // unless --output names a file whose extension says otherwise.
  const format: FormatName = flags.format ?? formatFromFile(flags.output) ?? 'text';
  if (flags.output && existsSync(flags.output) && statSync(flags.output).isDirectory()) {
    throw new UsageError(`--output: ${flags.output} is a directory`);
  }
  const progress = progressReporter();
  const { result, rules } = await runCheck({
    target,
    sites: flags.sites,
    waivers: flags.waivers,
    kubeconfig: flags.kubeconfig,
    profile: flags.profile,
    engine: flags.engine,
    bundle: flags.bundle,
    now: flags.now,
    policiesDir: flags.policies,
    onProgress: (i, total, input) => {
      const n = (input.plan.resource_changes ?? []).length;
      progress(i, total, input.name, n);
    },
  }).finally(() => progress.done());

  const color = !flags.output && wantsColor(process.stdout, process.env);
  const text = render(format, result, rules, { color, version: packageVersion() });
  const code = result.summary.deny > 0 ? EXIT.deny : EXIT.pass;
  if (flags.output) {
    try {
      writeFileSync(flags.output, text);
    } catch (e) {
      throw new UsageError(
        `--output: cannot write ${flags.output}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const s = result.summary;
    process.stderr.write(
      `${PROGRAM}: ${s.result === 'pass' ? 'pass' : 'FAIL'}: ${s.deny} denied, ${s.warn} warnings, ${s.waived} waived; ` +
        `${format} written to ${displayPath(flags.output)}\n`,
    );
  } else {
    process.stdout.write(text);
  }
  return code;
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command(PROGRAM)
    .description(
      'Checks Terraform plans and cdktf synth output against the Kazakhstan data-residency policies.',
    )
    .version(packageVersion(), '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      // commander's own errors become one line with our prefix; help and version go to stdout as usual.
      outputError: (str, write) => write(`${PROGRAM}: ${oneLine(str.replace(/^error: /, ''))}\n`),
    });

  program
    .command('check')
    .description('evaluate the policies on a plan JSON, a cdk.tf.json or a cdktf.out directory')
    .argument(
      '<input>',
      'plan.json (terraform show -json), cdk.tf.json, or a cdktf.out directory (every stack)',
    )
    .option('--sites <file>', 'sites registry (YAML or JSON); default: sites.json in the cdktf.out directory')
    .option('--waivers <file>', 'waivers file (YAML or JSON)')
    .option(
      '--kubeconfig <file>',
      "kubeconfig whose context servers prove the cluster of providers set with config_path/config_context (only servers are read, never credentials)",
    )
    .addOption(
      new Option('--profile <name>', 'which rules deny').choices([...PROFILES]).default(DEFAULT_PROFILE),
    )
    .addOption(
      new Option('--format <name>', 'output format (default: text, or from the --output extension)').choices([
        ...FORMATS,
      ]),
    )
    .option(
      '-o, --output <file>',
      'write the report to a file instead of stdout (a summary line goes to stderr)',
    )
    .addOption(
      new Option('--engine <name>', 'policy engine').choices(['interpreter', 'wasm']).default('interpreter'),
    )
    .option('--bundle <file>', 'policy.wasm or OPA bundle .tar.gz, for --engine wasm')
    .option('--now <date>', 'the date waivers are compared with, YYYY-MM-DD (default: today, UTC)')
    .addOption(
      new Option('--policies <dir>', 'policy directory')
        .default(DEFAULT_POLICIES_DIR, 'the bundled pack')
        .hideHelp(),
    )
    .addHelpText(
      'after',
      '\nExit status: 0 nothing denied, 1 at least one rule denies, 2 the input, registry, waivers or arguments\n' +
        'could not be used (one line on stderr, nothing on stdout).\n' +
        'Text is the default format on a terminal and elsewhere (plain, without colours, when stdout is not a\n' +
        'terminal or NO_COLOR is set).',
    )
    .action(async (input: string, flags: CheckFlags) => setExit(await check(input, flags)));

  program
    .command('test')
    .description('run the Rego unit tests (*_test.rego) of a policy directory, like `opa test`')
    .argument('[dir]', 'directory with policies and their tests', DEFAULT_POLICIES_DIR)
    .option('-v, --verbose', 'list every test')
    .option('--run <regex>', 'only tests whose name matches')
    .option('--coverage', "print OPA's JSON line-coverage report of the policies (as `opa test --coverage`)")
    .option('--capabilities <file>', 'OPA capabilities JSON: calling a builtin outside it is a compile error')
    .option('--v0-compatible', 'accept Rego v0 modules and the builtins OPA 1.x removed')
    .action((dir: string, flags: { verbose?: boolean; run?: string; coverage?: boolean; capabilities?: string; v0Compatible?: boolean }) => {
      const { text, failed, failures } = runPolicyTests(dir, {
        verbose: Boolean(flags.verbose),
        run: flags.run,
        packDir: DEFAULT_POLICIES_DIR,
        coverage: Boolean(flags.coverage),
        capabilities: flags.capabilities,
        v0Compatible: Boolean(flags.v0Compatible),
      });
      process.stdout.write(text);
      if (failures) process.stderr.write(failures);
      setExit(failed ? 1 : 0);
    });

  program
    .command('explain')
    .description("show a rule's metadata, legal basis and remediation")
    .argument('<rule-id>', 'e.g. KZ-RES-001')
    .addOption(new Option('--policies <dir>').default(DEFAULT_POLICIES_DIR).hideHelp())
    .action((id: string, flags: { policies: string }) => {
      const rules = loadRuleCatalogue(flags.policies);
      const rule = rules.find((r) => r.id.toLowerCase() === id.toLowerCase());
      if (!rule)
        throw new UsageError(`unknown rule "${id}"; known rules: ${rules.map((r) => r.id).join(', ')}`);
      process.stdout.write(formatExplain(rule));
      setExit(0);
    });

  program
    .command('rules')
    .description('list the rule catalogue: id, title, severity, basis, profiles where it denies')
    .addOption(new Option('--format <name>').choices(['text', 'json']).default('text'))
    .addOption(new Option('--policies <dir>').default(DEFAULT_POLICIES_DIR).hideHelp())
    .action((flags: { format: 'text' | 'json'; policies: string }) => {
      const rules = loadRuleCatalogue(flags.policies);
      process.stdout.write(
        flags.format === 'json' ? JSON.stringify(rules, null, 2) + '\n' : formatRulesTable(rules),
      );
      setExit(0);
    });

  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.pass;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end with exitCode 0; usage errors were already printed as one line.
      if (e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version')
        return 0;
      return EXIT.unusable;
    }
    return fail(e);
  }
}

/** Run when started directly (`tsx cli/main.ts`) or through bin/kz-residency.js (also via a symlink in node_modules/.bin). */
const entry = require.main?.filename ?? '';
if (require.main === module || path.basename(entry) === 'kz-residency.js') {
  // `kz-residency check … | head`: a reader that closes early is not an error of ours.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.exitCode = fail(e);
    },
  );
}
