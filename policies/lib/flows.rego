# METADATA
# title: The flow inventory
# description: >-
#   Every edge by which data of a store can reach another host, read from the configuration that
#   moves it, beside the store inventory (lib/stores.rego). Kinds: replication (a replica cluster,
#   hot standby or managed read replica following its source; a clone or import), logical
#   replication (subscriptions, external clusters a cluster can copy from), backup (a store's
#   backup section, a CloudNativePG Barman Cloud ObjectStore, an operator's backup resource),
#   dump (a job running pg_dump, mysqldump, mongodump, ... to an object store or URL),
#   volume backup (Velero file-system backups of namespaces to a BackupStorageLocation), log
#   shipping (Fluent Bit, Fluentd, Vector, Promtail, Grafana Alloy, OpenTelemetry collector
#   outputs), service alias (ExternalName Services, Endpoints and EndpointSlices, Istio
#   ServiceEntries) and tunnel (a gateway's hop to another site). Each edge says where it is
#   configured, whose data it carries (the stores, or the namespaces it collects), where it goes
#   (host, site, country: registry, region tables, provider host names) and whether it is
#   encrypted and by what. The class of an edge is the most protective class of its source,
#   whatever its destination is labelled; a store that receives a copy takes the class of what it
#   receives. An annotation that names a backup target, a tunnel or a log sink is a claim and is
#   never read here. Rules judge edges, so a new kind of edge is one more entry here.
package kz.lib.flows

import data.kz.lib.classification as cls
import data.kz.lib.endpoint
import data.kz.lib.helm
import data.kz.lib.hostnames
import data.kz.lib.kube
import data.kz.lib.location
import data.kz.lib.network
import data.kz.lib.plan
import data.kz.lib.settings
import data.kz.lib.stores
import data.kz.lib.tunnels

# Kinds of edges that copy a store for safekeeping (judged by the backup rules).
backup_kinds := {"backup", "dump", "volume-backup"}

# Kinds of edges whose destination is a store that receives a copy (judged on that store).
copy_kinds := {"replication", "logical-replication"}

# ---------------------------------------------------------------------------------------
# The inventory
# ---------------------------------------------------------------------------------------

# Every edge: {kind, mechanism, resource, source, source_stores, destination,
# destination_kind, destination_resource, destination_store, site, jurisdiction, where, local,
# class, personal, encrypted, encryption, ...kind-specific fields}.
edges := ((((((backup_edges | dump_edges) | volume_backup_edges) | replication_edges) | logical_edges) | log_edges) | alias_edges) | tunnel_edges

edges_of(kind) := {e | some e in edges; e.kind == kind}

# Edges that carry data of store `r` (by address).
outbound(r) := {x.edge | some x in _by_source; x.store == r.address}

# Edges whose destination is store `r` (a replica, subscriber or clone receiving a copy).
inbound(r) := {e | some e in _edge_list; e.destination_store == r.address}

_edge_list := [e | some e in edges]

_by_source := [{"store": s, "edge": e} | some e in edges; some s in e.source_stores]

# Backup destinations of a store (all backup kinds): {endpoint, encrypted}.
backup_targets(r) := {{"endpoint": e.destination, "encrypted": e.encrypted} | some e in outbound(r); e.kind in backup_kinds}

# Backup edges of the inventory (all backup kinds).
backups := {e | some e in edges; e.kind in backup_kinds}

# ---------------------------------------------------------------------------------------
# Classes: a flow carries the most protective class of its source
# ---------------------------------------------------------------------------------------

_unknown_rank := 2

_rank_names := {rank: name | some name, rank in cls.class_rank}

# A store's own class rank (an unclassified store may hold personal data: the unknown rank).
_store_rank(s) := cls.class_rank[cls.data_class(s)] if {
	cls.data_class(s)
} else := _unknown_rank

# A namespace object's declared class rank (a namespace that declares nothing says nothing).
_declared_rank(n) := cls.class_rank[cls.data_class(n)] if cls.data_class(n)

_declared_rank(n) := _unknown_rank if {
	not cls.data_class(n)
	count(cls.class_claims(n)) > 0
}

_stores_on(cluster) := [s | some s in stores.kubernetes_stores; network.cluster(s) == cluster]

_where_key(r) := [network.cluster(r), kube.namespace(r)]

# The Kubernetes stores of a namespace of a cluster.
stores_in(cluster, ns) := [s | some s in stores.kubernetes_stores; _where_key(s) == [cluster, ns]]

_namespace_objects_on(cluster) := [n | some ns in kube.namespaces_by_name; some n in ns; network.cluster(n) == cluster]

_namespace_ranks(cluster, ns) := {_store_rank(s) | some s in stores_in(cluster, ns)} | {_declared_rank(n) |
	some n in object.get(kube.namespaces_by_name, ns, [])
	network.cluster(n) == cluster
}

_cluster_ranks(cluster) := {_store_rank(s) | some s in _stores_on(cluster)} | {_declared_rank(n) | some n in _namespace_objects_on(cluster)}

# The class text of a set of ranks: the most protective; "unclassified" when it is unknown or
# nothing is known.
class_of(ranks) := "unclassified" if {
	count(ranks) == 0
} else := "unclassified" if {
	max(ranks) == _unknown_rank
} else := _rank_names[max(ranks)]

# Whether a class may be personal data: personal, biometric, special, or not known.
maybe_personal(class) if class in cls.personal_classes

