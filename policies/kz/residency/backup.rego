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
import data.kz.lib.plan
import data.kz.lib.stores

checked["KZ-BAK-001"] := {r.address | some r in _primaries}

checked["KZ-BAK-002"] := {r.address | some r in flows.personal_stores} | {e.resource | some e in _copies_abroad}

# Primary personal-data stores on a Kazakh Kubernetes site (managed cloud stores keep their
# backups with the provider, in their region).
_primaries contains r if {
	some r in stores.personal_stores
	kube.is_kube(r)
	cls.effective_role(r) == "primary"
	location.in_kz(r)
}

# Backup edges of a store (its backup section, ObjectStores it uses, dumps and volume backups
# that read it).
_backups(r) := {e | some e in flows.outbound(r); e.kind in flows.backup_kinds}

# METADATA
# title: Backups of a primary land in object storage of a Kazakh site
# description: >-
#   Each primary personal-data store on a Kazakh Kubernetes site has at least one backup that
#   lands in a place proven to be in Kazakhstan (registered object storage of a Kazakh site, a
#   store or bucket of the plan on a Kazakh site). Edge kinds judged: backup (the store's backup
#   section, a CloudNativePG Barman Cloud ObjectStore it uses through the plugin or a
#   Backup/ScheduledBackup, an operator's backup resource), dump (a job running pg_dump,
#   mysqldump, mongodump, ... that reads it) and volume backup (Velero file-system backups of its
#   namespace). Backups abroad never replace a local one; an annotation naming a backup target is
#   not a backup. Managed cloud stores, whose provider keeps their backups, are not judged by
#   this rule.
# custom:
#   id: KZ-BAK-001
#   severity: high
#   basis: practice
#   law: >-
#     Audit guidance for the 2026 inspections (local backups of the golden record); not the text
#     of a statute
#   remediation: >-
#     Configure the store's backups (CloudNativePG Barman Cloud plugin ObjectStore or chart
#     backups) with an endpointURL listed under objectStorage of an Almaty or Astana site (an
#     annotation naming a backup target is not a backup).
#   profiles: [audit-ready, ur832]
deny contains f if {
	some r in _primaries
	targets := _backups(r)
	count({e | some e in targets; e.local}) == 0
	f := finding.new(rego.metadata.rule(), r.address, location.site(r), _no_local_message(targets))
}

_no_local_message(targets) := "no backup destination is configured, so there is no backup in object storage of a Kazakh site" if {
	count(targets) == 0
} else := sprintf("backups go only to %v, none of which is proven to be in Kazakhstan", [sort({e.where | some e in targets})])

# Backup edges of personal data (or of stores that may hold it) to places not proven to be in
# Kazakhstan.
_copies_abroad contains e if {
	some e in flows.edges
	e.kind in flows.backup_kinds
	e.personal
	not e.local
}

# METADATA
# title: A backup copy abroad is encrypted and covered by a transfer agreement
# description: >-
#   A backup, dump or volume backup of personal data whose destination is not proven to be in
#   Kazakhstan (unregistered endpoints count as abroad) is a cross-border copy: it must be
#   encrypted (barman data/wal encryption, server-side encryption or a KMS key on the storage
#   location, gpg/age/openssl/restic before upload) and the store (or the resource that makes
#   the copy) must name its transfer agreement and legal basis. Edge kinds judged: backup, dump,
#   volume backup.
# custom:
#   id: KZ-BAK-002
#   severity: high
#   basis: law
#   law: Law No. 94-V of 21 May 2013 "On Personal Data and Their Protection", Art. 16 (cross-border transfer)
#   remediation: >-
#     Encrypt the remote copy (barman data/wal encryption, a KMS key on the storage location, or
#     encrypt the dump before upload) and declare residency.kz/transfer-agreement and
#     residency.kz/legal-basis on the store, or drop the copy abroad.
#   profiles: [law, audit-ready, ur832]
deny contains f if {
	some e in _copies_abroad
	problems := _abroad_problems(e)
	count(problems) > 0
	f := finding.new(rego.metadata.rule(), e.resource, location.site_or_null(plan.by_address[e.resource]), sprintf(
		"%s copy of %s to %s %s",
		[e.kind, e.source, e.where, concat(" and ", sort(problems))]
	))
}

_abroad_problems(e) := ({"is not encrypted" | e.encrypted != true} | {"names no transfer agreement" | not _declared(e, "transfer-agreement")}) | {"names no legal basis" | not _declared(e, "legal-basis")}

# Declared on the resource that makes the copy or on a store it copies.
_declared(e, key) if trim_space(cls.signal_text(plan.by_address[e.resource], key)) != ""

_declared(e, key) if {
	some a in e.source_stores
	trim_space(cls.signal_text(plan.by_address[a], key)) != ""
}
