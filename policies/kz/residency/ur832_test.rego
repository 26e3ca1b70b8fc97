package kz.residency.ur832_test

import data.kz.residency.fixtures_test as fx
import data.kz.residency.ur832

_deny(rs) := d if {
	d := ur832.deny with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

_gateway(annotations) := fx.res("kubernetes_deployment_v1", "kz_gateway", "kubernetes.ala", {"metadata": [{
	"name": "hq-gateway",
	"labels": {"residency.kz/role": "gateway", "residency.kz/tunnel": "hq", "residency.kz/tunnel-side": "kz"},
	"annotations": annotations,
}]})

test_ur001_gost_tunnel if {
	count(_deny(fx.with_replica)) == 0
}

test_ur001_wireguard_tunnel if {
	fx.pairs(_deny([_gateway({"residency.kz/tunnel-profile": "wireguard"})])) == {["KZ-UR-001", "kubernetes_deployment_v1.kz_gateway"]}
}

test_ur001_undeclared_profile if {
	fx.pairs(_deny([_gateway({})])) == {["KZ-UR-001", "kubernetes_deployment_v1.kz_gateway"]}
}

test_ur002_short_retention if {
	ns := fx.res("kubernetes_namespace_v1", "audit", "kubernetes.ala", {"metadata": [{"name": "kz-audit", "annotations": {"residency.kz/retention-days": "365"}}]})
	fx.pairs(_deny([ns])) == {["KZ-UR-002", "kubernetes_namespace_v1.audit"]}
}

test_ur002_three_years if {
	count(_deny([fx.audit_ns])) == 0
}
