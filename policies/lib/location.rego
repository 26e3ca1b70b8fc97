# METADATA
# title: Where a resource runs
# description: >-
#   The location of a resource, proven (never taken from a name or a label): a Kubernetes
#   resource is on the site whose registered endpoint is its provider's host; a managed cloud
#   resource is in the regions its values name (region, location and zone attributes at any
#   depth: replicas and geo-locations included), else its provider configuration's region or zone
#   (aliases and variables followed), each mapped to a country by the region table and to a
#   registry site where one lists it. What cannot be placed is unproven, and unproven is not local.
package kz.lib.location

import data.kz.lib.kube
import data.kz.lib.providers
import data.kz.lib.regions
import data.kz.lib.sites

# The cloud a resource belongs to, by its type's prefix.
cloud_prefixes := {"aws_": "aws", "google_": "google", "azurerm_": "azure", "yandex_": "yandex", "mongodbatlas_": "atlas"}

cloud(r) := cloud_of_type(r.type)

# (by type, so that it is worked out once per resource type)
cloud_of_type(type) := c if {
	some p, c in cloud_prefixes
	startswith(type, p)
}

# Other providers of cloud infrastructure: recognised as clouds, but without a region table.
other_cloud_prefixes := {"alicloud_", "oci_", "digitalocean_", "hcloud_", "ibm_", "linode_", "vultr_", "scaleway_", "ovh_", "openstack_", "vkcs_", "sbercloud_", "huaweicloud_", "tencentcloud_", "exoscale_", "upcloud_", "ionoscloud_"}

other_cloud(r) if _other_cloud_type(r.type)

_other_cloud_type(type) if {
	not cloud_of_type(type)
	some p in other_cloud_prefixes
	startswith(type, p)
}

# ---------------------------------------------------------------------------------------
# Kubernetes: the provider's host
# ---------------------------------------------------------------------------------------

_kube_site(r) := id if {
	r.host.kind == "constant"
	id := sites.site_for_kube_host(r.host.value)
}

# ---------------------------------------------------------------------------------------
# Clouds: regions read from the resource, else from its provider configuration
# ---------------------------------------------------------------------------------------

_location_keys := {
	"aws": {"region", "region_name", "bucket_region", "availability_zone", "availability_zones", "preferred_cache_cluster_azs", "preferred_availability_zones"},
	"google": {"region", "location", "zone", "location_id", "secondary_zone", "alternative_location_id", "data_locations"},
	"azure": {"location", "secondary_location"},
	"yandex": {"zone", "zone_id", "zone_ids", "zones", "region_id", "location_id"},
}

# The attribute a value sits under (the last key of its path, list indexes skipped).
_key_of(path) := k if {
	keys := [x | some x in path; is_string(x)]
	count(keys) > 0
	k := keys[count(keys) - 1]
}

# Location attributes that name where copies go (replicas, secondary regions), not where the
# resource itself is: when only these are written, the provider's region still places the resource.
_secondary_keys := {"region_name", "secondary_location", "secondary_zone", "alternative_location_id"}

# Location values written in a resource: [cloud, value, primary?].
_written_values(r) := {[c, v, _primary_key(_key_of(path))] |
	c := cloud(r)
	c != "atlas"
	walk(r.values, [path, v])
	is_string(v)
	v != ""
	_key_of(path) in _location_keys[c]
} | {["yandex", id, true] |
	# yandex_ydb_database_dedicated: location { region { id } }
	cloud(r) == "yandex"
	some loc in object.get(r.values, "location", [])
	some reg in object.get(loc, "region", [])
	id := reg.id
	is_string(id)
} | {[c, v, true] | some [c, v] in _atlas_written(r)}

_primary_key(k) := false if k in _secondary_keys

_primary_key(k) := true if not k in _secondary_keys

_written(r) := {[c, v] | some [c, v, _] in _written_values(r)}

_written_primary(r) if {
	some [_, _, true] in _written_values(r)
}

# MongoDB Atlas: region names beside the cloud that backs them.
_atlas_written(r) := {[sprintf("atlas:%s", [p]), n] |
	cloud(r) == "atlas"
	walk(r.values, [_, node])
	is_object(node)
	some k in ["region_name", "provider_region_name", "provider_settings_region_name"]
	n := node[k]
	is_string(n)
	n != ""
	p := _atlas_provider(r, node)
}

_atlas_provider(r, node) := p if {
	some k in ["backing_provider_name", "provider_settings_backing_provider_name"]
	p := node[k]
	is_string(p)
	p != ""
} else := p if {
	p := node.provider_name
	is_string(p)
	p != "TENANT"
} else := p if {
	p := r.values.provider_name
	is_string(p)
	p != "TENANT"
} else := p if {
	p := r.values.backing_provider_name
	is_string(p)
}

# Location attributes that are known only after apply.
_unknown_location(r) if {
	c := cloud(r)
	walk(r.unknown, [path, true])
	_key_of(path) in object.get(_location_keys, c, {"region_name", "provider_region_name"})
}

# Region settings of the resource's provider configuration: [cloud, expression result].
_provider_settings(r) := [[c, s] |
	c := cloud(r)
	some name in {"aws": ["region"], "google": ["region", "zone"], "yandex": ["zone", "region_id"]}[c]
	s := providers.setting(r.provider_key, name)
]

# The Kazakhstan installation of Yandex Cloud (API api.yandexcloud.kz, storage
# storage.yandexcloud.kz) has one region, kz1.
_provider_yandex_kz(r) if {
	cloud(r) == "yandex"
	some name in ["endpoint", "storage_endpoint"]
	s := providers.setting(r.provider_key, name)
	s.kind == "constant"
	is_string(s.value)
	regex.match(`(^|[./])yandexcloud\.kz(:[0-9]+)?(/|$)`, lower(s.value))
}

