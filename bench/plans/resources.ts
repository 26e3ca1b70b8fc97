/**
 * Planned values of the resource types the generated plans use, with the full attribute sets the
 * providers write (nulls, empty blocks, computed fields), so that sizes and shapes are those of
 * `terraform show -json` output: kubernetes_* of provider 2.x, helm_release of provider 2.x,
 * and a few cloud and utility resources. Each builder returns the values after apply, the
 * `after_unknown` of a create, the sensitive mask and the configuration expressions.
 */
import type { Rng } from './random';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Obj = { [key: string]: Json };

export interface Built {
  readonly type: string;
  readonly provider: 'kubernetes' | 'helm' | 'aws' | 'random' | 'tls' | 'time' | 'null';
  /** Values after apply (computed attributes included: the object exists). */
  readonly values: Obj;
  /** Attributes Terraform does not know before creating the object (removed from `after`). */
  readonly computed: readonly string[];
  /** The `after_unknown` of a create (nested computed attributes). */
  readonly unknown: Obj;
  /** after_sensitive / sensitive_values. */
  readonly sensitive: Obj;
  /** Configuration expressions of the resource block. */
  readonly expressions: Obj;
}

/** What a Kubernetes object carries: name, namespace, labels and annotations. */
export interface KubeMeta {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

const c = (v: Json): Obj => ({ constant_value: v });
const ref = (...r: string[]): Obj => ({ references: r });

function uid(rng: Rng): string {
  return `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`;
}

function metadata(rng: Rng, m: KubeMeta, namespaced = true): Obj {
  return {
    annotations: m.annotations && Object.keys(m.annotations).length > 0 ? { ...m.annotations } : null,
    generate_name: null,
    generation: rng.int(1, 40),
    labels: { ...m.labels },
    name: m.name,
    ...(namespaced ? { namespace: m.namespace } : {}),
    resource_version: String(rng.int(100000, 99999999)),
    uid: uid(rng),
  };
}

const metaUnknown = { generation: true, labels: {}, resource_version: true, uid: true };
const metaExpr = (m: KubeMeta): Obj => ({
  labels: c(m.labels),
  name: c(m.name),
  namespace: ref('kubernetes_namespace_v1.this.metadata[0].name', 'kubernetes_namespace_v1.this.metadata[0]', 'kubernetes_namespace_v1.this'),
});

function envList(rng: Rng, app: string, n: number, secretEnv: boolean): Json[] {
  const out: Json[] = [];
  for (let i = 0; i < n; i++) {
    const key = `${rng.pick(['APP', 'HTTP', 'DB', 'CACHE', 'QUEUE', 'LOG', 'OTEL', 'FEATURE'])}_${rng.pick(['HOST', 'PORT', 'LEVEL', 'TIMEOUT', 'POOL_SIZE', 'ENDPOINT', 'MODE', 'NAME'])}_${i}`;
    out.push({ name: key, value: `${app}-${rng.words(2).replace(/ /g, '-')}`, value_from: [] });
  }
  if (secretEnv) out.push({ name: 'DB_PASSWORD', value: `pw-${rng.hex(16)}`, value_from: [] });
  else
    out.push({
      name: 'DB_PASSWORD',
      value: null,
      value_from: [
        {
          config_map_key_ref: [],
          field_ref: [],
          resource_field_ref: [],
          secret_key_ref: [{ key: 'password', name: `${app}-db`, optional: false }],
        },
      ],
    });
  return out;
}

function probe(path: string, port: number): Json[] {
  return [
    {
      exec: [],
      failure_threshold: 3,
      grpc: [],
      http_get: [{ host: null, http_header: [], path, port: String(port), scheme: 'HTTP' }],
      initial_delay_seconds: 5,
      period_seconds: 10,
      success_threshold: 1,
      tcp_socket: [],
      timeout_seconds: 1,
    },
  ];
}

function container(rng: Rng, app: string, image: string, port: number, env: Json[]): Obj {
  return {
    args: rng.chance(0.5) ? ['--config', `/etc/${app}/config.yaml`] : null,
    command: null,
    env,
    env_from: [],
    image,
    image_pull_policy: 'IfNotPresent',
    lifecycle: [],
    liveness_probe: probe('/healthz', port),
    name: app,
    port: [{ container_port: port, host_ip: null, host_port: null, name: 'http', protocol: 'TCP' }],
    readiness_probe: probe('/ready', port),
    resources: [
      {
        limits: { cpu: `${rng.int(1, 4)}`, memory: `${rng.pick([256, 512, 1024, 2048])}Mi` },
        requests: { cpu: `${rng.int(50, 500)}m`, memory: `${rng.pick([128, 256, 512])}Mi` },
      },
    ],
    security_context: [
      {
        allow_privilege_escalation: false,
        capabilities: [{ add: null, drop: ['ALL'] }],
        privileged: false,
        read_only_root_filesystem: true,
        run_as_group: null,
        run_as_non_root: true,
        run_as_user: '10001',
        se_linux_options: [],
        seccomp_profile: [{ localhost_profile: null, type: 'RuntimeDefault' }],
      },
    ],
    startup_probe: [],
    stdin: false,
    stdin_once: false,
    termination_message_path: '/dev/termination-log',
    termination_message_policy: 'File',
    tty: false,
    volume_device: [],
    volume_mount: [
      { mount_path: `/etc/${app}`, mount_propagation: 'None', name: 'config', read_only: true, sub_path: null },
    ],
    working_dir: null,
  };
}

function podSpec(rng: Rng, app: string, containers: Obj[], extra: Obj = {}): Obj {
  return {
    active_deadline_seconds: null,
    affinity: [],
    automount_service_account_token: false,
    container: containers,
    dns_config: [],
    dns_policy: 'ClusterFirst',
    enable_service_links: true,
    host_aliases: [],
    host_ipc: false,
    host_network: false,
    host_pid: false,
    hostname: null,
    image_pull_secrets: [{ name: 'registry-credentials' }],
    init_container: [],
    node_name: null,
    node_selector: null,
    os: [],
    priority_class_name: rng.chance(0.3) ? 'business-critical' : null,
    readiness_gate: [],
    restart_policy: 'Always',
    runtime_class_name: null,
    scheduler_name: 'default-scheduler',
    security_context: [
      {
        fs_group: '10001',
        fs_group_change_policy: null,
        run_as_group: null,
        run_as_non_root: true,
        run_as_user: null,
        se_linux_options: [],
        seccomp_profile: [],
        supplemental_groups: null,
        sysctl: [],
        windows_options: [],
      },
    ],
    service_account_name: app,
    share_process_namespace: false,
    subdomain: null,
    termination_grace_period_seconds: 30,
    toleration: [],
    topology_spread_constraint: [],
    volume: [
      {
        aws_elastic_block_store: [],
        azure_disk: [],
        azure_file: [],
        ceph_fs: [],
        cinder: [],
        config_map: [{ default_mode: '0644', items: [], name: `${app}-config`, optional: false }],
        csi: [],
        downward_api: [],
        empty_dir: [],
        ephemeral: [],
        fc: [],
        flex_volume: [],
        flocker: [],
        gce_persistent_disk: [],
        git_repo: [],
        glusterfs: [],
        host_path: [],
        iscsi: [],
        local: [],
        name: 'config',
        nfs: [],
        persistent_volume_claim: [],
        photon_persistent_disk: [],
        projected: [],
        quobyte: [],
        rbd: [],
        secret: [],
        vsphere_volume: [],
      },
    ],
    ...extra,
  };
}

const podUnknown = {
  affinity: [],
  container: [{ env: [], env_from: [], lifecycle: [], port: [{}], resources: [{ limits: {}, requests: {} }], volume_mount: [{}] }],
  hostname: true,
  node_name: true,
};

export function namespace(rng: Rng, m: KubeMeta): Built {
  return {
    type: 'kubernetes_namespace_v1',
    provider: 'kubernetes',
    values: { id: m.name, metadata: [metadata(rng, m, false)], timeouts: null, wait_for_default_service_account: false },
    computed: ['id'],
    unknown: { id: true, metadata: [metaUnknown] },
    sensitive: { metadata: [{ labels: {} }] },
    expressions: { metadata: [{ labels: c(m.labels), name: c(m.name), ...(m.annotations ? { annotations: c(m.annotations) } : {}) }] },
  };
}

export function deployment(rng: Rng, m: KubeMeta, image: string, plaintextSecret: boolean): Built {
  const env = envList(rng, m.name, rng.int(1, 4), plaintextSecret);
  const port = rng.pick([8080, 8443, 3000, 9000]);
  const containers = [container(rng, m.name, image, port, env)];
  if (rng.chance(0.1)) containers.push(container(rng, `${m.name}-proxy`, 'envoyproxy/envoy:v1.31.2', 15000, []));
  return {
    type: 'kubernetes_deployment_v1',
    provider: 'kubernetes',
    values: {
      id: `${m.namespace}/${m.name}`,
      metadata: [metadata(rng, m)],
      spec: [
        {
          min_ready_seconds: 0,
          paused: false,
          progress_deadline_seconds: 600,
          replicas: String(rng.int(1, 6)),
          revision_history_limit: 10,
          selector: [{ match_expressions: [], match_labels: { 'app.kubernetes.io/name': m.name } }],
          strategy: [{ rolling_update: [{ max_surge: '25%', max_unavailable: '25%' }], type: 'RollingUpdate' }],
          template: [{ metadata: [{ annotations: null, generate_name: null, generation: 0, labels: { ...m.labels }, name: '', namespace: '', resource_version: '', uid: '' }], spec: [podSpec(rng, m.name, containers)] }],
        },
      ],
      timeouts: null,
      wait_for_rollout: true,
    },
    computed: ['id'],
    unknown: { id: true, metadata: [metaUnknown], spec: [{ selector: [{ match_expressions: [], match_labels: {} }], strategy: true, template: [{ metadata: [metaUnknown], spec: [podUnknown] }] }] },
    sensitive: { metadata: [{ labels: {} }], spec: [{ selector: [{ match_labels: {} }], strategy: [], template: [{ metadata: [{ labels: {} }], spec: [{ container: [{ env: [] }] }] }] }] },
    expressions: {
      metadata: [metaExpr(m)],
      spec: [{ replicas: ref('var.replicas'), selector: [{ match_labels: c({ 'app.kubernetes.io/name': m.name }) }], template: [{ metadata: [{ labels: c(m.labels) }], spec: [{ container: [{ image: ref('var.image'), name: c(m.name), env: env.slice(0, 3).map((e) => ({ name: c((e as Obj).name), value: c((e as Obj).value) })) }] }] }] }],
    },
  };
}

export function service(rng: Rng, m: KubeMeta): Built {
  return {
    type: 'kubernetes_service_v1',
    provider: 'kubernetes',
    values: {
      id: `${m.namespace}/${m.name}`,
      metadata: [metadata(rng, m)],
      spec: [
        {
          allocate_load_balancer_node_ports: true,
          cluster_ip: `10.96.${rng.int(0, 255)}.${rng.int(1, 254)}`,
          cluster_ips: null,
          external_ips: null,
          external_name: null,
          external_traffic_policy: null,
          health_check_node_port: 0,
          internal_traffic_policy: 'Cluster',
          ip_families: ['IPv4'],
          ip_family_policy: 'SingleStack',
          load_balancer_class: null,
          load_balancer_ip: null,
          load_balancer_source_ranges: null,
          port: [{ app_protocol: null, name: 'http', node_port: 0, port: 80, protocol: 'TCP', target_port: 'http' }],
          publish_not_ready_addresses: false,
          selector: { 'app.kubernetes.io/name': m.name },
          session_affinity: 'None',
          session_affinity_config: [],
          type: 'ClusterIP',
        },
      ],
      status: [{ load_balancer: [{ ingress: [] }] }],
      timeouts: null,
      wait_for_load_balancer: true,
    },
    computed: ['id', 'status'],
    unknown: { id: true, metadata: [metaUnknown], spec: [{ cluster_ip: true, cluster_ips: true, port: [{ node_port: true }] }], status: true },
    sensitive: { metadata: [{ labels: {} }], spec: [{ port: [{}], selector: {} }], status: [] },
    expressions: { metadata: [metaExpr(m)], spec: [{ port: [{ name: c('http'), port: c(80), target_port: c('http') }], selector: c({ 'app.kubernetes.io/name': m.name }) }] },
  };
}

/** A configuration file of `lines` lines, YAML-ish, with an optional credential in clear. */
function configFile(rng: Rng, app: string, lines: number, plaintextSecret: boolean): string {
  const out: string[] = [`# ${app} configuration`, 'server:'];
  for (let i = 0; i < lines; i++) out.push(`  ${rng.pick(['listen', 'timeout', 'workers', 'buffer', 'upstream', 'cache'])}_${i}: ${rng.words(3)}`);
  out.push('database:', `  host: ${app}-db.${rng.pick(['svc', 'internal'])}`, '  pool: 20');
  if (plaintextSecret) out.push(`  password: ${rng.hex(20)}`);
  return out.join('\n') + '\n';
}

export function configMap(rng: Rng, m: KubeMeta, plaintextSecret: boolean): Built {
  const data: Obj = { 'config.yaml': configFile(rng, m.name, rng.int(8, 30), plaintextSecret) };
  if (rng.chance(0.4)) data['logging.yaml'] = configFile(rng, `${m.name}-log`, rng.int(5, 20), false);
  return {
    type: 'kubernetes_config_map_v1',
    provider: 'kubernetes',
    values: { binary_data: null, data, id: `${m.namespace}/${m.name}`, immutable: false, metadata: [metadata(rng, m)] },
    computed: ['id'],
    unknown: { data: {}, id: true, metadata: [metaUnknown] },
    sensitive: { data: {}, metadata: [{ labels: {} }] },
    expressions: { data: ref('local.config_files'), metadata: [metaExpr(m)] },
  };
}

export function secret(rng: Rng, m: KubeMeta): Built {
  return {
    type: 'kubernetes_secret_v1',
    provider: 'kubernetes',
    values: { binary_data: null, data: { password: rng.hex(24), username: m.name }, id: `${m.namespace}/${m.name}`, immutable: false, metadata: [metadata(rng, m)], timeouts: null, type: 'Opaque', wait_for_service_account_token: true },
    computed: ['id'],
    unknown: { id: true, metadata: [metaUnknown] },
    sensitive: { data: true, metadata: [{ labels: {} }] },
    expressions: { data: ref('random_password.db.result', 'random_password.db'), metadata: [metaExpr(m)], type: c('Opaque') },
  };
}

export function serviceAccount(rng: Rng, m: KubeMeta): Built {
  return {
    type: 'kubernetes_service_account_v1',
    provider: 'kubernetes',
    values: { automount_service_account_token: false, default_secret_name: '', id: `${m.namespace}/${m.name}`, image_pull_secret: [], metadata: [metadata(rng, m)], secret: [], timeouts: null },
    computed: ['id', 'default_secret_name'],
    unknown: { default_secret_name: true, id: true, image_pull_secret: [], metadata: [metaUnknown], secret: [] },
    sensitive: { image_pull_secret: [], metadata: [{ labels: {} }], secret: [] },
    expressions: { automount_service_account_token: c(false), metadata: [metaExpr(m)] },
  };
}

export function roleBinding(rng: Rng, m: KubeMeta): Built {
  return {
    type: 'kubernetes_role_binding_v1',
    provider: 'kubernetes',
    values: {
      id: `${m.namespace}/${m.name}`,
      metadata: [metadata(rng, m)],
      role_ref: [{ api_group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: rng.pick(['edit', 'view']) }],
      subject: [{ api_group: '', kind: 'ServiceAccount', name: m.name, namespace: m.namespace }],
    },
    computed: ['id'],
    unknown: { id: true, metadata: [metaUnknown], role_ref: [{}], subject: [{}] },
    sensitive: { metadata: [{ labels: {} }], role_ref: [{}], subject: [{}] },
    expressions: { metadata: [metaExpr(m)], role_ref: [{ kind: c('ClusterRole'), name: c('edit') }], subject: [{ kind: c('ServiceAccount'), name: c(m.name) }] },
  };
}

export function networkPolicy(rng: Rng, m: KubeMeta, peers: string[]): Built {
  return {
    type: 'kubernetes_network_policy_v1',
    provider: 'kubernetes',
    values: {
      id: `${m.namespace}/${m.name}`,
      metadata: [metadata(rng, m)],
      spec: [
        {
          egress: [{ ports: [{ end_port: null, port: '53', protocol: 'UDP' }], to: [{ ip_block: [], namespace_selector: [{ match_expressions: [], match_labels: { 'kubernetes.io/metadata.name': 'kube-system' } }], pod_selector: [] }] }],
          ingress: peers.map((p) => ({ from: [{ ip_block: [], namespace_selector: [], pod_selector: [{ match_expressions: [], match_labels: { 'app.kubernetes.io/name': p } }] }], ports: [{ end_port: null, port: '8080', protocol: 'TCP' }] })),
          pod_selector: [{ match_expressions: [], match_labels: {} }],
          policy_types: ['Ingress', 'Egress'],
        },
      ],
    },
    computed: ['id'],
    unknown: { id: true, metadata: [metaUnknown] },
    sensitive: { metadata: [{ labels: {} }], spec: [{ egress: [{}], ingress: peers.map(() => ({})), pod_selector: [{}], policy_types: [false, false] }] },
    expressions: { metadata: [metaExpr(m)], spec: [{ policy_types: c(['Ingress', 'Egress']) }] },
  };
}

export function ingress(rng: Rng, m: KubeMeta, host: string): Built {
  return {
    type: 'kubernetes_ingress_v1',
    provider: 'kubernetes',
    values: {
      id: `${m.namespace}/${m.name}`,
      metadata: [metadata(rng, m)],
      spec: [
        {
          default_backend: [],
          ingress_class_name: 'nginx',
          rule: [{ host, http: [{ path: [{ backend: [{ resource: [], service: [{ name: m.name, port: [{ name: '', number: 80 }] }] }], path: '/', path_type: 'Prefix' }] }] }],
          tls: [{ hosts: [host], secret_name: `${m.name}-tls` }],
        },
      ],
      status: [{ load_balancer: [{ ingress: [] }] }],
      wait_for_load_balancer: false,
    },
    computed: ['id', 'status'],
    unknown: { id: true, metadata: [metaUnknown], status: true },
    sensitive: { metadata: [{ labels: {} }], spec: [{ rule: [{}], tls: [{}] }], status: [] },
    expressions: { metadata: [metaExpr(m)], spec: [{ ingress_class_name: c('nginx'), rule: [{ host: c(host) }] }] },
  };
}

export function hpa(rng: Rng, m: KubeMeta): Built {
  return {
    type: 'kubernetes_horizontal_pod_autoscaler_v2',
    provider: 'kubernetes',
    values: {
      id: `${m.namespace}/${m.name}`,
      metadata: [metadata(rng, m)],
      spec: [
        {
          behavior: [],
          max_replicas: rng.int(4, 20),
          metric: [{ container_resource: [], external: [], object: [], pods: [], resource: [{ name: 'cpu', target: [{ average_utilization: 70, average_value: null, type: 'Utilization', value: null }] }], type: 'Resource' }],
          min_replicas: 2,
          scale_target_ref: [{ api_version: 'apps/v1', kind: 'Deployment', name: m.name }],
          target_cpu_utilization_percentage: null,
        },
      ],
    },
    computed: ['id'],
    unknown: { id: true, metadata: [metaUnknown] },
    sensitive: { metadata: [{ labels: {} }], spec: [{ metric: [{}], scale_target_ref: [{}] }] },
    expressions: { metadata: [metaExpr(m)], spec: [{ max_replicas: ref('var.max_replicas') }] },
  };
}

export function cronJob(rng: Rng, m: KubeMeta, image: string): Built {
  const containers = [container(rng, m.name, image, 8080, envList(rng, m.name, rng.int(2, 6), false))];
  return {
    type: 'kubernetes_cron_job_v1',
    provider: 'kubernetes',
    values: {
      id: `${m.namespace}/${m.name}`,
      metadata: [metadata(rng, m)],
      spec: [
        {
          concurrency_policy: 'Forbid',
          failed_jobs_history_limit: 1,
          job_template: [{ metadata: [{ annotations: null, labels: { ...m.labels } }], spec: [{ active_deadline_seconds: null, backoff_limit: 3, completion_mode: 'NonIndexed', completions: 1, manual_selector: false, parallelism: 1, selector: [], template: [{ metadata: [{ annotations: null, labels: { ...m.labels } }], spec: [podSpec(rng, m.name, containers, { restart_policy: 'OnFailure' })] }], ttl_seconds_after_finished: '3600' }] }],
          schedule: `${rng.int(0, 59)} ${rng.int(0, 23)} * * *`,
          starting_deadline_seconds: 0,
          successful_jobs_history_limit: 3,
          suspend: false,
          timezone: 'Asia/Almaty',
        },
      ],
    },
    computed: ['id'],
    unknown: { id: true, metadata: [metaUnknown], spec: [{ job_template: [{ spec: [{ template: [{ spec: [podUnknown] }] }] }] }] },
    sensitive: { metadata: [{ labels: {} }], spec: [{ job_template: [{ spec: [{ template: [{ spec: [{ container: [{}] }] }] }] }] }] },
    expressions: { metadata: [metaExpr(m)], spec: [{ schedule: ref('var.schedule') }] },
  };
}

// ---------------------------------------------------------------------------------------------
// Stores

export interface StoreOptions {
  /** Storage class of the volumes; undefined: none set. */
  readonly storageClass?: string;
  /** Region the pods are pinned to; undefined: not pinned. */
  readonly region?: string;
  readonly zones?: readonly string[];
  /** Object storage the store backs up to. */
  readonly backupEndpoint?: string;
}

function pvcTemplate(name: string, size: string, o: StoreOptions): Obj {
  return {
    metadata: [{ annotations: null, labels: null, name, namespace: null }],
    spec: [{ access_modes: ['ReadWriteOnce'], resources: [{ limits: null, requests: { storage: size } }], selector: [], storage_class_name: o.storageClass ?? null, volume_mode: 'Filesystem', volume_name: '' }],
  };
}

export function statefulSet(rng: Rng, m: KubeMeta, image: string, o: StoreOptions): Built {
  const containers = [container(rng, m.name, image, 6379, envList(rng, m.name, rng.int(2, 6), false))];
  const nodeSelector = o.region ? { 'topology.kubernetes.io/region': o.region } : null;
  return {
    type: 'kubernetes_stateful_set_v1',
    provider: 'kubernetes',
    values: {
      id: `${m.namespace}/${m.name}`,
      metadata: [metadata(rng, m)],
      spec: [
        {
          min_ready_seconds: 0,
          persistent_volume_claim_retention_policy: [],
          pod_management_policy: 'OrderedReady',
          replicas: '3',
          revision_history_limit: 10,
          selector: [{ match_expressions: [], match_labels: { 'app.kubernetes.io/name': m.name } }],
          service_name: m.name,
          template: [{ metadata: [{ annotations: null, generate_name: null, generation: 0, labels: { ...m.labels }, name: '', namespace: '', resource_version: '', uid: '' }], spec: [podSpec(rng, m.name, containers, { node_selector: nodeSelector })] }],
          update_strategy: [{ rolling_update: [{ partition: 0 }], type: 'RollingUpdate' }],
          volume_claim_template: [pvcTemplate('data', `${rng.pick([8, 20, 50, 100])}Gi`, o)],
        },
      ],
      timeouts: null,
      wait_for_rollout: true,
    },
    computed: ['id'],
    unknown: { id: true, metadata: [metaUnknown], spec: [{ template: [{ metadata: [metaUnknown], spec: [podUnknown] }] }] },
    sensitive: { metadata: [{ labels: {} }], spec: [{ selector: [{}], template: [{ metadata: [{ labels: {} }], spec: [{}] }], volume_claim_template: [{}] }] },
    expressions: { metadata: [metaExpr(m)], spec: [{ replicas: c(3), service_name: c(m.name), volume_claim_template: [{ spec: [{ storage_class_name: c(o.storageClass ?? null) }] }] }] },
  };
}

export function pvc(rng: Rng, m: KubeMeta, o: StoreOptions): Built {
  return {
    type: 'kubernetes_persistent_volume_claim_v1',
    provider: 'kubernetes',
    values: {
      id: `${m.namespace}/${m.name}`,
      metadata: [metadata(rng, m)],
      spec: [{ access_modes: ['ReadWriteOnce'], resources: [{ limits: null, requests: { storage: `${rng.pick([5, 10, 50])}Gi` } }], selector: [], storage_class_name: o.storageClass ?? null, volume_mode: 'Filesystem', volume_name: `pvc-${uid(rng)}` }],
      timeouts: null,
      wait_until_bound: true,
    },
    computed: ['id'],
    unknown: { id: true, metadata: [metaUnknown], spec: [{ volume_name: true }] },
    sensitive: { metadata: [{ labels: {} }], spec: [{ access_modes: [false], resources: [{ requests: {} }], selector: [] }] },
    expressions: { metadata: [metaExpr(m)], spec: [{ storage_class_name: c(o.storageClass ?? null) }] },
  };
}

/** Helm values of a CloudNativePG `cluster` chart, as our constructs write them (JSON text). */
function cnpgValues(m: KubeMeta, residency: Record<string, string>, o: StoreOptions, rng: Rng): string {
  const v = {
    residency,
    fullnameOverride: m.name,
    type: 'postgresql',
    version: { postgresql: '16' },
    mode: 'standalone',
    cluster: {
      instances: 3,
      storage: { size: `${rng.pick([20, 50, 200])}Gi`, ...(o.storageClass ? { storageClass: o.storageClass } : {}) },
      walStorage: { enabled: false, size: '1Gi', ...(o.storageClass ? { storageClass: o.storageClass } : {}) },
      affinity: {
        topologyKey: 'topology.kubernetes.io/zone',
        enablePodAntiAffinity: true,
        ...(o.region
          ? {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/region', operator: 'In', values: [o.region] }, ...(o.zones ? [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [...o.zones] }] : [])] }],
                },
              },
            }
          : {}),
      },
      additionalLabels: Object.fromEntries(Object.entries(m.labels).filter(([k]) => k.startsWith('residency.kz/'))),
      annotations: { ...(m.annotations ?? {}) },
      enableSuperuserAccess: false,
      postgresql: {
        parameters: { 'pgaudit.log': 'all', 'pgaudit.log_catalog': 'on', log_connections: 'on', ssl_min_protocol_version: 'TLSv1.3', max_connections: String(rng.int(100, 400)), shared_buffers: `${rng.pick([256, 512, 1024])}MB` },
        pg_hba: ['hostnossl all all all reject', 'hostssl all all all scram-sha-256'],
        shared_preload_libraries: ['pgaudit'],
      },
      roles: [{ name: 'kz_auditor', ensure: 'present', login: true, superuser: false, inRoles: ['pg_read_all_data'], passwordSecret: { name: 'kz-auditor-credentials' } }],
      monitoring: { enabled: true, podMonitor: { enabled: true } },
    },
    backups: o.backupEndpoint
      ? {
          enabled: true,
          method: 'barmanObjectStore',
          provider: 's3',
          endpointURL: o.backupEndpoint,
          destinationPath: `s3://${m.name}-backups/${m.name}`,
          s3: { bucket: `${m.name}-backups`, path: `/${m.name}`, region: '', inheritFromIAMRole: false },
          secret: { create: false, name: `${m.name}-backup-credentials` },
          wal: { compression: 'gzip', encryption: 'AES256', maxParallel: 2 },
          data: { compression: 'gzip', encryption: 'AES256', jobs: 2 },
          scheduledBackups: [{ name: 'daily', schedule: '0 0 2 * * *', backupOwnerReference: 'self', method: 'barmanObjectStore' }],
          retentionPolicy: '30d',
        }
      : { enabled: false },
  };
  return JSON.stringify(v, null, 2);
}