maybe_personal("unclassified")

_personal(class) := true if maybe_personal(class) else := false

# Sources: {text, stores (addresses), ranks}.
store_source(s) := {"text": sprintf("store %s", [s.address]), "stores": [s.address], "ranks": {_store_rank(s)}}

stores_source(ss, fallback) := {"text": concat(", ", sort([sprintf("store %s", [s.address]) | some s in ss])), "stores": sort([s.address | some s in ss]), "ranks": {_store_rank(s) | some s in ss}} if {
	count(ss) > 0
} else := fallback

# The stores and declared classes of namespaces of a cluster (["*"]: every namespace).
namespaces_source(r, cluster, namespaces) := {"text": sprintf("namespaces %v of the cluster of %s", [sort(namespaces), r.address]), "stores": sort([s.address | some ns in namespaces; some s in stores_in(cluster, ns)]), "ranks": _own_ranks(r) | {x | some ns in namespaces; some x in _namespace_ranks(cluster, ns)}} if {
	not "*" in namespaces
} else := {"text": sprintf("every namespace of the cluster of %s", [r.address]), "stores": sort([s.address | some s in _stores_on(cluster)]), "ranks": _own_ranks(r) | _cluster_ranks(cluster)}

_own_ranks(r) := {cls.class_rank[cls.data_class(r)]} if cls.data_class(r) else := set()

# ---------------------------------------------------------------------------------------
# Edge construction
# ---------------------------------------------------------------------------------------

# One edge from its parts and one resolved destination node (lib/network.rego).
edge(kind, mechanism, r, node, source, encrypted, encryption) := {
	"kind": kind,
	"mechanism": mechanism,
	"resource": r.address,
	"source": source.text,
	"source_stores": source.stores,
	"destination": _destination_text(node),
	"destination_kind": node.kind,
	"destination_resource": node.resource,
	"destination_store": _store_or_null(node.resource),
	"site": node.site,
	"jurisdiction": node.jurisdiction,
	"where": node.where,
	"local": _is_kz(node.jurisdiction),
	"class": class,
	"personal": _personal(class),
	"encrypted": encrypted,
	"encryption": encryption,
} if {
	class := class_of(source.ranks)
}

_is_kz(j) := true if j == "KZ" else := false

_destination_text(node) := concat(":", [node.host, node.port]) if {
	node.port != ""
	not contains(node.host, ":")
} else := node.host

_store_or_null(a) := a if {
	a != null
	stores.store_kind(plan.by_address[a])
} else := null

# ---------------------------------------------------------------------------------------
# Backups: a store's own backup sections, Barman Cloud ObjectStores, operators' backup resources
# ---------------------------------------------------------------------------------------

# Paths of a store's values that describe where it copies data from, not where it backs up to.
_not_backup_words := {"externalclusters", "external_clusters", "replica", "bootstrap", "recovery", "origin", "standby", "replicatefrom", "clone"}

_backup_path(path) if {
	some p in path
	is_string(p)
	some w in {"backup", "barmanobjectstore", "storages"}
	contains(lower(p), w)
	not _source_path(path)
}

_source_path(path) if {
	some p in path
	is_string(p)
	lower(p) in _not_backup_words
}

# Backup sections of a store's values with a destination: [path, url, encrypted]; an outer
# section that names the destination wins over the parts inside it.
_backup_sections(r) := {[path, url, _backup_encrypted(node)] |
	values := settings.values_of(r)
	some [path, node, url] in _candidate_sections(values)
	not _inside_candidate(values, path)
	not helm.disabled_along(values, path)
}

_candidate_sections(values) := {[path, node, url] |
	walk(values, [path, node])
	is_object(node)
	_backup_path(path)
	url := settings.object_store_url(node)
}

_inside_candidate(values, path) if {
	count(path) > 1
	some i in numbers.range(1, count(path) - 1)
	prefix := array.slice(path, 0, i)
	node := object.get(values, prefix, null)
	is_object(node)
	_backup_path(prefix)
	settings.object_store_url(node)
}

_backup_encrypted(node) := true if {
	some part in ["data", "wal"]
	e := node[part].encryption
	is_string(e)
	e != ""
} else := true if {
	node.encryption == true
} else := true if {
	is_string(node.encryption)
	node.encryption != ""
} else := true if {
	some k in ["serverSideEncryption", "sse", "kmsKeyId", "kms_key_id", "encryptionKey", "kmsKeyName"]
	v := node[k]
	v != ""
	v != false
} else := false

_encryption_text(true) := "encrypted at the destination (backup encryption set)"

_encryption_text(false) := "no backup encryption"

backup_edges contains e if {
	some r in stores.stores
	some [_, url, encrypted] in _backup_sections(r)
	some node in network.resolve(r, url)
	e := object.union(edge("backup", sprintf("%s backup section", [stores.engine(r)]), r, node, store_source(r), encrypted, _encryption_text(encrypted)), {"destination": url})
}

# Barman Cloud ObjectStores (barmancloud.cnpg.io) by namespace, and the clusters that use them.
_object_stores := [r | some r in network.custom_resources; kube.api_group(r) == "barmancloud.cnpg.io"; kube.kind(r) == "ObjectStore"]

object_stores_named(cluster, ns, name) := [o | some o in _object_stores; _name_key(o) == [cluster, ns, name]]

_name_key(r) := [network.cluster(r), kube.namespace(r), kube.name(r)]

