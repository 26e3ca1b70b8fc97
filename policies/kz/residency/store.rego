# METADATA
# title: Where personal-data stores run
# description: >-
#   The primary store of personal data is kept on a Kazakh site, provably: the site is the one
#   whose registered Kubernetes endpoint is the host of the provider configuration the store
#   uses (never a provider alias name or a label), and what cannot be proven local is not local.
package kz.residency.store

import data.kz.lib.finding
import data.kz.lib.plan
import data.kz.lib.residency as res
import data.kz.lib.sites

_class_text(r) := res.data_class(r)

_class_text(r) := "unclassified" if not res.data_class(r)

# METADATA
# title: Primary personal-data store runs on a Kazakh site
# description: >-
#   A store with role primary (or no role) that holds personal, biometric or special data, or is
#   not classified at all, must run on a site with jurisdiction KZ, as proven by the host of its
#   provider configuration. A primary whose site cannot be proven is not local (fail closed).
# custom:
#   id: KZ-RES-001
#   severity: critical
#   basis: law
#   law: Law No. 94-V of 21 May 2013 "On Personal Data and Their Protection", Art. 12 para 2
#   remediation: >-
#     Deploy the primary store with a provider configuration whose host is the Kubernetes
#     endpoint of an Almaty or Astana site in the sites registry; keep copies abroad only as
#     replicas fed through an encrypted tunnel.
#   profiles: [law, audit-ready, ur832]
deny contains f if {
	some r in res.stores
	res.maybe_personal(r)
	res.effective_role(r) == "primary"
	not res.in_kz(r)
	f := finding.new(rego.metadata.rule(), r.address, res.site_or_null(r), _res001_message(r))
}

_res001_message(r) := sprintf(
	"primary store of %s data runs on site %q (%s, %s), outside Kazakhstan",
	[_class_text(r), site, sites.site_by_id[site].city, sites.site_by_id[site].jurisdiction]
) if site := res.site(r)

# Fail closed: a primary whose site cannot be proven is not local, in every profile;
# KZ-RES-002 (practice) names the cause as well.
_res001_message(r) := sprintf(
	"primary store of %s data cannot be proven to run on a Kazakh site, so it is not local: %s",
	[_class_text(r), res.unproven_reason(r)]
) if not res.site(r)

# METADATA
# title: Store endpoint is known at plan time and registered
# description: >-
#   A store that holds or may hold personal data must use a provider configuration whose
#   Kubernetes host is a constant that matches exactly one registered site. A host that is a
#   reference, unknown until apply, unset, or unregistered proves nothing (fail closed).
# custom:
#   id: KZ-RES-002
#   severity: critical
#   basis: practice
#   law: >-
#     Audit guidance for the 2026 inspections (fail closed: location must be provable); supports
#     Law No. 94-V Art. 12 para 2 but is not its text
#   remediation: >-
#     Set the provider's host to a literal endpoint listed under kubernetes.endpoints of a site in
#     the sites registry (or register the endpoint), so the plan proves where the store runs.
#   profiles: [audit-ready, ur832]
deny contains f if {
	some r in res.stores
	res.maybe_personal(r)
	not res.site(r)
	f := finding.new(rego.metadata.rule(), r.address, null, sprintf(
		"cannot prove where this store of %s data runs: %s",
		[_class_text(r), res.unproven_reason(r)]
	))
}

# METADATA
# title: Every stateful store is classified
# description: >-
#   Database charts, StatefulSets with volumes, persistent volume claims and database custom
#   resources carry a residency.kz/data-class (label, namespace label or the Helm values'
#   residency map) with one of personal, biometric, special, case, public.
# custom:
#   id: KZ-RES-003
#   severity: high
#   basis: practice
#   law: >-
#     Audit guidance for the 2026 inspections (inventory of personal-data stores); supports
#     Law No. 94-V Art. 12 para 2 but is not its text
#   remediation: >-
#     Label the store (or its namespace) with residency.kz/data-class and residency.kz/role, or
#     add a top-level residency map {dataClass, role, site} to its Helm values.
#   profiles: [audit-ready, ur832]
deny contains f if {
	some r in res.stores
	not res.classified(r)
	f := finding.new(rego.metadata.rule(), r.address, res.site_or_null(r), _unclassified_message(r))
}

_unclassified_message(r) := sprintf("stateful store (%s) has data class %q, which is not one of personal, biometric, special, case, public", [res.store_kind(r), res.data_class(r)]) if {
	res.data_class(r)
} else := sprintf("stateful store (%s) carries no residency.kz/data-class classification", [res.store_kind(r)])

