# METADATA
# title: Where a host name leads
# description: >-
#   Resolves a host that a resource writes (a database host, a backup endpoint, a log sink, a
#   tunnel peer) to what the plan and the registry prove about it: an object of the same cluster
#   (in-cluster Service names, followed through their selectors to the pods behind them, through
#   ExternalName aliases, Endpoints and EndpointSlices, and to the Helm releases and operator
#   resources that create them), a resource of the plan that publishes the name (a load-balancer
#   Service's external-dns name or address, an ingress host, an Istio Gateway or ServiceEntry), a
#   host the sites registry lists, or a provider's host name (lib/hostnames.rego). Each result is
#   a node {kind, resource, host, site, jurisdiction, where}; a host nothing proves is "unknown",
#   and unknown is not Kazakhstan.
package kz.lib.network

import data.kz.lib.helm
import data.kz.lib.hostnames
import data.kz.lib.kube
import data.kz.lib.location
import data.kz.lib.plan
import data.kz.lib.sites

# ---------------------------------------------------------------------------------------
# Kubernetes objects by cluster, namespace and name (looked up through the evaluator's
# collection indexes: `some r in coll; f(r) == key`)
# ---------------------------------------------------------------------------------------

_kube := [r | some r in plan.resources; kube.is_kube(r)]

# The cluster of a Kubernetes resource: its proven site (a site is one cluster, whichever of its
# registered endpoints a provider uses), else its provider's normalised host or configuration.
cluster(r) := concat("", ["site:", id]) if {
	id := location.site(r)
} else := kube.cluster_key(r)

same_cluster(a, b) if cluster(a) == cluster(b)

_where_key(r) := [cluster(r), kube.namespace(r)]

_name_key(r) := [cluster(r), kube.namespace(r), kube.name(r)]

services := [r | some r in _kube; kube.kind(r) == "Service"]

_endpoint_objects := [r | some r in _kube; kube.kind(r) in {"Endpoints", "EndpointSlice"}]

_workload_kinds := {"StatefulSet", "Deployment", "DaemonSet", "ReplicaSet", "ReplicationController", "Pod"}

workloads := [r | some r in _kube; kube.kind(r) in _workload_kinds]

config_maps := [r | some r in _kube; kube.kind(r) == "ConfigMap"]

releases := [r | some r in _kube; r.type == "helm_release"]

# Custom resources (operators' clusters and the like), by namespace.
custom_resources := [r | some r in _kube; kube.api_group(r) != ""]

services_named(cluster, ns, name) := [r | some r in services; _name_key(r) == [cluster, ns, name]]

workloads_in(cluster, ns) := [r | some r in workloads; _where_key(r) == [cluster, ns]]

config_map_named(cluster, ns, name) := [r | some r in config_maps; _name_key(r) == [cluster, ns, name]]

releases_in(cluster, ns) := [r | some r in releases; _where_key(r) == [cluster, ns]]

custom_in(cluster, ns) := [r | some r in custom_resources; _where_key(r) == [cluster, ns]]

# Namespaces the plan uses on a cluster (objects in them, or Namespace objects).
_namespace_pairs := {[cluster(r), kube.namespace(r)] | some r in _kube} | {[cluster(r), kube.name(r)] | some r in _kube; kube.kind(r) == "Namespace"}

# ---------------------------------------------------------------------------------------
# In-cluster names
# ---------------------------------------------------------------------------------------

# [service, namespace] of an in-cluster name seen from namespace `ns` on `cluster`:
# "svc.ns.svc.cluster.local", "svc.ns.svc", "pod.svc.ns.svc...", "svc.ns" (a namespace the plan
# uses), "svc" (the same namespace). Undefined for other names.
in_cluster(cluster, ns, host) := [m[1], m[2]] if {
	m := regex.find_all_string_submatch_n(`^(?:[a-z0-9-]+\.)?([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.[a-z0-9.-]+)?$`, host, 1)[0]
} else := [m[1], m[2]] if {
	m := regex.find_all_string_submatch_n(`^([a-z0-9-]+)\.([a-z0-9-]+)$`, host, 1)[0]
	[cluster, m[2]] in _namespace_pairs
} else := [host, ns] if {
	regex.match(`^[a-z0-9-]+$`, host)
	not host in {"localhost"}
}

