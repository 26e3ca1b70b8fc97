# METADATA
# title: Backups of personal-data stores
# description: >-
#   Backups of a primary store land in object storage of a Kazakh site; a copy abroad is an
#   extra, is encrypted and is covered by a transfer agreement (it is a cross-border transfer).
package kz.residency.backup

import data.kz.lib.classification as cls
import data.kz.lib.finding
import data.kz.lib.flows
import data.kz.lib.kube
import data.kz.lib.location
import data.kz.lib.sites
import data.kz.lib.stores

checked["KZ-BAK-001"] := {r.address | some r in _primaries}

checked["KZ-BAK-002"] := {r.address | some r in stores.personal_stores}

_local(t) if sites.is_kz(sites.site_for_object_storage(t.endpoint))

# Primary personal-data stores on a Kazakh Kubernetes site (managed cloud stores keep their
# backups with the provider, in their region).
_primaries contains r if {
	some r in stores.personal_stores
	kube.is_kube(r)
	cls.effective_role(r) == "primary"
	location.in_kz(r)
}

# METADATA
# title: Backups of a primary land in object storage of a Kazakh site
# description: >-
#   Each primary personal-data store on a Kazakh Kubernetes site has at least one backup
#   destination that is a registered objectStorage endpoint of a Kazakh site. Backups abroad never
#   replace a local one; a store with no backup destination at all has no local backup either.
#   Managed cloud stores, whose provider keeps their backups, are not judged by this rule.
# custom:
#   id: KZ-BAK-001
#   severity: high
#   basis: practice
#   law: >-
#     Audit guidance for the 2026 inspections (local backups of the golden record); not the text
#     of a statute
#   remediation: >-
#     Configure the store's backups (CloudNativePG backup.barmanObjectStore / chart backups) with
#     an endpointURL listed under objectStorage of an Almaty or Astana site (an annotation naming a
#     backup target is not a backup).
#   profiles: [audit-ready, ur832]
deny contains f if {
	some r in _primaries
	targets := flows.backup_targets(r)
	count({t | some t in targets; _local(t)}) == 0
	f := finding.new(rego.metadata.rule(), r.address, location.site(r), _no_local_message(targets))
}

_no_local_message(targets) := "no backup destination is configured, so there is no backup in object storage of a Kazakh site" if {
	count(targets) == 0
} else := sprintf("backups go only to %v, none of which is registered object storage of a Kazakh site", [sort({t.endpoint | some t in targets})])

# METADATA
# title: A backup copy abroad is encrypted and covered by a transfer agreement
# description: >-
#   A backup destination that is not registered object storage of a Kazakh site is a copy of
#   personal data abroad (unregistered endpoints count as abroad): it must be encrypted and the
#   store must name its transfer agreement and legal basis.
# custom:
#   id: KZ-BAK-002
#   severity: high
#   basis: law
#   law: Law No. 94-V of 21 May 2013 "On Personal Data and Their Protection", Art. 16 (cross-border transfer)
#   remediation: >-
#     Encrypt the remote backup (barmanObjectStore data/wal encryption) and declare
#     residency.kz/transfer-agreement and residency.kz/legal-basis on the store, or drop the copy
#     abroad.
#   profiles: [law, audit-ready, ur832]
deny contains f if {
	some r in stores.personal_stores
	some t in flows.backup_targets(r)
	not _local(t)
	problems := _abroad_problems(r, t)
	count(problems) > 0
	f := finding.new(rego.metadata.rule(), r.address, location.site_or_null(r), sprintf(
		"backup copy to %s (%s) %s",
		[t.endpoint, _where(t), concat(" and ", sort(problems))]
	))
}

_where(t) := sprintf("site %s", [sites.site_for_object_storage(t.endpoint)]) if {
	sites.site_for_object_storage(t.endpoint)
} else := "not registered, treated as abroad"

_abroad_problems(r, t) := ({"is not encrypted" | t.encrypted != true} | {"names no transfer agreement" | not _declared(r, "transfer-agreement")}) | {"names no legal basis" | not _declared(r, "legal-basis")}

_declared(r, key) if trim_space(cls.signal_text(r, key)) != ""
