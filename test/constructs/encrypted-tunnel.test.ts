import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Testing, TerraformStack } from 'cdktf';
import { EncryptedTunnel, renderTunnelConfig, type EncryptedTunnelProps } from '../../constructs';
import { almaty, astana, at, frankfurt, newStack, resourcesOf, synthDoc, type SynthDoc } from './fixtures';

const base: EncryptedTunnelProps = {
  kzSite: almaty,
  hqSite: frankfurt,
  crossBorder: 'active',
  dataClass: 'case',
  source: { clusterName: 'clients', namespaceName: 'clients' },
  hqEndpointHost: 'tunnel.fra.example.com',
  kzEndpointHost: 'tunnel.ala.example.kz',
};

function build(props: Partial<EncryptedTunnelProps> = {}) {
  const { app, stack } = newStack();
  const tunnel = new EncryptedTunnel(stack, 'HqTunnel', { ...base, ...props });
  return { app, stack, tunnel, doc: synthDoc(stack) };
}

function bySide(doc: SynthDoc, type: string, side: 'kz' | 'hq'): Record<string, unknown> {
  const found = resourcesOf(doc, type).find(
    ([, r]) => at(r, 'metadata', 'labels', 'residency.kz/tunnel-side') === side,
  );
  if (!found) throw new Error(`no ${type} for side ${side}`);
  return found[1];
}