# Names of the ObjectStores a CloudNativePG cluster uses through the plugin (Cluster spec.plugins,
# the cluster chart's cluster.plugins), and those its Backup/ScheduledBackup resources use.
_plugin_object_store_names(r) := {n |
	some p in _plugins(r)
	is_object(p)
	contains(object.get(p, "name", ""), "barman-cloud")
	n := p.parameters.barmanObjectName
	is_string(n)
}

_plugins(r) := object.get(helm.values(r), ["cluster", "plugins"], []) if r.type == "helm_release"

_plugins(r) := object.get(kube.spec(r), "plugins", []) if r.type != "helm_release"

_cnpg_backup_requests := [b | some b in network.custom_resources; kube.api_group(b) == "postgresql.cnpg.io"; kube.kind(b) in {"Backup", "ScheduledBackup"}]

# The store a CloudNativePG Backup/ScheduledBackup (or an operator's backup resource) names.
_named_store(b, name) := [s |
	some s in stores_in(network.cluster(b), kube.namespace(b))
	name in _store_names(s)
]

_store_names(s) := {kube.name(s), object.get(helm.values(s), "fullnameOverride", "")} if s.type == "helm_release"

_store_names(s) := {kube.name(s)} if s.type != "helm_release"

_object_store_users contains [o, s] if {
	some s in stores.stores
	some n in _plugin_object_store_names(s)
	some o in object_stores_named(network.cluster(s), kube.namespace(s), n)
}

_object_store_users contains [o, s] if {
	some b in _cnpg_backup_requests
	n := kube.spec(b).pluginConfiguration.parameters.barmanObjectName
	is_string(n)
	some o in object_stores_named(network.cluster(b), kube.namespace(b), n)
	some s in _named_store(b, kube.spec(b).cluster.name)
}

backup_edges contains e if {
	some [o, s] in _object_store_users
	config := kube.spec(o).configuration
	url := settings.object_store_url(config)
	encrypted := _backup_encrypted(config)
	some node in network.resolve(o, url)
	e := object.union(edge("backup", "barman-cloud ObjectStore", o, node, store_source(s), encrypted, _encryption_text(encrypted)), {"destination": url})
}

# Operators' backup resources (MariaDB Backup, Percona backups, ...): a custom resource whose
# kind names a backup, which names its cluster and a destination.
_cluster_ref_paths := [["mariaDbRef", "name"], ["cluster", "name"], ["clusterName"], ["pxcCluster"], ["sgCluster"], ["postgresClusterName"], ["clusterRef", "name"], ["databaseRef", "name"]]

backup_edges contains e if {
	some b in network.custom_resources
	regex.match(`(?i)backup`, kube.kind(b))
	not kube.api_group(b) in {"postgresql.cnpg.io", "velero.io", "barmancloud.cnpg.io"}
	spec := kube.spec(b)
	some path in _cluster_ref_paths
	name := object.get(spec, path, null)
	is_string(name)
	some s in _named_store(b, name)
	some [_, node0, url] in _candidate_sections({"backup": spec})
	encrypted := _backup_encrypted(node0)
	some node in network.resolve(b, url)
	e := object.union(edge("backup", sprintf("%s %s", [kube.api_group(b), kube.kind(b)]), b, node, store_source(s), encrypted, _encryption_text(encrypted)), {"destination": url})
}

# ---------------------------------------------------------------------------------------
# Dumps: jobs that run a dump tool and send its output to an object store or URL
# ---------------------------------------------------------------------------------------

_dump_tool := `(?:^|[\s;|&(/'"=])(pg_dump|pg_dumpall|pg_basebackup|pgbackrest|pg_probackup|mysqldump|mariadb-dump|mysqlpump|mydumper|xtrabackup|mariabackup|mongodump|mongoexport|clickhouse-backup|elasticdump|wal-g\s+backup-push|barman-cloud-backup|redis-cli\s[^|;&\n]*--rdb|etcdctl\s[^|;&\n]*snapshot\s+save)\b`

_job_kinds := {"CronJob", "Job", "Deployment", "StatefulSet", "DaemonSet", "Pod"}

_jobs := [r | some r in plan.resources; kube.kind(r) in _job_kinds]

# A container's text: its command line and its plain environment values.
_container_text(c) := concat("\n", array.concat([kube.command_line(c)], [sprintf("%s=%s", [k, v]) | some k, v in kube.env_values(c)]))

_dump_containers contains [j, c, text] if {
	some j in _jobs
	some c in kube.containers(j)
	text := _container_text(c)
	regex.match(_dump_tool, text)
}

_url_pattern := `(?i)\b((?:s3|s3a|gs|gcs|azure|az|https?|ftps?|sftp|swift|b2|r2|oss|webdav)://[^\s'"|;&)<>]+)`

_endpoint_flag := `(?i)--(?:endpoint-url|endpoint|s3-endpoint|host-base)[= ]([^\s'"|;&]+)`

_endpoint_env := `(?i)^(AWS_ENDPOINT_URL(_S3)?|S3_ENDPOINT(_URL)?|MINIO_ENDPOINT|ENDPOINT_URL|BACKUP_ENDPOINT|RCLONE_CONFIG_[A-Z0-9_]+_ENDPOINT)$`

