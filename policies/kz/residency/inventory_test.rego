package kz.residency.inventory_test

import data.kz.residency.fixtures_test as fx
import data.kz.residency.inventory

_inv(rs) := i if {
	i := inventory.inventory with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

_store(i, address) := s if {
	some s in i.stores
	s.address == address
}

test_a_proven_primary if {
	s := _store(_inv(fx.with_replica), "helm_release.clients")
	s.kind == "helm-chart"
	s.engine == "postgresql"
	s.platform == "kubernetes"
	s.namespace == "clients"
	s.data_class == "personal"
	s.personal == true
	s.role == "primary"
	s.site == "kz-ala-1"
	s.proven == true
	s.in_kz == true
	s.jurisdictions == ["KZ"]
	s.unproven_reason == null
	s.storage == [{"class": "ala-ceph-encrypted", "registered": true, "encrypted": true}]
	s.audit_logging == true
	s.audit_collected == true
	s.tls_required == true
	s.backups == [{"endpoint": "https://s3.ala.example.kz/clients/pg", "encrypted": true, "site": "kz-ala-1", "jurisdiction": "KZ", "retention": null}]
	s.tunnel == null
	s.purpose == "legal services to clients"
	s.data_categories == ["identity", "contact", "case"]
	s.consent_source == "eGov"
	s.alerting == {"watched": true, "rules": ["KzAuditMassRead"], "recipients": ["dpo@example.kz"], "problem": null}
}

test_a_replica_abroad_names_its_transfer if {
	i := _inv(fx.with_replica)
	s := _store(i, "helm_release.hq-replica")
	s.site == "hq-fra"
	s.in_kz == false
	s.jurisdictions == ["DE"]
	s.role == "replica"
	s.read_only == true
	s.transfer_agreement == "SCC-2026-014"
	s.legal_basis == "Law 94-V Art. 16: consent of the subject"
	s.backups == []
	# its copy comes through the HQ gateway and its Kazakh peer, in GOST TLS
	s.tunnel.through == ["kubernetes_deployment_v1.hq_gw", "kubernetes_deployment_v1.kz_gw"]
	s.tunnel.encrypted == true
	contains(s.tunnel.protection, "GOST TLS")
	# the cross-border copy is an edge from the primary, through the tunnel
	[e] := [e | some e in i.edges; e.kind == "replication"]
	e.source == "helm_release.clients"
	e.destination == "helm_release.hq-replica"
	e.destination_kind == "store"
	e.destination_site == "hq-fra"
	e.destination_jurisdiction == "DE"
	e.carries == "personal"
	e.through == ["kubernetes_deployment_v1.hq_gw", "kubernetes_deployment_v1.kz_gw"]
	e.encrypted == true
	contains(e.protection, "stunnel client section (GOST TLS)")
	# and the tunnel itself: the Kazakh gateway to the HQ gateway that dials it
	[t] := [t | some t in i.edges; t.kind == "tunnel"]
	t.source == "kubernetes_deployment_v1.kz_gw"
	t.destination == "kubernetes_deployment_v1.hq_gw"
	t.destination_jurisdiction == "DE"
	t.encrypted == true
	t.via == "gost-tls"
}

test_a_copy_abroad_without_the_tunnel_is_not_encrypted if {
	# the replica's source host leads straight to the Kazakh primary: no gateway, no verification
	direct := object.union(fx.replica_values, {"replica": {"origin": {"pg_basebackup": {"host": "clients-rw.clients.svc.k8s.ala.example.kz", "port": 5432, "sslMode": "require"}}}})
	i := _inv(fx.replacing(fx.with_replica, [fx.helm_store("hq-replica", "helm.fra", direct)]))
	_store(i, "helm_release.hq-replica").tunnel == null
	some e in i.edges
	e.kind == "replication"
	e.destination == "helm_release.hq-replica"
	e.encrypted == false
	e.through == []
}

test_unknown_is_null_and_unproven_says_why if {
	unproven := fx.helm_store("clients", "helm.later", fx.store_values)
	unclassified := fx.helm_store("misc", "helm.ala", object.remove(fx.store_values, ["residency"]))
	i := _inv([unproven, unclassified])
	u := _store(i, "helm_release.clients")
	u.site == null
	u.proven == false
	u.in_kz == false
	u.jurisdictions == []
	contains(u.unproven_reason, "known only after apply")
	u.alerting.watched == false
	c := _store(i, "helm_release.misc")
	c.data_class == null
	c.personal == false
	c.purpose == "legal services to clients"
	c.data_subjects == null
}

test_backup_retention_and_destination_abroad if {
	v := object.union(fx.store_values, {"backups": {"enabled": true, "endpointURL": "https://s3.fra.example.com/b", "destinationPath": "s3://clients/pg", "retentionPolicy": "30d", "data": {"encryption": "AES256"}}})
	i := _inv([fx.helm_store("clients", "helm.ala", v)])
	s := _store(i, "helm_release.clients")
	s.backups == [{"endpoint": "https://s3.fra.example.com/b/clients/pg", "encrypted": true, "site": "hq-fra", "jurisdiction": "DE", "retention": "30d"}]
	some e in i.edges
	e.kind == "backup"
	e.source == "helm_release.clients"
	e.destination_site == "hq-fra"
	e.destination_jurisdiction == "DE"
	e.carries == "personal"
}

test_unregistered_backup_destination_is_null if {
	v := object.union(fx.store_values, {"backups": {"enabled": true, "endpointURL": "https://s3.somewhere.example.org"}})
	s := _store(_inv([fx.helm_store("clients", "helm.ala", v)]), "helm_release.clients")
	s.backups[0].site == null
	s.backups[0].jurisdiction == null
}

test_sites_gateways_and_deployment if {
	i := _inv(fx.with_replica)
	{s.id | some s in i.sites} == {"kz-ala-1", "hq-fra"}
	some ala in i.sites
	ala.id == "kz-ala-1"
	ala.kz == true
	ala.city == "Almaty"
	ala.operator == "Example Tier III Almaty DC"
	{g.address: [g.side, g.profile, g.site, g.peers, g.peer_site] | some g in i.gateways} == {
		"kubernetes_deployment_v1.hq_gw": ["abroad", "gost-tls", "hq-fra", ["kubernetes_deployment_v1.kz_gw"], "kz-ala-1"],
		"kubernetes_deployment_v1.kz_gw": ["kz", "gost-tls", "kz-ala-1", [], null],
	}
	i.deployment.dpo_contacts == ["dpo@example.kz"]
	# the Kazakh gateway the copy abroad passes: scaling it down cuts the flow
	i.deployment.kill_switch == [{"address": "kubernetes_deployment_v1.kz_gw", "state": "active", "site": "kz-ala-1"}]
	i.deployment.regulator_access == [{"address": "kubernetes_cluster_role_binding_v1.regulator", "access": "read-only", "site": "kz-ala-1", "in_kz": true}]
	i.capture == [{"host": "app.example.kz", "sites": ["kz-ala-1"], "entries": [], "fronts": []}]
}

test_alerting_routes if {
	i := _inv(fx.compliant)
	i.alerting.routes == [{"ruler": "helm_release.loki", "alertmanager": "helm_release.alertmanager", "receivers": ["dpo"], "recipients": ["dpo@example.kz"]}]
	[r] := i.alerting.rules
	r.alert == "KzAuditMassRead"
	r.tenant == "kz-audit"
	some e in i.edges
	e.kind == "alerting"
	e.source == "helm_release.loki"
	e.destination == "helm_release.alertmanager"
}

test_log_stores if {
	i := _inv(fx.compliant)
	i.log_stores == [{"address": "helm_release.loki", "site": "kz-ala-1", "retention": "26280h", "deletion": "disabled", "alerts_to": ["helm_release.alertmanager"]}]
	j := _inv([fx.loki({"loki": {"auth_enabled": true}})])
	j.log_stores[0].retention == null
	j.log_stores[0].deletion == null
}

test_the_audit_store_is_a_store_and_no_copy if {
	i := _inv(fx.compliant)
	{s.address | some s in i.stores} == {"helm_release.clients", "helm_release.audit_store"}
	_store(i, "helm_release.audit_store").effective_role == "audit"
	[e | some e in i.edges; e.kind in {"replication", "logical-replication"}] == []
}

_with_collector(c) := fx.replacing(fx.compliant, [c])

_log_edges(i) := [e | some e in i.edges; e.kind == "log-shipping"]

test_log_shipping_to_the_loki_its_collector_pushes_to if {
	[e] := _log_edges(_inv(fx.compliant))
	e.source == "helm_release.clients"
	e.destination == "helm_release.loki"
	e.destination_kind == "log-store"
	e.destination_site == "kz-ala-1"
	e.carries == "personal"
	e.encrypted == false
	e.via == "Fluent Bit"
	e.resource == "helm_release.collector"
	[f] := _log_edges(_inv(_with_collector(fx.collector(fx.fluent_bit_inputs, concat("", [fx.fluent_bit_output("loki-gateway.kz-audit.svc.cluster.local"), "    tls On\n    tls.verify On\n"])))))
	f.encrypted == true
}

test_log_shipping_outside_the_plan_goes_to_a_host if {
	[e] := _log_edges(_inv(_with_collector(fx.collector(fx.fluent_bit_inputs, fx.fluent_bit_output("loki.elsewhere.example.com")))))
	e.source == "helm_release.clients"
	e.destination == "loki.elsewhere.example.com:80"
	e.destination_kind == "host"
	e.destination_jurisdiction == null
}

# A MinIO tenant in the audit namespace and a Loki whose S3 endpoint names it (or another host).
_tenant := fx.res("helm_release", "audit_minio", "helm.ala", {
	"name": "kz-audit-minio", "chart": "tenant", "repository": "https://operator.min.io", "namespace": "kz-audit",
	"values": [json.marshal({"residency": {"dataClass": "personal", "role": "audit"}})],
})

_loki_on(endpoint, insecure) := object.union(fx.kz_alerting[1], {"values": object.union(fx.kz_alerting[1].values, {"values": [json.marshal(object.union(
	json.unmarshal(fx.kz_alerting[1].values.values[0]),
	{"loki": {"storage": {"type": "s3", "s3": {"endpoint": endpoint, "insecure": insecure}}}}
))]})})

_storage_edges(loki) := [e | some e in _inv([loki, _tenant]).edges; e.kind == "log-storage"]

test_log_storage_in_the_minio_tenant_the_loki_names if {
	[e] := _storage_edges(_loki_on("minio.kz-audit.svc.cluster.local", false))
	e.source == "helm_release.loki"
	e.destination == "helm_release.audit_minio"
	e.destination_site == "kz-ala-1"
	e.encrypted == true
	[f] := _storage_edges(_loki_on("http://minio.kz-audit:9000", false))
	f.encrypted == false
	[g] := _storage_edges(_loki_on("minio.kz-audit.svc.cluster.local", true))
	g.encrypted == false
}

test_no_log_storage_edge_to_object_storage_outside_the_plan if {
	_storage_edges(_loki_on("s3.fra.example.com", false)) == []
	_storage_edges(_loki_on("minio.other-ns.svc.cluster.local", false)) == []
}
