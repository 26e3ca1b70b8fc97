package kz.lib.tunnels_test

import data.kz.lib.plan
import data.kz.lib.tunnels
import data.kz.residency.fixtures_test as fx

_gw(rs, address) := g if {
	g := plan.by_address[address] with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

_hops(rs, address) := h if {
	h := {[x.listen, x.target, x.encrypted, x.profile] | some x in tunnels.hops(_gw(rs, address))} with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

# Gateways are what forwards connections, read from their configuration: names and labels do not count.
test_gateways_by_mechanism if {
	rs := fx.with_replica
	{g.address | some g in tunnels.gateways} == {"kubernetes_deployment_v1.hq_gw", "kubernetes_deployment_v1.kz_gw"} with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
	labelled := fx.res("kubernetes_deployment_v1", "named", "kubernetes.ala", {"metadata": [{"name": "tunnel-gateway", "labels": {"residency.kz/role": "gateway", "residency.kz/tunnel": "hq"}, "annotations": {"residency.kz/tunnel-profile": "gost-tls"}}], "spec": [{"template": [{"spec": [{"container": [{"name": "app", "image": "nginx"}]}]}]}]})
	{g.address | some g in tunnels.gateways} == set() with input as fx.plan([labelled]) with data.kz_residency.sites as fx.sites
}

test_stunnel_profiles if {
	_hops(fx.with_replica, "kubernetes_deployment_v1.hq_gw") == {["5432", "tunnel.ala.example.kz:8443", true, "gost-tls"]}
	# the server side accepts TLS and forwards in the clear inside its cluster
	_hops(fx.with_replica, "kubernetes_deployment_v1.kz_gw") == {["8443", "clients-rw.clients.svc:5432", false, "gost-tls"]}
}

test_peer_by_load_balancer_port if {
	rs := fx.with_replica
	{[r.peer, r.peer_jurisdiction] | some r in tunnels.routes(_gw(rs, "kubernetes_deployment_v1.hq_gw"))} == {["kubernetes_deployment_v1.kz_gw", "KZ"]} with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

_pod(name, command) := fx.res("kubernetes_deployment_v1", name, "kubernetes.ala", {"metadata": [{"name": name, "namespace": "edge"}], "spec": [{"replicas": "1", "template": [{"metadata": [{"labels": {"app": name}}], "spec": [{"container": [{"name": name, "image": "alpine", "command": ["/bin/sh", "-c", command]}]}]}]}]})

test_socat_and_ssh if {
	rs := [_pod("plain", "socat TCP-LISTEN:5432,fork,reuseaddr TCP:db.hq.example.com:5432"), _pod("tls", "socat TCP4-LISTEN:5432,fork OPENSSL:db.hq.example.com:5433,cafile=/ca.crt"), _pod("ssh", "autossh -N -L 5432:db.internal:5432 tunnel@bastion.hq.example.com")]
	_hops(rs, "kubernetes_deployment_v1.plain") == {["5432", "db.hq.example.com:5432", false, "plain"]}
	_hops(rs, "kubernetes_deployment_v1.tls") == {["5432", "db.hq.example.com:5433", true, "tls"]}
	_hops(rs, "kubernetes_deployment_v1.ssh") == {["5432", "bastion.hq.example.com:22", true, "ssh"]}
}

_proxy(name, file, text) := [
	fx.res("kubernetes_config_map_v1", name, "kubernetes.ala", {"metadata": [{"name": name, "namespace": "edge"}], "data": {file: text}}),
	fx.gateway(name, "kubernetes.ala", "edge", name, "1"),
]

test_nginx_stream_and_haproxy if {
	rs := array.concat(
		_proxy("nginx", "nginx.conf", "stream {\n  upstream hq { server db.hq.example.com:5432; }\n  server { listen 5432; proxy_pass hq; }\n}\n"),
		_proxy("haproxy", "haproxy.cfg", "defaults\n  mode tcp\nbackend hq\n  server s1 db.hq.example.com:5432 ssl verify required ca-file /ca.crt\n")
	)
	_hops(rs, "kubernetes_deployment_v1.nginx") == {["", "db.hq.example.com:5432", false, "plain"]}
	_hops(rs, "kubernetes_deployment_v1.haproxy") == {["", "db.hq.example.com:5432", true, "tls"]}
}

# The kill switch: a gateway at 0 replicas forwards nothing.
test_no_pods_no_hops if {
	rs := fx.replacing(fx.with_replica, [fx.gateway("kz_gw", "kubernetes.ala", "kz-gateway", "kz_gw_config", "0")])
	_hops(rs, "kubernetes_deployment_v1.kz_gw") == set()
}
