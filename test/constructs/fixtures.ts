/** Shared sites, stack factory and synth readers for the construct, stack and example suites. */
import * as path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import { App, TerraformStack, Testing } from 'cdktf';
import { ForeignSite, KzSite } from '../../constructs';

Testing.setupJest();

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toHaveResourceWithProperties(
        resource: { tfResourceType: string },
        properties?: Record<string, unknown>,
      ): R;
      toHaveResource(resource: { tfResourceType: string }): R;
    }
  }
}

/** A real self-signed CA certificate (public data; its key was thrown away). */
export const TEST_CA = `-----BEGIN CERTIFICATE-----
MIIBjjCCATWgAwIBAgIUVPIyYljhvApiSbIS9wT9tukFOOkwCgYIKoZIzj0EAwIw
HTEbMBkGA1UEAwwSYWxhLWs4cyBleGFtcGxlIENBMB4XDTI2MTEzMDA5NDA1NFoX
DTM2MTEyNzA5NDA1NFowHTEbMBkGA1UEAwwSYWxhLWs4cyBleGFtcGxlIENBMFkw
EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEs7CoZpVS9dzmZkLTvYy1kKVne5nrvn2D
xoI9I5kCFTGaQgmLCZOiPxGvunZ6kl3yTewjpt/C0fKFTyIlgug4EKNTMFEwHQYD
VR0OBBYEFPLZYS7EsZ7Kx8Q7+4S9vmBy6cFfMB8GA1UdIwQYMBaAFPLZYS7EsZ7K
x8Q7+4S9vmBy6cFfMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIg
PO51MtT+YDY9wtI/8I71JWkVZv6HcFnn3HgtOT7E+9MCIDAB1dxb1vbL8qNV4SOg
wq7OAahnJe89g3q0hQWChMvG
-----END CERTIFICATE-----
`;

export const almaty = new KzSite({
  id: 'kz-ala-1',
  city: 'Almaty',
  operator: 'Test DC Almaty',
  kubernetes: {
    endpoints: ['https://k8s.ala.example.kz', 'https://10.20.0.10:6443'],
    region: 'kz-almaty',
    zones: ['kz-almaty-a', 'kz-almaty-b'],
    caBundle: TEST_CA,
    auth: { kubeconfigContext: 'ala-deployer' },
    apiServer: { cidrs: ['10.20.0.10/32'], ports: [6443] },
  },
  storageClasses: [
    { name: 'ala-ceph-encrypted', encrypted: true },
    { name: 'ala-local', encrypted: false },
  ],
  objectStorage: ['https://s3.ala.example.kz'],
  objectStorageAccess: { cidrs: ['10.20.40.0/28'], caBundle: TEST_CA },
  logSinks: ['https://logs.ala.example.kz'],
  captureHosts: ['app.example.kz'],
});

export const astana = new KzSite({
  id: 'kz-ast-1',
  city: 'Astana',
  kubernetes: {
    endpoints: ['https://k8s.ast.example.kz'],
    region: 'kz-astana',
    zones: ['kz-astana-a'],
    auth: {
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'kubelogin', args: ['get-token'] },
    },
    apiServer: { entity: { cni: 'cilium', name: 'kube-apiserver' } },
  },
  storageClasses: [{ name: 'ast-ceph-encrypted', encrypted: true }],
  objectStorage: ['https://s3.ast.example.kz'],
  objectStorageAccess: { cidrs: ['10.30.40.0/28'] },
  logSinks: ['https://logs.ast.example.kz'],
});

export const almaty2 = new KzSite({
  id: 'kz-ala-2',
  city: 'Almaty',
  kubernetes: {
    endpoints: ['https://k8s.ala2.example.kz'],
    region: 'kz-almaty',
    auth: { kubeconfigContext: 'ala2-deployer' },
  },
  storageClasses: [{ name: 'ala2-enc', encrypted: true }],
  objectStorage: ['https://s3.ala2.example.kz'],
});

export const frankfurt = new ForeignSite({
  id: 'hq-fra',
  jurisdiction: 'DE',
  city: 'Frankfurt',
  kubernetes: {
    endpoints: ['https://k8s.fra.example.com'],
    region: 'eu-central',
    zones: ['eu-central-1a'],
    auth: { kubeconfigContext: 'fra-deployer' },
  },
  storageClasses: [
    { name: 'fra-encrypted', encrypted: true },
    { name: 'fra-plain', encrypted: false },
  ],
  objectStorage: ['https://s3.fra.example.com'],
  tunnelEndpoints: { cidrs: ['203.0.113.10/32'] },
  logSinks: ['https://logs.fra.example.com'],
});

/** A fresh app and stack. */
export function newStack(id = 'test'): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  return { app, stack: new TerraformStack(app, id) };
}

/** A synthesized stack document. */
export interface SynthDoc {
  provider?: Record<string, Array<Record<string, unknown>>>;
  resource: Record<string, Record<string, Record<string, unknown>>>;
}

/** Synthesizes and parses a stack (validations on). */
export function synthDoc(stack: TerraformStack): SynthDoc {
  return JSON.parse(Testing.synth(stack, true)) as SynthDoc;
}

/** All resources of one type, as [name, body]. */
export function resourcesOf(doc: SynthDoc, type: string): Array<[string, Record<string, unknown>]> {
  return Object.entries(doc.resource[type] ?? {});
}

/** Every resource of every type. */
export function allResources(
  doc: SynthDoc,
): Array<{ type: string; name: string; body: Record<string, unknown> }> {
  return Object.entries(doc.resource).flatMap(([type, rs]) =>
    Object.entries(rs).map(([name, body]) => ({ type, name, body })),
  );
}

/** Parsed values of every helm_release whose chart is `chart`, keyed by release name. */
export function helmValues(doc: SynthDoc, chart: string): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  for (const [, r] of resourcesOf(doc, 'helm_release')) {
    if (r.chart !== chart) continue;
    const values = r.values as string[];
    out[r.name as string] = JSON.parse(values[0]) as JsonObject;
  }
  return out;
}

export type JsonObject = { [k: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** Reads a nested value by a dotted path whose segments may contain dots when quoted with []. */
export function at(o: unknown, ...keys: Array<string | number>): unknown {
  let cur: unknown = o;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

/** The shared folder (charts, plans), or undefined when absent (a user's clone). */
export const SHARED = path.resolve(__dirname, '../../../shared');
export const SHARED_PRESENT = existsSync(path.join(SHARED, 'charts', 'cloudnative-pg'));

/** A validator of the CloudNativePG chart `cluster` or `cloudnative-pg` values, when /work/shared is present. */
export function chartValidator(chart: 'cluster' | 'cloudnative-pg'): ValidateFunction | undefined {
  const file = path.join(SHARED, 'charts', 'cloudnative-pg', chart, 'values.schema.json');
  if (!existsSync(file)) return undefined;
  const ajv = new Ajv({ strict: false, allErrors: true });
  return ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
}