/** Helm values of a third-party chart, as YAML text (what most users pass). */
function chartValuesYaml(rng: Rng, chart: string, labels: Record<string, string>, o: StoreOptions | undefined, lines: number): string {
  const out: string[] = [`# values for ${chart}`, 'commonLabels:'];
  for (const [k, v] of Object.entries(labels)) out.push(`  ${k}: "${v}"`);
  out.push('image:', `  repository: bitnami/${chart}`, `  tag: "${rng.int(1, 17)}.${rng.int(0, 9)}.${rng.int(0, 30)}"`, 'resources:', '  requests:', `    cpu: ${rng.int(100, 900)}m`, `    memory: ${rng.pick([256, 512, 1024])}Mi`);
  if (o) {
    out.push('primary:', '  persistence:', '    enabled: true', `    size: ${rng.pick([8, 20, 100])}Gi`);
    if (o.storageClass) out.push(`    storageClass: ${o.storageClass}`);
    if (o.region) out.push('  nodeSelector:', `    topology.kubernetes.io/region: ${o.region}`);
    out.push('tls:', '  enabled: true', '  autoGenerated: true');
  }
  out.push('extraEnvVars:');
  for (let i = 0; i < lines; i++) out.push(`  - name: ${chart.toUpperCase().replace(/-/g, '_')}_OPT_${i}`, `    value: "${rng.words(3)}"`);
  out.push('podAnnotations:', `  checksum/config: ${rng.hex(40)}`);
  return out.join('\n') + '\n';
}

