# METADATA
# title: Residency view of the plan
# description: >-
#   What the rules ask of a plan, in the project's vocabulary: the stores, their data class,
#   role and claimed site, the site proven by their provider's host, and the settings
#   (storage classes, pinning, backups, audit, TLS, governance declarations) read from every
#   shape a store can take (helm_release, StatefulSet, PVC, kubernetes_manifest custom resource).
package kz.lib.residency

import data.kz.lib.plan
import data.kz.lib.sites

personal_classes := {"personal", "biometric", "special"}

known_classes := personal_classes | {"case", "public"}

label_prefix := "residency.kz/"

# ---------------------------------------------------------------------------------------
# Vocabulary signals. A signal `key` (e.g. "data-class") is read, first found wins, from:
# the object's own labels, its annotations, then (helm_release) the labels of the namespace
# it installs into when that namespace is created in the same plan, then the top-level
# `residency` map of its Helm values under the camelCase key ("dataClass").
# ---------------------------------------------------------------------------------------

camel(key) := concat("", array.concat([parts[0]], [concat("", [upper(substring(p, 0, 1)), substring(p, 1, -1)]) |
	some i, p in parts
	i > 0
])) if {
	parts := split(key, "-")
}

_present(v) if {
	v != null
	v != ""
}

_label(r, key) := plan.labels(r)[concat("", [label_prefix, key])]

_annotation(r, key) := plan.annotations(r)[concat("", [label_prefix, key])]

signal(r, key) := v if {
	v := _label(r, key)
	_present(v)
} else := v if {
	v := _label(namespace_object(r), key)
	_present(v)
} else := v if {
	r.type == "helm_release"
	v := residency_map(r)[camel(key)]
	_present(v)
} else := v if {
	v := _annotation(r, key)
	_present(v)
} else := v if {
	v := _annotation(namespace_object(r), key)
	_present(v)
} else := v if {
	# chart values: cluster.annotations, commonAnnotations, podAnnotations, additionalLabels, ...
	r.type == "helm_release"
	vals := {x | some x in _helm_meta_values(r, key)}
	count(vals) > 0
	v := sort(vals)[0]
} else := v if {
	# a kubernetes_manifest of a custom resource may carry the map in its spec
	r.type == "kubernetes_manifest"
	v := object.get(r.values, ["manifest", "spec", "residency", camel(key)], null)
	_present(v)
} else := v if {
	# cloud resources (aws_*, google_*, azurerm_*) carry the vocabulary as tags or labels
	some field in ["tags", "labels"]
	m := r.values[field]
	is_object(m)
	v := m[concat("", [label_prefix, key])]
	_present(v)
}

_meta_maps := {"annotations", "labels", "additionalLabels", "commonLabels", "commonAnnotations", "podAnnotations", "podLabels"}

_helm_meta_values(r, key) := [v |
	walk(plan.helm_values(r), [path, node])
	count(path) > 0
	path[count(path) - 1] in _meta_maps
	is_object(node)
	v := node[concat("", [label_prefix, key])]
	_present(v)
]

# Signals read as text: strings as given, booleans and numbers as their JSON text,
# lists joined by commas.
signal_text(r, key) := s if {
	v := signal(r, key)
	is_string(v)
	s := v
} else := s if {
	v := signal(r, key)
	is_array(v)
	s := concat(",", [x | some e in v; x := sprintf("%v", [e])])
} else := s if {
	v := signal(r, key)
	not is_object(v)
	s := sprintf("%v", [v])
}

is_true(r, key) if lower(signal_text(r, key)) in {"true", "yes", "1", "on", "enabled"}

# is_true as a value: true or false, never undefined.
flag(r, key) := true if {
	is_true(r, key)
} else := false

residency_map(r) := m if {
	m := plan.helm_values(r).residency
	is_object(m)
} else := {}

namespace_types := {"kubernetes_namespace", "kubernetes_namespace_v1"}

