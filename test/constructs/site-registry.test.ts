import * as path from 'node:path';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { App, TerraformStack } from 'cdktf';
import { KzSite, PrimaryDataStore, SiteProviders, SiteRegistry } from '../../constructs';
import { almaty, astana, frankfurt } from './fixtures';

const SCHEMA = path.resolve(__dirname, '../../policies/data/sites.schema.json');

function synthApp(build: (app: App) => void): { outdir: string; sites: { sites: Array<{ id: string }> } } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'kz-sites-json-'));
  const app = new App({ outdir });
  build(app);
  app.synth();
  return { outdir, sites: JSON.parse(readFileSync(path.join(outdir, 'sites.json'), 'utf8')) };
}

describe('SiteRegistry and sites.json', () => {
  test('the app writes <outdir>/sites.json with every site any stack uses, sorted by id', () => {
    const { sites, outdir } = synthApp((app) => {
      const a = new TerraformStack(app, 'a');
      const b = new TerraformStack(app, 'b');
      new PrimaryDataStore(a, 'S', { site: almaty, dataClass: 'case', backup: { site: astana } });
      SiteProviders.of(b, frankfurt);
    });
    expect(sites.sites.map((s) => s.id)).toEqual(['hq-fra', 'kz-ala-1', 'kz-ast-1']);
    expect(sites.sites[1]).toEqual(JSON.parse(JSON.stringify(almaty.entry)));
    expect(existsSync(path.join(outdir, 'stacks', 'a', 'cdk.tf.json'))).toBe(true);
  });

  test('sites.json is valid against the registry schema', () => {
    if (!existsSync(SCHEMA)) return console.warn(`skipped: ${SCHEMA} is absent`);
    const { sites } = synthApp((app) => {
      const s = new TerraformStack(app, 's');
      SiteProviders.of(s, almaty);
      SiteProviders.of(s, frankfurt);
    });
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
    expect(validate(sites) ? [] : validate.errors).toEqual([]);
  });

  test('the registry hangs off the construct tree: two apps keep two registries', () => {
    const a = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'kz-a-')) });
    const b = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'kz-b-')) });
    SiteProviders.of(new TerraformStack(a, 's'), almaty);
    SiteProviders.of(new TerraformStack(b, 's'), frankfurt);
    expect(SiteRegistry.of(a).entries.map((e) => e.id)).toEqual(['kz-ala-1']);
    expect(SiteRegistry.of(b).entries.map((e) => e.id)).toEqual(['hq-fra']);
    expect(SiteRegistry.of(a.node.findChild('s'))).toBe(SiteRegistry.of(a));
  });

  test('two different sites with one id are refused', () => {
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'kz-c-')) });
    const s = new TerraformStack(app, 's');
    SiteProviders.of(s, almaty);
    const impostor = new KzSite({
      id: 'kz-ala-1',
      city: 'Almaty',
      kubernetes: { endpoints: ['https://other.example.kz'], region: 'x' },
    });
    expect(() => SiteProviders.of(new TerraformStack(app, 't'), impostor)).toThrow(
      't/Providers-kz-ala-1: site: a different site with id "kz-ala-1" is already used by s/Providers-kz-ala-1',
    );
  });
});