# ---------------------------------------------------------------------------------------
# Resolution
# ---------------------------------------------------------------------------------------

# What host `text` (a URL, host:port or host name) written by resource `from` leads to: a set of
# nodes {kind, resource, host, port, site, jurisdiction, where, via}. kind is one of
# - "object": a Kubernetes object or release of the plan (resource: its address);
# - "namespace": an in-cluster name nothing in the plan creates (the cluster of `from`);
# - "external": a host outside the plan (site and jurisdiction from the registry or the
#   provider table, or null);
# "via" lists the aliases followed (ExternalName Services, Endpoints, ServiceEntries).
resolve(from, text) := nodes if {
	p := hostnames.parse(text)
	nodes := _resolve_host(from, p.host, p.port, text)
}

_loopback := {"localhost", "127.0.0.1", "::1", "0.0.0.0", "::"}

_resolve_host(from, host, port, text) := {_self_node(from, host, port)} if {
	host in _loopback
} else := nodes if {
	kube.is_kube(from)
	[svc, ns] := in_cluster(cluster(from), kube.namespace(from), host)
	nodes := _in_cluster_nodes(from, svc, ns, port)
} else := _external_nodes(from, host, port, [], text)

_in_cluster_nodes(from, svc, ns, port) := nodes if {
	cluster := cluster(from)
	found := services_named(cluster, ns, svc)
	count(found) > 0
	nodes := {n | some s in found; some n in _service_nodes(from, s, port)}
} else := nodes if {
	cluster := cluster(from)
	owners := _creators(cluster, ns, svc)
	count(owners) > 0
	nodes := {object_node(o, svc, port, []) | some o in owners}
} else := {_namespace_node(from, svc, ns, port)}

# A Service: ExternalName -> its external name; a selector -> the pods' workloads; neither ->
# its Endpoints or EndpointSlices.
_service_nodes(from, s, port) := nodes if {
	target := kube.external_name(s)
	nodes := _alias_nodes(from, s, target, port)
} else := nodes if {
	nodes := _selected_nodes(s, port, [s.address])
	count(nodes) > 0
} else := nodes if {
	addrs := _endpoint_addresses(s)
	count(addrs) > 0
	nodes := {n | some a in addrs; some n in _external_nodes(s, a, port, [s.address], a)}
} else := {object_node(s, kube.name(s), port, [])}

# An ExternalName may name another in-cluster Service (one more step) or an outside host.
_alias_nodes(from, s, target, port) := nodes if {
	[svc, ns] := in_cluster(cluster(s), kube.namespace(s), lower(target))
	found := services_named(cluster(s), ns, svc)
	count(found) > 0
	nodes := {object_node(x, svc, port, [s.address]) | some x in found}
} else := _external_nodes(s, lower(trim_suffix(target, ".")), port, [s.address], target)

# Addresses of the Endpoints / EndpointSlices that back a Service without a selector.
_endpoint_addresses(s) := {a |
	some e in _endpoint_objects
	_name_key(e) == _name_key(s)
	some a in endpoint_addresses(e)
} | {a |
	some e in _endpoint_objects
	kube.kind(e) == "EndpointSlice"
	_where_key(e) == _where_key(s)
	kube.labels(e)["kubernetes.io/service-name"] == kube.name(s)
	some a in endpoint_addresses(e)
}

# Addresses (IPs or names) an Endpoints or EndpointSlice object lists, in every form.
endpoint_addresses(e) := {a |
	kube.kind(e) == "Endpoints"
	some sub in array.concat(object.get(e.values, "subset", []), object.get(kube.object_values(e), "subsets", []))
	some x in array.concat(object.get(sub, "address", []), object.get(sub, "addresses", []))
	a := _first_string([object.get(x, "ip", null), object.get(x, "hostname", null)])
} | {a |
	kube.kind(e) == "EndpointSlice"
	some x in array.concat(object.get(e.values, "endpoint", []), object.get(kube.object_values(e), "endpoints", []))
	some a in object.get(x, "addresses", [])
	is_string(a)
}

_first_string(xs) := [x | some x in xs; is_string(x); x != ""][0]

