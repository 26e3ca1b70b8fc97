# METADATA
# title: Real-time monitoring of the audit trail
# description: >-
#   Audit logs that nobody reads detect nothing: the duty is to detect unauthorised access in
#   time. A personal-data store whose user actions are logged has alert rules over that log,
#   delivered to someone who acts on them.
package kz.residency.alerting

import data.kz.lib.alerting
import data.kz.lib.classification as cls
import data.kz.lib.finding
import data.kz.lib.location
import data.kz.lib.settings
import data.kz.lib.stores

checked["KZ-AUD-004"] := {r.address | some r in _audited}

# Personal-data stores that log their users' actions and whose records are collected (the audit
# trail's own store, role audit, holds the logs and is not queried by users). Where logging is off
# it is KZ-AUD-001's finding; where nothing collects the records, KZ-AUD-002's.
_audited contains r if {
	some r in stores.personal_stores
	cls.effective_role(r) != "audit"
	settings.audit_all(r)
	alerting.collected(r)
}

# METADATA
# title: The audit log of a personal-data store is watched by alert rules that reach someone
# description: >-
#   Each personal-data store that logs its users' actions (KZ-AUD-001) and whose records a log
#   collector on its cluster ships (Fluent Bit reading its namespace's container logs, or another
#   collector chart), or a managed store exporting its audit log, is watched in real time:
#   a Loki ruler on its cluster loads alert rules over the store's pgaudit stream (ConfigMaps
#   mounted under the ruler's local rules directory, selecting the store's namespace), and sends
#   them to an Alertmanager of the plan whose route reaches a receiver with a notification
#   configuration (e-mail to the DPO, a webhook, ...). AuditTrail's alerting renders this chain.
#   A label or annotation saying the store is monitored is not monitoring; managed cloud stores'
#   alarms (CloudWatch, Cloud Monitoring) are not recognised yet, so such a store is reported
#   too (fail closed).
# custom:
#   id: KZ-AUD-004
#   severity: high
#   basis: practice
#   law: >-
#     Audit guidance for the 2026 inspections (real-time monitoring of access to personal data);
#     rests on Law No. 94-V Art. 22 (measures to detect unauthorised access in time) and the
#     one-business-day breach notice (Law No. 94-V as amended by Law No. 44-VIII; Order No. 481)
#   remediation: >-
#     Give AuditTrail an `alerting` section (the DPO's address, the SMTP relay and its
#     credentials Secret): it renders Loki ruler rules over the pgaudit stream of every store
#     namespace and an Alertmanager that e-mails the DPO.
#   profiles: [audit-ready, ur832]
deny contains f if {
	some r in _audited
	msg := alerting.problem(r)
	f := finding.new(rego.metadata.rule(), r.address, location.site_or_null(r), sprintf("store of %s data logs every user action but nothing watches the log: %s", [cls.class_text(r), msg]))
}
