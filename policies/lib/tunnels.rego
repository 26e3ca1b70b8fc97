# METADATA
# title: Tunnels and proxies
# description: >-
#   Gateways are read from what they run, never from their names or labels: a workload (with at
#   least one pod) that forwards connections, as its command line and the ConfigMaps it mounts
#   configure it. stunnel (a client section encrypts towards its `connect`, a server section
#   accepts TLS and forwards in the clear; the OpenSSL GOST engine or GOST-only ciphers make it
#   GOST TLS), WireGuard (wg-quick files: what is routed into the interface is encrypted), a TCP
#   forwarder file (`listen =` / `connect =`), socat (OPENSSL addresses encrypt, TCP addresses do
#   not), nginx `stream` proxies (`proxy_ssl on` encrypts), HAProxy `mode tcp` servers (`ssl`
#   encrypts) and ssh -L forwards. Each forward is a hop {listen, target, encrypted, profile}; a
#   hop to another cluster is paired with the gateway there that accepts it (a WireGuard peer by
#   its tunnel address, a TLS or TCP listener by the load balancer and port it is exposed on), so
#   that a chain can be followed to the store behind the far gateway. A gateway at 0 replicas, or
#   whose files forward nothing (the kill switch), carries nothing.
package kz.lib.tunnels

import data.kz.lib.kube
import data.kz.lib.location
import data.kz.lib.network

# ---------------------------------------------------------------------------------------
# What a workload runs
# ---------------------------------------------------------------------------------------

# Configuration texts of a workload: its containers' command lines and the files of the
# ConfigMaps it mounts (same cluster and namespace).
texts(w) := {t |
	some c in kube.containers(w)
	t := _entry_line(c)
} | {t |
	some name in kube.config_maps(w)
	some cm in network.config_map_named(network.cluster(w), kube.namespace(w), name)
	some t in kube.config_data(cm)
	is_string(t)
}

# A container's command line; when it gives only arguments to an image whose entrypoint is
# socat (alpine/socat and the like), the line that image runs.
_entry_line(c) := concat(" ", ["socat", kube.command_line(c)]) if {
	not _has_command(c)
	regex.match(`(^|/)[a-z0-9._-]*socat(:|@|$)`, lower(object.get(c, "image", "")))
} else := kube.command_line(c)

_has_command(c) if {
	is_array(c.command)
	count(c.command) > 0
}

_has_command(c) if {
	is_string(c.command)
	c.command != ""
}

_lines(t) := [trim_space(l) | some l in split(t, "\n")]

# key = value lines of a text (comments starting with ; or # dropped), keys lower-case.
_options(t) := [[lower(trim_space(k)), trim_space(v)] |
	some l in _lines(t)
	not startswith(l, ";")
	not startswith(l, "#")
	contains(l, "=")
	i := indexof(l, "=")
	k := substring(l, 0, i)
	v := substring(l, i + 1, -1)
]

_option(opts, key) := [v | some [k, v] in opts; k == key]

_yes(v) := lower(v) in {"yes", "true", "on", "1"}

# "10.0.0.1:5432", "[fd00::1]:5432", "5432" -> port text; "" when none.
_port_of(text) := p if {
	m := regex.find_all_string_submatch_n(`:([0-9]+)$`, text, 1)
	count(m) > 0
	p := m[0][1]
} else := text if {
	regex.match(`^[0-9]+$`, text)
} else := ""

_host_of(text) := h if {
	p := _port_of(text)
	p != ""
	p != text
	h := trim(substring(text, 0, count(text) - count(p) - 1), "[]")
} else := "" if {
	regex.match(`^[0-9]+$`, text)
} else := trim(text, "[]")

# ---------------------------------------------------------------------------------------
# stunnel
# ---------------------------------------------------------------------------------------

_stunnel(t) if {
	regex.match(`(?m)^\s*connect\s*=`, t)
	regex.match(`(?m)^\s*\[[^\]]+\]\s*$`, t)
	not regex.match(`(?m)^\s*\[(Interface|Peer)\]\s*$`, t)
}

# [globals, [section bodies]]
_stunnel_sections(t) := [parts[0], array.slice(parts, 1, count(parts))] if {
	parts := regex.split(`(?m)^\s*\[[^\]]*\]\s*$`, t)
}

_gost(globals, section) if {
	some [k, v] in array.concat(_options(globals), _options(section))
	k in {"engine", "engineid"}
	lower(v) == "gost"
}