function helmRelease(rng: Rng, name: string, namespace: string, chart: string, repository: string, version: string, values: string[], set: Json[]): Obj {
  return {
    atomic: false,
    chart,
    cleanup_on_fail: false,
    create_namespace: false,
    dependency_update: false,
    description: null,
    devel: null,
    disable_crd_hooks: false,
    disable_openapi_validation: false,
    disable_webhooks: false,
    force_update: false,
    id: name,
    keyring: null,
    lint: false,
    manifest: null,
    max_history: 10,
    metadata: [{ app_version: `${rng.int(1, 9)}.${rng.int(0, 20)}.${rng.int(0, 9)}`, chart, first_deployed: 1718000000 + rng.int(0, 9999999), last_deployed: 1730000000 + rng.int(0, 9999999), name, namespace, notes: `${chart} was installed. ${rng.words(12)}`, revision: rng.int(1, 30), values: '{}', version }],
    name,
    namespace,
    pass_credentials: false,
    postrender: [],
    recreate_pods: false,
    render_subchart_notes: true,
    replace: false,
    repository,
    repository_ca_file: null,
    repository_cert_file: null,
    repository_key_file: null,
    repository_password: null,
    repository_username: null,
    reset_values: false,
    reuse_values: false,
    set,
    set_list: [],
    set_sensitive: [],
    skip_crds: false,
    status: 'deployed',
    timeout: 300,
    upgrade_install: null,
    values,
    verify: false,
    version,
    wait: true,
    wait_for_jobs: false,
  };
}

