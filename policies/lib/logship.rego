# METADATA
# title: Log shippers
# description: >-
#   Where log and audit shippers send what they collect, read from their rendered configuration
#   wherever a plan carries it (Helm values, ConfigMaps, operators' resources): Fluent Bit
#   ([INPUT]/[OUTPUT] sections and its YAML pipeline), Fluentd (<source> and <match> blocks),
#   Vector (sources and sinks, YAML or TOML), Promtail (clients), Grafana Alloy (loki.write and
#   otelcol exporters), the OpenTelemetry collector (exporters of its logs pipelines, in chart
#   values, ConfigMaps or OpenTelemetryCollector resources) and the Fluent operator's outputs.
#   Each output is {resource, shipper, output, destination, namespaces, encrypted, encryption}:
#   the namespaces whose container logs it collects (["*"]: every namespace of its cluster, also
#   when the inputs cannot tell), where it sends them, and whether the connection is TLS.
#   pgaudit writes statement text (and, with log_parameter, parameters) to those logs, so a
#   shipper carries the data of the stores in the namespaces it collects.
package kz.lib.logship

import data.kz.lib.helm
import data.kz.lib.kube
import data.kz.lib.network
import data.kz.lib.plan

# ---------------------------------------------------------------------------------------
# Texts and structured configuration of the plan's resources
# ---------------------------------------------------------------------------------------

# Texts that may hold shipper configuration: string values of Helm releases, ConfigMap files,
# string fields of operators' resources: [resource, text].
_texts contains [r, t] if {
	some r in network.releases
	walk(helm.values(r), [_, t])
	is_string(t)
	_marked(t)
}

_texts contains [r, t] if {
	some r in network.config_maps
	some t in kube.config_data(r)
	is_string(t)
	_marked(t)
}

_texts contains [r, t] if {
	some r in network.custom_resources
	kube.api_group(r) == "opentelemetry.io"
	t := kube.spec(r).config
	is_string(t)
}

_marked(t) if contains(t, "[OUTPUT]")

_marked(t) if contains(lower(t), "[output]")

_marked(t) if contains(lower(t), "[input]")

_marked(t) if contains(t, "<match")

_marked(t) if contains(t, "sinks")

_marked(t) if contains(t, "exporters:")

_marked(t) if contains(t, "clients:")

_marked(t) if contains(t, "loki.write")

_marked(t) if contains(t, "pipeline:")

# Structured configuration: objects of Helm values and YAML texts ([resource, object]).
_objects contains [r, o] if {
	some r in network.releases
	walk(helm.values(r), [_, o])
	is_object(o)
	_structured(o)
}

_objects contains [r, o] if {
	some [r, t] in _texts
	not contains(t, "[OUTPUT]")
	not contains(t, "<match")
	yaml.is_valid(t)
	doc := yaml.unmarshal(t)
	is_object(doc)
	walk(doc, [_, o])
	is_object(o)
	_structured(o)
}

_objects contains [r, o] if {
	some r in network.custom_resources
	kube.api_group(r) == "opentelemetry.io"
	o := kube.spec(r).config
	is_object(o)
	_structured(o)
}

_structured(o) if is_object(o.sinks)

_structured(o) if {
	is_object(o.exporters)
	is_object(o.service.pipelines)
}

_structured(o) if is_array(o.clients)

_structured(o) if is_string(o.lokiAddress)

_structured(o) if is_object(o.pipeline)

# Every output of every shipper.
outputs := ((((((_fluentbit | _fluentbit_yaml) | _fluentd) | _vector) | _vector_toml) | _promtail) | _alloy) | _otel | _fluent_operator

# ---------------------------------------------------------------------------------------
# Namespaces of container log paths
# ---------------------------------------------------------------------------------------

