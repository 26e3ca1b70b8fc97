package kz.lib.providers_test

import data.kz.lib.plan
import data.kz.lib.providers

_rc(address, type, name, module) := {"address": address, "mode": "managed", "type": type, "name": name, "module_address": module, "change": {"actions": ["create"], "after": {"name": name}, "after_unknown": {}}}

_cfg(type, name, key) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "provider_config_key": key}

_r(address) := r if {
	some r in plan.resources
	r.address == address
}

_k8s(host) := {"name": "kubernetes", "expressions": {"host": host}}

_plan := {
	"format_version": "1.2",
	"variables": {
		"kz_host": {"value": "https://k8s.ala.example.kz"},
		"bare_host": {"value": "k8s.ala.example.kz"},
		"cluster": {"value": {"endpoint": "https://k8s.ast.example.kz", "ca": "x"}},
		"hosts": {"value": ["https://k8s.first.example.kz", "https://k8s.second.example.kz"]},
		"region": {"value": "eu-central-1"},
	},
	"configuration": {
		"provider_config": {
			"kubernetes": _k8s({"constant_value": "https://root.example"}),
			"kubernetes.kz": object.union(_k8s({"constant_value": "https://kz.example"}), {"alias": "kz"}),
			"kubernetes.var": object.union(_k8s({"references": ["var.kz_host"]}), {"alias": "var"}),
			"kubernetes.bare": object.union(_k8s({"references": ["var.bare_host"]}), {"alias": "bare"}),
			"kubernetes.attr": object.union(_k8s({"references": ["var.cluster.endpoint", "var.cluster"]}), {"alias": "attr"}),
			"kubernetes.index": object.union(_k8s({"references": ["var.hosts[1]", "var.hosts"]}), {"alias": "index"}),
			"kubernetes.eks": object.union(_k8s({"references": ["data.aws_eks_cluster.x.endpoint", "data.aws_eks_cluster.x"]}), {"alias": "eks"}),
			"kubernetes.state": object.union(_k8s({"references": ["data.terraform_remote_state.net.outputs.host", "data.terraform_remote_state.net"]}), {"alias": "state"}),
			"kubernetes.kubeconfig": {"name": "kubernetes", "alias": "kubeconfig", "expressions": {"config_path": {"constant_value": "~/.kube/config"}, "config_context": {"constant_value": "ala"}}},
			"kubernetes.current": {"name": "kubernetes", "alias": "current", "expressions": {"config_path": {"constant_value": "~/.kube/config"}}},
			"kubernetes.both": {"name": "kubernetes", "alias": "both", "expressions": {"host": {"constant_value": "https://explicit.example"}, "config_path": {"constant_value": "~/.kube/config"}}},
			"helm.v2": {"name": "helm", "alias": "v2", "expressions": {"kubernetes": [{"host": {"constant_value": "https://v2.example"}}]}},
			"helm.v3": {"name": "helm", "alias": "v3", "expressions": {"kubernetes": {"references": ["module.eks.cluster_endpoint", "module.eks"]}}},
			"helm.v3c": {"name": "helm", "alias": "v3c", "expressions": {"kubernetes": {"constant_value": {"host": "https://v3.example"}}}},
			"helm.v3kc": {"name": "helm", "alias": "v3kc", "expressions": {"kubernetes": {"constant_value": {"config_path": "~/.kube/config", "config_context": "fra"}}}},
			"kubectl": {"name": "kubectl", "expressions": {"host": {"constant_value": "https://kubectl.example"}, "load_config_file": {"constant_value": false}}},
			"aws.eu": {"name": "aws", "alias": "eu", "expressions": {"region": {"references": ["var.region"]}}},
			"module.env:kubernetes": {"name": "kubernetes", "module_address": "module.env"},
			"module.app.module.inner:kubernetes": {"name": "kubernetes", "module_address": "module.app.module.inner", "expressions": {"host": {"references": ["var.endpoint"]}}},
		},
		"root_module": {
			"resources": [_cfg("kubernetes_config_map_v1", "root", "kubernetes")],
			"module_calls": {
				"plain": {"module": {"resources": [_cfg("kubernetes_config_map_v1", "c", "module.plain:kubernetes")]}},
				"pass": {"providers": {"kubernetes": "kubernetes.kz"}, "module": {"module_calls": {"inner": {"module": {"resources": [_cfg("kubernetes_config_map_v1", "d", "module.pass.module.inner:kubernetes")]}}}}},
				"env": {"module": {"resources": [_cfg("kubernetes_config_map_v1", "e", "module.env:kubernetes")]}},
				"app": {"expressions": {"endpoint": {"references": ["var.kz_host"]}}, "module": {
					"variables": {"endpoint": {}},
					"module_calls": {"inner": {"expressions": {"endpoint": {"references": ["var.endpoint"]}}, "module": {"resources": [_cfg("kubernetes_config_map_v1", "f", "module.app.module.inner:kubernetes")]}}},
				}},
			},
		},
	},
	"resource_changes": [
		_rc("kubernetes_config_map_v1.root", "kubernetes_config_map_v1", "root", ""),
		_rc("module.plain[0].kubernetes_config_map_v1.c", "kubernetes_config_map_v1", "c", "module.plain[0]"),
		_rc("module.pass.module.inner[\"a b]\"].kubernetes_config_map_v1.d", "kubernetes_config_map_v1", "d", "module.pass.module.inner[\"a b]\"]"),
		_rc("module.env.kubernetes_config_map_v1.e", "kubernetes_config_map_v1", "e", "module.env"),
		_rc("module.app[\"x\"].module.inner.kubernetes_config_map_v1.f", "kubernetes_config_map_v1", "f", "module.app[\"x\"].module.inner"),
	],
}

