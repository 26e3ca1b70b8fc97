package kz.lib.flows_test

import data.kz.lib.flows
import data.kz.lib.plan
import data.kz.residency.fixtures_test as fx

_values(v) := {"type": "helm_release", "address": "helm_release.x", "values": {"values": [json.marshal(v)]}}

_edges(rs) := e if {
	e := flows.edges with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

_of(rs, kind) := {e | some e in _edges(rs); e.kind == kind}

# [resource, destination, local, encrypted, class] of the edges of a kind
_summary(rs, kind) := {[e.resource, e.destination, e.local, e.encrypted, e.class] | some e in _of(rs, kind)}

test_backup_sections if {
	s := fx.helm_store("clients", "helm.ala", object.union(fx.store_values, {"backups": {"enabled": true, "endpointURL": "https://s3.fra.example.com", "destinationPath": "s3://offsite/pg", "data": {"encryption": "AES256"}}}))
	_summary([s], "backup") == {["helm_release.clients", "https://s3.fra.example.com/offsite/pg", false, true, "personal"]}
	off := fx.helm_store("clients", "helm.ala", object.union(fx.store_values, {"backups": {"enabled": false}}))
	_summary([off], "backup") == set()
	# a chart writing to AWS S3 by region only
	aws := fx.helm_store("clients", "helm.ala", object.union(object.remove(fx.store_values, ["backups"]), {"backups": {"enabled": true, "provider": "s3", "s3": {"bucket": "b", "region": "eu-central-1"}}}))
	[[e.jurisdiction, e.local] | some e in _of([aws], "backup")] == [["DE", false]]
}

# The source a standby reads is a replica's source, not its backup destination.
test_replica_origin_is_not_a_backup if {
	s := fx.helm_store("standby", "helm.ast", object.union(fx.store_values, {"mode": "replica", "replica": {"origin": {"objectStore": {"endpointURL": "https://s3.ala.example.kz", "destinationPath": "s3://clients/pg"}}}, "backups": {"enabled": false}}))
	_summary([fx.primary, s], "backup") == {["helm_release.clients", "https://s3.ala.example.kz/clients/pg", true, true, "personal"]}
	{[e.resource, e.source_stores] | some e in _of([fx.primary, s], "replication")} == {["helm_release.standby", ["helm_release.clients"]]}
}

_cnpg(plugins) := fx.res("kubernetes_manifest", "clients", "kubernetes.ala", {"manifest": {
	"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster",
	"metadata": {"name": "clients", "namespace": "clients", "labels": {"residency.kz/data-class": "personal"}},
	"spec": {"instances": 3, "plugins": plugins},
}})

_object_store(name, url, path) := fx.res("kubernetes_manifest", name, "kubernetes.ala", {"manifest": {
	"apiVersion": "barmancloud.cnpg.io/v1", "kind": "ObjectStore",
	"metadata": {"name": name, "namespace": "clients"},
	"spec": {"configuration": {"destinationPath": path, "endpointURL": url, "s3Credentials": {"accessKeyId": {"name": "creds", "key": "ACCESS_KEY_ID"}}, "wal": {"compression": "gzip"}}},
}})

# Barman Cloud plugin: the local ObjectStore is a local backup, a second one abroad a copy abroad.
test_barman_cloud_object_stores if {
	rs := [
		_cnpg([{"name": "barman-cloud.cloudnative-pg.io", "isWALArchiver": true, "parameters": {"barmanObjectName": "local"}}]),
		_object_store("local", "https://s3.ala.example.kz", "s3://clients/"),
		_object_store("offsite", "https://s3.fra.example.com", "s3://clients-dr/"),
		fx.res("kubernetes_manifest", "weekly", "kubernetes.ala", {"manifest": {"apiVersion": "postgresql.cnpg.io/v1", "kind": "ScheduledBackup", "metadata": {"name": "weekly", "namespace": "clients"}, "spec": {"schedule": "0 0 0 * * 0", "cluster": {"name": "clients"}, "method": "plugin", "pluginConfiguration": {"name": "barman-cloud.cloudnative-pg.io", "parameters": {"barmanObjectName": "offsite"}}}}}),
	]
	_summary(rs, "backup") == {
		["kubernetes_manifest.local", "https://s3.ala.example.kz/clients/", true, false, "personal"],
		["kubernetes_manifest.offsite", "https://s3.fra.example.com/clients-dr/", false, false, "personal"],
	}
}

# An ObjectStore no cluster uses carries nobody's data.
test_unused_object_store if {
	_summary([_cnpg([]), _object_store("offsite", "https://s3.fra.example.com", "s3://x/")], "backup") == set()
}

_cronjob(name, ns, command, env) := fx.res("kubernetes_cron_job_v1", name, "kubernetes.ala", {
	"metadata": [{"name": name, "namespace": ns}],
	"spec": [{"schedule": "0 3 * * *", "job_template": [{"spec": [{"template": [{"spec": [{"container": [{"name": "dump", "image": "postgres:16", "command": ["/bin/sh", "-c", command], "env": env}]}]}]}]}]}],
})

test_dump_jobs if {
	abroad := _cronjob("dump", "clients", "pg_dump -h clients-rw.clients.svc -U app app | gzip | aws s3 cp - s3://kz-dumps/app.sql.gz --region eu-central-1", [])
	_summary(array.concat(fx.compliant, [abroad]), "dump") == {["kubernetes_cron_job_v1.dump", "https://s3.eu-central-1.amazonaws.com/kz-dumps/app.sql.gz", false, false, "personal"]}
	{e.source_stores | some e in _of(array.concat(fx.compliant, [abroad]), "dump")} == {["helm_release.clients"]}
	# through an endpoint given by flag, encrypted with gpg before upload
	local := _cronjob("dump", "tools", "pg_dump \"$DATABASE_URL\" | gpg --encrypt -r backup@example.kz | aws s3 cp - s3://dumps/app.gpg --endpoint-url https://s3.ala.example.kz", [{"name": "DATABASE_URL", "value_from": [{"secret_key_ref": [{"name": "db", "key": "url"}]}]}])
	_summary(array.concat(fx.compliant, [local]), "dump") == {["kubernetes_cron_job_v1.dump", "https://s3.ala.example.kz/dumps/app.gpg", true, true, "unclassified"]}
	# mongodump through mc to a MinIO abroad, the endpoint in the environment
	mongo := _cronjob("dump", "clients", "mongodump --uri mongodb://reader@mongo.clients.svc/app --archive | mc pipe dr/dumps/app.archive", [{"name": "S3_ENDPOINT", "value": "https://minio.dr.example.com"}, {"name": "TARGET", "value": "s3://dumps/app.archive"}])
	[[e.destination, e.local] | some e in _of(array.concat(fx.compliant, [mongo]), "dump")] == [["https://minio.dr.example.com/dumps/app.archive", false]]
}

_bsl(name, spec) := fx.res("kubernetes_manifest", name, "kubernetes.ala", {"manifest": {"apiVersion": "velero.io/v1", "kind": "BackupStorageLocation", "metadata": {"name": name, "namespace": "velero"}, "spec": spec}})

test_velero_file_system_backups if {
	schedule := fx.res("kubernetes_manifest", "nightly", "kubernetes.ala", {"manifest": {"apiVersion": "velero.io/v1", "kind": "Schedule", "metadata": {"name": "nightly", "namespace": "velero"}, "spec": {"schedule": "0 1 * * *", "template": {"includedNamespaces": ["clients"], "storageLocation": "dr", "defaultVolumesToFsBackup": true}}}})
	rs := array.concat(fx.compliant, [schedule, _bsl("dr", {"provider": "aws", "objectStorage": {"bucket": "velero"}, "config": {"region": "eu-west-1"}}), _bsl("local", {"provider": "aws", "default": true, "objectStorage": {"bucket": "velero"}, "config": {"region": "kz", "s3Url": "https://s3.ala.example.kz"}})])
	_summary(rs, "volume-backup") == {["kubernetes_manifest.nightly", "https://s3.eu-west-1.amazonaws.com/velero", false, false, "personal"]}
	# without file-system backup Velero copies objects, not the volumes' data
	objects_only := fx.res("kubernetes_manifest", "nightly", "kubernetes.ala", {"manifest": {"apiVersion": "velero.io/v1", "kind": "Schedule", "metadata": {"name": "nightly", "namespace": "velero"}, "spec": {"schedule": "0 1 * * *", "template": {"includedNamespaces": ["clients"], "storageLocation": "dr"}}}})
	_summary(fx.replacing(rs, [objects_only]), "volume-backup") == set()
}

test_velero_chart if {
	chart := fx.res("helm_release", "velero", "helm.ala", {"name": "velero", "chart": "velero", "repository": "https://vmware-tanzu.github.io/helm-charts", "namespace": "velero", "values": [json.marshal({
		"deployNodeAgent": true,
		"configuration": {"defaultVolumesToFsBackup": true, "backupStorageLocation": [{"name": "default", "provider": "aws", "bucket": "k8s-backups", "config": {"region": "us-east-1", "kmsKeyId": "alias/velero"}}]},
		"schedules": {"daily": {"schedule": "0 2 * * *", "template": {"ttl": "720h"}}},
	})]})
	_summary(array.concat(fx.compliant, [chart]), "volume-backup") == {["helm_release.velero", "https://s3.us-east-1.amazonaws.com/k8s-backups", false, true, "personal"]}
}

test_log_shipping if {
	_summary(fx.compliant, "log-shipping") == {["helm_release.collector", "loki-gateway.kz-audit.svc.cluster.local:80", true, false, "personal"]}
	{e.destination_resource | some e in _of(fx.compliant, "log-shipping")} == {"helm_release.loki"}
}

test_service_aliases if {
	ext := fx.res("kubernetes_service_v1", "reports", "kubernetes.ala", {"metadata": [{"name": "reports", "namespace": "clients"}], "spec": [{"type": "ExternalName", "external_name": "reports.hq.example.com"}]})
	headless := fx.res("kubernetes_service_v1", "legacy", "kubernetes.ala", {"metadata": [{"name": "legacy", "namespace": "clients"}], "spec": [{"type": "ClusterIP", "port": [{"port": 5432}]}]})
	eps := fx.res("kubernetes_endpoints_v1", "legacy", "kubernetes.ala", {"metadata": [{"name": "legacy", "namespace": "clients"}], "subset": [{"address": [{"ip": "192.0.2.10"}], "port": [{"port": 5432}]}]})
	slice := fx.res("kubernetes_endpoint_slice_v1", "legacy", "kubernetes.ala", {"metadata": [{"name": "legacy-1", "namespace": "clients", "labels": {"kubernetes.io/service-name": "legacy"}}], "address_type": "IPv4", "endpoint": [{"addresses": ["10.20.50.7"]}]})
	{[e.resource, e.destination, e.local] | some e in _of(array.concat(fx.compliant, [ext, headless, eps, slice]), "service-alias")} == {
		["kubernetes_service_v1.reports", "reports.hq.example.com", false],
		["kubernetes_service_v1.legacy", "192.0.2.10", false],
		["kubernetes_service_v1.legacy", "10.20.50.7", true],
	}
}

test_replication_through_a_gost_tunnel if {
	{[e.resource, e.encrypted, e.registered, e.cuttable, e.source_stores, e.class] | some e in _of(fx.with_replica, "replication")} == {["helm_release.hq-replica", true, true, true, ["helm_release.clients"], "personal"]}
	{[e.resource, e.mechanism, e.peer, e.encrypted] | some e in _of(fx.with_replica, "tunnel")} == {["kubernetes_deployment_v1.hq_gw", "gost-tls", "kubernetes_deployment_v1.kz_gw", true]}
}

# A replica labelled case takes the class of the personal store it follows.
test_class_flows_with_the_data if {
	r := fx.helm_store("hq-replica", "helm.fra", object.union(fx.replica_values, {"residency": {"dataClass": "case"}}))
	rs := array.concat(array.concat(fx.compliant, [r]), array.concat(fx.hq_tunnel, fx.kz_tunnel))
	flows.data_class(plan.by_address["helm_release.hq-replica"]) == "personal" with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
	flows.inherited_class(plan.by_address["helm_release.hq-replica"]) == "personal" with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

test_backup_targets if {
	s := fx.helm_store("clients", "helm.ala", fx.store_values)
	flows.backup_targets(plan.by_address["helm_release.clients"]) == {{"endpoint": "https://s3.ala.example.kz/clients/pg", "encrypted": true}} with input as fx.plan([s]) with data.kz_residency.sites as fx.sites
}
