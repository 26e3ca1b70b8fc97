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
		"tunnelEndpoints": {"cidrs": ["10.20.50.0/24"]},
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
# plus the deployment's audit trail (Fluent Bit -> Loki -> a MinIO bucket locked in COMPLIANCE
# mode), read-only regulator access and governance. Every control is its mechanism: nothing here
# rests on a residency.kz annotation but the declarations (class, role, site, purpose, DPO).
# ---------------------------------------------------------------------------------------

store_annotations := {
	"residency.kz/purpose": "legal services to clients",
	"residency.kz/data-categories": "identity,contact,case",
	"residency.kz/consent-source": "eGov",
}

_required_region(region) := {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [
	{"key": "topology.kubernetes.io/region", "operator": "In", "values": [region]},
]}]}}}

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
	"backups": {"enabled": true, "provider": "s3", "endpointURL": "https://s3.ala.example.kz", "destinationPath": "s3://clients/pg", "data": {"encryption": "AES256"}, "wal": {"encryption": "AES256"}},
}

helm_store(name, provider, values) := res("helm_release", name, provider, {
	"name": name,
	"chart": "cluster",
	"repository": "https://cloudnative-pg.github.io/charts",
	"namespace": name,
	"values": [json.marshal(values)],
})

primary := helm_store("clients", "helm.ala", store_values)

_audit_labels := {"residency.kz/data-class": "personal", "residency.kz/role": "audit", "residency.kz/site": "kz-ala-1"}

audit_ns := res("kubernetes_namespace_v1", "audit", "kubernetes.ala", {"metadata": [{"name": "kz-audit", "labels": _audit_labels}]})

# The write-once store: a MinIO tenant bucket with object lock, and the job that sets its
# default retention in COMPLIANCE mode.
audit_tenant := res("helm_release", "audit_store", "helm.ala", {"name": "audit-store", "chart": "tenant", "repository": "https://operator.min.io", "namespace": "kz-audit", "values": [json.marshal({
	"residency": {"dataClass": "personal", "role": "audit", "site": "kz-ala-1"},
	"tenant": {
		"pools": [{"servers": 4, "storageClassName": "ala-ceph-encrypted", "affinity": _required_region("kz-almaty")}],
		"certificate": {"requestAutoCert": true},
		"buckets": [{"name": "audit-logs", "objectLock": true}],
	},
})]})

audit_lock_job(mode, days) := res("kubernetes_job_v1", "audit_lock", "kubernetes.ala", {
	"metadata": [{"name": "audit-lock", "namespace": "kz-audit", "labels": _audit_labels}],
	"spec": [{"template": [{"spec": [{"container": [{"name": "mc", "image": "quay.io/minio/mc", "command": ["/bin/sh", "-c", sprintf("mc retention set --default %s %dd kz/audit-logs", [mode, days])]}]}]}]}],
	"wait_for_completion": true,
})

loki_values := {"loki": {
	"auth_enabled": true,
	"limits_config": {"retention_period": "26280h", "deletion_mode": "disabled"},
	"compactor": {"retention_enabled": true},
	"storage": {"type": "s3", "bucketNames": {"chunks": "audit-logs"}, "s3": {"endpoint": "minio.kz-audit.svc.cluster.local"}},
}}

loki(values) := res("helm_release", "loki", "helm.ala", {"name": "loki", "chart": "loki", "repository": "https://grafana.github.io/helm-charts", "namespace": "kz-audit", "values": [json.marshal(object.union(object.union(ruler_values, values), {"gateway": {"ingress": {"enabled": true, "hosts": [{"host": "logs.ala.example.kz"}]}}}))]})

fluent_bit_output(host) := sprintf("[OUTPUT]\n    Name loki\n    Match kube.*\n    Host %s\n    Port 80\n", [host])

collector(inputs, outputs) := res("helm_release", "collector", "helm.ala", {"name": "collector", "chart": "fluent-bit", "repository": "https://fluent.github.io/helm-charts", "namespace": "kz-audit", "values": [json.marshal({"config": {"inputs": inputs, "outputs": outputs}})]})

fluent_bit_inputs := "[INPUT]\n    Name tail\n    Tag kube.*\n    Path /var/log/containers/*_clients_*.log,/var/log/containers/*_portal_*.log\n    DB /var/fluent-bit/tail.db\n"

