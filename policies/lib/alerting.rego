# METADATA
# title: Alerting on the audit stream
# description: >-
#   Who watches a store's audit log, read from the configuration that does it: a Loki release
#   (Helm chart loki) whose ruler reads rule files from local storage, ConfigMaps of the plan
#   mounted under that rules directory holding Prometheus-format rule groups with alert rules
#   over the pgaudit stream, the ruler's alertmanager_url naming an Alertmanager release (Helm
#   chart alertmanager) of the same cluster, and that Alertmanager's route reaching a receiver
#   with a notification configuration. A ConfigMap no Loki pod mounts, an alert without a
#   receiver or a label saying "monitored" is not alerting.
package kz.lib.alerting

import data.kz.lib.helm
import data.kz.lib.kube
import data.kz.lib.location
import data.kz.lib.plan

lokis contains r if {
	some r in plan.resources
	r.type == "helm_release"
	helm.chart_name(r) == "loki"
}

alertmanagers contains r if {
	some r in plan.resources
	r.type == "helm_release"
	helm.chart_name(r) == "alertmanager"
}

releases := lokis | alertmanagers

# Two Kubernetes resources on one cluster: the same proven site (a site's endpoints all reach its
# cluster), else the same provider host.
same_cluster(a, b) if {
	location.site(a) == location.site(b)
}

same_cluster(a, b) if {
	not location.site(a)
	kube.same_cluster(a, b)
}

same_cluster(a, b) if {
	not location.site(b)
	kube.same_cluster(a, b)
}

# ---------------------------------------------------------------------------------------
# The ruler of a Loki release
# ---------------------------------------------------------------------------------------

_ruler_config(r) := c if {
	c := helm.values(r).loki.rulerConfig
	is_object(c)
}

# The directory the ruler reads rule files from (`<dir>/<tenant>/<file>`), local storage only.
rules_directory(r) := trim_right(d, "/") if {
	c := _ruler_config(r)
	lower(object.get(c, ["storage", "type"], "")) == "local"
	d := c.storage["local"].directory
	is_string(d)
	d != ""
}

# Alertmanager URLs of the ruler (alertmanager_url may list several, comma-separated).
alertmanager_urls(r) := {trim_space(u) | some u in split(_ruler_config(r).alertmanager_url, ","); trim_space(u) != ""} if {
	is_string(_ruler_config(r).alertmanager_url)
} else := set()

# Pod sections of the Loki chart that run the ruler (single binary, backend, dedicated ruler).
_ruler_sections := ["singleBinary", "backend", "ruler"]

# ConfigMaps the ruler's pods mount under the rules directory: [ConfigMap name, tenant].
_mounted_rule_maps(r) := {[vol.configMap.name, tenant] |
	dir := rules_directory(r)
	vals := helm.values(r)
	some section in _ruler_sections
	some vol in object.get(vals, [section, "extraVolumes"], [])
	is_string(vol.configMap.name)
	some m in object.get(vals, [section, "extraVolumeMounts"], [])
	m.name == vol.name
	is_string(m.mountPath)
	startswith(m.mountPath, concat("", [dir, "/"]))
	tenant := split(trim_prefix(m.mountPath, concat("", [dir, "/"])), "/")[0]
	tenant != ""
}

_config_map_data(cm) := d if {
	d := kube.manifest(cm).data
	is_object(d)
} else := d if {
	d := cm.values.data
	is_object(d)
} else := {}

# Rule files the ruler loads: {loki, source, tenant, key, groups}.
rule_files contains {"loki": r.address, "source": cm.address, "tenant": tenant, "key": key, "groups": doc.groups} if {
	some r in lokis
	some [name, tenant] in _mounted_rule_maps(r)
	some cm in plan.resources
	kube.kind(cm) == "ConfigMap"
	kube.name(cm) == name
	kube.namespace(cm) == kube.namespace(r)
	same_cluster(cm, r)
	some key, text in _config_map_data(cm)
	is_string(text)
	yaml.is_valid(text)
	doc := yaml.unmarshal(text)
	is_array(doc.groups)
}