# METADATA
# title: Store volumes use an encrypted storage class of their Kazakh site
# description: >-
#   Every volume of a personal-data store on a Kazakh site names a storage class registered for
#   that site with encrypted true. A volume without a storage class uses the cluster default,
#   which proves nothing.
# custom:
#   id: KZ-RES-004
#   severity: high
#   basis: practice
#   law: >-
#     Audit guidance for the 2026 inspections (encryption at rest on registered local storage);
#     a way to meet the protection duty of Law No. 94-V Art. 22, which names no technology
#   remediation: >-
#     Set the storage class of every volume (volumeClaimTemplates, PVC spec, CloudNativePG
#     storage and walStorage, chart persistence) to a class listed for the site with
#     encrypted true.
#   profiles: [audit-ready, ur832]
deny contains f if {
	some r in res.personal_stores
	res.in_kz(r)
	problems := _storage_problems(r)
	count(problems) > 0
	f := finding.new(rego.metadata.rule(), r.address, res.site(r), concat("; ", sort(problems)))
}

_storage_problems(r) := {"no storage class is set, so volumes use the cluster default, which is not proven encrypted"} if {
	count(res.storage_classes(r)) == 0
	not res.storage_class_unknown(r)
} else := {"the storage class is known only after apply"} if {
	count(res.storage_classes(r)) == 0
} else := {msg |
	some c in res.storage_classes(r)
	not _encrypted_class(res.site(r), c)
	msg := _class_problem(res.site(r), c)
}

_encrypted_class(site, name) if sites.storage_class(site, name).encrypted == true

_class_problem(site, name) := sprintf("storage class %q is registered for site %q but not marked encrypted", [name, site]) if {
	sites.storage_class(site, name)
} else := sprintf("storage class %q is not registered for site %q", [name, site])

# METADATA
# title: Store pods are pinned to their site's region and zones
# description: >-
#   Pods of a personal-data store on a Kazakh site are pinned with nodeSelector or required
#   node affinity on topology.kubernetes.io/region or zone to the region and zones registered
#   for that site, so no member of the store can be scheduled on a stretched node elsewhere.
# custom:
#   id: KZ-RES-005
#   severity: medium
#   basis: practice
#   law: Audit guidance for the 2026 inspections (no stretched clusters); not the text of a statute
#   remediation: >-
#     Add a nodeSelector (or required node affinity) topology.kubernetes.io/region: <site
#     region> to the store's pods (CloudNativePG: affinity.nodeSelector; StatefulSet: pod
#     template node_selector).
#   profiles: [audit-ready, ur832]
deny contains f if {
	some r in res.personal_stores
	res.in_kz(r)
	res.store_kind(r) != "pvc"
	msg := _pin_problem(r)
	f := finding.new(rego.metadata.rule(), r.address, res.site(r), msg)
}

_pin_problem(r) := sprintf("pods are not pinned to region %q of site %q", [sites.region(res.site(r)), res.site(r)]) if {
	count(res.pins(r)) == 0
} else := sprintf("pods are pinned to %v, outside region %q and zones %v of site %q", [sort(outside), sites.region(res.site(r)), sort(sites.zones(res.site(r))), res.site(r)]) if {
	allowed := {sites.region(res.site(r))} | sites.zones(res.site(r))
	outside := res.pins(r) - allowed
	count(outside) > 0
}

# METADATA
# title: A residency.kz/site label agrees with the proven site
# description: >-
#   A residency.kz/site claim (label, annotation, namespace label or Helm residency map) must
#   name the site proven by the provider host. Labels are claims, not proof; a claim that
#   disagrees with the proof is itself a violation.
# custom:
#   id: KZ-RES-006
#   severity: high
#   basis: practice
#   law: Audit guidance for the 2026 inspections (records must match the deployment); not the text of a statute
#   remediation: >-
#     Correct the residency.kz/site label to the site the provider endpoint belongs to, or deploy
#     the object with the provider configuration of the site it claims.
#   profiles: [audit-ready, ur832]
deny contains f if {
	some r in plan.resources
	res.is_kube(r)
	claim := res.site_claim(r)
	proven := res.site(r)
	claim != proven
	f := finding.new(rego.metadata.rule(), r.address, proven, sprintf(
		"labelled residency.kz/site=%q, but its provider host %q belongs to site %q",
		[claim, r.host.value, proven]
	))
}