describe.each(['gost-tls', 'wireguard'] as const)('EncryptedTunnel (%s)', (profile) => {
  const { stack, doc, tunnel } = build({ profile });

  test('renders the configuration with renderTunnelConfig into one ConfigMap per side, unchanged', () => {
    for (const side of ['kz', 'hq'] as const) {
      const cm = bySide(doc, 'kubernetes_config_map_v1', side);
      expect(cm.data).toEqual(tunnel[side].files);
      expect(at(cm, 'metadata', 'name')).toBe(`hq-tunnel-${side}-config`);
    }
    const kzFiles = tunnel.kz.files;
    const expected =
      profile === 'gost-tls'
        ? renderTunnelConfig({
            profile,
            side: 'kz',
            crossBorder: 'active',
            tunnelPort: 8443,
            sourceEndpoint: 'clients-rw.clients.svc:5432',
            peerName: 'tunnel.fra.example.com',
            secretMountPath: '/etc/kz-tunnel/secret',
          })
        : renderTunnelConfig({
            profile,
            side: 'kz',
            crossBorder: 'active',
            tunnelPort: 51820,
            tunnelAddress: '10.231.0.1/30',
            peerTunnelAddress: '10.231.0.2',
            peerEndpoint: 'tunnel.fra.example.com:51820',
            sourceEndpoint: 'clients-rw.clients.svc:5432',
            secretMountPath: '/etc/kz-tunnel/secret',
          });
    expect(kzFiles).toEqual(expected);
  });

  test('gateways at both ends, on their own site providers, with the three residency labels', () => {
    expect(at(bySide(doc, 'kubernetes_deployment_v1', 'kz'), 'provider')).toBe('kubernetes.kz-ala-1');
    expect(at(bySide(doc, 'kubernetes_deployment_v1', 'hq'), 'provider')).toBe('kubernetes.hq-fra');
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DeploymentV1, {
      metadata: {
        name: 'hq-tunnel-gateway',
        namespace: 'hq-tunnel-gateway',
        labels: expect.objectContaining({
          'residency.kz/data-class': 'case',
          'residency.kz/role': 'gateway',
          'residency.kz/site': 'kz-ala-1',
          'residency.kz/tunnel': 'hq-tunnel',
        }),
        annotations: expect.objectContaining({
          'residency.kz/cross-border': 'active',
          'residency.kz/tunnel-profile': profile,
        }),
      },
    });
    expect(at(bySide(doc, 'kubernetes_deployment_v1', 'kz'), 'spec', 'replicas')).toBe('1');
  });

  test('direction: the side that opens the tunnel has no load balancer; the HQ standby dials the local Service', () => {
    const services = resourcesOf(doc, 'kubernetes_service_v1').map(([, r]) => ({
      side: at(r, 'metadata', 'labels', 'residency.kz/tunnel-side'),
      name: at(r, 'metadata', 'name'),
      type: at(r, 'spec', 'type'),
      port: at(r, 'spec', 'port', 0, 'port'),
      protocol: at(r, 'spec', 'port', 0, 'protocol'),
    }));
    const accepting = profile === 'wireguard' ? 'hq' : 'kz';
    expect(tunnel.initiator).toBe(profile === 'wireguard' ? 'kz' : 'hq');
    expect(services).toEqual(
      expect.arrayContaining([
        {
          side: accepting,
          name: 'hq-tunnel-tunnel',
          type: 'LoadBalancer',
          port: tunnel.port,
          protocol: profile === 'wireguard' ? 'UDP' : 'TCP',
        },
        { side: 'hq', name: 'hq-tunnel-local', type: 'ClusterIP', port: 5432, protocol: 'TCP' },
      ]),
    );
    expect(services).toHaveLength(2);
    expect(tunnel.hqLocalEndpoint).toEqual({ host: 'hq-tunnel-local.hq-tunnel-gateway.svc', port: 5432 });
  });

  test('gateways that start: entrypoint, readiness probe, wait_for_rollout, and the pod security each profile needs', () => {
    for (const side of ['kz', 'hq'] as const) {
      const dep = bySide(doc, 'kubernetes_deployment_v1', side);
      expect(dep.wait_for_rollout).toBe(true);
      const pod = at(dep, 'spec', 'template', 'spec');
      const c = at(pod, 'container', 0) as Record<string, unknown>;
      expect(c.command).toEqual(['/usr/local/bin/kz-tunnel-gateway']);
      expect(c.args).toEqual([...tunnel[side].args]);
      expect(at(c, 'readiness_probe', 'exec', 'command')).toEqual([
        '/usr/local/bin/kz-tunnel-gateway',
        'ready',
        ...tunnel[side].args,
      ]);
      expect(at(c, 'security_context', 'allow_privilege_escalation')).toBe(false);
      expect(at(c, 'security_context', 'read_only_root_filesystem')).toBe(true);
      const keys = (at(pod, 'volume') as Array<Record<string, unknown>>).find((v) => v.name === 'keys');
      if (profile === 'gost-tls') {
        expect(at(pod, 'security_context')).toMatchObject({
          run_as_user: '10001',
          run_as_group: '10001',
          fs_group: '10001',
          run_as_non_root: true,
        });
        expect(at(c, 'security_context', 'capabilities')).toEqual({ drop: ['ALL'] });
        expect(at(keys, 'secret', 'default_mode')).toBe('0440');
      } else {
        expect(at(pod, 'security_context')).toMatchObject({ run_as_user: '0', run_as_non_root: false });
        expect(at(c, 'security_context', 'capabilities')).toEqual({ add: ['NET_ADMIN'], drop: ['ALL'] });
        expect(at(keys, 'secret', 'default_mode')).toBe('0400');
        expect(JSON.stringify(at(pod, 'volume'))).toContain('/dev/net/tun');
      }
    }
    expect(tunnel.kz.image).toBe(`kz-residency/tunnel-gateway-${profile}:0.1.0`);
    const custom = build({ profile, images: { wireguard: 'r.example/wg:1', gostTls: 'r.example/gost:1' } });
    expect(custom.tunnel.hq.image).toBe(profile === 'wireguard' ? 'r.example/wg:1' : 'r.example/gost:1');
  });

  test('ingress: each gateway admits only its peer (tunnel port) and, at HQ, the replica namespace', () => {
    const policy = (side: 'kz' | 'hq'): Record<string, unknown> => {
      const found = resourcesOf(doc, 'kubernetes_network_policy_v1').find(
        ([, r]) => at(r, 'metadata', 'name') === `hq-tunnel-${side}-gateway-ingress`,
      );
      if (!found) throw new Error(`no ingress policy for ${side}`);
      return found[1];
    };
    const proto = profile === 'wireguard' ? 'UDP' : 'TCP';
    const peer = {
      from: [{ ip_block: { cidr: '0.0.0.0/0' } }, { ip_block: { cidr: '::/0' } }],
      ports: [{ port: String(tunnel.port), protocol: proto }],
    };
    const replicaNs = {
      from: [
        { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'hq-tunnel-replica' } } },
      ],
      ports: [{ port: '5432', protocol: 'TCP' }],
    };
    expect(at(policy('kz'), 'spec', 'policy_types')).toEqual(['Ingress']);
    expect(at(policy('kz'), 'spec', 'ingress')).toEqual(profile === 'gost-tls' ? [peer] : undefined);
    expect(at(policy('hq'), 'spec', 'ingress')).toEqual(
      profile === 'wireguard' ? [peer, replicaNs] : [replicaNs],
    );
    expect(at(policy('kz'), 'spec', 'pod_selector', 'match_labels')).toEqual({
      'residency.kz/tunnel': 'hq-tunnel',
      'residency.kz/tunnel-side': 'kz',
    });
    const narrowed = build({ profile, peerSourceCidrs: ['203.0.113.0/24'] }).tunnel;
    const accepting = profile === 'wireguard' ? narrowed.hq : narrowed.kz;
    expect(accepting.ingress.sources[0]).toEqual({
      peer: { cidrs: ['203.0.113.0/24'] },
      port: narrowed.port,
      protocol: proto,
    });
  });

  test('exits: the kz gateway reaches only the primary (and, for wireguard, the HQ endpoint)', () => {
    const source = {
      to: 'source',
      namespace: 'clients',
      podLabels: { 'cnpg.io/cluster': 'clients', 'cnpg.io/instanceRole': 'primary' },
      port: 5432,
      protocol: 'TCP',
    };
    expect(tunnel.exits).toEqual(
      profile === 'wireguard'
        ? {
            kz: [source, { to: 'peer', host: 'tunnel.fra.example.com', port: 51820, protocol: 'UDP' }],
            hq: [],
          }
        : { kz: [source], hq: [{ to: 'peer', host: 'tunnel.ala.example.kz', port: 8443, protocol: 'TCP' }] },
    );
  });

  test('keys come from Secrets mounted by name; no key material in the synthesized stack', () => {
    for (const side of ['kz', 'hq'] as const) {
      const spec = at(bySide(doc, 'kubernetes_deployment_v1', side), 'spec', 'template', 'spec') as Record<
        string,
        unknown
      >;
      expect(at(spec, 'volume')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'keys',
            secret: expect.objectContaining({ secret_name: `hq-tunnel-${side}-keys` }),
          }),
          expect.objectContaining({
            name: 'config',
            config_map: expect.objectContaining({ name: `hq-tunnel-${side}-config` }),
          }),
        ]),
      );
      expect(at(spec, 'container', 0, 'volume_mount')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'keys', mount_path: '/etc/kz-tunnel/secret', read_only: true }),
        ]),
      );
    }
    const text = JSON.stringify(doc);
    expect(text).not.toMatch(/PrivateKey\s*=/);
    expect(text).not.toMatch(/BEGIN (EC |)PRIVATE KEY/);
    expect(resourcesOf(doc, 'kubernetes_secret_v1')).toHaveLength(0);
  });
});

