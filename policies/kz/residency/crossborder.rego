# METADATA
# title: Cross-border copies of personal data
# description: >-
#   Copies of personal data outside Kazakhstan are read-only replicas fed through a registered
#   encrypted tunnel, with a transfer agreement and legal basis; biometric data and the golden
#   record stay in Kazakhstan.
package kz.residency.crossborder

import data.kz.lib.classification as cls
import data.kz.lib.finding
import data.kz.lib.flows
import data.kz.lib.location
import data.kz.lib.settings
import data.kz.lib.sites
import data.kz.lib.stores
import data.kz.lib.tunnels

checked["KZ-XBT-001"] := {r.address | some r in stores.personal_abroad}

checked["KZ-XBT-002"] := {r.address | some r in stores.personal_abroad}

checked["KZ-XBT-003"] := {r.address | some r in stores.personal_abroad} | {r.address | some r in stores.personal_stores}

checked["KZ-XBT-004"] := {r.address | some r in stores.personal_abroad}

_where(r) := location.where(r)

# METADATA
# title: Personal data abroad only as a replica fed through a registered encrypted tunnel
# description: >-
#   Any store outside Kazakhstan that carries personal data (a Kubernetes store on a foreign
#   site, or a managed cloud store in a region abroad) has role replica and names, with
#   residency.kz/tunnel, a tunnel whose Kazakh gateway is in the plan on a Kazakh site.
#   Primary stores abroad are KZ-RES-001.
# custom:
#   id: KZ-XBT-001
#   severity: critical
#   basis: law
#   law: >-
#     Law No. 94-V of 21 May 2013 "On Personal Data and Their Protection", Art. 16 (cross-border
#     transfer) and Art. 22 (protection against unauthorised access)
#   remediation: >-
#     Make the copy abroad a replica (residency.kz/role=replica) fed through an EncryptedTunnel and
#     set residency.kz/tunnel to that tunnel's name.
#   profiles: [law, audit-ready, ur832]
deny contains f if {
	some r in stores.personal_abroad
	role := cls.effective_role(r)
	role != "primary"
	msg := _xbt1_problem(r, role)
	f := finding.new(rego.metadata.rule(), r.address, location.site_or_null(r), msg)
}

_xbt1_problem(r, role) := sprintf("store of %s data on %s has role %q; outside Kazakhstan only replicas fed through a tunnel are allowed", [cls.class_text(r), _where(r), role]) if {
	role != "replica"
} else := sprintf("replica of %s data on %s names no tunnel (residency.kz/tunnel)", [cls.class_text(r), _where(r)]) if {
	not cls.signal_text(r, "tunnel")
} else := sprintf("replica of %s data on %s names tunnel %q, which has no gateway on a Kazakh site in this plan", [cls.class_text(r), _where(r), cls.signal_text(r, "tunnel")]) if {
	not lower(cls.signal_text(r, "tunnel")) in tunnels.registered_tunnels
}

# METADATA
# title: Each cross-border replica names its transfer agreement and legal basis
# description: >-
#   A replica of personal data outside Kazakhstan declares residency.kz/transfer-agreement (e.g.
#   an SCC reference) and residency.kz/legal-basis (e.g. consent covering transfer abroad).
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
	some r in stores.personal_abroad
	cls.effective_role(r) != "primary"
	missing := {k | some k in ["transfer-agreement", "legal-basis"]; not _declared(r, k)}
	count(missing) > 0
	f := finding.new(rego.metadata.rule(), r.address, location.site_or_null(r), sprintf(
		"copy of %s data on %s does not declare %s",
		[cls.class_text(r), _where(r), concat(" or ", [sprintf("residency.kz/%s", [m]) | some m in sort(missing)])]
	))
}

_declared(r, key) if trim_space(cls.signal_text(r, key)) != ""

# METADATA
# title: Biometric data never leaves Kazakhstan
# description: >-
#   No store outside Kazakhstan, of any role, holds biometric data, and no backup of a biometric
#   store goes to object storage that is not registered for a Kazakh site.
# custom:
#   id: KZ-XBT-003
#   severity: critical
#   basis: practice
#   law: >-
#     Audit guidance for the 2026 inspections; biometric data are personal data (Law No. 94-V
#     Art. 1) but no statute found makes their localisation a separate rule
#   remediation: Keep biometric stores, replicas and backups on Kazakh sites only; replicate only non-biometric data to HQ.
#   profiles: [audit-ready, ur832]
deny contains f if {
	some v in _biometric_abroad
	f := finding.new(rego.metadata.rule(), v.resource, v.site, v.message)
}

_biometric_abroad contains v if {
	some r in stores.personal_abroad
	cls.class_text(r) == "biometric"
	v := {"resource": r.address, "site": location.site_or_null(r), "message": sprintf("biometric data stored on %s, outside Kazakhstan", [_where(r)])}
}

_biometric_abroad contains v if {
	some r in stores.personal_stores
	cls.class_text(r) == "biometric"
	some t in flows.backup_targets(r)
	not _local_backup(t)
	v := {"resource": r.address, "site": location.site_or_null(r), "message": sprintf("biometric data backed up to %s, which is not object storage of a Kazakh site", [t.endpoint])}
}

_local_backup(t) if sites.is_kz(sites.site_for_object_storage(t.endpoint))

# METADATA
# title: The golden record stays in Kazakhstan; replicas abroad are read-only
# description: >-
#   No primary (authoritative) copy of personal data is kept outside Kazakhstan, and a replica
#   there is read-only (residency.kz/read-only=true, or a CloudNativePG replica cluster), so the
#   authoritative copy is never written abroad. A primary abroad is also KZ-RES-001 (the law
#   part); this rule is the audit guidance's "golden record" and warns only in the law profile.
# custom:
#   id: KZ-XBT-004
#   severity: high
#   basis: practice
#   law: Audit guidance for the 2026 inspections ("golden record" in the country); not the text of a statute
#   remediation: >-
#     Keep the primary in Almaty or Astana and run the HQ copy as a read-only replica
#     (CloudNativePG replica mode, or a replica marked residency.kz/read-only=true).
#   profiles: [audit-ready, ur832]
deny contains f if {
	some r in stores.personal_abroad
	msg := _golden_record_problem(r)
	f := finding.new(rego.metadata.rule(), r.address, location.site_or_null(r), msg)
}

_golden_record_problem(r) := sprintf("the golden record of %s data is kept on %s: the primary copy must stay in Kazakhstan", [cls.class_text(r), _where(r)]) if {
	cls.effective_role(r) == "primary"
} else := sprintf("replica of %s data on %s is not read-only", [cls.class_text(r), _where(r)]) if {
	cls.effective_role(r) == "replica"
	not settings.read_only(r)
}
