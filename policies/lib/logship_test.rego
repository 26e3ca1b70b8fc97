package kz.lib.logship_test

import data.kz.lib.logship
import data.kz.residency.fixtures_test as fx

_out(rs) := x if {
	x := {[o.shipper, o.output, o.destination, o.namespaces, o.encrypted] | some o in logship.outputs} with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

_release(chart, values) := fx.res("helm_release", "shipper", "helm.ala", {"name": "shipper", "chart": chart, "namespace": "logging", "values": [json.marshal(values)]})

_cm(file, text) := fx.res("kubernetes_config_map_v1", "shipper", "kubernetes.ala", {"metadata": [{"name": "shipper", "namespace": "logging"}], "data": {file: text}})

test_path_namespaces if {
	logship.path_namespaces("/var/log/containers/*_clients_*.log") == ["clients"]
	logship.path_namespaces("/var/log/pods/matters_*/*/*.log") == ["matters"]
	logship.path_namespaces("/var/log/containers/*.log") == ["*"]
	logship.path_namespaces("/var/log/syslog") == []
}

test_fluent_bit if {
	_out([fx.collector(fx.fluent_bit_inputs, fx.fluent_bit_output("loki-gateway.kz-audit.svc.cluster.local"))]) == {["Fluent Bit", "loki", "loki-gateway.kz-audit.svc.cluster.local:80", ["clients", "portal"], false]}
	# outputs with their defaults: S3 by region, CloudWatch, Datadog, an output Match that no input feeds
	text := "[INPUT]\n    Name tail\n    Tag kube.*\n    Path /var/log/containers/*.log\n[INPUT]\n    Name systemd\n    Tag host.*\n[OUTPUT]\n    Name s3\n    Match kube.*\n    bucket audit-archive\n    region eu-west-1\n[OUTPUT]\n    Name cloudwatch_logs\n    Match *\n    region us-east-1\n[OUTPUT]\n    Name datadog\n    Match host.*\n"
	_out([_cm("fluent-bit.conf", text)]) == {
		["Fluent Bit", "s3", "https://s3.eu-west-1.amazonaws.com/audit-archive", ["*"], true],
		["Fluent Bit", "cloudwatch_logs", "https://logs.us-east-1.amazonaws.com", ["*"], true],
		["Fluent Bit", "datadog", "http-intake.logs.datadoghq.com", [], false],
	}
}

test_fluent_bit_yaml if {
	y := "pipeline:\n  inputs:\n    - name: tail\n      tag: kube.*\n      path: /var/log/containers/*_clients_*.log\n  outputs:\n    - name: es\n      match: kube.*\n      host: es.hq.example.com\n      port: 9200\n      tls: on\n"
	_out([_cm("fluent-bit.yaml", y)]) == {["Fluent Bit", "es", "es.hq.example.com:9200", ["clients"], true]}
}

test_fluentd if {
	conf := "<source>\n  @type tail\n  path /var/log/containers/*_clients_*.log\n  tag kube.*\n</source>\n<match kube.**>\n  @type elasticsearch\n  host es.hq.example.com\n  port 9200\n  scheme https\n</match>\n"
	_out([_cm("fluent.conf", conf)]) == {["Fluentd", "elasticsearch", "es.hq.example.com", ["clients"], true]}
}

test_vector if {
	v := {"customConfig": {
		"sources": {"k8s": {"type": "kubernetes_logs", "extra_field_selector": "metadata.namespace=clients"}},
		"sinks": {"loki": {"type": "loki", "inputs": ["k8s"], "endpoint": "http://loki-gateway.kz-audit.svc"}, "splunk": {"type": "splunk_hec_logs", "inputs": ["k8s"], "endpoint": "https://hec.splunkcloud.com"}},
	}}
	_out([_release("vector", v)]) == {["Vector", "loki (loki)", "http://loki-gateway.kz-audit.svc", ["clients"], false], ["Vector", "splunk (splunk_hec_logs)", "https://hec.splunkcloud.com", ["clients"], true]}
	toml := "[sources.k8s]\ntype = \"kubernetes_logs\"\n\n[sinks.out]\ntype = \"http\"\ninputs = [\"k8s\"]\nuri = \"https://logs.hq.example.com/ingest\"\n"
	_out([_cm("vector.toml", toml)]) == {["Vector", "out (http)", "https://logs.hq.example.com/ingest", ["*"], true]}
}

test_promtail_and_alloy if {
	_out([_release("promtail", {"config": {"clients": [{"url": "https://logs-prod-eu-west-0.grafana.net/loki/api/v1/push"}]}})]) == {["Promtail", "loki client", "https://logs-prod-eu-west-0.grafana.net/loki/api/v1/push", ["*"], true]}
	river := "loki.source.kubernetes \"pods\" {\n  forward_to = [loki.write.cloud.receiver]\n}\nloki.write \"cloud\" {\n  endpoint {\n    url = \"https://logs.hq.example.com/loki/api/v1/push\"\n  }\n}\n"
	_out([_cm("config.alloy", river)]) == {["Grafana Alloy", "loki.write \"cloud\"", "https://logs.hq.example.com/loki/api/v1/push", ["*"], true]}
}

test_opentelemetry_collector if {
	cfg := {
		"receivers": {"filelog": {"include": ["/var/log/pods/clients_*/*/*.log"]}, "otlp": {}},
		"exporters": {"otlphttp/hq": {"endpoint": "https://otel.hq.example.com"}, "debug": {}, "otlp/traces": {"endpoint": "tempo.hq.example.com:4317"}},
		"service": {"pipelines": {"logs": {"receivers": ["filelog"], "exporters": ["otlphttp/hq", "debug"]}, "traces": {"receivers": ["otlp"], "exporters": ["otlp/traces"]}}},
	}
	_out([_release("opentelemetry-collector", {"mode": "daemonset", "config": cfg})]) == {["OpenTelemetry collector", "otlphttp/hq", "https://otel.hq.example.com", ["clients"], true]}
	cr := fx.res("kubernetes_manifest", "otel", "kubernetes.ala", {"manifest": {"apiVersion": "opentelemetry.io/v1beta1", "kind": "OpenTelemetryCollector", "metadata": {"name": "otel", "namespace": "logging"}, "spec": {"config": cfg}}})
	_out([cr]) == {["OpenTelemetry collector", "otlphttp/hq", "https://otel.hq.example.com", ["clients"], true]}
}

test_fluent_operator_outputs if {
	out := fx.res("kubernetes_manifest", "out", "kubernetes.ala", {"manifest": {"apiVersion": "fluentbit.fluent.io/v1alpha2", "kind": "Output", "metadata": {"name": "es", "namespace": "clients"}, "spec": {"match": "kube.*", "es": {"host": "es.hq.example.com", "port": 9200}}}})
	_out([out]) == {["fluentbit.fluent.io Output", "es", "es.hq.example.com", ["clients"], false]}
}