describe('EncryptedTunnel kill switch', () => {
  const { doc, tunnel } = build({ crossBorder: 'suspended' });

  test('suspended scales both gateways to zero', () => {
    for (const side of ['kz', 'hq'] as const) {
      expect(at(bySide(doc, 'kubernetes_deployment_v1', side), 'spec', 'replicas')).toBe('0');
      expect(
        at(
          bySide(doc, 'kubernetes_deployment_v1', side),
          'metadata',
          'annotations',
          'residency.kz/cross-border',
        ),
      ).toBe('suspended');
    }
  });

  test('suspended withdraws every gateway ingress rule and every exit', () => {
    for (const side of ['kz', 'hq'] as const) {
      const [, p] = resourcesOf(doc, 'kubernetes_network_policy_v1').find(
        ([, r]) => at(r, 'metadata', 'name') === `hq-tunnel-${side}-gateway-ingress`,
      ) ?? [undefined, undefined];
      expect(at(p, 'spec', 'ingress')).toBeUndefined();
      expect(at(p, 'metadata', 'annotations', 'residency.kz/cross-border')).toBe('suspended');
    }
    expect(tunnel.exits).toEqual({ kz: [], hq: [] });
  });

  test('suspended is passed to the renderer', () => {
    const active = build({ crossBorder: 'active' }).tunnel;
    expect(tunnel.kz.files).not.toEqual(active.kz.files);
    expect(tunnel.hq.files).toEqual(
      renderTunnelConfig({
        profile: 'gost-tls',
        side: 'hq',
        crossBorder: 'suspended',
        localPort: 5432,
        peerEndpoint: 'tunnel.ala.example.kz:8443',
        peerName: 'tunnel.ala.example.kz',
        secretMountPath: '/etc/kz-tunnel/secret',
      }),
    );
  });
});

