# Shared fixtures for the residency rule tests: a sites registry, provider configurations and a
# small plan builder. No test_ rules here; a _test.rego file so that it never ships in the pack.
package kz.residency.fixtures_test

sites := [
	{
		"id": "kz-ala-1", "jurisdiction": "KZ", "city": "Almaty", "operator": "Example Tier III Almaty DC",
		"kubernetes": {"endpoints": ["https://10.20.0.10:6443", "https://k8s.ala.example.kz"], "region": "kz-almaty", "zones": ["kz-almaty-a", "kz-almaty-b"]},
		"storageClasses": [{"name": "ala-ceph-encrypted", "encrypted": true}, {"name": "ala-plain", "encrypted": false}],
		"objectStorage": ["https://s3.ala.example.kz"],
		"logSinks": ["https://logs.ala.example.kz"],
		"captureHosts": ["app.example.kz"],
	},
	{
		"id": "kz-ast-1", "jurisdiction": "KZ", "city": "Astana",
		"kubernetes": {"endpoints": ["https://k8s.ast.example.kz"], "region": "kz-astana", "zones": ["kz-astana-a"]},
		"storageClasses": [{"name": "ast-ceph-encrypted", "encrypted": true}],
		"objectStorage": ["https://s3.ast.example.kz"],
		"logSinks": ["https://logs.ast.example.kz"],
	},
	{
		"id": "hq-fra", "jurisdiction": "DE", "city": "Frankfurt",
		"kubernetes": {"endpoints": ["https://k8s.fra.example.com"], "region": "eu-central"},
		"storageClasses": [{"name": "fra-encrypted", "encrypted": true}],
		"objectStorage": ["https://s3.fra.example.com"],
		"logSinks": ["https://logs.fra.example.com"],
	},
]

_k8s(alias, host) := {"name": "kubernetes", "full_name": "registry.terraform.io/hashicorp/kubernetes", "alias": alias, "expressions": {"host": {"constant_value": host}}}

# helm provider v2: the host sits in a `kubernetes` block list
_helm(alias, host) := {"name": "helm", "full_name": "registry.terraform.io/hashicorp/helm", "alias": alias, "expressions": {"kubernetes": [{"host": {"constant_value": host}}]}}

providers := {
	"kubernetes.ala": _k8s("ala", "https://k8s.ala.example.kz"),
	# same cluster written differently: upper case, explicit default port, trailing slash
	"helm.ala": _helm("ala", "HTTPS://K8S.ALA.example.kz:443/"),
	"kubernetes.ast": _k8s("ast", "https://k8s.ast.example.kz"),
	"helm.ast": _helm("ast", "https://k8s.ast.example.kz"),
	"kubernetes.fra": _k8s("fra", "https://k8s.fra.example.com"),
	"helm.fra": _helm("fra", "https://k8s.fra.example.com"),
	# evasion: an alias named like a Kazakh site whose host is Frankfurt
	"helm.kz-ala-1": _helm("kz-ala-1", "https://k8s.fra.example.com"),
	"kubernetes.kz-ala-1": _k8s("kz-ala-1", "https://k8s.fra.example.com"),
	# a host known only after apply
	"helm.later": {"name": "helm", "alias": "later", "expressions": {"kubernetes": [{"host": {"references": ["data.aws_eks_cluster.x.endpoint", "data.aws_eks_cluster.x"]}}]}},
	# a constant host that no site registers
	"helm.unregistered": _helm("unregistered", "https://k8s.somewhere.example.org"),
	# no host at all (kubeconfig from the environment)
	"kubernetes": {"name": "kubernetes", "expressions": {"config_path": {"constant_value": "~/.kube/config"}}},
	"aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-central-1"}}},
	"cloudflare": {"name": "cloudflare"},
}

# A resource for the plan builder: {type, name, provider, values, module?, index?, unknown?}
res(type, name, provider, values) := {"type": type, "name": name, "provider": provider, "values": values}

_index_suffix(r) := sprintf("[%d]", [r.index]) if is_number(r.index)

_index_suffix(r) := sprintf("[%q]", [r.index]) if is_string(r.index)

_index_suffix(r) := "" if not r.index

address(r) := concat("", [_module_prefix(r), r.type, ".", r.name, _index_suffix(r)])

