package kz.lib.helm_test

import data.kz.lib.helm

_release(chart, extra) := {"type": "helm_release", "values": object.union({"chart": chart, "name": "x", "namespace": "x"}, extra)}

test_chart_name_whatever_the_repository if {
	helm.chart_name(_release("postgresql", {"repository": "https://charts.bitnami.com/bitnami"})) == "postgresql"
	helm.chart_name(_release("postgresql", {"repository": "https://nexus.corp.example/repository/helm-proxy"})) == "postgresql"
	helm.chart_name(_release("oci://registry-1.docker.io/bitnamicharts/postgresql", {})) == "postgresql"
	helm.chart_name(_release("bitnami/PostgreSQL-HA", {})) == "postgresql-ha"
	helm.chart_name(_release("./charts/mongodb-sharded-8.3.7.tgz", {})) == "mongodb-sharded"
	helm.chart_name(_release("oci://ghcr.io/cloudnative-pg/charts/cluster/", {})) == "cluster"
}

test_values_documents_merge_then_set_blocks if {
	r := _release("x", {
		"values": ["a:\n  b: 1\n  c: 2\n", "{\"a\": {\"c\": 3}}"],
		"set": [{"name": "a.d", "value": "4"}, {"name": "labels.residency\\.kz/site", "value": "kz-ala-1"}, {"name": "flag", "value": "true"}, {"name": "str", "value": "true", "type": "string"}],
		"set_sensitive": [{"name": "auth.password", "value": "s3cret"}],
		"set_list": [{"name": "hosts", "value": ["a", "b"]}],
	})
	helm.values(r) == {
		"a": {"b": 1, "c": 3, "d": 4},
		"labels": {"residency.kz/site": "kz-ala-1"},
		"flag": true,
		"str": "true",
		"auth": {"password": "s3cret"},
		"hosts": ["a", "b"],
	}
}

test_set_paths_of_any_depth_and_list_indexes if {
	r := _release("x", {"set": [
		{"name": "a.b.c.d.e.f.g.h", "value": "deep"},
		{"name": "primary.extraEnv[0].name", "value": "X"},
	]})
	helm.values(r).a.b.c.d.e.f.g.h == "deep"
	helm.values(r).primary.extraEnv["0"].name == "X"
}

test_disabled_along if {
	helm.disabled_along({"backup": {"enabled": false, "s3": {}}}, ["backup", "s3"])
	not helm.disabled_along({"backup": {"enabled": true, "s3": {}}}, ["backup", "s3"])
	not helm.disabled_along({}, [])
}