# The endpoint an object-store client in the container talks to (flag or environment).
_dump_endpoint(c, text) := e if {
	es := [m[1] | some m in regex.find_all_string_submatch_n(_endpoint_flag, text, -1)]
	count(es) > 0
	e := es[0]
} else := e if {
	es := [v | some k, v in kube.env_values(c); regex.match(_endpoint_env, k)]
	count(es) > 0
	e := es[0]
}

_dump_region(c, text) := r if {
	rs := [m[1] | some m in regex.find_all_string_submatch_n(`--region[= ]([a-z0-9-]+)`, text, -1)]
	count(rs) > 0
	r := rs[0]
} else := r if {
	rs := [v | some k, v in kube.env_values(c); k in {"AWS_REGION", "AWS_DEFAULT_REGION"}]
	count(rs) > 0
	r := rs[0]
}

# Database connection URIs and hosts the dump reads from (not destinations).
_db_uri := `(?i)\b(?:postgres|postgresql|mysql|mariadb|mongodb|mongodb\+srv|redis|rediss)://(?:[^@/\s'"]*@)?([^/:?\s'",]+)`

_db_hosts(c, text) := ({m[1] | some m in regex.find_all_string_submatch_n(_db_uri, text, -1)} | {m[2] |
	some m in regex.find_all_string_submatch_n(`(?i)(pg_dump|pg_dumpall|pg_basebackup|mysqldump|mariadb-dump|mydumper|mongodump|mongoexport|redis-cli|xtrabackup|mariabackup|psql|mysql)\b[^|;&\n]*?(?:\s-h\s*|\s--host[= ])([^\s'"|;&]+)`, text, -1)
}) | {v | some k, v in kube.env_values(c); regex.match(`(?i)^(PGHOST|MYSQL_HOST|MARIADB_HOST|MONGO_HOST|MONGODB_HOST|REDIS_HOST|DB_HOST|DATABASE_HOST)$`, k)}

# Where a dump goes: URLs in its command and environment (an s3:// bucket through the endpoint
# the client is given, else AWS S3 in the region it is given), and scp/rsync destinations.
_dump_destinations(c, text) := {_bucket_through(c, text, u) |
	some m in regex.find_all_string_submatch_n(_url_pattern, text, -1)
	u := trim_right(m[1], ",.")
	not _is_endpoint_itself(c, text, u)
	not hostnames.parse(u).host in _db_hosts(c, text)
} | {sprintf("sftp://%s", [m[1]]) |
	some m in regex.find_all_string_submatch_n(`(?:\bscp|\brsync|\bsftp)\s[^|;&\n]*?[A-Za-z0-9_.-]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,}):`, text, -1)
}

_is_endpoint_itself(c, text, u) if u == _dump_endpoint(c, text)

_bucket_through(c, text, u) := url if {
	hostnames.bucket_schemes[lower(split(u, "://")[0])]
	e := _dump_endpoint(c, text)
	url := concat("/", [trim_right(e, "/"), substring(u, indexof(u, "://") + 3, -1)])
} else := url if {
	lower(split(u, "://")[0]) in {"s3", "s3a", "s3n"}
	region := _dump_region(c, text)
	url := sprintf("https://s3.%s.amazonaws.com/%s", [region, substring(u, indexof(u, "://") + 3, -1)])
} else := u

_dump_encrypted(text) if regex.match(`(?i)(\bgpg2?\b[^|;&\n]*(\s-e\b|--encrypt|\s-c\b|--symmetric|\s-r\b|--recipient)|\bage\b[^|;&\n]*(\s-r\b|\s-R\b|\s-p\b|--recipient|--passphrase|\s-e\b)|\bopenssl\s+(enc|smime|cms)\b|--sse(-c)?\b|--server-side-encryption|\brestic\b|\bkopia\b|--client-side-encryption|WALG_(LIBSODIUM|PGP)_KEY)`, text)

_dump_encryption(text) := "encrypted before it leaves (gpg, age, openssl, restic/kopia or server-side encryption)" if {
	_dump_encrypted(text)
} else := "not encrypted"

_dump_source(j, c, text) := source if {
	found := {s |
		some h in _db_hosts(c, text)
		some n in network.resolve(j, h)
		n.resource != null
		s := plan.by_address[n.resource]
		stores.store_kind(s)
	}
	count(found) > 0
	source := stores_source(found, null)
} else := namespaces_source(j, network.cluster(j), [kube.namespace(j)])

dump_edges contains e if {
	some [j, c, text] in _dump_containers
	tool := regex.find_all_string_submatch_n(_dump_tool, text, 1)[0][1]
	some url in _dump_destinations(c, text)
	some node in network.resolve(j, url)
	encrypted := _dump_encrypted_flag(text)
	e := object.union(edge("dump", split(tool, " ")[0], j, node, _dump_source(j, c, text), encrypted, _dump_encryption(text)), {"destination": url})
}

_dump_encrypted_flag(text) := true if _dump_encrypted(text) else := false

_location_encrypted_flag(l) := true if _location_encrypted(l) else := false

_far_end_kz_flag(route) := true if _far_end_kz(route) else := false

_cuttable_flag(g, route) := true if _cuttable(g, route) else := false

# ---------------------------------------------------------------------------------------
# Velero: file-system backups of namespaces to a BackupStorageLocation
# ---------------------------------------------------------------------------------------

_velero_crs := [r | some r in network.custom_resources; kube.api_group(r) == "velero.io"]

_velero_charts := [r | some r in network.releases; helm.chart_name(r) == "velero"]