function helmBuilt(values: Obj, expressions: Obj): Built {
  return {
    type: 'helm_release',
    provider: 'helm',
    values,
    computed: ['id', 'metadata'],
    unknown: { id: true, metadata: true },
    sensitive: { metadata: [], repository_password: true, set: (values.set as Json[]).map(() => ({})), set_list: [], set_sensitive: [], values: [false] },
    expressions,
  };
}

/** A CloudNativePG cluster chart carrying the residency map (our constructs' shape). */
export function helmCnpg(rng: Rng, m: KubeMeta, residency: Record<string, string>, o: StoreOptions): Built {
  const values = helmRelease(rng, m.name, m.namespace, 'cluster', 'https://cloudnative-pg.github.io/charts', '0.8.1', [cnpgValues(m, residency, o, rng)], []);
  return helmBuilt(values, { chart: c('cluster'), name: c(m.name), namespace: ref('kubernetes_namespace_v1.this.metadata[0].name'), repository: c('https://cloudnative-pg.github.io/charts'), values: ref('local.cluster_values'), version: c('0.8.1') });
}

/** A Bitnami database chart (postgresql, redis, mongodb) with YAML values and `set` blocks. */
export function helmDatabase(rng: Rng, m: KubeMeta, chart: string, o: StoreOptions): Built {
  const set: Json[] = [
    { name: 'auth.existingSecret', type: '', value: `${m.name}-credentials` },
    { name: 'metrics.enabled', type: '', value: 'true' },
  ];
  const values = helmRelease(rng, m.name, m.namespace, chart, 'oci://registry-1.docker.io/bitnamicharts', `${rng.int(12, 16)}.${rng.int(0, 9)}.${rng.int(0, 9)}`, [chartValuesYaml(rng, chart, m.labels, o, rng.int(6, 24))], set);
  return helmBuilt(values, { chart: c(chart), name: c(m.name), namespace: ref('kubernetes_namespace_v1.this.metadata[0].name'), repository: c('oci://registry-1.docker.io/bitnamicharts'), values: [ref('local.db_values')], set: set.map((s) => ({ name: c((s as Obj).name), value: c((s as Obj).value) })) });
}