# Alert rules (recording rules are not alerts): {loki, source, tenant, group, alert, expr, severity}.
alert_rules contains {
	"loki": f.loki,
	"source": f.source,
	"tenant": f.tenant,
	"group": object.get(g, "name", ""),
	"alert": rule.alert,
	"expr": rule.expr,
	"severity": object.get(rule, ["labels", "severity"], null),
} if {
	some f in rule_files
	some g in f.groups
	is_object(g)
	some rule in object.get(g, "rules", [])
	is_object(rule)
	is_string(rule.alert)
	is_string(rule.expr)
}

# An alert over the pgaudit stream selects namespace `ns` (a namespace="…" or namespace=~"…"
# matcher) and reads pgaudit records.
over_audit_stream(a, ns) if {
	contains(a.expr, "pgaudit")
	_selects_namespace(a.expr, ns)
}

_selects_namespace(expr, ns) if {
	some m in regex.find_all_string_submatch_n(`namespace\s*=\s*"([^"]*)"`, expr, -1)
	m[1] == ns
}

_selects_namespace(expr, ns) if {
	some m in regex.find_all_string_submatch_n(`namespace\s*=~\s*"([^"]*)"`, expr, -1)
	regex.match(concat("", ["^(?:", m[1], ")$"]), ns)
}

# ---------------------------------------------------------------------------------------
# Alertmanagers and their receivers
# ---------------------------------------------------------------------------------------

# The Service name the chart gives an Alertmanager release.
_fullname(am) := n if {
	n := helm.values(am).fullnameOverride
	is_string(n)
	n != ""
} else := am.values.name if {
	contains(am.values.name, "alertmanager")
} else := concat("-", [am.values.name, "alertmanager"])

_url_host(u) := lower(m[0][1]) if {
	m := regex.find_all_string_submatch_n(`^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/]*@)?([^/:?#]+)`, u, 1)
	count(m) == 1
}

# The host names a client in namespace `from_ns` may use for the Alertmanager's Service.
_service_names(am, from_ns) := names if {
	svc := _fullname(am)
	ns := kube.namespace(am)
	long := {concat(".", [svc, ns]), concat(".", [svc, ns, "svc"]), concat(".", [svc, ns, "svc", "cluster", "local"])}
	names := long | {svc | ns == from_ns}
}

# The Alertmanager releases a Loki ruler sends to.
alertmanagers_of(r) := {am |
	some u in alertmanager_urls(r)
	host := _url_host(u)
	some am in alertmanagers
	same_cluster(am, r)
	host in _service_names(am, kube.namespace(r))
}

_am_config(am) := c if {
	c := helm.values(am).config
	is_object(c)
	object.get(c, "enabled", true) != false
} else := {}

# Receivers the route tree sends to (the root receiver and every nested route's).
_routed(am) := {x |
	walk(object.get(_am_config(am), "route", {}), [path, x])
	count(path) > 0
	path[count(path) - 1] == "receiver"
	is_string(x)
}

# Receivers on the route that notify someone (a non-empty *_configs list), with their e-mail
# recipients.
receivers(am) := {{"name": rc.name, "notifies": sort(kinds), "email": sort(emails)} |
	some rc in object.get(_am_config(am), "receivers", [])
	is_object(rc)
	rc.name in _routed(am)
	kinds := {k | some k, v in rc; endswith(k, "_configs"); is_array(v); count(v) > 0}
	count(kinds) > 0
	emails := {trim_space(t) | some e in object.get(rc, "email_configs", []); some t in split(object.get(e, "to", ""), ","); trim_space(t) != ""}
}

# Each ruler and the Alertmanager it sends to: {ruler, alertmanager, receivers, recipients}.
routes contains {
	"ruler": r.address,
	"alertmanager": am.address,
	"receivers": sort([x.name | some x in receivers(am)]),
	"recipients": sort({e | some x in receivers(am); some e in x.email}),
} if {
	some r in lokis
	some am in alertmanagers_of(r)
}

# ---------------------------------------------------------------------------------------
# Collection: whose audit records are shipped at all
# ---------------------------------------------------------------------------------------