# Objects that create Service `svc` in a namespace without the plan writing the Service itself: a
# Helm release named so (release name or fullnameOverride, followed by "-<component>"), an
# operator's resource whose name prefixes it (CloudNativePG creates <cluster>-rw, -ro, -r), a
# StatefulSet whose serviceName it is, a MinIO tenant (its "minio" Service).
_creators(cluster, ns, svc) := found if {
	found := [r | some r in releases_in(cluster, ns); some n in _release_names(r); _named_after(svc, n)]
	count(found) > 0
} else := found if {
	found := [r | some r in custom_in(cluster, ns); _named_after(svc, kube.name(r))]
	count(found) > 0
} else := found if {
	found := [r | some r in workloads_in(cluster, ns); kube.kind(r) == "StatefulSet"; _serves(r, svc)]
	count(found) > 0
} else := [r |
	svc == "minio"
	some r in array.concat(releases_in(cluster, ns), custom_in(cluster, ns))
	_minio_tenant(r)
]

_serves(r, svc) if svc in {object.get(kube.spec(r), "service_name", ""), object.get(kube.spec(r), "serviceName", "")}

_minio_tenant(r) if helm.chart_name(r) == "tenant"

_minio_tenant(r) if {
	kube.api_group(r) == "minio.min.io"
	kube.kind(r) == "Tenant"
}

_release_names(r) := {n |
	some n in [object.get(r.values, "name", ""), object.get(helm.values(r), "fullnameOverride", "")]
	is_string(n)
	n != ""
}

_named_after(svc, n) if svc == n

_named_after(svc, n) if startswith(svc, concat("", [n, "-"]))

_namespace_node(from, svc, ns, port) := {
	"kind": "namespace", "resource": null, "host": sprintf("%s.%s.svc", [svc, ns]), "port": port,
	"namespace": ns, "cluster": cluster(from),
	"site": location.site_or_null(from), "jurisdiction": _one_jurisdiction(location.jurisdictions(from)),
	"where": sprintf("%s.%s.svc in the cluster of %s (%s)", [svc, ns, from.address, location.where(from)]),
	"via": [],
}

# The resource itself (a loopback address: the pod or machine it runs on).
_self_node(from, host, port) := object.union(object_node(from, host, port, []), {"kind": "namespace"})

# A node for a resource of the plan.
object_node(r, host, port, via) := {
	"kind": "object", "resource": r.address, "host": host, "port": port,
	"namespace": _ns_or_null(r), "cluster": _cluster_or_null(r),
	"site": location.site_or_null(r), "jurisdiction": _one_jurisdiction(location.jurisdictions(r)),
	"where": sprintf("%s on %s", [r.address, location.where(r)]),
	"via": via,
}

_ns_or_null(r) := kube.namespace(r) if kube.is_kube(r)

_ns_or_null(r) := null if not kube.is_kube(r)

_cluster_or_null(r) := cluster(r) if kube.is_kube(r)

_cluster_or_null(r) := null if not kube.is_kube(r)

# The one country of a set; null when there is none or several (several countries: not one place).
_one_jurisdiction(js) := j if {
	count(js) == 1
	some j in js
} else := null

# ---------------------------------------------------------------------------------------
# Hosts outside the cluster
# ---------------------------------------------------------------------------------------

# Istio ServiceEntries of a cluster: [host, endpoint address or host] (an alias the mesh resolves).
_service_entry_pairs := {[lower(h), cluster(r), a, r.address] |
	some r in custom_resources
	kube.api_group(r) == "networking.istio.io"
	kube.kind(r) == "ServiceEntry"
	spec := kube.spec(r)
	some h in object.get(spec, "hosts", [])
	is_string(h)
	some a in _entry_targets(spec, h)
}

# A ServiceEntry with endpoints sends its hosts there; without, to the hosts themselves (DNS).
_entry_targets(spec, h) := {e.address | some e in object.get(spec, "endpoints", []); is_string(e.address)} if {
	count(object.get(spec, "endpoints", [])) > 0
} else := {lower(h)}

