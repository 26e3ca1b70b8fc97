package kz.residency.audit_test

import data.kz.residency.audit
import data.kz.residency.fixtures_test as fx

_deny(rs) := d if {
	d := audit.deny with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

_without_pgaudit := object.union(object.remove(fx.store_values, ["cluster"]), {"cluster": object.remove(fx.store_values.cluster, ["postgresql"])})

_audit_ns(annotations) := fx.res("kubernetes_namespace_v1", "audit", "kubernetes.ala", {"metadata": [{
	"name": "kz-audit",
	"labels": {"residency.kz/data-class": "personal", "residency.kz/role": "audit", "residency.kz/site": "kz-ala-1"},
	"annotations": annotations,
}]})

_good_sink := {"residency.kz/log-sink": "https://logs.ala.example.kz", "residency.kz/retention-days": "1095", "residency.kz/immutable": "true"}

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

test_aud002_no_sink if {
	rs := [fx.regulator, fx.governance, fx.primary]
	fx.pairs(_deny(rs)) == {["KZ-AUD-002", "helm_release.clients"]}
}

test_aud002_sink_abroad if {
	rs := [_audit_ns(object.union(_good_sink, {"residency.kz/log-sink": "https://logs.fra.example.com"})), fx.regulator, fx.governance, fx.primary]
	fx.pairs(_deny(rs)) == {["KZ-AUD-002", "helm_release.clients"]}
}

test_aud002_not_immutable_no_retention if {
	rs := [_audit_ns({"residency.kz/log-sink": "https://logs.ast.example.kz"}), fx.regulator, fx.governance, fx.primary]
	fx.pairs(_deny(rs)) == {["KZ-AUD-002", "helm_release.clients"]}
	some f in _deny(rs)
	contains(f.message, "immutable")
	contains(f.message, "retention")
}

test_aud002_store_level_sink if {
	v := object.union(fx.store_values, {"cluster": {"annotations": _good_sink}})
	rs := [fx.regulator, fx.governance, fx.helm_store("clients", "helm.ala", v)]
	count(_deny(rs)) == 0
}

# --- KZ-AUD-003 ---------------------------------------------------------------------------

test_aud003_no_regulator_access if {
	rs := [fx.audit_ns, fx.governance, fx.primary]
	fx.pairs(_deny(rs)) == {["KZ-AUD-003", "helm_release.clients"]}
}

test_aud003_regulator_access_abroad_does_not_count if {
	reg := object.union(fx.regulator, {"provider": "kubernetes.fra"})
	rs := [fx.audit_ns, reg, fx.governance, fx.primary]
	fx.pairs(_deny(rs)) == {["KZ-AUD-003", "helm_release.clients"]}
}

test_aud003_cross_border_without_kill_switch if {
	gov := fx.res("kubernetes_config_map_v1", "governance", "kubernetes.ala", {"metadata": [{"name": "g", "annotations": {"residency.kz/dpo-contact": "dpo@example.kz"}}]})
	gw := fx.res("kubernetes_deployment_v1", "kz_gateway", "kubernetes.ala", {"metadata": [{"name": "gw", "labels": {"residency.kz/role": "gateway", "residency.kz/tunnel": "hq", "residency.kz/tunnel-side": "kz"}}]})
	rs := [fx.audit_ns, fx.regulator, gov, gw, fx.primary, fx.replica]
	fx.pairs(_deny(rs)) == {["KZ-AUD-003", "helm_release.clients"]}
}

test_aud003_no_cross_border_needs_no_kill_switch if {
	gov := fx.res("kubernetes_config_map_v1", "governance", "kubernetes.ala", {"metadata": [{"name": "g", "annotations": {"residency.kz/dpo-contact": "dpo@example.kz"}}]})
	count(_deny([fx.audit_ns, fx.regulator, gov, fx.primary])) == 0
}

# the audit trail's own store holds the logs: KZ-AUD-002 judges it, not KZ-AUD-001
test_aud001_not_on_the_audit_store if {
	tenant := fx.res("helm_release", "audit_store", "helm.ala", {"name": "audit-store", "chart": "tenant", "repository": "https://operator.min.io", "namespace": "kz-audit", "values": [json.marshal({
		"residency": {"dataClass": "personal", "role": "audit", "site": "kz-ala-1"},
		"tenant": {"pools": [{"servers": 4, "storageClassName": "ala-ceph-encrypted", "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "topology.kubernetes.io/region", "operator": "In", "values": ["kz-almaty"]}]}]}}}}], "certificate": {"requestAutoCert": true}},
	})]})
	rs := array.concat(fx.compliant, [tenant])
	count(_deny(rs)) == 0
	r := data.kz.residency.report with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
	not "helm_release.audit_store" in r.checked["KZ-AUD-001"]
	"helm_release.audit_store" in r.checked["KZ-SEC-002"]
}