# Namespaces whose container logs a path glob reads: /var/log/containers/<pod>_<namespace>_...
# and /var/log/pods/<namespace>_<pod>_...; ["*"] when the namespace part is a wildcard.
path_namespaces(p) := [m[1]] if {
	m := regex.find_all_string_submatch_n(`^/var/log/containers/[^_/]*_([a-z0-9-]+)_`, trim_space(p), 1)[0]
} else := [m[1]] if {
	m := regex.find_all_string_submatch_n(`^/var/log/pods/([a-z0-9-]+)_`, trim_space(p), 1)[0]
} else := ["*"] if {
	regex.match(`^/var/log/(containers|pods)/`, trim_space(p))
} else := []

_paths_namespaces(paths) := {n | some p in paths; some n in path_namespaces(p)}

# Collapse: any "*" means every namespace.
_namespaces(ns) := ["*"] if "*" in ns

_namespaces(ns) := sort(ns) if not "*" in ns

_tls_text(true) := "TLS"

_tls_text(false) := "no TLS"


# ---------------------------------------------------------------------------------------
# Fluent Bit ([INPUT]/[OUTPUT] sections)
# ---------------------------------------------------------------------------------------

_sections(t) := [[lower(trim_space(substring(part, 0, i))), substring(part, i + 1, -1)] |
	some part in regex.split(`(?m)^[ \t]*\[`, t)
	i := indexof(part, "]")
	i > 0
	not contains(substring(part, 0, i), "\n")
]

_kv(body) := {[lower(m[1]), trim_space(m[2])] | some m in regex.find_all_string_submatch_n(`(?m)^[ \t]*([A-Za-z0-9_.\-]+)[ \t]+([^\n]*?)[ \t]*$`, body, -1)}

_get(kv, k) := v if {
	some [x, v] in kv
	x == k
}

_get_or(kv, k, d) := v if {
	v := _get(kv, k)
} else := d

_on(v) if lower(v) in {"on", "true", "yes", "1"}

# The inputs of a Fluent Bit text: {tag, namespaces}.
_fb_inputs(t) := {{"tag": _get_or(kv, "tag", lower(_get_or(kv, "name", ""))), "namespaces": _fb_input_namespaces(kv)} |
	some [name, body] in _sections(t)
	name == "input"
	kv := _kv(body)
}

_fb_input_namespaces(kv) := _paths_namespaces(split(_get(kv, "path"), ",")) if {
	lower(_get(kv, "name")) == "tail"
} else := set() if {
	lower(_get_or(kv, "name", "")) in {"systemd", "kmsg", "node_exporter_metrics", "cpu", "mem", "disk", "netif", "proc", "thermal", "health", "dummy", "fluentbit_metrics", "kubernetes_events", "process_exporter_metrics"}
} else := {"*"}

# The inputs of every Fluent Bit text of a resource (a chart keeps inputs and outputs apart).
_fb_input_pairs := [{"resource": r.address, "input": i} | some [r, t] in _texts; some i in _fb_inputs(t)]

_resource_inputs(a) := {x.input | some x in _fb_input_pairs; x.resource == a}

# A Fluent Bit Match pattern as a regular expression.
_match_regex(m) := concat("", ["^", replace(replace(m, ".", `\.`), "*", ".*"), "$"])

_matches(kv, tag) if {
	m := _get(kv, "match")
	regex.match(_match_regex(m), replace(tag, "*", "x"))
}

_matches(kv, tag) if regex.match(_get(kv, "match_regex"), replace(tag, "*", "x"))

_matches(kv, _) if {
	not _get(kv, "match")
	not _get(kv, "match_regex")
}

_fluentbit contains o if {
	some [r, t] in _texts
	inputs := _resource_inputs(r.address)
	some [name, body] in _sections(t)
	name == "output"
	kv := _kv(body)
	plugin := lower(_get_or(kv, "name", ""))
	some dest in _fb_destinations(plugin, kv)
	ns := {n | some i in inputs; _matches(kv, i.tag); some n in i.namespaces}
	encrypted := _fb_tls_flag(plugin, kv)
	o := {"resource": r.address, "shipper": "Fluent Bit", "output": plugin, "destination": dest, "namespaces": _namespaces(_default_all(ns, inputs)), "encrypted": encrypted, "encryption": _tls_text(encrypted)}
}

