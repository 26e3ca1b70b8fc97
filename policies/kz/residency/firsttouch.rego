# METADATA
# title: First touch
# description: >-
#   Personal data is received first on a Kazakh site: ingresses and load balancers for capture
#   hosts run on a Kazakh site, and no load balancer, proxy or CDN of another provider stands
#   in front of them.
package kz.residency.firsttouch

import data.kz.lib.finding
import data.kz.lib.ingress
import data.kz.lib.location

checked["KZ-FT-001"] := {e.resource.address | some e in ingress.kube_entries} | {fr.resource.address | some fr in ingress.fronts}

# METADATA
# title: Capture hosts are received first on a Kazakh site
# description: >-
#   Every ingress, Gateway API route or LoadBalancer service that serves a capture host (the
#   sites registry's captureHosts) runs on a Kazakh site proven by its provider host, and no
#   load balancer, proxy or CDN of another provider (AWS ELB/ALB/CloudFront/Route 53 alias,
#   Google Cloud load balancing, Azure Front Door/Application Gateway/Load Balancer, Cloudflare
#   proxied records) in the same plan fronts a capture host.
# custom:
#   id: KZ-FT-001
#   severity: high
#   basis: practice
#   law: >-
#     Audit guidance for the 2026 inspections ("first touch"); not the text of a statute
#     (Law No. 94-V Art. 12 para 2 speaks of the database, not of traffic)
#   remediation: >-
#     Terminate capture hosts on an ingress in the Almaty or Astana cluster (FirstTouchIngress);
#     point DNS straight at it, without a foreign load balancer, proxy or CDN.
#   profiles: [audit-ready, ur832]
deny contains f if {
	some v in _violations
	f := finding.new(rego.metadata.rule(), v.resource, v.site, v.message)
}

_violations contains v if {
	some e in ingress.kube_entries
	not location.in_kz(e.resource)
	v := {"resource": e.resource.address, "site": location.site_or_null(e.resource), "message": sprintf(
		"capture host %q is received on %s, not on a Kazakh site",
		[e.host, _where(e.resource)]
	)}
}

_violations contains v if {
	some e in ingress.fronts
	v := {"resource": e.resource.address, "site": null, "message": sprintf(
		"capture host %q is fronted by %s, so personal data is touched first outside Kazakhstan",
		[e.host, e.what]
	)}
}

_where(r) := sprintf("site %q", [location.site(r)]) if {
	location.site(r)
} else := sprintf("an unproven site (%s)", [location.unproven_reason(r)])
