/**
 * DELIBERATE VIOLATIONS — the reviewers' showcase of what the policies reject.
 *
 * Every resource below breaks a main rule ON PURPOSE. The kz-residency constructs refuse all of
 * these at construction time, so this stack is written with raw provider resources (escape
 * hatches): do not copy it. It must still synthesize so that `kz-residency check` can show the
 * findings. Only the providers (SiteProviders) and the sites registry come from the library, so
 * the policies can prove each resource's site from its provider `host`.
 *
 *   1. primary store of personal data in Frankfurt           (KZ-RES-001, KZ-XBT-004)
 *   2. biometric replica abroad, no tunnel, no agreement      (KZ-XBT-003, KZ-XBT-001, KZ-XBT-002)
 *   3. foreign load balancer in front of the capture host     (KZ-FT-001)
 *   4. plaintext tunnel key in a ConfigMap                    (KZ-SEC-001)
 *   5. backups of a Kazakh primary only abroad                (KZ-BAK-001)
 */
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { Release } from '@cdktf/provider-helm/lib/release';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import {
  CNPG_CLUSTER_CHART_VERSION,
  CNPG_REPOSITORY,
  ForeignSite,
  KzSite,
  LABELS,
  SiteProviders,
} from 'kz-residency';

const registry = path.join(__dirname, 'sites.yaml');

/** Builds the (deliberately non-compliant) stack into `app`. */
export function buildViolations(app: App): TerraformStack {
  const almaty = KzSite.fromRegistry(registry, 'kz-ala-1');
  const frankfurt = ForeignSite.fromRegistry(registry, 'hq-fra');
  const stack = new TerraformStack(app, 'violations');
  const fra = SiteProviders.of(stack, frankfurt);
  const ala = SiteProviders.of(stack, almaty);

  const clusterValues = (o: {
    dataClass: string;
    role: string;
    site: string;
    storageClass: string;
    backupEndpoint?: string;
  }) =>
    JSON.stringify(
      {
        residency: { dataClass: o.dataClass, role: o.role, site: o.site },
        cluster: {
          instances: 1,
          storage: { size: '20Gi', storageClass: o.storageClass },
          additionalLabels: { [LABELS.dataClass]: o.dataClass, [LABELS.role]: o.role, [LABELS.site]: o.site },
        },
        backups: o.backupEndpoint
          ? {
              enabled: true,
              provider: 's3',
              endpointURL: o.backupEndpoint,
              destinationPath: 's3://customers-backups/customers',
              retentionPolicy: '30d',
            }
          : { enabled: false },
      },
      null,
      2,
    );

  // VIOLATION 1 (deliberate): the primary ("golden record") of personal data runs in Frankfurt,
  // on an unencrypted storage class, with one instance and no audit logging.
  new Release(stack, 'primary-in-frankfurt', {
    provider: fra.helm,
    name: 'customers',
    namespace: 'customers',
    createNamespace: true,
    repository: CNPG_REPOSITORY,
    chart: 'cluster',
    version: CNPG_CLUSTER_CHART_VERSION,
    values: [
      clusterValues({ dataClass: 'personal', role: 'primary', site: frankfurt.id, storageClass: 'fra-ssd' }),
    ],
  });

  // VIOLATION 2 (deliberate): a replica of biometric data abroad, fed by no tunnel, naming no
  // transfer agreement and no legal basis.
  new Release(stack, 'biometric-replica-abroad', {
    provider: fra.helm,
    name: 'kyc-selfies-replica',
    namespace: 'kyc',
    createNamespace: true,
    repository: CNPG_REPOSITORY,
    chart: 'cluster',
    version: CNPG_CLUSTER_CHART_VERSION,
    values: [
      clusterValues({ dataClass: 'biometric', role: 'replica', site: frankfurt.id, storageClass: 'fra-ssd' }),
    ],
  });

  // VIOLATION 3 (deliberate): the capture host app.example.kz is first received by a load
  // balancer and an ingress in Frankfurt, which then proxies to Almaty.
  const edgeLabels = {
    [LABELS.dataClass]: 'personal',
    [LABELS.role]: 'gateway',
    [LABELS.site]: frankfurt.id,
  };
  const edgeNs = new NamespaceV1(stack, 'edge-namespace', {
    provider: fra.kubernetes,
    metadata: { name: 'edge', labels: edgeLabels },
  });
  new ServiceV1(stack, 'foreign-load-balancer', {
    provider: fra.kubernetes,
    metadata: { name: 'edge-lb', namespace: 'edge', labels: edgeLabels },
    spec: {
      type: 'LoadBalancer',
      selector: { app: 'edge-proxy' },
      port: [{ name: 'https', port: 443, targetPort: '8443', protocol: 'TCP' }],
    },
    dependsOn: [edgeNs],
  });
  new IngressV1(stack, 'foreign-capture-ingress', {
    provider: fra.kubernetes,
    metadata: { name: 'capture', namespace: 'edge', labels: edgeLabels },
    spec: {
      ingressClassName: 'nginx',
      rule: [
        {
          host: 'app.example.kz',
          http: {
            path: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'edge-proxy', port: { number: 8443 } } },
              },
            ],
          },
        },
      ],
    },
    dependsOn: [edgeNs],
  });

  // VIOLATION 4 (deliberate): a tunnel private key written in plaintext into a ConfigMap. The
  // value is the example key printed in WireGuard's own documentation, not a real secret.
  const tunnelLabels = { [LABELS.dataClass]: 'personal', [LABELS.role]: 'gateway', [LABELS.site]: almaty.id };
  new ConfigMapV1(stack, 'plaintext-tunnel-key', {
    provider: ala.kubernetes,
    metadata: { name: 'hq-tunnel-config', namespace: 'default', labels: tunnelLabels },
    data: {
      'wg0.conf': [
        '[Interface]',
        'Address = 10.231.0.1/30',
        'PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=',
        'ListenPort = 51820',
        '',
        '[Peer]',
        'PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=',
        'Endpoint = tunnel.fra.example.com:51820',
        'AllowedIPs = 0.0.0.0/0',
        '',
      ].join('\n'),
    },
  });

  // VIOLATION 5 (deliberate): a primary of personal data in Almaty whose only backups go to
  // object storage in Frankfurt.
  new Release(stack, 'backups-only-abroad', {
    provider: ala.helm,
    name: 'payments',
    namespace: 'payments',
    createNamespace: true,
    repository: CNPG_REPOSITORY,
    chart: 'cluster',
    version: CNPG_CLUSTER_CHART_VERSION,
    values: [
      clusterValues({
        dataClass: 'personal',
        role: 'primary',
        site: almaty.id,
        storageClass: 'ala-ceph-encrypted',
        backupEndpoint: frankfurt.objectStorage[0],
      }),
    ],
  });

  return stack;
}

if (require.main === module) {
  const app = new App();
  buildViolations(app);
  app.synth();
}
