package kz.lib.settings_test

import data.kz.lib.plan
import data.kz.lib.settings

_rc(type, name, after) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "change": {"actions": ["create"], "after": after, "after_unknown": {}}}

_plan(changes) := {
	"format_version": "1.2",
	"configuration": {
		"provider_config": {"kubernetes": {"name": "kubernetes", "expressions": {"host": {"constant_value": "https://k8s.example.kz"}}}},
		"root_module": {"resources": [{"address": c.address, "mode": "managed", "type": c.type, "name": c.name, "provider_config_key": "kubernetes"} | some c in changes]},
	},
	"resource_changes": changes,
}

_deploy := _rc("kubernetes_deployment_v1", "files", {"metadata": [{"name": "files", "namespace": "apps"}], "spec": [{"template": [{"spec": [{
	"container": [{"name": "c", "volume_mount": [{"name": "a", "mount_path": "/a"}, {"name": "b", "mount_path": "/b"}, {"name": "c", "mount_path": "/c"}, {"name": "h", "mount_path": "/h"}]}],
	"volume": [
		{"name": "a", "persistent_volume_claim": [{"claim_name": "encrypted"}]},
		{"name": "b", "persistent_volume_claim": [{"claim_name": "default-class"}]},
		{"name": "c", "persistent_volume_claim": [{"claim_name": "elsewhere"}]},
		{"name": "h", "host_path": [{"path": "/srv/files"}]},
	],
}]}]}]})

_pvc(name, spec) := _rc("kubernetes_persistent_volume_claim_v1", name, {"metadata": [{"name": name, "namespace": "apps"}], "spec": [spec]})

test_storage_of_a_workload_with_claims_and_host_paths if {
	p := _plan([_deploy, _pvc("encrypted", {"storage_class_name": "ala-ceph-encrypted"}), _pvc("default-class", {})])
	r := plan.by_address["kubernetes_deployment_v1.files"] with input as p
	settings.storage_classes(r) == {"ala-ceph-encrypted"} with input as p
	settings.storage_gaps(r) == {
		"hostPath volume \"h\" keeps data on the node's own disk (/srv/files), which no registered storage class covers",
		"volume \"c\" mounts claim \"elsewhere\", which this plan does not create, so its storage class is not proven",
		"claim \"default-class\" sets no storage class, so it uses the cluster default, which is not proven encrypted",
	} with input as p
}

_values(v) := {"type": "helm_release", "values": {"values": [json.marshal(v)]}}

test_audit_mechanisms if {
	settings.audit_all(_values({"cluster": {"postgresql": {"parameters": {"pgaudit.log": "write, ddl"}}}}))
	settings.audit_all(_values({"primary": {"extendedConfiguration": "shared_preload_libraries = 'pgaudit'\npgaudit.log = 'all'\n"}}))
	settings.audit_all(_values({"primary": {"configuration": "[mysqld]\nplugin-load-add = server_audit.so\nserver_audit_logging = ON\n"}}))
	settings.audit_all({"type": "kubernetes_manifest", "values": {"manifest": {"kind": "PerconaServerMongoDB", "spec": {"replsets": [{"configuration": "auditLog:\n  destination: file\n"}]}}}})
	settings.audit_all({"type": "aws_db_instance", "values": {"enabled_cloudwatch_logs_exports": ["audit", "error"]}})
	not settings.audit_all(_values({"cluster": {"postgresql": {"parameters": {"pgaudit.log": "none"}}}}))
	not settings.audit_all(_values({"cluster": {"annotations": {"residency.kz/audit-log": "pgaudit:all"}}}))
	not settings.audit_all({"type": "aws_db_instance", "values": {"enabled_cloudwatch_logs_exports": ["postgresql"]}})
}

test_tls_mechanisms if {
	settings.tls_required({"type": "kubernetes_manifest", "values": {"manifest": {"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster", "spec": {}}}})
	settings.tls_required(_values({"tls": {"enabled": true}}))
	not settings.tls_required(_values({"tls": {"enabled": false}}))
	not settings.tls_required(_values({"auth": {}}))
	settings.tls_required({"type": "mongodbatlas_advanced_cluster", "values": {}})
	settings.tls_required({"type": "google_sql_database_instance", "values": {"settings": [{"ip_configuration": [{"ssl_mode": "ENCRYPTED_ONLY"}]}]}})
	not settings.tls_required({"type": "google_sql_database_instance", "values": {"settings": [{"ip_configuration": [{"ssl_mode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED"}]}]}})
	settings.tls_required({"type": "aws_elasticache_replication_group", "values": {"transit_encryption_enabled": true}})
	not settings.tls_required({"type": "aws_elasticache_replication_group", "values": {"transit_encryption_enabled": false}})
	settings.tls_required({"type": "yandex_mdb_redis_cluster", "values": {"tls_enabled": true}})
	not settings.tls_required({"type": "yandex_mdb_redis_cluster", "values": {"tls_enabled": false}})
	not settings.tls_required({"type": "azurerm_storage_account", "values": {"https_traffic_only_enabled": false}})
	not settings.tls_required({"type": "aws_db_instance", "values": {}})
	# MinIO tenants: operator-issued or user-given certificates
	settings.tls_required(_values({"tenant": {"certificate": {"requestAutoCert": true}}}))
	settings.tls_required({"type": "kubernetes_manifest", "values": {"manifest": {"apiVersion": "minio.min.io/v2", "kind": "Tenant", "spec": {"externalCertSecret": [{"name": "tls", "type": "kubernetes.io/tls"}]}}}})
	not settings.tls_required(_values({"tenant": {"certificate": {"requestAutoCert": false}}}))
	# a label that says TLS is required is not the mechanism; one that says it is optional is believed
	not settings.tls_required({"type": "aws_db_instance", "values": {"tags": {"residency-kz-tls": "required"}}})
	not settings.tls_required({"type": "mongodbatlas_advanced_cluster", "values": {"tags": [{"key": "residency-kz-tls", "value": "optional"}]}})
}

test_pins if {
	settings.pins({"type": "kubernetes_stateful_set_v1", "values": {"spec": [{"template": [{"spec": [{"node_selector": {"topology.kubernetes.io/region": "KZ-Almaty"}}]}]}]}}) == {"kz-almaty"}
}

test_read_only_replica if {
	settings.read_only(_values({"mode": "replica"}))
	settings.read_only({"type": "kubernetes_manifest", "values": {"manifest": {"kind": "Cluster", "spec": {"replica": {"enabled": true}}}}})
	not settings.read_only(_values({"mode": "standalone"}))
}