/** An application or platform chart (not a store): values of `lines` options. */
export function helmApp(rng: Rng, name: string, namespace: string, chart: string, repository: string, labels: Record<string, string>, lines: number): Built {
  const set: Json[] = [];
  for (let i = 0; i < rng.int(2, 8); i++) set.push({ name: `controller.config.${rng.pick(['proxy', 'worker', 'keepalive', 'ssl'])}-${i}`, type: '', value: rng.words(1) });
  const values = helmRelease(rng, name, namespace, chart, repository, `${rng.int(1, 60)}.${rng.int(0, 20)}.${rng.int(0, 9)}`, [chartValuesYaml(rng, chart, labels, undefined, lines)], set);
  return helmBuilt(values, { chart: c(chart), name: c(name), namespace: c(namespace), repository: c(repository), values: [ref('local.values')] });
}

/** A CloudNativePG `Cluster` custom resource through kubernetes_manifest. */
export function cnpgManifest(rng: Rng, m: KubeMeta, o: StoreOptions): Built {
  const affinity: Obj = { enablePodAntiAffinity: true, topologyKey: 'topology.kubernetes.io/zone' };
  if (o.region) affinity.nodeSelector = { 'topology.kubernetes.io/region': o.region };
  const manifest: Obj = {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: m.name, namespace: m.namespace, labels: { ...m.labels }, annotations: { ...(m.annotations ?? {}) } },
    spec: {
      instances: 3,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:16.4',
      affinity,
      storage: { size: `${rng.pick([20, 100])}Gi`, ...(o.storageClass ? { storageClass: o.storageClass } : {}) },
      postgresql: { parameters: { 'pgaudit.log': 'all', max_connections: '200' }, pg_hba: ['hostssl all all all scram-sha-256'] },
      ...(o.backupEndpoint ? { backup: { barmanObjectStore: { destinationPath: `s3://${m.name}/`, endpointURL: o.backupEndpoint, data: { encryption: 'AES256' }, wal: { encryption: 'AES256' } }, retentionPolicy: '30d' } } : {}),
    },
  };
  return {
    type: 'kubernetes_manifest',
    provider: 'kubernetes',
    values: { computed_fields: null, field_manager: [], manifest, object: { ...manifest, status: null }, timeouts: [], wait: [], wait_for: null },
    computed: ['object'],
    unknown: { object: true },
    sensitive: { field_manager: [], manifest: {}, object: {}, timeouts: [], wait: [] },
    expressions: { manifest: c(manifest) },
  };
}

