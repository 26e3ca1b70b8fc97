# METADATA
# title: Kubernetes objects in every form a plan holds them
# description: >-
#   One view of a Kubernetes object whichever resource carries it: the typed resources of the
#   kubernetes provider (kubernetes_stateful_set, kubernetes_stateful_set_v1, ...: snake_case,
#   blocks as lists of one), kubernetes_manifest (`manifest`), kubectl_manifest (`yaml_body`,
#   `yaml_body_parsed`) and kustomization_resource (`manifest` as JSON text): kind, API group,
#   metadata, labels, annotations, namespace, pod template, volumes and volume claim templates.
package kz.lib.kube

import data.kz.lib.endpoint
import data.kz.lib.plan

# Typed resources (without their _v1 suffix) and the kind they create.
typed_kinds := {
	"kubernetes_stateful_set": "StatefulSet",
	"kubernetes_deployment": "Deployment",
	"kubernetes_daemonset": "DaemonSet",
	"kubernetes_daemon_set": "DaemonSet",
	"kubernetes_replication_controller": "ReplicationController",
	"kubernetes_pod": "Pod",
	"kubernetes_job": "Job",
	"kubernetes_cron_job": "CronJob",
	"kubernetes_persistent_volume_claim": "PersistentVolumeClaim",
	"kubernetes_persistent_volume": "PersistentVolume",
	"kubernetes_service": "Service",
	"kubernetes_endpoints": "Endpoints",
	"kubernetes_endpoint_slice": "EndpointSlice",
	"kubernetes_ingress": "Ingress",
	"kubernetes_namespace": "Namespace",
	"kubernetes_config_map": "ConfigMap",
	"kubernetes_secret": "Secret",
	"kubernetes_service_account": "ServiceAccount",
	"kubernetes_network_policy": "NetworkPolicy",
	"kubernetes_role": "Role",
	"kubernetes_role_binding": "RoleBinding",
	"kubernetes_cluster_role": "ClusterRole",
	"kubernetes_cluster_role_binding": "ClusterRoleBinding",
	"kubernetes_storage_class": "StorageClass",
}

manifest_types := {"kubernetes_manifest", "kubectl_manifest", "kustomization_resource"}

# Resources that talk to a Kubernetes API server (their provider's host says where they run).
is_kube(r) if startswith(r.type, "kubernetes_")

is_kube(r) if r.type in manifest_types

is_kube(r) if r.type == "helm_release"

_base(type) := trim_suffix(type, "_v1")

# The object of a manifest resource (undefined for other resources).
manifest(r) := m if {
	r.type == "kubernetes_manifest"
	m := r.values.manifest
	is_object(m)
} else := m if {
	r.type == "kubectl_manifest"
	m := _parsed(r.values.yaml_body)
} else := m if {
	r.type == "kubectl_manifest"
	m := _parsed(r.values.yaml_body_parsed)
} else := m if {
	r.type == "kustomization_resource"
	m := _parsed(r.values.manifest)
}

# JSON text is read as JSON, anything else as YAML (one document).
_parsed(s) := o if {
	is_string(s)
	json.is_valid(s)
	o := json.unmarshal(s)
	is_object(o)
} else := o if {
	is_string(s)
	not json.is_valid(s)
	yaml.is_valid(s)
	o := yaml.unmarshal(s)
	is_object(o)
}

typed(r) if typed_kinds[_base(r.type)]

kind(r) := typed_kinds[_base(r.type)]

kind(r) := k if {
	not typed(r)
	k := manifest(r).kind
	is_string(k)
}

# API group of a manifest ("postgresql.cnpg.io/v1" -> "postgresql.cnpg.io"; "v1" -> "").
api_group(r) := g if {
	v := manifest(r).apiVersion
	is_string(v)
	contains(v, "/")
	g := lower(split(v, "/")[0])
} else := ""

metadata(r) := m if {
	m := manifest(r).metadata
	is_object(m)
} else := m if {
	m := r.values.metadata[0]
	is_object(m)
} else := m if {
	m := r.values.metadata
	is_object(m)
} else := {}

labels(r) := l if {
	l := metadata(r).labels
	is_object(l)
} else := {}

annotations(r) := a if {
	a := metadata(r).annotations
	is_object(a)
} else := {}

# The namespace an object (or a helm_release) lives in.
namespace(r) := ns if {
	r.type == "helm_release"
	ns := object.get(r.values, "namespace", "default")
	is_string(ns)
} else := ns if {
	ns := metadata(r).namespace
	is_string(ns)
	ns != ""
} else := "default"

name(r) := n if {
	n := metadata(r).name
	is_string(n)
} else := r.values.name if {
	is_string(r.values.name)
} else := r.address

# The object's spec: the manifest's `spec`, or the typed resource's spec block.
spec(r) := s if {
	s := manifest(r).spec
	is_object(s)
} else := s if {
	typed(r)
	s := r.values.spec[0]
	is_object(s)
} else := {}

