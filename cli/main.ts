/**
 * The `kz-residency` command: check, init, test, explain, rules. Exit statuses (DESIGN.md
 * "Command"): 0 nothing fails the run, 1 a finding fails it (by default any denial; --fail-on,
 * --baseline and --fail-on-unused-waivers change what fails, --soft-fail makes it 0) or a policy
 * test fails, 2 the input, the registry, the waivers, the policies, the settings or the arguments
 * could not be used — then exactly one line on stderr and nothing on stdout.
 */
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { PolicyEngineError } from '../engine/engine';
import { loadCapabilities } from '../engine/rego/capabilities';
import { isInputError } from '../plan/errors';
import { loadBaseline } from './baseline';
import { DEFAULT_POLICIES_DIR, loadPolicyPack, loadRuleCatalogue, runCheck } from './check';
import { findConfig, loadConfig, type Settings } from './config';
import { EXIT, UsageError, oneLine } from './errors';
import { FORMATS, FormatName, FormatOptions, isFormat, render } from './format';
import { collectEvidence, writePack, type ReportOptions } from './evidence/run';
import { LANGUAGES, isLanguage, localizeResult, localizeRules, type Language } from './i18n';
import { runInit } from './init';
import { displayPath } from './paths';
import { ProgressLine } from './progress';
import { CheckResult, DEFAULT_PROFILE, FAIL_ON, FailOn, PROFILES, ProfileName, RuleMeta } from './report';
import { formatExplain, formatRulesTable } from './rules';
import { runPolicyTests } from './test-command';

const PROGRAM = 'kz-residency';

interface PackageInfo {
  readonly version: string;
  readonly homepage?: string;
}

/** kz-residency's package.json, found upward from here (sources or dist/). */
function packageInfo(): PackageInfo {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
        homepage?: string;
        repository?: string | { url?: string };
      };
      if (pkg.name === 'kz-residency') {
        const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
        const home = pkg.homepage ?? repo?.replace(/^git\+/, '').replace(/\.git$/, '');
        return { version: pkg.version ?? '0.0.0', ...(home ? { homepage: home } : {}) };
      }
    } catch {
      // no package.json here: keep going up
    }
    if (path.dirname(dir) === dir) return { version: '0.0.0' };
  }
}

/**
 * Where SARIF links each rule's documentation (docs/rules.md) and the tool: the repository's docs
 * when package.json's homepage or repository is a GitHub URL, else the published package's files
 * (docs/ must then be in the package) and its registry page.
 */
export function docsLinks(info: PackageInfo): Pick<FormatOptions, 'docsBase' | 'informationUri'> {
  const gh = info.homepage && /^https:\/\/github\.com\/[^/]+\/[^/#]+/.exec(info.homepage);
  if (gh) return { docsBase: `${gh[0]}/blob/main/docs`, informationUri: gh[0] };
  return {
    docsBase: `https://unpkg.com/kz-residency@${info.version}/docs`,
    informationUri: info.homepage ?? 'https://www.npmjs.com/package/kz-residency',
  };
}

/**
 * Colours: FORCE_COLOR (anything but `0`/`false`) turns them on even in CI logs and pipes, as Node
 * and most tools read it; otherwise only on a terminal, never with NO_COLOR set to anything
 * non-empty (no-color.org) or TERM=dumb.
 */
export function wantsColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return Boolean(stream.isTTY) && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '') && env.TERM !== 'dumb';
}