# Storage locations: {name, default, provider, bucket, prefix, config, resource}.
_locations contains l if {
	some r in _velero_crs
	kube.kind(r) == "BackupStorageLocation"
	spec := kube.spec(r)
	l := {"name": kube.name(r), "default": object.get(spec, "default", false) == true, "provider": lower(object.get(spec, "provider", "")), "bucket": object.get(spec, ["objectStorage", "bucket"], ""), "prefix": object.get(spec, ["objectStorage", "prefix"], ""), "config": object.get(spec, "config", {}), "resource": r, "cluster": network.cluster(r)}
}

_locations contains l if {
	some r in _velero_charts
	v := helm.values(r)
	bsls := _as_list(object.get(v, ["configuration", "backupStorageLocation"], []))
	some i, bsl in bsls
	l := {"name": object.get(bsl, "name", "default"), "default": _chart_default(bsls, i), "provider": lower(object.get(bsl, "provider", object.get(v, ["configuration", "provider"], ""))), "bucket": object.get(bsl, "bucket", ""), "prefix": object.get(bsl, "prefix", ""), "config": object.get(bsl, "config", {}), "resource": r, "cluster": network.cluster(r)}
}

# The chart's default location: the one marked default, else the first.
_chart_default(bsls, i) := true if {
	bsls[i]["default"] == true
} else := true if {
	i == 0
	count([b | some b in bsls; b["default"] == true]) == 0
} else := false

_as_list(x) := x if is_array(x)

_as_list(x) := [x] if is_object(x)

_as_list(x) := [] if {
	not is_array(x)
	not is_object(x)
}

# Where a storage location's objects go.
location_url(l) := concat("/", [trim_right(u, "/"), l.bucket]) if {
	u := object.get(l.config, "s3Url", "")
	u != ""
} else := sprintf("https://s3.%s.amazonaws.com/%s", [l.config.region, l.bucket]) if {
	l.provider in {"aws", "velero.io/aws"}
	is_string(l.config.region)
} else := sprintf("gs://%s", [l.bucket]) if {
	l.provider in {"gcp", "velero.io/gcp"}
} else := sprintf("https://%s.blob.core.windows.net/%s", [l.config.storageAccount, l.bucket]) if {
	l.provider in {"azure", "velero.io/azure"}
	is_string(l.config.storageAccount)
} else := sprintf("s3://%s", [l.bucket])

_location_encrypted(l) if {
	some k in ["kmsKeyId", "serverSideEncryption", "customerKeyEncryptionFile", "kmsKeyName", "encryptionKeyId"]
	object.get(l.config, k, "") != ""
}

# Backups Velero runs: {namespaces, excluded, location (name or ""), fs, resource, cluster}.
_velero_runs contains b if {
	some r in _velero_crs
	kube.kind(r) in {"Schedule", "Backup"}
	t := _velero_template(r)
	b := {"namespaces": object.get(t, "includedNamespaces", ["*"]), "location": object.get(t, "storageLocation", ""), "fs": _fs_backup(t, network.cluster(r)), "resource": r, "cluster": network.cluster(r)}
}

_velero_runs contains b if {
	some r in _velero_charts
	some _, sched in object.get(helm.values(r), "schedules", {})
	is_object(sched)
	not sched.disabled == true
	t := object.get(sched, "template", {})
	b := {"namespaces": object.get(t, "includedNamespaces", ["*"]), "location": object.get(t, "storageLocation", ""), "fs": _fs_backup(t, network.cluster(r)), "resource": r, "cluster": network.cluster(r)}
}

# A server configured to back up every pod volume by file system, with no schedule in the plan:
# every backup (run by hand or by a schedule elsewhere) copies every namespace's volumes.
_velero_runs contains b if {
	some r in _velero_charts
	_server_fs(network.cluster(r))
	count(object.get(helm.values(r), "schedules", {})) == 0
	b := {"namespaces": ["*"], "location": "", "fs": true, "resource": r, "cluster": network.cluster(r)}
}

_velero_template(r) := kube.spec(r).template if kube.kind(r) == "Schedule"

_velero_template(r) := kube.spec(r) if kube.kind(r) == "Backup"

_server_fs(cluster) if {
	some r in _velero_charts
	network.cluster(r) == cluster
	some k in ["defaultVolumesToFsBackup", "defaultVolumesToRestic"]
	object.get(helm.values(r), ["configuration", k], false) in {true, "true"}
}

# Whether a backup copies pod volumes' files (and so the data in them) to its location.
_fs_backup(t, cluster) := true if {
	some k in ["defaultVolumesToFsBackup", "defaultVolumesToRestic", "snapshotMoveData"]
	t[k] == true
} else := true if {
	not t.defaultVolumesToFsBackup == false
	not t.defaultVolumesToRestic == false
	_server_fs(cluster)
} else := false

_run_locations(b) := {l | some l in _locations; l.cluster == b.cluster; l.name == b.location} if {
	b.location != ""
} else := ls if {
	ls := {l | some l in _locations; l.cluster == b.cluster; l["default"] == true}
	count(ls) > 0
} else := {l | some l in _locations; l.cluster == b.cluster}

