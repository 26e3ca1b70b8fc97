package kz.residency.report_test

import data.kz.residency
import data.kz.residency.fixtures_test as fx

_abroad := fx.helm_store("clients", "helm.fra", object.union(fx.store_values, {"residency": {"site": "hq-fra"}}))

# a primary in Frankfurt (KZ-RES-001, law) whose pods are also pinned nowhere near it is still only RES-001;
# add a writable HQ copy without tunnel for practice findings
_unpinned := fx.helm_store("clients", "helm.ala", object.union(object.remove(fx.store_values, ["cluster"]), {"cluster": object.remove(fx.store_values.cluster, ["affinity"])}))

_report(rs, cfg) := r if {
	r := residency.report with input as fx.plan(rs) with data.kz_residency as object.union({"sites": fx.sites, "now": "2026-11-23"}, cfg)
}

test_compliant_deployment_has_no_findings if {
	r := _report(fx.with_replica, {})
	r.deny == []
	r.warn == []
	r.waived == []
	r.profile == "audit-ready"
}

test_compliant_deployment_ur832 if {
	r := _report(fx.with_replica, {"profile": "ur832"})
	r.deny == []
}

test_finding_shape if {
	r := _report(array.concat(fx.deployment, [_abroad]), {"profile": "law"})
	[f] := r.deny
	f == {
		"rule": "KZ-RES-001",
		"title": "Primary personal-data store runs on a Kazakh site",
		"severity": "critical",
		"basis": "law",
		"law": "Law No. 94-V of 21 May 2013 \"On Personal Data and Their Protection\", Art. 12 para 2",
		"resource": "helm_release.clients",
		"site": "hq-fra",
		"message": "primary store (postgresql) of personal data runs on site \"hq-fra\" (Frankfurt, DE), outside Kazakhstan",
		"remediation": f.remediation,
		"msg": "KZ-RES-001: primary store (postgresql) of personal data runs on site \"hq-fra\" (Frankfurt, DE), outside Kazakhstan",
	}
	startswith(f.remediation, "Deploy the primary store")
}

test_audit_ready_denies_practice_rules if {
	r := _report(array.concat(fx.deployment, [_unpinned]), {})
	{[f.rule, f.resource] | some f in r.deny} == {["KZ-RES-005", "helm_release.clients"]}
	r.warn == []
}

test_law_profile_warns_on_practice_rules if {
	r := _report(array.concat(fx.deployment, [_unpinned]), {"profile": "law"})
	r.deny == []
	{[f.rule, f.resource] | some f in r.warn} == {["KZ-RES-005", "helm_release.clients"]}
}

test_law_profile_still_denies_law_rules if {
	r := _report(array.concat(fx.deployment, [_abroad]), {"profile": "law"})
	{f.rule | some f in r.deny} == {"KZ-RES-001"}
	{f.rule | some f in r.warn} == {"KZ-XBT-004"}
}

test_primary_abroad_breaks_law_and_golden_record if {
	r := _report(array.concat(fx.deployment, [_abroad]), {})
	{[f.rule, f.basis] | some f in r.deny} == {["KZ-RES-001", "law"], ["KZ-XBT-004", "practice"]}
}

test_ur832_rules_warn_outside_ur832 if {
	gw := fx.res("kubernetes_deployment_v1", "kz_gateway", "kubernetes.ala", {"metadata": [{"name": "gw", "labels": {"residency.kz/role": "gateway", "residency.kz/tunnel": "hq", "residency.kz/tunnel-side": "kz"}, "annotations": {"residency.kz/tunnel-profile": "wireguard", "residency.kz/cross-border": "active"}}]})
	rs := array.concat(fx.compliant, [fx.replica, gw])
	a := _report(rs, {})
	a.deny == []
	{f.rule | some f in a.warn} == {"KZ-UR-001"}
	u := _report(rs, {"profile": "ur832"})
	{f.rule | some f in u.deny} == {"KZ-UR-001"}
}

test_unknown_profile_falls_back_and_reports_error if {
	r := _report(array.concat(fx.deployment, [_unpinned]), {"profile": "lenient"})
	r.profile == "audit-ready"
	count(r.deny) == 1
	count(r.errors) == 1
}

_waiver(rule, resource, expires) := {"rule": rule, "resource": resource, "reason": "migration to Almaty in Q1", "approved_by": "ciso@example.kz", "expires": expires}

test_waiver_by_address if {
	r := _report(array.concat(fx.deployment, [_unpinned]), {"waivers": [_waiver("KZ-RES-005", "helm_release.clients", "2026-12-31")]})
	r.deny == []
	[w] := r.waived
	w.rule == "KZ-RES-005"
	w.resource == "helm_release.clients"
	w.waiver.reason == "migration to Almaty in Q1"
	w.waiver.approved_by == "ciso@example.kz"
	w.waiver.expires == "2026-12-31"
	r.expired_waivers == []
}

