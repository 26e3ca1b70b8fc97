# METADATA
# title: The store inventory
# description: >-
#   Every resource of a plan that keeps data, whatever form it takes: database and data-store Helm
#   charts (recognised by the chart's own name, whichever repository, OCI registry or mirror it
#   comes from), application charts with a bundled database subchart enabled with persistence,
#   charts that declare a residency map; StatefulSets with volume claim templates and workloads
#   (StatefulSet, Deployment, DaemonSet, ReplicaSet, ReplicationController, Pod) with claim or
#   data hostPath volumes, in every resource form; PersistentVolumeClaims no workload of the plan
#   mounts; the custom resources of the major database operators; managed stores of AWS, Google
#   Cloud, Azure, Yandex Cloud and MongoDB Atlas; and any other cloud resource whose type names a
#   data store, or that declares a data class. Flows between stores and hosts sit beside this
#   inventory (lib/flows.rego) and refer to stores by address.
package kz.lib.stores

import data.kz.lib.classification as cls
import data.kz.lib.helm
import data.kz.lib.kube
import data.kz.lib.location
import data.kz.lib.plan

# ---------------------------------------------------------------------------------------
# Helm charts
# ---------------------------------------------------------------------------------------

# Words of chart names that make the chart a data store ("postgresql-ha", "mongodb-sharded",
# "bitnami-redis", "eck-elasticsearch").
chart_store_words := {
	"postgres", "postgresql", "postgis", "timescaledb", "mysql", "mariadb", "galera", "percona", "mongodb", "mongo",
	"redis", "valkey", "keydb", "dragonfly", "dragonflydb", "memcached", "cassandra", "scylla", "scylladb",
	"elasticsearch", "opensearch", "solr", "minio", "kafka", "pulsar", "rabbitmq", "nats", "clickhouse",
	"cockroachdb", "cockroach", "couchdb", "couchbase", "neo4j", "influxdb", "influxdb2", "etcd", "zookeeper",
	"tidb", "yugabyte", "yugabytedb", "vitess", "arangodb", "questdb", "ferretdb", "mssql", "oracle", "db2",
	"cnpg", "patroni", "spilo", "seaweedfs", "ceph",
}

# Words of chart names that make the chart something else (an operator, an exporter, a UI...).
chart_other_words := {
	"operator", "exporter", "ui", "admin", "express", "dashboard", "commander", "insight", "proxy",
	"pgbouncer", "pgpool", "client", "cli", "controller", "webhook", "crd", "crds", "backup", "connect",
	"connector", "sentinel-exporter", "monitor", "monitoring", "metrics", "stats", "browser", "web",
	"gateway", "bridge", "schema-registry", "registry", "manager", "mcp", "plugin", "barman", "kminion",
}

_chart_words(n) := {w | some w in regex.split(`[-_.]`, n); w != ""}

_store_chart_name(n) if {
	ws := _chart_words(n)
	count(ws & chart_store_words) > 0
	count(ws & chart_other_words) == 0
}

# The CloudNativePG "cluster" chart and the MinIO "tenant" chart have generic names: recognised by
# where they come from, or by the shape of their values.
_store_chart(r) if _store_chart_name(helm.chart_name(r))

_store_chart(r) if {
	helm.chart_name(r) == "cluster"
	some w in {"cloudnative-pg", "cnpg"}
	contains(concat(" ", [helm.repository(r), lower(object.get(r.values, "chart", ""))]), w)
}

_store_chart(r) if {
	helm.chart_name(r) == "cluster"
	lower(sprintf("%v", [object.get(helm.values(r), "type", "")])) in {"postgresql", "postgis", "timescaledb"}
}

_store_chart(r) if {
	helm.chart_name(r) == "cluster"
	is_object(helm.values(r).cluster)
	helm.values(r).cluster.instances
}

_store_chart(r) if {
	helm.chart_name(r) == "tenant"
	is_array(helm.values(r).tenant.pools)
}

# Charts the constructs and common platforms install that keep no data of their own.
non_store_charts := {"cloudnative-pg", "fluent-bit", "fluentd", "promtail", "vector", "ingress-nginx", "cert-manager", "external-dns", "loki", "grafana", "prometheus", "kube-prometheus-stack"}

# Keys of an application chart's values that switch on a bundled database subchart.
subcharts := {
	"postgresql", "postgresql-ha", "mysql", "mariadb", "mariadb-galera", "mongodb", "mongodb-sharded",
	"redis", "redis-cluster", "valkey", "valkey-cluster", "keydb", "minio", "elasticsearch", "opensearch",
	"cassandra", "kafka", "rabbitmq", "clickhouse", "couchdb", "influxdb", "neo4j", "timescaledb", "cockroachdb",
}

