package kz.residency.ur832_test

import data.kz.residency.fixtures_test as fx
import data.kz.residency.ur832

_deny(rs) := d if {
	d := ur832.deny with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

test_ur001_gost_tunnel if {
	count(_deny(fx.with_replica)) == 0
}

# The same tunnel with stunnel's default (non-GOST) suites.
test_ur001_plain_tls_tunnel if {
	tls := replace(replace(fx.gost_client, "engine = gost\n", ""), "ciphers = GOST2012-KUZNYECHIK-KUZNYECHIKOMAC\n", "")
	rs := fx.replacing(fx.with_replica, [fx.gateway_config("hq_gw_config", "kubernetes.fra", "hq-gateway", tls)])
	fx.pairs(_deny(rs)) == {["KZ-UR-001", "kubernetes_deployment_v1.hq_gw"]}
}

# WireGuard: the HQ forwarder connects to the Kazakh tunnel address, routed into the interface.
_wg(name, provider, ns, address, peer, forward) := [
	fx.res("kubernetes_config_map_v1", sprintf("%s_config", [name]), provider, {"metadata": [{"name": sprintf("%s_config", [name]), "namespace": ns}], "data": {
		"wg0.conf": sprintf("[Interface]\nAddress = %s/30\nListenPort = 51820\nPostUp = wg set %%i private-key /keys/private-key\nPostUp = wg set %%i peer \"$(cat /keys/peer-public-key)\" allowed-ips %s/32\n", [address, peer]),
		"forward.conf": forward,
	}}),
	fx.gateway(name, provider, ns, sprintf("%s_config", [name]), "1"),
]

test_ur001_wireguard_tunnel if {
	hq := _wg("hq_gw", "kubernetes.fra", "hq-gateway", "10.231.0.2", "10.231.0.1", "listen = 0.0.0.0:5432\nconnect = 10.231.0.1:5432\n")
	kz := _wg("kz_gw", "kubernetes.ala", "kz-gateway", "10.231.0.1", "10.231.0.2", "listen = 10.231.0.1:5432\nconnect = clients-rw.clients.svc:5432\n")
	rs := array.concat(array.concat(fx.compliant, [fx.replica, fx.hq_collector, fx.hq_tunnel[2]]), array.concat(hq, kz))
	fx.pairs(_deny(rs)) == {["KZ-UR-001", "kubernetes_deployment_v1.hq_gw"]}
	count(data.kz.residency.crossborder.deny) == 0 with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

test_ur001_copy_without_a_gateway if {
	r := fx.helm_store("hq-replica", "helm.fra", object.union(fx.replica_values, {"replica": {"origin": {"pg_basebackup": {"host": "10.20.50.5"}}}}))
	fx.pairs(_deny(array.concat(fx.compliant, [r, fx.hq_collector]))) == {["KZ-UR-001", "helm_release.hq-replica"]}
}

test_ur002_short_retention if {
	loki := fx.loki({"loki": object.union(object.remove(fx.loki_values.loki, ["limits_config"]), {"limits_config": {"retention_period": "8760h", "deletion_mode": "disabled"}})})
	rs := fx.replacing(fx.compliant, [loki, fx.audit_lock_job("COMPLIANCE", 365)])
	fx.pairs(_deny(rs)) == {["KZ-UR-002", "helm_release.loki"], ["KZ-UR-002", "helm_release.audit_store"]}
}

# A retention annotation is a claim: the mechanism says 365 days.
test_ur002_annotation_is_not_retention if {
	rs := fx.replacing(fx.compliant, [fx.audit_lock_job("COMPLIANCE", 365), fx.res("kubernetes_namespace_v1", "audit", "kubernetes.ala", {"metadata": [{"name": "kz-audit", "annotations": {"residency.kz/retention-days": "1095"}}]})])
	fx.pairs(_deny(rs)) == {["KZ-UR-002", "helm_release.audit_store"]}
}

test_ur002_three_years if {
	count(_deny(fx.compliant)) == 0
}
