package kz.lib.location_test

import data.kz.lib.location
import data.kz.lib.plan

_sites := [
	{"id": "kz-ala-1", "jurisdiction": "KZ", "city": "Almaty", "kubernetes": {"endpoints": ["https://k8s.ala.example.kz"], "region": "kz-almaty"}},
	{"id": "hq-fra", "jurisdiction": "DE", "city": "Frankfurt", "kubernetes": {"endpoints": ["https://k8s.fra.example.com"], "region": "eu-central"}},
	{"id": "yc-kz1", "jurisdiction": "KZ", "city": "Karaganda", "cloud": {"provider": "yandex", "regions": ["kz1"]}},
	{"id": "yc-kz2", "jurisdiction": "KZ", "city": "Astana", "cloud": {"provider": "yandex", "regions": ["kz2"]}},
]

_rc(type, name, after, unknown) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "change": {"actions": ["create"], "after": after, "after_unknown": unknown}}

_cfg(type, name, key) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "provider_config_key": key}

_plan(changes, keys) := {
	"format_version": "1.2",
	"variables": {"region": {"value": "eu-west-1"}},
	"configuration": {
		"provider_config": {
			"aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-central-1"}}},
			"aws.ireland": {"name": "aws", "alias": "ireland", "expressions": {"region": {"references": ["var.region"]}}},
			"aws.env": {"name": "aws", "alias": "env"},
			"google": {"name": "google", "expressions": {"region": {"constant_value": "europe-west3"}}},
			"yandex": {"name": "yandex", "expressions": {"zone": {"constant_value": "ru-central1-a"}}},
			"yandex.kz": {"name": "yandex", "alias": "kz", "expressions": {"endpoint": {"constant_value": "api.yandexcloud.kz:443"}}},
			"kubernetes.ala": {"name": "kubernetes", "alias": "ala", "expressions": {"host": {"constant_value": "https://k8s.ala.example.kz"}}},
		},
		"root_module": {"resources": [_cfg(c.type, c.name, keys[c.name]) | some c in changes]},
	},
	"resource_changes": changes,
}

_jurisdictions(changes, keys, address) := j if {
	r := plan.by_address[address] with input as _plan(changes, keys)
	j := location.jurisdictions(r) with input as _plan(changes, keys) with data.kz_residency.sites as _sites
}

_proven(changes, keys, address) if {
	r := plan.by_address[address] with input as _plan(changes, keys)
	location.proven(r) with input as _plan(changes, keys) with data.kz_residency.sites as _sites
}

_in_kz(changes, keys, address) if {
	r := plan.by_address[address] with input as _plan(changes, keys)
	location.in_kz(r) with input as _plan(changes, keys) with data.kz_residency.sites as _sites
}

_abroad(changes, keys, address) if {
	r := plan.by_address[address] with input as _plan(changes, keys)
	location.abroad(r) with input as _plan(changes, keys) with data.kz_residency.sites as _sites
}

_where(changes, keys, address) := w if {
	r := plan.by_address[address] with input as _plan(changes, keys)
	w := location.where(r) with input as _plan(changes, keys) with data.kz_residency.sites as _sites
}

_reason(changes, keys, address) := w if {
	r := plan.by_address[address] with input as _plan(changes, keys)
	w := location.unproven_reason(r) with input as _plan(changes, keys) with data.kz_residency.sites as _sites
}

test_resource_region_attribute if {
	c := [_rc("aws_db_instance", "a", {"availability_zone": "eu-west-2a"}, {})]
	_abroad(c, {"a": "aws"}, "aws_db_instance.a")
	_where(c, {"a": "aws"}, "aws_db_instance.a") == "aws region eu-west-2 (London, GB)"
}

test_provider_region_and_alias_through_a_variable if {
	c := [_rc("aws_s3_bucket", "b", {"bucket": "b"}, {"region": true}), _rc("aws_s3_bucket", "c", {"bucket": "c"}, {})]
	_where(c, {"b": "aws", "c": "aws.ireland"}, "aws_s3_bucket.b") == "aws region eu-central-1 (Frankfurt, DE)"
	_where(c, {"b": "aws", "c": "aws.ireland"}, "aws_s3_bucket.c") == "aws region eu-west-1 (Ireland, IE)"
}

test_no_region_anywhere_is_unproven if {
	c := [_rc("aws_dynamodb_table", "t", {"name": "t"}, {})]
	not _proven(c, {"t": "aws.env"}, "aws_dynamodb_table.t")
	not _in_kz(c, {"t": "aws.env"}, "aws_dynamodb_table.t")
	contains(_reason(c, {"t": "aws.env"}, "aws_dynamodb_table.t"), "names a region")
}