test_key_of_the_root_default if {
	_r("kubernetes_config_map_v1.root").provider_key == "kubernetes" with input as _plan
}

test_module_without_own_config_inherits_root_default if {
	_r("module.plain[0].kubernetes_config_map_v1.c").provider_key == "kubernetes" with input as _plan
	_r("module.plain[0].kubernetes_config_map_v1.c").host == {"kind": "constant", "value": "https://root.example", "source": "literal"} with input as _plan
}

test_providers_map_passes_alias_down_two_levels_for_each_key_with_bracket if {
	_r("module.pass.module.inner[\"a b]\"].kubernetes_config_map_v1.d").provider_key == "kubernetes.kz" with input as _plan
}

test_empty_module_config_proves_nothing if {
	# Terraform already rewrote passed providers; an entry of its own with no host is unknown
	_r("module.env.kubernetes_config_map_v1.e").host == {"kind": "unknown", "value": null} with input as _plan
}

test_module_variable_chain_to_the_root_value if {
	h := _r("module.app[\"x\"].module.inner.kubernetes_config_map_v1.f").host with input as _plan
	h.kind == "constant"
	h.value == "https://k8s.ala.example.kz"
	h.source == "variable var.kz_host"
}

_call(name, inner) := {"module_calls": {name: {"module": inner}}}

test_any_depth_inheritance if {
	deep := "module.a.module.b.module.c.module.d.module.e.module.f.module.g"
	g := {"resources": [_cfg("kubernetes_config_map_v1", "deep", concat(":", [deep, "kubernetes"]))]}
	a := {"module_calls": {"a": {"providers": {"kubernetes": "kubernetes.kz"}, "module": _call("b", _call("c", _call("d", _call("e", _call("f", _call("g", g))))))}}}
	p := {
		"configuration": {
			"provider_config": {"kubernetes.kz": {"name": "kubernetes", "alias": "kz", "expressions": {"host": {"constant_value": "https://kz.example"}}}},
			"root_module": a,
		},
		"resource_changes": [_rc(concat(".", [deep, "kubernetes_config_map_v1.deep"]), "kubernetes_config_map_v1", "deep", deep)],
	}
	r := _r("module.a.module.b.module.c.module.d.module.e.module.f.module.g.kubernetes_config_map_v1.deep") with input as p
	r.provider_key == "kubernetes.kz"
	r.host.value == "https://kz.example"
}