_module_prefix(r) := concat("", [r.module, "."]) if r.module

_module_prefix(r) := "" if not r.module

_rc(r) := object.union(
	{
		"address": address(r),
		"mode": "managed",
		"type": r.type,
		"name": r.name,
		"provider_name": "registry.terraform.io/hashicorp/x",
		"change": {"actions": object.get(r, "actions", ["create"]), "before": null, "after": r.values, "after_unknown": object.get(r, "unknown", {})},
	},
	{_rc_key(k): v | some k, v in _rc_extra(r)}
)

_rc_key("module") := "module_address"

_rc_key("index") := "index"

_rc_extra(r) := {k: v |
	some k in ["module", "index"]
	v := r[k]
}

_root_config(rs) := [{"address": concat(".", [r.type, r.name]), "mode": "managed", "type": r.type, "name": r.name, "provider_config_key": r.provider} |
	some r in rs
	not r.module
]

plan(rs) := {
	"format_version": "1.2",
	"terraform_version": "1.9.0",
	"configuration": {"provider_config": providers, "root_module": {"resources": _root_config(rs)}},
	"resource_changes": [_rc(r) | some r in rs],
}

# ---------------------------------------------------------------------------------------
# A compliant deployment: CloudNativePG primary in Almaty with everything the rules ask for,
# plus the deployment-level audit trail, regulator access, governance and kill switch.
# ---------------------------------------------------------------------------------------

store_annotations := {
	"residency.kz/purpose": "legal services to clients",
	"residency.kz/data-categories": "identity,contact,case",
	"residency.kz/consent-source": "eGov",
	"residency.kz/tls": "required",
}

store_values := {
	"residency": {"dataClass": "personal", "role": "primary", "site": "kz-ala-1"},
	"cluster": {
		"instances": 3,
		"storage": {"storageClass": "ala-ceph-encrypted", "size": "20Gi"},
		"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [
			{"key": "topology.kubernetes.io/region", "operator": "In", "values": ["kz-almaty"]},
			{"key": "topology.kubernetes.io/zone", "operator": "In", "values": ["kz-almaty-a", "kz-almaty-b"]},
		]}]}}},
		"annotations": store_annotations,
		"postgresql": {"parameters": {"pgaudit.log": "all"}},
	},
	"backups": {"enabled": true, "provider": "s3", "endpointURL": "https://s3.ala.example.kz", "destinationPath": "s3://clients/pg"},
}

helm_store(name, provider, values) := res("helm_release", name, provider, {
	"name": name,
	"chart": "cluster",
	"repository": "https://cloudnative-pg.github.io/charts",
	"namespace": "clients",
	"values": [json.marshal(values)],
})

primary := helm_store("clients", "helm.ala", store_values)

audit_ns := res("kubernetes_namespace_v1", "audit", "kubernetes.ala", {"metadata": [{
	"name": "kz-audit",
	"labels": {"residency.kz/data-class": "personal", "residency.kz/role": "audit", "residency.kz/site": "kz-ala-1"},
	"annotations": {"residency.kz/log-sink": "https://logs.ala.example.kz", "residency.kz/retention-days": "1095", "residency.kz/immutable": "true"},
}]})

regulator := res("kubernetes_cluster_role_v1", "regulator", "kubernetes.ala", {"metadata": [{
	"name": "kz-regulator-read-only",
	"labels": {"residency.kz/data-class": "personal", "residency.kz/role": "audit", "residency.kz/site": "kz-ala-1"},
	"annotations": {"residency.kz/regulator-access": "read-only"},
}]})

governance := res("kubernetes_config_map_v1", "governance", "kubernetes.ala", {
	"metadata": [{
		"name": "kz-residency-governance",
		"namespace": "kz-audit",
		"annotations": {"residency.kz/dpo-contact": "dpo@example.kz", "residency.kz/cross-border": "active"},
	}],
	"data": {"dpoContact": "dpo@example.kz"},
})