_gost(globals, section) if {
	ciphers := [v | some [k, v] in array.concat(_options(globals), _options(section)); k == "ciphers"]
	count(ciphers) > 0
	every c in ciphers {
		every x in split(c, ":") {
			contains(upper(x), "GOST")
		}
	}
}

_verified(globals, section) if {
	some [k, v] in array.concat(_options(globals), _options(section))
	k in {"verifychain", "verifypeer"}
	_yes(v)
}

_verified(globals, section) if {
	some [k, v] in array.concat(_options(globals), _options(section))
	k == "verify"
	v in {"2", "3", "4"}
}

_stunnel_hops(t) := {h |
	_stunnel(t)
	[globals, sections] := _stunnel_sections(t)
	some section in sections
	opts := _options(section)
	some target in _option(opts, "connect")
	client := _is_client(opts)
	profile := _tls_profile(globals, section)
	h := {
		"listen": _port_of(concat("", _option(opts, "accept"))),
		"listen_host": _host_of(concat("", _option(opts, "accept"))),
		"target": target,
		"encrypted": client,
		"verified": _and(client, _is_verified(globals, section)),
		"profile": profile,
		"tls_listener": _negate(client),
		"how": sprintf("stunnel %s section (%s)", [_side_text(client), _profile_text(profile)]),
	}
}

_client(opts) if {
	some v in _option(opts, "client")
	_yes(v)
}

# Predicates as values (false, never undefined).
_is_client(opts) := true if _client(opts) else := false

_is_verified(globals, section) := true if _verified(globals, section) else := false

_is_routed(w, host) := true if _wg_routed(w, host) else := false

_is_tls_hop(h) := true if _tls_hop(h) else := false

_and(true, true) := true

_and(a, b) := false if {
	not _both(a, b)
}

_both(true, true)

_negate(true) := false

_negate(false) := true

_or(a, b) := true if {
	some x in [a, b]
	x == true
} else := false

_side_text(true) := "client"

_side_text(false) := "server"

_tls_profile(globals, section) := "gost-tls" if _gost(globals, section)

_tls_profile(globals, section) := "tls" if not _gost(globals, section)

_profile_text("gost-tls") := "GOST TLS"

_profile_text("tls") := "TLS"

_profile_text("wireguard") := "WireGuard"

_profile_text("ssh") := "SSH"

_profile_text("plain") := "no encryption"

# ---------------------------------------------------------------------------------------
# WireGuard and the TCP forwarder beside it
# ---------------------------------------------------------------------------------------

_wg(t) if regex.match(`(?m)^\s*\[Interface\]\s*$`, t)

# The tunnel addresses of a workload's WireGuard interfaces (without prefix).
wg_addresses(w) := {trim_space(split(a, "/")[0]) |
	some t in texts(w)
	_wg(t)
	some [k, v] in _options(t)
	k == "address"
	some a in split(v, ",")
	trim_space(a) != ""
}

# What a workload routes into its WireGuard interfaces: AllowedIPs of [Peer] sections and the
# allowed-ips of `wg set ... peer` hooks.
wg_routes(w) := {trim_space(c) |
	some t in texts(w)
	_wg(t)
	some [k, v] in _options(t)
	k == "allowedips"
	some c in split(v, ",")
	trim_space(c) != ""
} | {c |
	some t in texts(w)
	_wg(t)
	some m in regex.find_all_string_submatch_n(`allowed-ips\s+([0-9a-fA-F:./,]+)`, t, -1)
	some c in split(m[1], ",")
	c != ""
}

_wg_routed(w, host) if {
	regex.match(`^[0-9a-fA-F:.]+$`, host)
	some c in wg_routes(w)
	_same_family(c, host)
	net.cidr_contains(_as_cidr(c), host)
}

_same_family(c, host) if {
	contains(c, ":") == contains(host, ":")
}

_as_cidr(c) := c if contains(c, "/")

_as_cidr(c) := concat("", [c, "/32"]) if {
	not contains(c, "/")
	not contains(c, ":")
}

_as_cidr(c) := concat("", [c, "/128"]) if {
	not contains(c, "/")
	contains(c, ":")
}

# A forwarder file: `listen = host:port` and `connect = host:port`, no sections.
_forwarder(t) if {
	regex.match(`(?m)^\s*listen\s*=`, t)
	regex.match(`(?m)^\s*connect\s*=`, t)
	not regex.match(`(?m)^\s*\[[^\]]+\]\s*$`, t)
	not contains(t, "{")
}