test_host_from_a_variable_recorded_in_the_plan if {
	providers.kube_host("kubernetes.var") == {"kind": "constant", "value": "https://k8s.ala.example.kz", "source": "variable var.kz_host"} with input as _plan
	providers.kube_host("kubernetes.attr").value == "https://k8s.ast.example.kz" with input as _plan
	providers.kube_host("kubernetes.index").value == "https://k8s.second.example.kz" with input as _plan
}

test_variable_that_is_not_a_url_proves_nothing if {
	h := providers.kube_host("kubernetes.bare") with input as _plan
	h.kind == "reference"
	contains(h.value, "not an absolute URL")
}

test_data_sources_and_remote_state_prove_nothing if {
	providers.kube_host("kubernetes.eks") == {"kind": "reference", "value": "data.aws_eks_cluster.x.endpoint, data.aws_eks_cluster.x"} with input as _plan
	providers.kube_host("kubernetes.state").kind == "reference" with input as _plan
}

test_helm_forms if {
	providers.kube_host("helm.v2").value == "https://v2.example" with input as _plan
	providers.kube_host("helm.v3c").value == "https://v3.example" with input as _plan
	providers.kube_host("helm.v3") == {"kind": "reference", "value": "module.eks.cluster_endpoint, module.eks"} with input as _plan
	providers.kube_host("kubectl").value == "https://kubectl.example" with input as _plan
}

_kubeconfig := {
	"file": "ci.kubeconfig",
	"current_context": "fra",
	"contexts": {"ala": {"cluster": "ala-cluster"}, "fra": {"cluster": "fra-cluster"}},
	"clusters": {"ala-cluster": {"server": "https://k8s.ala.example.kz"}, "fra-cluster": {"server": "https://k8s.fra.example.com"}},
}

test_kubeconfig_only_through_the_command if {
	h := providers.kube_host("kubernetes.kubeconfig") with input as _plan
	h.kind == "unknown"
	contains(h.value, "--kubeconfig")
}

test_kubeconfig_context_resolves_to_its_server if {
	providers.kube_host("kubernetes.kubeconfig") == {"kind": "constant", "value": "https://k8s.ala.example.kz", "source": "kubeconfig ci.kubeconfig, context \"ala\""} with input as _plan with data.kz_residency.kubeconfig as _kubeconfig
	providers.kube_host("kubernetes.current").value == "https://k8s.fra.example.com" with input as _plan with data.kz_residency.kubeconfig as _kubeconfig
	providers.kube_host("helm.v3kc").value == "https://k8s.fra.example.com" with input as _plan with data.kz_residency.kubeconfig as _kubeconfig
	providers.kubeconfig_proofs["kubernetes.kubeconfig"].server == "https://k8s.ala.example.kz" with input as _plan with data.kz_residency.kubeconfig as _kubeconfig
}

test_explicit_host_wins_over_kubeconfig if {
	providers.kube_host("kubernetes.both").value == "https://explicit.example" with input as _plan with data.kz_residency.kubeconfig as _kubeconfig
}

test_unknown_context_proves_nothing if {
	kc := object.union(_kubeconfig, {"current_context": "gone"})
	h := providers.kube_host("kubernetes.current") with input as _plan with data.kz_residency.kubeconfig as kc
	h.kind == "unknown"
}

test_provider_setting_through_a_variable if {
	providers.setting("aws.eu", "region") == {"kind": "constant", "value": "eu-central-1", "source": "variable var.region"} with input as _plan
}

test_ref_path if {
	providers.ref_path("var.a.b[0][\"k.x\"]") == ["var", "a", "b", 0, "k.x"]
}
