package kz.lib.plan_test

import data.kz.lib.plan

_rc(address, type, name, module) := {"address": address, "mode": "managed", "type": type, "name": name, "module_address": module, "change": {"actions": ["create"], "after": {"name": name}, "after_unknown": {}}}

_cfg(type, name, key) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "provider_config_key": key}

_host(address) := r.host if {
	some r in plan.resources
	r.address == address
}

_key(address) := r.provider_key if {
	some r in plan.resources
	r.address == address
}

_plan := {
	"configuration": {
		"provider_config": {
			"kubernetes": {"name": "kubernetes", "expressions": {"host": {"constant_value": "https://root.example"}}},
			"kubernetes.kz": {"name": "kubernetes", "alias": "kz", "expressions": {"host": {"constant_value": "https://kz.example"}}},
			"helm.v3": {"name": "helm", "alias": "v3", "expressions": {"kubernetes": {"references": ["module.eks.cluster_endpoint", "module.eks"]}}},
			"helm.v3c": {"name": "helm", "alias": "v3c", "expressions": {"kubernetes": {"constant_value": {"host": "https://v3.example"}}}},
			"module.env:kubernetes": {"name": "kubernetes", "module_address": "module.env"},
		},
		"root_module": {
			"resources": [_cfg("helm_release", "a", "helm.v3"), _cfg("helm_release", "b", "helm.v3c")],
			"module_calls": {
				"app": {"module": {"resources": [_cfg("kubernetes_config_map_v1", "c", "module.app:kubernetes")]}},
				"pass": {"providers": {"kubernetes": "kubernetes.kz"}, "module": {"module_calls": {"inner": {"module": {"resources": [_cfg("kubernetes_config_map_v1", "d", "module.pass.module.inner:kubernetes")]}}}}},
				"env": {"module": {"resources": [_cfg("kubernetes_config_map_v1", "e", "module.env:kubernetes")]}},
			},
		},
	},
	"resource_changes": [
		_rc("helm_release.a", "helm_release", "a", ""),
		_rc("helm_release.b", "helm_release", "b", ""),
		_rc("module.app[0].kubernetes_config_map_v1.c", "kubernetes_config_map_v1", "c", "module.app[0]"),
		_rc("module.pass.module.inner[\"x\"].kubernetes_config_map_v1.d", "kubernetes_config_map_v1", "d", "module.pass.module.inner[\"x\"]"),
		_rc("module.env.kubernetes_config_map_v1.e", "kubernetes_config_map_v1", "e", "module.env"),
		{"address": "kubernetes_config_map_v1.gone", "mode": "managed", "type": "kubernetes_config_map_v1", "name": "gone", "change": {"actions": ["delete"], "after": null}},
		{"address": "data.kubernetes_config_map_v1.read", "mode": "data", "type": "kubernetes_config_map_v1", "name": "read", "change": {"actions": ["read"], "after": {}}},
	],
}

test_helm_v3_object_attribute_of_references_is_a_reference if {
	_host("helm_release.a") == {"kind": "reference", "value": "module.eks.cluster_endpoint, module.eks"} with input as _plan
}

test_helm_v3_constant_object if {
	_host("helm_release.b") == {"kind": "constant", "value": "https://v3.example"} with input as _plan
}

test_module_without_own_config_inherits_root_default if {
	_key("module.app[0].kubernetes_config_map_v1.c") == "kubernetes" with input as _plan
	_host("module.app[0].kubernetes_config_map_v1.c") == {"kind": "constant", "value": "https://root.example"} with input as _plan
}

test_providers_map_passes_alias_down_two_levels if {
	_key("module.pass.module.inner[\"x\"].kubernetes_config_map_v1.d") == "kubernetes.kz" with input as _plan
}

test_empty_module_config_proves_nothing if {
	# Terraform already rewrote passed providers; an entry of its own with no host is unknown
	_host("module.env.kubernetes_config_map_v1.e") == {"kind": "unknown", "value": null} with input as _plan
}

test_delete_only_and_data_sources_are_not_resources if {
	{r.address | some r in plan.resources} == {
		"helm_release.a", "helm_release.b", "module.app[0].kubernetes_config_map_v1.c",
		"module.pass.module.inner[\"x\"].kubernetes_config_map_v1.d", "module.env.kubernetes_config_map_v1.e",
	} with input as _plan
}

test_wrapped_plan if {
	count(plan.resources) == 5 with input as {"plan": _plan}
}

test_config_module_path if {
	plan.config_module_path("module.a[\"x.y\"].module.b[0]") == "module.a.module.b"
	plan.config_module_path("") == ""
}

test_helm_values_merge_yaml_documents_and_set if {
	r := {"type": "helm_release", "values": {"values": ["a:\n  b: 1\n  c: 2\n", "a:\n  c: 3\n"], "set": [{"name": "a.d", "value": "4"}, {"name": "labels.residency\\.kz/site", "value": "kz-ala-1"}]}}
	plan.helm_values(r) == {"a": {"b": 1, "c": 3, "d": "4"}, "labels": {"residency.kz/site": "kz-ala-1"}}
}
