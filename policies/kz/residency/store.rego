# METADATA
# title: Where personal-data stores run
# description: >-
#   The primary store of personal data is kept on a Kazakh site, provably: a Kubernetes store's
#   site is the one whose registered endpoint is its provider's host (never a provider alias
#   name or a label); a managed cloud store's location is its region, mapped to a country by the
#   region table. What cannot be proven local is not local.
package kz.residency.store

import data.kz.lib.classification as cls
import data.kz.lib.finding
import data.kz.lib.kube
import data.kz.lib.location
import data.kz.lib.settings
import data.kz.lib.sites
import data.kz.lib.stores

# What each rule of this area evaluated (its scope), by rule id.
checked["KZ-RES-001"] := {r.address | some r in stores.stores}

checked["KZ-RES-002"] := {r.address | some r in stores.stores}

checked["KZ-RES-003"] := {r.address | some r in stores.stores}

checked["KZ-RES-004"] := {r.address | some r in _local_personal_kube_stores}

checked["KZ-RES-005"] := {r.address | some r in _pinnable}

checked["KZ-RES-006"] := {r.address | some r in _site_claimants}

# METADATA
# title: Primary personal-data store runs on a Kazakh site
# description: >-
#   A store with role primary (no role, or a role outside the vocabulary, counts as primary) that
#   holds personal, biometric or special data, or is not classified at all, runs in Kazakhstan:
#   a Kubernetes store (database charts, charts with a bundled database, workloads with volumes,
#   claims, operators' database resources, in any resource form) on a site with jurisdiction KZ
#   as proven by its provider's host; a managed cloud store (AWS, Google Cloud, Azure, Yandex
#   Cloud, MongoDB Atlas, ...) in regions that the region table or a registry cloud site places in
#   Kazakhstan. A primary whose location cannot be proven is not local (fail closed).
# custom:
#   id: KZ-RES-001
#   severity: critical
#   basis: law
#   law: Law No. 94-V of 21 May 2013 "On Personal Data and Their Protection", Art. 12 para 2
#   remediation: >-
#     Deploy the primary store with a provider configuration whose host is the Kubernetes
#     endpoint of an Almaty or Astana site in the sites registry, or in a cloud region in
#     Kazakhstan (Yandex Cloud kz1); keep copies abroad only as replicas fed through an encrypted
#     tunnel.
#   profiles: [law, audit-ready, ur832]
deny contains f if {
	some r in stores.stores
	cls.maybe_personal(r)
	cls.effective_role(r) == "primary"
	not location.in_kz(r)
	f := finding.new(rego.metadata.rule(), r.address, location.site_or_null(r), _res001_message(r))
}

_res001_message(r) := sprintf(
	"primary store (%s) of %s data runs on %s, outside Kazakhstan",
	[stores.engine(r), cls.class_text(r), location.where(r)]
) if {
	location.abroad(r)
} else := sprintf(
	"primary store (%s) of %s data cannot be proven to run in Kazakhstan, so it is not local: %s",
	[stores.engine(r), cls.class_text(r), location.unproven_reason(r)]
)

# METADATA
# title: Store location is known at plan time and registered
# description: >-
#   A store that holds or may hold personal data has a location the plan proves: a Kubernetes
#   host that is a constant (or a variable whose value the plan records, or a kubeconfig context
#   resolved with --kubeconfig) matching exactly one registered site, or cloud regions the
#   region table (or a registry cloud site) knows. A host from a data source, remote state or
#   another resource, an unset host, an unregistered host or an unknown region proves nothing.
# custom:
#   id: KZ-RES-002
#   severity: critical
#   basis: practice
#   law: >-
#     Audit guidance for the 2026 inspections (fail closed: location must be provable); supports
#     Law No. 94-V Art. 12 para 2 but is not its text
#   remediation: >-
#     Set the provider's host to a literal endpoint (or a plan variable) listed under
#     kubernetes.endpoints of a site in the sites registry, or register the endpoint; for cloud
#     stores set the region on the resource or its provider configuration.
#   profiles: [audit-ready, ur832]
deny contains f if {
	some r in stores.stores
	cls.maybe_personal(r)
	not location.proven(r)
	f := finding.new(rego.metadata.rule(), r.address, null, sprintf(
		"cannot prove where this store (%s) of %s data runs: %s",
		[stores.engine(r), cls.class_text(r), location.unproven_reason(r)]
	))
}

# METADATA
# title: Every store is classified
# description: >-
#   Every store of the inventory (database charts and charts with bundled databases, StatefulSets
#   and workloads with volumes, claims, operators' database resources, managed cloud stores)
#   carries a residency data class (label, namespace label, Helm residency map, cloud tag or label
#   in either spelling) with one of personal, biometric, special, case, public. A value outside
#   the vocabulary, look-alike letters included, is no class.
# custom:
#   id: KZ-RES-003
#   severity: high
#   basis: practice
#   law: >-
#     Audit guidance for the 2026 inspections (inventory of personal-data stores); supports
#     Law No. 94-V Art. 12 para 2 but is not its text
#   remediation: >-
#     Label the store (or its namespace) with residency.kz/data-class and residency.kz/role, add a
#     top-level residency map {dataClass, role, site} to its Helm values, or tag a cloud store
#     residency-kz-data-class and residency-kz-role.
#   profiles: [audit-ready, ur832]
deny contains f if {
	some r in stores.stores
	not cls.classified(r)
	f := finding.new(rego.metadata.rule(), r.address, location.site_or_null(r), _unclassified_message(r))
}

