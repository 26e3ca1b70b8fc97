# METADATA
# title: Sites registry lookups
# description: >-
#   Endpoint normalisation and lookup of sites in `data.kz_residency.sites`. A host proves a
#   site only when it is a constant that matches exactly one registered endpoint after
#   normalisation; anything else proves nothing (fail closed).
package kz.lib.sites

sites := s if {
	s := data.kz_residency.sites
	is_array(s)
} else := []

site_by_id[s.id] := s if some s in sites

is_kz(site_id) if upper(site_by_id[site_id].jurisdiction) == "KZ"

# "HTTPS://K8S.Ala.example.kz/" -> "https://k8s.ala.example.kz:443"
# Scheme lower-cased (https when absent), user info and path dropped, host lower-cased,
# default port 443 (80 for http).
normalize(url) := sprintf("%s://%s:%s", [scheme, host, port]) if {
	is_string(url)
	s := trim_space(url)
	s != ""
	[scheme, rest] := _scheme(s)
	authority := _strip_userinfo(split(split(split(rest, "/")[0], "?")[0], "#")[0])
	[host, port] := _host_port(authority, scheme)
	host != ""
}

_scheme(s) := [lower(substring(s, 0, i)), substring(s, i + 3, -1)] if {
	i := indexof(s, "://")
	i > 0
} else := ["https", s]

_strip_userinfo(a) := substring(a, indexof(a, "@") + 1, -1) if contains(a, "@")

_strip_userinfo(a) := a if not contains(a, "@")

# IPv6 literal: [::1]:6443
_host_port(a, scheme) := [lower(h), p] if {
	startswith(a, "[")
	parts := regex.find_n(`^\[[^\]]*\]`, a, 1)
	h := parts[0]
	rest := substring(a, count(h), -1)
	p := _port(rest, scheme)
} else := [lower(h), p] if {
	regex.match(`:[0-9]+$`, a)
	i := count(a) - count(regex.find_n(`:[0-9]+$`, a, 1)[0])
	h := substring(a, 0, i)
	p := substring(a, i + 1, -1)
} else := [lower(trim_suffix(a, ".")), _default_port(scheme)]

_port(rest, _) := substring(rest, 1, -1) if regex.match(`^:[0-9]+$`, rest)

_port(rest, scheme) := _default_port(scheme) if rest == ""

_default_port(scheme) := "80" if scheme == "http"

_default_port(scheme) := "443" if scheme != "http"

# Bare host name of a URL or host[:port] ("https://app.example.kz/x" -> "app.example.kz").
hostname(url) := h if {
	n := normalize(url)
	rest := substring(n, indexof(n, "://") + 3, -1)
	h := substring(rest, 0, count(rest) - count(regex.find_n(`:[0-9]+$`, rest, 1)[0]))
}

_kube_matches(host) := {s.id |
	n := normalize(host)
	some s in sites
	some e in object.get(s, ["kubernetes", "endpoints"], [])
	normalize(e) == n
}

# The site whose Kubernetes endpoint is this host; undefined unless exactly one matches.
site_for_kube_host(host) := id if {
	ids := _kube_matches(host)
	count(ids) == 1
	some id in ids
}

_object_storage_matches(url) := {s.id |
	n := normalize(url)
	some s in sites
	some e in object.get(s, "objectStorage", [])
	normalize(e) == n
}

site_for_object_storage(url) := id if {
	ids := _object_storage_matches(url)
	count(ids) == 1
	some id in ids
}

_log_sink_matches(url) := {s.id |
	n := normalize(url)
	some s in sites
	some e in object.get(s, "logSinks", [])
	normalize(e) == n
}

site_for_log_sink(url) := id if {
	ids := _log_sink_matches(url)
	count(ids) == 1
	some id in ids
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