# The namespace object a Kubernetes object or helm_release installs into, when that namespace
# is created in the same plan on the same cluster (same provider host; the helm and kubernetes
# providers of one site are different configurations with the same host).
# Two objects can create the same namespace on one cluster (two stacks of a deployment, judged
# together): the first by address is the one, so that the function has one value.
namespace_object(r) := ns if {
	is_kube(r)
	not r.type in namespace_types
	candidates := [n | some n in object.get(_namespaces, plan.namespace(r), []); _same_cluster(n, r)]
	first := min({n.address | some n in candidates})
	some ns in candidates
	ns.address == first
}

# Namespace objects of the plan by name (an index: stores look their namespace up by name).
_namespace_list := [ns | some ns in plan.resources; ns.type in namespace_types]

_namespaces := {name: _namespaces_named(name) |
	some n in _namespace_list
	name := plan.k8s_name(n)
}

# (a helper function rather than a comprehension in the head above: the interpreter does not yet
# let a head comprehension see the body's variables; OPA does)
_namespaces_named(name) := [ns | some ns in _namespace_list; plan.k8s_name(ns) == name]

_same_cluster(a, b) if {
	a.host.kind == "constant"
	b.host.kind == "constant"
	sites.normalize(a.host.value) == sites.normalize(b.host.value)
}

_same_cluster(a, b) if {
	a.host.kind != "constant"
	a.host == b.host
}

# ---------------------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------------------

data_class(r) := lower(signal_text(r, "data-class"))

role(r) := lower(signal_text(r, "role"))

# The role a rule assumes: no declared role counts as primary (fail closed).
effective_role(r) := role(r)

effective_role(r) := "primary" if not role(r)

site_claim(r) := signal_text(r, "site")

classified(r) if data_class(r) in known_classes

personal(r) if data_class(r) in personal_classes

# Not proven free of personal data: personal, or no (known) class at all.
maybe_personal(r) if personal(r)

maybe_personal(r) if not classified(r)

# ---------------------------------------------------------------------------------------
# Location: the site proven by the provider host (never by a name or a label).
# ---------------------------------------------------------------------------------------

site(r) := id if {
	r.host.kind == "constant"
	id := sites.site_for_kube_host(r.host.value)
}

site_or_null(r) := s if {
	s := site(r)
} else := null

in_kz(r) if sites.is_kz(site(r))

abroad(r) if {
	site(r)
	not sites.is_kz(site(r))
}

# Why a host proves nothing, for messages.
unproven_reason(r) := "its provider configuration could not be resolved" if {
	r.provider_key == ""
} else := sprintf("the Kubernetes host of provider %q is known only after apply (%s)", [r.provider_key, object.get(r.host, "value", "")]) if {
	r.host.kind == "reference"
} else := sprintf("provider %q sets no Kubernetes host at plan time", [r.provider_key]) if {
	r.host.kind == "unknown"
} else := sprintf("host %q of provider %q matches no single registered site", [r.host.value, r.provider_key])

kube_types := {
	"helm_release",
	"kubernetes_manifest",
	"kubernetes_stateful_set", "kubernetes_stateful_set_v1",
	"kubernetes_persistent_volume_claim", "kubernetes_persistent_volume_claim_v1",
	"kubernetes_deployment", "kubernetes_deployment_v1",
	"kubernetes_daemonset", "kubernetes_daemon_set_v1",
	"kubernetes_service", "kubernetes_service_v1",
	"kubernetes_ingress", "kubernetes_ingress_v1",
	"kubernetes_namespace", "kubernetes_namespace_v1",
	"kubernetes_config_map", "kubernetes_config_map_v1",
	"kubernetes_secret", "kubernetes_secret_v1",
	"kubernetes_network_policy", "kubernetes_network_policy_v1",
	"kubernetes_role", "kubernetes_role_v1", "kubernetes_cluster_role", "kubernetes_cluster_role_v1",
	"kubernetes_role_binding", "kubernetes_role_binding_v1",
	"kubernetes_cluster_role_binding", "kubernetes_cluster_role_binding_v1",
	"kubernetes_service_account", "kubernetes_service_account_v1",
	"kubernetes_job", "kubernetes_job_v1", "kubernetes_cron_job", "kubernetes_cron_job_v1",
}

