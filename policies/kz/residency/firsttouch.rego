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
#   Every entry point that serves a capture host (the sites registry's captureHosts) runs on a
#   Kazakh site proven by its provider host, and nothing of another provider fronts a capture
#   host. First-touch forms judged: Ingress objects and ingress sections of Helm values, Gateway
#   API routes and listeners, Istio Gateways and the VirtualServices bound to them, LoadBalancer
#   Services with external-dns names; provider resources configured for the host (AWS
#   ELB/ALB/NLB listener rules, CloudFront, Global Accelerator, API Gateway, Route 53 aliases,
#   Google Cloud URL maps and managed certificates, Azure Front Door, Application Gateway, CDN
#   and DNS alias records, Cloudflare proxied records, load balancers and Workers, Fastly,
#   Akamai and other CDNs); DNS records of any provider that point the host at a load
#   balancer, CDN, tunnel or edge host name of the provider table (lib/hostnames.rego: AWS
#   ELB/NLB/ALB names in every region form, Google and Azure load-balancer names, CDN names);
#   and Cloudflare Tunnels (a cloudflared connector or job, a tunnel configuration or route, a
#   CNAME to cfargotunnel.com), where TLS ends at Cloudflare's edge.
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

# One finding per resource and capture host, naming every way it fronts the host (a proxied
# record to a cfargotunnel.com name is both a proxied record and a tunnel route).
_fronted := {[e.resource.address, e.host] | some e in ingress.fronts}

_violations contains v if {
	some [address, host] in _fronted
	whats := sort({e.what | some e in ingress.fronts; e.resource.address == address; e.host == host})
	v := {"resource": address, "site": null, "message": sprintf(
		"capture host %q is fronted by %s, so personal data is touched first outside Kazakhstan",
		[host, concat("; and by ", whats)]
	)}
}

_where(r) := sprintf("site %q", [location.site(r)]) if {
	location.site(r)
} else := sprintf("an unproven site (%s)", [location.unproven_reason(r)])