# Where the location of a cloud resource comes from: [cloud, value, from]. The resource's own
# attributes, and its provider configuration's region when the resource names none of its own.
location_values(r) := {[c, v, "resource"] | some [c, v] in _written(r)} | _provider_values(r)

_provider_values(r) := set() if _written_primary(r)

_provider_values(r) := {[c, s.value, "provider"] |
	some [c, s] in _provider_settings(r)
	s.kind == "constant"
	is_string(s.value)
} | {["yandex", "kz1", "provider"] | _provider_yandex_kz(r)} if {
	not _written_primary(r)
}

# One location value resolved: {cloud, value, region, jurisdiction, place} (region null when
# neither the table nor a registry cloud site has it).
_resolve(c, v) := {"cloud": c, "value": v, "region": r, "jurisdiction": regions.jurisdiction(c, r), "place": regions.place(c, r)} if {
	not startswith(c, "atlas:")
	r := regions.region(c, v)
} else := {"cloud": ac, "value": v, "region": ar, "jurisdiction": regions.jurisdiction(ac, ar), "place": regions.place(ac, ar)} if {
	startswith(c, "atlas:")
	[ac, ar] := regions.atlas_region(substring(c, 6, -1), v)
} else := {"cloud": c, "value": v, "region": lower(v), "jurisdiction": j, "place": sites.site_by_id[id].city} if {
	# a region the table does not know yet, registered as a cloud site
	ids := sites.cloud_sites(c, v)
	count({sites.jurisdiction(i) | some i in ids}) == 1
	some id in ids
	j := sites.jurisdiction(id)
} else := {"cloud": c, "value": v, "region": null, "jurisdiction": null, "place": null}

cloud_regions(r) := {_resolve(c, v) | some [c, v, _] in location_values(r)}

_cloud_site(r) := id if {
	rs := cloud_regions(r)
	count(rs) > 0
	every x in rs {
		x.region != null
	}
	ids := {s | some x in rs; some s in sites.cloud_sites(x.cloud, x.region)}
	count(ids) == 1
	some id in ids
	every x in rs {
		id in sites.cloud_sites(x.cloud, x.region)
	}
}

# ---------------------------------------------------------------------------------------
# The answers rules use
# ---------------------------------------------------------------------------------------

# The registry site proven for a resource (Kubernetes endpoint, or a cloud site holding all
# its regions).
site(r) := _kube_site(r) if kube.is_kube(r)

site(r) := _cloud_site(r) if cloud(r)

site_or_null(r) := s if {
	s := site(r)
} else := null

# Countries where a resource is proven to run (empty when nothing is proven).
jurisdictions(r) := {sites.jurisdiction(s)} if {
	kube.is_kube(r)
	s := site(r)
} else := {x.jurisdiction | some x in cloud_regions(r); x.jurisdiction != null} if {
	cloud(r)
} else := set()

# Proven: every place the resource runs is known.
proven(r) if {
	kube.is_kube(r)
	site(r)
}

proven(r) if {
	cloud(r)
	rs := cloud_regions(r)
	count(rs) > 0
	every x in rs {
		x.jurisdiction != null
	}
}

in_kz(r) if {
	proven(r)
	jurisdictions(r) == {"KZ"}
}

# Proven to run (at least partly) outside Kazakhstan.
abroad(r) if {
	some j in jurisdictions(r)
	j != "KZ"
}

# Not proven to run in Kazakhstan: abroad or unproven.
outside_kz(r) if not in_kz(r)

# Where a resource is, for messages.
where(r) := sprintf("site %q (%s, %s)", [s, sites.site_by_id[s].city, sites.jurisdiction(s)]) if {
	s := site(r)
} else := concat(", ", sort([_region_text(x) | some x in cloud_regions(r)])) if {
	count(cloud_regions(r)) > 0
} else := "an unproven location"

_region_text(x) := sprintf("%s region %s (%s, %s)", [x.cloud, x.region, x.place, x.jurisdiction]) if {
	x.region != null
} else := sprintf("%s location %q (not in the region table)", [x.cloud, x.value])

# Why a resource's location proves nothing, for messages.
unproven_reason(r) := _kube_reason(r) if kube.is_kube(r)

unproven_reason(r) := _cloud_reason(r) if cloud(r)

unproven_reason(r) := sprintf("the pack has no way to tell where a %s resource runs", [r.type]) if {
	not kube.is_kube(r)
	not cloud(r)
}

_kube_reason(r) := "its provider configuration could not be resolved" if {
	r.provider_key == ""
} else := sprintf("the Kubernetes host of provider %q is known only after apply (%s)", [r.provider_key, object.get(r.host, "value", "")]) if {
	r.host.kind == "reference"
} else := sprintf("provider %q gets its host from %s", [r.provider_key, r.host.value]) if {
	r.host.kind == "unknown"
	is_string(r.host.value)
} else := sprintf("provider %q sets no Kubernetes host at plan time", [r.provider_key]) if {
	r.host.kind == "unknown"
} else := sprintf("host %q of provider %q matches no single registered site", [r.host.value, r.provider_key])

_cloud_reason(r) := sprintf("its location values %v are not in the region table", [sort([x.value | some x in cloud_regions(r); x.region == null])]) if {
	some x in cloud_regions(r)
	x.region == null
} else := "its region is known only after apply and its provider configuration sets none" if {
	count(cloud_regions(r)) == 0
	_unknown_location(r)
} else := sprintf("neither the resource nor its provider configuration %q names a region at plan time", [r.provider_key]) if {
	count(cloud_regions(r)) == 0
}
