package kz.lib.alerting_test

import data.kz.lib.alerting
import data.kz.residency.fixtures_test as fx

test_releases_by_chart if {
	p := fx.plan(fx.kz_alerting)
	{r.address | some r in alerting.lokis} == {"helm_release.loki"} with input as p with data.kz_residency.sites as fx.sites
	{r.address | some r in alerting.alertmanagers} == {"helm_release.alertmanager"} with input as p with data.kz_residency.sites as fx.sites
}

test_rule_files_and_alert_rules if {
	p := fx.plan(fx.kz_alerting)
	[f] := [x | some x in alerting.rule_files] with input as p with data.kz_residency.sites as fx.sites
	f.tenant == "kz-audit"
	f.source == "kubernetes_config_map_v1.alert_rules"
	[a] := [x | some x in alerting.alert_rules] with input as p with data.kz_residency.sites as fx.sites
	a.alert == "KzAuditMassRead"
	a.severity == "critical"
	alerting.over_audit_stream(a, "clients")
	not alerting.over_audit_stream(a, "payments")
}

test_routes_follow_the_service_name if {
	p := fx.plan(fx.kz_alerting)
	[r] := [x | some x in alerting.routes] with input as p with data.kz_residency.sites as fx.sites
	r.receivers == ["dpo"]
	r.recipients == ["dpo@example.kz"]
}

test_fullname_override_and_release_names if {
	am := fx.kz_alerting[2]
	renamed := object.union(am, {"values": object.union(am.values, {"name": "alerts"})})
	# release "alerts" is served as "alerts-alertmanager", which the ruler does not name
	rs := [fx.kz_alerting[0], fx.kz_alerting[1], renamed]
	count(alerting.routes) == 0 with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
	overridden := object.union(renamed, {"values": object.union(renamed.values, {"values": [json.marshal(object.union(json.unmarshal(am.values.values[0]), {"fullnameOverride": "kz-audit-alertmanager"}))]})})
	count(alerting.routes) == 1 with input as fx.plan([fx.kz_alerting[0], fx.kz_alerting[1], overridden]) with data.kz_residency.sites as fx.sites
}

test_comma_separated_alertmanager_urls if {
	loki := fx.kz_alerting[1]
	v := json.unmarshal(loki.values.values[0])
	v2 := json.patch(v, [{"op": "replace", "path": "/loki/rulerConfig/alertmanager_url", "value": "http://other:9093, http://kz-audit-alertmanager.kz-audit.svc:9093"}])
	l2 := object.union(loki, {"values": object.union(loki.values, {"values": [json.marshal(v2)]})})
	count(alerting.routes) == 1 with input as fx.plan([fx.kz_alerting[0], l2, fx.kz_alerting[2]]) with data.kz_residency.sites as fx.sites
}

# The HQ replica's records reach the Kazakh Loki through its ingress (the HQ Fluent Bit's loki
# output): that Loki's ruler watches them when its rules select the replica's namespace.
test_records_shipped_from_another_cluster_are_watched_where_they_arrive if {
	rules := object.union(fx.kz_alerting[0], {"values": object.union(fx.kz_alerting[0].values, {"data": {"rules.yaml": replace(fx.alert_rules_yaml, "namespace=~\"clients\"", "namespace=~\"clients|hq-replica\"")}})})
	p := fx.plan(fx.replacing(fx.with_replica, [rules]))
	hq := [r | some r in data.kz.lib.stores.stores; r.address == "helm_release.hq-replica"][0] with input as p with data.kz_residency.sites as fx.sites
	alerting.watched(hq) with input as p with data.kz_residency.sites as fx.sites
	not alerting.watched(hq) with input as fx.plan(fx.with_replica) with data.kz_residency.sites as fx.sites
}
