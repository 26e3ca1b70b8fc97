# METADATA
# title: Unified Requirements additions (profile ur832)
# description: >-
#   Rules for state bodies, state legal entities, the quasi-public sector and owners of critical
#   ICT infrastructure bound by the Unified Requirements (Government Decree No. 832). They deny
#   only in the ur832 profile and warn elsewhere. They follow audit guidance for such bodies;
#   the decree's item numbers on encryption and logs were not verified, so they are practice.
package kz.residency.ur832

import data.kz.lib.finding
import data.kz.lib.flows
import data.kz.lib.location
import data.kz.lib.logsinks
import data.kz.lib.plan
import data.kz.lib.stores

checked["KZ-UR-001"] := {e.resource | some e in _border_crossings}

checked["KZ-UR-002"] := {s.resource | some s in _sinks} | {r.address | some r in _audit_stores}

# Every hop that carries data across the border: a gateway's hop to another country, and a
# copy whose source connection crosses the border with no gateway on the way.
_border_crossings contains e if {
	some e in flows.edges_of("tunnel")
}

_border_crossings contains e if {
	some e in flows.edges
	e.kind in flows.copy_kinds
	count(e.through) == 0
	_crosses(e)
}

_crosses(e) if {
	some j in e.source_jurisdictions
	j != e.jurisdiction
}

_crosses(e) if count(e.source_jurisdictions) == 0

# METADATA
# title: Cross-border tunnels use the GOST TLS profile
# description: >-
#   Every hop that carries data across the border runs GOST TLS: a gateway's cross-border hop is
#   stunnel with the OpenSSL GOST engine or GOST-only cipher suites (GOST R 34.10-2012 keys,
#   GOST 28147-89 / Kuznyechik suites), read from its configuration, rather than WireGuard, plain
#   TLS or a plain forward; a copy whose source connection crosses the border with no gateway
#   at all is not carried by a GOST tunnel either. Reported on each gateway or store; it is one
#   decision per tunnel (decision: deployment), which kz-residency reports once. Edge kinds
#   judged: tunnel, replication, logical replication.
# custom:
#   id: KZ-UR-001
#   decision: deployment
#   severity: high
#   basis: practice
#   law: >-
#     Audit guidance for bodies bound by the Unified Requirements (Government Decree No. 832 of
#     20 Dec 2016, para 2 sets who is bound); no verified item number requires GOST
#   remediation: Set the EncryptedTunnel profile to gost-tls and carry every cross-border copy through it.
#   profiles: [ur832]
deny contains f if {
	some e in _border_crossings
	e.mechanism != "gost-tls"
	f := finding.new(rego.metadata.rule(), e.resource, location.site_or_null(plan.by_address[e.resource]), _non_gost_message(e))
}

_non_gost_message(e) := sprintf("gateway's cross-border hop to %s runs %s, not GOST TLS", [e.target, e.encryption]) if {
	e.kind == "tunnel"
} else := sprintf("copy is fed across the border from %s without a GOST TLS tunnel (%s)", [e.fed_from, e.encryption])

min_retention_days := 1095

# Log sinks that receive shipped logs (in the plan) and the audit trail's own stores.
_sinks contains s if {
	some e in flows.edges_of("log-shipping")
	e.destination_resource != null
	s := logsinks.judge(e.destination_resource)
	s.resource != null
}

_audit_stores contains r if {
	some r in stores.stores
	data.kz.lib.classification.effective_role(r) == "audit"
}

_store_days(r) := max([l.days | some l in logsinks.store_locks(r)]) if {
	count(logsinks.store_locks(r)) > 0
} else := 0

# METADATA
# title: Audit logs are kept for at least three years
# description: >-
#   Every log sink that receives audit logs, and every audit store, keeps them at least 1095
#   days, by its configuration: Loki's retention period (with compactor retention) or the
#   default retention of the write-once bucket under it, whichever is longer. A label or
#   annotation giving a retention is a claim and is not read. Edge kinds judged: log shipping.
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
	some v in _short
	f := finding.new(rego.metadata.rule(), v.resource, location.site_or_null(plan.by_address[v.resource]), sprintf("audit logs are kept %v days, less than %d", [v.days, min_retention_days]))
}

_short contains {"resource": s.resource, "days": s.retention_days} if {
	some s in _sinks
	s.retention_days < min_retention_days
}

_short contains {"resource": r.address, "days": days} if {
	some r in _audit_stores
	days := _store_days(r)
	days < min_retention_days
}