# Bundled database subcharts a release enables (`postgresql.enabled: true`, GitLab's
# `postgresql.install: true`), unless every persistence section under them is switched off.
enabled_subcharts(r) := {s |
	r.type == "helm_release"
	vals := helm.values(r)
	some s in subcharts
	sub := vals[s]
	is_object(sub)
	_switched_on(sub)
	not _persistence_off(sub)
}

_switched_on(sub) if sub.enabled in {true, "true"}

_switched_on(sub) if sub.install in {true, "true"}

_persistence_off(sub) if {
	nodes := [n | walk(sub, [path, n]); count(path) > 0; path[count(path) - 1] == "persistence"; is_object(n)]
	count(nodes) > 0
	every n in nodes {
		n.enabled in {false, "false"}
	}
}

_declares_residency(r) if {
	count(cls.residency_map(r)) > 0
	not helm.chart_name(r) in non_store_charts
	not contains(helm.chart_name(r), "operator")
	not lower(sprintf("%v", [object.get(cls.residency_map(r), "role", "")])) in {"gateway", "audit"}
}

# ---------------------------------------------------------------------------------------
# Operators' custom resources: API group -> kind -> engine
# ---------------------------------------------------------------------------------------

operator_kinds := {
	"postgresql.cnpg.io": {"Cluster": "postgresql"},
	"acid.zalan.do": {"postgresql": "postgresql"},
	"postgres-operator.crunchydata.com": {"PostgresCluster": "postgresql"},
	"pgv2.percona.com": {"PerconaPGCluster": "postgresql"},
	"pg.percona.com": {"PerconaPGCluster": "postgresql"},
	"stackgres.io": {"SGCluster": "postgresql", "SGShardedCluster": "postgresql", "SGDistributedLogs": "postgresql"},
	"kubedb.com": {
		"Postgres": "postgresql", "MySQL": "mysql", "MariaDB": "mariadb", "MongoDB": "mongodb", "Redis": "redis",
		"Elasticsearch": "elasticsearch", "Memcached": "memcached", "PerconaXtraDB": "mysql", "Kafka": "kafka",
		"Cassandra": "cassandra", "ClickHouse": "clickhouse", "Druid": "druid", "FerretDB": "mongodb",
		"MSSQLServer": "mssql", "RabbitMQ": "rabbitmq", "Singlestore": "singlestore", "Solr": "solr",
		"ZooKeeper": "zookeeper", "Pgpool": "postgresql", "Hazelcast": "hazelcast", "Ignite": "ignite",
		"Oracle": "oracle", "DB2": "db2", "Qdrant": "qdrant", "Weaviate": "weaviate", "Milvus": "milvus",
	},
	"psmdb.percona.com": {"PerconaServerMongoDB": "mongodb"},
	"pxc.percona.com": {"PerconaXtraDBCluster": "mysql"},
	"ps.percona.com": {"PerconaServerMySQL": "mysql"},
	"mongodbcommunity.mongodb.com": {"MongoDBCommunity": "mongodb"},
	"mongodb.com": {"MongoDB": "mongodb", "MongoDBMultiCluster": "mongodb"},
	"mysql.oracle.com": {"InnoDBCluster": "mysql"},
	"moco.cybozu.com": {"MySQLCluster": "mysql"},
	"k8s.mariadb.com": {"MariaDB": "mariadb"},
	"mariadb.mmontes.io": {"MariaDB": "mariadb"},
	"planetscale.com": {"VitessCluster": "vitess"},
	"pingcap.com": {"TidbCluster": "tidb"},
	"crdb.cockroachlabs.com": {"CrdbCluster": "cockroachdb"},
	"yugabyte.com": {"YBCluster": "yugabytedb"},
	"operator.yugabyte.io": {"YBUniverse": "yugabytedb"},
	"redis.redis.opstreelabs.in": {"Redis": "redis", "RedisCluster": "redis", "RedisReplication": "redis"},
	"databases.spotahome.com": {"RedisFailover": "redis"},
	"app.redislabs.com": {"RedisEnterpriseCluster": "redis", "RedisEnterpriseDatabase": "redis"},
	"dragonflydb.io": {"Dragonfly": "redis"},
	"k8ssandra.io": {"K8ssandraCluster": "cassandra"},
	"cassandra.datastax.com": {"CassandraDatacenter": "cassandra"},
	"scylla.scylladb.com": {"ScyllaCluster": "scylladb", "ScyllaDBCluster": "scylladb", "ScyllaDBDatacenter": "scylladb"},
	"kafka.strimzi.io": {"Kafka": "kafka", "KafkaNodePool": "kafka"},
	"elasticsearch.k8s.elastic.co": {"Elasticsearch": "elasticsearch"},
	"opensearch.opster.io": {"OpenSearchCluster": "opensearch"},
	"minio.min.io": {"Tenant": "minio"},
	"rabbitmq.com": {"RabbitmqCluster": "rabbitmq"},
	"clickhouse.altinity.com": {"ClickHouseInstallation": "clickhouse"},
	"clickhouse.com": {"ClickHouseCluster": "clickhouse"},
	"couchbase.com": {"CouchbaseCluster": "couchbase"},
	"database.arangodb.com": {"ArangoDeployment": "arangodb"},
	"solr.apache.org": {"SolrCloud": "solr"},
}

