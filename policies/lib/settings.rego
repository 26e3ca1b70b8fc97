# METADATA
# title: What a store's configuration does
# description: >-
#   The mechanisms a store's own configuration sets up, read from whichever form it has (Helm
#   values, a manifest, typed Kubernetes resources, a cloud resource's attributes): the storage
#   classes of its volumes, the nodes its pods are pinned to, audit logging, TLS, replica mode.
#   Only configuration counts: a label or annotation that says a control exists is a claim.
package kz.lib.settings

import data.kz.lib.classification as cls
import data.kz.lib.helm
import data.kz.lib.kube
import data.kz.lib.stores

# The values a settings check reads: Helm values, the manifest, or the planned values.
values_of(r) := helm.values(r) if r.type == "helm_release"

values_of(r) := m if {
	r.type != "helm_release"
	m := kube.manifest(r)
}

values_of(r) := r.values if {
	r.type != "helm_release"
	not kube.manifest(r)
}

_last_key(path) := path[count(path) - 1] if count(path) > 0

# ---------------------------------------------------------------------------------------
# Storage
# ---------------------------------------------------------------------------------------

storage_class_keys := {"storageClass", "storageClassName", "storage_class_name", "defaultStorageClass"}

# Storage class names a store's volumes ask for: set anywhere in its values, and on the claims
# of the plan it mounts.
storage_classes(r) := {c |
	walk(values_of(r), [_, node])
	is_object(node)
	some k in storage_class_keys
	c := node[k]
	is_string(c)
	c != ""
} | {c |
	some claim in stores.mounted_claims(r)
	c := kube.claim_storage_class(claim)
	is_string(c)
	c != ""
}

storage_class_unknown(r) if {
	walk(r.unknown, [p, true])
	some k in p
	k in storage_class_keys
}

# Volumes of a workload no storage class of the plan covers.
storage_gaps(r) := {sprintf("hostPath volume %q keeps data on the node's own disk (%s), which no registered storage class covers", [v.name, v.host_path]) |
	some v in stores.data_volumes(r)
	is_string(v.host_path)
	v.claim == null
} | {sprintf("volume %q mounts claim %q, which this plan does not create, so its storage class is not proven", [v.name, v.claim]) |
	some v in stores.data_volumes(r)
	v.claim != null
	not stores.claims_by_name[[kube.cluster_key(r), kube.namespace(r), v.claim]]
} | {sprintf("claim %q sets no storage class, so it uses the cluster default, which is not proven encrypted", [kube.name(c)]) |
	some c in stores.mounted_claims(r)
	not is_string(kube.claim_storage_class(c))
}

# ---------------------------------------------------------------------------------------
# Pinning
# ---------------------------------------------------------------------------------------

topology_keys := {"topology.kubernetes.io/region", "topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/region", "failure-domain.beta.kubernetes.io/zone"}

# Region/zone values a store's pods are pinned to (nodeSelector maps and In match expressions).
pins(r) := {lower(x) |
	walk(values_of(r), [_, node])
	is_object(node)
	some k in topology_keys
	x := node[k]
	is_string(x)
} | {lower(y) |
	walk(values_of(r), [_, expr])
	is_object(expr)
	expr.key in topology_keys
	lower(object.get(expr, "operator", "In")) == "in"
	some y in expr.values
	is_string(y)
}

# ---------------------------------------------------------------------------------------
# Audit logging of user actions
# ---------------------------------------------------------------------------------------

_pgaudit_classes := {"all", "write", "ddl", "role", "read", "function", "misc"}

# PostgreSQL pgaudit.log as a parameter map entry.
audit_all(r) if {
	walk(values_of(r), [_, node])
	is_object(node)
	v := node["pgaudit.log"]
	is_string(v)
	some part in split(lower(v), ",")
	trim_space(trim(part, "'\"")) in _pgaudit_classes
}

# pgaudit.log, MariaDB's server_audit or MySQL's audit_log, or a MongoDB auditLog, inside
# configuration text (postgresql.conf / my.cnf / mongod.conf snippets in values).
audit_all(r) if {
	walk(values_of(r), [_, text])
	is_string(text)
	some pattern in _audit_text_patterns
	regex.match(pattern, lower(text))
}

