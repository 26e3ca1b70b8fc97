# METADATA
# title: Endpoint URLs
# description: >-
#   The one way endpoints are compared (DESIGN.md, "Sites registry"): scheme, host, port and path
#   after normalising. Several clusters behind one proxy (Rancher's /k8s/clusters/<id>) differ only
#   by path, so the path is part of the identity.
package kz.lib.endpoint

# "HTTPS://user:pw@K8S.Ala.example.kz/" -> "https://k8s.ala.example.kz:443"
# "https://rancher.example.kz/k8s/clusters/c-1/" -> "https://rancher.example.kz:443/k8s/clusters/c-1"
# Scheme lower-cased (https when absent), user info, query and fragment dropped, host lower-cased
# without a trailing dot, IPv6 literals in brackets with every group written out, default port 443
# (80 for http), path kept without trailing slashes. Undefined for what is not a URL or host.
normalize(url) := sprintf("%s://%s:%s%s", [scheme, host, port, path]) if {
	is_string(url)
	s := trim_space(url)
	s != ""
	not regex.match(`\s`, s)
	[scheme, rest] := _scheme(s)
	scheme in {"http", "https"}
	no_query := split(split(rest, "#")[0], "?")[0]
	[authority, raw_path] := _authority_path(no_query)
	[host, port] := _host_port(_strip_userinfo(authority), scheme)
	host != ""
	path := trim_right(raw_path, "/")
}

_scheme(s) := [lower(substring(s, 0, i)), substring(s, i + 3, -1)] if {
	i := indexof(s, "://")
	i > 0
} else := ["https", s]

_authority_path(s) := [substring(s, 0, i), substring(s, i, -1)] if {
	i := indexof(s, "/")
	i >= 0
} else := [s, ""]

# user info ends at the last "@" of the authority
_strip_userinfo(a) := substring(a, count(a) - count(parts[count(parts) - 1]), -1) if {
	contains(a, "@")
	parts := split(a, "@")
} else := a

_host_port(a, scheme) := [h, p] if {
	startswith(a, "[")
	close := indexof(a, "]")
	close > 0
	h := sprintf("[%s]", [ipv6(substring(a, 1, close - 1))])
	p := _port(substring(a, close + 1, -1), scheme)
} else := [lower(trim_suffix(h, ".")), p] if {
	not startswith(a, "[")
	regex.match(`^[^:]*:[0-9]+$`, a)
	i := indexof(a, ":")
	h := substring(a, 0, i)
	p := _strip_zeros(substring(a, i + 1, -1))
} else := [lower(trim_suffix(a, ".")), _default_port(scheme)] if {
	not startswith(a, "[")
	not contains(a, ":")
}

_port(rest, _) := _strip_zeros(substring(rest, 1, -1)) if regex.match(`^:[0-9]+$`, rest)

_port(rest, scheme) := _default_port(scheme) if rest == ""

_strip_zeros(p) := "0" if trim_left(p, "0") == ""

_strip_zeros(p) := trim_left(p, "0") if trim_left(p, "0") != ""

_default_port(scheme) := "80" if scheme == "http"

_default_port(scheme) := "443" if scheme != "http"

# An IPv6 address with every group written out, lower case, without leading zeros:
# "2001:DB8::1" -> "2001:db8:0:0:0:0:0:1". An address that is not plain hex groups (an embedded
# IPv4 tail, a zone) is only lower-cased, so it matches nothing written differently (fail closed).
ipv6(a) := concat(":", [_group(g) | some g in _groups(lower(a))]) if {
	regex.match(`^[0-9a-fA-F:]+$`, a)
	count(_groups(lower(a))) == 8
} else := lower(a)

_groups(a) := split(a, ":") if not contains(a, "::")

_groups(a) := array.concat(array.concat(left, [x | some _ in numbers.range(1, 8 - count(left) - count(right)); x := "0"]), right) if {
	parts := split(a, "::")
	count(parts) == 2
	left := _nonempty_groups(parts[0])
	right := _nonempty_groups(parts[1])
	count(left) + count(right) < 8
}

_nonempty_groups(s) := [] if s == ""

_nonempty_groups(s) := split(s, ":") if s != ""

_group(g) := "0" if trim_left(g, "0") == ""

_group(g) := trim_left(g, "0") if trim_left(g, "0") != ""

# Bare host name of a URL or host[:port] ("https://app.example.kz/x" -> "app.example.kz").
hostname(url) := h if {
	n := normalize(url)
	authority := split(substring(n, indexof(n, "://") + 3, -1), "/")[0]
	h := substring(authority, 0, count(authority) - count(regex.find_n(`:[0-9]+$`, authority, 1)[0]))
}

# Whether URL `url` is at or below endpoint `base` (same scheme, host and port; the path of `url`
# equals the path of `base` or continues it after a "/"). For object storage and log sinks, whose
# URLs name buckets and push paths under a registered endpoint.
under(url, base) if normalize(url) == normalize(base)

under(url, base) if startswith(normalize(url), concat("", [normalize(base), "/"]))
