# METADATA
# title: Plan resource view
# description: >-
#   The only Rego that knows the Terraform plan JSON layout (format_version 1.x). Turns `input`
#   (or HCP Terraform's `input.plan`) into a resource view of the plan as it will be after apply:
#   one object per managed resource that exists then, with its address, type, module, planned
#   values, unknown values and the provider configuration it uses. Resources being deleted are
#   gone; no-op, updated and replaced ones stay; in a plan that does not declare itself complete
#   (`complete: false`, or a format without the field: a -target plan, deferred changes), objects
#   of the prior state that the plan does not touch stay as they are and are judged too.
#   Changes that are deferred are not applied by this plan and are judged by the plan that applies
#   them. Module calls are followed to any depth.
package kz.lib.plan

import data.kz.lib.helm
import data.kz.lib.kube
import data.kz.lib.providers

# The plan document, whether given bare or wrapped as `{"plan": {...}}`.
doc := input.plan if {
	is_object(input.plan)
} else := input

root_module := object.get(doc, ["configuration", "root_module"], {})

provider_config := object.get(doc, ["configuration", "provider_config"], {})

variables := v if {
	v := doc.variables
	is_object(v)
} else := {}

# ---------------------------------------------------------------------------------------
# Module addresses and the configuration tree (any depth: paths are built, not recursed).
# ---------------------------------------------------------------------------------------

# Instance keys of count and for_each, any text inside a quoted key included.
_instance_key := `\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\]`

# "module.a[\"x].y\"].module.b[0]" -> "module.a.module.b" (the configuration path).
config_module_path(module_address) := regex.replace(module_address, _instance_key, "")

# "module.a.module.b" -> ["a", "b"]
module_names(path) := [substring(m, 7, -1) | some m in regex.find_n(`module\.[A-Za-z0-9_-]+`, path, -1)]

# "module.a.module.b" -> "module.a"; "module.a" -> ""
parent_module(path) := concat(".", [concat("", ["module.", n]) | some i, n in names; i < count(names) - 1]) if {
	names := module_names(path)
	count(names) > 0
}

# The configuration object of a module path ("" is the root module).
config_module(path) := root_module if path == ""

config_module(path) := object.get(root_module, _config_path(module_names(path)), {}) if path != ""

_config_path(names) := [x | some n in names; some x in ["module_calls", n, "module"]]

# The call of module `path` in its parent ({source, expressions, providers, module, ...}).
module_call(path) := c if {
	names := module_names(path)
	count(names) > 0
	parent := array.slice(names, 0, count(names) - 1)
	c := object.get(root_module, array.concat(_config_path(parent), ["module_calls", names[count(names) - 1]]), null)
	is_object(c)
}

# ---------------------------------------------------------------------------------------
# Resource changes and the prior state
# ---------------------------------------------------------------------------------------

_changes := [rc | some rc in object.get(doc, "resource_changes", []); is_object(rc)]

# A resource change that leaves an object behind after apply (create, update, no-op,
# replace); delete-only and forget changes, data sources and deposed objects are not resources.
_live(rc) if {
	object.get(rc, "mode", "managed") == "managed"
	not rc.deposed
	actions := object.get(rc, ["change", "actions"], ["create"])
	actions != ["delete"]
	actions != ["forget"]
}

# Whether the plan says it has an action for every object of the configuration and prior state.
complete if doc.complete == true

_changed := {rc.address | some rc in _changes; is_string(rc.address)}

_state_root := object.get(doc, ["prior_state", "values", "root_module"], {})

# Managed objects of the prior state the plan has no change for, with the module that holds them.
# Read only from a plan that is not complete: a complete plan has a change (no-op included) for
# every object of its prior state.
_untouched contains [object.get(m, "address", ""), res] if {
	not complete
	some m in _state_modules
	some res in object.get(m, "resources", [])
	is_object(res)
	object.get(res, "mode", "managed") == "managed"
	not res.deposed
	not _changed[res.address]
}

# The modules of the prior state. Sixteen levels are unfolded directly (reading only the module
# tree); a state nested deeper is walked whole, so that any depth is read.
_state_modules := [] if {
	complete
} else := m if {
	not _state_deeper
	m := array.concat(array.concat(array.concat(_s0, _s1), array.concat(_s2, _s3)), array.concat(array.concat(_s4, _s5), array.concat(_s6, _s7)))
	count(_s8) == 0
} else := m if {
	not _state_deeper
	m := array.concat(
		array.concat(array.concat(array.concat(_s0, _s1), array.concat(_s2, _s3)), array.concat(array.concat(_s4, _s5), array.concat(_s6, _s7))),
		array.concat(array.concat(array.concat(_s8, _s9), array.concat(_s10, _s11)), array.concat(array.concat(_s12, _s13), array.concat(_s14, _s15)))
	)
} else := [node |
	walk(_state_root, [path, node])
	_state_module_path(path)
]

