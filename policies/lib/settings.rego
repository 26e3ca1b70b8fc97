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
import data.kz.lib.plan
import data.kz.lib.stores
import data.kz.lib.tunnels

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

# Region/zone values a store's pods are pinned to: nodeSelector maps (node_selector, and the
# CloudNativePG affinity.nodeSelector), and In expressions of required node affinity
# (requiredDuringSchedulingIgnoredDuringExecution in either spelling). Preferred affinity is a
# wish the scheduler may ignore, so it pins nothing; nor does a label map elsewhere.
pins(r) := {lower(x) |
	walk(values_of(r), [path, node])
	is_object(node)
	_node_selector_path(path)
	some k in topology_keys
	x := node[k]
	is_string(x)
} | {lower(y) |
	walk(values_of(r), [path, expr])
	is_object(expr)
	expr.key in topology_keys
	_required_affinity_path(path)
	lower(object.get(expr, "operator", "In")) == "in"
	some y in expr.values
	is_string(y)
}

_node_selector_path(path) if {
	count(path) > 0
	lower(sprintf("%v", [path[count(path) - 1]])) in {"nodeselector", "node_selector"}
}

_required_affinity_path(path) if {
	some p in path
	is_string(p)
	lower(p) in {"requiredduringschedulingignoredduringexecution", "required_during_scheduling_ignored_during_execution"}
	not _preferred_in(path)
}