audit_trail := [audit_ns, audit_tenant, audit_lock_job("COMPLIANCE", 1095), collector(fluent_bit_inputs, fluent_bit_output("loki-gateway.kz-audit.svc.cluster.local"))]

regulator := res("kubernetes_cluster_role_v1", "regulator", "kubernetes.ala", {
	"metadata": [{"name": "kz-regulator-read-only", "labels": _audit_labels}],
	"rule": [{"api_groups": [""], "resources": ["pods", "pods/log"], "verbs": ["get", "list", "watch"]}],
})

regulator_binding := res("kubernetes_cluster_role_binding_v1", "regulator", "kubernetes.ala", {
	"metadata": [{"name": "kz-regulator-read-only", "labels": _audit_labels}],
	"role_ref": [{"api_group": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "kz-regulator-read-only"}],
	"subject": [{"api_group": "rbac.authorization.k8s.io", "kind": "Group", "name": "kz-regulator-auditors"}],
})

governance := res("kubernetes_config_map_v1", "governance", "kubernetes.ala", {
	"metadata": [{
		"name": "kz-residency-governance",
		"namespace": "kz-audit",
		"annotations": {"residency.kz/dpo-contact": "dpo@example.kz"},
	}],
	"data": {"dpoContact": "dpo@example.kz"},
})

# Real-time alerting of the audit trail: the Loki above runs a ruler loading rules over the
# pgaudit stream of namespace "clients" from a mounted ConfigMap, sending to an Alertmanager that
# e-mails the DPO.
alert_rules_yaml := yaml.marshal({"groups": [{"name": "kz-audit", "rules": [{
	"alert": "KzAuditMassRead",
	"expr": `sum by (namespace, user) (count_over_time({job="kz-audit", namespace=~"clients"} | json logger="logger", user="record.user_name", class="record.audit.class" | logger="pgaudit" | class="READ" [5m])) > 500`,
	"labels": {"severity": "critical"},
}]}]})

ruler_values := {
	"loki": {"rulerConfig": {"storage": {"type": "local", "local": {"directory": "/etc/loki/rules"}}, "alertmanager_url": "http://kz-audit-alertmanager.kz-audit.svc.cluster.local:9093"}},
	"singleBinary": {
		"extraVolumes": [{"name": "rules", "configMap": {"name": "kz-audit-alert-rules"}}],
		"extraVolumeMounts": [{"name": "rules", "mountPath": "/etc/loki/rules/kz-audit", "readOnly": true}],
	},
}

kz_alerting := [
	res("kubernetes_config_map_v1", "alert_rules", "kubernetes.ala", {
		"metadata": [{"name": "kz-audit-alert-rules", "namespace": "kz-audit"}],
		"data": {"rules.yaml": alert_rules_yaml},
	}),
	loki(loki_values),
	res("helm_release", "alertmanager", "helm.ala", {
		"name": "kz-audit-alertmanager", "chart": "alertmanager", "repository": "https://prometheus-community.github.io/helm-charts", "namespace": "kz-audit",
		"values": [json.marshal({"config": {
			"route": {"receiver": "dpo"},
			"receivers": [{"name": "dpo", "email_configs": [{"to": "dpo@example.kz"}]}],
		}})],
	}),
]

# The deployment's Fluent Bit, as a resource (collector(...) builds variants).
collector_release := collector(fluent_bit_inputs, fluent_bit_output("loki-gateway.kz-audit.svc.cluster.local"))

deployment := array.concat(array.concat(audit_trail, kz_alerting), [regulator, regulator_binding, governance])

compliant := array.concat(deployment, [primary])

# ---------------------------------------------------------------------------------------
# An HQ replica: a CloudNativePG replica cluster whose source connection (sslmode verify-full)
# reaches the HQ gateway's local Service; the HQ gateway is an stunnel client with the GOST
# engine dialling the Kazakh gateway's load balancer, which forwards to the primary.
# ---------------------------------------------------------------------------------------

replica_values := object.union(store_values, {
	"residency": {"dataClass": "personal", "role": "replica", "site": "hq-fra"},
	"mode": "replica",
	"replica": {"origin": {"pg_basebackup": {"host": "hq-local.hq-gateway.svc", "port": 5432, "sslMode": "verify-full"}}},
	"cluster": {
		"storage": {"storageClass": "fra-encrypted"},
		"affinity": {"nodeSelector": {"topology.kubernetes.io/region": "eu-central"}},
		"annotations": object.union(store_annotations, {
			"residency.kz/transfer-agreement": "SCC-2026-014",
			"residency.kz/legal-basis": "Law 94-V Art. 16: consent of the subject",
		}),
	},
	"backups": {"enabled": false},
})

