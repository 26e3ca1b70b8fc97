# METADATA
# title: Helm releases
# description: >-
#   What a helm_release installs and with which values: the chart's own name whatever the
#   repository (a chart repository, an OCI registry, a company mirror or a local path), and the
#   values Helm would use: the `values` documents merged in order, then `set`, `set_list` and
#   `set_sensitive` applied on top (dotted names, escaped dots, list indexes, Helm's typing).
package kz.lib.helm

# The chart's own name, lower case: "oci://registry.example/charts/postgresql" -> "postgresql",
# "bitnami/postgresql" -> "postgresql", "./charts/postgresql-12.1.0.tgz" -> "postgresql".
chart_name(r) := n if {
	r.type == "helm_release"
	c := lower(trim_space(object.get(r.values, "chart", "")))
	parts := split(trim_right(c, "/"), "/")
	last := parts[count(parts) - 1]
	n := _strip_archive(last)
}

_strip_archive(s) := regex.replace(trim_suffix(s, ".tgz"), `-v?[0-9]+\.[0-9]+\.[0-9]+.*$`, "") if endswith(s, ".tgz")

_strip_archive(s) := s if not endswith(s, ".tgz")

repository(r) := lower(object.get(r.values, "repository", ""))

# helm_release values: the YAML documents merged in order, then the set blocks on top.
values(r) := v if {
	r.type == "helm_release"
	docs := [d | some s in object.get(r.values, "values", []); is_string(s); d := _doc(s)]
	merged := _merge(docs)
	sets := array.concat(array.concat(_list(r.values, "set"), _list(r.values, "set_list")), _list(r.values, "set_sensitive"))
	v := _apply_sets(merged, sets)
}

_list(o, k) := l if {
	l := o[k]
	is_array(l)
} else := []

# JSON text (what cdktf writes) is parsed as JSON, anything else as YAML.
_doc(s) := o if {
	json.is_valid(s)
	o := json.unmarshal(s)
	is_object(o)
} else := o if {
	not json.is_valid(s)
	yaml.is_valid(s)
	o := yaml.unmarshal(s)
	is_object(o)
} else := {}

_merge(docs) := {} if count(docs) == 0

# object.union_n merges nested objects recursively, later documents win (Helm's order).
_merge(docs) := object.union_n(docs) if count(docs) > 0

_apply_sets(v, sets) := object.union_n(array.concat([v], [_nest(_set_path(s.name), _typed(s)) | some s in sets; is_string(s.name)])) if {
	count(sets) > 0
}

_apply_sets(v, sets) := v if count(sets) == 0

# "a.b\.c[0].d" -> ["a", "b.c", "0", "d"] (a backslash-escaped dot stays part of the key, as in
# Helm; a list index becomes a key of its own).
_set_path(name) := [replace(p, "\u0000", ".") |
	some seg in split(replace(name, `\.`, "\u0000"), ".")
	some p in _index_parts(seg)
]

_index_parts(seg) := array.concat([substring(seg, 0, indexof(seg, "["))], [trim(x, "[]") | some x in regex.find_n(`\[[0-9]+\]`, seg, -1)]) if {
	regex.match(`^[^\[]+(\[[0-9]+\])+$`, seg)
} else := [seg]

# Helm types `set` values unless `type = "string"`: true/false become booleans, integers numbers;
# `set_list` values are lists.
_typed(s) := s.value if is_array(s.value)

_typed(s) := s.value if {
	not is_array(s.value)
	object.get(s, "type", "auto") == "string"
}

_typed(s) := v if {
	not is_array(s.value)
	object.get(s, "type", "auto") != "string"
	v := _auto(s.value)
}

_auto(x) := true if x == "true"

_auto(x) := false if x == "false"

_auto(x) := null if x == "null"

_auto(x) := to_number(x) if {
	is_string(x)
	regex.match(`^-?[0-9]{1,15}$`, x)
}

_auto(x) := x if {
	not x in {"true", "false", "null"}
	not _numeric(x)
}

_numeric(x) if {
	is_string(x)
	regex.match(`^-?[0-9]{1,15}$`, x)
}

# {p0: {p1: ... value}} for a path of any length (built as JSON text: no recursion in Rego).
_nest(path, value) := json.unmarshal(concat("", [
	concat("", [sprintf("{%s:", [json.marshal(k)]) | some k in path]),
	json.marshal(value),
	concat("", ["}" | some _ in path]),
]))

# Whether a values tree says enabled: false at `path` or above it.
disabled_along(vals, path) if {
	count(path) > 0
	some i in numbers.range(1, count(path))
	node := object.get(vals, array.slice(path, 0, i), null)
	is_object(node)
	node.enabled in {false, "false"}
}
