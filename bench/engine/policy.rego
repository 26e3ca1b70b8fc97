# A representative residency check for the benchmark (not the shipped rule pack):
# every store-like resource must run on a registered site, personal data must stay on a KZ
# site, and the residency.kz/* labels must be present and name the site the provider points at.
package bench.residency

import rego.v1

store_types := {"kubernetes_stateful_set_v1", "helm_release", "kubernetes_namespace_v1", "kubernetes_deployment_v1"}

required_labels := ["residency.kz/data-class", "residency.kz/role", "residency.kz/site"]

config_key[r.address] := r.provider_config_key if {
	some r in input.configuration.root_module.resources
}

site_by_endpoint[s.endpoint] := s if {
	some s in data.registry.sites
}

provider_host(key) := h if {
	h := input.configuration.provider_config[key].expressions.host.constant_value
} else := h if {
	h := input.configuration.provider_config[key].expressions.kubernetes[0].host.constant_value
}

stores contains {"address": rc.address, "labels": labels, "host": host} if {
	some rc in input.resource_changes
	store_types[rc.type]
	labels := object.get(rc.change.after, ["metadata", 0, "labels"], {})
	host := provider_host(config_key[rc.address])
}

findings contains {"rule": "unregistered-endpoint", "resource": s.address, "detail": s.host} if {
	some s in stores
	not site_by_endpoint[s.host]
}

findings contains {"rule": "personal-data-abroad", "resource": s.address, "detail": site.id} if {
	some s in stores
	s.labels["residency.kz/data-class"] == "personal"
	site := site_by_endpoint[s.host]
	site.country != "KZ"
}

findings contains {"rule": "missing-label", "resource": s.address, "detail": label} if {
	some s in stores
	some label in required_labels
	not s.labels[label]
}

findings contains {"rule": "site-label-mismatch", "resource": s.address, "detail": sprintf("%s != %s", [s.labels["residency.kz/site"], site.id])} if {
	some s in stores
	site := site_by_endpoint[s.host]
	s.labels["residency.kz/site"] != site.id
}
