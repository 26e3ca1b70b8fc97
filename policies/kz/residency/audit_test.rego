package kz.residency.audit_test

import data.kz.residency.audit
import data.kz.residency.fixtures_test as fx

_deny(rs) := d if {
	d := audit.deny with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

_without_pgaudit := object.union(object.remove(fx.store_values, ["cluster"]), {"cluster": object.remove(fx.store_values.cluster, ["postgresql"])})

_immutable_claims := {"residency.kz/log-sink": "https://logs.ala.example.kz", "residency.kz/retention-days": "1095", "residency.kz/immutable": "true"}

# The compliant deployment with a Loki release of other values (claiming immutability).
_with_loki(values) := fx.replacing(fx.compliant, [fx.res("helm_release", "loki", "helm.ala", {"name": "loki", "chart": "loki", "namespace": "kz-audit", "values": [json.marshal(object.union(values, {"commonAnnotations": _immutable_claims}))]})])

_loki(changes) := object.union(fx.loki_values, {"loki": changes})

test_audit_compliant if {
	count(_deny(fx.compliant)) == 0
}

# --- KZ-AUD-001 ---------------------------------------------------------------------------

test_aud001_no_audit_logging if {
	rs := array.concat(fx.deployment, [fx.helm_store("clients", "helm.ala", _without_pgaudit)])
	fx.pairs(_deny(rs)) == {["KZ-AUD-001", "helm_release.clients"]}
}

# an annotation that says audit logging is on is a claim, not the mechanism
test_aud001_audit_log_annotation_is_not_evidence if {
	v := object.union(_without_pgaudit, {"cluster": {"annotations": {"residency.kz/audit-log": "pgaudit:all"}}})
	rs := array.concat(fx.deployment, [fx.helm_store("clients", "helm.ala", v)])
	fx.pairs(_deny(rs)) == {["KZ-AUD-001", "helm_release.clients"]}
}

test_aud001_pgaudit_in_configuration_text if {
	v := object.union(_without_pgaudit, {"cluster": {"postgresql": {"parameters": {}}}, "extraConfig": "shared_preload_libraries = 'pgaudit'\npgaudit.log = 'write, ddl, role'\n"})
	rs := array.concat(fx.deployment, [fx.helm_store("clients", "helm.ala", v)])
	count(_deny(rs)) == 0
}

# --- KZ-AUD-002 ---------------------------------------------------------------------------

test_aud002_no_shipper if {
	rs := [r | some r in fx.compliant; r.name != "collector"]
	fx.pairs(_deny(rs)) == {["KZ-AUD-002", "helm_release.clients"]}
}

test_aud002_shipper_does_not_collect_the_store if {
	inputs := "[INPUT]\n    Name tail\n    Tag kube.*\n    Path /var/log/containers/*_portal_*.log\n"
	rs := fx.replacing(fx.compliant, [fx.collector(inputs, fx.fluent_bit_output("loki-gateway.kz-audit.svc.cluster.local"))])
	fx.pairs(_deny(rs)) == {["KZ-AUD-002", "helm_release.clients"]}
}

test_aud002_shipper_abroad_while_annotations_name_a_kazakh_sink if {
	c := fx.collector(fx.fluent_bit_inputs, fx.fluent_bit_output("logs.fra.example.com"))
	annotated := object.union(c, {"values": object.union(c.values, {"values": [json.marshal({"config": {"inputs": fx.fluent_bit_inputs, "outputs": fx.fluent_bit_output("logs.fra.example.com")}, "podAnnotations": _immutable_claims})]})})
	d := _deny(fx.replacing(fx.compliant, [annotated]))
	fx.pairs(d) == {["KZ-AUD-002", "helm_release.clients"], ["KZ-AUD-003", "helm_release.clients"]}
	some f in d
	contains(f.message, "not proven to be in Kazakhstan")
}

# The issue-10 cases: deletion enabled, or no write-once storage, is denied whatever the
# annotations claim.
test_aud002_loki_with_deletion_enabled if {
	d := _deny(_with_loki(_loki({"limits_config": {"retention_period": "26280h", "deletion_mode": "filter-and-delete"}})))
	fx.pairs(d) == {["KZ-AUD-002", "helm_release.clients"]}
	some f in d
	contains(f.message, "delete API is on")
}

test_aud002_loki_deletion_by_default if {
	v := {"loki": object.union(object.remove(fx.loki_values.loki, ["limits_config"]), {"limits_config": {"retention_period": "26280h"}})}
	d := _deny(_with_loki(v))
	fx.pairs(d) == {["KZ-AUD-002", "helm_release.clients"]}
}

test_aud002_loki_on_its_own_volumes if {
	d := _deny(_with_loki({"loki": {"auth_enabled": true, "storage": {"type": "filesystem"}, "limits_config": {"deletion_mode": "disabled"}}}))
	fx.pairs(d) == {["KZ-AUD-002", "helm_release.clients"]}
	some f in d
	contains(f.message, "no write-once storage")
}

# The chart's bundled MinIO keeps the logs in a store of its own (an audit store, by the
# namespace's role) that nothing locks.
test_aud002_loki_with_the_bundled_minio if {
	d := _deny(_with_loki({"minio": {"enabled": true}, "loki": {"auth_enabled": true, "storage": {"type": "s3", "bucketNames": {"chunks": "chunks"}}, "limits_config": {"deletion_mode": "disabled"}}}))
	fx.pairs(d) == {["KZ-AUD-002", "helm_release.clients"], ["KZ-AUD-002", "helm_release.loki"]}
}

test_aud002_loki_without_authentication if {
	fx.pairs(_deny(_with_loki(_loki({"auth_enabled": false})))) == {["KZ-AUD-002", "helm_release.clients"]}
}

test_aud002_governance_mode_can_be_lifted if {
	d := _deny(fx.replacing(fx.compliant, [fx.audit_lock_job("GOVERNANCE", 1095)]))
	fx.pairs(d) == {["KZ-AUD-002", "helm_release.audit_store"], ["KZ-AUD-002", "helm_release.clients"]}
}

test_aud002_audit_store_without_object_lock if {
	t := fx.res("helm_release", "audit_store", "helm.ala", {"name": "audit-store", "chart": "tenant", "repository": "https://operator.min.io", "namespace": "kz-audit", "values": [json.marshal({
		"residency": {"dataClass": "personal", "role": "audit", "site": "kz-ala-1"},
		"commonAnnotations": _immutable_claims,
		"tenant": {"pools": [{"servers": 4, "storageClassName": "ala-ceph-encrypted", "affinity": fx._required_region("kz-almaty")}], "certificate": {"requestAutoCert": true}, "buckets": [{"name": "audit-logs"}]},
	})]})
	fx.pairs(_deny(fx.replacing(fx.compliant, [t]))) == {["KZ-AUD-002", "helm_release.audit_store"], ["KZ-AUD-002", "helm_release.clients"]}
}

# Write-once storage in a Kazakh cloud region: Yandex Object Storage kz1 with object lock in
# COMPLIANCE mode.
test_aud002_yandex_object_lock_in_kz1 if {
	bucket := fx.res("yandex_storage_bucket", "audit", "yandex", {"bucket": "audit-logs-kz", "object_lock_configuration": [{"object_lock_enabled": "Enabled", "rule": [{"default_retention": [{"mode": "COMPLIANCE", "days": 1095, "years": null}]}]}]})
	l := _loki({"storage": {"type": "s3", "bucketNames": {"chunks": "audit-logs-kz"}, "s3": {"endpoint": "storage.yandexcloud.kz"}}})
	rs := array.concat([r | some r in _with_loki(l); not r.name in {"audit_store", "audit_lock"}], [bucket])
	count(_deny(rs)) == 0
}

test_aud002_managed_store_logs_stay_with_the_provider if {
	r := fx.res("aws_db_instance", "clients", "aws", {"identifier": "clients", "engine": "postgres", "enabled_cloudwatch_logs_exports": ["postgresql"], "tags": {"residency-kz-data-class": "personal", "residency-kz-role": "replica"}})
	"KZ-AUD-002" in fx.rules(_deny([r]))
}

# --- KZ-AUD-003 ---------------------------------------------------------------------------

_without(names) := [r | some r in fx.compliant; not r.name in names]

test_aud003_no_regulator_access if {
	fx.pairs(_deny(_without({"regulator"}))) == {["KZ-AUD-003", "helm_release.clients"]}
}

test_aud003_annotation_is_not_regulator_access if {
	ns := fx.res("kubernetes_namespace_v1", "regulator", "kubernetes.ala", {"metadata": [{"name": "kz-regulator", "annotations": {"residency.kz/regulator-access": "read-only"}}]})
	fx.pairs(_deny(array.concat(_without({"regulator"}), [ns]))) == {["KZ-AUD-003", "helm_release.clients"]}
}

test_aud003_regulator_access_abroad_does_not_count if {
	moved := [object.union(r, {"provider": "kubernetes.fra"}) | some r in fx.compliant; r.name == "regulator"]
	fx.pairs(_deny(array.concat(_without({"regulator"}), moved))) == {["KZ-AUD-003", "helm_release.clients"]}
}

test_aud003_a_role_that_can_write_is_not_read_only if {
	role := object.union(fx.regulator, {"values": object.union(fx.regulator.values, {"rule": [{"api_groups": [""], "resources": ["pods"], "verbs": ["get", "delete"]}]})})
	fx.pairs(_deny(fx.replacing(fx.compliant, [role]))) == {["KZ-AUD-003", "helm_release.clients"]}
}

# A replica fed directly (TLS verified, but no gateway in Kazakhstan): nothing can cut it.
test_aud003_cross_border_flow_without_a_gateway if {
	r := fx.helm_store("hq-replica", "helm.fra", object.union(fx.replica_values, {"replica": {"origin": {"pg_basebackup": {"host": "10.20.50.5"}}}}))
	d := _deny(array.concat(fx.compliant, [r, fx.hq_collector]))
	fx.pairs(d) == {["KZ-AUD-003", "helm_release.clients"]}
	some f in d
	contains(f.message, "kill switch")
}

test_aud003_flows_through_a_kazakh_gateway_can_be_cut if {
	count(_deny(fx.with_replica)) == 0
}

# the audit trail's own store holds the logs: KZ-AUD-002 judges it, not KZ-AUD-001
test_aud001_not_on_the_audit_store if {
	rs := fx.compliant
	count(_deny(rs)) == 0
	r := data.kz.residency.report with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
	not "helm_release.audit_store" in r.checked["KZ-AUD-001"]
	"helm_release.audit_store" in r.checked["KZ-AUD-002"]
	"helm_release.audit_store" in r.checked["KZ-SEC-002"]
}