_audit_text_patterns := [
	`pgaudit\.log\s*=\s*'?"?\s*(all|write|ddl|role|read|function|misc)`,
	`server_audit_logging\s*=\s*(on|1|true)`,
	`plugin[-_]load(-add)?\s*=\s*[^\n]*(server_audit|audit_log)`,
	`auditlog:\s*\n\s+destination:`,
]

# MongoDB auditLog configuration as a map (operator specs, chart values).
audit_all(r) if {
	walk(values_of(r), [path, node])
	is_object(node)
	_last_key(path) in {"auditLog", "audit_log"}
	is_string(node.destination)
}

# A parameter list entry (Cloud SQL database_flags, RDS parameter groups): {name: "pgaudit.log", value}.
audit_all(r) if {
	walk(values_of(r), [_, node])
	is_object(node)
	node.name == "pgaudit.log"
	is_string(node.value)
	some part in split(lower(node.value), ",")
	trim_space(part) in _pgaudit_classes
}

# MySQL's audit log switch of a managed service (Yandex Managed MySQL mysql_config.audit_log).
audit_all(r) if {
	walk(values_of(r), [path, v])
	_last_key(path) == "audit_log"
	v in {true, "true"}
}

# AWS RDS, Aurora and DocumentDB exporting their audit log.
audit_all(r) if {
	some e in object.get(r.values, "enabled_cloudwatch_logs_exports", [])
	e == "audit"
}

# ---------------------------------------------------------------------------------------
# TLS towards and between stores
# ---------------------------------------------------------------------------------------

# Operators that serve and require TLS unless told otherwise.
_tls_by_default_groups := {"postgresql.cnpg.io", "postgres-operator.crunchydata.com", "elasticsearch.k8s.elastic.co", "pxc.percona.com", "psmdb.percona.com", "pgv2.percona.com"}

# Managed services reached only over TLS.
_tls_only_types := {
	"mongodbatlas_advanced_cluster", "mongodbatlas_cluster", "mongodbatlas_serverless_instance", "mongodbatlas_flex_cluster",
	"azurerm_cosmosdb_account", "azurerm_mssql_server", "azurerm_sql_server", "azurerm_mssql_managed_instance",
	"google_storage_bucket", "google_bigquery_dataset", "google_spanner_instance", "google_firestore_database",
	"google_bigtable_instance", "google_healthcare_dataset", "google_firebase_database_instance",
	"aws_docdb_cluster", "aws_qldb_ledger", "aws_opensearchserverless_collection",
}

_tls_explicitly_off(r) if {
	walk(values_of(r), [path, node])
	is_object(node)
	lower(sprintf("%v", [_last_key(path)])) == "tls"
	node.enabled in {false, "false"}
}

_tls_explicitly_off(r) if {
	walk(values_of(r), [path, node])
	is_object(node)
	lower(sprintf("%v", [_last_key(path)])) in {"selfsignedcertificate", "self_signed_certificate"}
	node.disabled in {true, "true"}
}

# A store that says its TLS is off or optional is taken at its word (a claim that weakens a
# control is believed; one that asserts a control is not).
_tls_declared_off(r) if lower(cls.signal_text(r, "tls")) in {"false", "disabled", "off", "no", "optional"}

_tls_explicitly_off(r) if _tls_declared_off(r)

tls_required(r) if {
	not _tls_explicitly_off(r)
	_tls_by_default(r)
}

# tls.enabled: true (Bitnami charts, MongoDB community operator, ...) anywhere in the values.
tls_required(r) if {
	not _tls_explicitly_off(r)
	walk(values_of(r), [path, node])
	is_object(node)
	lower(sprintf("%v", [_last_key(path)])) == "tls"
	node.enabled in {true, "true"}
}

tls_required(r) if {
	not _tls_declared_off(r)
	_cloud_tls(r)
}

