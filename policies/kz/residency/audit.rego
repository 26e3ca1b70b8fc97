# METADATA
# title: Audit trail and regulator access
# description: >-
#   Every user action on a personal-data store is logged, the logs stay in Kazakhstan with
#   retention and immutability, and local authorities can audit without foreign systems and
#   cut cross-border flows.
package kz.residency.audit

import data.kz.lib.classification as cls
import data.kz.lib.finding
import data.kz.lib.flows
import data.kz.lib.kube
import data.kz.lib.location
import data.kz.lib.logsinks
import data.kz.lib.plan
import data.kz.lib.settings
import data.kz.lib.stores

checked["KZ-AUD-001"] := {r.address | some r in _logged_stores}

# Personal-data stores whose users' actions must be logged: all but the audit trail's own store
# (role audit), which holds the logs and is judged by KZ-AUD-002.
_logged_stores contains r if {
	some r in stores.personal_stores
	cls.effective_role(r) != "audit"
}

checked["KZ-AUD-002"] := {r.address | some r in _audited} | {r.address | some r in _audit_stores}

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

# ---------------------------------------------------------------------------------------
# KZ-AUD-002: where each personal-data store's audit log goes, and what keeps it
# ---------------------------------------------------------------------------------------

# Stores whose audit trail must reach a write-once sink in Kazakhstan: personal-data stores (by
# class or by what they receive) other than the audit trail's own stores.
_audited contains r if {
	some r in flows.personal_stores
	cls.effective_role(r) != "audit"
}

# The audit trail's own stores (role audit): they must be write-once themselves.
_audit_stores contains r if {
	some r in stores.stores
	cls.effective_role(r) == "audit"
}

_log_edges(r) := {e | some e in flows.outbound(r); e.kind == "log-shipping"}

# A log-shipping edge that reaches a sink in Kazakhstan which keeps logs write-once, with
# retention, and offers no delete API.
_good(e) if {
	e.local
	count(logsinks.judge(e.destination_resource).problems) == 0
}

_edge_problems(e) := {sprintf("%s ships its logs to %s, which is not proven to be in Kazakhstan", [e.resource, e.where])} if {
	not e.local
} else := {sprintf("%s ships its logs to %s: %s", [e.resource, logsinks.judge(e.destination_resource).what, p]) | some p in logsinks.judge(e.destination_resource).problems}

_aud2_problem(r) := "it is a managed store whose audit log stays with its provider: no log shipper in the plan carries it to a write-once sink on a Kazakh site" if {
	not kube.is_kube(r)
	count(_log_edges(r)) == 0
} else := "no log shipper in the plan collects this store's container logs (where pgaudit and the audit plugins write), so its audit log reaches no write-once sink on a Kazakh site" if {
	count(_log_edges(r)) == 0
} else := concat("; ", sort(problems)) if {
	edges := _log_edges(r)
	count({e | some e in edges; _good(e)}) == 0
	problems := {p | some e in edges; some p in _edge_problems(e)}
}

_audit_store_problem(r) := sprintf("the audit store runs on %s, not on a Kazakh site", [location.where(r)]) if {
	not location.in_kz(r)
} else := "the audit store has no write-once storage (no bucket with object lock and a default retention in COMPLIANCE mode): its logs can be deleted" if {
	count(logsinks.store_locks(r)) == 0
}

# METADATA
# title: Audit logs go to a write-once log sink in Kazakhstan with retention
# description: >-
#   The audit log of each personal-data store is carried by a log shipper of the plan (Fluent
#   Bit, Fluentd, Vector, Promtail, Alloy or an OpenTelemetry collector collecting its
#   namespace's container logs, where pgaudit writes) to a sink on a Kazakh site that keeps it
#   write-once: Loki with authentication on, no delete API (compactor retention with
#   deletion_mode disabled), a retention period, and object storage with object lock and a
#   default retention in COMPLIANCE mode (a MinIO tenant bucket plus its retention job, AWS S3 or
#   Yandex Object Storage object lock, a locked Cloud Storage retention policy). The audit
#   trail's own stores (role audit) must be such write-once storage on a Kazakh site. Labels or
#   annotations saying a sink is immutable are claims and are not read. Edge kinds judged: log
#   shipping.
# custom:
#   id: KZ-AUD-002
#   severity: high
#   basis: practice
#   law: >-
#     Audit guidance for the 2026 inspections (log location, retention, integrity); the logging
#     duty itself is KZ-AUD-001
#   remediation: >-
#     Ship audit logs with AuditTrail (Fluent Bit collecting the store's namespace → Loki with
#     auth, deletion_mode disabled and a retention period → a WriteOnceAuditStore bucket locked
#     in COMPLIANCE mode) on an Almaty or Astana site.
#   profiles: [audit-ready, ur832]
deny contains f if {
	some v in _aud2
	f := finding.new(rego.metadata.rule(), v.resource, v.site, v.message)
}