# No input in the same text (inputs elsewhere in the chart): every namespace.
_default_all(ns, inputs) := {"*"} if count(inputs) == 0

_default_all(ns, inputs) := ns if count(inputs) > 0

_fb_tls(_, kv) if _on(_get(kv, "tls"))

_fb_tls(plugin, _) if plugin in {"s3", "cloudwatch_logs", "kinesis_firehose", "kinesis_streams", "stackdriver", "azure", "azure_logs_ingestion", "azure_blob", "azure_kusto", "bigquery"}

_fb_destinations(plugin, _) := set() if plugin in {"null", "stdout", "file", "counter", "exit", "flowcounter", "prometheus_exporter", "lib"}

_fb_destinations("s3", kv) := {sprintf("%s/%s", [trim_right(_get(kv, "endpoint"), "/"), _get_or(kv, "bucket", "")])} if {
	_get(kv, "endpoint")
} else := {sprintf("https://s3.%s.amazonaws.com/%s", [_get_or(kv, "region", "us-east-1"), _get_or(kv, "bucket", "")])}

_fb_destinations(plugin, kv) := {sprintf("https://%s.%s.amazonaws.com", [_aws_service(plugin), _get_or(kv, "region", "us-east-1")])} if plugin in {"cloudwatch_logs", "kinesis_firehose", "kinesis_streams"}

_aws_service("cloudwatch_logs") := "logs"

_aws_service("kinesis_firehose") := "firehose"

_aws_service("kinesis_streams") := "kinesis"

_fb_destinations("stackdriver", _) := {"https://logging.googleapis.com"}

_fb_destinations("azure", kv) := {sprintf("https://%s.ods.opinsights.azure.com", [_get_or(kv, "customer_id", "unknown")])}

_fb_destinations("kafka", kv) := {trim_space(b) | some b in split(_get_or(kv, "brokers", ""), ","); trim_space(b) != ""}

_fb_destinations("datadog", kv) := {_get_or(kv, "host", "http-intake.logs.datadoghq.com")}

_fb_destinations(plugin, kv) := {_cloud_id_host(_get(kv, "cloud_id"))} if {
	plugin in {"es", "elasticsearch", "opensearch"}
	_get(kv, "cloud_id")
}

_fb_destinations(plugin, kv) := {_host_port(kv, plugin)} if {
	not plugin in {"null", "stdout", "file", "counter", "exit", "flowcounter", "prometheus_exporter", "lib", "s3", "cloudwatch_logs", "kinesis_firehose", "kinesis_streams", "stackdriver", "azure", "kafka", "datadog"}
	not _cloud_output(plugin, kv)
}

_cloud_output(plugin, kv) if {
	plugin in {"es", "elasticsearch", "opensearch"}
	_get(kv, "cloud_id")
}

# Default hosts of Fluent Bit outputs: 127.0.0.1 (the pod itself) unless Host is set.
_host_port(kv, plugin) := concat(":", [h, p]) if {
	h := _get_or(kv, "host", "127.0.0.1")
	p := _get_or(kv, "port", _default_port(plugin))
	p != ""
} else := _get_or(kv, "host", "127.0.0.1")

_default_port("loki") := "3100"

_default_port("forward") := "24224"

_default_port(p) := "9200" if p in {"es", "elasticsearch", "opensearch"}

_default_port("splunk") := "8088"

_default_port(p) := "" if not p in {"loki", "forward", "es", "elasticsearch", "opensearch", "splunk"}