volume_backup_edges contains e if {
	some b in _velero_runs
	b.fs == true
	some l in _run_locations(b)
	url := location_url(l)
	encrypted := _location_encrypted_flag(l)
	some node in network.resolve(l.resource, url)
	source := namespaces_source(b.resource, b.cluster, _velero_namespaces(b))
	e := object.union(edge("volume-backup", "velero file-system backup", b.resource, node, source, encrypted, _velero_encryption(encrypted)), {"destination": url, "storage_location": l.resource.address})
}

_velero_namespaces(b) := ["*"] if {
	some n in b.namespaces
	n == "*"
} else := b.namespaces

_velero_encryption(true) := "server-side encryption set on the storage location"

_velero_encryption(false) := "no encryption set on the storage location (Kopia's default repository password is not a secret)"

# ---------------------------------------------------------------------------------------
# Replication: what a store copies from, followed through gateways to the source
# ---------------------------------------------------------------------------------------

# Where a replica's connection leads: {nodes (the source side), encrypted, encryption,
# registered (the far end is proven on a Kazakh site), cuttable (a gateway on a Kazakh site is on
# the path, so the kill switch can cut it), through (gateways), fed_from (text)}.
_chains(r, src) := {c |
	src.host != ""
	target := _host_port(src)
	some n in network.resolve(r, target)
	some c in _chain_from(r, src, n)
} | {c |
	src.object_store != null
	is_string(src.object_store)
	some n in network.resolve(r, src.object_store)
	c := object.union(_direct_chain(r, src, n, _https(src.object_store)), {"object_store": src.object_store})
} | {c |
	src.host == ""
	src.object_store == null
	name := src.object_store_name
	some o in object_stores_named(network.cluster(r), kube.namespace(r), name)
	url := settings.object_store_url(kube.spec(o).configuration)
	some n in network.resolve(o, url)
	c := object.union(_direct_chain(r, src, n, _https(url)), {"object_store": url})
}

_host_port(src) := src.host if contains(src.host, ":")

_host_port(src) := concat(":", [src.host, src.port]) if {
	not contains(src.host, ":")
	src.port != ""
}

_host_port(src) := src.host if {
	not contains(src.host, ":")
	src.port == ""
}

_https(url) := true if startswith(lower(url), "https://") else := false

_client_verified(src) := true if src.sslmode in {"verify-full", "verify-ca"} else := false

# Through a gateway of the same cluster: the gateway's routes.
_chain_from(r, src, n) := {c |
	n.resource != null
	g := plan.by_address[n.resource]
	tunnels.is_gateway(g)
	some route in tunnels.routes(g)
	_route_serves(route, n)
	c := {
		"nodes": route.nodes,
		"encrypted": _or(_client_verified(src), route.hop.encrypted),
		"encryption": _chain_encryption(src, route.hop),
		"registered": _far_end_kz_flag(route),
		"cuttable": _cuttable_flag(g, route),
		"through": [x | some x in [g.address, route.peer]; x != null],
		"fed_from": _fed_from_text(g, route),
		"object_store": null,
	}
} if {
	n.resource != null
	tunnels.is_gateway(plan.by_address[n.resource])
} else := {_direct_chain(r, src, n, _client_verified(src))}

_route_serves(route, n) if route.hop.listen == n.port

_route_serves(route, n) if route.hop.listen == ""

_route_serves(_, n) if n.port == ""

_far_end_kz(route) if route.peer_jurisdiction == "KZ"

_far_end_kz(route) if {
	route.peer == null
	count(route.nodes) > 0
	every n in route.nodes {
		n.jurisdiction == "KZ"
	}
}

_cuttable(g, _) if location.in_kz(g)

_cuttable(_, route) if route.peer_jurisdiction == "KZ"

_fed_from_text(g, route) := sprintf("gateway %s (%s) and its peer %s", [g.address, route.hop.how, route.peer]) if {
	route.peer != null
} else := sprintf("gateway %s (%s) to %s", [g.address, route.hop.how, route.hop.target])

_chain_encryption(src, hop) := sprintf("%s, and the client verifies TLS end to end (sslmode %s)", [hop.how, src.sslmode]) if {
	_client_verified(src)
} else := hop.how

_direct_chain(_, src, n, encrypted) := {
	"nodes": {n},
	"encrypted": encrypted,
	"encryption": _direct_encryption(src, encrypted),
	"registered": _is_kz(n.jurisdiction),
	"cuttable": false,
	"through": [],
	"fed_from": n.where,
	"object_store": null,
}

_direct_encryption(src, true) := sprintf("TLS verified by the client (sslmode %s)", [src.sslmode]) if src.sslmode != ""

_direct_encryption(src, true) := "HTTPS" if src.sslmode == ""

_direct_encryption(src, false) := sprintf("the client does not verify TLS (sslmode %s)", [_shown(src.sslmode)])

_shown("") := "not set: libpq's default prefer"

_shown(x) := x if x != ""

_or(a, b) := true if {
	some x in [a, b]
	x == true
} else := false

# The stores a chain reaches: stores at its nodes, and, for an object store, the stores whose
# backups go there.
_chain_stores(c) := {s |
	some n in c.nodes
	n.resource != null
	s := plan.by_address[n.resource]
	stores.store_kind(s)
} | {s |
	is_string(c.object_store)
	some b in backup_edges
	_same_object_store(b.destination, c.object_store)
	some a in b.source_stores
	s := plan.by_address[a]
}

# Two object-store URLs name the same place when one is at or below the other.
_same_object_store(a, b) if endpoint.under(a, b)