operator_engine(r) := operator_kinds[kube.api_group(r)][kube.kind(r)]

# ---------------------------------------------------------------------------------------
# Workloads with volumes
# ---------------------------------------------------------------------------------------

# hostPath locations that hold the node's system, not a workload's data.
system_host_paths := ["/proc", "/sys", "/dev", "/run", "/var/run", "/etc", "/lib/modules", "/usr", "/boot", "/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd", "/var/log", "/var/lib/cni", "/opt/cni", "/var/lib/calico", "/sys/fs/cgroup"]

_system_path(p) if {
	some s in system_host_paths
	p == s
}

_system_path(p) if {
	some s in system_host_paths
	startswith(p, concat("", [s, "/"]))
}

_system_path("/")

_data_workload_kinds := {"StatefulSet", "Deployment", "DaemonSet", "ReplicaSet", "ReplicationController", "Pod"}

# Volumes of a workload that keep data: claims, and hostPath outside the node's system paths
# that some container mounts writable.
data_volumes(r) := [v |
	kube.kind(r) in _data_workload_kinds
	writable := kube.writable_mounts(r)
	some v in kube.volumes(r)
	_keeps_data(v, writable)
]

_keeps_data(v, _) if v.claim != null

_keeps_data(v, writable) if {
	is_string(v.host_path)
	not _system_path(trim_right(v.host_path, "/"))
	v.name in writable
}

# Claims a workload of the plan mounts: [cluster, namespace, claim name] (an index).
_mounted_claims contains [kube.cluster_key(w), kube.namespace(w), v.claim] if {
	some w in plan.resources
	kube.kind(w) in _data_workload_kinds
	some v in kube.volumes(w)
	v.claim != null
}

# The PersistentVolumeClaims of the plan by [cluster, namespace, name] (an index).
claims_by_name[[kube.cluster_key(c), kube.namespace(c), kube.name(c)]] := c if {
	some c in plan.resources
	kube.kind(c) == "PersistentVolumeClaim"
}

# The claims of the plan a workload mounts.
mounted_claims(r) := [c |
	some v in kube.volumes(r)
	v.claim != null
	c := claims_by_name[[kube.cluster_key(r), kube.namespace(r), v.claim]]
]

# ---------------------------------------------------------------------------------------
# Managed cloud stores: type -> engine
# ---------------------------------------------------------------------------------------

