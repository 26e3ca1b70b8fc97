package kz.lib.tunnels_test

import data.kz.lib.tunnels
import data.kz.residency.fixtures_test as fx

test_gateways_and_registered_tunnels if {
	p := fx.plan(fx.with_replica)
	{g.address | some g in tunnels.gateways} == {"kubernetes_deployment_v1.kz_gateway"} with input as p with data.kz_residency.sites as fx.sites
	tunnels.registered_tunnels == {"hq"} with input as p with data.kz_residency.sites as fx.sites
	tunnels.tunnel_profile("hq") == {"gost-tls"} with input as p with data.kz_residency.sites as fx.sites
}

test_a_gateway_abroad_registers_nothing if {
	gw := fx.res("kubernetes_deployment_v1", "gw", "kubernetes.fra", fx.kz_gateway.values)
	tunnels.registered_tunnels == set() with input as fx.plan([gw]) with data.kz_residency.sites as fx.sites
}
