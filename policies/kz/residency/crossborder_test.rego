package kz.residency.crossborder_test

import data.kz.residency.crossborder
import data.kz.residency.fixtures_test as fx

_deny(rs) := d if {
	d := crossborder.deny with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

_replica(annotations, extra) := fx.helm_store("hq-replica", "helm.fra", object.union(object.union(object.remove(fx.replica_values, ["cluster"]), {"cluster": object.union(object.remove(fx.replica_values.cluster, ["annotations"]), {"annotations": annotations})}), extra))

_ann := fx.replica_values.cluster.annotations

test_xbt_compliant_replica_through_tunnel if {
	count(_deny(fx.with_replica)) == 0
}

# --- KZ-XBT-001 ---------------------------------------------------------------------------

test_xbt001_replica_without_tunnel if {
	rs := array.concat(fx.compliant, [_replica(object.remove(_ann, ["residency.kz/tunnel"]), {}), fx.kz_gateway])
	fx.pairs(_deny(rs)) == {["KZ-XBT-001", "helm_release.hq-replica"]}
}

test_xbt001_tunnel_without_kz_gateway if {
	rs := array.concat(fx.compliant, [fx.replica])
	fx.pairs(_deny(rs)) == {["KZ-XBT-001", "helm_release.hq-replica"]}
}

test_xbt001_standby_abroad if {
	rs := array.concat(fx.compliant, [_replica(_ann, {"residency": {"role": "standby"}}), fx.kz_gateway])
	fx.pairs(_deny(rs)) == {["KZ-XBT-001", "helm_release.hq-replica"]}
}

test_xbt001_cloud_database_tagged_personal if {
	r := fx.res("aws_db_instance", "hq", "aws", {"identifier": "hq", "tags": {"residency.kz/data-class": "personal", "residency.kz/role": "replica", "residency.kz/transfer-agreement": "SCC-1", "residency.kz/legal-basis": "consent", "residency.kz/read-only": "true"}})
	fx.pairs(_deny([r])) == {["KZ-XBT-001", "aws_db_instance.hq"]}
}

# --- KZ-XBT-002 ---------------------------------------------------------------------------

test_xbt002_no_transfer_agreement if {
	rs := array.concat(fx.compliant, [_replica(object.remove(_ann, ["residency.kz/transfer-agreement"]), {}), fx.kz_gateway])
	fx.pairs(_deny(rs)) == {["KZ-XBT-002", "helm_release.hq-replica"]}
}

test_xbt002_no_legal_basis if {
	rs := array.concat(fx.compliant, [_replica(object.remove(_ann, ["residency.kz/legal-basis"]), {}), fx.kz_gateway])
	fx.pairs(_deny(rs)) == {["KZ-XBT-002", "helm_release.hq-replica"]}
}

# --- KZ-XBT-003 ---------------------------------------------------------------------------

test_xbt003_biometric_replica_abroad if {
	rs := array.concat(fx.compliant, [_replica(_ann, {"residency": {"dataClass": "Biometric"}}), fx.kz_gateway])
	fx.pairs(_deny(rs)) == {["KZ-XBT-003", "helm_release.hq-replica"]}
}

test_xbt003_biometric_backup_abroad if {
	v := object.union(fx.store_values, {"residency": {"dataClass": "biometric"}, "backups2": {"barmanObjectStore": {"endpointURL": "https://s3.fra.example.com"}}})
	fx.pairs(_deny([fx.helm_store("faces", "helm.ala", v)])) == {["KZ-XBT-003", "helm_release.faces"]}
}

test_xbt003_biometric_at_home if {
	v := object.union(fx.store_values, {"residency": {"dataClass": "biometric"}})
	count(_deny([fx.helm_store("faces", "helm.ala", v)])) == 0
}

# --- KZ-XBT-004 ---------------------------------------------------------------------------

test_xbt004_writable_replica_abroad if {
	rs := array.concat(fx.compliant, [_replica(object.remove(_ann, ["residency.kz/read-only"]), {"mode": "standalone"}), fx.kz_gateway])
	fx.pairs(_deny(rs)) == {["KZ-XBT-004", "helm_release.hq-replica"]}
}

test_xbt004_primary_abroad if {
	r := fx.helm_store("clients", "helm.fra", object.union(fx.store_values, {"residency": {"site": "hq-fra"}}))
	fx.pairs(_deny([r])) == {["KZ-XBT-004", "helm_release.clients"]}
}

test_xbt004_cnpg_replica_mode_is_read_only if {
	rs := array.concat(fx.compliant, [_replica(object.remove(_ann, ["residency.kz/read-only"]), {}), fx.kz_gateway])
	count(_deny(rs)) == 0
}

test_xbt001_tunnel_registered_by_hq_gateway_with_kz_peer if {
	hq_gw := fx.res("kubernetes_deployment_v1", "hq_gateway", "kubernetes.fra", {"metadata": [{
		"name": "hq-gateway",
		"labels": {"residency.kz/role": "gateway", "residency.kz/tunnel": "hq", "residency.kz/tunnel-side": "hq", "residency.kz/site": "hq-fra"},
		"annotations": {"residency.kz/tunnel-profile": "gost-tls", "residency.kz/tunnel-peer-site": "kz-ala-1"},
	}]})
	count(_deny([fx.replica, hq_gw])) == 0
}

test_xbt001_hq_gateway_with_foreign_peer_does_not_register if {
	hq_gw := fx.res("kubernetes_deployment_v1", "hq_gateway", "kubernetes.fra", {"metadata": [{
		"name": "hq-gateway",
		"labels": {"residency.kz/role": "gateway", "residency.kz/tunnel": "hq", "residency.kz/tunnel-side": "hq"},
		"annotations": {"residency.kz/tunnel-peer-site": "hq-fra"},
	}]})
	fx.pairs(_deny([fx.replica, hq_gw])) == {["KZ-XBT-001", "helm_release.hq-replica"]}
}
