/**
 * The sites registry and provider configurations of the generated plans: three Kazakh sites (two in Almaty, one in Astana), a
 * foreign head office, a lab cluster that is not registered and an edge cluster whose host is
 * only known after apply (a reference). Shaped like policies/data/sites.schema.json.
 */
export interface BenchSite {
  readonly id: string;
  readonly jurisdiction: string;
  readonly city: string;
  readonly endpoint: string;
  readonly region: string;
  readonly zones: readonly string[];
  readonly encryptedClass: string;
  readonly plainClass: string;
  readonly objectStorage: string;
  readonly logSink: string;
}

export const SITES: readonly BenchSite[] = [
  {
    id: 'kz-ala-1',
    jurisdiction: 'KZ',
    city: 'Almaty',
    endpoint: 'https://k8s.ala.bench.example.kz:6443',
    region: 'kz-almaty',
    zones: ['kz-almaty-a', 'kz-almaty-b', 'kz-almaty-c'],
    encryptedClass: 'ala-ceph-encrypted',
    plainClass: 'ala-local-ssd',
    objectStorage: 'https://s3.ala.bench.example.kz',
    logSink: 'https://logs.ala.bench.example.kz',
  },
  {
    id: 'kz-ast-1',
    jurisdiction: 'KZ',
    city: 'Astana',
    endpoint: 'https://k8s.ast.bench.example.kz:6443',
    region: 'kz-astana',
    zones: ['kz-astana-a', 'kz-astana-b'],
    encryptedClass: 'ast-ceph-encrypted',
    plainClass: 'ast-local-ssd',
    objectStorage: 'https://s3.ast.bench.example.kz',
    logSink: 'https://logs.ast.bench.example.kz',
  },
  {
    id: 'kz-ala-2',
    jurisdiction: 'KZ',
    city: 'Almaty',
    endpoint: 'https://10.40.0.10:6443',
    region: 'kz-almaty',
    zones: ['kz-almaty-d'],
    encryptedClass: 'ala2-encrypted',
    plainClass: 'ala2-hdd',
    objectStorage: 'https://s3.ala2.bench.example.kz',
    logSink: 'https://logs.ala2.bench.example.kz',
  },
  {
    id: 'hq-fra',
    jurisdiction: 'DE',
    city: 'Frankfurt',
    endpoint: 'https://k8s.fra.bench.example.com',
    region: 'eu-central',
    zones: ['eu-central-1a', 'eu-central-1b'],
    encryptedClass: 'fra-encrypted',
    plainClass: 'fra-standard',
    objectStorage: 'https://s3.fra.bench.example.com',
    logSink: 'https://logs.fra.bench.example.com',
  },
];

/** Where a group of tenants is deployed: a provider alias, and the site it proves (if any). */
export interface Placement {
  /** Provider alias of the kubernetes and helm configurations. */
  readonly alias: string;
  /** The registered site, or undefined (unregistered host, or host known only after apply). */
  readonly site?: BenchSite;
  /** The provider's `host` expression in the configuration. */
  readonly host: { constant_value: string } | { references: string[] };
  /** Share of the tenants placed here. */
  readonly weight: number;
}

export const PLACEMENTS: readonly Placement[] = [
  { alias: 'ala', site: SITES[0], host: { constant_value: SITES[0].endpoint }, weight: 0.4 },
  { alias: 'ast', site: SITES[1], host: { constant_value: SITES[1].endpoint }, weight: 0.3 },
  { alias: 'ala2', site: SITES[2], host: { constant_value: SITES[2].endpoint }, weight: 0.15 },
  { alias: 'fra', site: SITES[3], host: { constant_value: SITES[3].endpoint }, weight: 0.08 },
  { alias: 'lab', host: { constant_value: 'https://10.9.0.5:6443' }, weight: 0.04 },
  { alias: 'edge', host: { references: ['var.edge_cluster_endpoint'] }, weight: 0.03 },
];

/** The registry document (`--sites`), as the command reads it. */
export function registryDocument(): object {
  return {
    sites: SITES.map((s) => ({
      id: s.id,
      jurisdiction: s.jurisdiction,
      city: s.city,
      operator: `${s.city} bench data centre`,
      kubernetes: { endpoints: [s.endpoint], region: s.region, zones: [...s.zones] },
      storageClasses: [
        { name: s.encryptedClass, encrypted: true },
        { name: s.plainClass, encrypted: false },
      ],
      objectStorage: [s.objectStorage],
      logSinks: [s.logSink],
      ...(s.jurisdiction === 'KZ' ? { captureHosts: [`portal.${s.id}.bench.example.kz`] } : {}),
    })),
  };
}
