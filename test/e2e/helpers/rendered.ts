/**
 * The configuration files the e2e suites run: synthesized by cdktf from a stack holding an
 * `EncryptedTunnel`, and read back out of the `kubernetes_config_map_v1` resources of the
 * synthesized JSON (the real construct output, not a copy written for the test). The Secret
 * mount path is read from the gateway Deployment's volume mounts.
 *
 * The only changes made before running them are what the cluster provides at run time:
 * the Secret mount path (where the test's generated keys are), the peer's address (a namespace
 * address instead of the Service/load balancer DNS name) and, for wireguard, the interface name
 * (= the file name, unique per run so that parallel runs never share a control socket).
 */
import { Testing, TerraformStack } from 'cdktf';
import { EncryptedTunnel } from '../../../constructs/encrypted-tunnel';
import { ForeignSite, KzSite } from '../../../constructs/site';
import type { CrossBorderState, TunnelProfile, TunnelSide } from '../../../constructs/tunnel-config';

/** The host name the test stack gives the hq gateway's load balancer (replaced by the hq namespace's address). */
export const HQ_ENDPOINT_HOST = 'tunnel.hq.example.com';
/** The host name the test stack gives the kz gateway's load balancer (gost-tls; replaced by the kz namespace's address). */
export const KZ_ENDPOINT_HOST = 'kzres-kz-gateway.example.kz';

/** What was synthesized for one side. */
export interface RenderedSide {
  /** ConfigMap data: file name -> content, exactly as synthesized. */
  readonly files: Record<string, string>;
  /** The gateway container's command and arguments as synthesized (how the cluster runs the files). */
  readonly command: string[];
  /** Where the gateway Deployment mounts the ConfigMap holding `files`. */
  readonly configMountPath: string;
  /** Where the gateway Deployment mounts the key Secret. */
  readonly secretMountPath: string;
  /** The Secret's name (referenced by name, never inlined). */
  readonly secretName: string;
  /** Deployment replicas as synthesized ('0' when suspended). */
  readonly replicas: string;
  /** Terraform address of the ConfigMap, for messages. */
  readonly address: string;
}

export interface RenderedTunnel {
  readonly kz: RenderedSide;
  readonly hq: RenderedSide;
  /** The tunnel port (UDP for wireguard, hq TLS port for gost-tls). */
  readonly port: number;
  /** The hq gateway's local port (what the HQ standby dials). */
  readonly localPort: number;
  /** The primary's read-write service the kz side forwards to, and its port. */
  readonly sourceHost: string;
  readonly sourcePort: number;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

function obj(v: Json | undefined): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
}
function arr(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : v !== undefined && v !== null ? [v] : [];
}

