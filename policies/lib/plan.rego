# METADATA
# title: Plan resource view
# description: >-
#   The only Rego that knows the Terraform plan JSON layout (format_version 1.x).
#   Turns `input` (or HCP Terraform's `input.plan`) into a resource view: one object per
#   managed resource that will exist after apply, with its address, type, module path,
#   planned values, unknown values and the provider configuration it uses.
package kz.lib.plan

# The plan document, whether given bare or wrapped as `{"plan": {...}}`.
doc := input.plan if {
	is_object(input.plan)
} else := input

_root := object.get(doc, ["configuration", "root_module"], {})

provider_config := object.get(doc, ["configuration", "provider_config"], {})

# Module calls by module path ("module.a", "module.a.module.b", ...), five levels deep.
# Rego forbids recursion, so each level is its own rule; a deeper store resolves no
# provider and is therefore treated as on an unknown host (fail closed).
_m1[k] := c if {
	some n, c in object.get(_root, "module_calls", {})
	k := concat("", ["module.", n])
}

_m2[k] := c if {
	some pk, pc in _m1
	some n, c in object.get(pc, ["module", "module_calls"], {})
	k := concat("", [pk, ".module.", n])
}

_m3[k] := c if {
	some pk, pc in _m2
	some n, c in object.get(pc, ["module", "module_calls"], {})
	k := concat("", [pk, ".module.", n])
}

_m4[k] := c if {
	some pk, pc in _m3
	some n, c in object.get(pc, ["module", "module_calls"], {})
	k := concat("", [pk, ".module.", n])
}

_m5[k] := c if {
	some pk, pc in _m4
	some n, c in object.get(pc, ["module", "module_calls"], {})
	k := concat("", [pk, ".module.", n])
}

module_calls := object.union_n([_m1, _m2, _m3, _m4, _m5])

modules := object.union({"": _root}, {k: object.get(c, "module", {}) | some k, c in module_calls})

# "module.a[\"x\"].module.b[0]" -> "module.a.module.b" (the configuration path).
config_module_path(module_address) := concat("", regex.split(`\[[^\]]*\]`, module_address))

# provider_config_key of each configuration resource, by "<module path>|<type>.<name>".
_config_provider_key[ck] := key if {
	some mk, m in modules
	some cr in object.get(m, "resources", [])
	object.get(cr, "mode", "managed") == "managed"
	ck := concat("|", [mk, concat(".", [cr.type, cr.name])])
	key := cr.provider_config_key
}

# "module.a.module.b:kubernetes.kz" -> ["module.a.module.b", "kubernetes.kz"]; "kubernetes" -> ["", "kubernetes"]
split_key(k) := [substring(k, 0, i), substring(k, i + 1, -1)] if {
	i := indexof(k, ":")
	i >= 0
} else := ["", k]

_join_key(m, l) := l if m == ""

_join_key(m, l) := concat(":", [m, l]) if m != ""

parent_module(m) := concat(".", array.slice(parts, 0, count(parts) - 1)) if {
	parts := regex.find_n(`module\.[A-Za-z0-9_-]+`, m, -1)
	count(parts) > 0
}

_has_config(k) := true if {
	count(object.get(provider_config, [k, "expressions"], {})) > 0
}

# One resolution step: follow a module call's `providers` map (cdktf synth and any
# converter that records it), or inherit the parent module's default (unaliased)
# provider when the module has no configuration of its own. Terraform itself already
# rewrites keys of passed providers to the parent's key (normalizeProviderConfigKeys),
# so a key with an (empty) entry in provider_config is final: its host is unknown.
_step(k) := nk if {
	[m, l] := split_key(k)
	m != ""
	v := module_calls[m].providers[l]
	is_string(v)
	nk := _join_key(parent_module(m), v)
} else := nk if {
	[m, l] := split_key(k)
	m != ""
	not provider_config[k]
	not contains(l, ".")
	nk := _join_key(parent_module(m), l)
}

_resolve1(k) := _step(k)

_resolve1(k) := k if not _step(k)

# Resolved provider configuration key (bounded: five steps, one per module level).
resolve_key(k) := _resolve1(_resolve1(_resolve1(_resolve1(_resolve1(k)))))

_unwrap_expr(e) := e[0] if is_array(e)

_unwrap_expr(e) := e if is_object(e)

# The expression that sets the Kubernetes API host of a provider configuration:
# kubernetes provider `host`; helm v2 `kubernetes { host }` block; helm v3 `kubernetes = {...}`.
_host_expr(pc) := pc.expressions.host

_host_expr(pc) := _unwrap_expr(pc.expressions.kubernetes).host if {
	not pc.expressions.host
}

_host_expr(pc) := {"constant_value": pc.expressions.kubernetes.constant_value.host} if {
	not pc.expressions.host
	is_object(pc.expressions.kubernetes)
	not pc.expressions.kubernetes.host
	is_string(pc.expressions.kubernetes.constant_value.host)
}