_forward_hops(w, t) := {h |
	_forwarder(t)
	opts := _options(t)
	some listen in _option(opts, "listen")
	some target in _option(opts, "connect")
	routed := _is_routed(w, _host_of(target))
	h := {
		"listen": _port_of(listen), "listen_host": _host_of(listen), "target": target,
		"encrypted": routed, "verified": routed, "profile": _routed_profile(routed), "tls_listener": false,
		"how": sprintf("TCP forwarder (%s)", [_profile_text(_routed_profile(routed))]),
	}
}

_routed_profile(true) := "wireguard"

_routed_profile(false) := "plain"

# ---------------------------------------------------------------------------------------
# socat, nginx stream, HAProxy, ssh
# ---------------------------------------------------------------------------------------

_socat_pattern := `socat\s+(?:-[^\s]+\s+)*(?:TCP[46]?-LISTEN|TCP-L|OPENSSL-LISTEN|SSL-L):([0-9]+)[^\s]*\s+(TCP[46]?|TCP-CONNECT|OPENSSL|SSL):(\[[^\]]+\]|[^\s:,]+):([0-9]+)([^\s]*)`

_socat_hops(w, t) := {h |
	some m in regex.find_all_string_submatch_n(_socat_pattern, t, -1)
	tls := upper(m[2]) in {"OPENSSL", "SSL"}
	routed := _is_routed(w, trim(m[3], "[]"))
	encrypted := _or(tls, routed)
	profile := _socat_profile(tls, routed)
	h := {
		"listen": m[1], "listen_host": "", "target": concat(":", [m[3], m[4]]),
		"encrypted": encrypted, "verified": _and(encrypted, _negate(contains(lower(m[5]), "verify=0"))),
		"profile": profile, "tls_listener": false,
		"how": sprintf("socat forward (%s)", [_profile_text(profile)]),
	}
}

_socat_profile(true, _) := "tls"

_socat_profile(false, true) := "wireguard"

_socat_profile(false, false) := "plain"

_nginx_stream(t) if {
	regex.match(`(?m)^\s*stream\s*\{`, t)
	contains(t, "proxy_pass")
}

_nginx_upstreams(t) := {[m[1], s[1]] |
	some m in regex.find_all_string_submatch_n(`upstream\s+([A-Za-z0-9_.-]+)\s*\{([^}]*)\}`, t, -1)
	some s in regex.find_all_string_submatch_n(`server\s+([^\s;]+)`, m[2], -1)
}

_nginx_hops(w, t) := {h |
	_nginx_stream(t)
	ssl := regex.match(`proxy_ssl\s+on\s*;`, t)
	verified := regex.match(`proxy_ssl_verify\s+on\s*;`, t)
	some m in regex.find_all_string_submatch_n(`proxy_pass\s+([^\s;]+)\s*;`, t, -1)
	some target in _nginx_targets(t, m[1])
	routed := _is_routed(w, _host_of(target))
	encrypted := _or(ssl, routed)
	profile := _socat_profile(ssl, routed)
	h := {
		"listen": "", "listen_host": "", "target": target,
		"encrypted": encrypted, "verified": _and(encrypted, _or(verified, routed)),
		"profile": profile, "tls_listener": false,
		"how": sprintf("nginx stream proxy (%s)", [_profile_text(profile)]),
	}
}

_nginx_targets(t, name) := targets if {
	targets := {s | some [n, s] in _nginx_upstreams(t); n == name}
	count(targets) > 0
} else := {name}

_haproxy_hops(w, t) := {h |
	regex.match(`(?m)^\s*mode\s+tcp\b`, t)
	some m in regex.find_all_string_submatch_n(`(?m)^\s*server\s+[^\s]+\s+([^\s]+:[0-9]+)([^\n]*)$`, t, -1)
	ssl := regex.match(`(^|\s)ssl(\s|$)`, m[2])
	routed := _is_routed(w, _host_of(m[1]))
	encrypted := _or(ssl, routed)
	profile := _socat_profile(ssl, routed)
	h := {
		"listen": "", "listen_host": "", "target": m[1],
		"encrypted": encrypted, "verified": _and(encrypted, _or(regex.match(`verify\s+required`, m[2]), routed)),
		"profile": profile, "tls_listener": false,
		"how": sprintf("HAProxy TCP proxy (%s)", [_profile_text(profile)]),
	}
}

