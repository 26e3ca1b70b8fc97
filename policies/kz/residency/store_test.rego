package kz.residency.store_test

import data.kz.residency.fixtures_test as fx
import data.kz.residency.store

_deny(rs) := d if {
	d := store.deny with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

_vals(patch) := object.union(fx.store_values, patch)

# store values without cluster.<key>, then with cluster merged with `add`
_cluster(key, add) := object.union(object.remove(fx.store_values, ["cluster"]), {"cluster": object.union(object.remove(fx.store_values.cluster, [key]), add)})

# --- KZ-RES-001 ---------------------------------------------------------------------------

test_res001_compliant_primary_in_almaty if {
	count(_deny(fx.compliant)) == 0
}

test_res001_primary_in_frankfurt if {
	rs := array.concat(fx.deployment, [fx.helm_store("clients", "helm.fra", _vals({"residency": {"site": "hq-fra"}}))])
	fx.pairs(_deny(rs)) == {["KZ-RES-001", "helm_release.clients"]}
}

# evasion: a provider alias named like a Kazakh site whose host is in Frankfurt
test_res001_alias_named_like_kz_site_judged_by_host if {
	rs := array.concat(fx.deployment, [fx.helm_store("clients", "helm.kz-ala-1", fx.store_values)])
	fx.pairs(_deny(rs)) == {["KZ-RES-001", "helm_release.clients"], ["KZ-RES-006", "helm_release.clients"]}
	some f in _deny(rs)
	f.rule == "KZ-RES-001"
	f.site == "hq-fra"
}

# evasion: data class written in another case
test_res001_data_class_case_insensitive if {
	rs := [fx.helm_store("clients", "helm.fra", _vals({"residency": {"dataClass": "Personal", "site": "hq-fra"}}))]
	fx.pairs(_deny(rs)) == {["KZ-RES-001", "helm_release.clients"]}
}

# evasion: an unusual chart name whose values carry a residency map
test_res001_unusual_chart_with_residency_map if {
	r := fx.res("helm_release", "ledger", "helm.fra", {"name": "ledger", "chart": "acme-ledger", "namespace": "x", "values": [json.marshal({"residency": {"dataClass": "personal", "role": "primary", "site": "hq-fra"}})]})
	fx.pairs(_deny([r])) == {["KZ-RES-001", "helm_release.ledger"]}
}

# values given as YAML text and `set` blocks
test_res001_yaml_values_and_set_blocks if {
	r := fx.res("helm_release", "db", "helm.fra", {"name": "db", "chart": "bitnami/postgresql", "namespace": "x", "values": ["primary:\n  persistence:\n    storageClass: fra-encrypted\n"], "set": [
		{"name": "residency.dataClass", "value": "personal"},
		{"name": "residency.site", "value": "hq-fra"},
	]})
	fx.pairs(_deny([r])) == {["KZ-RES-001", "helm_release.db"]}
}

# evasion: count / for_each instances
test_res001_count_and_for_each_instances if {
	v := _vals({"residency": {"site": "hq-fra"}})
	a := object.union(fx.helm_store("db", "helm.fra", v), {"index": 0})
	b := object.union(fx.helm_store("db", "helm.fra", v), {"index": 1})
	c := object.union(fx.helm_store("tenant", "helm.fra", v), {"index": "acme"})
	fx.pairs(_deny([a, b, c])) == {["KZ-RES-001", "helm_release.db[0]"], ["KZ-RES-001", "helm_release.db[1]"], ["KZ-RES-001", "helm_release.tenant[\"acme\"]"]}
}

# StatefulSet with a volume claim template, labelled on the object
_sts(provider, labels, storage_class) := fx.res("kubernetes_stateful_set_v1", "pg", provider, {
	"metadata": [{"name": "pg", "namespace": "db", "labels": labels}],
	"spec": [{
		"template": [{"spec": [{"node_selector": {"topology.kubernetes.io/region": "kz-almaty"}}]}],
		"volume_claim_template": [{"metadata": [{"name": "data"}], "spec": [{"storage_class_name": storage_class}]}],
	}],
})

test_res001_statefulset_abroad if {
	r := _sts("kubernetes.fra", {"residency.kz/data-class": "biometric", "residency.kz/role": "primary"}, "fra-encrypted")
	fx.pairs(_deny([r])) == {["KZ-RES-001", "kubernetes_stateful_set_v1.pg"]}
}

test_res001_cnpg_manifest_abroad if {
	r := fx.res("kubernetes_manifest", "cluster", "kubernetes.fra", {"manifest": {
		"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster",
		"metadata": {"name": "pg", "namespace": "db", "labels": {"residency.kz/data-class": "special"}},
		"spec": {"instances": 3, "storage": {"storageClass": "fra-encrypted"}},
	}})
	fx.pairs(_deny([r])) == {["KZ-RES-001", "kubernetes_manifest.cluster"]}
}

test_res001_public_data_abroad_is_fine if {
	r := fx.helm_store("site", "helm.fra", _vals({"residency": {"dataClass": "public", "site": "hq-fra"}}))
	count(_deny([r])) == 0
}

# evasion: a plan wrapped as HCP Terraform's input.plan
test_res001_plan_wrapped_as_input_plan if {
	rs := [fx.helm_store("clients", "helm.fra", _vals({"residency": {"site": "hq-fra"}}))]
	d := store.deny with input as {"plan": fx.plan(rs)} with data.kz_residency.sites as fx.sites
	fx.pairs(d) == {["KZ-RES-001", "helm_release.clients"]}
}

# evasion: the store inside a nested module, with providers passed down explicitly
test_res001_store_in_nested_module if {
	r := object.union(fx.helm_store("clients", "helm.data", _vals({"residency": {"site": "hq-fra"}})), {"module": "module.platform[\"eu\"].module.db"})
	p := object.union(fx.plan([r]), {"configuration": {
		"provider_config": fx.providers,
		"root_module": {"module_calls": {"platform": {
			"source": "./platform",
			"providers": {"helm.data": "helm.fra"},
			"module": {"module_calls": {"db": {
				"source": "./db",
				"providers": {"helm.data": "helm.data"},
				"module": {"resources": [{"address": "helm_release.clients", "mode": "managed", "type": "helm_release", "name": "clients", "provider_config_key": "module.platform.module.db:helm.data"}]},
			}}},
		}}},
	}})
	d := store.deny with input as p with data.kz_residency.sites as fx.sites
	fx.pairs(d) == {["KZ-RES-001", "module.platform[\"eu\"].module.db.helm_release.clients"]}
}

# a module inheriting the root's default provider (no configuration of its own)
test_res001_module_inherits_default_provider if {
	r := object.union(fx.helm_store("clients", "helm", _vals({"residency": {"site": "hq-fra"}})), {"module": "module.db"})
	p := object.union(fx.plan([r]), {"configuration": {
		"provider_config": object.union(fx.providers, {"helm": fx.providers["helm.fra"]}),
		"root_module": {"module_calls": {"db": {
			"source": "./db",
			"module": {"resources": [{"address": "helm_release.clients", "mode": "managed", "type": "helm_release", "name": "clients", "provider_config_key": "module.db:helm"}]},
		}}},
	}})
	d := store.deny with input as p with data.kz_residency.sites as fx.sites
	fx.pairs(d) == {["KZ-RES-001", "module.db.helm_release.clients"]}
}

test_deleted_store_is_ignored if {
	r := object.union(fx.helm_store("old", "helm.fra", _vals({"residency": {"site": "hq-fra"}})), {"actions": ["delete"]})
	count(_deny([r])) == 0
}

# --- KZ-RES-002 ---------------------------------------------------------------------------

# evasion: a host known only after apply
# A primary whose host proves nothing also breaks KZ-RES-001: what cannot be proven local is not
# local, so the law rule denies even in the law profile, where KZ-RES-002 (practice) only warns.
test_res002_host_known_only_after_apply if {
	rs := array.concat(fx.deployment, [fx.helm_store("clients", "helm.later", fx.store_values)])
	fx.pairs(_deny(rs)) == {["KZ-RES-001", "helm_release.clients"], ["KZ-RES-002", "helm_release.clients"]}
	some f in _deny(rs)
	f.rule == "KZ-RES-001"
	f.site == null
	contains(f.message, "cannot be proven to run in Kazakhstan")
}

test_res002_unregistered_host if {
	rs := [fx.helm_store("clients", "helm.unregistered", fx.store_values)]
	fx.pairs(_deny(rs)) == {["KZ-RES-001", "helm_release.clients"], ["KZ-RES-002", "helm_release.clients"]}
}

test_res002_no_host_at_all if {
	r := _sts("kubernetes", {"residency.kz/data-class": "personal", "residency.kz/role": "primary"}, "ala-ceph-encrypted")
	fx.pairs(_deny([r])) == {["KZ-RES-001", "kubernetes_stateful_set_v1.pg"], ["KZ-RES-002", "kubernetes_stateful_set_v1.pg"]}
}

# A standby is not the primary: an unprovable host breaks only KZ-RES-002.
test_res002_standby_with_unprovable_host if {
	r := _sts("kubernetes", {"residency.kz/data-class": "personal", "residency.kz/role": "standby"}, "ala-ceph-encrypted")
	fx.pairs(_deny([r])) == {["KZ-RES-002", "kubernetes_stateful_set_v1.pg"]}
}

test_res002_endpoint_alternative_form_matches if {
	# 10.20.0.10:6443 is kz-ala-1's other endpoint
	p := object.union(fx.plan([_sts("kubernetes.ip", {"residency.kz/data-class": "personal", "residency.kz/role": "primary", "residency.kz/site": "kz-ala-1"}, "ala-ceph-encrypted")]), {"configuration": {"provider_config": {"kubernetes.ip": {"name": "kubernetes", "expressions": {"host": {"constant_value": "10.20.0.10:6443"}}}}}})
	d := store.deny with input as p with data.kz_residency.sites as fx.sites
	count(d) == 0
}

# --- KZ-RES-003 ---------------------------------------------------------------------------

test_res003_unclassified_pvc if {
	r := fx.res("kubernetes_persistent_volume_claim_v1", "scratch", "kubernetes.ala", {"metadata": [{"name": "scratch"}], "spec": [{"storage_class_name": "ala-ceph-encrypted"}]})
	fx.pairs(_deny([r])) == {["KZ-RES-003", "kubernetes_persistent_volume_claim_v1.scratch"]}
}

test_res003_unknown_class_value if {
	r := fx.res("kubernetes_persistent_volume_claim_v1", "scratch", "kubernetes.ala", {"metadata": [{"name": "scratch", "labels": {"residency.kz/data-class": "customer"}}], "spec": [{"storage_class_name": "ala-ceph-encrypted"}]})
	fx.pairs(_deny([r])) == {["KZ-RES-003", "kubernetes_persistent_volume_claim_v1.scratch"]}
}

test_res003_classified_case_data if {
	r := fx.res("kubernetes_persistent_volume_claim_v1", "scratch", "kubernetes.ala", {"metadata": [{"name": "scratch", "labels": {"residency.kz/data-class": "case"}}], "spec": [{"storage_class_name": "ala-plain"}]})
	count(_deny([r])) == 0
}

# a helm store classified by the labels of the namespace it installs into
test_res003_classified_by_namespace_labels if {
	ns := fx.res("kubernetes_namespace_v1", "clients", "kubernetes.ala", {"metadata": [{"name": "clients", "labels": {"residency.kz/data-class": "public", "residency.kz/role": "primary", "residency.kz/site": "kz-ala-1"}}]})
	r := fx.res("helm_release", "cache", "helm.ala", {"name": "cache", "chart": "redis", "namespace": "clients", "values": []})
	count(_deny([ns, r])) == 0
}

test_res003_unclassified_redis if {
	r := fx.res("helm_release", "cache", "helm.ala", {"name": "cache", "chart": "redis", "namespace": "clients", "values": []})
	fx.pairs(_deny([r])) == {["KZ-RES-003", "helm_release.cache"]}
}

# --- KZ-RES-004 ---------------------------------------------------------------------------

test_res004_unencrypted_storage_class if {
	v := _vals({"cluster": {"storage": {"storageClass": "ala-plain"}}})
	fx.pairs(_deny([fx.helm_store("clients", "helm.ala", v)])) == {["KZ-RES-004", "helm_release.clients"]}
}

test_res004_statefulset_unregistered_class if {
	r := _sts("kubernetes.ala", {"residency.kz/data-class": "personal", "residency.kz/role": "primary"}, "fra-encrypted")
	fx.pairs(_deny([r])) == {["KZ-RES-004", "kubernetes_stateful_set_v1.pg"]}
}

test_res004_statefulset_registered_class if {
	r := _sts("kubernetes.ala", {"residency.kz/data-class": "personal", "residency.kz/role": "primary"}, "ala-ceph-encrypted")
	count(_deny([r])) == 0
}

test_res004_no_storage_class if {
	v := _cluster("storage", {"storage": {"size": "20Gi"}})
	fx.pairs(_deny([fx.helm_store("clients", "helm.ala", v)])) == {["KZ-RES-004", "helm_release.clients"]}
}

# --- KZ-RES-005 ---------------------------------------------------------------------------

test_res005_not_pinned if {
	v := _cluster("affinity", {})
	fx.pairs(_deny([fx.helm_store("clients", "helm.ala", v)])) == {["KZ-RES-005", "helm_release.clients"]}
}

test_res005_stretched_to_astana if {
	v := _cluster("affinity", {"affinity": {"nodeSelector": {"topology.kubernetes.io/zone": "kz-astana-a"}}})
	fx.pairs(_deny([fx.helm_store("clients", "helm.ala", v)])) == {["KZ-RES-005", "helm_release.clients"]}
}

test_res005_pinned_by_node_selector if {
	v := _cluster("affinity", {"affinity": {"nodeSelector": {"topology.kubernetes.io/region": "KZ-Almaty"}}})
	count(_deny([fx.helm_store("clients", "helm.ala", v)])) == 0
}

# --- KZ-RES-006 ---------------------------------------------------------------------------

# evasion: a residency.kz/site label that lies (claims Almaty, runs in Astana)
test_res006_lying_site_label if {
	v0 := _cluster("affinity", {"affinity": {"nodeSelector": {"topology.kubernetes.io/region": "kz-astana"}}})
	v := object.union(v0, {"cluster": {"storage": {"storageClass": "ast-ceph-encrypted"}}})
	fx.pairs(_deny([fx.helm_store("clients", "helm.ast", v)])) == {["KZ-RES-006", "helm_release.clients"]}
}

test_res006_lying_label_on_any_object if {
	r := fx.res("kubernetes_config_map_v1", "cfg", "kubernetes.fra", {"metadata": [{"name": "cfg", "labels": {"residency.kz/site": "kz-ala-1"}}]})
	fx.pairs(_deny([r])) == {["KZ-RES-006", "kubernetes_config_map_v1.cfg"]}
}

test_res006_true_label if {
	r := fx.res("kubernetes_config_map_v1", "cfg", "kubernetes.fra", {"metadata": [{"name": "cfg", "labels": {"residency.kz/site": "hq-fra"}}]})
	count(_deny([r])) == 0
}