# {"kind": "constant"|"reference"|"unknown", "value": <string>|null}
host_of_config(key) := {"kind": "constant", "value": e.constant_value} if {
	e := _host_expr(provider_config[key])
	is_string(e.constant_value)
	e.constant_value != ""
} else := {"kind": "reference", "value": concat(", ", e.references)} if {
	e := _host_expr(provider_config[key])
	count(object.get(e, "references", [])) > 0
} else := {"kind": "reference", "value": concat(", ", ke.references)} if {
	# helm v3 object attribute made only of references
	ke := provider_config[key].expressions.kubernetes
	is_object(ke)
	count(object.get(ke, "references", [])) > 0
} else := {"kind": "unknown", "value": null}

# A resource change that leaves an object behind after apply (create, update, no-op,
# replace); delete-only changes, data sources and deposed objects are not resources.
_live(rc) if {
	object.get(rc, "mode", "managed") == "managed"
	not rc.deposed
	actions := object.get(rc, ["change", "actions"], ["create"])
	actions != ["delete"]
	actions != ["forget"]
}

_after(rc) := a if {
	a := rc.change.after
	is_object(a)
} else := {}

_after_unknown(rc) := u if {
	u := rc.change.after_unknown
	is_object(u)
} else := {}

# The resource view.
resources contains r if {
	some rc in object.get(doc, "resource_changes", [])
	_live(rc)
	module_address := object.get(rc, "module_address", "")
	ck := concat("|", [config_module_path(module_address), concat(".", [rc.type, rc.name])])
	raw_key := object.get(_config_provider_key, ck, "")
	key := _resolved_or_empty(raw_key)
	r := {
		"address": rc.address,
		"type": rc.type,
		"name": rc.name,
		"module": module_address,
		"index": object.get(rc, "index", null),
		"values": _after(rc),
		"unknown": _after_unknown(rc),
		"provider_key": key,
		"host": host_of_config(key),
	}
}

_resolved_or_empty(k) := "" if k == ""

_resolved_or_empty(k) := resolve_key(k) if k != ""

by_address := {r.address: r | some r in resources}

# Whether a value inside a resource is unknown at plan time (set in after_unknown, or
# anywhere below it).
is_unknown(r, path) if {
	walk(r.unknown, [p, true])
	count(p) <= count(path)
	array.slice(path, 0, count(p)) == p
}

# Kubernetes resource helpers: metadata of kubernetes_* (a one-element block list) and of
# kubernetes_manifest (manifest.metadata).
metadata(r) := m if {
	r.type == "kubernetes_manifest"
	m := object.get(r.values, ["manifest", "metadata"], {})
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

# Kubernetes namespace of an object (kubernetes_* metadata, manifest, helm_release.namespace).
namespace(r) := ns if {
	r.type == "helm_release"
	ns := object.get(r.values, "namespace", "default")
} else := ns if {
	ns := metadata(r).namespace
	is_string(ns)
} else := "default"

k8s_name(r) := n if {
	n := metadata(r).name
	is_string(n)
} else := r.values.name if {
	is_string(r.values.name)
} else := r.address

# helm_release values: the list of YAML documents merged in order, then `set` blocks
# (dotted names) applied on top.
helm_values(r) := v if {
	r.type == "helm_release"
	docs := [d | some s in object.get(r.values, "values", []); is_string(s); d := _yaml_obj(s)]
	merged := _deep_merge_all(docs)
	v := _apply_sets(merged, object.get(r.values, "set", []))
}

# JSON text (what cdktf writes) is parsed as JSON, anything else as YAML.
_yaml_obj(s) := o if {
	json.is_valid(s)
	o := json.unmarshal(s)
	is_object(o)
} else := o if {
	not json.is_valid(s)
	o := yaml.unmarshal(s)
	is_object(o)
} else := {}

_deep_merge_all(docs) := {} if count(docs) == 0

# object.union_n merges nested objects recursively, later documents win (Helm's order).
_deep_merge_all(docs) := object.union_n(docs) if count(docs) > 0

# `set` blocks: {name: "residency.dataClass", value: "personal"} -> nested keys
# (a backslash-escaped dot stays part of the key, as in Helm).
_apply_sets(v, sets) := object.union_n(array.concat([v], [_nest(_set_path(s.name), s.value) | some s in sets])) if {
	count(sets) > 0
}

_apply_sets(v, sets) := v if count(sets) == 0

_set_path(name) := [replace(p, "\u0000", ".") | some p in split(replace(name, `\.`, "\u0000"), ".")]

_nest(p, v) := {p[0]: v} if count(p) == 1

_nest(p, v) := {p[0]: {p[1]: v}} if count(p) == 2

_nest(p, v) := {p[0]: {p[1]: {p[2]: v}}} if count(p) == 3

_nest(p, v) := {p[0]: {p[1]: {p[2]: {p[3]: v}}}} if count(p) == 4

_nest(p, v) := {p[0]: {p[1]: {p[2]: {p[3]: {p[4]: v}}}}} if count(p) == 5

_nest(p, v) := {p[0]: {p[1]: {p[2]: {p[3]: {p[4]: {p[5]: v}}}}}} if count(p) >= 6

# The "values" a store check reads: helm values for helm_release, the manifest for
# kubernetes_manifest, the planned values otherwise.
spec_values(r) := helm_values(r) if r.type == "helm_release"

spec_values(r) := object.get(r.values, "manifest", {}) if r.type == "kubernetes_manifest"

spec_values(r) := r.values if {
	r.type != "helm_release"
	r.type != "kubernetes_manifest"
}
