# METADATA
# title: Classification of stores (the residency vocabulary)
# description: >-
#   What a resource declares about itself in the project's vocabulary (DESIGN.md "Vocabulary"):
#   data class, role, site, and the other residency signals. Read from every place a plan can
#   carry them, in both spellings (`residency.kz/data-class` and the cloud-safe
#   `residency-kz-data-class`): the object's labels and annotations, its pod template's labels,
#   the labels of the namespace it is created in (when the plan creates that namespace on the
#   same cluster), the Helm values' `residency` map and label/annotation maps, a custom
#   resource's `spec.residency`, and cloud tags and labels (`tags`, AWS `tags_all`, Google
#   `labels`/`user_labels`/`terraform_labels`, key/value tag lists). Classification fails
#   closed: conflicting claims resolve to the most protective class (biometric > special >
#   personal > case > public) and role (a role outside the vocabulary counts as primary), and a
#   value that is not exactly a vocabulary word, look-alike letters included, is unclassified.
package kz.lib.classification

import data.kz.lib.helm
import data.kz.lib.kube
import data.kz.lib.plan

personal_classes := {"personal", "biometric", "special"}

known_classes := personal_classes | {"case", "public"}

known_roles := {"primary", "standby", "replica", "backup", "cache", "gateway", "audit"}

# Protection order: a higher rank wins a conflict. An unknown class ranks between personal and
# case: it may be personal data, so it beats the claims that say it is not.
class_rank := {"biometric": 5, "special": 4, "personal": 3, "case": 1, "public": 0}

_unknown_class_rank := 2

role_rank := {"primary": 6, "standby": 5, "replica": 4, "backup": 3, "cache": 2, "audit": 1, "gateway": 0}

label_prefix := "residency.kz/"

cloud_label_prefix := "residency-kz-"

# Both spellings of a vocabulary key.
label_keys(key) := [concat("", [label_prefix, key]), concat("", [cloud_label_prefix, key])]

camel(key) := concat("", array.concat([parts[0]], [concat("", [upper(substring(p, 0, 1)), substring(p, 1, -1)]) |
	some i, p in parts
	i > 0
])) if {
	parts := split(key, "-")
}

_present(v) if {
	v != null
	v != ""
}

# ---------------------------------------------------------------------------------------
# Where claims are written. Every declaration of a resource is gathered once, as [key, value]
# pairs in the order signals prefer them: own labels (and the pod template's), namespace labels,
# the Helm values' or custom resource's residency map, own annotations, namespace annotations,
# chart label/annotation maps, cloud tags and labels.
# ---------------------------------------------------------------------------------------

# The vocabulary key of a label, annotation or tag name ("residency.kz/data-class" and
# "residency-kz-data-class" -> "data-class"); undefined for other names.
vocabulary_key(name) := substring(name, count(label_prefix), -1) if startswith(name, label_prefix)

vocabulary_key(name) := substring(name, count(cloud_label_prefix), -1) if startswith(name, cloud_label_prefix)

# "dataClass" -> "data-class" (the residency map's spelling of a key)
_kebab(k) := lower(regex.replace(k, `([A-Z])`, "-$1"))

_pairs(m) := [[k, v] | is_object(m); some name, v in m; is_string(name); k := vocabulary_key(name); _present(v)]

# A namespace's own labels and annotations (cached per namespace object).
_namespace_label_pairs(ns) := _pairs(kube.labels(ns))

_namespace_annotation_pairs(ns) := _pairs(kube.annotations(ns))

_ns_labels(r) := _namespace_label_pairs(kube.namespace_object(r)) if kube.is_kube(r)

_ns_labels(r) := [] if not kube.namespace_object(r)

_ns_annotations(r) := _namespace_annotation_pairs(kube.namespace_object(r)) if kube.is_kube(r)

_ns_annotations(r) := [] if not kube.namespace_object(r)

residency_map(r) := m if {
	m := helm.values(r).residency
	is_object(m)
} else := m if {
	m := kube.manifest(r).spec.residency
	is_object(m)
} else := {}

_residency_pairs(r) := [[_kebab(k), v] | some k, v in residency_map(r); is_string(k); _present(v)]

_meta_maps := {"annotations", "labels", "additionalLabels", "commonLabels", "commonAnnotations", "podAnnotations", "podLabels", "extraLabels", "customLabels"}

# Chart values: cluster.annotations, commonLabels, podAnnotations, additionalLabels, ... (sorted,
# so that the first one found does not depend on map order).
_helm_meta_pairs(r) := sort([p |
	walk(helm.values(r), [path, node])
	count(path) > 0
	path[count(path) - 1] in _meta_maps
	some p in _pairs(node)
]) if r.type == "helm_release"

_helm_meta_pairs(r) := [] if r.type != "helm_release"

