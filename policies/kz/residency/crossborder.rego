# METADATA
# title: Cross-border copies and flows of personal data
# description: >-
#   Copies of personal data outside Kazakhstan are read-only replicas fed through a registered
#   encrypted tunnel, with a transfer agreement and legal basis; no other flow carries personal
#   data abroad; biometric data and the golden record stay in Kazakhstan. Stores and flows are
#   judged by what their configuration does (lib/flows.rego): the class a store receives through
#   its replication, the encryption of the hop that crosses the border, the site its source is
#   proven on. Names, labels and annotations that say "replica", "tunnel" or "read-only" are not read.
package kz.residency.crossborder

import data.kz.lib.classification as cls
import data.kz.lib.finding
import data.kz.lib.flows
import data.kz.lib.location
import data.kz.lib.plan

checked["KZ-XBT-001"] := {r.address | some r in flows.personal_abroad} | {e.resource | some e in _flows_abroad}

checked["KZ-XBT-002"] := {r.address | some r in flows.personal_abroad}

checked["KZ-XBT-003"] := ({r.address | some r in flows.personal_abroad} | {r.address | some r in flows.personal_stores}) | {e.resource | some e in flows.cross_border}

checked["KZ-XBT-004"] := {r.address | some r in flows.personal_abroad}

_where(r) := location.where(r)

# The class of a store with where it comes from, for messages.
_class_text(r) := sprintf("%s (received from %s)", [c, concat(", ", sort(_sources(r)))]) if {
	c := flows.inherited_class(r)
} else := flows.data_class(r)

_sources(r) := {a | some e in flows.inbound(r); some a in e.source_stores}

# Primary personal-data stores abroad by their own declaration are KZ-RES-001's.
_res001(r) if {
	cls.maybe_personal(r)
	cls.effective_role(r) == "primary"
}

# Edges that carry personal data abroad other than into a store of the plan (a store that
# receives a copy is judged as a store; backups and dumps by the backup rules).
_flows_abroad contains e if {
	some e in flows.cross_border
	e.kind in {"log-shipping", "service-alias", "tunnel"}
}

# METADATA
# title: Personal data abroad only as a replica fed through a registered encrypted tunnel
# description: >-
#   A store outside Kazakhstan that holds personal data, by its own class or by what it receives
#   (a subscriber, clone or replica takes the class of its source), is a replica by its
#   configuration (a CloudNativePG replica cluster, an operator's standby, a primary_conninfo hot
#   standby, a managed read replica) whose source connection crosses the border encrypted (its
#   gateways run WireGuard, GOST TLS or TLS, or the client verifies TLS end to end with
#   sslmode verify-full/verify-ca) to a far end proven on a Kazakh site (a gateway there, or a
#   host the registry lists). No other flow carries personal data abroad: log shippers, service
#   aliases (ExternalName, Endpoints, ServiceEntry) and gateways that forward unencrypted are
#   denied where they are configured. Edge kinds judged: replication, logical replication (on
#   the receiving store), log shipping, service alias, tunnel. Primary stores abroad are KZ-RES-001.
# custom:
#   id: KZ-XBT-001
#   severity: critical
#   basis: law
#   law: >-
#     Law No. 94-V of 21 May 2013 "On Personal Data and Their Protection", Art. 16 (cross-border
#     transfer) and Art. 22 (protection against unauthorised access)
#   remediation: >-
#     Make the copy abroad a replica cluster (HqReplica) whose source connection runs through an
#     EncryptedTunnel with a gateway on the Kazakh site; keep log sinks, dump targets and service
#     aliases of personal-data namespaces in Kazakhstan.
#   profiles: [law, audit-ready, ur832]
deny contains f if {
	some v in _xbt1
	f := finding.new(rego.metadata.rule(), v.resource, v.site, v.message)
}

_xbt1 contains {"resource": r.address, "site": location.site_or_null(r), "message": msg} if {
	some r in flows.personal_abroad
	not _res001(r)
	msg := _xbt1_problem(r)
}

_xbt1 contains {"resource": e.resource, "site": location.site_or_null(plan.by_address[e.resource]), "message": msg} if {
	some e in _flows_abroad
	msg := _xbt1_flow_problem(e)
}

_feeds(r) := {e | some e in flows.inbound(r); e.kind in flows.copy_kinds}

_xbt1_problem(r) := sprintf("store of %s data on %s is not a replica by its configuration (no replica cluster, hot standby or read replica%s): outside Kazakhstan only replicas fed through an encrypted tunnel may hold personal data", [_class_text(r), _where(r), _role_claim(r)]) if {
	not flows.replica(r)
} else := sprintf("replica of %s data on %s follows a source the plan does not show, so it is not proven to be fed through a registered encrypted tunnel", [_class_text(r), _where(r)]) if {
	count({e | some e in _feeds(r); e.standby}) == 0
} else := concat("; ", sort(problems)) if {
	problems := {p | some e in _feeds(r); some p in _feed_problems(r, e)}
	count(problems) > 0
}

_role_claim(r) := "; its role label says replica, which is a claim" if {
	cls.has_role(r, "replica")
} else := ""

_feed_problems(r, e) := {sprintf("replica of %s data on %s is fed from %s unencrypted (%s)", [_class_text(r), _where(r), e.fed_from, e.encryption]) |
	not e.encrypted
} | {sprintf("replica of %s data on %s is fed from %s, which is not proven to be on a Kazakh site", [_class_text(r), _where(r), e.fed_from]) |
	not e.registered
}