is_kube(r) if r.type in kube_types

# ---------------------------------------------------------------------------------------
# Stores: every shape a stateful data store can take in a plan.
# ---------------------------------------------------------------------------------------

store_chart_words := {
	"postgres", "mysql", "mariadb", "mongo", "redis", "valkey", "keydb", "cassandra", "scylla",
	"elasticsearch", "opensearch", "minio", "kafka", "clickhouse", "cockroach", "timescale",
	"percona", "couchdb", "couchbase", "neo4j", "influxdb", "etcd", "zookeeper", "rabbitmq",
	"memcached", "tidb", "yugabyte", "vitess", "nats", "pulsar", "solr", "cnpg",
}

_chart(r) := lower(object.get(r.values, "chart", ""))

_repository(r) := lower(object.get(r.values, "repository", ""))

_db_chart(r) if {
	some w in store_chart_words
	contains(_chart(r), w)
	not contains(_chart(r), "operator")
}

# CloudNativePG cluster chart: chart "cluster" from the cloudnative-pg repository.
_db_chart(r) if {
	endswith(_chart(r), "cluster")
	some w in {"cloudnative-pg", "cnpg"}
	contains(_repository(r), w)
}

# Any other chart whose values carry a residency map is a store, unless it is a known
# non-store chart (operators, log shippers) or declares an infrastructure role (gateway, audit:
# those are judged by the first-touch, tunnel and audit rules).
_db_chart(r) if {
	count(residency_map(r)) > 0
	not _non_store_chart(r)
	not lower(sprintf("%v", [object.get(residency_map(r), "role", "")])) in {"gateway", "audit"}
}

non_store_charts := {"cloudnative-pg", "fluent-bit", "fluentd", "promtail", "vector", "ingress-nginx", "cert-manager", "external-dns", "loki", "grafana", "prometheus", "kube-prometheus-stack"}

_non_store_chart(r) if _chart(r) in non_store_charts

_non_store_chart(r) if contains(_chart(r), "operator")

store_kinds := {
	"postgresql.cnpg.io": {"Cluster"},
	"acid.zalan.do": {"postgresql"},
	"postgres-operator.crunchydata.com": {"PostgresCluster"},
	"mongodbcommunity.mongodb.com": {"MongoDBCommunity"},
	"psmdb.percona.com": {"PerconaServerMongoDB"},
	"pxc.percona.com": {"PerconaXtraDBCluster"},
	"mysql.oracle.com": {"InnoDBCluster"},
	"k8s.mariadb.com": {"MariaDB"},
	"mariadb.mmontes.io": {"MariaDB"},
	"redis.redis.opstreelabs.in": {"Redis", "RedisCluster", "RedisReplication"},
	"databases.spotahome.com": {"RedisFailover"},
	"kafka.strimzi.io": {"Kafka", "KafkaNodePool"},
	"elasticsearch.k8s.elastic.co": {"Elasticsearch"},
	"opensearch.opster.io": {"OpenSearchCluster"},
	"minio.min.io": {"Tenant"},
	"cassandra.datastax.com": {"CassandraDatacenter"},
	"clickhouse.altinity.com": {"ClickHouseInstallation"},
}

manifest_group(r) := split(object.get(r.values, ["manifest", "apiVersion"], ""), "/")[0]

manifest_kind(r) := object.get(r.values, ["manifest", "kind"], "")

_store_manifest(r) if manifest_kind(r) in store_kinds[manifest_group(r)]