# Everything a settings check reads: helm values are elsewhere; the manifest for manifest
# forms, the planned values of typed resources.
object_values(r) := m if {
	m := manifest(r)
} else := r.values

# ---------------------------------------------------------------------------------------
# Pods: template, volumes, mounts
# ---------------------------------------------------------------------------------------

workload_kinds := {"StatefulSet", "Deployment", "DaemonSet", "ReplicaSet", "ReplicationController", "Pod", "Job", "CronJob"}

# The pod spec of a workload.
pod_spec(r) := p if {
	kind(r) == "Pod"
	p := spec(r)
} else := p if {
	kind(r) == "CronJob"
	typed(r)
	p := spec(r).job_template[0].spec[0].template[0].spec[0]
} else := p if {
	kind(r) == "CronJob"
	p := spec(r).jobTemplate.spec.template.spec
} else := p if {
	typed(r)
	p := spec(r).template[0].spec[0]
} else := p if {
	p := spec(r).template.spec
	is_object(p)
}

pod_template_labels(r) := l if {
	typed(r)
	l := spec(r).template[0].metadata[0].labels
	is_object(l)
} else := l if {
	l := spec(r).template.metadata.labels
	is_object(l)
} else := {}

# Volumes of a pod spec: {name, claim (PVC name or null), host_path (path or null)}.
volumes(r) := [v |
	some x in _volume_list(r)
	v := {
		"name": object.get(x, "name", ""),
		"claim": _first([object.get(x, ["persistent_volume_claim", 0, "claim_name"], null), object.get(x, ["persistentVolumeClaim", "claimName"], null)]),
		"host_path": _first([object.get(x, ["host_path", 0, "path"], null), object.get(x, ["hostPath", "path"], null)]),
	}
]

_volume_list(r) := l if {
	l := pod_spec(r).volume
	is_array(l)
} else := l if {
	l := pod_spec(r).volumes
	is_array(l)
} else := []

_first(xs) := x if {
	vals := [v | some v in xs; v != null]
	count(vals) > 0
	x := vals[0]
} else := null

_containers(r) := array.concat(
	array.concat(object.get(pod_spec(r), "container", []), object.get(pod_spec(r), "containers", [])),
	array.concat(object.get(pod_spec(r), "init_container", []), object.get(pod_spec(r), "initContainers", []))
)

# Names of volumes some container mounts writable (no read_only/readOnly: true).
writable_mounts(r) := {object.get(m, "name", "") |
	some c in _containers(r)
	some m in array.concat(object.get(c, "volume_mount", []), object.get(c, "volumeMounts", []))
	object.get(m, "read_only", false) != true
	object.get(m, "readOnly", false) != true
}

# Volume claim templates of a StatefulSet: {name, storage_class}.
claim_templates(r) := [{"name": _template_name(t), "storage_class": _first([object.get(t, ["spec", 0, "storage_class_name"], null), object.get(t, ["spec", "storageClassName"], null)])} |
	some t in array.concat(object.get(spec(r), "volume_claim_template", []), object.get(spec(r), "volumeClaimTemplates", []))
]

_template_name(t) := n if {
	n := object.get(t, ["metadata", 0, "name"], null)
	is_string(n)
} else := object.get(t, ["metadata", "name"], "")

# Storage class named by a PersistentVolumeClaim (null when it uses the cluster default).
claim_storage_class(r) := _first([object.get(spec(r), "storage_class_name", null), object.get(spec(r), "storageClassName", null)])

# ---------------------------------------------------------------------------------------
# Namespaces and clusters
# ---------------------------------------------------------------------------------------

namespace_types := {"kubernetes_namespace", "kubernetes_namespace_v1"}

_namespace_objects := [ns | some ns in plan.resources; kind(ns) == "Namespace"]

# Namespace objects of the plan by name (an index: objects look their namespace up by name).
namespaces_by_name[n] := [ns | some ns in _namespace_objects; name(ns) == n] if {
	some x in _namespace_objects
	n := name(x)
}

# The Namespace object an object or helm_release installs into, when that namespace is created
# in the same plan on the same cluster (the helm and kubernetes providers of one site are
# different configurations with the same host). Two objects can create the same namespace on
# one cluster (two stacks of a deployment, judged together): the first by address is the one, so
# that the function has one value.
namespace_object(r) := ns if {
	is_kube(r)
	not kind(r) == "Namespace"
	candidates := [n | some n in object.get(namespaces_by_name, namespace(r), []); same_cluster(n, r)]
	count(candidates) > 0
	first := min({n.address | some n in candidates})
	some ns in candidates
	ns.address == first
}

# A key naming the cluster of a resource: the normalised constant host, else the provider
# configuration it uses (two unproven configurations are not assumed to be one cluster).
cluster_key(r) := endpoint.normalize(r.host.value) if {
	r.host.kind == "constant"
	endpoint.normalize(r.host.value)
} else := concat("", ["provider:", r.provider_key])

same_cluster(a, b) if cluster_key(a) == cluster_key(b)