_xbt1_flow_problem(e) := sprintf("%s (%s) sends logs of %s, which hold %s data, to %s, outside Kazakhstan (not proven to be in Kazakhstan)", [e.kind, e.mechanism, e.source, e.class, e.where]) if {
	e.kind == "log-shipping"
} else := sprintf("alias %s (%s) leads the traffic of %s, which hold %s data, to %s, outside Kazakhstan (not proven to be in Kazakhstan)", [e.alias, e.mechanism, e.source, e.class, e.where]) if {
	e.kind == "service-alias"
} else := sprintf("gateway forwards %s data of %s from %s across the border without encryption (%s)", [e.class, e.source, e.target, e.encryption]) if {
	e.kind == "tunnel"
	not e.encrypted
}

# METADATA
# title: Each cross-border replica names its transfer agreement and legal basis
# description: >-
#   A copy of personal data outside Kazakhstan (a store abroad whose class, or the class of what
#   it receives, is personal) declares residency.kz/transfer-agreement (e.g. an SCC reference)
#   and residency.kz/legal-basis (e.g. consent covering transfer abroad). Edge kinds judged:
#   replication and logical replication (on the receiving store).
# custom:
#   id: KZ-XBT-002
#   severity: high
#   basis: law
#   law: Law No. 94-V of 21 May 2013 "On Personal Data and Their Protection", Art. 16 (cross-border transfer)
#   remediation: >-
#     Set residency.kz/transfer-agreement and residency.kz/legal-basis on the replica (HqReplica
#     props transferAgreement and legalBasis).
#   profiles: [law, audit-ready, ur832]
deny contains f if {
	some r in flows.personal_abroad
	cls.effective_role(r) != "primary"
	missing := {k | some k in ["transfer-agreement", "legal-basis"]; not _declared(r, k)}
	count(missing) > 0
	f := finding.new(rego.metadata.rule(), r.address, location.site_or_null(r), sprintf(
		"copy of %s data on %s does not declare %s",
		[_class_text(r), _where(r), concat(" or ", [sprintf("residency.kz/%s", [m]) | some m in sort(missing)])]
	))
}

_declared(r, key) if trim_space(cls.signal_text(r, key)) != ""

# METADATA
# title: Biometric data never leaves Kazakhstan
# description: >-
#   No store outside Kazakhstan holds biometric data (by its own class or by what it receives),
#   and no flow carries biometric data to a place not proven to be in Kazakhstan: backups,
#   ObjectStores, dumps, Velero volume backups, log shipping and service aliases. Edge kinds
#   judged: replication and logical replication (on the receiving store), backup, dump, volume
#   backup, log shipping, service alias.
# custom:
#   id: KZ-XBT-003
#   severity: critical
#   basis: practice
#   law: >-
#     Audit guidance for the 2026 inspections; biometric data are personal data (Law No. 94-V
#     Art. 1) but no statute found makes their localisation a separate rule
#   remediation: Keep biometric stores, replicas, backups and logs on Kazakh sites only; replicate only non-biometric data to HQ.
#   profiles: [audit-ready, ur832]
deny contains f if {
	some v in _biometric_abroad
	f := finding.new(rego.metadata.rule(), v.resource, v.site, v.message)
}

_biometric_abroad contains v if {
	some r in flows.personal_abroad
	flows.data_class(r) == "biometric"
	v := {"resource": r.address, "site": location.site_or_null(r), "message": sprintf("biometric data stored on %s, outside Kazakhstan", [_where(r)])}
}

_biometric_abroad contains v if {
	some e in flows.cross_border
	e.class == "biometric"
	not e.kind in (flows.copy_kinds | {"tunnel"})
	v := {"resource": e.resource, "site": location.site_or_null(plan.by_address[e.resource]), "message": sprintf("biometric data of %s leaves Kazakhstan: %s (%s) to %s", [e.source, e.kind, e.mechanism, e.where])}
}

# METADATA
# title: The golden record stays in Kazakhstan; replicas abroad are read-only
# description: >-
#   No primary (authoritative) copy of personal data is kept outside Kazakhstan, and a copy
#   there is read-only by its configuration (a replica cluster, an operator's standby, a hot
#   standby, a managed read replica), so the authoritative copy is never written abroad. A
#   writable copy abroad — a standalone cluster, a logical subscriber, a clone — is a primary
#   abroad, whatever a label or annotation says. A primary abroad is also KZ-RES-001 (the law
#   part); this rule is the audit guidance's "golden record" and warns only in the law profile.
#   Edge kinds judged: replication and logical replication (on the receiving store).
# custom:
#   id: KZ-XBT-004
#   severity: high
#   basis: practice
#   law: Audit guidance for the 2026 inspections ("golden record" in the country); not the text of a statute
#   remediation: >-
#     Keep the primary in Almaty or Astana and run the HQ copy as a replica cluster
#     (CloudNativePG replica mode, HqReplica); a read-only annotation or a replica label does not
#     make a writable cluster read-only.
#   profiles: [audit-ready, ur832]
deny contains f if {
	some r in flows.personal_abroad
	msg := _golden_record_problem(r)
	f := finding.new(rego.metadata.rule(), r.address, location.site_or_null(r), msg)
}

_golden_record_problem(r) := sprintf("the golden record of %s data is kept on %s: the primary copy must stay in Kazakhstan", [_class_text(r), _where(r)]) if {
	not flows.replica(r)
	cls.effective_role(r) == "primary"
	count(_feeds(r)) == 0
} else := sprintf("copy of %s data on %s is writable: its configuration is not a replica cluster or hot standby%s", [_class_text(r), _where(r), _role_claim(r)]) if {
	not flows.replica(r)
}
