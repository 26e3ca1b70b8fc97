# METADATA
# title: Secrets and encryption in transit
# description: >-
#   Configuration holds references to Secrets, never secrets; connections to and between
#   personal-data stores are encrypted.
package kz.residency.security

import data.kz.lib.classification as cls
import data.kz.lib.finding
import data.kz.lib.location
import data.kz.lib.plan
import data.kz.lib.secrets
import data.kz.lib.settings
import data.kz.lib.stores

checked["KZ-SEC-001"] := {r.address | some r in _config_holders}

checked["KZ-SEC-002"] := {r.address | some r in stores.personal_stores}

_config_holders contains r if {
	some r in plan.resources
	secrets.may_hold_config(r)
}

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
	some r in _config_holders
	paths := secrets.plaintext_secrets(r)
	count(paths) > 0
	f := finding.new(rego.metadata.rule(), r.address, location.site_or_null(r), sprintf("plaintext secret in configuration at %s", [concat(", ", sort(paths))]))
}

# METADATA
# title: Encryption in transit to and between stores
# description: >-
#   Each personal-data store requires TLS for client and replication connections, by its
#   configuration: operators that serve TLS by default (CloudNativePG, Crunchy PGO, Percona, ECK)
#   unless turned off, tls.enabled true in chart values or a custom resource, or a managed
#   service's TLS setting (Cloud SQL ssl_mode, ElastiCache transit encryption, OpenSearch
#   enforce_https, Azure storage HTTPS-only, services reached only over TLS such as MongoDB Atlas
#   and Cosmos DB). A label saying TLS is required is a claim, not the mechanism.
# custom:
#   id: KZ-SEC-002
#   severity: high
#   basis: law
#   law: >-
#     Law No. 94-V of 21 May 2013 "On Personal Data and Their Protection", Art. 22 (measures
#     against unauthorised access; encryption in transit is how this blueprint meets it)
#   remediation: Enable TLS on the store (chart or custom resource tls.enabled, a managed service's TLS-only setting) and require it for replication.
#   profiles: [law, audit-ready, ur832]
deny contains f if {
	some r in stores.personal_stores
	not settings.tls_required(r)
	f := finding.new(rego.metadata.rule(), r.address, location.site_or_null(r), sprintf("store of %s data does not require TLS for connections", [cls.class_text(r)]))
}