_store_manifest(r) if {
	manifest_kind(r) == "StatefulSet"
	count(object.get(r.values, ["manifest", "spec", "volumeClaimTemplates"], [])) > 0
}

_store_manifest(r) if manifest_kind(r) == "PersistentVolumeClaim"

store_kind(r) := "helm" if {
	r.type == "helm_release"
	_db_chart(r)
} else := "statefulset" if {
	r.type in {"kubernetes_stateful_set", "kubernetes_stateful_set_v1"}
	count(object.get(r.values, ["spec", 0, "volume_claim_template"], [])) > 0
} else := "pvc" if {
	r.type in {"kubernetes_persistent_volume_claim", "kubernetes_persistent_volume_claim_v1"}
} else := "pvc" if {
	r.type == "kubernetes_manifest"
	manifest_kind(r) == "PersistentVolumeClaim"
} else := "custom-resource" if {
	r.type == "kubernetes_manifest"
	_store_manifest(r)
}

stores contains r if {
	some r in plan.resources
	store_kind(r)
}

# Stores that hold (or are not proven free of) personal data.
personal_stores contains r if {
	some r in stores
	personal(r)
}

# ---------------------------------------------------------------------------------------
# Store settings, read from whichever shape the store has (spec_values: helm values, the
# manifest, or the planned values of kubernetes_* resources).
# ---------------------------------------------------------------------------------------

storage_class_keys := {"storageClass", "storageClassName", "storage_class_name", "defaultStorageClass"}

# Storage class names a store's volumes ask for; unknown values count as "(unknown)".
storage_classes(r) := {c |
	walk(plan.spec_values(r), [_, node])
	is_object(node)
	some k in storage_class_keys
	c := node[k]
	is_string(c)
	c != ""
}

storage_class_unknown(r) if {
	walk(r.unknown, [p, true])
	some k in p
	k in storage_class_keys
}

topology_keys := {"topology.kubernetes.io/region", "topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/region", "failure-domain.beta.kubernetes.io/zone"}

# Region/zone values a store's pods are pinned to (nodeSelector maps and In match expressions).
pins(r) := {lower(x) |
	walk(plan.spec_values(r), [_, node])
	is_object(node)
	some k in topology_keys
	x := node[k]
	is_string(x)
} | {lower(y) |
	walk(plan.spec_values(r), [_, expr])
	is_object(expr)
	expr.key in topology_keys
	lower(object.get(expr, "operator", "In")) == "in"
	some y in expr.values
	is_string(y)
}

# Backup destinations: endpoint URLs under any key path that mentions backup or
# barmanObjectStore (CloudNativePG), plus the `backup-target` signal (the constructs' annotation;
# `backup-endpoints` is accepted too).
backup_endpoint_keys := {"endpointURL", "endpointUrl", "endpoint_url", "endpoint", "s3Endpoint"}

backup_targets(r) := {t |
	values := plan.spec_values(r)
	walk(values, [path, node])
	is_object(node)
	_backup_path(path)
	_enabled_along(values, path)
	some k in backup_endpoint_keys
	url := node[k]
	is_string(url)
	t := {"endpoint": url, "encrypted": _backup_encrypted(node)}
} | {ts |
	some key in ["backup-target", "backup-endpoints"]
	some u in split(signal_text(r, key), ",")
	trim_space(u) != ""
	ts := {"endpoint": trim_space(u), "encrypted": flag(r, "backup-encrypted")}
}

# No object on the path (including the node itself) says enabled: false.
_enabled_along(values, path) if {
	every i in numbers.range(1, count(path)) {
		not _disabled_at(values, array.slice(path, 0, i))
	}
}

_disabled_at(values, prefix) if {
	node := object.get(values, prefix, {})
	is_object(node)
	node.enabled == false
}

_backup_path(path) if {
	some p in path
	is_string(p)
	some w in {"backup", "barmanobjectstore"}
	contains(lower(p), w)
}

