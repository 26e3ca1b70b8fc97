# METADATA
# title: Unified Requirements additions (profile ur832)
# description: >-
#   Rules for state bodies, state legal entities, the quasi-public sector and owners of critical
#   ICT infrastructure bound by the Unified Requirements (Government Decree No. 832). They deny
#   only in the ur832 profile and warn elsewhere. They follow audit guidance for such bodies;
#   the decree's item numbers on encryption and logs were not verified, so they are practice.
package kz.residency.ur832

import data.kz.lib.classification as cls
import data.kz.lib.finding
import data.kz.lib.location
import data.kz.lib.tunnels

checked["KZ-UR-001"] := {g.address | some g in tunnels.gateways}

checked["KZ-UR-002"] := {c.address | some c in _retention_configs}

_retention_configs contains c if {
	some c in cls.declaring("retention-days")
	cls.signal_text(c, "retention-days")
}

# METADATA
# title: Cross-border tunnels use the GOST TLS profile
# description: >-
#   Every tunnel gateway (role gateway with residency.kz/tunnel) declares
#   residency.kz/tunnel-profile=gost-tls (GOST R 34.10-2012 keys, GOST 28147-89 / Kuznyechik
#   suites) rather than WireGuard or an undeclared profile. Reported on each gateway object; it is
#   one decision per tunnel (decision: deployment), which kz-residency reports once.
# custom:
#   id: KZ-UR-001
#   decision: deployment
#   severity: high
#   basis: practice
#   law: >-
#     Audit guidance for bodies bound by the Unified Requirements (Government Decree No. 832 of
#     20 Dec 2016, para 2 sets who is bound); no verified item number requires GOST
#   remediation: Set the EncryptedTunnel profile to gost-tls.
#   profiles: [ur832]
deny contains f if {
	some v in _non_gost
	f := finding.new(rego.metadata.rule(), v.resource, v.site, v.message)
}

_non_gost contains v if {
	some g in tunnels.gateways
	cls.signal_text(g, "tunnel-profile")
	profile := lower(cls.signal_text(g, "tunnel-profile"))
	profile != "gost-tls"
	v := {"resource": g.address, "site": location.site_or_null(g), "message": sprintf("tunnel %q uses profile %q, not gost-tls", [cls.signal_text(g, "tunnel"), profile])}
}

# A tunnel whose gateways declare no profile at all: reported on its Kazakh-side gateways.
_non_gost contains v if {
	some g in tunnels.gateways
	name := lower(cls.signal_text(g, "tunnel"))
	lower(cls.signal_text(g, "tunnel-side")) == "kz"
	count(tunnels.tunnel_profile(name)) == 0
	v := {"resource": g.address, "site": location.site_or_null(g), "message": sprintf("tunnel %q declares no profile (residency.kz/tunnel-profile); gost-tls is required", [cls.signal_text(g, "tunnel")])}
}

_retention_days(c) := to_number(t) if {
	t := trim_space(cls.signal_text(c, "retention-days"))
	regex.match(`^[0-9]+(\.[0-9]+)?$`, t)
}

min_retention_days := 1095

# METADATA
# title: Audit logs are kept for at least three years
# description: >-
#   Every audit log configuration (residency.kz/retention-days on a store or a role=audit
#   object) keeps logs for at least 1095 days, the blueprint's stricter retention for bodies
#   bound by the Unified Requirements.
# custom:
#   id: KZ-UR-002
#   severity: medium
#   basis: practice
#   law: >-
#     Audit guidance for bodies bound by the Unified Requirements (Government Decree No. 832 of
#     20 Dec 2016, para 2 sets who is bound); the three-year period is this blueprint's choice
#   remediation: Set AuditTrail retentionDays to 1095 or more.
#   profiles: [ur832]
deny contains f if {
	some c in _retention_configs
	not _retention_days(c) >= min_retention_days
	f := finding.new(rego.metadata.rule(), c.address, location.site_or_null(c), sprintf("audit logs are kept %s days, less than %d", [cls.signal_text(c, "retention-days"), min_retention_days]))
}
