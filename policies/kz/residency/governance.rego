# METADATA
# title: Governance declarations
# description: >-
#   Each personal-data store says why it holds data, which categories and where consent is
#   evidenced; the deployment names its responsible person (DPO).
package kz.residency.governance

import data.kz.lib.classification as cls
import data.kz.lib.finding
import data.kz.lib.location
import data.kz.lib.stores

checked["KZ-GOV-001"] := {r.address | some r in _primaries}

checked["KZ-GOV-002"] := {r.address | some r in _primaries}

_primaries contains r if {
	some r in stores.personal_stores
	cls.effective_role(r) == "primary"
}

_declared(r, key) if trim_space(cls.signal_text(r, key)) != ""

# METADATA
# title: Each personal-data store declares purpose, data categories and consent source
# description: >-
#   A primary personal-data store declares residency.kz/purpose, residency.kz/data-categories and
#   residency.kz/consent-source (where consent is evidenced, e.g. egov or eotinish).
# custom:
#   id: KZ-GOV-001
#   severity: medium
#   basis: law
#   law: >-
#     Law No. 94-V of 21 May 2013 "On Personal Data and Their Protection", consent provisions
#     (Art. 7 or 8; article not verified) and Art. 16 (consent must say whether data goes abroad)
#   remediation: >-
#     Set purpose, dataCategories and consentSource on the PrimaryDataStore (labels
#     residency.kz/purpose, residency.kz/data-categories, residency.kz/consent-source).
#   profiles: [law, audit-ready, ur832]
deny contains f if {
	some r in _primaries
	missing := {k | some k in ["purpose", "data-categories", "consent-source"]; not _declared(r, k)}
	count(missing) > 0
	f := finding.new(rego.metadata.rule(), r.address, location.site_or_null(r), sprintf(
		"store of %s data does not declare %s",
		[cls.class_text(r), concat(", ", [sprintf("residency.kz/%s", [m]) | some m in sort(missing)])]
	))
}

_dpo_declared if {
	some r in cls.declaring("dpo-contact")
	_declared(r, "dpo-contact")
}

# METADATA
# title: A data protection officer contact is declared for the deployment
# description: >-
#   Some object of the deployment declares residency.kz/dpo-contact (the person responsible for
#   organising the processing of personal data). When missing it is reported on each primary
#   personal-data store; it is one decision for the deployment (decision: deployment), which
#   kz-residency reports once.
# custom:
#   id: KZ-GOV-002
#   decision: deployment
#   severity: medium
#   basis: law
#   law: Law No. 94-V of 21 May 2013 "On Personal Data and Their Protection", Art. 25 para 3
#   remediation: Set dpoContact on the deployment (label or annotation residency.kz/dpo-contact on a ConfigMap or the namespace).
#   profiles: [law, audit-ready, ur832]
deny contains f if {
	some r in _primaries
	not _dpo_declared
	f := finding.new(rego.metadata.rule(), r.address, location.site_or_null(r), "no data protection officer contact (residency.kz/dpo-contact) is declared in the deployment")
}