_ssh_hops(t) := {h |
	some m in regex.find_all_string_submatch_n(`(?:^|\s)(?:auto)?ssh\s[^\n]*-L\s*(?:[^\s:]+:)?([0-9]+):[^\s]+\s[^\n]*?([A-Za-z0-9_.-]+@)?([A-Za-z0-9_.-]+\.[A-Za-z0-9_.-]+)(?:\s|$)`, t, -1)
	h := {
		"listen": m[1], "listen_host": "", "target": concat("", [m[3], ":22"]),
		"encrypted": true, "verified": true, "profile": "ssh", "tls_listener": false,
		"how": "ssh port forward (SSH)",
	}
}

# ---------------------------------------------------------------------------------------
# Gateways and their hops
# ---------------------------------------------------------------------------------------

# Every forward a workload runs: {listen, listen_host, target, encrypted, verified, profile,
# tls_listener, how}. Empty for a workload at 0 replicas.
hops(w) := set() if {
	kube.replicas(w) == 0
} else := {h |
	some t in texts(w)
	some h in _text_hops(w, t)
}

_text_hops(w, t) := ((((((_stunnel_hops(t) | _forward_hops(w, t)) | _socat_hops(w, t)) | _nginx_hops(w, t)) | _haproxy_hops(w, t)) | _ssh_hops(t)))

# Workloads that forward connections (at least one hop).
gateways contains w if {
	some w in network.workloads
	count(hops(w)) > 0
}

is_gateway(w) if w in gateways

# ---------------------------------------------------------------------------------------
# Pairing a hop with the gateway that receives it
# ---------------------------------------------------------------------------------------

# [gateway address, port] for every load balancer or node port that exposes a gateway.
_exposures := {[w.address, p] |
	some s in network.services
	kube.service_type(s) in {"LoadBalancer", "NodePort"}
	sel := kube.service_selector(s)
	some w in gateways
	network.same_cluster(w, s)
	kube.namespace(w) == kube.namespace(s)
	kube.selects(sel, kube.pod_template_labels(w))
	some port in kube.service_ports(s)
	some p in {port.port, port.node}
	p != ""
}

# Gateways (other than g) that receive hop h: the WireGuard peer whose tunnel address h targets;
# else a gateway the target's published name leads to; else, for a target outside the plan, the
# gateways of other clusters exposed on the target port with a listener of the same kind.
peers(g, h) := found if {
	h.profile == "wireguard"
	host := _host_of(h.target)
	found := {w | some w in gateways; w.address != g.address; host in wg_addresses(w)}
	count(found) > 0
} else := found if {
	found := {w |
		some n in network.resolve(g, h.target)
		n.resource != null
		some w in gateways
		w.address == n.resource
		w.address != g.address
	}
	count(found) > 0
} else := found if {
	some n in network.resolve(g, h.target)
	n.kind == "external"
	n.site == null
	port := _port_of(h.target)
	port != ""
	found := {w |
		some w in gateways
		not network.same_cluster(w, g)
		[w.address, port] in _exposures
		some x in hops(w)
		x.tls_listener == _is_tls_hop(h)
	}
	count(found) > 0
} else := set()

_tls_hop(h) if h.profile in {"tls", "gost-tls"}

# The hops of peer p that take what h delivers: on the port h targets (and its address, for a
# forwarder bound to its tunnel address), or any hop when p listens on one port only.
peer_hops(p, h) := found if {
	port := _port_of(h.target)
	found := {x | some x in hops(p); _takes(x, h, port)}
	count(found) > 0
} else := hops(p)

_takes(x, h, port) if {
	x.listen == port
	x.listen_host in {"", "0.0.0.0", "::", "*", _host_of(h.target)}
}

# Everything a gateway's hop reaches: {hop, peer (address or null), nodes}. Through a peer
# gateway, the nodes are what the peer's own hops lead to (one gateway pair deep).
routes(g) := {r |
	some h in hops(g)
	ps := peers(g, h)
	count(ps) > 0
	some p in ps
	nodes := {n | some x in peer_hops(p, h); some n in network.resolve(p, x.target)}
	r := {"hop": h, "gateway": g.address, "peer": p.address, "nodes": nodes, "peer_site": location.site_or_null(p), "peer_jurisdiction": _one(location.jurisdictions(p))}
} | {r |
	some h in hops(g)
	count(peers(g, h)) == 0
	nodes := network.resolve(g, h.target)
	r := {"hop": h, "gateway": g.address, "peer": null, "nodes": nodes, "peer_site": null, "peer_jurisdiction": null}
}

_one(js) := j if {
	count(js) == 1
	some j in js
} else := null

# A profile in words.
profile_text(p) := _profile_text(p)
