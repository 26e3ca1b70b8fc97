import { KzSite } from '../../constructs';
import { EgressLockdown } from '../../constructs/egress-lockdown';
import { almaty, astana, at, frankfurt, newStack, resourcesOf, synthDoc } from './fixtures';

type Rule = { to: Record<string, unknown>[]; ports?: { port: string; protocol: string }[] };

function egressOf(build: (stack: ReturnType<typeof newStack>['stack']) => void): {
  rules: Rule[];
  manifests: Record<string, unknown>[];
} {
  const { stack } = newStack();
  build(stack);
  const doc = synthDoc(stack);
  const [, policy] = resourcesOf(doc, 'kubernetes_network_policy_v1')[0];
  expect(at(policy, 'spec', 'policy_types')).toEqual(['Egress']);
  expect(at(policy, 'spec', 'pod_selector')).toEqual({});
  return {
    rules: at(policy, 'spec', 'egress') as Rule[],
    manifests: resourcesOf(doc, 'kubernetes_manifest').map(([, m]) => m.manifest as Record<string, unknown>),
  };
}

const dns: Rule = {
  to: [
    {
      namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      pod_selector: { match_labels: { 'k8s-app': 'kube-dns' } },
    },
  ],
  ports: [
    { port: '53', protocol: 'UDP' },
    { port: '53', protocol: 'TCP' },
  ],
};
const sameNamespace: Rule = { to: [{ pod_selector: {} }] };

describe('EgressLockdown renders exactly the exits a namespace needs, from the registry', () => {
  test('DNS, the namespace, the API server CIDRs on their ports, object storage on its URL ports', () => {
    const { rules, manifests } = egressOf((stack) => {
      new EgressLockdown(stack, 'L', {
        site: almaty,
        namespace: 'clients',
        dataClass: 'personal',
        apiServer: true,
        objectStorage: [almaty],
      });
    });
    expect(rules).toEqual([
      dns,
      sameNamespace,
      { to: [{ ip_block: { cidr: '10.20.0.10/32' } }], ports: [{ port: '6443', protocol: 'TCP' }] },
      { to: [{ ip_block: { cidr: '10.20.40.0/28' } }], ports: [{ port: '443', protocol: 'TCP' }] },
    ]);
    expect(manifests).toEqual([]);
  });

  test("a Cilium site's API server is the kube-apiserver entity, in a CiliumNetworkPolicy beside the NetworkPolicy", () => {
    const { rules, manifests } = egressOf((stack) => {
      new EgressLockdown(stack, 'L', {
        site: astana,
        namespace: 'clients',
        dataClass: 'personal',
        apiServer: true,
        objectStorage: [astana, almaty],
      });
    });
    expect(rules).toEqual([
      dns,
      sameNamespace,
      { to: [{ ip_block: { cidr: '10.30.40.0/28' } }], ports: [{ port: '443', protocol: 'TCP' }] },
      { to: [{ ip_block: { cidr: '10.20.40.0/28' } }], ports: [{ port: '443', protocol: 'TCP' }] },
    ]);
    expect(manifests).toEqual([
      {
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNetworkPolicy',
        metadata: {
          name: 'kz-egress-lockdown-api-server',
          namespace: 'clients',
          labels: {
            'residency.kz/data-class': 'personal',
            'residency.kz/role': 'gateway',
            'residency.kz/site': 'kz-ast-1',
          },
        },
        spec: { endpointSelector: {}, egress: [{ toEntities: ['kube-apiserver'] }] },
      },
    ]);
  });

  test('in-cluster peers: pods of another namespace on their ports', () => {
    const { rules } = egressOf((stack) => {
      new EgressLockdown(stack, 'L', {
        site: almaty,
        namespace: 'portal',
        dataClass: 'personal',
        peers: [
          {
            description: 'store clients',
            namespace: 'clients',
            podLabels: { 'cnpg.io/cluster': 'clients' },
            ports: [5432],
          },
        ],
      });
    });
    expect(rules[2]).toEqual({
      to: [
        {
          namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'clients' } },
          pod_selector: { match_labels: { 'cnpg.io/cluster': 'clients' } },
        },
      ],
      ports: [{ port: '5432', protocol: 'TCP' }],
    });
  });
});

describe('EgressLockdown refuses a policy that would cut a workload off, naming the prop and the registry field', () => {
  const bare = new KzSite({
    id: 'kz-bare',
    city: 'Almaty',
    kubernetes: {
      endpoints: ['https://k8s.bare.example.kz'],
      region: 'kz-almaty',
      auth: { kubeconfigContext: 'bare' },
    },
    objectStorage: ['https://s3.bare.example.kz'],
  });
  const cases: Array<[string, () => void]> = [
    [
      'test/L: apiServer: site kz-bare registers no kubernetes.apiServer (cidrs or a CNI entity); the workloads of namespace clients need the API server, so this lockdown would cut them off',
      () => {
        const { stack } = newStack();
        new EgressLockdown(stack, 'L', {
          site: bare,
          namespace: 'clients',
          dataClass: 'personal',
          apiServer: true,
        });
      },
    ],
    [
      'test/L: objectStorage: site kz-bare registers no objectStorageAccess.cidrs; namespace clients writes to its object storage, so this lockdown would cut it off',
      () => {
        const { stack } = newStack();
        new EgressLockdown(stack, 'L', {
          site: almaty,
          namespace: 'clients',
          dataClass: 'personal',
          objectStorage: [bare],
        });
      },
    ],
    [
      'test/L: site: egress lockdown protects namespaces on Kazakh sites; hq-fra (Frankfurt, DE) is abroad',
      () => {
        const { stack } = newStack();
        new EgressLockdown(stack, 'L', { site: frankfurt, namespace: 'x', dataClass: 'personal' });
      },
    ],
  ];
  test.each(cases)('%s', (message, build) => {
    expect(build).toThrow(message);
  });
});