_children(ms) := [c | some m in ms; some c in object.get(m, "child_modules", []); is_object(c)]

_s0 := [_state_root] if not complete

_s1 := _children(_s0)

_s2 := _children(_s1)

_s3 := _children(_s2)

_s4 := _children(_s3)

_s5 := _children(_s4)

_s6 := _children(_s5)

_s7 := _children(_s6)

_s8 := _children(_s7)

_s9 := _children(_s8)

_s10 := _children(_s9)

_s11 := _children(_s10)

_s12 := _children(_s11)

_s13 := _children(_s12)

_s14 := _children(_s13)

_s15 := _children(_s14)

_state_deeper if count(_children(_s15)) > 0

# [], ["child_modules", i], ["child_modules", i, "child_modules", j], ...
_state_module_path(path) if {
	count(path) % 2 == 0
	count({x | some i, x in path; i % 2 == 0; x != "child_modules"}) == 0
}

# ---------------------------------------------------------------------------------------
# Configuration resources and their provider configuration keys (indexed once)
# ---------------------------------------------------------------------------------------

_module_paths := {config_module_path(object.get(rc, "module_address", "")) | some rc in _changes} | {config_module_path(m) | some [m, _] in _untouched}

# "<module path>|<type>.<name>" -> the configuration resource
config_resources[ck] := cr if {
	some mp in _module_paths
	some cr in object.get(config_module(mp), "resources", [])
	object.get(cr, "mode", "managed") == "managed"
	ck := concat("|", [mp, concat(".", [cr.type, cr.name])])
}

_config_key(module_address, type, name) := object.get(config_resources, [concat("|", [config_module_path(module_address), concat(".", [type, name])]), "provider_config_key"], "")

_after(rc) := a if {
	a := rc.change.after
	is_object(a)
} else := {}

_after_unknown(rc) := u if {
	u := rc.change.after_unknown
	is_object(u)
} else := {}

_view(address, type, name, module_address, index, values, unknown, actions, provider_name, source) := {
	"address": address,
	"type": type,
	"name": name,
	"module": module_address,
	"index": index,
	"values": values,
	"unknown": unknown,
	"actions": actions,
	"provider_name": provider_name,
	"source": source,
	"provider_key": key,
	"host": providers.kube_host(key),
} if {
	key := providers.resolve(_config_key(module_address, type, name))
}

# The resource view: every managed object that exists after apply.
resources contains r if {
	some rc in _changes
	_live(rc)
	r := _view(
		rc.address, rc.type, rc.name, object.get(rc, "module_address", ""), object.get(rc, "index", null),
		_after(rc), _after_unknown(rc), object.get(rc, ["change", "actions"], ["create"]),
		object.get(rc, "provider_name", ""), "resource_changes"
	)
}

resources contains r if {
	some [module_address, res] in _untouched
	r := _view(
		res.address, res.type, res.name, module_address, object.get(res, "index", null),
		object.get(res, "values", {}), {}, ["no-op"],
		object.get(res, "provider_name", ""), "prior_state"
	)
}

by_address := {r.address: r | some r in resources}

# Whether a value inside a resource is unknown at plan time (set in after_unknown, or
# anywhere below it).
is_unknown(r, path) if {
	walk(r.unknown, [p, true])
	count(p) <= count(path)
	array.slice(path, 0, count(p)) == p
}

# A path of a resource's values (any depth) that is unknown at plan time, ending in key `k`.
unknown_key(r, k) if {
	walk(r.unknown, [p, true])
	some x in p
	x == k
}

# ---------------------------------------------------------------------------------------
# Accessors of earlier versions of this library, kept for a team's own policies (`check --policy`
# may use data.kz.lib.*): Kubernetes objects now live in kz.lib.kube, Helm values in kz.lib.helm.
# ---------------------------------------------------------------------------------------

metadata(r) := kube.metadata(r)

labels(r) := kube.labels(r)

annotations(r) := kube.annotations(r)

namespace(r) := kube.namespace(r)

k8s_name(r) := kube.name(r)

helm_values(r) := helm.values(r)
