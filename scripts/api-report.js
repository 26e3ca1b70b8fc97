#!/usr/bin/env node
/**
 * The public API report: API Extractor reads the declarations `npm run build` wrote to dist/ for each
 * entry point of package.json's `exports` and writes its surface to docs/api-report/<entry>.api.md.
 * The reports are committed, so a change to what users can import shows up in review as a diff of them.
 *
 *   node scripts/api-report.js           update the reports (`npm run api` builds first, then runs this)
 *   node scripts/api-report.js --check   fail when dist/ no longer matches them (run by npm test)
 *
 * `kz-residency/constructs` and `kz-residency/stacks` have no report of their own: the root is exactly
 * both of them (test/package/api.test.ts holds it to that), so the root's report covers them.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { CompilerState, Extractor, ExtractorConfig } = require('@microsoft/api-extractor');

const root = path.resolve(__dirname, '..');
// the project's own TypeScript, not the one API Extractor bundles: the same compiler that wrote dist/
const typescriptCompilerFolder = path.dirname(require.resolve('typescript/package.json'));
const reportFolder = path.join(root, 'docs', 'api-report');

/** Entry point (package.json `exports` key) → the declaration file it resolves to and its report's name. */
const ENTRIES = [
  { subpath: '.', dts: 'dist/index.d.ts', report: 'kz-residency.api.md' },
  { subpath: './plan', dts: 'dist/plan/index.d.ts', report: 'kz-residency-plan.api.md' },
  { subpath: './engine', dts: 'dist/engine/index.d.ts', report: 'kz-residency-engine.api.md' },
  { subpath: './cli', dts: 'dist/cli/index.d.ts', report: 'kz-residency-cli.api.md' },
];

/** What is reported and how loudly: the report is the product here, the console only says why a run failed. */
const MESSAGES = {
  compilerMessageReporting: { default: { logLevel: 'error' } },
  extractorMessageReporting: {
    default: { logLevel: 'none' },
    // a type the API uses but no entry point exports: listed in the report, so review sees it
    'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
    'ae-missing-release-tag': { logLevel: 'none' },
  },
  tsdocMessageReporting: { default: { logLevel: 'none' } },
};

function configFor(entry, tempFolder) {
  return ExtractorConfig.prepare({
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: path.join(root, entry.dts),
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2022',
            module: 'commonjs',
            moduleResolution: 'node',
            lib: ['ES2022'],
            types: ['node'],
            strict: true,
            skipLibCheck: true,
          },
          files: ENTRIES.map((e) => path.join(root, e.dts)),
        },
      },
      apiReport: { enabled: true, reportFileName: entry.report, reportFolder, reportTempFolder: tempFolder },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      newlineKind: 'lf',
      messages: MESSAGES,
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: path.join(root, 'package.json'),
  });
}

/** API Extractor's own console lines that this script says better in one line of its own. */
const QUIET = new Set([
  'console-preamble',
  'console-api-report-copied',
  'console-api-report-created',
  'console-api-report-not-copied',
]);
function quiet(message) {
  if (QUIET.has(message.messageId)) message.handled = true;
}

function main() {
  const check = process.argv.includes('--check');
  for (const entry of ENTRIES) {
    if (!fs.existsSync(path.join(root, entry.dts))) {
      process.stderr.write(
        `api-report: ${entry.dts} is missing: run \`npm run build\` first (or \`npm run api\`)\n`,
      );
      return 2;
    }
  }
  const tempFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'kz-api-report-'));
  try {
    const changed = [];
    // one TypeScript program for all entry points (each invoke would otherwise build its own)
    const compilerState = CompilerState.create(configFor(ENTRIES[0], tempFolder), {
      typescriptCompilerFolder,
      additionalEntryPoints: ENTRIES.map((e) => path.join(root, e.dts)),
    });
    for (const entry of ENTRIES) {
      const result = Extractor.invoke(configFor(entry, tempFolder), {
        localBuild: !check,
        compilerState,
        typescriptCompilerFolder,
        showVerboseMessages: false,
        // in --check mode the diff is printed, so the failure says what changed
        printApiReportDiff: check,
        messageCallback: quiet,
      });
      if (result.errorCount > 0) {
        process.stderr.write(
          `api-report: ${entry.dts}: API Extractor reported ${result.errorCount} error(s)\n`,
        );
        return 1;
      }
      if (result.apiReportChanged) changed.push(entry);
    }
    if (changed.length === 0) {
      process.stdout.write(`api-report: ${ENTRIES.length} reports in docs/api-report are current\n`);
      return 0;
    }
    const names = changed.map(
      (e) =>
        `docs/api-report/${e.report} (${e.subpath === '.' ? 'kz-residency' : `kz-residency/${e.subpath.slice(2)}`})`,
    );
    if (check) {
      process.stderr.write(
        `api-report: the public API changed: ${names.join(', ')}. If the change is intended, run \`npm run api\` and commit the reports.\n`,
      );
      return 1;
    }
    process.stdout.write(`api-report: updated ${names.join(', ')}\n`);
    return 0;
  } finally {
    fs.rmSync(tempFolder, { recursive: true, force: true });
  }
}

process.exitCode = main();
