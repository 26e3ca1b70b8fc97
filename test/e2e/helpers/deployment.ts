/**
 * A HybridDeployment with an HQ replica, synthesized by cdktf exactly as a user's app would be,
 * and the parts the replication suites run read back out of the synthesized JSON: the CNPG cluster
 * chart values of the primary and of the HQ replica (helm_release `values`), and each gateway's
 * ConfigMap files, container arguments and Secret mount (kubernetes_config_map_v1 /
 * kubernetes_deployment_v1). Nothing here is written by hand for the test.
 */
import { Testing } from 'cdktf';
import { ForeignSite, KzSite } from '../../../constructs/site';
import type { CrossBorderState, TunnelProfile, TunnelSide } from '../../../constructs/tunnel-config';
import { HybridDeployment } from '../../../stacks/hybrid-deployment';

/** The load balancer names the deployment is given (the lab maps them to the namespaces' addresses). */
export const HQ_LB_HOST = 'tunnel.hq.example.com';
export const KZ_LB_HOST = 'tunnel.kz.example.kz';
/** The store replicated to HQ. */
export const STORE = 'clients';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = { [k: string]: Json };

export function obj(v: Json | undefined): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
}
export function arr(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : v !== undefined && v !== null ? [v] : [];
}
export function str(v: Json | undefined, what: string): string {
  if (typeof v !== 'string') throw new Error(`synthesized ${what} is not a string: ${JSON.stringify(v)}`);
  return v;
}

/** One gateway as synthesized. */
export interface SynthGateway {
  /** ConfigMap data: file name -> content. */
  readonly files: Record<string, string>;
  readonly command: string[];
  readonly args: string[];
  readonly readinessCommand: string[];
  readonly configMountPath: string;
  readonly secretMountPath: string;
  /** Secret volume defaultMode, pod runAsUser/runAsGroup/fsGroup, container capabilities. */
  readonly secretMode: string;
  readonly runAsUser: string;
  readonly runAsGroup: string;
  readonly fsGroup?: string;
  readonly capabilitiesAdded: string[];
  readonly replicas: string;
  readonly waitForRollout: boolean;
}

/** What the suites use from one synthesized deployment. */
export interface SynthDeployment {
  readonly profile: TunnelProfile;
  readonly crossBorder: CrossBorderState;
  /** helm values of the primary's cluster chart release. */
  readonly primaryValues: Obj;
  /** helm values of the HQ replica's cluster chart release. */
  readonly replicaValues: Obj;
  readonly kz: SynthGateway;
  readonly hq: SynthGateway;
  /** NetworkPolicies of the primary stack and the HQ stack, by metadata.name. */
  readonly policies: Record<string, Obj>;
}

function resources(doc: Obj, type: string): Obj[] {
  return Object.values(obj(obj(doc.resource)[type])).map(obj);
}

function helmValues(doc: Obj, release: string): Obj {
  const r = resources(doc, 'helm_release').find((h) => h.name === release);
  if (r === undefined) throw new Error(`no helm_release ${release} in the synthesized stack`);
  return JSON.parse(str(arr(r.values)[0], `helm_release ${release} values`)) as Obj;
}

function gateway(doc: Obj, side: TunnelSide): SynthGateway {
  const labelled = (r: Obj): boolean => obj(obj(r.metadata).labels)['residency.kz/tunnel-side'] === side;
  const cm = resources(doc, 'kubernetes_config_map_v1').find(labelled);
  const dep = resources(doc, 'kubernetes_deployment_v1').find(labelled);
  if (cm === undefined || dep === undefined) throw new Error(`no ${side} gateway in the synthesized stack`);
  const files: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(cm.data))) files[k] = str(v, `ConfigMap data ${k}`);
  const spec = obj(dep.spec);
  const pod = obj(obj(arr(spec.template)[0]).spec);
  const container = obj(arr(pod.container)[0]);
  const volumes = arr(pod.volume).map(obj);
  const mounts = arr(container.volume_mount).map(obj);
  const mountOf = (pred: (v: Obj) => boolean): { path: string; volume: Obj } => {
    const volume = volumes.find(pred);
    const m = volume && mounts.find((x) => x.name === volume.name);
    if (volume === undefined || m === undefined) throw new Error(`${side} gateway: volume not mounted`);
    return { path: str(m.mount_path, 'mount_path'), volume };
  };
  const secret = mountOf((v) => arr(v.secret).length > 0);
  const config = mountOf((v) => obj(arr(v.config_map)[0]).name === obj(cm.metadata).name);
  const security = obj(arr(pod.security_context)[0]);
  const caps = obj(arr(obj(arr(container.security_context)[0]).capabilities)[0]);
  const probe = obj(arr(obj(arr(container.readiness_probe)[0]).exec)[0]);
  return {
    files,
    command: arr(container.command).map(String),
    args: arr(container.args).map(String),
    readinessCommand: arr(probe.command).map(String),
    configMountPath: config.path,
    secretMountPath: secret.path,
    secretMode: String(obj(arr(secret.volume.secret)[0]).default_mode),
    runAsUser: String(security.run_as_user),
    runAsGroup: String(security.run_as_group),
    fsGroup: security.fs_group === undefined ? undefined : String(security.fs_group),
    capabilitiesAdded: arr(caps.add).map(String),
    replicas: String(spec.replicas),
    waitForRollout: dep.wait_for_rollout === true,
  };
}