_backup_encrypted(node) if {
	some part in ["data", "wal"]
	e := node[part].encryption
	is_string(e)
	e != ""
}

_backup_encrypted(node) if node.encryption == true

_backup_encrypted(node) if {
	is_string(node.encryption)
	node.encryption != ""
}

default _backup_encrypted(_) := false

# Audit settings of a store: the `audit` signal, or PostgreSQL's pgaudit.log parameter.
audit_all(r) if {
	some key in ["audit-log", "audit"]
	some part in split(lower(signal_text(r, key)), ",")
	trim_space(part) in {"all", "pgaudit:all", "true", "enabled", "on"}
}

audit_all(r) if {
	walk(plan.spec_values(r), [_, node])
	is_object(node)
	v := node["pgaudit.log"]
	is_string(v)
	some part in split(lower(v), ",")
	trim_space(part) in {"all", "write", "ddl", "role", "read"}
}

# TLS towards and between stores: the `tls` signal says required; CloudNativePG clusters
# always serve TLS; otherwise a `tls.enabled: true` (Bitnami charts) anywhere in the values.
tls_disabled(r) if lower(signal_text(r, "tls")) in {"false", "disabled", "off", "no", "optional"}

tls_required(r) if {
	not tls_disabled(r)
	lower(signal_text(r, "tls")) in {"required", "true", "enabled", "on", "yes"}
}

tls_required(r) if {
	not tls_disabled(r)
	not _tls_explicitly_off(r)
	_cnpg(r)
}

tls_required(r) if {
	not tls_disabled(r)
	not _tls_explicitly_off(r)
	walk(plan.spec_values(r), [path, node])
	is_object(node)
	count(path) > 0
	lower(sprintf("%v", [path[count(path) - 1]])) == "tls"
	node.enabled == true
}

_tls_explicitly_off(r) if {
	walk(plan.spec_values(r), [path, node])
	is_object(node)
	count(path) > 0
	lower(sprintf("%v", [path[count(path) - 1]])) == "tls"
	node.enabled == false
}

_cnpg(r) if manifest_group(r) == "postgresql.cnpg.io"

_cnpg(r) if {
	r.type == "helm_release"
	endswith(_chart(r), "cluster")
	contains(_repository(r), "cloudnative-pg")
}

_cnpg(r) if {
	r.type == "helm_release"
	contains(_chart(r), "cnpg")
}

# ---------------------------------------------------------------------------------------
# Plaintext secrets: values that look like credentials written into configuration.
# ---------------------------------------------------------------------------------------

# Paths (dotted) of values in a resource's configuration that hold a secret in clear text.
plaintext_secrets(r) := (_secret_keys(r) | _secret_env(r)) | _secret_material(r)

# Matched against lower-cased key names.
secret_key_pattern := `(password|passwd|secret|private[_-]?key|preshared[_-]?key|token|api[_-]?key|access[_-]?key)`

# Keys whose value is a reference to a Secret, not a secret.
secret_ref_pattern := `((secretname|secret_name|secretref|secret_ref|secretkeyref|secret_key_ref|tokenfile|token_file|keyfile|key_file|passwordfile|password_file|passwordkey|password_key|usernamekey|secretmountpath|mount_path|mountpath|path|secrets|name)$|existingsecret|existing_secret)`

_secret_keys(r) := {p_text |
	walk(plan.spec_values(r), [path, v])
	is_string(v)
	v != ""
	count(path) > 0
	k := path[count(path) - 1]
	is_string(k)
	regex.match(secret_key_pattern, lower(k))
	not regex.match(secret_ref_pattern, lower(k))
	not _looks_like_reference(v)
	p_text := concat(".", [sprintf("%v", [x]) | some x in path])
}

_looks_like_reference(v) if startswith(v, "${")

_looks_like_reference(v) if startswith(v, "/")

_looks_like_reference(v) if regex.match(`^(secret|secretref|vault|ref|env)[:/]`, lower(v))

