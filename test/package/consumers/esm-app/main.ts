/**
 * An ES module app: the constructs from 'kz-residency', the programmatic check from 'kz-residency/cli',
 * the loaders from 'kz-residency/plan' and the engine from 'kz-residency/engine', compiled by tsc with
 * Node's own module resolution (nodenext, which reads package.json `exports`) and run by plain node.
 * Prints one JSON line for the package test.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'cdktf';
import { HybridDeployment, KzSite, ResidencyGuard, LABELS } from 'kz-residency';
import { check, render } from 'kz-residency/cli';
import { loadSitesRegistry } from 'kz-residency/plan';
import { InterpreterEngine } from 'kz-residency/engine';

const here = path.dirname(fileURLToPath(import.meta.url));
const sites = path.join(here, 'sites.yaml');
const outdir = path.join(here, 'cdktf.out');

const app = new App({ outdir });
new HybridDeployment(app, 'esm-bank', {
  primaryCity: 'Astana',
  kzSites: {
    almaty: KzSite.fromRegistry(sites, 'kz-ala-bank'),
    astana: KzSite.fromRegistry(sites, 'kz-ast-bank'),
  },
  dpoContact: 'dpo@bank.example.kz',
  crossBorder: 'suspended',
  stores: [
    {
      name: 'customers',
      dataClass: 'personal',
      purpose: 'Customer accounts',
      dataCategories: ['identity', 'contact'],
      consentSource: 'eGov',
    },
  ],
  audit: { retentionDays: 1095, immutable: true },
  regulator: { identityProviderUrl: 'https://id.bank.example.kz/realms/regulator' },
  firstTouch: {
    hosts: ['kyc.bank.example.kz'],
    namespace: 'kyc-web',
    backend: { serviceName: 'kyc-web', port: 8443 },
  },
});
ResidencyGuard.of(app, { sites });
app.synth();

const { result, rules } = await check({ target: outdir, sites });
const markdown = render('markdown', result, rules);
process.stdout.write(
  JSON.stringify({
    result: result.summary.result,
    deny: result.summary.deny,
    stacks: result.summary.inputs.map((i) => i.name),
    rules: rules.length,
    markdownStartsWith: markdown.slice(0, 40),
    registrySites: loadSitesRegistry(sites).sites.map((s) => s.id),
    engine: typeof InterpreterEngine.fromSources,
    dataClassLabel: LABELS.dataClass,
  }) + '\n',
);