/** One line for any error; the stack only with KZ_RESIDENCY_DEBUG=1. */
export function describeError(e: unknown): string {
  if (isInputError(e)) {
    const first = e.issues?.[0];
    const line = first ? (first.field ? `${e.file}: ${first.field}: ${first.problem}` : `${e.file}: ${first.problem}`) : e.message;
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
  if (process.env.KZ_RESIDENCY_DEBUG === '1' && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
  return EXIT.unusable;
}

interface CheckFlags {
  config?: string | false;
  sites?: string;
  kubeconfig?: string;
  trustSynthRegistry?: boolean;
  waivers?: string;
  profile?: ProfileName;
  format?: string[];
  output?: string;
  failOn?: Exclude<FailOn, 'any'>;
  softFail?: boolean;
  baseline?: string;
  failOnUnusedWaivers?: boolean;
  policy?: string[];
  rule?: string[];
  skipRule?: string[];
  source?: string[];
  capabilities?: string;
  engine?: 'interpreter' | 'wasm';
  bundle?: string;
  now?: string;
  policies?: string;
  lang?: Language;
}

/** `--output results.sarif` without `--format` means SARIF (likewise .json, .md, .xml). */
export function formatFromFile(file: string | undefined): FormatName | undefined {
  const ext = file ? path.extname(file).toLowerCase() : '';
  return ({ '.sarif': 'sarif', '.json': 'json', '.md': 'markdown', '.xml': 'junit' } as Record<string, FormatName>)[ext];
}

/** Where one report goes: a file, or standard output. */
export interface OutputSpec {
  readonly format: FormatName;
  readonly file?: string;
}

/** `--format FMT[=FILE]` (repeatable) and `--output FILE`: at most one report goes to standard output. */
export function outputSpecs(specs: readonly string[], output: string | undefined): OutputSpec[] {
  const parsed = specs.map((spec): OutputSpec => {
    const eq = spec.indexOf('=');
    const name = eq < 0 ? spec : spec.slice(0, eq);
    const file = eq < 0 ? undefined : spec.slice(eq + 1);
    if (!isFormat(name))
      throw new UsageError(`--format: "${name}" is not a format (choose from ${FORMATS.join(', ')}; FMT=FILE writes it to a file)`);
    if (file === '') throw new UsageError(`--format ${spec}: no file after "="`);
    return { format: name, ...(file ? { file } : {}) };
  });
  if (parsed.length === 0) parsed.push({ format: formatFromFile(output) ?? 'text' });
  const toStdout = parsed.filter((p) => !p.file);
  if (toStdout.length > 1)
    throw new UsageError(
      `--format: ${toStdout.map((p) => p.format).join(' and ')} would both go to standard output; give all but one a file (FMT=FILE)`,
    );
  if (output) {
    if (toStdout.length === 0) throw new UsageError('--output: every --format already names its file');
    const i = parsed.indexOf(toStdout[0]);
    parsed[i] = { format: parsed[i].format, file: output };
  }
  const files = parsed.filter((p) => p.file).map((p) => path.resolve(p.file as string));
  const dup = files.find((f, i) => files.indexOf(f) !== i);
  if (dup) throw new UsageError(`--format: two reports would be written to ${displayPath(dup)}`);
  for (const p of parsed) {
    if (p.file && existsSync(p.file) && statSync(p.file).isDirectory()) throw new UsageError(`--format ${p.format}=${p.file}: is a directory`);
  }
  return parsed;
}


function settingsFor(flags: CheckFlags): Settings | undefined {
  if (flags.config === false) return undefined;
  const file = typeof flags.config === 'string' ? flags.config : findConfig();
  if (typeof flags.config === 'string' && !existsSync(flags.config)) throw new UsageError(`--config: ${flags.config}: no such file`);
  return file ? loadConfig(file) : undefined;
}

async function check(cliInputs: readonly string[], flags: CheckFlags): Promise<number> {
  const cfg = settingsFor(flags);
  const pick = <T>(cli: T | undefined, fromCfg: T | undefined): T | undefined => (cli !== undefined ? cli : fromCfg);
  const targets = cliInputs.length > 0 ? [...cliInputs] : (cfg?.inputs ?? []);
  if (targets.length === 0)
    throw new UsageError(`missing input: give a plan JSON, a cdk.tf.json, a cdktf.out directory or - (or set inputs in .kz-residency.yaml)`);
  const specs = outputSpecs(flags.format ?? cfg?.format ?? [], flags.output);
  const failOn = pick(flags.failOn, cfg?.['fail-on']);
  const softFail = pick(flags.softFail, cfg?.['soft-fail']) ?? false;
  const baselineFile = pick(flags.baseline, cfg?.baseline);
  const capabilitiesFile = pick(flags.capabilities, cfg?.capabilities);
  let capabilities;
  if (capabilitiesFile !== undefined) {
    try {
      capabilities = loadCapabilities(capabilitiesFile);
    } catch (e) {
      throw new UsageError(`--capabilities: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const info = packageInfo();

  // the progress line on stderr (only on a terminal, only when there is enough to wait for)
  const line = new ProgressLine();
  const checked = await runCheck({
    targets,
    sites: pick(flags.sites, cfg?.sites),
    trustSynthRegistry: pick(flags.trustSynthRegistry, cfg?.['trust-synth-registry']),
    waivers: pick(flags.waivers, cfg?.waivers),
    kubeconfig: flags.kubeconfig,
    profile: pick(flags.profile, cfg?.profile) ?? DEFAULT_PROFILE,
    engine: pick(flags.engine, cfg?.engine) ?? 'interpreter',
    bundle: pick(flags.bundle, cfg?.bundle),
    now: flags.now,
    policiesDir: flags.policies ?? DEFAULT_POLICIES_DIR,
    policyDirs: pick(flags.policy, cfg?.policy),
    rules: pick(flags.rule, cfg?.rule),
    skipRules: pick(flags.skipRule, cfg?.['skip-rule']),
    sourceDirs: pick(flags.source, cfg?.source),
    ...(capabilities ? { compileOptions: { capabilities } } : {}),
    failOn: failOn ?? 'any',
    softFail,
    ...(baselineFile ? { baseline: loadBaseline(baselineFile) } : {}),
    failOnUnusedWaivers: pick(flags.failOnUnusedWaivers, cfg?.['fail-on-unused-waivers']) ?? false,
    onProgress: (inputs, resources) => line.start(inputs.length, resources),
    onWorkers: (done, total) => line.workers(done, total),
  }).finally(() => line.end());

  // --lang: the rules' titles, descriptions and remediations from the reviewed catalogues
  const result = localizeResult(checked.result, checked.rules, flags.lang ?? 'en');
  const rules = localizeRules(checked.rules, flags.lang ?? 'en');
  const base: FormatOptions = { version: info.version, ...docsLinks(info) };
  const written: string[] = [];
  // Files first, standard output last: a report that cannot be written is exit 2 with nothing on stdout.
  for (const spec of specs.filter((s) => s.file)) {
    const file = spec.file as string;
    try {
      writeFileSync(file, render(spec.format, result, rules, base));
    } catch (e) {
      throw new UsageError(`--format ${spec.format}=${file}: cannot write: ${e instanceof Error ? e.message : String(e)}`);
    }
    written.push(`${spec.format} written to ${displayPath(file)}`);
  }
  writeStepSummary(specs, result, rules);
  const out = specs.find((s) => !s.file);
  if (out) process.stdout.write(render(out.format, result, rules, { ...base, color: wantsColor(process.stdout, process.env) }));
  if (written.length > 0) {
    const s = result.summary;
    process.stderr.write(
      `${PROGRAM}: ${s.result === 'pass' ? 'pass' : 'FAIL'}: ${s.deny} denied, ${s.warn} warnings, ${s.waived} waived; ${written.join(', ')}\n`,
    );
  }
  return result.summary.result === 'fail' && !softFail ? EXIT.deny : EXIT.pass;
}

/** With `--format github` in a workflow step, the Markdown report also becomes the step's summary. */
function writeStepSummary(specs: readonly OutputSpec[], result: CheckResult, rules: readonly RuleMeta[]): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file || !specs.some((s) => s.format === 'github')) return;
  try {
    appendFileSync(file, render('markdown', result, rules));
  } catch (e) {
    throw new UsageError(`GITHUB_STEP_SUMMARY: cannot write ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

interface EvidenceFlags {
  sites?: string;
  trustSynthRegistry?: boolean;
  waivers?: string;
  kubeconfig?: string;
  profile?: ProfileName;
  lang?: string;
  now?: string;
  policy?: string[];
  policies?: string;
}

function evidenceOptions(inputs: readonly string[], flags: EvidenceFlags, version: string): ReportOptions {
  if (flags.lang !== undefined && !isLanguage(flags.lang)) throw new UsageError(`--lang: "${flags.lang}" is not one of ${LANGUAGES.join(', ')}`);
  return {
    targets: inputs,
    sites: flags.sites,
    trustSynthRegistry: flags.trustSynthRegistry,
    waivers: flags.waivers,
    kubeconfig: flags.kubeconfig,
    profile: flags.profile,
    now: flags.now,
    language: flags.lang,
    policiesDir: flags.policies ?? DEFAULT_POLICIES_DIR,
    policyDirs: flags.policy,
    version,
  };
}

export function buildProgram(setExit: (code: number) => void): Command {
  const info = packageInfo();
  const program = new Command(PROGRAM)
    .description('Checks Terraform plans and cdktf synth output against the Kazakhstan data-residency policies.')
    .version(info.version, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      // commander's own errors become one line with our prefix; help and version go to stdout as usual.
      outputError: (str, write) => write(`${PROGRAM}: ${oneLine(str.replace(/^error: /, ''))}\n`),
    });

  program
    .command('check')
    .description('evaluate the policies on plans, cdk.tf.json files or cdktf.out directories, judged as one deployment')
    .argument('[input...]', 'plan.json (terraform show -json), cdk.tf.json, a cdktf.out directory, or - (standard input); default: inputs in .kz-residency.yaml')
    .option('--config <file>', 'settings file (default: .kz-residency.yaml found upward from the working directory)')
    .option('--no-config', 'ignore any settings file')
    .option('--sites <file>', 'the reviewed sites registry (YAML or JSON): the proof of location')
    .option('--trust-synth-registry', "use a cdktf.out's own sites.json when no --sites is given (the app under review wrote it)")
    .option('--waivers <file>', 'waivers file (YAML or JSON)')
    .option(
      '--kubeconfig <file>',
      'kubeconfig whose context servers prove the cluster of providers set with config_path/config_context (only servers are read, never credentials)',
    )
    .addOption(new Option('--profile <name>', `which rules deny (default: ${DEFAULT_PROFILE})`).choices([...PROFILES]))
    .option('--format <fmt[=file]>', `output format, repeatable: ${FORMATS.join(', ')}; FMT=FILE writes to a file (default: text)`, collect)
    .option('-o, --output <file>', 'write the report that would go to standard output to a file (a summary line goes to stderr)')
    .addOption(
      new Option('--fail-on <level>', 'the least severe denial that fails the run, or warn (default: any denial)').choices([...FAIL_ON]),
    )
    .option('--soft-fail', 'report everything but exit 0 when findings fail the run (2 stays 2)')
    .option('--baseline <file>', 'a previous --format json report: only findings it does not have fail the run')
    .option('--fail-on-unused-waivers', 'fail the run when a waiver matches no finding')
    .option('--policy <dir>', "the team's own Rego policies, evaluated beside the shipped pack (repeatable)", collect)
    .option('--rule <id>', 'only this rule (id or glob, repeatable)', collect)
    .option('--skip-rule <id>', 'not this rule (id or glob, repeatable)', collect)
    .option('--source <dir>', 'the .tf files the plans were made from: findings point at their blocks (repeatable)', collect)
    .option('--capabilities <file>', 'OPA capabilities JSON: the pack and --policy Rego may call only its builtins')
    .addOption(new Option('--engine <name>', 'policy engine (default: interpreter)').choices(['interpreter', 'wasm']))
    .option('--bundle <file>', 'policy.wasm or OPA bundle .tar.gz, for --engine wasm')
    .option('--now <date>', 'the date waivers are compared with, YYYY-MM-DD (default: today, UTC)')
    .addOption(new Option('--lang <code>', 'language of rule titles and remediations (default: en)').choices([...LANGUAGES]))
    .addOption(new Option('--policies <dir>', 'policy directory').hideHelp())
    .addHelpText(
      'after',
      '\nExit status: 0 nothing fails the run, 1 a finding fails it (default: any denial; see --fail-on, --baseline,\n' +
        '--fail-on-unused-waivers; --soft-fail makes it 0), 2 the input, registry, waivers, settings or arguments\n' +
        'could not be used (one line on stderr, nothing on stdout).\n' +
        'Colours on a terminal, or wherever FORCE_COLOR is set; never with NO_COLOR. With --format github inside a\n' +
        'GitHub Actions step, the Markdown report is also appended to $GITHUB_STEP_SUMMARY.',
    )
    .action(async (inputs: string[], flags: CheckFlags) => setExit(await check(inputs, flags)));

  program
    .command('report')
    .description('write the evidence pack (index.html, report.md, inventory.csv/.json, erasure.json, data-flow.svg) for one deployment')
    .argument('<input...>', 'plan.json, cdk.tf.json, a cdktf.out directory, or - (as for check)')
    .option('--sites <file>', 'the reviewed sites registry (YAML or JSON)')
    .option('--trust-synth-registry', "use a cdktf.out's own sites.json when no --sites is given")
    .option('--waivers <file>', 'waivers file (YAML or JSON)')
    .option('--kubeconfig <file>', 'kubeconfig whose context servers prove the cluster of providers set with config_path/config_context')
    .addOption(new Option('--profile <name>', `which rules deny (default: ${DEFAULT_PROFILE})`).choices([...PROFILES]))
    .requiredOption('--out <dir>', 'folder to write the pack into (created when missing)')
    .addOption(new Option('--lang <code>', 'language of the pack (default: en)').choices([...LANGUAGES]))
    .option('--now <time>', 'the time of the report and the date waivers are compared with: YYYY-MM-DD or an ISO 8601 time (default: now)')
    .option('--policy <dir>', "the team's own Rego policies, evaluated beside the shipped pack (repeatable)", collect)
    .addOption(new Option('--policies <dir>', 'policy directory').hideHelp())
    .addHelpText('after', '\nExit status: 0 the pack was written (whatever it finds), 2 the input, registry or arguments could not be used.')
    .action(async (inputs: string[], flags: EvidenceFlags & { out: string }) => {
      const ev = await collectEvidence(evidenceOptions(inputs, flags, info.version));
      const files = writePack(ev, flags.out);
      const s = ev.result.summary;
      process.stdout.write(`${files.map((f) => `wrote ${f}`).join('\n')}\n`);
      process.stderr.write(`${PROGRAM}: report: ${s.result === 'pass' ? 'pass' : 'FAIL'}: ${s.deny} denied, ${s.warn} warnings, ${s.waived} waived\n`);
      setExit(EXIT.pass);
    });

  program
    .command('diagram')
    .description('print or write the data-flow picture of one deployment (SVG laid out by Graphviz, its DOT source, or Mermaid)')
    .argument('<input...>', 'plan.json, cdk.tf.json, a cdktf.out directory, or - (as for check)')
    .option('--sites <file>', 'the reviewed sites registry (YAML or JSON)')
    .option('--trust-synth-registry', "use a cdktf.out's own sites.json when no --sites is given")
    .option('--kubeconfig <file>', 'kubeconfig whose context servers prove the cluster of providers set with config_path/config_context')
    .addOption(new Option('--format <fmt>', 'svg, dot or mermaid (default: from --output, else svg)').choices(['svg', 'dot', 'mermaid']))
    .option('-o, --output <file>', 'write the picture to a file instead of standard output')
    .addOption(new Option('--lang <code>', 'language of the labels (default: en)').choices([...LANGUAGES]))
    .option('--now <time>', 'YYYY-MM-DD or an ISO 8601 time (default: now)')
    .addOption(new Option('--policies <dir>', 'policy directory').hideHelp())
    .action(async (inputs: string[], flags: EvidenceFlags & { format?: 'svg' | 'dot' | 'mermaid'; output?: string }) => {
      const ext = flags.output ? path.extname(flags.output).toLowerCase() : '';
      const format = flags.format ?? ({ '.dot': 'dot', '.gv': 'dot', '.mmd': 'mermaid', '.md': 'mermaid' } as Record<string, 'dot' | 'mermaid'>)[ext] ?? 'svg';
      const ev = await collectEvidence(evidenceOptions(inputs, flags, info.version));
      const text = format === 'dot' ? ev.dot : format === 'mermaid' ? ev.mermaid : ev.svg;
      if (flags.output) {
        try {
          writeFileSync(flags.output, text);
        } catch (e) {
          throw new UsageError(`--output ${flags.output}: cannot write: ${e instanceof Error ? e.message : String(e)}`);
        }
        process.stderr.write(`${PROGRAM}: diagram (${format}) written to ${displayPath(flags.output)}\n`);
      } else process.stdout.write(text);
      setExit(EXIT.pass);
    });

  program
    .command('init')
    .description('write a starter sites.yaml, waivers.yaml, .kz-residency.yaml and CI workflow')
    .argument('[dir]', 'where to write them', '.')
    .option('--force', 'overwrite files that exist')
    .action((dir: string, flags: { force?: boolean }) => {
      if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`init: ${dir} is not a directory`);
      const written = runInit(dir, Boolean(flags.force));
      process.stdout.write(
        written.map((f) => `wrote ${f}\n`).join('') +
          'Next: put your clusters in sites.yaml, run `npx cdktf synth`, then `npx kz-residency check`.\n',
      );
      setExit(0);
    });

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

  const catalogue = (flags: { policies: string; policy?: string[] }): RuleMeta[] =>
    flags.policy?.length ? loadPolicyPack(flags.policies, flags.policy).rules : loadRuleCatalogue(flags.policies);

  program
    .command('explain')
    .description("show a rule's metadata, legal basis and remediation")
    .argument('<rule-id>', 'e.g. KZ-RES-001')
    .option('--policy <dir>', "also the team's own policies (repeatable)", collect)
    .addOption(new Option('--policies <dir>').default(DEFAULT_POLICIES_DIR).hideHelp())
    .action((id: string, flags: { policies: string; policy?: string[] }) => {
      const rules = catalogue(flags);
      const rule = rules.find((r) => r.id.toLowerCase() === id.toLowerCase());
      if (!rule) throw new UsageError(`unknown rule "${id}"; known rules: ${rules.map((r) => r.id).join(', ')}`);
      process.stdout.write(formatExplain(rule));
      setExit(0);
    });

  program
    .command('rules')
    .description('list the rule catalogue: id, title, severity, basis, profiles where it denies')
    .addOption(new Option('--format <name>').choices(['text', 'json']).default('text'))
    .option('--policy <dir>', "also the team's own policies (repeatable)", collect)
    .addOption(new Option('--policies <dir>').default(DEFAULT_POLICIES_DIR).hideHelp())
    .action((flags: { format: 'text' | 'json'; policies: string; policy?: string[] }) => {
      const rules = catalogue(flags);
      process.stdout.write(flags.format === 'json' ? JSON.stringify(rules, null, 2) + '\n' : formatRulesTable(rules));
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
      if (e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
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
