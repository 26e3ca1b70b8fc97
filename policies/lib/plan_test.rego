package kz.lib.plan_test

import data.kz.lib.plan

_rc(address, type, name, module, actions) := {"address": address, "mode": "managed", "type": type, "name": name, "module_address": module, "change": {"actions": actions, "before": null, "after": {"name": name}, "after_unknown": {}}}

_cfg(type, name, key) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "provider_config_key": key}

_addresses(p) := a if {
	a := {r.address | some r in plan.resources} with input as p
}

_plan := {
	"format_version": "1.2",
	"complete": true,
	"configuration": {
		"provider_config": {"kubernetes": {"name": "kubernetes", "expressions": {"host": {"constant_value": "https://root.example"}}}},
		"root_module": {"resources": [_cfg("kubernetes_config_map_v1", "a", "kubernetes")]},
	},
	"resource_changes": [
		_rc("kubernetes_config_map_v1.created", "kubernetes_config_map_v1", "created", "", ["create"]),
		_rc("kubernetes_config_map_v1.same", "kubernetes_config_map_v1", "same", "", ["no-op"]),
		_rc("kubernetes_config_map_v1.changed", "kubernetes_config_map_v1", "changed", "", ["update"]),
		_rc("kubernetes_config_map_v1.replaced", "kubernetes_config_map_v1", "replaced", "", ["delete", "create"]),
		_rc("kubernetes_config_map_v1.cbd", "kubernetes_config_map_v1", "cbd", "", ["create", "delete"]),
		{"address": "kubernetes_config_map_v1.gone", "mode": "managed", "type": "kubernetes_config_map_v1", "name": "gone", "change": {"actions": ["delete"], "before": {"name": "gone"}, "after": null}},
		{"address": "kubernetes_config_map_v1.forgotten", "mode": "managed", "type": "kubernetes_config_map_v1", "name": "forgotten", "change": {"actions": ["forget"], "after": null}},
		object.union(_rc("kubernetes_config_map_v1.replaced", "kubernetes_config_map_v1", "replaced", "", ["delete"]), {"deposed": "00000001"}),
		{"address": "data.kubernetes_config_map_v1.read", "mode": "data", "type": "kubernetes_config_map_v1", "name": "read", "change": {"actions": ["read"], "after": {}}},
	],
	"prior_state": {"values": {"root_module": {"resources": [
		{"address": "kubernetes_config_map_v1.untouched", "mode": "managed", "type": "kubernetes_config_map_v1", "name": "untouched", "values": {"name": "untouched"}},
	]}}},
}

test_after_apply_deleted_gone_noop_and_replaced_stay if {
	_addresses(_plan) == {
		"kubernetes_config_map_v1.created", "kubernetes_config_map_v1.same", "kubernetes_config_map_v1.changed",
		"kubernetes_config_map_v1.replaced", "kubernetes_config_map_v1.cbd",
	}
}

# A plan that does not say it is complete (-target, deferred changes, or a format before the
# field): prior-state objects the plan does not touch stay and are judged.
_targeted := object.union(_plan, {"complete": false, "prior_state": {"values": {"root_module": {
	"resources": [{"address": "kubernetes_config_map_v1.untouched", "mode": "managed", "type": "kubernetes_config_map_v1", "name": "untouched", "values": {"name": "untouched"}}],
	"child_modules": [{"address": "module.a[\"k\"]", "resources": [], "child_modules": [{
		"address": "module.a[\"k\"].module.b",
		"resources": [
			{"address": "module.a[\"k\"].module.b.kubernetes_config_map_v1.deep", "mode": "managed", "type": "kubernetes_config_map_v1", "name": "deep", "values": {"name": "deep", "resources": [{"address": "not.a.resource", "mode": "managed", "type": "x", "name": "y"}]}},
			{"address": "module.a[\"k\"].module.b.kubernetes_config_map_v1.gone", "mode": "managed", "type": "kubernetes_config_map_v1", "name": "gone", "values": {}},
		],
	}]}],
}}}})