/** Synthesizes the deployment (primary Almaty, standby Astana, HQ Frankfurt) with `profile`. */
export function synthesizeDeployment(profile: TunnelProfile, crossBorder: CrossBorderState): SynthDeployment {
  const app = Testing.app();
  const almaty = new KzSite({
    id: 'kz-ala-1',
    city: 'Almaty',
    kubernetes: {
      endpoints: ['https://k8s.ala.example.kz'],
      region: 'kz-almaty',
      zones: ['kz-almaty-a'],
      auth: { kubeconfigContext: 'e2e-ala' },
      apiServer: { cidrs: ['10.20.0.10/32'] },
    },
    storageClasses: [{ name: 'ala-encrypted', encrypted: true }],
    objectStorage: ['https://s3.ala.example.kz'],
    objectStorageAccess: { cidrs: ['10.20.40.0/28'] },
    logSinks: ['https://logs.ala.example.kz'],
  });
  const astana = new KzSite({
    id: 'kz-ast-1',
    city: 'Astana',
    kubernetes: {
      endpoints: ['https://k8s.ast.example.kz'],
      region: 'kz-astana',
      auth: { kubeconfigContext: 'e2e-ast' },
      apiServer: { cidrs: ['10.30.0.10/32'] },
    },
    storageClasses: [{ name: 'ast-encrypted', encrypted: true }],
    objectStorage: ['https://s3.ast.example.kz'],
    objectStorageAccess: { cidrs: ['10.30.40.0/28'] },
  });
  const hq = new ForeignSite({
    id: 'hq-fra',
    jurisdiction: 'DE',
    city: 'Frankfurt',
    kubernetes: { endpoints: ['https://k8s.fra.example.com'], region: 'eu-central', auth: { kubeconfigContext: 'e2e-fra' } },
    storageClasses: [{ name: 'fra-encrypted', encrypted: true }],
    // where the kz wireguard gateway dials the HQ (its only cross-border exit)
    tunnelEndpoints: { cidrs: ['192.0.2.10/32'] },
  });
  const d = new HybridDeployment(app, 'e2e', {
    primaryCity: 'Almaty',
    kzSites: { almaty, astana },
    dpoContact: 'dpo@example.kz',
    crossBorder,
    stores: [
      {
        name: STORE,
        dataClass: 'personal',
        purpose: 'e2e replication proof',
        dataCategories: ['identity'],
        consentSource: 'eGov',
        replicateToHq: true,
      },
    ],
    hq: {
      site: hq,
      endpointHost: HQ_LB_HOST,
      kzEndpointHost: KZ_LB_HOST,
      tunnelProfile: profile,
      transferAgreement: 'SCC-E2E-1',
      legalBasis: 'Law 94-V Art. 16: consent of the subject',
    },
  });
  if (d.hq === undefined) throw new Error('the deployment has no HQ stack');
  const primary = JSON.parse(Testing.synth(d.primary)) as Obj;
  const hqDoc = JSON.parse(Testing.synth(d.hq)) as Obj;
  const policies: Record<string, Obj> = {};
  for (const doc of [primary, hqDoc])
    for (const p of resources(doc, 'kubernetes_network_policy_v1'))
      policies[str(obj(p.metadata).name, 'policy name')] = p;
  return {
    profile,
    crossBorder,
    primaryValues: helmValues(primary, STORE),
    replicaValues: helmValues(hqDoc, `${STORE}-replica`),
    kz: gateway(primary, 'kz'),
    hq: gateway(hqDoc, 'hq'),
    policies,
  };
}