replica := helm_store("hq-replica", "helm.fra", replica_values)

# HQ ships the replica's logs (pgaudit) to the Kazakh Loki through its ingress host.
hq_collector := res("helm_release", "hq_collector", "helm.fra", {"name": "hq-collector", "chart": "fluent-bit", "repository": "https://fluent.github.io/helm-charts", "namespace": "logging", "values": [json.marshal({"config": {
	"inputs": "[INPUT]\n    Name tail\n    Tag kube.*\n    Path /var/log/containers/*_hq-replica_*.log\n",
	"outputs": "[OUTPUT]\n    Name loki\n    Match kube.*\n    Host logs.ala.example.kz\n    Port 443\n    tls On\n    tls.verify On\n",
}})]})

gost_client := "engine = gost\nciphers = GOST2012-KUZNYECHIK-KUZNYECHIKOMAC\n[hq-to-kz]\nclient = yes\naccept = 5432\nconnect = tunnel.ala.example.kz:8443\nverifyChain = yes\nCAfile = /etc/tunnel/ca.crt\n"

gost_server := "engine = gost\nciphers = GOST2012-KUZNYECHIK-KUZNYECHIKOMAC\n[kz-from-hq]\nclient = no\naccept = 8443\nconnect = clients-rw.clients.svc:5432\nverifyChain = yes\nCAfile = /etc/tunnel/ca.crt\n"

gateway_config(name, provider, ns, file) := res("kubernetes_config_map_v1", name, provider, {"metadata": [{"name": name, "namespace": ns}], "data": {"stunnel.conf": file}})

gateway(name, provider, ns, config, replicas) := res("kubernetes_deployment_v1", name, provider, {
	"metadata": [{"name": name, "namespace": ns}],
	"spec": [{
		"replicas": replicas,
		"selector": [{"match_labels": {"app": name}}],
		"template": [{
			"metadata": [{"labels": {"app": name}}],
			"spec": [{
				"container": [{"name": "gateway", "image": "registry.example.kz/tunnel-gateway:1.0", "command": ["stunnel"], "args": ["/etc/tunnel/stunnel.conf"], "volume_mount": [{"name": "config", "mount_path": "/etc/tunnel", "read_only": true}]}],
				"volume": [{"name": "config", "config_map": [{"name": config}]}],
			}],
		}],
	}],
})

service(name, provider, ns, type, selector, port) := res("kubernetes_service_v1", name, provider, {
	"metadata": [{"name": name, "namespace": ns}],
	"spec": [{"type": type, "selector": selector, "port": [{"port": port, "target_port": sprintf("%d", [port])}]}],
})

hq_tunnel := [
	gateway_config("hq_gw_config", "kubernetes.fra", "hq-gateway", gost_client),
	gateway("hq_gw", "kubernetes.fra", "hq-gateway", "hq_gw_config", "1"),
	service("hq-local", "kubernetes.fra", "hq-gateway", "ClusterIP", {"app": "hq_gw"}, 5432),
]

kz_tunnel := [
	gateway_config("kz_gw_config", "kubernetes.ala", "kz-gateway", gost_server),
	gateway("kz_gw", "kubernetes.ala", "kz-gateway", "kz_gw_config", "1"),
	service("kz-tunnel", "kubernetes.ala", "kz-gateway", "LoadBalancer", {"app": "kz_gw"}, 8443),
]

# The Kazakh gateway of the tunnel (kept under its old name for the tests that add it).
kz_gateway := kz_tunnel[1]

with_replica := array.concat(array.concat(compliant, [replica, hq_collector]), array.concat(hq_tunnel, kz_tunnel))

# rs with the resources of `extra` in place of those of the same type and name.
replacing(rs, extra) := array.concat([r | some r in rs; not _replaced(r, extra)], extra)

_replaced(r, extra) if {
	some x in extra
	x.type == r.type
	x.name == r.name
}

# Pairs [rule, resource] of a set of findings.
pairs(findings) := {[f.rule, f.resource] | some f in findings}

rules(findings) := {f.rule | some f in findings}