# An Elastic Cloud id "name:base64(host$es-uuid$kibana-uuid)" -> the deployment's host.
_cloud_id_host(id) := h if {
	parts := split(id, ":")
	count(parts) >= 2
	decoded := base64.decode(parts[count(parts) - 1])
	segs := split(decoded, "$")
	h := concat(".", [segs[1], split(segs[0], ":")[0]])
} else := "cloud.es.io"

# Fluent Bit's YAML configuration: pipeline.inputs and pipeline.outputs.
_fluentbit_yaml contains o if {
	some [r, doc] in _objects
	p := doc.pipeline
	is_object(p)
	inputs := {{"tag": object.get(i, "tag", object.get(i, "name", "")), "namespaces": _fb_input_namespaces(_pairs(i))} | some i in object.get(p, "inputs", []); is_object(i)}
	some out in object.get(p, "outputs", [])
	is_object(out)
	kv := _pairs(out)
	plugin := lower(_get_or(kv, "name", ""))
	some dest in _fb_destinations(plugin, kv)
	ns := {n | some i in inputs; _matches(kv, i.tag); some n in i.namespaces}
	encrypted := _fb_tls_flag(plugin, kv)
	o := {"resource": r.address, "shipper": "Fluent Bit", "output": plugin, "destination": dest, "namespaces": _namespaces(_default_all(ns, inputs)), "encrypted": encrypted, "encryption": _tls_text(encrypted)}
}

_pairs(o) := {[lower(k), sprintf("%v", [v])] | some k, v in o; is_string(k); not is_object(v); not is_array(v)} | {[lower(k), joined] | some k, v in o; is_string(k); is_array(v); joined := concat(",", [sprintf("%v", [x]) | some x in v])}

# ---------------------------------------------------------------------------------------
# Fluentd (<source> and <match> blocks)
# ---------------------------------------------------------------------------------------

_fluentd contains o if {
	some [r, t] in _texts
	contains(t, "<match")
	sources := {n |
		some m in regex.find_all_string_submatch_n(`(?s)<source>(.*?)</source>`, t, -1)
		some n in _fluentd_source_namespaces(m[1])
	}
	some m in regex.find_all_string_submatch_n(`(?s)<match\s+([^>]*)>(.*?)</match>`, t, -1)
	body := m[2]
	type := _fluentd_type(body)
	some dest in _fluentd_destinations(type, body)
	encrypted := _fluentd_tls_flag(body, dest)
	o := {"resource": r.address, "shipper": "Fluentd", "output": type, "destination": dest, "namespaces": _namespaces(_fluentd_default(sources)), "encrypted": encrypted, "encryption": _tls_text(encrypted)}
}

_fluentd_default(s) := {"*"} if count(s) == 0

_fluentd_default(s) := s if count(s) > 0

_fluentd_source_namespaces(body) := _paths_namespaces(split(m[1], ",")) if {
	regex.match(`@type\s+tail\b`, body)
	m := regex.find_all_string_submatch_n(`(?m)^\s*path\s+([^\s]+)`, body, 1)[0]
} else := {"*"}

_fluentd_type(body) := m[1] if {
	m := regex.find_all_string_submatch_n(`@type\s+([A-Za-z0-9_-]+)`, body, 1)[0]
} else := ""

_fluentd_keys := `(?m)^\s*(host|hosts|url|urls|endpoint|endpoint_url|uri|s3_endpoint|brokers|hec_host|logs_endpoint|server)\s+([^\s#]+)`

_fluentd_destinations(type, _) := set() if type in {"null", "stdout", "file", "relabel", "rewrite_tag_filter"}

