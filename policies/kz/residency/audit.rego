# METADATA
# title: Audit trail and regulator access
# description: >-
#   Every user action on a personal-data store is logged, the logs stay in Kazakhstan with
#   retention and immutability, and local authorities can audit without foreign systems and
#   cut cross-border flows.
package kz.residency.audit

import data.kz.lib.classification as cls
import data.kz.lib.finding
import data.kz.lib.location
import data.kz.lib.settings
import data.kz.lib.sites
import data.kz.lib.stores
import data.kz.lib.tunnels

checked["KZ-AUD-001"] := {r.address | some r in _logged_stores}

# Personal-data stores whose users' actions must be logged: all but the audit trail's own store
# (role audit), which holds the logs and is judged by KZ-AUD-002.
_logged_stores contains r if {
	some r in stores.personal_stores
	cls.effective_role(r) != "audit"
}

checked["KZ-AUD-002"] := {r.address | some r in stores.personal_stores}

checked["KZ-AUD-003"] := {r.address | some r in _primaries}

_primaries contains r if {
	some r in stores.personal_stores
	cls.effective_role(r) == "primary"
}

# METADATA
# title: Audit logging of every user action is on for each personal-data store
# description: >-
#   Each personal-data store turns on logging of user actions in its own configuration:
#   PostgreSQL pgaudit.log (parameters or configuration text), MariaDB server_audit or MySQL
#   audit_log plugins, a MongoDB auditLog destination, or an AWS RDS/DocumentDB audit log export.
#   A label or annotation saying audit is on is a claim, not the mechanism. The audit trail's own
#   store (role audit) holds the logs and is judged by KZ-AUD-002 instead.
# custom:
#   id: KZ-AUD-001
#   severity: high
#   basis: law
#   law: >-
#     Rules for personal-data protection of 12 Jun 2023, as amended by the order in force from
#     6 Jan 2026 (logging of database events and user actions; item numbers not verified)
#   remediation: >-
#     Enable audit logging in the store's configuration (CloudNativePG: postgresql.parameters
#     pgaudit.log: all; MySQL/MariaDB: the audit plugin; MongoDB: auditLog; RDS: the audit log
#     export).
#   profiles: [law, audit-ready, ur832]
deny contains f if {
	some r in _logged_stores
	not settings.audit_all(r)
	f := finding.new(rego.metadata.rule(), r.address, location.site_or_null(r), sprintf("store of %s data does not log every user action (no pgaudit.log, audit plugin, auditLog or audit log export in its configuration)", [cls.class_text(r)]))
}

_audit_objects contains a if {
	some a in cls.declaring("log-sink")
	cls.has_role(a, "audit")
	cls.signal_text(a, "log-sink")
}

_configs(r) := {r} if cls.signal_text(r, "log-sink")

_configs(r) := _audit_objects if not cls.signal_text(r, "log-sink")

_retention_days(c) := to_number(t) if {
	t := trim_space(cls.signal_text(c, "retention-days"))
	regex.match(`^[0-9]+(\.[0-9]+)?$`, t)
}

_sink_problems(c) := (({sprintf("sink %q is not a registered log sink of a Kazakh site", [sink]) |
	sink := cls.signal_text(c, "log-sink")
	not sites.is_kz(sites.site_for_log_sink(sink))
} | {"no retention is set (residency.kz/retention-days)" |
	not _retention_days(c) > 0
}) | {"logs are not immutable (residency.kz/immutable)" |
	not cls.is_true(c, "immutable")
})

# METADATA
# title: Audit logs go to a Kazakh log sink with retention and immutability
# description: >-
#   The audit log sink of each personal-data store (its own residency.kz/log-sink, else the
#   deployment's role=audit objects) is a logSinks endpoint of a Kazakh site, with a retention
#   period (residency.kz/retention-days) and immutability (residency.kz/immutable).
# custom:
#   id: KZ-AUD-002
#   severity: high
#   basis: practice
#   law: >-
#     Audit guidance for the 2026 inspections (log location, retention, integrity); the logging
#     duty itself is KZ-AUD-001
#   remediation: >-
#     Ship audit logs with AuditTrail to a log sink registered for an Almaty or Astana site, with
#     retentionDays and immutable set.
#   profiles: [audit-ready, ur832]
deny contains f if {
	some r in stores.personal_stores
	msg := _aud2_problem(r)
	f := finding.new(rego.metadata.rule(), r.address, location.site_or_null(r), msg)
}

_aud2_problem(r) := "no audit log sink is declared for this store or the deployment" if {
	count(_configs(r)) == 0
} else := concat("; ", sort(problems)) if {
	configs := _configs(r)
	every c in configs {
		count(_sink_problems(c)) > 0
	}
	problems := {sprintf("%s: %s", [c.address, p]) | some c in configs; some p in _sink_problems(c)}
}

_cross_border if count(stores.personal_abroad) > 0

_cross_border if count(tunnels.gateways) > 0

_regulator_access contains a if {
	some a in cls.declaring("regulator-access")
	lower(cls.signal_text(a, "regulator-access")) in {"read-only", "readonly", "ro"}
	location.in_kz(a)
}

# The kill switch: an object on a Kazakh site that holds the cross-border state
# (residency.kz/cross-border=active|suspended, which the tunnel gateways obey), or an object
# marked residency.kz/kill-switch=true.
_kill_switch contains a if {
	some a in cls.declaring("cross-border")
	lower(cls.signal_text(a, "cross-border")) in {"active", "suspended"}
	location.in_kz(a)
}

_kill_switch contains a if {
	some a in cls.declaring("kill-switch")
	cls.is_true(a, "kill-switch")
}

_aud3_problems := ({"no read-only regulator access path on a Kazakh site (residency.kz/regulator-access=read-only)" |
	count(_regulator_access) == 0
} | {"cross-border flows exist but no kill switch on a Kazakh site can cut them (residency.kz/cross-border=active|suspended)" |
	_cross_border
	count(_kill_switch) == 0
})

# METADATA
# title: Regulator access inside Kazakhstan and a cross-border kill switch
# description: >-
#   A deployment with personal data has a read-only auditor path on a Kazakh site that needs no
#   foreign system (an object marked residency.kz/regulator-access=read-only), and, when it has
#   cross-border flows (tunnel gateways or copies abroad), a kill switch on a Kazakh site that
#   cuts them (an object carrying residency.kz/cross-border=active|suspended, or
#   residency.kz/kill-switch=true). Reported on each primary personal-data store; it is one
#   decision for the deployment (decision: deployment), which kz-residency reports once.
# custom:
#   id: KZ-AUD-003
#   decision: deployment
#   severity: medium
#   basis: practice
#   law: >-
#     Audit guidance for the 2026 inspections (regulator access, kill switch); the state technical
#     service's access to survey processing rests on Law No. 94-V Art. 22 measures
#   remediation: Add RegulatorAccess (read-only auditor role on the Kazakh cluster) and the cross-border kill switch of EncryptedTunnel.
#   profiles: [audit-ready, ur832]
deny contains f if {
	some r in _primaries
	count(_aud3_problems) > 0
	f := finding.new(rego.metadata.rule(), r.address, location.site_or_null(r), concat("; ", sort(_aud3_problems)))
}