test_incomplete_plan_judges_untouched_prior_state if {
	addresses := _addresses(_targeted)
	"kubernetes_config_map_v1.untouched" in addresses
	"module.a[\"k\"].module.b.kubernetes_config_map_v1.deep" in addresses
	not "not.a.resource" in addresses
	some r in plan.resources with input as _targeted
	r.address == "module.a[\"k\"].module.b.kubernetes_config_map_v1.deep"
	r.module == "module.a[\"k\"].module.b"
	r.source == "prior_state"
}

test_prior_state_object_with_a_change_is_judged_by_its_change if {
	p := object.union(_targeted, {"resource_changes": array.concat(_plan.resource_changes, [{"address": "module.a[\"k\"].module.b.kubernetes_config_map_v1.gone", "mode": "managed", "type": "kubernetes_config_map_v1", "name": "gone", "module_address": "module.a[\"k\"].module.b", "change": {"actions": ["delete"], "after": null}}])})
	not "module.a[\"k\"].module.b.kubernetes_config_map_v1.gone" in _addresses(p)
}

test_complete_plan_does_not_read_prior_state if {
	not "kubernetes_config_map_v1.untouched" in _addresses(_plan)
}

test_wrapped_plan if {
	count(plan.resources) == 5 with input as {"plan": _plan}
}

test_config_module_path if {
	plan.config_module_path("module.a[\"x.y\"].module.b[0]") == "module.a.module.b"
	plan.config_module_path("module.a[\"key with ] bracket\"].module.b[\"sp ace\"]") == "module.a.module.b"
	plan.config_module_path("module.a[\"quote \\\" here\"].module.b") == "module.a.module.b"
	plan.config_module_path("") == ""
}

test_module_names_and_parents if {
	plan.module_names("module.a.module.b-c.module.d_e") == ["a", "b-c", "d_e"]
	plan.parent_module("module.a.module.b") == "module.a"
	plan.parent_module("module.a") == ""
	not plan.parent_module("")
}

# configuration tree of any depth
_call(name, inner) := {"module_calls": {name: {"module": inner}}}

_l6 := {"module_calls": {"l6": {"expressions": {"x": {"constant_value": 1}}, "module": _call("l7", {"resources": [_cfg("kubernetes_config_map_v1", "deep", "kubernetes")]})}}}

_deep := {"configuration": {"root_module": _call("l1", _call("l2", _call("l3", _call("l4", _call("l5", _l6)))))}}

test_configuration_any_depth if {
	path := "module.l1.module.l2.module.l3.module.l4.module.l5.module.l6.module.l7"
	plan.config_module(path).resources[0].name == "deep" with input as _deep
	plan.module_call("module.l1.module.l2.module.l3.module.l4.module.l5.module.l6").expressions.x.constant_value == 1 with input as _deep
}

test_is_unknown if {
	r := {"unknown": {"spec": [{"storage_class_name": true}]}}
	plan.is_unknown(r, ["spec", 0, "storage_class_name"])
	plan.is_unknown(r, ["spec", 0, "storage_class_name", "x"])
	not plan.is_unknown(r, ["spec", 0, "other"])
	plan.unknown_key(r, "storage_class_name")
}

# a prior state nested deeper than the levels unfolded directly is walked
_nest(n, inner) := {"address": sprintf("module.m%d", [n]), "resources": [], "child_modules": [inner]}

test_incomplete_plan_reads_a_prior_state_of_any_depth if {
	bottom := {"address": "module.bottom", "resources": [{"address": "module.bottom.kubernetes_config_map_v1.deep", "mode": "managed", "type": "kubernetes_config_map_v1", "name": "deep", "values": {}}]}
	tree := _nest(1, _nest(2, _nest(3, _nest(4, _nest(5, _nest(6, _nest(7, _nest(8, _nest(9, _nest(10, _nest(11, _nest(12, _nest(13, _nest(14, _nest(15, _nest(16, _nest(17, bottom)))))))))))))))))
	p := object.union(_plan, {"complete": false, "prior_state": {"values": {"root_module": {"child_modules": [tree]}}}})
	"module.bottom.kubernetes_config_map_v1.deep" in _addresses(p)
	p5 := object.union(_plan, {"complete": false, "prior_state": {"values": {"root_module": {"child_modules": [_nest(1, _nest(2, bottom))]}}}})
	"module.bottom.kubernetes_config_map_v1.deep" in _addresses(p5)
}