/** Synthesizes a stack with an EncryptedTunnel in `profile` and returns both sides' files. */
export function synthesizeTunnel(profile: TunnelProfile, crossBorder: CrossBorderState): RenderedTunnel {
  const app = Testing.app();
  const stack = new TerraformStack(app, `tunnel-${profile}-${crossBorder}`);
  const kzSite = new KzSite({
    id: 'kz-ala-1',
    city: 'Almaty',
    kubernetes: {
      endpoints: ['https://k8s.ala.example.kz'],
      region: 'kz-almaty',
      zones: ['kz-almaty-a'],
      auth: { kubeconfigContext: 'lab-kz' },
    },
  });
  const hqSite = new ForeignSite({
    id: 'hq-fra',
    jurisdiction: 'DE',
    city: 'Frankfurt',
    kubernetes: { endpoints: ['https://k8s.fra.example.com'], region: 'eu-central', auth: { kubeconfigContext: 'lab-hq' } },
  });
  const tunnel = new EncryptedTunnel(stack, 'Tunnel', {
    kzSite,
    hqSite,
    crossBorder,
    dataClass: 'case',
    source: { clusterName: 'golden', namespaceName: 'golden' },
    hqEndpointHost: HQ_ENDPOINT_HOST,
    kzEndpointHost: KZ_ENDPOINT_HOST,
    profile,
  });
  const synth = JSON.parse(Testing.synth(stack)) as Obj;
  const resources = obj(synth.resource);
  const configMaps = obj(resources.kubernetes_config_map_v1);
  const deployments = obj(resources.kubernetes_deployment_v1);

  const side = (s: TunnelSide): RenderedSide => {
    const cms = Object.entries(configMaps).filter(
      ([, r]) => obj(obj(obj(r).metadata).labels)['residency.kz/tunnel-side'] === s,
    );
    if (cms.length !== 1)
      throw new Error(
        `expected one synthesized ConfigMap labelled residency.kz/tunnel-side=${s}, found ${cms.length}`,
      );
    const [cmName, cm] = cms[0];
    const data = obj(obj(cm).data);
    const files: Record<string, string> = {};
    for (const [k, v] of Object.entries(data)) {
      if (typeof v !== 'string') throw new Error(`ConfigMap ${cmName}: data.${k} is not a string`);
      files[k] = v;
    }
    const deps = Object.values(deployments).filter(
      (d) => obj(obj(obj(d).metadata).labels)['residency.kz/tunnel-side'] === s,
    );
    if (deps.length !== 1)
      throw new Error(`expected one synthesized gateway Deployment for side ${s}, found ${deps.length}`);
    const spec = obj(obj(deps[0]).spec);
    const pod = obj(obj(arr(spec.template)[0]).spec);
    const secretVolume = arr(pod.volume)
      .map(obj)
      .find((v) => arr(v.secret).length > 0);
    if (secretVolume === undefined)
      throw new Error(`gateway Deployment for side ${s} mounts no Secret volume`);
    const secretName = String(obj(arr(secretVolume.secret)[0]).secret_name);
    const mount = arr(obj(arr(pod.container)[0]).volume_mount)
      .map(obj)
      .find((m) => m.name === secretVolume.name);
    if (mount === undefined || typeof mount.mount_path !== 'string')
      throw new Error(`gateway for side ${s} does not mount its Secret volume`);
    // the ConfigMap the pod mounts, and where: the command must run a file from that mount
    const container = obj(arr(pod.container)[0]);
    const cmVolume = arr(pod.volume)
      .map(obj)
      .find((v) => obj(arr(v.config_map)[0]).name === obj(obj(cm).metadata).name);
    if (cmVolume === undefined)
      throw new Error(`gateway Deployment for side ${s} does not mount ConfigMap ${cmName}`);
    const cmMount = arr(container.volume_mount)
      .map(obj)
      .find((m) => m.name === cmVolume.name);
    if (cmMount === undefined || typeof cmMount.mount_path !== 'string')
      throw new Error(`gateway for side ${s} does not mount its ConfigMap volume`);
    return {
      files,
      command: [...arr(container.command), ...arr(container.args)].map(String),
      configMountPath: cmMount.mount_path,
      secretMountPath: mount.mount_path,
      secretName,
      replicas: String(spec.replicas),
      address: `kubernetes_config_map_v1.${cmName}`,
    };
  };
  return {
    kz: side('kz'),
    hq: side('hq'),
    port: tunnel.port,
    localPort: tunnel.localPort,
    sourceHost: `${tunnel.source.clusterName}-rw.${tunnel.source.namespaceName}.svc`,
    sourcePort: tunnel.source.port,
  };
}

/**
 * Replaces each `from` with its `to` in a rendered file; every `from` must occur (a substitution
 * that silently does nothing would make the test run something else than intended).
 */
export function substitute(
  file: string,
  text: string,
  pairs: ReadonlyArray<readonly [string, string]>,
): string {
  let out = text;
  for (const [from, to] of pairs) {
    if (!out.includes(from))
      throw new Error(`${file}: expected to find ${JSON.stringify(from)} to substitute`);
    out = out.split(from).join(to);
  }
  return out;
}