_fluentd_destinations(type, body) := {d |
	not type in {"null", "stdout", "file", "relabel", "rewrite_tag_filter"}
	some m in regex.find_all_string_submatch_n(_fluentd_keys, body, -1)
	some d in split(m[2], ",")
	trim_space(d) != ""
} | {sprintf("https://s3.%s.amazonaws.com/%s", [r[1], b[1]]) |
	b := regex.find_all_string_submatch_n(`(?m)^\s*s3_bucket\s+([^\s#]+)`, body, 1)[0]
	r := regex.find_all_string_submatch_n(`(?m)^\s*s3_region\s+([^\s#]+)`, body, 1)[0]
	not regex.match(`(?m)^\s*s3_endpoint\s`, body)
} | {sprintf("https://logs.%s.amazonaws.com", [r[1]]) |
	regex.match(`@type\s+cloudwatch_logs`, body)
	r := regex.find_all_string_submatch_n(`(?m)^\s*region\s+([^\s#]+)`, body, 1)[0]
} | {"https://logging.googleapis.com" |
	regex.match(`@type\s+google_cloud`, body)
}

_fluentd_tls(_, dest) if startswith(lower(dest), "https://")

_fluentd_tls(body, _) if regex.match(`(?m)^\s*(scheme\s+https|transport\s+tls|use_ssl\s+true|ssl\s+true|tls\s+true)\b`, body)

# ---------------------------------------------------------------------------------------
# Vector (sources and sinks)
# ---------------------------------------------------------------------------------------

_vector contains o if {
	some [r, doc] in _objects
	is_object(doc.sinks)
	some id, sink in doc.sinks
	is_object(sink)
	type := lower(object.get(sink, "type", ""))
	some dest in _vector_destinations(type, sink)
	ns := _vector_namespaces(object.get(doc, "sources", {}))
	encrypted := _vector_tls_flag(sink, dest)
	o := {"resource": r.address, "shipper": "Vector", "output": sprintf("%s (%s)", [id, type]), "destination": dest, "namespaces": _namespaces(ns), "encrypted": encrypted, "encryption": _tls_text(encrypted)}
}

_vector_none := {"console", "blackhole", "file", "prometheus_exporter", "statsd"}

_vector_destinations(type, _) := set() if type in _vector_none

_vector_destinations(type, sink) := {d |
	not type in _vector_none
	some k in ["endpoint", "uri", "address", "host"]
	d := sink[k]
	is_string(d)
} | {d |
	not type in _vector_none
	some d in object.get(sink, "endpoints", [])
	is_string(d)
} | {trim_space(d) |
	not type in _vector_none
	some d in split(object.get(sink, "bootstrap_servers", ""), ",")
	trim_space(d) != ""
} | {sprintf("https://s3.%s.amazonaws.com/%s", [object.get(sink, "region", "us-east-1"), sink.bucket]) |
	type == "aws_s3"
	not sink.endpoint
} | {sprintf("https://logs.%s.amazonaws.com", [object.get(sink, "region", "us-east-1")]) |
	type == "aws_cloudwatch_logs"
	not sink.endpoint
} | {sprintf("https://http-intake.logs.%s", [object.get(sink, "site", "datadoghq.com")]) |
	type == "datadog_logs"
	not sink.endpoint
} | {"https://logging.googleapis.com" |
	type == "gcp_stackdriver_logs"
} | {sprintf("https://%s.ods.opinsights.azure.com", [object.get(sink, "customer_id", "unknown")]) |
	type == "azure_monitor_logs"
}

_vector_namespaces(sources) := {"*"} if {
	count(sources) == 0
} else := {n | some _, s in sources; some n in _vector_source_namespaces(s)}

_vector_source_namespaces(s) := {m[1]} if {
	lower(object.get(s, "type", "")) == "kubernetes_logs"
	m := regex.find_all_string_submatch_n(`metadata\.namespace==?([a-z0-9-]+)`, object.get(s, "extra_field_selector", ""), 1)[0]
} else := _paths_namespaces(object.get(s, "include", [])) if {
	lower(object.get(s, "type", "")) == "file"
} else := set() if {
	lower(object.get(s, "type", "")) in {"internal_logs", "internal_metrics", "host_metrics", "journald"}
} else := {"*"}

