package kz.residency.crossborder_test

import data.kz.residency.crossborder
import data.kz.residency.fixtures_test as fx

_deny(rs) := d if {
	d := crossborder.deny with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

_replica(values) := fx.helm_store("hq-replica", "helm.fra", object.union(fx.replica_values, values))

_tunnel := array.concat(fx.hq_tunnel, fx.kz_tunnel)

_with(replica) := array.concat(array.concat(fx.compliant, [replica, fx.hq_collector]), _tunnel)

# A standalone cluster abroad that only claims to be a read-only replica.
_claims_only := fx.helm_store("hq-replica", "helm.fra", object.union(object.remove(fx.replica_values, ["mode", "replica"]), {"cluster": {"annotations": {
	"residency.kz/read-only": "true",
	"residency.kz/tunnel": "hq",
	"residency.kz/transfer-agreement": "SCC-2026-014",
	"residency.kz/legal-basis": "consent",
}}}))

test_xbt_compliant_replica_through_tunnel if {
	count(_deny(fx.with_replica)) == 0
}

# --- KZ-XBT-001 ---------------------------------------------------------------------------

test_xbt001_claimed_replica_is_a_primary_abroad if {
	fx.pairs(_deny(_with(_claims_only))) == {["KZ-XBT-001", "helm_release.hq-replica"], ["KZ-XBT-004", "helm_release.hq-replica"]}
}

test_xbt001_plain_tcp_forwards_are_not_a_tunnel if {
	plain_client := "[hq-to-kz]\nclient = no\naccept = 5432\nconnect = tunnel.ala.example.kz:8443\n"
	socat := fx.res("kubernetes_deployment_v1", "kz_gw", "kubernetes.ala", object.union(fx.kz_tunnel[1].values, {"spec": [object.union(fx.kz_tunnel[1].values.spec[0], {"template": [{"metadata": [{"labels": {"app": "kz_gw"}}], "spec": [{"container": [{"name": "socat", "image": "alpine/socat", "args": ["socat TCP-LISTEN:8443,fork,reuseaddr TCP:clients-rw.clients.svc:5432"]}]}]}]})]}))
	rs := array.concat(array.concat(fx.compliant, [_replica({"replica": {"origin": {"pg_basebackup": {"sslMode": "require"}}}}), fx.hq_collector]), [
		fx.gateway_config("hq_gw_config", "kubernetes.fra", "hq-gateway", plain_client), fx.hq_tunnel[1], fx.hq_tunnel[2],
		socat, fx.kz_tunnel[2],
	])
	fx.pairs(_deny(rs)) == {["KZ-XBT-001", "helm_release.hq-replica"], ["KZ-XBT-001", "kubernetes_deployment_v1.hq_gw"]}
	some f in _deny(rs)
	f.resource == "helm_release.hq-replica"
	contains(f.message, "unencrypted")
}

# TLS verified end to end by the client counts, whatever the gateways do.
test_xbt001_client_verified_tls_through_a_plain_forward if {
	plain := "[hq-to-kz]\nclient = no\naccept = 5432\nconnect = tunnel.ala.example.kz:8443\n"
	rs := array.concat(array.concat(fx.compliant, [fx.replica, fx.hq_collector]), [fx.gateway_config("hq_gw_config", "kubernetes.fra", "hq-gateway", plain), fx.hq_tunnel[1], fx.hq_tunnel[2], fx.kz_tunnel[0], fx.kz_tunnel[1], fx.kz_tunnel[2]])
	fx.pairs(_deny(rs)) == {["KZ-XBT-001", "kubernetes_deployment_v1.hq_gw"]}
}

test_xbt001_direct_connection_with_sslmode_disable if {
	r := _replica({"replica": {"origin": {"pg_basebackup": {"host": "10.20.50.5", "sslMode": "disable"}}}})
	fx.pairs(_deny(array.concat(fx.compliant, [r, fx.hq_collector]))) == {["KZ-XBT-001", "helm_release.hq-replica"]}
}

test_xbt001_direct_connection_verified_to_a_registered_host if {
	r := _replica({"replica": {"origin": {"pg_basebackup": {"host": "10.20.50.5", "sslMode": "verify-full"}}}})
	count(_deny(array.concat(fx.compliant, [r, fx.hq_collector]))) == 0
}

test_xbt001_far_end_not_in_kazakhstan if {
	client := "engine = gost\n[hq-to-kz]\nclient = yes\naccept = 5432\nconnect = db.partner.example.org:8443\nverifyChain = yes\n"
	rs := array.concat(array.concat(fx.compliant, [fx.replica, fx.hq_collector]), [fx.gateway_config("hq_gw_config", "kubernetes.fra", "hq-gateway", client), fx.hq_tunnel[1], fx.hq_tunnel[2]])
	fx.pairs(_deny(rs)) == {["KZ-XBT-001", "helm_release.hq-replica"]}
}

# The kill switch engaged: the gateways run no pods, the replica is fed by nothing.
test_xbt001_gateways_at_zero_feed_nothing if {
	rs := array.concat(array.concat(fx.compliant, [fx.replica, fx.hq_collector]), [fx.hq_tunnel[0], fx.gateway("hq_gw", "kubernetes.fra", "hq-gateway", "hq_gw_config", "0"), fx.hq_tunnel[2]])
	fx.pairs(_deny(rs)) == {["KZ-XBT-001", "helm_release.hq-replica"]}
}

test_xbt001_standby_label_changes_nothing if {
	count(_deny(_with(_replica({"residency": {"role": "standby"}})))) == 0
}

test_xbt001_cloud_database_tagged_personal if {
	r := fx.res("aws_db_instance", "hq", "aws", {"identifier": "hq", "tags": {"residency.kz/data-class": "personal", "residency.kz/role": "replica", "residency.kz/transfer-agreement": "SCC-1", "residency.kz/legal-basis": "consent", "residency.kz/read-only": "true"}})
	fx.pairs(_deny([r])) == {["KZ-XBT-001", "aws_db_instance.hq"], ["KZ-XBT-004", "aws_db_instance.hq"]}
}

# A logical subscriber abroad labelled case receives the personal tables of the Kazakh primary.
test_xbt001_subscriber_takes_the_class_of_its_publisher if {
	sub := fx.res("kubernetes_manifest", "analytics", "kubernetes.fra", {"manifest": {
		"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster",
		"metadata": {"name": "analytics", "namespace": "analytics", "labels": {"residency.kz/data-class": "case", "residency.kz/role": "replica"}},
		"spec": {"instances": 1, "externalClusters": [{"name": "kz-primary", "connectionParameters": {"host": "10.20.50.5", "dbname": "app", "sslmode": "verify-full"}}]},
	}})
	subscription := fx.res("kubernetes_manifest", "analytics_sub", "kubernetes.fra", {"manifest": {
		"apiVersion": "postgresql.cnpg.io/v1", "kind": "Subscription",
		"metadata": {"name": "clients", "namespace": "analytics"},
		"spec": {"cluster": {"name": "analytics"}, "name": "clients", "dbname": "app", "publicationName": "clients", "externalClusterName": "kz-primary"},
	}})
	kz_lb := fx.res("kubernetes_service_v1", "clients_public", "kubernetes.ala", {"metadata": [{"name": "clients-public", "namespace": "clients"}], "spec": [{"type": "LoadBalancer", "load_balancer_ip": "10.20.50.5", "selector": {"cnpg.io/cluster": "clients", "role": "primary"}, "port": [{"port": 5432}]}]})
	d := _deny(array.concat(fx.compliant, [sub, subscription, kz_lb]))
	fx.pairs(d) == {["KZ-XBT-001", "kubernetes_manifest.analytics"], ["KZ-XBT-002", "kubernetes_manifest.analytics"], ["KZ-XBT-004", "kubernetes_manifest.analytics"]}
	some f in d
	contains(f.message, "personal (received from helm_release.clients)")
}

test_xbt001_log_shipper_abroad if {
	out := "[OUTPUT]\n    Name datadog\n    Match kube.*\n    Host http-intake.logs.datadoghq.com\n    tls On\n"
	rs := fx.replacing(fx.compliant, [fx.collector(fx.fluent_bit_inputs, out)])
	fx.pairs(_deny(rs)) == {["KZ-XBT-001", "helm_release.collector"]}
}

test_xbt001_external_name_to_a_foreign_host if {
	alias := fx.res("kubernetes_service_v1", "reports", "kubernetes.ala", {"metadata": [{"name": "reports", "namespace": "clients"}], "spec": [{"type": "ExternalName", "external_name": "reports.hq.example.com"}]})
	fx.pairs(_deny(array.concat(fx.compliant, [alias]))) == {["KZ-XBT-001", "kubernetes_service_v1.reports"]}
}

test_xbt001_external_name_inside_the_country if {
	alias := fx.res("kubernetes_service_v1", "backup", "kubernetes.ala", {"metadata": [{"name": "backup", "namespace": "clients"}], "spec": [{"type": "ExternalName", "external_name": "s3.ala.example.kz"}]})
	count(_deny(array.concat(fx.compliant, [alias]))) == 0
}

test_xbt001_service_entry_to_a_foreign_host if {
	se := fx.res("kubernetes_manifest", "crm", "kubernetes.ala", {"manifest": {"apiVersion": "networking.istio.io/v1", "kind": "ServiceEntry", "metadata": {"name": "crm", "namespace": "clients"}, "spec": {"hosts": ["crm.vendor.example.com"], "location": "MESH_EXTERNAL", "resolution": "DNS", "ports": [{"number": 443, "name": "https", "protocol": "TLS"}], "exportTo": ["."]}}})
	fx.pairs(_deny(array.concat(fx.compliant, [se]))) == {["KZ-XBT-001", "kubernetes_manifest.crm"]}
}

# --- KZ-XBT-002 ---------------------------------------------------------------------------

_without_annotation(key) := fx.helm_store("hq-replica", "helm.fra", object.union(object.remove(fx.replica_values, ["cluster"]), {"cluster": object.union(object.remove(fx.replica_values.cluster, ["annotations"]), {"annotations": object.remove(fx.replica_values.cluster.annotations, [key])})}))

test_xbt002_no_transfer_agreement if {
	fx.pairs(_deny(_with(_without_annotation("residency.kz/transfer-agreement")))) == {["KZ-XBT-002", "helm_release.hq-replica"]}
}

test_xbt002_no_legal_basis if {
	fx.pairs(_deny(_with(_without_annotation("residency.kz/legal-basis")))) == {["KZ-XBT-002", "helm_release.hq-replica"]}
}

# --- KZ-XBT-003 ---------------------------------------------------------------------------

test_xbt003_biometric_replica_abroad if {
	fx.pairs(_deny(_with(_replica({"residency": {"dataClass": "Biometric"}})))) == {["KZ-XBT-003", "helm_release.hq-replica"]}
}

# The replica is labelled personal, but its source holds biometric data.
test_xbt003_biometric_source_makes_a_biometric_replica if {
	faces := fx.helm_store("clients", "helm.ala", object.union(fx.store_values, {"residency": {"dataClass": "biometric"}}))
	rs := array.concat(array.concat(fx.deployment, [faces, fx.replica, fx.hq_collector]), _tunnel)
	fx.pairs(_deny(rs)) == {["KZ-XBT-003", "helm_release.hq-replica"]}
}

test_xbt003_biometric_backup_abroad if {
	v := object.union(fx.store_values, {"residency": {"dataClass": "biometric"}, "backups2": {"barmanObjectStore": {"endpointURL": "https://s3.fra.example.com", "destinationPath": "s3://faces/"}}})
	fx.pairs(_deny([fx.helm_store("faces", "helm.ala", v)])) == {["KZ-XBT-003", "helm_release.faces"]}
}

test_xbt003_biometric_object_store_abroad if {
	v := object.union(fx.store_values, {"residency": {"dataClass": "biometric"}, "cluster": object.union(fx.store_values.cluster, {"plugins": [{"name": "barman-cloud.cloudnative-pg.io", "parameters": {"barmanObjectName": "offsite"}}]})})
	os := fx.res("kubernetes_manifest", "offsite", "kubernetes.ala", {"manifest": {"apiVersion": "barmancloud.cnpg.io/v1", "kind": "ObjectStore", "metadata": {"name": "offsite", "namespace": "faces"}, "spec": {"configuration": {"destinationPath": "s3://faces-offsite/", "endpointURL": "https://s3.fra.example.com"}}}})
	fx.pairs(_deny([fx.helm_store("faces", "helm.ala", v), os])) == {["KZ-XBT-003", "kubernetes_manifest.offsite"]}
}

test_xbt003_biometric_at_home if {
	v := object.union(fx.store_values, {"residency": {"dataClass": "biometric"}})
	count(_deny([fx.helm_store("faces", "helm.ala", v)])) == 0
}

# --- KZ-XBT-004 ---------------------------------------------------------------------------

test_xbt004_writable_replica_abroad if {
	fx.pairs(_deny(_with(_replica({"mode": "standalone"})))) == {["KZ-XBT-001", "helm_release.hq-replica"], ["KZ-XBT-004", "helm_release.hq-replica"]}
}

test_xbt004_primary_abroad if {
	r := fx.helm_store("clients", "helm.fra", object.union(fx.store_values, {"residency": {"site": "hq-fra"}}))
	fx.pairs(_deny([r])) == {["KZ-XBT-004", "helm_release.clients"]}
}

test_xbt004_cnpg_replica_cluster_manifest_is_read_only if {
	r := fx.res("kubernetes_manifest", "hq", "kubernetes.fra", {"manifest": {
		"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster",
		"metadata": {"name": "hq", "namespace": "hq", "labels": {"residency.kz/data-class": "personal", "residency.kz/role": "replica"}, "annotations": {"residency.kz/transfer-agreement": "SCC-1", "residency.kz/legal-basis": "consent"}},
		"spec": {"instances": 2, "replica": {"enabled": true, "source": "kz"}, "externalClusters": [{"name": "kz", "connectionParameters": {"host": "hq-local.hq-gateway.svc", "port": "5432", "sslmode": "verify-full"}}]},
	}})
	rs := array.concat(array.concat(fx.compliant, [r]), _tunnel)
	fx.pairs(_deny(rs)) == set()
}