# Cloud tags and labels: maps, and lists of {key, value} (MongoDB Atlas, some Azure resources).
_tag_maps(r) := array.concat(
	[m | some f in ["tags", "tags_all", "labels", "user_labels", "terraform_labels", "effective_labels"]; m := r.values[f]; is_object(m)],
	array.concat(
		[m | some s in object.get(r.values, "settings", []); is_object(s); m := s.user_labels; is_object(m)],
		[{t.key: t.value} | some f in ["tags", "labels"]; is_array(r.values[f]); some t in r.values[f]; is_object(t); is_string(t.key)]
	)
)

_cloud_pairs(r) := [p | some m in _tag_maps(r); some p in _pairs(m)] if not kube.is_kube(r)

_cloud_pairs(r) := [] if kube.is_kube(r)

# Every declaration of a resource: [[key, value], ...] in signal order.
declarations(r) := array.concat(
	array.concat(
		array.concat(_pairs(kube.labels(r)), _pairs(kube.pod_template_labels(r))),
		array.concat(_ns_labels(r), _residency_pairs(r))
	),
	array.concat(
		array.concat(_pairs(kube.annotations(r)), _ns_annotations(r)),
		array.concat(_helm_meta_pairs(r), _cloud_pairs(r))
	)
)

# Declarations by key, built once per resource: {key: [values in signal order]}.
_by_key(r) := {k: _values_of(d, k) | some [k, _] in d} if d := declarations(r)

_values_of(d, key) := [v | some [k, v] in d; k == key]

# Every claim for `key`, from every place, as written.
claims(r, key) := object.get(_by_key(r), key, [])

# The resources of the plan that declare `key` somewhere: one pass over the plan per key, each
# resource answering from its declarations index (deployment-wide questions such as "is a DPO
# named anywhere" ask this instead of working out signals of every resource again).
declaring(key) := {r | some r in plan.resources; _by_key(r)[key]}

# ---------------------------------------------------------------------------------------
# Signals: the first claim found, in the order of declarations(r).
# ---------------------------------------------------------------------------------------

signal(r, key) := v if {
	found := claims(r, key)
	count(found) > 0
	v := found[0]
}

# Signals read as text: strings as given, booleans and numbers as their JSON text,
# lists joined by commas.
signal_text(r, key) := s if {
	v := signal(r, key)
	is_string(v)
	s := v
} else := s if {
	v := signal(r, key)
	is_array(v)
	s := concat(",", [x | some e in v; x := sprintf("%v", [e])])
} else := s if {
	v := signal(r, key)
	not is_object(v)
	s := sprintf("%v", [v])
}

is_true(r, key) if lower(signal_text(r, key)) in {"true", "yes", "1", "on", "enabled"}

# is_true as a value: true or false, never undefined.
flag(r, key) := true if {
	is_true(r, key)
} else := false

# ---------------------------------------------------------------------------------------
# Data class, role, site
# ---------------------------------------------------------------------------------------

_word(v) := lower(trim_space(v)) if is_string(v)

_word(v) := lower(sprintf("%v", [v])) if not is_string(v)

class_claims(r) := {_word(v) | some v in claims(r, "data-class")}

_class_rank_of(c) := class_rank[c]

_class_rank_of(c) := _unknown_class_rank if not class_rank[c]

# The most protective class claimed; undefined (unclassified) when there is none, or when a value
# outside the vocabulary outranks every valid one.
data_class(r) := c if {
	cs := class_claims(r)
	count(cs) > 0
	top := max({_class_rank_of(x) | some x in cs})
	top != _unknown_class_rank
	some c in cs
	class_rank[c] == top
}

# Claimed class values outside the vocabulary (for messages).
invalid_classes(r) := {c | some c in class_claims(r); not class_rank[c]}

classified(r) if data_class(r)

personal(r) if data_class(r) in personal_classes

# Not proven free of personal data: personal, or no (valid) class at all.
maybe_personal(r) if personal(r)

maybe_personal(r) if not classified(r)

class_text(r) := data_class(r)

class_text(r) := "unclassified" if not data_class(r)

role_claims(r) := {_word(v) | some v in claims(r, "role")}

# The most protective valid role claimed (undefined when none is).
role(r) := x if {
	valid := {c | some c in role_claims(r); role_rank[c]}
	count(valid) > 0
	top := max({role_rank[c] | some c in valid})
	some x in valid
	role_rank[x] == top
}

# Whether any claim gives the resource this role.
has_role(r, x) if x in role_claims(r)

# The role a rule assumes: no role, or a role outside the vocabulary, counts as primary.
effective_role(r) := "primary" if {
	count(role_claims(r)) == 0
} else := "primary" if {
	some c in role_claims(r)
	not role_rank[c]
} else := role(r)

# Site ids claimed (residency.kz/site), as written.
site_claims(r) := {trim_space(v) | some v in claims(r, "site"); is_string(v); trim_space(v) != ""}