describe('EncryptedTunnel placement and refusals', () => {
  test('hq-side resources can live in another stack (the HQ stack)', () => {
    const { app, stack } = newStack('primary');
    const hq = new TerraformStack(app, 'hq');
    const t = new EncryptedTunnel(stack, 'T', { ...base, hqScope: hq });
    expect(t.spansStacks).toBe(true);
    const hqDoc = synthDoc(hq);
    expect(resourcesOf(hqDoc, 'kubernetes_deployment_v1')).toHaveLength(1);
    expect(Testing.synth(hq)).toHaveResourceWithProperties(ConfigMapV1, { provider: 'kubernetes.hq-fra' });
    expect(resourcesOf(synthDoc(stack), 'kubernetes_deployment_v1')).toHaveLength(1);
  });

  const cases: Array<[Partial<EncryptedTunnelProps>, string]> = [
    [{ kzSite: frankfurt }, 'test/HqTunnel: kzSite: the kz end must be a Kazakh site'],
    [{ hqSite: astana }, 'test/HqTunnel: hqSite: the hq end is a site abroad'],
    [{ crossBorder: 'off' as 'active' }, "test/HqTunnel: crossBorder: expected 'active' or 'suspended'"],
    [{ profile: 'ipsec' as 'wireguard' }, "test/HqTunnel: profile: expected 'wireguard' or 'gost-tls'"],
    [{ hqEndpointHost: '' }, 'test/HqTunnel: hqEndpointHost:'],
    [
      { profile: 'wireguard', hqEndpointHost: undefined },
      'test/HqTunnel: hqEndpointHost: required for wireguard: the kz gateway dials the hq gateway',
    ],
    [
      { profile: 'gost-tls', kzEndpointHost: undefined },
      "test/HqTunnel: kzEndpointHost: required for gost-tls: the hq gateway dials the kz gateway's load balancer",
    ],
    [{ peerSourceCidrs: ['somewhere'] }, 'test/HqTunnel: peerSourceCidrs[0]: expected a CIDR'],
    [{ source: { clusterName: 'Bad Name', namespaceName: 'x' } }, 'test/HqTunnel: source.clusterName:'],
    [{ port: 70000 }, 'test/HqTunnel: port: expected a port 1-65535'],
  ];
  test.each(cases.map(([p, m]) => [m, p] as const))('%s', (message, props) => {
    expect(() => build(props)).toThrow(message);
  });
});
