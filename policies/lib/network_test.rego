package kz.lib.network_test

import data.kz.lib.network
import data.kz.lib.plan
import data.kz.residency.fixtures_test as fx

_resolve(rs, from, text) := x if {
	x := {[n.kind, n.resource, n.site, n.jurisdiction] | some n in network.resolve(plan.by_address[from], text)} with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

test_in_cluster_names if {
	network.in_cluster("c", "ns", "clients-rw.clients.svc.cluster.local") == ["clients-rw", "clients"]
	network.in_cluster("c", "ns", "pg-0.pg.db.svc") == ["pg", "db"]
	network.in_cluster("c", "ns", "loki-gateway") == ["loki-gateway", "ns"]
	not network.in_cluster("c", "ns", "db.example.kz")
}

# An in-cluster name leads to the release that creates the Service (CloudNativePG's -rw).
test_service_names_lead_to_their_creator if {
	_resolve(fx.compliant, "helm_release.collector", "clients-rw.clients.svc:5432") == {["object", "helm_release.clients", "kz-ala-1", "KZ"]}
	_resolve(fx.compliant, "helm_release.collector", "loki-gateway.kz-audit.svc") == {["object", "helm_release.loki", "kz-ala-1", "KZ"]}
	# nothing in the plan creates it: the cluster itself
	_resolve(fx.compliant, "helm_release.collector", "cache.other.svc") == {["namespace", null, "kz-ala-1", "KZ"]}
	_resolve(fx.compliant, "helm_release.collector", "127.0.0.1:2020") == {["namespace", "helm_release.collector", "kz-ala-1", "KZ"]}
}

test_selectors_lead_to_workloads if {
	_resolve(fx.with_replica, "helm_release.hq-replica", "hq-local.hq-gateway.svc:5432") == {["object", "kubernetes_deployment_v1.hq_gw", "hq-fra", "DE"]}
}

test_published_names_and_the_registry if {
	# the Loki gateway's ingress host, from another cluster
	_resolve(fx.with_replica, "helm_release.hq_collector", "logs.ala.example.kz:443") == {["object", "helm_release.loki", "kz-ala-1", "KZ"]}
	# a registered object storage URL, a registered tunnel address, a provider, nothing
	_resolve(fx.compliant, "helm_release.clients", "https://s3.ast.example.kz/b") == {["external", null, "kz-ast-1", "KZ"]}
	_resolve(fx.compliant, "helm_release.clients", "10.20.50.9") == {["external", null, "kz-ala-1", "KZ"]}
	_resolve(fx.compliant, "helm_release.clients", "https://s3.eu-west-1.amazonaws.com/b") == {["external", null, null, "IE"]}
	_resolve(fx.compliant, "helm_release.clients", "db.partner.example.org") == {["external", null, null, null]}
}

test_aliases_are_followed if {
	ext := fx.res("kubernetes_service_v1", "dr", "kubernetes.ala", {"metadata": [{"name": "dr", "namespace": "clients"}], "spec": [{"type": "ExternalName", "external_name": "s3.fra.example.com"}]})
	_resolve(array.concat(fx.compliant, [ext]), "helm_release.clients", "https://dr.clients.svc/bucket") == {["external", null, "hq-fra", "DE"]}
	se := fx.res("kubernetes_manifest", "partner", "kubernetes.ala", {"manifest": {"apiVersion": "networking.istio.io/v1beta1", "kind": "ServiceEntry", "metadata": {"name": "partner", "namespace": "clients"}, "spec": {"hosts": ["db.partner.internal"], "location": "MESH_EXTERNAL", "resolution": "STATIC", "endpoints": [{"address": "203.0.113.7"}]}}})
	_resolve(array.concat(fx.compliant, [se]), "helm_release.clients", "db.partner.internal:5432") == {["external", null, null, null]}
}

# An Ingress host leads to what its rule for that host sends to: the Service's creator (a MinIO
# tenant's "minio" Service), not the Ingress object.
test_ingress_hosts_lead_to_their_backends if {
	tenant := fx.res("kubernetes_manifest", "dumps", "kubernetes.fra", {"manifest": {"apiVersion": "minio.min.io/v2", "kind": "Tenant", "metadata": {"name": "dumps", "namespace": "dumps"}, "spec": {"pools": [{"servers": 4}]}}})
	ing := fx.res("kubernetes_ingress_v1", "dumps", "kubernetes.fra", {"metadata": [{"name": "dumps", "namespace": "dumps"}], "spec": [{"rule": [
		{"host": "minio.fra.example.com", "http": [{"path": [{"path": "/", "backend": [{"service": [{"name": "minio", "port": [{"number": 443}]}]}]}]}]},
		{"host": "console.fra.example.com", "http": [{"path": [{"path": "/", "backend": [{"service": [{"name": "console", "port": [{"number": 9090}]}]}]}]}]},
	]}]})
	rs := array.concat(fx.compliant, [tenant, ing])
	_resolve(rs, "helm_release.clients", "https://minio.fra.example.com/clients") == {["object", "kubernetes_manifest.dumps", "hq-fra", "DE"]}
	# a host whose backend nothing in the plan creates stays the Ingress
	_resolve(rs, "helm_release.clients", "https://console.fra.example.com") == {["object", "kubernetes_ingress_v1.dumps", "hq-fra", "DE"]}
}
