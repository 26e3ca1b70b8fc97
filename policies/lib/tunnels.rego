# METADATA
# title: Tunnel gateways
# description: >-
#   The cross-border plumbing the constructs build: gateways (objects with role gateway) and the
#   tunnels they belong to, read from the residency.kz/tunnel* signals.
package kz.lib.tunnels

import data.kz.lib.classification as cls
import data.kz.lib.location
import data.kz.lib.sites

gateways contains r if {
	some r in cls.declaring("role")
	cls.has_role(r, "gateway")
}

# Tunnel names with a gateway on a Kazakh site in this plan (the registered tunnels), or, when
# the deployment is split into one plan per site, an HQ-side gateway whose declared peer
# (residency.kz/tunnel-peer-site) is a registered Kazakh site.
registered_tunnels contains lower(cls.signal_text(g, "tunnel")) if {
	some g in gateways
	location.in_kz(g)
	cls.signal_text(g, "tunnel") != ""
}

registered_tunnels contains lower(cls.signal_text(g, "tunnel")) if {
	some g in gateways
	cls.signal_text(g, "tunnel") != ""
	lower(cls.signal_text(g, "tunnel-side")) == "hq"
	sites.is_kz(cls.signal_text(g, "tunnel-peer-site"))
}

tunnel_profile(name) := {lower(cls.signal_text(g, "tunnel-profile")) |
	some g in gateways
	lower(cls.signal_text(g, "tunnel")) == name
	cls.signal_text(g, "tunnel-profile")
}