# Resources of the plan that publish a host name or address: a load-balancer Service
# (external-dns hostname annotation, loadBalancerIP), an ingress host (Ingress objects and Helm
# values), an Istio Gateway or a Gateway API listener.
published_pairs := {[lower(h), r.address] |
	some r in services
	kube.service_type(r) == "LoadBalancer"
	some h in _lb_names(r)
} | {[lower(h), r.address] |
	some r in _kube
	some h in ingress_hosts(r)
}

_lb_names(r) := {trim_space(h) | some h in split(object.get(kube.annotations(r), "external-dns.alpha.kubernetes.io/hostname", ""), ","); trim_space(h) != ""} | {ip |
	some k in ["load_balancer_ip", "loadBalancerIP"]
	ip := kube.spec(r)[k]
	is_string(ip)
	ip != ""
}

# Host names an object or release receives traffic for (Ingress rules and TLS, Gateway API
# routes and listeners, Istio Gateways and VirtualServices, ingress sections of Helm values).
ingress_hosts(r) := {h |
	kube.kind(r) == "Ingress"
	some rule in array.concat(object.get(kube.spec(r), "rule", []), object.get(kube.spec(r), "rules", []))
	h := rule.host
	is_string(h)
} | {h |
	kube.kind(r) == "Ingress"
	some t in object.get(kube.spec(r), "tls", [])
	some h in object.get(t, "hosts", [])
	is_string(h)
} | {h |
	kube.api_group(r) == "gateway.networking.k8s.io"
	kube.kind(r) in {"HTTPRoute", "GRPCRoute", "TLSRoute"}
	some h in object.get(kube.spec(r), "hostnames", [])
	is_string(h)
} | {h |
	kube.api_group(r) == "gateway.networking.k8s.io"
	kube.kind(r) == "Gateway"
	some l in object.get(kube.spec(r), "listeners", [])
	h := l.hostname
	is_string(h)
} | {_istio_host(h) |
	kube.api_group(r) == "networking.istio.io"
	kube.kind(r) == "Gateway"
	some s in object.get(kube.spec(r), "servers", [])
	some h in object.get(s, "hosts", [])
	is_string(h)
} | {h |
	kube.api_group(r) == "networking.istio.io"
	kube.kind(r) == "VirtualService"
	count(object.get(kube.spec(r), "gateways", [])) > 0
	not _mesh_only(kube.spec(r))
	some h in object.get(kube.spec(r), "hosts", [])
	is_string(h)
} | _helm_ingress_hosts(r)

# Istio writes Gateway hosts as "namespace/host" or "host".
_istio_host(h) := substring(h, indexof(h, "/") + 1, -1) if contains(h, "/")

_istio_host(h) := h if not contains(h, "/")

# A VirtualService bound only to the mesh (sidecars), not to an ingress gateway.
_mesh_only(spec) if {
	gws := object.get(spec, "gateways", [])
	count(gws) > 0
	every g in gws {
		g == "mesh"
	}
}

_helm_ingress_hosts(r) := {h |
	walk(helm.values(r), [path, v])
	is_string(v)
	count(path) > 0
	some p in path
	is_string(p)
	contains(lower(p), "ingress")
	some k in path
	k in {"host", "hostname", "hosts"}
	h := v
} if {
	r.type == "helm_release"
} else := set()

_published[h] := {a | some [x, a] in published_pairs; x == h} if some [h, _] in published_pairs

# The plan resources that publish host h.
published(h) := {plan.by_address[a] | some a in object.get(_published, lower(h), set())}

_external_nodes(from, host, port, via, text) := nodes if {
	kube.is_kube(from)
	aliases := {[a, se] | some [h, c, a, se] in _service_entry_pairs; h == host; c == cluster(from)}
	count(aliases) > 0
	nodes := {n |
		some [a, se] in aliases
		some n in _outside(lower(a), port, array.concat(via, [se]), a)
	}
} else := _outside(host, port, via, text)

_outside(host, port, via, text) := nodes if {
	rs := published(host)
	count(rs) > 0
	nodes := {n | some r in rs; some n in _published_nodes(r, host, port, via)}
} else := {external_node(host, port, via, text)}