_vector_tls(_, dest) if startswith(lower(dest), "https://")

_vector_tls(sink, _) if sink.tls.enabled == true

# Vector TOML: [sinks.<id>] tables with type and endpoint keys.
_vector_toml contains o if {
	some [r, t] in _texts
	contains(t, "[sinks.")
	some chunk in regex.split(`(?m)^\[`, t)
	startswith(chunk, "sinks.")
	i := indexof(chunk, "]")
	i > 0
	m := [chunk, substring(chunk, 6, i - 6), substring(chunk, i + 1, -1)]
	keys := {[lower(k[1]), trim(k[2], "\"' ")] | some k in regex.find_all_string_submatch_n(`(?m)^\s*([A-Za-z_]+)\s*=\s*([^\n]+)$`, m[2], -1)}
	type := _get_or(keys, "type", "")
	some k in ["endpoint", "uri", "address"]
	dest := _get(keys, k)
	encrypted := startswith(lower(dest), "https://")
	o := {"resource": r.address, "shipper": "Vector", "output": sprintf("%s (%s)", [m[1], type]), "destination": dest, "namespaces": ["*"], "encrypted": encrypted, "encryption": _tls_text(encrypted)}
}

# ---------------------------------------------------------------------------------------
# Promtail, Grafana Alloy
# ---------------------------------------------------------------------------------------

_promtail contains o if {
	some [r, doc] in _objects
	some url in {c.url | some c in object.get(doc, "clients", []); is_object(c); is_string(c.url)} | {doc.lokiAddress | is_string(doc.lokiAddress)}
	encrypted := startswith(lower(url), "https://")
	o := {"resource": r.address, "shipper": "Promtail", "output": "loki client", "destination": url, "namespaces": _namespaces(_promtail_namespaces(doc)), "encrypted": encrypted, "encryption": _tls_text(encrypted)}
}

_promtail_namespaces(doc) := ns if {
	ns := {n |
		some sc in object.get(doc, "scrape_configs", [])
		some sd in object.get(sc, "kubernetes_sd_configs", [])
		some n in object.get(sd, ["namespaces", "names"], [])
	}
	count(ns) > 0
} else := {"*"}

_alloy contains o if {
	some [r, t] in _texts
	some m in regex.find_all_string_submatch_n(`(?s)(loki\.write|otelcol\.exporter\.[a-z_]+)\s+"([^"]+)"\s*\{(.*?)\n\}`, t, -1)
	some u in regex.find_all_string_submatch_n(`(?m)^\s*(?:url|endpoint)\s*=\s*"([^"]+)"`, m[3], -1)
	encrypted := startswith(lower(u[1]), "https://")
	o := {"resource": r.address, "shipper": "Grafana Alloy", "output": sprintf("%s %q", [m[1], m[2]]), "destination": u[1], "namespaces": ["*"], "encrypted": encrypted, "encryption": _tls_text(encrypted)}
}

# ---------------------------------------------------------------------------------------
# OpenTelemetry collector (exporters of logs pipelines)
# ---------------------------------------------------------------------------------------

_otel contains o if {
	some [r, cfg] in _objects
	is_object(cfg.exporters)
	some pname, pipe in cfg.service.pipelines
	startswith(pname, "logs")
	some name in object.get(pipe, "exporters", [])
	ex := object.get(cfg.exporters, name, {})
	some dest in _otel_destinations(name, ex)
	ns := {n | some rec in object.get(pipe, "receivers", []); some n in _otel_receiver_namespaces(rec, object.get(cfg, "receivers", {}))}
	encrypted := _otel_tls_flag(ex, dest)
	o := {"resource": r.address, "shipper": "OpenTelemetry collector", "output": name, "destination": dest, "namespaces": _namespaces(_default_star(ns)), "encrypted": encrypted, "encryption": _tls_text(encrypted)}
}

_default_star(ns) := {"*"} if count(ns) == 0