_same_object_store(a, b) if endpoint.under(b, a)

_same_object_store(a, b) if {
	x := trim_right(a, "/")
	y := trim_right(b, "/")
	some [p, q] in [[x, y], [y, x]]
	startswith(concat("", [p, "/"]), concat("", [q, "/"]))
}

replication_edges contains e if {
	some r in stores.stores
	some src in settings.replica_sources(r)
	some c in _chains(r, src)
	source := stores_source(_chain_stores(c), {"text": c.fed_from, "stores": [], "ranks": set()})
	node := network.object_node(r, kube.name(r), "", [])
	e := object.union(edge(_copy_kind(src), src.mechanism, r, node, source, c.encrypted, c.encryption), {
		"destination": r.address,
		"standby": src.standby,
		"fed_from": c.fed_from,
		"registered": c.registered,
		"cuttable": c.cuttable,
		"through": c.through,
		"source_jurisdictions": sort({n.jurisdiction | some n in c.nodes; n.jurisdiction != null}),
	})
}

_copy_kind(src) := "replication" if {
	not startswith(src.mechanism, "cnpg-import")
} else := "logical-replication"

# ---------------------------------------------------------------------------------------
# Logical replication: subscriptions, and external clusters a cluster can copy from
# ---------------------------------------------------------------------------------------

_subscriptions := [s | some s in network.custom_resources; kube.api_group(s) == "postgresql.cnpg.io"; kube.kind(s) == "Subscription"]

# A CloudNativePG Subscription: the subscriber cluster copies the publication of the external
# cluster it names.
logical_edges contains e if {
	some sub in _subscriptions
	spec := kube.spec(sub)
	some subscriber in _named_store(sub, spec.cluster.name)
	c := external_cluster_of(subscriber, spec.externalClusterName)
	some e in _external_cluster_edges(sub, subscriber, c, "cnpg-subscription")
}

# External clusters not used for replica mode or bootstrap: a source the cluster can import from
# or subscribe to at any time.
logical_edges contains e if {
	some r in stores.stores
	some c in _external_clusters(r)
	not c.name in _used_external_clusters(r)
	not _subscribed(r, c.name)
	some e in _external_cluster_edges(r, r, c, "cnpg-external-cluster")
}

# CREATE SUBSCRIPTION ... CONNECTION '...' in a store's own SQL (post-init SQL, init scripts).
logical_edges contains e if {
	some r in stores.stores
	walk(settings.values_of(r), [_, text])
	is_string(text)
	contains(upper(text), "CREATE SUBSCRIPTION")
	some m in regex.find_all_string_submatch_n(`(?is)create\s+subscription\s+[^;]*?connection\s+'([^']*)'`, text, -1)
	ci := settings.conninfo(m[1])
	is_string(ci.host)
	src := {"mechanism": "create-subscription", "host": ci.host, "port": object.get(ci, "port", "5432"), "sslmode": lower(object.get(ci, "sslmode", "prefer")), "object_store": null, "standby": false}
	some c in _chains(r, src)
	e := _copy_edge(r, r, src, c, "logical-replication")
}

_external_clusters(r) := object.get(kube.spec(r), "externalClusters", []) if kube.api_group(r) == "postgresql.cnpg.io"

_external_clusters(r) := object.get(helm.values(r), "externalClusters", []) if r.type == "helm_release"

external_cluster_of(r, name) := c if {
	some c in _external_clusters(r)
	c.name == name
}

_used_external_clusters(r) := {n |
	spec := kube.spec(r)
	some n in [object.get(spec, ["replica", "source"], ""), object.get(spec, ["bootstrap", "pg_basebackup", "source"], ""), object.get(spec, ["bootstrap", "recovery", "source"], ""), object.get(spec, ["bootstrap", "initdb", "import", "source", "externalCluster"], "")]
	n != ""
}

_subscribed(r, name) if {
	some sub in _subscriptions
	kube.spec(sub).externalClusterName == name
	some s in _named_store(sub, kube.spec(sub).cluster.name)
	s.address == r.address
}

_external_cluster_edges(at, subscriber, c, mechanism) := {e |
	p := c.connectionParameters
	is_string(p.host)
	src := {"mechanism": mechanism, "host": p.host, "port": _text(object.get(p, "port", "")), "sslmode": lower(object.get(p, "sslmode", "")), "object_store": null, "standby": false}
	some ch in _chains(subscriber, src)
	e := _copy_edge(at, subscriber, src, ch, "logical-replication")
}

_text(x) := x if is_string(x)

_text(x) := sprintf("%v", [x]) if not is_string(x)

_copy_edge(at, receiver, src, c, kind) := object.union(edge(kind, src.mechanism, at, network.object_node(receiver, kube.name(receiver), "", []), stores_source(_chain_stores(c), {"text": c.fed_from, "stores": [], "ranks": set()}), c.encrypted, c.encryption), {
	"destination": receiver.address,
	"standby": false,
	"fed_from": c.fed_from,
	"registered": c.registered,
	"cuttable": c.cuttable,
	"through": c.through,
	"source_jurisdictions": sort({n.jurisdiction | some n in c.nodes; n.jurisdiction != null}),
})

# ---------------------------------------------------------------------------------------
# Log shipping (lib/logship.rego parses the shippers' configuration)
# ---------------------------------------------------------------------------------------