# Configuration text or server arguments that refuse unencrypted clients: MySQL/MariaDB
# require_secure_transport, a PostgreSQL pg_hba line rejecting hostnossl.
tls_required(r) if {
	not _tls_explicitly_off(r)
	walk(values_of(r), [_, text])
	is_string(text)
	some pattern in _tls_text_patterns
	regex.match(pattern, lower(text))
}

_tls_text_patterns := [
	`require[-_]secure[-_]transport\s*=\s*(on|1|true)`,
	`hostnossl\s+all\s+all\s+\S+\s+reject`,
]

_tls_by_default(r) if kube.api_group(r) in _tls_by_default_groups

_tls_by_default(r) if {
	r.type == "helm_release"
	helm.chart_name(r) == "cluster"
	stores.store_kind(r) == "helm-chart"
}

_tls_by_default(r) if {
	r.type == "helm_release"
	contains(helm.chart_name(r), "cnpg")
}

# MinIO tenants serve TLS with certificates the operator issues (requestAutoCert) or the user
# gives (externalCertSecret); the operator then serves no plain HTTP.
tls_required(r) if {
	walk(values_of(r), [path, node])
	is_object(node)
	lower(sprintf("%v", [_last_key(path)])) in {"certificate", "tenant", "spec"}
	_minio_certificates(node)
}

_minio_certificates(node) if node.requestAutoCert in {true, "true"}

_minio_certificates(node) if count(object.get(node, "externalCertSecret", [])) > 0

_cloud_tls(r) if r.type in _tls_only_types

_cloud_tls(r) if {
	r.type in {"azurerm_postgresql_flexible_server", "azurerm_mysql_flexible_server"}
}

_cloud_tls(r) if {
	r.type == "azurerm_storage_account"
	object.get(r.values, "https_traffic_only_enabled", true) != false
	object.get(r.values, "enable_https_traffic_only", true) != false
}

_cloud_tls(r) if {
	r.type in {"azurerm_redis_cache", "azurerm_managed_redis"}
	object.get(r.values, "non_ssl_port_enabled", false) != true
	object.get(r.values, "enable_non_ssl_port", false) != true
}

_cloud_tls(r) if {
	r.type == "google_sql_database_instance"
	some s in object.get(r.values, "settings", [])
	some ip in object.get(s, "ip_configuration", [])
	_cloud_sql_ssl(ip)
}

_cloud_sql_ssl(ip) if ip.ssl_mode in {"ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"}

_cloud_sql_ssl(ip) if ip.require_ssl == true

_cloud_tls(r) if {
	r.type in {"aws_elasticache_replication_group", "aws_elasticache_serverless_cache"}
	r.values.transit_encryption_enabled == true
}

_cloud_tls(r) if {
	r.type == "aws_elasticache_serverless_cache"
}

_cloud_tls(r) if {
	r.type in {"yandex_mdb_redis_cluster", "yandex_mdb_redis_cluster_v2"}
	r.values.tls_enabled == true
}

_cloud_tls(r) if {
	r.type == "aws_memorydb_cluster"
	object.get(r.values, "tls_enabled", true) != false
}

_cloud_tls(r) if {
	r.type in {"aws_opensearch_domain", "aws_elasticsearch_domain"}
	some o in object.get(r.values, "domain_endpoint_options", [])
	o.enforce_https == true
}

_cloud_tls(r) if {
	r.type == "aws_msk_cluster"
	not _msk_plaintext(r)
}

_msk_plaintext(r) if {
	some e in object.get(r.values, "encryption_info", [])
	some t in object.get(e, "encryption_in_transit", [])
	t.client_broker in {"PLAINTEXT", "TLS_PLAINTEXT"}
}

# ---------------------------------------------------------------------------------------
# Replica mode
# ---------------------------------------------------------------------------------------

read_only(r) if cls.is_true(r, "read-only")

# CloudNativePG cluster chart in replica mode.
read_only(r) if lower(object.get(values_of(r), "mode", "")) == "replica"

# CloudNativePG replica cluster (spec.replica.enabled) is read-only by construction.
read_only(r) if {
	walk(values_of(r), [path, node])
	is_object(node)
	_last_key(path) == "replica"
	node.enabled == true
}