_unclassified_message(r) := sprintf("store (%s, %s) has data class %v, which is not one of personal, biometric, special, case, public", [stores.store_kind(r), stores.engine(r), sort(cls.invalid_classes(r))]) if {
	count(cls.invalid_classes(r)) > 0
} else := sprintf("store (%s, %s) carries no residency data class", [stores.store_kind(r), stores.engine(r)])

_local_personal_kube_stores contains r if {
	some r in stores.personal_stores
	kube.is_kube(r)
	location.in_kz(r)
}

# METADATA
# title: Store volumes use an encrypted storage class of their Kazakh site
# description: >-
#   Every volume of a personal-data store on a Kazakh Kubernetes site names a storage class
#   registered for that site with encrypted true: volume claim templates, claims a workload
#   mounts, chart persistence, operator storage sections. A volume without a storage class uses
#   the cluster default, and a hostPath volume the node's own disk, which prove nothing. (Managed
#   cloud stores encrypt with the provider's own mechanism, which this rule does not judge.)
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
#     encrypted true; keep data off hostPath volumes.
#   profiles: [audit-ready, ur832]
deny contains f if {
	some r in _local_personal_kube_stores
	problems := _storage_problems(r)
	count(problems) > 0
	f := finding.new(rego.metadata.rule(), r.address, location.site(r), concat("; ", sort(problems)))
}

_storage_problems(r) := settings.storage_gaps(r) | _class_problems(r)

_class_problems(r) := {"no storage class is set, so volumes use the cluster default, which is not proven encrypted"} if {
	count(settings.storage_classes(r)) == 0
	count(settings.storage_gaps(r)) == 0
	not settings.storage_class_unknown(r)
} else := {"the storage class is known only after apply"} if {
	count(settings.storage_classes(r)) == 0
	settings.storage_class_unknown(r)
} else := {msg |
	some c in settings.storage_classes(r)
	not _encrypted_class(location.site(r), c)
	msg := _class_problem(location.site(r), c)
}

_encrypted_class(site, name) if sites.storage_class(site, name).encrypted == true

_class_problem(site, name) := sprintf("storage class %q is registered for site %q but not marked encrypted", [name, site]) if {
	sites.storage_class(site, name)
} else := sprintf("storage class %q is not registered for site %q", [name, site])

_pinnable contains r if {
	some r in _local_personal_kube_stores
	stores.store_kind(r) != "pvc"
}

# METADATA
# title: Store pods are pinned to their site's region and zones
# description: >-
#   Pods of a personal-data store on a Kazakh Kubernetes site are pinned with nodeSelector or
#   required node affinity on topology.kubernetes.io/region or zone to the region and zones
#   registered for that site, so no member of the store can be scheduled on a stretched node
#   elsewhere.
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
	some r in _pinnable
	msg := _pin_problem(r)
	f := finding.new(rego.metadata.rule(), r.address, location.site(r), msg)
}

_pin_problem(r) := sprintf("pods are not pinned to region %q of site %q", [sites.region(location.site(r)), location.site(r)]) if {
	count(settings.pins(r)) == 0
} else := sprintf("pods are pinned to %v, outside region %q and zones %v of site %q", [sort(outside), sites.region(location.site(r)), sort(sites.zones(location.site(r))), location.site(r)]) if {
	allowed := {sites.region(location.site(r))} | sites.zones(location.site(r))
	outside := settings.pins(r) - allowed
	count(outside) > 0
}

# Kubernetes objects and stores that claim a site.
_site_claimants contains r if {
	some r in cls.declaring("site")
	_judged_for_site(r)
	count(cls.site_claims(r)) > 0
}

_judged_for_site(r) if kube.is_kube(r)

_judged_for_site(r) if r in stores.cloud_stores

# METADATA
# title: A residency site claim agrees with the proven location
# description: >-
#   A residency.kz/site claim (label, annotation, namespace label, Helm residency map, cloud tag
#   in either spelling) names the site proven for the resource: the site of its provider's host,
#   or for a cloud store a site whose jurisdiction is where its regions are. Labels are claims,
#   not proof; a claim that disagrees with the proof is itself a violation.
# custom:
#   id: KZ-RES-006
#   severity: high
#   basis: practice
#   law: Audit guidance for the 2026 inspections (records must match the deployment); not the text of a statute
#   remediation: >-
#     Correct the residency.kz/site label to the site the provider endpoint (or cloud region)
#     belongs to, or deploy the object with the provider configuration of the site it claims.
#   profiles: [audit-ready, ur832]
deny contains f if {
	some r in _site_claimants
	wrong := {c | some c in cls.site_claims(r); _disagrees(r, c)}
	count(wrong) > 0
	f := finding.new(rego.metadata.rule(), r.address, location.site_or_null(r), sprintf(
		"claims residency.kz/site %v, but it is proven to run on %s",
		[sort(wrong), location.where(r)]
	))
}

_disagrees(r, claim) if {
	proven := location.site(r)
	claim != proven
}

# Without one proven site (a cloud region no registry site holds, or regions of several
# countries), a claim disagrees unless it names a site of the only country the resource is in.
_disagrees(r, claim) if {
	not location.site(r)
	count(location.jurisdictions(r)) > 0
	not _claim_country_is_all(r, claim)
}

_claim_country_is_all(r, claim) if location.jurisdictions(r) == {sites.jurisdiction(claim)}