_default_star(ns) := ns if count(ns) > 0

_otel_type(name) := split(name, "/")[0]

_otel_destinations(name, _) := set() if _otel_type(name) in {"debug", "logging", "file", "nop"}

_otel_destinations(name, ex) := {d |
	not _otel_type(name) in {"debug", "logging", "file", "nop"}
	is_object(ex)
	some k in ["endpoint", "logs_endpoint"]
	d := ex[k]
	is_string(d)
} | {d |
	is_object(ex)
	some k in ["endpoints", "brokers"]
	some d in object.get(ex, k, [])
	is_string(d)
} | {sprintf("https://s3.%s.amazonaws.com/%s", [object.get(ex.s3uploader, "region", "us-east-1"), object.get(ex.s3uploader, "s3_bucket", "")]) |
	_otel_type(name) == "awss3"
	not ex.s3uploader.endpoint
} | {sprintf("%s/%s", [ex.s3uploader.endpoint, object.get(ex.s3uploader, "s3_bucket", "")]) |
	_otel_type(name) == "awss3"
	is_string(ex.s3uploader.endpoint)
} | {sprintf("https://logs.%s.amazonaws.com", [object.get(ex, "region", "us-east-1")]) |
	_otel_type(name) == "awscloudwatchlogs"
} | {sprintf("https://http-intake.logs.%s", [object.get(ex, ["api", "site"], "datadoghq.com")]) |
	_otel_type(name) == "datadog"
} | {"https://logging.googleapis.com" |
	_otel_type(name) == "googlecloud"
}

_otel_tls(_, dest) if startswith(lower(dest), "https://")

# gRPC OTLP is TLS unless told insecure.
_otel_tls(ex, dest) if {
	not contains(dest, "://")
	not ex.tls.insecure == true
}

_otel_receiver_namespaces(name, receivers) := _paths_namespaces(object.get(receivers[name], "include", [])) if {
	startswith(name, "filelog")
} else := {"*"}

# ---------------------------------------------------------------------------------------
# The Fluent operator's outputs (fluentbit.fluent.io, fluentd.fluent.io)
# ---------------------------------------------------------------------------------------

_fluent_operator contains o if {
	some r in network.custom_resources
	kube.api_group(r) in {"fluentbit.fluent.io", "fluentd.fluent.io"}
	kube.kind(r) in {"ClusterOutput", "Output"}
	some plugin, cfg in kube.spec(r)
	is_object(cfg)
	some dest in _operator_destinations(cfg)
	encrypted := _operator_tls_flag(cfg, dest)
	o := {"resource": r.address, "shipper": sprintf("%s %s", [kube.api_group(r), kube.kind(r)]), "output": plugin, "destination": dest, "namespaces": _operator_namespaces(r), "encrypted": encrypted, "encryption": _tls_text(encrypted)}
}

_operator_destinations(cfg) := {d |
	some k in ["host", "endpoint", "url", "brokers", "endpointUrl"]
	d := cfg[k]
	is_string(d)
}

_operator_tls(cfg, _) if is_object(cfg.tls)

_operator_tls(_, dest) if startswith(lower(dest), "https://")

# A namespaced Output receives the logs of its own namespace; a ClusterOutput, of every namespace.
_operator_namespaces(r) := [kube.namespace(r)] if kube.kind(r) == "Output"

_operator_namespaces(r) := ["*"] if kube.kind(r) == "ClusterOutput"

_fb_tls_flag(plugin, kv) := true if _fb_tls(plugin, kv) else := false

_fluentd_tls_flag(body, dest) := true if _fluentd_tls(body, dest) else := false

_vector_tls_flag(sink, dest) := true if _vector_tls(sink, dest) else := false

_otel_tls_flag(ex, dest) := true if _otel_tls(ex, dest) else := false

_operator_tls_flag(cfg, dest) := true if _operator_tls(cfg, dest) else := false
