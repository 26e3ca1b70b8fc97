/**
 * Checks of generated Helm values against the upstream charts pinned in ../shared/charts (see its
 * SOURCE.md): the chart's values.schema.json where it has one, the CRDs the values become, and —
 * for every chart — that each key the constructs set exists in the chart's default values.yaml of
 * the pinned version (Helm silently ignores a key a chart does not read: that is a bug here).
 * Callers skip with a printed reason when ../shared is absent.
 */
import * as path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { SHARED } from './fixtures';

const CHARTS = path.join(SHARED, 'charts');

/** The chart folders of ../shared/charts the constructs install. */
export type ChartDir =
  | 'cloudnative-pg/cluster'
  | 'cloudnative-pg/cloudnative-pg'
  | 'plugin-barman-cloud'
  | 'loki'
  | 'fluent-bit'
  | 'minio-operator'
  | 'minio-tenant';

/** The version a chart folder holds (its Chart.yaml), or undefined when absent. */
export function chartVersion(dir: ChartDir): string | undefined {
  const file = path.join(CHARTS, dir, 'Chart.yaml');
  if (!existsSync(file)) return undefined;
  return String((parseYaml(readFileSync(file, 'utf8')) as { version: unknown }).version);
}

/** A validator for the chart's own values.schema.json, or undefined when the file is absent. */
export function chartSchemaValidator(dir: ChartDir): ValidateFunction | undefined {
  const file = path.join(CHARTS, dir, 'values.schema.json');
  if (!existsSync(file)) return undefined;
  // Loki's schema names draft-07 by its https URL, which ajv does not know by that name: same draft
  const schema = JSON.parse(readFileSync(file, 'utf8')) as { $schema?: string };
  delete schema.$schema;
  return new Ajv({ strict: false, allErrors: true }).compile(schema);
}

/** A validator of a custom resource's `spec` against its CRD's openAPIV3Schema (`version`). */
export function crdValidator(file: string, version: string): ValidateFunction {
  const docs = parseAllDocuments(readFileSync(path.join(CHARTS, file), 'utf8')).map((d) => d.toJS() as Crd);
  const crd = docs.find((d) => d && d.kind === 'CustomResourceDefinition');
  const v = crd?.spec.versions.find((x) => x.name === version);
  if (!v) throw new Error(`${file}: no version ${version}`);
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const f of ['int32', 'int64', 'byte', 'date-time']) ajv.addFormat(f, true); // Kubernetes OpenAPI formats
  return ajv.compile(v.schema.openAPIV3Schema.properties.spec);
}

interface Crd {
  kind: string;
  spec: { versions: { name: string; schema: { openAPIV3Schema: { properties: { spec: object } } } }[] };
}

/**
 * Dotted paths of `values` that do not exist in the chart's default values.yaml. Descends into
 * objects the defaults spell out; stops at maps the defaults leave empty (`{}`: free-form, the
 * chart passes them through with toYaml) and at `passThrough` paths (maps a template copies into
 * the application's own configuration, named by the caller with the template that does it). An
 * array is checked item by item against the union of the default array's object items.
 */
export function unknownChartKeys(
  dir: ChartDir,
  values: unknown,
  passThrough: readonly string[] = [],
): string[] {
  const defaults = parseYaml(readFileSync(path.join(CHARTS, dir, 'values.yaml'), 'utf8')) as unknown;
  const out: string[] = [];
  const walk = (v: unknown, d: unknown, at: string): void => {
    if (passThrough.includes(at)) return;
    if (Array.isArray(v)) {
      const model = Array.isArray(d) ? mergeAll(d.filter(isObject)) : undefined;
      if (model && Object.keys(model).length > 0) v.forEach((item, i) => walk(item, model, `${at}[${i}]`));
      return;
    }
    if (!isObject(v)) return;
    if (!isObject(d)) {
      if (d === undefined) out.push(at);
      return; // a default of null or a scalar takes any shape the chart documents
    }
    if (Object.keys(d).length === 0) return; // free-form map
    for (const [k, sub] of Object.entries(v)) {
      const p = at ? `${at}.${k}` : k;
      if (!(k in d)) {
        if (!passThrough.includes(p)) out.push(p);
        continue;
      }
      walk(sub, d[k], p);
    }
  };
  walk(values, defaults, '');
  return out;
}

/** Deep union of objects (the shape any default item shows). */
function mergeAll(items: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    for (const [k, v] of Object.entries(item)) {
      const prev = out[k];
      out[k] =
        isObject(prev) && isObject(v) ? mergeAll([prev, v]) : prev !== undefined && !isObject(v) ? prev : v;
    }
  }
  return out;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * The ObjectStore `spec` that the cluster chart 0.8.1 renders from `backups` when `backups.method`
 * is `plugin` (templates/backup-objectstore.yaml with the cluster.barmanObjectStoreConfig helper of
 * templates/_barman_object_store.tpl, s3 provider), so its fields can be checked against the
 * ObjectStore CRD the plugin installs.
 */
export function objectStoreSpecRenderedBy(values: Record<string, unknown>): {
  retentionPolicy: unknown;
  configuration: Record<string, unknown>;
  instanceSidecarConfiguration: Record<string, unknown>;
} {
  const b = values.backups as {
    retentionPolicy: string;
    endpointURL?: string;
    endpointCA?: { create: boolean; name: string; key: string };
    destinationPath?: string;
    s3: { bucket: string; path: string; inheritFromIAMRole: boolean };
    secret: { name: string };
    wal: { compression: string; encryption?: string; maxParallel: number };
    data: { compression: string; encryption?: string; jobs: number };
    instanceSidecarConfiguration?: Record<string, unknown>;
  };
  const configuration: Record<string, unknown> = {
    wal: {
      compression: b.wal.compression,
      ...(b.wal.encryption ? { encryption: b.wal.encryption } : {}),
      maxParallel: b.wal.maxParallel,
    },
    data: {
      compression: b.data.compression,
      ...(b.data.encryption ? { encryption: b.data.encryption } : {}),
      jobs: b.data.jobs,
    },
    endpointURL: b.endpointURL,
    ...(b.endpointCA && (b.endpointCA.create || b.endpointCA.name)
      ? { endpointCA: { name: b.endpointCA.name, key: b.endpointCA.key } }
      : {}),
    destinationPath: b.destinationPath || `s3://${b.s3.bucket}${b.s3.path}`,
    s3Credentials: b.s3.inheritFromIAMRole
      ? { inheritFromIAMRole: true }
      : {
          accessKeyId: { name: b.secret.name, key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: b.secret.name, key: 'ACCESS_SECRET_KEY' },
        },
  };
  return {
    retentionPolicy: b.retentionPolicy,
    configuration,
    instanceSidecarConfiguration: b.instanceSidecarConfiguration ?? {},
  };
}