# A load-balancer Service that publishes a name leads where its selector leads (its pods'
# workloads, or the release or resource that creates them); an Ingress, to the Services its rules
# for that name send to (a bucket behind an ingress is the store that receives what is written).
_published_nodes(r, host, port, via) := nodes if {
	kube.kind(r) == "Service"
	nodes := _selected_nodes(r, port, array.concat(via, [r.address]))
	count(nodes) > 0
} else := nodes if {
	kube.kind(r) == "Ingress"
	nodes := {n |
		some svc in _ingress_backends(r, host)
		some n in _backend_nodes(r, svc, port, array.concat(via, [r.address]))
	}
	count(nodes) > 0
} else := {object_node(r, host, port, via)}

# The workloads or creators behind a backend Service of an Ingress (one step: no alias is
# followed from an ingress).
_backend_nodes(r, svc, port, via) := nodes if {
	found := services_named(cluster(r), kube.namespace(r), svc)
	count(found) > 0
	nodes := {n | some s in found; some n in _selected_nodes(s, port, array.concat(via, [s.address]))}
} else := {object_node(o, svc, port, via) | some o in _creators(cluster(r), kube.namespace(r), svc)}

# Names of the Services an Ingress sends `host` to (typed resources and manifests).
_ingress_backends(r, host) := {name |
	spec := kube.spec(r)
	some rule in array.concat(_blocks(object.get(spec, "rule", [])), _blocks(object.get(spec, "rules", [])))
	lower(object.get(rule, "host", "")) in {"", host}
	some http in _blocks(object.get(rule, "http", []))
	some p in array.concat(_blocks(object.get(http, "path", [])), _blocks(object.get(http, "paths", [])))
	some b in _blocks(object.get(p, "backend", []))
	some svc in _blocks(object.get(b, "service", []))
	name := svc.name
	is_string(name)
}

# A block as a list: typed resources write nested blocks as lists, manifests as objects.
_blocks(x) := x if is_array(x)

_blocks(x) := [x] if is_object(x)

_blocks(x) := [] if {
	not is_array(x)
	not is_object(x)
}

_selected_nodes(s, port, via) := nodes if {
	sel := kube.service_selector(s)
	count(sel) > 0
	behind := [w | some w in workloads_in(cluster(s), kube.namespace(s)); kube.selects(sel, kube.pod_template_labels(w))]
	count(behind) > 0
	nodes := {object_node(w, kube.name(s), port, via) | some w in behind}
} else := {object_node(o, kube.name(s), port, via) |
	sel := kube.service_selector(s)
	some _, v in sel
	some o in _creators(cluster(s), kube.namespace(s), v)
}

# The site whose registered object storage or log sink URL is at or above `text` (path-aware: a
# bucket of a shared endpoint may be registered for one site).
_url_site(text) := id if {
	contains(text, "://")
	id := sites.site_for_object_storage(text)
} else := id if {
	contains(text, "://")
	id := sites.site_for_log_sink(text)
}

# A host outside the plan: the registry's site for it (its URL, else its host name or address),
# else the provider table, else unknown.
external_node(host, port, via, text) := {
	"kind": "external", "resource": null, "host": host, "port": port, "namespace": null, "cluster": null,
	"site": id, "jurisdiction": sites.jurisdiction(id),
	"where": sprintf("%s (registered for site %q, %s)", [host, id, sites.jurisdiction(id)]),
	"via": via,
} if {
	id := _url_site(text)
} else := {
	"kind": "external", "resource": null, "host": host, "port": port, "namespace": null, "cluster": null,
	"site": id, "jurisdiction": sites.jurisdiction(id),
	"where": sprintf("%s (registered for site %q, %s)", [host, id, sites.jurisdiction(id)]),
	"via": via,
} if {
	id := sites.site_for_host(host)
} else := {
	"kind": "external", "resource": null, "host": host, "port": port, "namespace": null, "cluster": null,
	"site": null, "jurisdiction": info.jurisdiction,
	"where": sprintf("%s (%s)", [host, hostnames.describe(info)]),
	"via": via,
} if {
	info := hostnames.provider(host)
} else := {
	"kind": "external", "resource": null, "host": host, "port": port, "namespace": null, "cluster": null,
	"site": null, "jurisdiction": null,
	"where": sprintf("%s (not registered for any site, so not proven to be in Kazakhstan)", [host]),
	"via": via,
}

# Whether a node is proven to be in Kazakhstan.
local(node) if node.jurisdiction == "KZ"
