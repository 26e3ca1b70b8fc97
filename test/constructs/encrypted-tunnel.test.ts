import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Testing, TerraformStack } from 'cdktf';
import { EncryptedTunnel, renderTunnelConfig, type EncryptedTunnelProps } from '../../constructs';
import { almaty, astana, at, frankfurt, newStack, resourcesOf, synthDoc, type SynthDoc } from './fixtures';

const base: EncryptedTunnelProps = {
  kzSite: almaty,
  hqSite: frankfurt,
  crossBorder: 'active',
  dataClass: 'case',
  hqEndpointHost: 'tunnel.fra.example.com',
};

function build(props: Partial<EncryptedTunnelProps> = {}, lock = ['clients']) {
  const { app, stack } = newStack();
  const tunnel = new EncryptedTunnel(stack, 'HqTunnel', { ...base, ...props });
  for (const ns of lock) tunnel.lockEgress(ns);
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
            listenPort: 5432,
            peerEndpoint: 'tunnel.fra.example.com:8443',
            peerName: 'tunnel.fra.example.com',
            secretMountPath: '/etc/kz-tunnel/secret',
          })
        : renderTunnelConfig({
            profile,
            side: 'kz',
            crossBorder: 'active',
            listenPort: 51820,
            tunnelAddress: '10.231.0.1/30',
            peerTunnelAddress: '10.231.0.2',
            peerEndpoint: 'tunnel.fra.example.com:51820',
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
    expect(at(bySide(doc, 'kubernetes_service_v1', 'hq'), 'spec', 'type')).toBe('LoadBalancer');
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
            secret: expect.objectContaining({ secret_name: `hq-tunnel-${side}-keys`, default_mode: '0400' }),
          }),
          expect.objectContaining({ name: 'config', config_map: { name: `hq-tunnel-${side}-config` } }),
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

  test('personal-data namespaces may reach only DNS, themselves and the kz gateway', () => {
    expect(Testing.synth(stack)).toHaveResourceWithProperties(NetworkPolicyV1, {
      metadata: expect.objectContaining({ name: 'hq-tunnel-egress-lockdown', namespace: 'clients' }),
    });
    const [, policy] = resourcesOf(doc, 'kubernetes_network_policy_v1')[0];
    expect(at(policy, 'spec', 'policy_types')).toEqual(['Egress']);
    const egress = at(policy, 'spec', 'egress') as unknown[];
    expect(egress).toHaveLength(3);
    expect(at(egress, 0, 'ports')).toEqual([
      { port: '53', protocol: 'UDP' },
      { port: '53', protocol: 'TCP' },
    ]);
    expect(at(egress, 2, 'to', 0, 'pod_selector', 'match_labels')).toEqual({
      'residency.kz/tunnel': 'hq-tunnel',
      'residency.kz/tunnel-side': 'kz',
    });
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

  test('suspended withdraws the egress allowance to the gateway', () => {
    const [, policy] = resourcesOf(doc, 'kubernetes_network_policy_v1')[0];
    const egress = at(policy, 'spec', 'egress') as unknown[];
    expect(egress).toHaveLength(2);
    expect(JSON.stringify(egress)).not.toContain('residency.kz/tunnel');
    expect(at(policy, 'metadata', 'annotations', 'residency.kz/cross-border')).toBe('suspended');
  });

  test('suspended is passed to the renderer', () => {
    const active = build({ crossBorder: 'active' }).tunnel;
    expect(tunnel.kz.files).not.toEqual(active.kz.files);
    expect(tunnel.hq.files).toEqual(
      renderTunnelConfig({
        profile: 'gost-tls',
        side: 'hq',
        crossBorder: 'suspended',
        listenPort: 8443,
        forwardTo: 'hq-tunnel-replica-rw.hq-tunnel-replica.svc:5432',
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
    [{ port: 70000 }, 'test/HqTunnel: port: expected a port 1-65535'],
  ];
  test.each(cases.map(([p, m]) => [m, p] as const))('%s', (message, props) => {
    expect(() => build(props)).toThrow(message);
  });
});