_aud2 contains {"resource": r.address, "site": location.site_or_null(r), "message": msg} if {
	some r in _audited
	msg := _aud2_problem(r)
}

_aud2 contains {"resource": r.address, "site": location.site_or_null(r), "message": msg} if {
	some r in _audit_stores
	msg := _audit_store_problem(r)
}

# ---------------------------------------------------------------------------------------
# KZ-AUD-003: regulator access and the kill switch, by mechanism
# ---------------------------------------------------------------------------------------

_read_verbs := {"get", "list", "watch"}

_roles := [r | some r in plan.resources; kube.kind(r) in {"ClusterRole", "Role"}]

_bindings := [b | some b in plan.resources; kube.kind(b) in {"ClusterRoleBinding", "RoleBinding"}]

_rules(r) := [x | some x in array.concat(object.get(r.values, "rule", []), object.get(kube.object_values(r), "rules", [])); is_object(x)]

# A role that grants only reading, and no Secrets (reading credentials is not auditing).
_read_only_role(r) if {
	rules := _rules(r)
	count(rules) > 0
	every x in rules {
		count(object.get(x, "verbs", [])) > 0
		every v in object.get(x, "verbs", []) {
			v in _read_verbs
		}
		not "secrets" in object.get(x, "resources", [])
		not "*" in object.get(x, "resources", [])
	}
}

_role_ref(b) := ref if {
	ref := b.values.role_ref[0]
	is_object(ref)
} else := ref if {
	ref := b.values.role_ref
	is_object(ref)
} else := ref if {
	ref := kube.object_values(b).roleRef
	is_object(ref)
} else := {}

_subjects(b) := [s | some s in array.concat(object.get(b.values, "subject", []), object.get(kube.object_values(b), "subjects", [])); is_object(s)]

# A read-only auditor path on a Kazakh site: a binding on that site of a person or group to a
# read-only role of the same cluster (and namespace, for a Role). The evidence inventory lists
# these bindings.
regulator_access contains b if {
	some b in _bindings
	location.in_kz(b)
	some s in _subjects(b)
	s.kind in {"User", "Group"}
	ref := _role_ref(b)
	some r in _roles
	kube.same_cluster(r, b)
	kube.kind(r) == object.get(ref, "kind", "")
	kube.name(r) == object.get(ref, "name", "")
	_same_scope(r, b)
	_read_only_role(r)
}

_same_scope(r, _) if kube.kind(r) == "ClusterRole"

_same_scope(r, b) if {
	kube.kind(r) == "Role"
	kube.namespace(r) == kube.namespace(b)
}

# Cross-border flows of personal data no gateway in Kazakhstan can cut.
_uncuttable contains e if {
	some e in flows.cross_border
	not object.get(e, "cuttable", false)
}

_aud3_problems := {"no read-only regulator access path on a Kazakh site (a binding of a user or group to a role that can only get, list and watch)" |
	count(regulator_access) == 0
} | {sprintf("cross-border flows of personal data pass no gateway on a Kazakh site that a kill switch could stop: %s", [concat(", ", sort({sprintf("%s %s to %s", [e.kind, e.resource, e.destination]) | some e in _uncuttable}))]) |
	count(_uncuttable) > 0
}

# METADATA
# title: Regulator access inside Kazakhstan and a cross-border kill switch
# description: >-
#   A deployment with personal data has a read-only auditor path on a Kazakh site that needs no
#   foreign system: a ClusterRoleBinding or RoleBinding on that site of a user or group (the
#   regulator's identities) to a role that can only get, list and watch, and not Secrets. Every
#   cross-border flow of personal data passes a gateway on a Kazakh site, so that the kill
#   switch (gateways scaled to zero, their forwards withdrawn) can cut it; a backup, dump, log
#   shipper, alias or direct connection abroad has no such point. Reported on each primary
#   personal-data store; it is one decision for the deployment (decision: deployment), which
#   kz-residency reports once. Edge kinds judged: every kind that crosses the border.
# custom:
#   id: KZ-AUD-003
#   decision: deployment
#   severity: medium
#   basis: practice
#   law: >-
#     Audit guidance for the 2026 inspections (regulator access, kill switch); the state technical
#     service's access to survey processing rests on Law No. 94-V Art. 22 measures
#   remediation: >-
#     Add RegulatorAccess (read-only auditor role on the Kazakh cluster) and carry every
#     cross-border flow through an EncryptedTunnel, whose Kazakh gateway the kill switch stops.
#   profiles: [audit-ready, ur832]
deny contains f if {
	some r in _primaries
	count(_aud3_problems) > 0
	f := finding.new(rego.metadata.rule(), r.address, location.site_or_null(r), concat("; ", sort(_aud3_problems)))
}
