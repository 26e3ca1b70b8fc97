package kz.residency.alerting_test

import data.kz.residency
import data.kz.residency.alerting
import data.kz.residency.fixtures_test as fx

_deny(rs) := d if {
	d := alerting.deny with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

_without(rs, addresses) := [r | some r in rs; not fx.address(r) in addresses]

# the deployment with the Almaty alerting stack replaced by `stack`
_with_stack(stack) := array.concat(array.concat(_without(fx.deployment, {fx.address(r) | some r in fx.kz_alerting}), stack), [fx.primary])

_rules_map := fx.kz_alerting[0]

_loki := fx.kz_alerting[1]

_alertmanager := fx.kz_alerting[2]

# the rules ConfigMap with one alert whose expression is `expr`
_rules(expr) := object.union(_rules_map, {"values": object.union(_rules_map.values, {"data": {"rules.yaml": yaml.marshal({"groups": [{"name": "g", "rules": [{"alert": "A", "expr": expr}]}]})}})})

_expr(matcher) := sprintf(`sum by (user) (count_over_time({job="kz-audit", %s} | json logger="logger" | logger="pgaudit" [5m])) > 0`, [matcher])

_one(d) := f if {
	count(d) == 1
	some f in d
}

_values(r) := json.unmarshal(r.values.values[0])

_with_values(r, v) := object.union(r, {"values": object.union(r.values, {"values": [json.marshal(v)]})})

test_watched_store_passes if {
	count(_deny(fx.compliant)) == 0
	count(_deny(fx.with_replica)) == 0
}

test_no_alerting_at_all if {
	f := _one(_deny(_with_stack([])))
	f.rule == "KZ-AUD-004"
	f.resource == "helm_release.clients"
	contains(f.message, `no alert rule of a Loki ruler on its cluster reads the pgaudit stream of namespace "clients"`)
}

test_rules_not_mounted_into_loki_are_not_loaded if {
	v := _values(_loki)
	loki := _with_values(_loki, object.remove(v, ["singleBinary"]))
	f := _one(_deny(_with_stack([_rules_map, loki, _alertmanager])))
	contains(f.message, "no alert rule of a Loki ruler")
}

test_rules_mounted_outside_the_rules_directory_are_not_loaded if {
	v := _values(_loki)
	loki := _with_values(_loki, object.union(v, {"singleBinary": {"extraVolumeMounts": [{"name": "rules", "mountPath": "/etc/other/kz-audit"}]}}))
	count(_deny(_with_stack([_rules_map, loki, _alertmanager]))) == 1
}

test_rules_over_another_namespace if {
	f := _one(_deny(_with_stack([_rules(_expr(`namespace=~"payments|orders"`)), _loki, _alertmanager])))
	contains(f.message, `namespace "clients"`)
}

test_namespace_regex_and_equality_matchers if {
	count(_deny(_with_stack([_rules(_expr(`namespace="clients"`)), _loki, _alertmanager]))) == 0
	count(_deny(_with_stack([_rules(_expr(`namespace=~"orders|client.*"`)), _loki, _alertmanager]))) == 0
	count(_deny(_with_stack([_rules(_expr(`namespace=~"client"`)), _loki, _alertmanager]))) == 1
	count(_deny(_with_stack([_rules(_expr(`namespace!="clients"`)), _loki, _alertmanager]))) == 1
}

test_rules_that_do_not_read_pgaudit_records if {
	count(_deny(_with_stack([_rules(replace(_expr(`namespace="clients"`), "pgaudit", "postgres")), _loki, _alertmanager]))) == 1
}

test_recording_rules_are_not_alerts if {
	cm := object.union(_rules_map, {"values": object.union(_rules_map.values, {"data": {"rules.yaml": yaml.marshal({"groups": [{"name": "g", "rules": [{"record": "x", "expr": _expr(`namespace="clients"`)}]}]})}})})
	count(_deny(_with_stack([cm, _loki, _alertmanager]))) == 1
}

test_ruler_without_alertmanager if {
	v := _values(_loki)
	loki := _with_values(_loki, json.patch(v, [{"op": "remove", "path": "/loki/rulerConfig/alertmanager_url"}]))
	f := _one(_deny(_with_stack([_rules_map, loki, _alertmanager])))
	contains(f.message, "its alert rules (KzAuditMassRead) are evaluated by a Loki ruler whose alertmanager_url names no Alertmanager release")
}

test_alertmanager_url_of_another_service if {
	v := _values(_loki)
	loki := _with_values(_loki, json.patch(v, [{"op": "replace", "path": "/loki/rulerConfig/alertmanager_url", "value": "http://alerts.example.com:9093"}]))
	count(_deny(_with_stack([_rules_map, loki, _alertmanager]))) == 1
}

test_alertmanager_on_another_cluster if {
	am := object.union(_alertmanager, {"provider": "helm.fra"})
	count(_deny(_with_stack([_rules_map, _loki, am]))) == 1
}

test_receiver_that_notifies_nobody if {
	am := _with_values(_alertmanager, {"config": {"route": {"receiver": "dpo"}, "receivers": [{"name": "dpo"}]}})
	count(_deny(_with_stack([_rules_map, _loki, am]))) == 1
}

test_receiver_not_on_the_route if {
	am := _with_values(_alertmanager, {"config": {"route": {"receiver": "null"}, "receivers": [{"name": "null"}, {"name": "dpo", "email_configs": [{"to": "dpo@example.kz"}]}]}})
	count(_deny(_with_stack([_rules_map, _loki, am]))) == 1
}

test_nested_route_receiver_counts if {
	am := _with_values(_alertmanager, {"config": {"route": {"receiver": "null", "routes": [{"matchers": ["source=\"pgaudit\""], "receiver": "dpo"}]}, "receivers": [{"name": "null"}, {"name": "dpo", "webhook_configs": [{"url": "https://hooks.example.kz/dpo"}]}]}})
	count(_deny(_with_stack([_rules_map, _loki, am]))) == 0
}

test_a_label_saying_monitored_is_not_monitoring if {
	ns := object.union(fx.audit_ns, {"values": {"metadata": [object.union(fx.audit_ns.values.metadata[0], {"annotations": {"residency.kz/alerting": "true", "residency.kz/monitored": "true"}})]}})
	rs := [ns, fx.regulator, fx.governance, fx.collector_release, fx.primary]
	count(_deny(rs)) == 1
}

test_store_without_audit_logging_is_left_to_aud_001 if {
	v := json.patch(fx.store_values, [{"op": "remove", "path": "/cluster/postgresql"}])
	count(_deny([fx.audit_ns, fx.regulator, fx.governance, fx.helm_store("clients", "helm.ala", v)])) == 0
}

test_case_data_is_not_judged if {
	v := object.union(fx.store_values, {"residency": {"dataClass": "case"}})
	count(_deny([fx.helm_store("matters", "helm.ala", v)])) == 0
}

test_practice_rule_warns_in_the_law_profile if {
	r := residency.report with input as fx.plan(_with_stack([])) with data.kz_residency as {"sites": fx.sites, "profile": "law", "now": "2026-11-23"}
	not "KZ-AUD-004" in {f.rule | some f in r.deny}
	"KZ-AUD-004" in {f.rule | some f in r.warn}
}

_collector(paths) := object.union(fx.collector_release, {"values": object.union(fx.collector_release.values, {"values": [json.marshal({"config": {"inputs": sprintf("[INPUT]\n    Name tail\n    Path %s\n    DB /var/fluent-bit/state/tail.db\n", [paths])}})]})})

test_records_nobody_collects_are_left_to_aud_002 if {
	rs := [fx.audit_ns, fx.regulator, fx.governance, fx.primary]
	count(_deny(rs)) == 0
}

test_a_collector_reading_other_namespaces_does_not_collect_the_store if {
	count(_deny([_collector("/var/log/containers/*_portal_*.log,/var/log/containers/*_payments_*.log"), fx.primary])) == 0
	count(_deny([_collector("/var/log/containers/*_portal_*.log, /var/log/containers/*_clients_*.log"), fx.primary])) == 1
}

test_a_collector_on_another_cluster_does_not_collect_the_store if {
	c := object.union(fx.collector_release, {"provider": "helm.fra"})
	count(_deny([c, fx.primary])) == 0
}

test_other_collector_charts_collect_every_namespace if {
	c := object.union(fx.collector_release, {"values": object.union(fx.collector_release.values, {"chart": "vector", "values": ["{}"]})})
	count(_deny([c, fx.primary])) == 1
}
