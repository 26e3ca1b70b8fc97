package kz.lib.stores_test

import data.kz.lib.plan
import data.kz.lib.stores

_rc(type, name, after) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "change": {"actions": ["create"], "after": after, "after_unknown": {}}}

_plan(changes) := {
	"format_version": "1.2",
	"configuration": {
		"provider_config": {"kubernetes": {"name": "kubernetes", "expressions": {"host": {"constant_value": "https://k8s.example.kz"}}}, "helm": {"name": "helm", "expressions": {"kubernetes": [{"host": {"constant_value": "https://k8s.example.kz"}}]}}},
		"root_module": {"resources": [{"address": c.address, "mode": "managed", "type": c.type, "name": c.name, "provider_config_key": split(c.type, "_")[0]} | some c in changes]},
	},
	"resource_changes": changes,
}

# {address: kind} of the stores of a plan
_kinds(changes) := k if {
	k := {r.address: stores.store_kind(r) | some r in stores.stores} with input as _plan(changes)
}

_helm(name, chart, repository, values) := _rc("helm_release", name, {"name": name, "chart": chart, "repository": repository, "namespace": name, "values": [json.marshal(values)]})

test_database_charts_by_name_whatever_the_repository if {
	_kinds([
		_helm("a", "postgresql", "https://nexus.corp.example/repository/helm-proxy", {}),
		_helm("b", "oci://registry-1.docker.io/bitnamicharts/mongodb", "", {}),
		_helm("c", "bitnami/redis-cluster", "", {}),
		_helm("d", "postgresql-ha", "oci://harbor.corp.example/charts", {}),
		_helm("e", "eck-elasticsearch", "https://helm.elastic.co", {}),
	]) == {"helm_release.a": "helm-chart", "helm_release.b": "helm-chart", "helm_release.c": "helm-chart", "helm_release.d": "helm-chart", "helm_release.e": "helm-chart"}
}

test_charts_that_keep_no_data if {
	_kinds([
		_helm("a", "prometheus-postgres-exporter", "", {}),
		_helm("b", "redis-operator", "", {}),
		_helm("c", "kafka-ui", "", {}),
		_helm("d", "mongo-express", "", {}),
		_helm("e", "cloudnative-pg", "https://cloudnative-pg.github.io/charts", {}),
		_helm("f", "ingress-nginx", "", {}),
		_helm("g", "pgadmin4", "", {}),
	]) == {}
}

test_generic_chart_names_recognised_by_values_or_origin if {
	_kinds([
		_helm("a", "cluster", "https://mirror.corp.example/helm", {"type": "postgresql", "cluster": {"instances": 3}}),
		_helm("b", "oci://ghcr.io/cloudnative-pg/charts/cluster", "", {}),
		_helm("c", "tenant", "https://mirror.corp.example/helm", {"tenant": {"pools": [{"servers": 4}]}}),
		_helm("d", "cluster", "https://mirror.corp.example/helm", {"nodes": 3}),
	]) == {"helm_release.a": "helm-chart", "helm_release.b": "helm-chart", "helm_release.c": "helm-chart"}
}

test_bundled_database_subcharts if {
	_kinds([
		_helm("keycloak", "keycloak", "", {"postgresql": {"enabled": true}}),
		_helm("gitlab", "gitlab", "", {"postgresql": {"install": true}}),
		_helm("cache-only", "app", "", {"redis": {"enabled": true, "master": {"persistence": {"enabled": false}}, "replica": {"persistence": {"enabled": false}}}}),
		_helm("external", "app", "", {"postgresql": {"enabled": false}, "externalDatabase": {"host": "db.example.kz"}}),
		_helm("plain", "app", "", {"replicaCount": 2}),
	]) == {"helm_release.keycloak": "helm-subchart", "helm_release.gitlab": "helm-subchart"}
	r := _helm("x", "app", "", {"postgresql": {"enabled": "true"}, "minio": {"enabled": true}})
	stores.engine(plan.by_address["helm_release.x"]) == "minio+postgresql" with input as _plan([r])
}

test_subchart_switched_on_by_a_set_block if {
	r := _rc("helm_release", "app", {"name": "app", "chart": "wiki", "namespace": "w", "values": [], "set": [{"name": "mariadb.enabled", "value": "true"}]})
	_kinds([r]) == {"helm_release.app": "helm-subchart"}
}