// ---------------------------------------------------------------------------------------------
// Cloud and utility resources (other providers)

export function randomPassword(rng: Rng): Built {
  return {
    type: 'random_password',
    provider: 'random',
    values: { bcrypt_hash: `$2a$10$${rng.hex(53)}`, id: 'none', keepers: null, length: 32, lower: true, min_lower: 0, min_numeric: 0, min_special: 0, min_upper: 0, number: true, numeric: true, override_special: null, result: rng.hex(32), special: false, upper: true },
    computed: ['bcrypt_hash', 'id', 'result'],
    unknown: { bcrypt_hash: true, id: true, result: true },
    sensitive: { bcrypt_hash: true, result: true },
    expressions: { length: c(32), special: c(false) },
  };
}

export function tlsKey(rng: Rng): Built {
  return {
    type: 'tls_private_key',
    provider: 'tls',
    values: { algorithm: 'ECDSA', ecdsa_curve: 'P256', id: rng.hex(40), private_key_openssh: `-----BEGIN OPENSSH PRIVATE KEY-----\n${rng.hex(200)}\n-----END OPENSSH PRIVATE KEY-----\n`, private_key_pem: `-----BEGIN EC PRIVATE KEY-----\n${rng.hex(160)}\n-----END EC PRIVATE KEY-----\n`, private_key_pem_pkcs8: `-----BEGIN PRIVATE KEY-----\n${rng.hex(180)}\n-----END PRIVATE KEY-----\n`, public_key_fingerprint_md5: rng.hex(32), public_key_fingerprint_sha256: rng.hex(43), public_key_openssh: `ecdsa-sha2-nistp256 ${rng.hex(120)}\n`, public_key_pem: `-----BEGIN PUBLIC KEY-----\n${rng.hex(120)}\n-----END PUBLIC KEY-----\n`, rsa_bits: 2048 },
    computed: ['id', 'private_key_openssh', 'private_key_pem', 'private_key_pem_pkcs8', 'public_key_fingerprint_md5', 'public_key_fingerprint_sha256', 'public_key_openssh', 'public_key_pem'],
    unknown: { id: true, private_key_openssh: true, private_key_pem: true, private_key_pem_pkcs8: true, public_key_fingerprint_md5: true, public_key_fingerprint_sha256: true, public_key_openssh: true, public_key_pem: true },
    sensitive: { private_key_openssh: true, private_key_pem: true, private_key_pem_pkcs8: true },
    expressions: { algorithm: c('ECDSA'), ecdsa_curve: c('P256') },
  };
}