test_unknown_region_value_is_unproven if {
	c := [_rc("aws_db_instance", "a", {"region": "eu-central-9"}, {})]
	not _proven(c, {"a": "aws"}, "aws_db_instance.a")
	contains(_reason(c, {"a": "aws"}, "aws_db_instance.a"), "not in the region table")
}

test_replicas_in_other_regions_count if {
	c := [_rc("aws_dynamodb_table", "t", {"name": "t", "replica": [{"region_name": "eu-west-1"}]}, {})]
	_jurisdictions(c, {"t": "aws"}, "aws_dynamodb_table.t") == {"DE", "IE"}
	c2 := [_rc("azurerm_cosmosdb_account", "db", {"location": "westeurope", "geo_location": [{"location": "westeurope"}, {"location": "northeurope"}]}, {})]
	_jurisdictions(c2, {"db": "azurerm"}, "azurerm_cosmosdb_account.db") == {"NL", "IE"}
}

test_yandex_kz1 if {
	c := [_rc("yandex_mdb_postgresql_cluster", "pg", {"name": "pg", "host": [{"zone": "kz1-a"}]}, {})]
	_in_kz(c, {"pg": "yandex"}, "yandex_mdb_postgresql_cluster.pg")
	_where(c, {"pg": "yandex"}, "yandex_mdb_postgresql_cluster.pg") == "site \"yc-kz1\" (Karaganda, KZ)"
	# a host in Russia makes the cluster partly abroad
	c2 := [_rc("yandex_mdb_postgresql_cluster", "pg", {"name": "pg", "host": [{"zone": "kz1-a"}, {"zone": "ru-central1-b"}]}, {})]
	not _in_kz(c2, {"pg": "yandex"}, "yandex_mdb_postgresql_cluster.pg")
	_abroad(c2, {"pg": "yandex"}, "yandex_mdb_postgresql_cluster.pg")
}

test_yandex_provider_zone_and_kazakh_installation if {
	c := [_rc("yandex_storage_bucket", "b", {"bucket": "b"}, {}), _rc("yandex_storage_bucket", "k", {"bucket": "k"}, {})]
	_abroad(c, {"b": "yandex", "k": "yandex.kz"}, "yandex_storage_bucket.b")
	_in_kz(c, {"b": "yandex", "k": "yandex.kz"}, "yandex_storage_bucket.k")
}

test_region_known_only_from_the_registry if {
	c := [_rc("yandex_mdb_redis_cluster", "r", {"host": [{"zone": "kz2-a"}]}, {})]
	not _in_kz(c, {"r": "yandex"}, "yandex_mdb_redis_cluster.r")
	c2 := [_rc("yandex_mdb_redis_cluster", "r", {"host": [{"zone": "kz2"}]}, {})]
	_in_kz(c2, {"r": "yandex"}, "yandex_mdb_redis_cluster.r")
}

test_atlas if {
	c := [_rc("mongodbatlas_advanced_cluster", "m", {"replication_specs": [{"region_configs": [
		{"provider_name": "AWS", "region_name": "EU_CENTRAL_1", "priority": 7},
		{"provider_name": "TENANT", "backing_provider_name": "GCP", "region_name": "EUROPE_WEST_3", "priority": 6},
	]}]}, {})]
	_jurisdictions(c, {"m": "mongodbatlas"}, "mongodbatlas_advanced_cluster.m") == {"DE"}
	_abroad(c, {"m": "mongodbatlas"}, "mongodbatlas_advanced_cluster.m")
}

test_kubernetes_by_provider_host if {
	c := [_rc("kubernetes_stateful_set_v1", "s", {"metadata": [{"name": "s"}]}, {})]
	_in_kz(c, {"s": "kubernetes.ala"}, "kubernetes_stateful_set_v1.s")
	_where(c, {"s": "kubernetes.ala"}, "kubernetes_stateful_set_v1.s") == "site \"kz-ala-1\" (Almaty, KZ)"
}

test_other_providers_have_no_location if {
	c := [_rc("digitalocean_database_cluster", "d", {"region": "fra1"}, {})]
	not _proven(c, {"d": "digitalocean"}, "digitalocean_database_cluster.d")
	contains(_reason(c, {"d": "digitalocean"}, "digitalocean_database_cluster.d"), "no way to tell")
}