cloud_store_types := {
	# AWS
	"aws_db_instance": "rds", "aws_rds_cluster": "aurora/rds-cluster", "aws_dynamodb_table": "dynamodb",
	"aws_dynamodb_global_table": "dynamodb", "aws_s3_bucket": "s3", "aws_s3_directory_bucket": "s3",
	"aws_s3tables_table_bucket": "s3-tables", "aws_glacier_vault": "glacier", "aws_elasticache_cluster": "elasticache",
	"aws_elasticache_replication_group": "elasticache", "aws_elasticache_serverless_cache": "elasticache",
	"aws_memorydb_cluster": "memorydb", "aws_docdb_cluster": "documentdb", "aws_docdb_elastic_cluster": "documentdb",
	"aws_neptune_cluster": "neptune", "aws_opensearch_domain": "opensearch", "aws_elasticsearch_domain": "elasticsearch",
	"aws_opensearchserverless_collection": "opensearch", "aws_redshift_cluster": "redshift",
	"aws_redshiftserverless_namespace": "redshift", "aws_keyspaces_keyspace": "keyspaces",
	"aws_timestreamwrite_database": "timestream", "aws_qldb_ledger": "qldb", "aws_efs_file_system": "efs",
	"aws_fsx_lustre_file_system": "fsx", "aws_fsx_windows_file_system": "fsx", "aws_fsx_ontap_file_system": "fsx",
	"aws_fsx_openzfs_file_system": "fsx", "aws_ebs_volume": "ebs", "aws_msk_cluster": "msk",
	"aws_msk_serverless_cluster": "msk", "aws_kinesis_stream": "kinesis", "aws_dax_cluster": "dax",
	"aws_lightsail_database": "lightsail-database", "aws_lightsail_bucket": "lightsail-bucket",
	"aws_cognito_user_pool": "cognito-user-pool",
	# Google Cloud
	"google_sql_database_instance": "cloud-sql", "google_alloydb_cluster": "alloydb", "google_spanner_instance": "spanner",
	"google_bigtable_instance": "bigtable", "google_firestore_database": "firestore", "google_storage_bucket": "cloud-storage",
	"google_bigquery_dataset": "bigquery", "google_redis_instance": "memorystore", "google_redis_cluster": "memorystore",
	"google_memcache_instance": "memorystore", "google_filestore_instance": "filestore", "google_compute_disk": "persistent-disk",
	"google_compute_region_disk": "persistent-disk", "google_healthcare_dataset": "healthcare",
	"google_firebase_database_instance": "firebase", "google_mongodb_cluster": "mongodb",
	# Azure
	"azurerm_postgresql_flexible_server": "postgresql", "azurerm_postgresql_server": "postgresql",
	"azurerm_mysql_flexible_server": "mysql", "azurerm_mysql_server": "mysql", "azurerm_mariadb_server": "mariadb",
	"azurerm_mssql_server": "sql-server", "azurerm_sql_server": "sql-server", "azurerm_mssql_managed_instance": "sql-server",
	"azurerm_sql_managed_instance": "sql-server", "azurerm_cosmosdb_account": "cosmos-db",
	"azurerm_cosmosdb_postgresql_cluster": "postgresql", "azurerm_mongo_cluster": "mongodb",
	"azurerm_storage_account": "storage-account", "azurerm_redis_cache": "redis", "azurerm_managed_redis": "redis",
	"azurerm_redis_enterprise_cluster": "redis", "azurerm_managed_disk": "managed-disk", "azurerm_synapse_workspace": "synapse",
	"azurerm_kusto_cluster": "data-explorer", "azurerm_healthcare_workspace": "healthcare",
	"azurerm_healthcare_service": "healthcare", "azurerm_data_lake_store": "data-lake",
	# Yandex Cloud
	"yandex_mdb_postgresql_cluster": "postgresql", "yandex_mdb_postgresql_cluster_v2": "postgresql",
	"yandex_mdb_sharded_postgresql_cluster": "postgresql", "yandex_mdb_mysql_cluster": "mysql",
	"yandex_mdb_mysql_cluster_v2": "mysql", "yandex_mdb_mongodb_cluster": "mongodb", "yandex_mdb_redis_cluster": "redis",
	"yandex_mdb_redis_cluster_v2": "redis", "yandex_mdb_clickhouse_cluster": "clickhouse",
	"yandex_mdb_clickhouse_cluster_v2": "clickhouse", "yandex_mdb_kafka_cluster": "kafka",
	"yandex_mdb_opensearch_cluster": "opensearch", "yandex_mdb_elasticsearch_cluster": "elasticsearch",
	"yandex_mdb_greenplum_cluster": "greenplum", "yandex_mdb_sqlserver_cluster": "sql-server",
	"yandex_ydb_database_dedicated": "ydb", "yandex_ydb_database_serverless": "ydb", "yandex_storage_bucket": "object-storage",
	"yandex_compute_disk": "disk", "yandex_compute_filesystem": "filesystem",
	# MongoDB Atlas
	"mongodbatlas_advanced_cluster": "mongodb", "mongodbatlas_cluster": "mongodb",
	"mongodbatlas_serverless_instance": "mongodb", "mongodbatlas_flex_cluster": "mongodb",
}

# Type names of other providers that name a data store, and the parts of a type that name
# something attached to one (a user, a rule, a policy ...).
_data_type_pattern := `(database|_db(_|$)|(^|_)sql|(^|_)(rds|aurora|docdb|neptune|redshift|spanner|bigtable|firestore|cosmosdb|memorydb|elasticache)(_|$)|mongo|redis|valkey|memcache|cassandra|dynamo|bucket|object_storage|datastore|warehouse|data_lake|datalake|kafka|elasticsearch|opensearch|clickhouse|(^|_)disk($|_)|volume|file_?system|ledger|keyspace)`