test_waiver_by_glob if {
	r := _report(array.concat(fx.deployment, [_unpinned]), {"waivers": [_waiver("KZ-RES-005", "helm_release.*", "2026-12-31")]})
	r.deny == []
	count(r.waived) == 1
}

test_waiver_glob_over_module_addresses if {
	s := object.union(_unpinned, {"index": 0})
	r := _report(array.concat(fx.deployment, [s]), {"waivers": [_waiver("KZ-RES-005", "helm_release.clients*", "2026-12-31")]})
	r.deny == []
	[w] := r.waived
	w.resource == "helm_release.clients[0]"
}

test_waiver_holds_on_its_expiry_day if {
	r := _report(array.concat(fx.deployment, [_unpinned]), {"waivers": [_waiver("KZ-RES-005", "helm_release.clients", "2026-11-23")]})
	r.deny == []
}

test_expired_waiver_waives_nothing_and_is_listed if {
	w := _waiver("KZ-RES-005", "helm_release.clients", "2026-11-22")
	r := _report(array.concat(fx.deployment, [_unpinned]), {"waivers": [w]})
	{f.rule | some f in r.deny} == {"KZ-RES-005"}
	r.waived == []
	r.expired_waivers == [w]
}

test_waiver_for_other_rule_waives_nothing if {
	r := _report(array.concat(fx.deployment, [_unpinned]), {"waivers": [_waiver("KZ-RES-004", "helm_release.clients", "2026-12-31")]})
	{f.rule | some f in r.deny} == {"KZ-RES-005"}
}

test_waiver_without_reason_is_invalid if {
	w := object.remove(_waiver("KZ-RES-005", "helm_release.clients", "2026-12-31"), ["reason"])
	r := _report(array.concat(fx.deployment, [_unpinned]), {"waivers": [w]})
	{f.rule | some f in r.deny} == {"KZ-RES-005"}
	r.invalid_waivers == [w]
	count(r.errors) == 1
}

test_waiver_expiry_against_clock_when_no_now if {
	w := _waiver("KZ-RES-005", "helm_release.clients", "2000-01-01")
	r := residency.report with input as fx.plan(array.concat(fx.deployment, [_unpinned])) with data.kz_residency as {"sites": fx.sites, "waivers": [w]}
	r.expired_waivers == [w]
}

test_findings_sorted_by_rule_then_resource if {
	b := fx.helm_store("b", "helm.fra", object.union(fx.store_values, {"residency": {"site": "hq-fra"}}))
	a := fx.helm_store("a", "helm.fra", object.union(fx.store_values, {"residency": {"site": "hq-fra"}}))
	c := fx.res("kubernetes_persistent_volume_claim_v1", "c", "kubernetes.ala", {"metadata": [{"name": "c"}], "spec": [{"storage_class_name": "ala-ceph-encrypted"}]})
	r := _report(array.concat(fx.deployment, [b, c, a]), {})
	[[f.rule, f.resource] | some f in r.deny] == [
		["KZ-RES-001", "helm_release.a"], ["KZ-RES-001", "helm_release.b"],
		["KZ-RES-003", "kubernetes_persistent_volume_claim_v1.c"],
		["KZ-XBT-004", "helm_release.a"], ["KZ-XBT-004", "helm_release.b"],
	]
}

test_conftest_deny_and_warn_sets if {
	d := residency.deny with input as fx.plan(array.concat(fx.deployment, [_abroad])) with data.kz_residency as {"sites": fx.sites, "profile": "law"}
	{f.msg | some f in d} == {"KZ-RES-001: primary store (postgresql) of personal data runs on site \"hq-fra\" (Frankfurt, DE), outside Kazakhstan"}
}

test_wrapped_plan_same_report if {
	rs := array.concat(fx.deployment, [_abroad])
	a := residency.report with input as fx.plan(rs) with data.kz_residency as {"sites": fx.sites, "now": "2026-11-23"}
	b := residency.report with input as {"plan": fx.plan(rs)} with data.kz_residency as {"sites": fx.sites, "now": "2026-11-23"}
	a == b
	count(a.deny) == 2
}

test_no_sites_registry_fails_closed if {
	r := residency.report with input as fx.plan(fx.compliant) with data.kz_residency as {"now": "2026-11-23"}
	"KZ-RES-002" in {f.rule | some f in r.deny}
}

test_checked_scopes if {
	r := _report(fx.compliant, {})
	r.checked["KZ-RES-001"] == ["helm_release.clients"]
	r.checked["KZ-SEC-001"] == ["helm_release.clients", "kubernetes_cluster_role_v1.regulator", "kubernetes_config_map_v1.governance", "kubernetes_namespace_v1.audit"]
}

test_waiver_with_bad_expiry_is_invalid if {
	w := _waiver("KZ-RES-005", "helm_release.clients", "next spring")
	r := _report(array.concat(fx.deployment, [_unpinned]), {"waivers": [w]})
	{f.rule | some f in r.deny} == {"KZ-RES-005"}
	r.invalid_waivers == [w]
}