log_edges contains e if {
	some o in data.kz.lib.logship.outputs
	r := plan.by_address[o.resource]
	some node in network.resolve(r, o.destination)
	source := namespaces_source(r, network.cluster(r), o.namespaces)
	e := object.union(edge("log-shipping", o.shipper, r, node, source, o.encrypted, o.encryption), {"destination": o.destination, "output": o.output, "namespaces": sort(o.namespaces)})
}

# ---------------------------------------------------------------------------------------
# Service aliases: names in a namespace that lead outside the cluster
# ---------------------------------------------------------------------------------------

alias_edges contains e if {
	some s in network.services
	target := _alias_target(s)
	some node in network.resolve(s, target)
	node.kind != "namespace"
	not _same_cluster_node(s, node)
	e := object.union(edge("service-alias", _alias_mechanism(s), s, node, namespaces_source(s, network.cluster(s), [kube.namespace(s)]), false, "whatever the client uses (an alias encrypts nothing)"), {"alias": sprintf("%s.%s.svc", [kube.name(s), kube.namespace(s)])})
}

_alias_target(s) := kube.external_name(s)

_alias_target(s) := kube.name(s) if {
	not kube.external_name(s)
	count(kube.service_selector(s)) == 0
}

_alias_mechanism(s) := "ExternalName Service" if kube.external_name(s)

_alias_mechanism(s) := "Service backed by Endpoints" if not kube.external_name(s)

_same_cluster_node(s, node) if {
	node.cluster != null
	node.cluster == network.cluster(s)
}

alias_edges contains e if {
	some se in network.custom_resources
	kube.api_group(se) == "networking.istio.io"
	kube.kind(se) == "ServiceEntry"
	spec := kube.spec(se)
	not object.get(spec, "location", "MESH_EXTERNAL") == "MESH_INTERNAL"
	some h in object.get(spec, "hosts", [])
	is_string(h)
	some node in network.resolve(se, h)
	not _same_cluster_node(se, node)
	e := object.union(edge("service-alias", "Istio ServiceEntry", se, node, namespaces_source(se, network.cluster(se), _entry_namespaces(se)), false, "whatever the client uses (an alias encrypts nothing)"), {"alias": h})
}

# A ServiceEntry applies to the namespaces it is exported to ("*" or none: every namespace; "."
# its own); one in the mesh's root namespace (istio-system) applies everywhere.
_entry_namespaces(se) := ["*"] if {
	kube.namespace(se) == "istio-system"
} else := ["*"] if {
	count(object.get(kube.spec(se), "exportTo", [])) == 0
} else := ["*"] if {
	"*" in object.get(kube.spec(se), "exportTo", [])
} else := [_export_ns(se, x) | some x in kube.spec(se).exportTo]

_export_ns(se, ".") := kube.namespace(se)

_export_ns(_, x) := x if x != "."

# ---------------------------------------------------------------------------------------
# Tunnels: a gateway's hop to another site carries what lies behind the far end
# ---------------------------------------------------------------------------------------

tunnel_edges contains e if {
	some g in tunnels.gateways
	some route in tunnels.routes(g)
	_crosses(g, route)
	reached := {s | some n in route.nodes; n.resource != null; s := plan.by_address[n.resource]; stores.store_kind(s)}
	source := stores_source(reached, {"text": sprintf("whatever %s reaches", [route.hop.target]), "stores": [], "ranks": {_unknown_rank}})
	node := network.object_node(g, kube.name(g), route.hop.listen, [])
	e := object.union(edge("tunnel", route.hop.profile, g, node, source, route.hop.encrypted, route.hop.how), {
		"destination": g.address,
		"target": route.hop.target,
		"peer": route.peer,
		"verified": route.hop.verified,
		"cuttable": _cuttable_flag(g, route),
		"source_jurisdictions": sort({j | some n in route.nodes; j := n.jurisdiction; j != null} | {j | j := route.peer_jurisdiction; j != null}),
	})
}

# A hop crosses a border when the gateway and what it reaches are not proven to be in one country.
_crosses(g, route) if {
	js := location.jurisdictions(g)
	far := {j | some n in route.nodes; j := n.jurisdiction} | {route.peer_jurisdiction | route.peer != null}
	some j in far
	not {j} == js
}

# ---------------------------------------------------------------------------------------
# Stores and the data they receive
# ---------------------------------------------------------------------------------------

# The class of a store with what it receives: its own, or the most protective class of the
# stores it copies from (a subscriber labelled case that receives personal tables is personal).
data_class(r) := class_of({_store_rank(r)} | {x | some e in inbound(r); some a in e.source_stores; x := _store_rank(plan.by_address[a])})

# Whether a store receives a copy of another store's data of a more protective class.
inherited_class(r) := c if {
	c := data_class(r)
	c != cls.class_text(r)
	c != "unclassified"
}

personal_store(r) if data_class(r) in cls.personal_classes

# Stores that hold personal data by their class or by what they receive.
personal_stores contains r if {
	some r in stores.stores
	personal_store(r)
}

# Personal-data stores (by class or by what they receive) proven to run outside Kazakhstan.
personal_abroad contains r if {
	some r in personal_stores
	location.abroad(r)
}

# Whether a store is a replica by its configuration (a hot standby: read-only).
replica(r) if settings.read_only(r)

# Cross-border edges: whatever leaves a Kazakh-proven source for a place not proven in Kazakhstan.
cross_border contains e if {
	some e in edges
	not e.local
	e.personal
}
