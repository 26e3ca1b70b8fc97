# METADATA
# title: Secrets and encryption in transit
# description: >-
#   Configuration holds references to Secrets, never secrets; connections to and between
#   personal-data stores are encrypted.
package kz.residency.security

import data.kz.lib.finding
import data.kz.lib.plan
import data.kz.lib.residency as res

# METADATA
# title: No plaintext secrets in configuration
# description: >-
#   Helm values and set blocks, ConfigMaps, workload environment values and custom resources
#   hold no passwords, tokens, private keys or tunnel keys in clear text (key names such as
#   password, secret, token, privateKey, presharedKey; PEM private keys; WireGuard PrivateKey
#   lines). Secret objects themselves, references to Secrets and values unknown until apply
#   (generated) are fine.
# custom:
#   id: KZ-SEC-001
#   severity: critical
#   basis: law
#   law: >-
#     Law No. 94-V of 21 May 2013 "On Personal Data and Their Protection", Arts. 22 and 25
#     (measures against unauthorised access; general duty, no technology named)
#   remediation: >-
#     Move the value into a Kubernetes Secret (or an external secret store) and reference it by
#     name (existingSecret, secretKeyRef, a mounted Secret file).
#   profiles: [law, audit-ready, ur832]
deny contains f if {
	some r in plan.resources
	res.may_hold_config(r)
	paths := res.plaintext_secrets(r)
	count(paths) > 0
	f := finding.new(rego.metadata.rule(), r.address, res.site_or_null(r), sprintf("plaintext secret in configuration at %s", [concat(", ", sort(paths))]))
}

# METADATA
# title: Encryption in transit to and between stores
# description: >-
#   Each personal-data store requires TLS for client and replication connections (the
#   residency.kz/tls signal set to required, a CloudNativePG cluster, which serves TLS by default,
#   or tls.enabled true in the chart values); TLS declared disabled or optional is a violation.
# custom:
#   id: KZ-SEC-002
#   severity: high
#   basis: law
#   law: >-
#     Law No. 94-V of 21 May 2013 "On Personal Data and Their Protection", Art. 22 (measures
#     against unauthorised access; encryption in transit is how this blueprint meets it)
#   remediation: Enable TLS on the store (chart tls.enabled, or residency.kz/tls=required) and require it for replication.
#   profiles: [law, audit-ready, ur832]
deny contains f if {
	some r in res.personal_stores
	not res.tls_required(r)
	f := finding.new(rego.metadata.rule(), r.address, res.site_or_null(r), sprintf("store of %s data does not require TLS for connections", [res.data_class(r)]))
}