_preferred_in(path) if {
	some p in path
	is_string(p)
	startswith(lower(p), "preferred")
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
# Replicas: where a store copies its data from, and whether it is a hot standby
# ---------------------------------------------------------------------------------------

# The sources a store copies data from, read from its configuration (never from a label):
# {mechanism, host (a host, host:port or URL; "" when the source is not a host), port, sslmode
# ("" when not written), object_store (a URL, or null), standby (true: the store follows the
# source as a read-only replica; false: a one-time clone or import that leaves it writable)}.
# CloudNativePG (cluster chart replica/recovery sections; Cluster replica.enabled or a distributed
# topology whose primary is another cluster, externalClusters named by replica.source,
# bootstrap.pg_basebackup/recovery/initdb.import), Zalando standby and clone, Crunchy PGO and
# Percona standby, StackGres replicateFrom, the Bitnami chart's primary.standby, a
# primary_conninfo in PostgreSQL configuration text, Percona XtraDB replication channels, and
# managed read replicas (RDS replicate_source_db, Aurora replication_source_identifier, Cloud SQL
# master_instance_name, Azure flexible servers created as replicas).
replica_sources(r) := ((((_chart_sources(r) | _cnpg_sources(r)) | _operator_sources(r)) | _conninfo_sources(r)) | _cloud_sources(r))

# A store that follows another as a hot standby: it cannot be written, whatever a session sets.
read_only(r) if {
	some src in replica_sources(r)
	src.standby
}

# Replica mode configured without a source the plan shows is still replica mode.
read_only(r) if lower(object.get(values_of(r), "mode", "")) == "replica"

read_only(r) if {
	r.type in {"aws_db_instance", "aws_rds_cluster", "google_sql_database_instance"}
	some k in ["replicate_source_db", "replication_source_identifier", "master_instance_name"]
	plan.is_unknown(r, [k])
}

_source(mechanism, host, port, sslmode, object_store, standby) := {
	"mechanism": mechanism, "host": host, "port": _text(port), "sslmode": lower(_text(sslmode)),
	"object_store": object_store, "standby": standby,
}

_text(x) := x if is_string(x)

_text(null) := ""

_text(x) := sprintf("%v", [x]) if {
	not is_string(x)
	x != null
}

_get(o, path) := v if {
	v := object.get(o, path, null)
	v != null
	v != ""
}

# --- the CloudNativePG cluster chart -----------------------------------------------------

_cnpg_chart(r) if {
	r.type == "helm_release"
	helm.chart_name(r) == "cluster"
}

_chart_sources(r) := {_source("cnpg-chart-replica", v.replica.origin.pg_basebackup.host, object.get(v.replica.origin.pg_basebackup, "port", 5432), object.get(v.replica.origin.pg_basebackup, "sslMode", "verify-full"), null, true) |
	_cnpg_chart(r)
	v := helm.values(r)
	lower(object.get(v, "mode", "")) == "replica"
	_get(v, ["replica", "origin", "pg_basebackup", "host"])
} | {_source("cnpg-chart-replica", "", "", "", url, true) |
	_cnpg_chart(r)
	v := helm.values(r)
	lower(object.get(v, "mode", "")) == "replica"
	url := object_store_url(v.replica.origin.objectStore)
} | {_source("cnpg-chart-recovery", src.host, object.get(src, "port", 5432), object.get(src, "sslMode", "verify-full"), null, false) |
	_cnpg_chart(r)
	v := helm.values(r)
	lower(object.get(v, "mode", "")) == "recovery"
	some k in ["pgBaseBackup", "import"]
	src := v.recovery[k].source
	_get(src, ["host"])
} | {_source("cnpg-chart-recovery", "", "", "", url, false) |
	_cnpg_chart(r)
	v := helm.values(r)
	lower(object.get(v, "mode", "")) == "recovery"
	lower(object.get(v.recovery, "method", "backup")) == "object_store"
	url := object_store_url(v.recovery)
}

# The URL of a barman object store section: its endpoint with the bucket path, else its
# destinationPath, else the provider's default path (s3://bucket, gs://bucket, the Azure blob
# URL). Undefined when the section names no destination.
object_store_url(o) := url if {
	is_object(o)
	e := _endpoint_of(o)
	d := _get(o, ["destinationPath"])
	url := _join_endpoint(e, d)
} else := url if {
	is_object(o)
	e := _endpoint_of(o)
	not _get(o, ["destinationPath"])
	b := _get(o, ["s3", "bucket"])
	url := concat("/", [trim_right(e, "/"), b])
} else := d if {
	is_object(o)
	d := _get(o, ["destinationPath"])
	is_string(d)
} else := concat("/", [trim_right(e, "/"), b]) if {
	is_object(o)
	e := _endpoint_of(o)
	b := _get(o, ["bucket"])
} else := sprintf("https://s3.%s.amazonaws.com/%s", [region, b]) if {
	is_object(o)
	b := _get(o, ["bucket"])
	region := _get(o, ["region"])
	is_string(region)
} else := sprintf("https://s3.%s.amazonaws.com/%s", [region, b]) if {
	is_object(o)
	b := _get(o, ["s3", "bucket"])
	region := _get(o, ["s3", "region"])
} else := sprintf("s3://%s", [b]) if {
	is_object(o)
	b := _get(o, ["s3", "bucket"])
} else := sprintf("gs://%s", [b]) if {
	is_object(o)
	b := _get(o, ["google", "bucket"])
} else := sprintf("https://%s.%s.core.windows.net/%s", [a, object.get(o.azure, "serviceName", "blob"), object.get(o.azure, "containerName", "")]) if {
	is_object(o)
	a := _get(o, ["azure", "storageAccount"])
} else := e if {
	is_object(o)
	e := _endpoint_of(o)
}

_endpoint_keys := ["endpointURL", "endpointUrl", "endpoint_url", "endpoint", "s3Endpoint", "s3Url", "s3_url"]

_endpoint_of(o) := e if {
	es := [x | some k in _endpoint_keys; x := o[k]; is_string(x); x != ""]
	count(es) > 0
	e := es[0]
}

# An endpoint and a bucket path: "https://s3.example" + "s3://bucket/x" -> "https://s3.example/bucket/x".
_join_endpoint(e, d) := concat("/", [trim_right(e, "/"), substring(d, indexof(d, "://") + 3, -1)]) if {
	contains(d, "://")
} else := e

# --- CloudNativePG Cluster ----------------------------------------------------------------

_cnpg_cluster(r) if {
	kube.api_group(r) == "postgresql.cnpg.io"
	kube.kind(r) == "Cluster"
}

# The externalClusters entry named n.
external_cluster(r, n) := c if {
	some c in object.get(kube.spec(r), "externalClusters", [])
	c.name == n
}

# Whether the Cluster follows another: replica.enabled, or a distributed topology whose primary
# is not this cluster.
_cnpg_replica_mode(spec) if spec.replica.enabled == true

_cnpg_replica_mode(spec) if {
	p := _get(spec, ["replica", "primary"])
	p != object.get(spec.replica, "self", "")
}

_cnpg_sources(r) := {src |
	_cnpg_cluster(r)
	spec := kube.spec(r)
	_cnpg_replica_mode(spec)
	c := external_cluster(r, spec.replica.source)
	some src in _external_cluster_sources(r, c, "cnpg-replica-cluster", true)
} | {src |
	_cnpg_cluster(r)
	spec := kube.spec(r)
	some method in ["pg_basebackup", "recovery"]
	c := external_cluster(r, spec.bootstrap[method].source)
	some src in _external_cluster_sources(r, c, sprintf("cnpg-bootstrap-%s", [method]), false)
} | {src |
	_cnpg_cluster(r)
	spec := kube.spec(r)
	c := external_cluster(r, spec.bootstrap.initdb["import"].source.externalCluster)
	some src in _external_cluster_sources(r, c, "cnpg-import", false)
}

# What an externalClusters entry connects to: a host (connectionParameters), an object store
# (barmanObjectStore, or the plugin's ObjectStore resolved by the caller from object_store_name).
_external_cluster_sources(_, c, mechanism, standby) := {_source(mechanism, p.host, object.get(p, "port", ""), object.get(p, "sslmode", ""), null, standby) |
	p := c.connectionParameters
	is_string(p.host)
} | {_source(mechanism, "", "", "", url, standby) |
	url := object_store_url(c.barmanObjectStore)
} | {object.union(_source(mechanism, "", "", "", null, standby), {"object_store_name": n}) |
	n := c.plugin.parameters.barmanObjectName
	is_string(n)
}

# --- other PostgreSQL operators and charts --------------------------------------------------

_operator_sources(r) := {_source("zalando-standby", sb.standby_host, object.get(sb, "standby_port", "5432"), "", null, true) |
	kube.api_group(r) == "acid.zalan.do"
	sb := kube.spec(r).standby
	is_string(sb.standby_host)
} | {_source("zalando-standby", "", "", "", url, true) |
	kube.api_group(r) == "acid.zalan.do"
	sb := kube.spec(r).standby
	some k in ["s3_wal_path", "gs_wal_path"]
	url := sb[k]
	is_string(url)
} | {_source(sprintf("%s-standby", [kube.api_group(r)]), sb.host, object.get(sb, "port", "5432"), _pgo_sslmode(r), null, true) |
	kube.api_group(r) in {"postgres-operator.crunchydata.com", "pgv2.percona.com", "pg.percona.com"}
	sb := kube.spec(r).standby
	sb.enabled == true
	is_string(sb.host)
} | {_source(sprintf("%s-standby", [kube.api_group(r)]), "", "", "", sprintf("pgbackrest repository %s", [sb.repoName]), true) |
	kube.api_group(r) in {"postgres-operator.crunchydata.com", "pgv2.percona.com", "pg.percona.com"}
	sb := kube.spec(r).standby
	sb.enabled == true
	not is_string(sb.host)
	is_string(sb.repoName)
} | {_source("stackgres-replicate-from", ext.host, object.get(ext, "port", "5432"), "", null, true) |
	kube.api_group(r) == "stackgres.io"
	ext := kube.spec(r).replicateFrom.instance.external
	is_string(ext.host)
} | {_source("bitnami-standby", sb.primaryHost, object.get(sb, "primaryPort", "5432"), "", null, true) |
	r.type == "helm_release"
	sb := helm.values(r).primary.standby
	sb.enabled in {true, "true"}
	is_string(sb.primaryHost)
} | {_source("percona-xtradb-replication-channel", s.host, object.get(s, "port", "3306"), "", null, false) |
	kube.api_group(r) == "pxc.percona.com"
	some ch in object.get(kube.spec(r).pxc, "replicationChannels", [])
	ch.isSource == false
	some s in object.get(ch, "sourcesList", [])
	is_string(s.host)
}

# Crunchy PGO / Percona streaming standbys authenticate with the replication certificate of a
# shared CA (customReplicationTLSSecret): the connection verifies the source.
_pgo_sslmode(r) := "verify-ca" if {
	is_object(kube.spec(r).customReplicationTLSSecret)
} else := ""

# A primary_conninfo in PostgreSQL configuration text (a hot standby of whatever it names).
_conninfo_sources(r) := {_source("primary_conninfo", object.get(ci, "host", ""), object.get(ci, "port", "5432"), object.get(ci, "sslmode", "prefer"), null, true) |
	some text in _config_texts(r)
	contains(text, "primary_conninfo")
	some m in regex.find_all_string_submatch_n(`primary_conninfo\s*=\s*'([^']*)'`, text, -1)
	ci := conninfo(m[1])
	ci.host
}

# Configuration text of a store: strings of its values, and the files of the ConfigMaps its
# pods mount (a PostgreSQL StatefulSet keeps postgresql.conf there).
_config_texts(r) := {t | walk(values_of(r), [_, t]); is_string(t)} | {t | some t in tunnels.texts(r)} if {
	kube.kind(r) in {"StatefulSet", "Deployment", "Pod", "DaemonSet", "ReplicaSet"}
} else := {t | walk(values_of(r), [_, t]); is_string(t)}

# A libpq key=value connection string as an object ("host=a port=5432 sslmode=verify-full").
conninfo(s) := {lower(kv[1]): trim(kv[2], "'\"") | some kv in regex.find_all_string_submatch_n(`([A-Za-z_]+)\s*=\s*('[^']*'|"[^"]*"|[^\s]+)`, s, -1)}

# --- managed read replicas -----------------------------------------------------------------

_cloud_sources(r) := {_source(sprintf("%s.%s", [r.type, k]), v, "", "", null, true) |
	some k in ["replicate_source_db", "replication_source_identifier", "master_instance_name", "source_server_id"]
	v := r.values[k]
	is_string(v)
	v != ""
	_cloud_replica_attribute(r, k)
}

_cloud_replica_attribute(r, "replicate_source_db") if r.type == "aws_db_instance"

_cloud_replica_attribute(r, "replication_source_identifier") if r.type == "aws_rds_cluster"

_cloud_replica_attribute(r, "master_instance_name") if r.type == "google_sql_database_instance"

_cloud_replica_attribute(r, "source_server_id") if {
	r.type in {"azurerm_postgresql_flexible_server", "azurerm_mysql_flexible_server"}
	lower(object.get(r.values, "create_mode", "")) == "replica"
}