# Plain `env` entries whose name looks like a credential: [{name: "DB_PASSWORD", value: "x"}].
_secret_env(r) := {p_text |
	walk(plan.spec_values(r), [path, node])
	is_object(node)
	is_string(node.name)
	regex.match(secret_key_pattern, lower(node.name))
	is_string(node.value)
	node.value != ""
	p_text := concat(".", array.concat([sprintf("%v", [x]) | some x in path], [node.name]))
}

# Secret material inside text values (configuration files in ConfigMaps, Helm values):
# PEM private keys, WireGuard PrivateKey/PresharedKey lines.
secret_material_patterns := [
	`-----BEGIN [A-Z ]*PRIVATE KEY-----`,
	`(PrivateKey|PresharedKey)[ \t]*=[ \t]*[A-Za-z0-9+/]{42,43}=`,
]

_secret_material(r) := {p_text |
	walk(plan.spec_values(r), [path, v])
	is_string(v)
	some pat in secret_material_patterns
	regex.match(pat, v)
	p_text := concat(".", [sprintf("%v", [x]) | some x in path])
}

# Resources whose configuration must not hold secrets: everything of Kubernetes and Helm
# except Secret objects themselves.
secret_holder_types := {"kubernetes_secret", "kubernetes_secret_v1"}

may_hold_config(r) if {
	is_kube(r)
	not r.type in secret_holder_types
	not manifest_kind(r) == "Secret"
}

# ---------------------------------------------------------------------------------------
# Cross-border plumbing: tunnel gateways and public cloud resources.
# ---------------------------------------------------------------------------------------

gateways contains r if {
	some r in plan.resources
	role(r) == "gateway"
}

# Tunnel names with a gateway on a Kazakh site in this plan (the registered tunnels), or, when
# the deployment is split into one plan per site, an HQ-side gateway whose declared peer
# (residency.kz/tunnel-peer-site) is a registered Kazakh site.
registered_tunnels contains lower(signal_text(g, "tunnel")) if {
	some g in gateways
	in_kz(g)
	signal_text(g, "tunnel") != ""
}

registered_tunnels contains lower(signal_text(g, "tunnel")) if {
	some g in gateways
	signal_text(g, "tunnel") != ""
	lower(signal_text(g, "tunnel-side")) == "hq"
	sites.is_kz(signal_text(g, "tunnel-peer-site"))
}

tunnel_profile(name) := {lower(signal_text(g, "tunnel-profile")) |
	some g in gateways
	lower(signal_text(g, "tunnel")) == name
	signal_text(g, "tunnel-profile")
}

cloud_prefixes := ["aws_", "google_", "azurerm_", "azuread_", "alicloud_", "oci_", "digitalocean_", "hcloud_", "yandex_"]

# A resource of a public cloud with no Kazakh site registered for it: outside Kazakhstan.
public_cloud(r) if {
	some p in cloud_prefixes
	startswith(r.type, p)
}

# Where a resource is, for the cross-border rules: proven abroad, or in a public cloud.
outside_kz(r) if abroad(r)

outside_kz(r) if public_cloud(r)

# Personal-data stores (of any shape, Kubernetes or cloud) outside Kazakhstan.
personal_abroad contains r if {
	some r in stores
	personal(r)
	abroad(r)
}

personal_abroad contains r if {
	some r in plan.resources
	public_cloud(r)
	personal(r)
}

read_only(r) if is_true(r, "read-only")

# CloudNativePG cluster chart in replica mode.
read_only(r) if lower(object.get(plan.spec_values(r), "mode", "")) == "replica"

# CloudNativePG replica cluster (spec.replica.enabled) is read-only by construction.
read_only(r) if {
	walk(plan.spec_values(r), [path, node])
	is_object(node)
	count(path) > 0
	path[count(path) - 1] == "replica"
	node.enabled == true
}