# Real-time alerting of a cluster's audit trail: a Loki ruler loading rules over the pgaudit stream
# of namespace "clients" from a mounted ConfigMap, sending to an Alertmanager that e-mails the DPO.
alert_rules_yaml := yaml.marshal({"groups": [{"name": "kz-audit", "rules": [{
	"alert": "KzAuditMassRead",
	"expr": `sum by (namespace, user) (count_over_time({job="kz-audit", namespace=~"clients"} | json logger="logger", user="record.user_name", class="record.audit.class" | logger="pgaudit" | class="READ" [5m])) > 500`,
	"labels": {"severity": "critical"},
}]}]})

alerting_stack(kube_provider, helm_provider, suffix) := [
	res("kubernetes_config_map_v1", concat("_", ["alert_rules", suffix]), kube_provider, {
		"metadata": [{"name": "kz-audit-alert-rules", "namespace": "kz-audit"}],
		"data": {"rules.yaml": alert_rules_yaml},
	}),
	res("helm_release", concat("_", ["loki", suffix]), helm_provider, {
		"name": "kz-audit-loki", "chart": "loki", "repository": "https://grafana.github.io/helm-charts", "namespace": "kz-audit",
		"values": [json.marshal({
			"loki": {"rulerConfig": {"storage": {"type": "local", "local": {"directory": "/etc/loki/rules"}}, "alertmanager_url": "http://kz-audit-alertmanager.kz-audit.svc.cluster.local:9093"}},
			"singleBinary": {
				"extraVolumes": [{"name": "rules", "configMap": {"name": "kz-audit-alert-rules"}}],
				"extraVolumeMounts": [{"name": "rules", "mountPath": "/etc/loki/rules/kz-audit", "readOnly": true}],
			},
		})],
	}),
	res("helm_release", concat("_", ["alertmanager", suffix]), helm_provider, {
		"name": "kz-audit-alertmanager", "chart": "alertmanager", "repository": "https://prometheus-community.github.io/helm-charts", "namespace": "kz-audit",
		"values": [json.marshal({"config": {
			"route": {"receiver": "dpo"},
			"receivers": [{"name": "dpo", "email_configs": [{"to": "dpo@example.kz"}]}],
		}})],
	}),
]

kz_alerting := alerting_stack("kubernetes.ala", "helm.ala", "ala")

# Fluent Bit shipping every container's log of the Almaty cluster (what makes a store's pgaudit
# records collected, and so watched by KZ-AUD-004).
collector := res("helm_release", "collector", "helm.ala", {
	"name": "kz-audit-collector", "chart": "fluent-bit", "repository": "https://fluent.github.io/helm-charts", "namespace": "kz-audit",
	"values": [json.marshal({"config": {"inputs": "[INPUT]\n    Name tail\n    Path /var/log/containers/*.log\n"}})],
})

deployment := array.concat([audit_ns, regulator, governance, collector], kz_alerting)

compliant := array.concat(deployment, [primary])

# An HQ replica fed through tunnel "hq" with everything cross-border rules ask for.
replica_values := object.union(store_values, {
	"residency": {"dataClass": "personal", "role": "replica", "site": "hq-fra"},
	"mode": "replica",
	"cluster": {
		"storage": {"storageClass": "fra-encrypted"},
		"affinity": {"nodeSelector": {"topology.kubernetes.io/region": "eu-central"}},
		"annotations": object.union(store_annotations, {
			"residency.kz/tunnel": "hq",
			"residency.kz/transfer-agreement": "SCC-2026-014",
			"residency.kz/legal-basis": "Law 94-V Art. 16: consent of the subject",
			"residency.kz/read-only": "true",
		}),
	},
	"backups": {"enabled": false},
})

replica := helm_store("hq-replica", "helm.fra", replica_values)

kz_gateway := res("kubernetes_deployment_v1", "kz_gateway", "kubernetes.ala", {"metadata": [{
	"name": "hq-gateway",
	"labels": {"residency.kz/data-class": "personal", "residency.kz/role": "gateway", "residency.kz/site": "kz-ala-1", "residency.kz/tunnel": "hq", "residency.kz/tunnel-side": "kz"},
	"annotations": {"residency.kz/tunnel-profile": "gost-tls", "residency.kz/cross-border": "active"},
}]})

with_replica := array.concat(compliant, [replica, kz_gateway])

# Pairs [rule, resource] of a set of findings.
pairs(findings) := {[f.rule, f.resource] | some f in findings}

rules(findings) := {f.rule | some f in findings}