export function timeSleep(rng: Rng): Built {
  return {
    type: 'time_sleep',
    provider: 'time',
    values: { create_duration: `${rng.int(10, 90)}s`, destroy_duration: null, id: new Date(Date.UTC(2026, 0, 1, 0, 0, rng.int(0, 86400))).toISOString(), triggers: { cluster: rng.hex(12) } },
    computed: ['id'],
    unknown: { id: true, triggers: {} },
    sensitive: { triggers: {} },
    expressions: { create_duration: c('30s'), triggers: ref('module.cluster.endpoint') },
  };
}

export function nullResource(rng: Rng): Built {
  return {
    type: 'null_resource',
    provider: 'null',
    values: { id: String(rng.int(1e17, 9e17)), triggers: { always: rng.hex(16) } },
    computed: ['id'],
    unknown: { id: true, triggers: {} },
    sensitive: { triggers: {} },
    expressions: { triggers: ref('timestamp()') },
  };
}

export function s3Bucket(rng: Rng, name: string, tags: Record<string, string>): Built {
  return {
    type: 'aws_s3_bucket',
    provider: 'aws',
    values: { acceleration_status: '', acl: null, arn: `arn:aws:s3:::${name}`, bucket: name, bucket_domain_name: `${name}.s3.amazonaws.com`, bucket_prefix: '', bucket_regional_domain_name: `${name}.s3.eu-central-1.amazonaws.com`, cors_rule: [], force_destroy: false, grant: [{ id: rng.hex(64), permissions: ['FULL_CONTROL'], type: 'CanonicalUser', uri: '' }], hosted_zone_id: 'Z21DNDUVLTQW6Q', id: name, lifecycle_rule: [], logging: [], object_lock_configuration: [], object_lock_enabled: false, policy: '', region: 'eu-central-1', replication_configuration: [], request_payer: 'BucketOwner', server_side_encryption_configuration: [{ rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: '', sse_algorithm: 'AES256' }], bucket_key_enabled: false }] }], tags, tags_all: { ...tags, ManagedBy: 'terraform' }, timeouts: null, versioning: [{ enabled: false, mfa_delete: false }], website: [], website_domain: null, website_endpoint: null },
    computed: ['arn', 'bucket_domain_name', 'bucket_regional_domain_name', 'hosted_zone_id', 'id', 'region', 'tags_all'],
    unknown: { acceleration_status: true, arn: true, bucket_domain_name: true, bucket_regional_domain_name: true, cors_rule: true, grant: true, hosted_zone_id: true, id: true, lifecycle_rule: true, logging: true, object_lock_configuration: true, policy: true, region: true, replication_configuration: true, request_payer: true, server_side_encryption_configuration: true, tags: {}, tags_all: true, versioning: true, website: true },
    sensitive: { cors_rule: [], grant: [], lifecycle_rule: [], logging: [], object_lock_configuration: [], replication_configuration: [], server_side_encryption_configuration: [], tags: {}, tags_all: {}, versioning: [], website: [] },
    expressions: { bucket: c(name), tags: c(tags) },
  };
}

export function iamRole(rng: Rng, name: string): Built {
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  return {
    type: 'aws_iam_role',
    provider: 'aws',
    values: { arn: `arn:aws:iam::123456789012:role/${name}`, assume_role_policy: policy, create_date: '2025-11-02T10:00:00Z', description: rng.words(6), force_detach_policies: false, id: name, inline_policy: [], managed_policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], max_session_duration: 3600, name, name_prefix: '', path: '/', permissions_boundary: null, tags: null, tags_all: {}, unique_id: `AROA${rng.hex(16).toUpperCase()}` },
    computed: ['arn', 'create_date', 'id', 'unique_id'],
    unknown: { arn: true, create_date: true, id: true, inline_policy: true, managed_policy_arns: true, name_prefix: true, tags_all: true, unique_id: true },
    sensitive: { inline_policy: [], managed_policy_arns: [], tags_all: {} },
    expressions: { assume_role_policy: ref('data.aws_iam_policy_document.assume.json'), name: c(name) },
  };
}