# Log collectors (Helm charts that ship container logs off the node).
collector_charts := {"fluent-bit", "fluentd", "vector", "promtail", "opentelemetry-collector", "alloy", "grafana-agent"}

collectors contains r if {
	some r in plan.resources
	r.type == "helm_release"
	helm.chart_name(r) in collector_charts
}

# Files Fluent Bit's tail inputs read (`Path` of each [INPUT], comma-separated globs).
_tail_paths(r) := {trim_space(p) |
	helm.chart_name(r) == "fluent-bit"
	text := helm.values(r).config.inputs
	is_string(text)
	some line in split(text, "\n")
	m := regex.find_all_string_submatch_n(`^\s*Path\s+(.+)$`, line, 1)
	count(m) == 1
	some p in split(m[0][1], ",")
	trim_space(p) != ""
}

# A collector ships the container logs of namespace `ns`: Fluent Bit when one of its tail paths
# matches the kubelet's log file name for a pod of `ns` (`<pod>_<namespace>_<container>-<id>.log`);
# the other collectors collect every pod's logs in their charts' default configuration.
collects(r, ns) if {
	some p in _tail_paths(r)
	glob.match(p, ["/"], concat("", ["/var/log/containers/pod_", ns, "_container-0123abcd.log"]))
}

collects(r, _) if helm.chart_name(r) in (collector_charts - {"fluent-bit"})

# A store's audit records are collected: by a log collector on its cluster that reads its
# namespace, or, for a managed store, by the provider's log export its configuration turns on.
collected(s) if {
	kube.is_kube(s)
	some c in collectors
	same_cluster(c, s)
	collects(c, kube.namespace(s))
}

collected(s) if not kube.is_kube(s)

# ---------------------------------------------------------------------------------------
# The answers rules and the inventory use
# ---------------------------------------------------------------------------------------

# Alert rules over a Kubernetes store's pgaudit stream, from a Loki release on its cluster or a
# Loki that a log shipper delivers the store's records to (lib/flows.rego log-shipping edges).
store_rules(s) := {a |
	kube.is_kube(s)
	ns := kube.namespace(s)
	some a in alert_rules
	over_audit_stream(a, ns)
	some r in lokis
	r.address == a.loki
	_receives_records(r, s)
}

_receives_records(r, s) if same_cluster(r, s)

_receives_records(r, s) if {
	some e in data.kz.lib.flows.edges
	e.kind == "log-shipping"
	e.destination_resource == r.address
	s.address in e.source_stores
}

# Alert rules over the store's audit stream whose ruler reaches a receiver that notifies someone.
delivered_rules(s) := {a |
	some a in store_rules(s)
	some route in routes
	route.ruler == a.loki
	count(route.receivers) > 0
}

watched(s) if count(delivered_rules(s)) > 0

# Why a store's audit stream is not watched (undefined when it is).
problem(s) := "the pack recognises alerting only as Loki ruler rules over the pgaudit stream of a Kubernetes store; this store is not on Kubernetes" if {
	not kube.is_kube(s)
} else := sprintf("no alert rule of a Loki ruler on its cluster reads the pgaudit stream of namespace %q (rule files must be ConfigMaps mounted under the ruler's local rules directory)", [kube.namespace(s)]) if {
	count(store_rules(s)) == 0
} else := sprintf("its alert rules (%s) are evaluated by a Loki ruler whose alertmanager_url names no Alertmanager release of this plan with a receiver that notifies anyone", [concat(", ", sort({a.alert | some a in store_rules(s)}))]) if {
	not watched(s)
}

store_alerting(s) := {
	"watched": _watched(s),
	"rules": sort({a.alert | some a in delivered_rules(s)}),
	"recipients": sort({e | some a in delivered_rules(s); some route in routes; route.ruler == a.loki; some e in route.recipients}),
	"problem": _problem(s),
}

_watched(s) := true if {
	watched(s)
} else := false

_problem(s) := p if {
	p := problem(s)
} else := null

summary := {
	"rules": sort([object.remove(a, ["expr"]) | some a in alert_rules]),
	"routes": sort(routes),
}