_attached_pattern := `_(user|users|role|grant|policy|acl|firewall|rule|rules|parameter|parameters|parameter_group|option_group|subnet_group|snapshot|backup|backups|configuration|config|attachment|association|iam|iam_binding|iam_member|iam_policy|key|keys|notification|versioning|public_access_block|ownership_controls|lifecycle|lifecycle_configuration|replication|endpoint|proxy|item|object|permission|access|access_point|tag|tags|log|logging|alarm|monitor|member|binding|secret|password|certificate|cors|website|metric|inventory|analytics|encryption|db|database|connection_pool|topic|index|schema|table|mount_target|pool|link|vpc|network|peering|private_endpoint|maintenance|window|event|subscription|cluster_instance|instance_group|shard|node|nodes|connection|ssl|tls|auth|acl_rule|whitelist|allowlist|ip_range)$`

_data_type(type) if {
	regex.match(_data_type_pattern, type)
	not regex.match(_attached_pattern, type)
}

# ---------------------------------------------------------------------------------------
# The inventory
# ---------------------------------------------------------------------------------------

# What kind of store a resource is (undefined: not a store).
store_kind(r) := "helm-chart" if {
	r.type == "helm_release"
	_store_chart(r)
} else := "helm-subchart" if {
	r.type == "helm_release"
	count(enabled_subcharts(r)) > 0
} else := "helm-declared" if {
	r.type == "helm_release"
	_declares_residency(r)
} else := "statefulset" if {
	kube.kind(r) == "StatefulSet"
	count(kube.claim_templates(r)) > 0
} else := "workload-volume" if {
	count(data_volumes(r)) > 0
} else := "pvc" if {
	kube.kind(r) == "PersistentVolumeClaim"
	not _mounted_claims[[kube.cluster_key(r), kube.namespace(r), kube.name(r)]]
} else := "operator" if {
	operator_engine(r)
} else := "cloud" if {
	cloud_store_types[r.type]
} else := "cloud" if {
	location.other_cloud(r)
	_data_type(r.type)
} else := "declared" if {
	not kube.is_kube(r)
	_data_type(r.type)
	count(cls.class_claims(r)) > 0
}

# What the store runs: the database engine or managed service, as far as the plan says.
engine(r) := operator_engine(r) if store_kind(r) == "operator"

engine(r) := cloud_store_types[r.type] if {
	store_kind(r) == "cloud"
	cloud_store_types[r.type]
}

engine(r) := _chart_engine(r) if store_kind(r) in {"helm-chart", "helm-declared"}

# The engine a chart installs: the first store word of its name, "postgresql" for the
# CloudNativePG cluster chart and "minio" for the MinIO tenant chart, else the chart's name.
_chart_engine(r) := "postgresql" if {
	helm.chart_name(r) == "cluster"
} else := "minio" if {
	helm.chart_name(r) == "tenant"
} else := e if {
	words := [w | some w in regex.split(`[-_.]`, helm.chart_name(r)); w in chart_store_words]
	count(words) > 0
	e := object.get(_engine_names, words[0], words[0])
} else := helm.chart_name(r)

_engine_names := {"postgres": "postgresql", "mongo": "mongodb", "cockroach": "cockroachdb", "scylla": "scylladb", "cnpg": "postgresql", "galera": "mariadb", "influxdb2": "influxdb", "yugabyte": "yugabytedb", "dragonflydb": "dragonfly"}

engine(r) := concat("+", sort(enabled_subcharts(r))) if store_kind(r) == "helm-subchart"

engine(r) := lower(kube.kind(r)) if store_kind(r) in {"statefulset", "workload-volume", "pvc"}

engine(r) := r.type if {
	store_kind(r) in {"cloud", "declared"}
	not cloud_store_types[r.type]
}

# Kubernetes stores run on a cluster; the others are managed by a cloud.
kubernetes_store(r) if {
	store_kind(r)
	kube.is_kube(r)
}

stores contains r if {
	some r in plan.resources
	store_kind(r)
}

kubernetes_stores contains r if {
	some r in stores
	kube.is_kube(r)
}

cloud_stores contains r if {
	some r in stores
	not kube.is_kube(r)
}

# Stores that hold personal data (personal, biometric, special).
personal_stores contains r if {
	some r in stores
	cls.personal(r)
}

# Kubernetes stores by [cluster, namespace] (an index for flows whose source is a namespace).
stores_by_namespace[[cluster, ns]] := {r | some r in kubernetes_stores; kube.cluster_key(r) == cluster; kube.namespace(r) == ns} if {
	some s in kubernetes_stores
	cluster := kube.cluster_key(s)
	ns := kube.namespace(s)
}

# Personal-data stores proven to run (at least partly) outside Kazakhstan.
personal_abroad contains r if {
	some r in personal_stores
	location.abroad(r)
}
