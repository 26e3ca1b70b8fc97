/**
 * Runs a synthesized gateway the way its pod does: the images' entrypoint (docker/kz-tunnel-gateway,
 * the very file both Dockerfiles copy to GATEWAY_ENTRYPOINT) with the container's synthesized
 * arguments, the ConfigMap's files in a directory standing for the config mount, the Secret's files
 * owned and moded as the kubelet would mount them (defaultMode, group = fsGroup), as the pod's
 * runAsUser/runAsGroup.
 *
 * What differs from the pod, and only that: the mount paths (directories of this run) and, for
 * wireguard, the interface name (= the wg-quick file name), unique per run because wireguard-go's
 * control sockets share /var/run/wireguard.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GATEWAY_ENTRYPOINT } from '../../../constructs/encrypted-tunnel';
import { FORWARD_CONFIG_FILE } from '../../../constructs/tunnel-config';
import type { SynthGateway } from './deployment';
import { substitute } from './rendered';
import { type Lab, type Started, findProcessesInNamespace, readLog, run, sleep, waitFor } from './system';

/** The entrypoint script in this repository, which both Dockerfiles install at GATEWAY_ENTRYPOINT. */
export const ENTRYPOINT_SCRIPT = path.resolve(__dirname, '../../../docker/kz-tunnel-gateway');

/** A gateway prepared for a run: its arguments with this run's paths. */
export interface PreparedGateway {
  readonly side: 'kz' | 'hq';
  readonly ns: string;
  readonly args: string[];
  readonly readyArgs: string[];
  readonly configDir: string;
  /** setpriv arguments for the pod's user, or [] for root. */
  readonly user: string[];
  /** wireguard: the interface name. */
  readonly ifname?: string;
}

/**
 * Writes the gateway's ConfigMap files and Secret as the pod would see them and returns the
 * command line. `secretFiles` are the Secret's data (file name -> source file).
 */
export function prepareGateway(
  lab: Lab,
  g: {
    side: 'kz' | 'hq';
    ns: string;
    gw: SynthGateway;
    secretDir: string;
    tag: string;
    ifname?: string;
  },
): PreparedGateway {
  const { gw, side } = g;
  if (gw.command.join(' ') !== GATEWAY_ENTRYPOINT)
    throw new Error(`the ${side} gateway does not run ${GATEWAY_ENTRYPOINT}: ${gw.command.join(' ')}`);
  // the Secret, as the kubelet mounts it: root-owned files, defaultMode, group fsGroup (or the pod's group)
  const group = gw.fsGroup ?? gw.runAsGroup;
  fs.chmodSync(g.secretDir, 0o755);
  for (const f of fs.readdirSync(g.secretDir)) {
    const p = path.join(g.secretDir, f);
    run('chown', [`0:${group}`, p]);
    fs.chmodSync(p, parseInt(gw.secretMode, 8));
  }
  const configDir = path.join(lab.dir, `${side}-${g.tag}-config`);
  fs.mkdirSync(configDir, { recursive: true, mode: 0o755 });
  const renamed: Array<[string, string]> = [];
  for (const [name, text] of Object.entries(gw.files)) {
    // every file that names the Secret names it at the mount path (forward.conf names none)
    const runnable = text.includes(gw.secretMountPath)
      ? substitute(`${side} ${name}`, text, [[gw.secretMountPath, g.secretDir]])
      : text;
    let out = name;
    if (
      g.ifname !== undefined &&
      name.endsWith('.conf') &&
      name !== FORWARD_CONFIG_FILE &&
      !name.startsWith('stunnel')
    ) {
      out = `${g.ifname}.conf`;
      renamed.push([`${gw.configMountPath}/${name}`, `${configDir}/${out}`]);
    }
    fs.writeFileSync(path.join(configDir, out), runnable, { mode: 0o444 });
  }
  const mapArg = (a: string): string => {
    for (const [from, to] of renamed) if (a === from) return to;
    return a.startsWith(`${gw.configMountPath}/`)
      ? `${configDir}/${a.slice(gw.configMountPath.length + 1)}`
      : a;
  };
  const args = gw.args.map(mapArg);
  const readyArgs = gw.readinessCommand.slice(1).map(mapArg);
  const user =
    gw.runAsUser === '0' ? [] : [`--reuid=${gw.runAsUser}`, `--regid=${gw.runAsGroup}`, '--clear-groups'];
  return { side, ns: g.ns, args, readyArgs, configDir, user, ifname: g.ifname };
}

/** Starts the entrypoint as the pod's user; with `expectReady`, waits for its readiness probe. */
export async function startGateway(
  lab: Lab,
  p: PreparedGateway,
  name: string,
  expectReady = true,
): Promise<Started> {
  const proc =
    p.user.length > 0
      ? lab.start(name, p.ns, 'setpriv', [...p.user, ENTRYPOINT_SCRIPT, ...p.args])
      : lab.start(name, p.ns, ENTRYPOINT_SCRIPT, p.args);
  if (!expectReady) return proc;
  await waitReady(lab, p, proc, name);
  return proc;
}

/**
 * Waits for a started gateway's readiness probe. A wireguard gateway is ready only with a session
 * to its peer, so start both sides before waiting for either.
 */
export async function waitReady(lab: Lab, p: PreparedGateway, proc: Started, name: string): Promise<void> {
  await waitFor(
    `gateway ${name} to be ready (its readiness probe)`,
    () => proc.exitCode() !== undefined || isReady(lab, p),
    30000,
    250,
  );
  if (proc.exitCode() !== undefined) throw new Error(`gateway ${name} exited:\n${readLog(proc.log)}`);
  if (p.ifname !== undefined)
    for (const pid of findProcessesInNamespace(p.ns, ['wireguard-go', p.ifname])) lab.adopt(pid);
}

/** The pod's readiness probe: `kz-tunnel-gateway ready <args>`, run as the pod's user. */
export function isReady(lab: Lab, p: PreparedGateway): boolean {
  const cmd =
    p.user.length > 0
      ? ['setpriv', [...p.user, ENTRYPOINT_SCRIPT, ...p.readyArgs]]
      : [ENTRYPOINT_SCRIPT, p.readyArgs];
  return lab.nsRun(p.ns, cmd[0] as string, cmd[1] as string[], { check: false }).status === 0;
}

/** Stops a gateway (SIGTERM, as the kubelet does) and whatever it started (socat children, wireguard-go). */
export async function stopGateway(lab: Lab, p: PreparedGateway, proc: Started): Promise<void> {
  const children = lab.descendants(proc.pid);
  const daemons = p.ifname !== undefined ? findProcessesInNamespace(p.ns, ['wireguard-go', p.ifname]) : [];
  await lab.stop(proc, 'SIGTERM', 5000);
  await sleep(200);
  for (const pid of [...children, ...daemons]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  if (p.ifname !== undefined) lab.nsRun(p.ns, 'ip', ['link', 'del', p.ifname], { check: false });
}
