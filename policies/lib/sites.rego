# METADATA
# title: Sites registry lookups
# description: >-
#   Lookups in `data.kz_residency.sites`, the proof of location. A Kubernetes host proves a site
#   only when it equals exactly one registered endpoint after normalising (scheme, host, port and
#   path); object storage and log sink URLs belong to the site whose registered endpoint they
#   are at or below (the most specific one, when it is unique); a cloud region belongs to the
#   sites that list it under `cloud`. Anything else proves nothing (fail closed).
package kz.lib.sites

import data.kz.lib.endpoint

sites := s if {
	s := data.kz_residency.sites
	is_array(s)
} else := []

site_by_id[s.id] := s if some s in sites

jurisdiction(site_id) := upper(site_by_id[site_id].jurisdiction)

is_kz(site_id) if jurisdiction(site_id) == "KZ"

# Normalised Kubernetes endpoint -> ids of the sites that list it (built once).
_kube_pairs := {[n, s.id] |
	some s in sites
	some e in object.get(s, ["kubernetes", "endpoints"], [])
	n := endpoint.normalize(e)
}

_kube_index[n] := _ids_listing(n) if some [n, _] in _kube_pairs

_ids_listing(n) := {id | some [m, id] in _kube_pairs; m == n}

# The site whose Kubernetes endpoint is this host; undefined unless exactly one site lists it.
site_for_kube_host(host) := id if {
	ids := _kube_index[endpoint.normalize(host)]
	count(ids) == 1
	some id in ids
}

# Sites listing an endpoint at or above `url` under `field` (objectStorage, logSinks), with the
# length of the matched endpoint.
_url_matches(field, url) := {[count(n), s.id] |
	some s in sites
	some e in object.get(s, field, [])
	endpoint.under(url, e)
	n := endpoint.normalize(e)
}

# The site of the most specific registered endpoint at or above `url`, when only one site has it.
_site_for_url(field, url) := id if {
	matches := _url_matches(field, url)
	longest := max({n | some [n, _] in matches})
	ids := {i | some [n, i] in matches; n == longest}
	count(ids) == 1
	some id in ids
}

site_for_object_storage(url) := _site_for_url("objectStorage", url)

site_for_log_sink(url) := _site_for_url("logSinks", url)

# Sites that are (or include) region `region` of cloud `provider` (registry `cloud` entries;
# region names compared case-insensitively).
cloud_sites(provider, region) := {s.id |
	some s in sites
	lower(object.get(s, ["cloud", "provider"], "")) == lower(provider)
	some r in object.get(s, ["cloud", "regions"], [])
	lower(r) == lower(region)
}

# Public host names that receive personal data, lower-cased.
capture_hosts := {lower(trim_suffix(h, ".")) | some s in sites; some h in object.get(s, "captureHosts", [])}

# Sites that own a capture host name.
capture_host_sites(h) := {s.id | some s in sites; some c in object.get(s, "captureHosts", []); lower(c) == lower(h)}

storage_class(site_id, name) := c if {
	some c in object.get(site_by_id[site_id], "storageClasses", [])
	c.name == name
}

region(site_id) := lower(site_by_id[site_id].kubernetes.region)

zones(site_id) := {lower(z) | some z in object.get(site_by_id[site_id], ["kubernetes", "zones"], [])}