_sts_typed := _rc("kubernetes_stateful_set_v1", "pg", {"metadata": [{"name": "pg", "namespace": "db"}], "spec": [{"volume_claim_template": [{"metadata": [{"name": "data"}], "spec": [{"storage_class_name": "x"}]}]}]})

_sts_manifest := _rc("kubernetes_manifest", "mq", {"manifest": {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "mq", "namespace": "q"}, "spec": {"volumeClaimTemplates": [{"metadata": {"name": "data"}}]}}})

_sts_kubectl := _rc("kubectl_manifest", "es", {"yaml_body": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: es\nspec:\n  volumeClaimTemplates:\n    - metadata:\n        name: data\n"})

_sts_no_volume := _rc("kubernetes_stateful_set", "web", {"metadata": [{"name": "web"}], "spec": [{"template": [{"spec": [{"container": [{"name": "web"}]}]}]}]})

test_statefulsets_in_every_form if {
	_kinds([_sts_typed, _sts_manifest, _sts_kubectl, _sts_no_volume]) == {"kubernetes_stateful_set_v1.pg": "statefulset", "kubernetes_manifest.mq": "statefulset", "kubectl_manifest.es": "statefulset"}
}

_deploy(type, name, volumes, mounts) := _rc(type, name, {"metadata": [{"name": name, "namespace": "apps"}], "spec": [{"template": [{"spec": [{"container": [{"name": "c", "volume_mount": mounts}], "volume": volumes}]}]}]})

_pvc(name) := _rc("kubernetes_persistent_volume_claim_v1", name, {"metadata": [{"name": name, "namespace": "apps"}], "spec": [{"storage_class_name": "x"}]})

test_workloads_with_claims_or_data_host_paths if {
	_kinds([
		_deploy("kubernetes_deployment_v1", "files", [{"name": "d", "persistent_volume_claim": [{"claim_name": "files"}]}], [{"name": "d", "mount_path": "/data"}]),
		_pvc("files"),
		_pvc("orphan"),
		_deploy("kubernetes_daemonset", "cache", [{"name": "h", "host_path": [{"path": "/srv/cache"}]}], [{"name": "h", "mount_path": "/cache"}]),
		_deploy("kubernetes_daemon_set_v1", "shipper", [{"name": "logs", "host_path": [{"path": "/var/log"}]}, {"name": "pos", "host_path": [{"path": "/var/lib/fluent-bit"}]}], [{"name": "logs", "mount_path": "/var/log", "read_only": true}, {"name": "pos", "mount_path": "/state", "read_only": true}]),
		_deploy("kubernetes_deployment", "web", [{"name": "tmp", "empty_dir": [{}]}], [{"name": "tmp", "mount_path": "/tmp"}]),
	]) == {
		"kubernetes_deployment_v1.files": "workload-volume",
		"kubernetes_persistent_volume_claim_v1.orphan": "pvc",
		"kubernetes_daemonset.cache": "workload-volume",
	}
}

_cr(name, api, kind) := _rc("kubernetes_manifest", name, {"manifest": {"apiVersion": api, "kind": kind, "metadata": {"name": name, "namespace": "db"}, "spec": {}}})

test_operator_resources if {
	crs := [
		_cr("cnpg", "postgresql.cnpg.io/v1", "Cluster"),
		_cr("crunchy", "postgres-operator.crunchydata.com/v1beta1", "PostgresCluster"),
		_cr("zalando", "acid.zalan.do/v1", "postgresql"),
		_cr("percona", "pxc.percona.com/v1", "PerconaXtraDBCluster"),
		_cr("psmdb", "psmdb.percona.com/v1", "PerconaServerMongoDB"),
		_cr("mongo", "mongodbcommunity.mongodb.com/v1", "MongoDBCommunity"),
		_cr("enterprise", "mongodb.com/v1", "MongoDB"),
		_cr("kubedb", "kubedb.com/v1", "Postgres"),
		_cr("stackgres", "stackgres.io/v1", "SGCluster"),
		_cr("k8ssandra", "k8ssandra.io/v1alpha1", "K8ssandraCluster"),
		_cr("strimzi", "kafka.strimzi.io/v1beta2", "Kafka"),
		_cr("eck", "elasticsearch.k8s.elastic.co/v1", "Elasticsearch"),
		_cr("redis", "redis.redis.opstreelabs.in/v1beta2", "RedisCluster"),
		_cr("minio", "minio.min.io/v2", "Tenant"),
		_cr("rabbit", "rabbitmq.com/v1beta1", "RabbitmqCluster"),
		_cr("clickhouse", "clickhouse.altinity.com/v1", "ClickHouseInstallation"),
		_cr("vitess", "planetscale.com/v2", "VitessCluster"),
		_cr("tidb", "pingcap.com/v1alpha1", "TidbCluster"),
		_cr("pooler", "postgresql.cnpg.io/v1", "Pooler"),
		_cr("kibana", "kibana.k8s.elastic.co/v1", "Kibana"),
	]
	k := _kinds(crs)
	count(k) == 18
	not k["kubernetes_manifest.pooler"]
	not k["kubernetes_manifest.kibana"]
	every _, v in k {
		v == "operator"
	}
}

test_managed_cloud_stores if {
	_kinds([
		_rc("aws_db_instance", "a", {}), _rc("aws_rds_cluster", "b", {}), _rc("aws_dynamodb_table", "c", {}), _rc("aws_s3_bucket", "d", {}),
		_rc("aws_elasticache_replication_group", "e", {}), _rc("aws_docdb_cluster", "f", {}), _rc("aws_opensearch_domain", "g", {}), _rc("aws_redshift_cluster", "h", {}),
		_rc("google_sql_database_instance", "i", {}), _rc("google_storage_bucket", "j", {}), _rc("google_bigquery_dataset", "k", {}),
		_rc("azurerm_postgresql_flexible_server", "l", {}), _rc("azurerm_cosmosdb_account", "m", {}), _rc("azurerm_storage_account", "n", {}), _rc("azurerm_mssql_server", "o", {}),
		_rc("yandex_mdb_postgresql_cluster", "p", {}), _rc("yandex_storage_bucket", "q", {}), _rc("yandex_ydb_database_serverless", "r", {}),
		_rc("mongodbatlas_advanced_cluster", "s", {}),
		_rc("digitalocean_database_cluster", "t", {}),
		# attached to a store, not a store
		_rc("aws_db_parameter_group", "u", {}), _rc("aws_s3_bucket_policy", "v", {}), _rc("google_sql_user", "w", {}),
		_rc("azurerm_mssql_firewall_rule", "x", {}), _rc("digitalocean_database_user", "y", {}), _rc("aws_iam_role", "z", {}),
	]) == {
		"aws_db_instance.a": "cloud", "aws_rds_cluster.b": "cloud", "aws_dynamodb_table.c": "cloud", "aws_s3_bucket.d": "cloud",
		"aws_elasticache_replication_group.e": "cloud", "aws_docdb_cluster.f": "cloud", "aws_opensearch_domain.g": "cloud", "aws_redshift_cluster.h": "cloud",
		"google_sql_database_instance.i": "cloud", "google_storage_bucket.j": "cloud", "google_bigquery_dataset.k": "cloud",
		"azurerm_postgresql_flexible_server.l": "cloud", "azurerm_cosmosdb_account.m": "cloud", "azurerm_storage_account.n": "cloud", "azurerm_mssql_server.o": "cloud",
		"yandex_mdb_postgresql_cluster.p": "cloud", "yandex_storage_bucket.q": "cloud", "yandex_ydb_database_serverless.r": "cloud",
		"mongodbatlas_advanced_cluster.s": "cloud",
		"digitalocean_database_cluster.t": "cloud",
	}
}

test_declared_store_of_an_unrecognised_type if {
	_kinds([
		_rc("aws_rds_shard_group", "a", {"tags_all": {"residency-kz-data-class": "personal"}}),
		_rc("aws_rds_shard_group", "b", {}),
		_rc("aws_iam_role", "c", {"tags_all": {"residency-kz-data-class": "personal"}}),
	]) == {"aws_rds_shard_group.a": "declared"}
}

test_personal_abroad_and_index_by_namespace if {
	p := _plan([_sts_typed, _pvc("orphan")])
	count(stores.stores_by_namespace[["https://k8s.example.kz:443", "db"]]) == 1 with input as p
	count(stores.stores_by_namespace[["https://k8s.example.kz:443", "apps"]]) == 1 with input as p
}
