# METADATA
# title: Entry points for capture hosts
# description: >-
#   Where a plan receives traffic for a capture host (a public host name that receives personal
#   data, from the sites registry): Kubernetes ingresses and LoadBalancer services, and load
#   balancers, proxies and CDNs of other providers (AWS, Google, Azure, Cloudflare) in front of it.
package kz.lib.ingress

import data.kz.lib.helm
import data.kz.lib.kube
import data.kz.lib.plan
import data.kz.lib.sites

_norm(h) := lower(trim_suffix(trim_space(h), "."))

# Whether a name written in a resource (FQDN, wildcard, or a record name relative to its zone)
# covers capture host h.
covers(name, h) if _norm(name) == h

covers(name, h) if {
	startswith(name, "*.")
	endswith(h, substring(_norm(name), 1, -1))
}

_relative_covers(name, h) if covers(name, h)

_relative_covers(name, h) if {
	n := _norm(name)
	n != ""
	n != "@"
	not contains(n, ".")
	startswith(h, concat("", [n, "."]))
}

_strings(x) := {s | walk(x, [_, s]); is_string(s)}

# ---------------------------------------------------------------------------------------
# Kubernetes entry points: {resource, host}
# ---------------------------------------------------------------------------------------

_ingress_hosts(r) := {x.host | some rule in r.values.spec[0].rule; x := rule; is_string(x.host)} | {h | some t in object.get(r.values.spec[0], "tls", []); some h in object.get(t, "hosts", [])} if {
	r.type in {"kubernetes_ingress", "kubernetes_ingress_v1"}
}

_ingress_hosts(r) := {x.host | some x in object.get(kube.manifest(r), ["spec", "rules"], []); is_string(x.host)} if {
	r.type in kube.manifest_types
	kube.kind(r) == "Ingress"
}

_ingress_hosts(r) := {h | some h in object.get(kube.manifest(r), ["spec", "hostnames"], []); is_string(h)} if {
	r.type in kube.manifest_types
	kube.kind(r) in {"HTTPRoute", "GRPCRoute", "TLSRoute"}
}

# Helm charts: host names under any `ingress` section of the values.
_ingress_hosts(r) := {h |
	walk(helm.values(r), [path, v])
	is_string(v)
	count(path) > 0
	some p in path
	is_string(p)
	contains(lower(p), "ingress")
	some k in path
	k in {"host", "hostname", "hosts"}
	h := v
} if r.type == "helm_release"

_external_dns := "external-dns.alpha.kubernetes.io/hostname"

_lb_service(r) if {
	r.type in {"kubernetes_service", "kubernetes_service_v1"}
	r.values.spec[0].type == "LoadBalancer"
}

_lb_service(r) if {
	r.type in kube.manifest_types
	kube.kind(r) == "Service"
	object.get(kube.manifest(r), ["spec", "type"], "") == "LoadBalancer"
}

_ingress_hosts(r) := {trim_space(h) | some h in split(kube.annotations(r)[_external_dns], ",")} if _lb_service(r)

kube_entries contains {"resource": r, "host": h} if {
	some r in plan.resources
	some name in _ingress_hosts(r)
	is_string(name)
	some h in sites.capture_hosts
	covers(name, h)
}

# ---------------------------------------------------------------------------------------
# Fronts of other providers: {resource, host, what}
# ---------------------------------------------------------------------------------------

_aws_front_targets := [".elb.amazonaws.com", ".cloudfront.net", ".awsglobalaccelerator.com", ".execute-api."]

fronts contains {"resource": r, "host": h, "what": "a Route 53 alias record (AWS load balancer or CloudFront)"} if {
	some r in plan.resources
	r.type == "aws_route53_record"
	some h in sites.capture_hosts
	_relative_covers(r.values.name, h)
	_route53_alias(r)
}

_route53_alias(r) if count(object.get(r.values, "alias", [])) > 0

_route53_alias(r) if plan.is_unknown(r, ["alias"])

_route53_alias(r) if {
	some rec in object.get(r.values, "records", [])
	some t in _aws_front_targets
	contains(lower(rec), t)
}

fronts contains {"resource": r, "host": h, "what": "a CloudFront distribution (AWS CDN)"} if {
	some r in plan.resources
	r.type == "aws_cloudfront_distribution"
	some a in object.get(r.values, "aliases", [])
	some h in sites.capture_hosts
	covers(a, h)
}

fronts contains {"resource": r, "host": h, "what": "an AWS load balancer listener rule"} if {
	some r in plan.resources
	r.type in {"aws_lb_listener_rule", "aws_alb_listener_rule"}
	some c in object.get(r.values, "condition", [])
	some hh in object.get(c, "host_header", [])
	some v in object.get(hh, "values", [])
	some h in sites.capture_hosts
	covers(v, h)
}

fronts contains {"resource": r, "host": h, "what": sprintf("an AWS endpoint (%s) that terminates TLS for it", [r.type])} if {
	some r in plan.resources
	r.type in {"aws_acm_certificate", "aws_api_gateway_domain_name", "aws_apigatewayv2_domain_name", "aws_globalaccelerator_custom_routing_accelerator"}
	some name in {object.get(r.values, "domain_name", "")} | {x | some x in object.get(r.values, "subject_alternative_names", [])}
	some h in sites.capture_hosts
	covers(name, h)
}

fronts contains {"resource": r, "host": h, "what": "a Google Cloud load balancer URL map"} if {
	some r in plan.resources
	r.type in {"google_compute_url_map", "google_compute_region_url_map"}
	some hr in object.get(r.values, "host_rule", [])
	some name in object.get(hr, "hosts", [])
	some h in sites.capture_hosts
	covers(name, h)
}

fronts contains {"resource": r, "host": h, "what": "a Google-managed certificate for a Google load balancer"} if {
	some r in plan.resources
	r.type == "google_compute_managed_ssl_certificate"
	some m in object.get(r.values, "managed", [])
	some name in object.get(m, "domains", [])
	some h in sites.capture_hosts
	covers(name, h)
}

_google_lb_types := {"google_compute_global_forwarding_rule", "google_compute_forwarding_rule", "google_compute_backend_service", "google_compute_target_https_proxy", "google_compute_target_http_proxy"}

fronts contains {"resource": r, "host": h, "what": "a Google Cloud DNS record in a plan that creates a Google load balancer"} if {
	some r in plan.resources
	r.type == "google_dns_record_set"
	some h in sites.capture_hosts
	covers(r.values.name, h)
	some lb in plan.resources
	lb.type in _google_lb_types
}

fronts contains {"resource": r, "host": h, "what": "an Azure Front Door"} if {
	some r in plan.resources
	r.type == "azurerm_frontdoor"
	some fe in object.get(r.values, "frontend_endpoint", [])
	some h in sites.capture_hosts
	covers(fe.host_name, h)
}

fronts contains {"resource": r, "host": h, "what": sprintf("an Azure CDN/Front Door custom domain (%s)", [r.type])} if {
	some r in plan.resources
	r.type in {"azurerm_cdn_frontdoor_custom_domain", "azurerm_cdn_endpoint_custom_domain", "azurerm_frontdoor_custom_https_configuration"}
	some h in sites.capture_hosts
	covers(object.get(r.values, "host_name", ""), h)
}

fronts contains {"resource": r, "host": h, "what": "an Azure Application Gateway listener"} if {
	some r in plan.resources
	r.type == "azurerm_application_gateway"
	some l in object.get(r.values, "http_listener", [])
	some name in {object.get(l, "host_name", "")} | {x | some x in object.get(l, "host_names", [])}
	some h in sites.capture_hosts
	covers(name, h)
}

_azure_lb_types := {"azurerm_lb", "azurerm_application_gateway", "azurerm_frontdoor", "azurerm_cdn_frontdoor_profile", "azurerm_cdn_frontdoor_endpoint", "azurerm_public_ip", "azurerm_traffic_manager_profile"}

fronts contains {"resource": r, "host": h, "what": "an Azure DNS alias record pointing at an Azure resource (load balancer, gateway or Front Door)"} if {
	some r in plan.resources
	r.type in {"azurerm_dns_a_record", "azurerm_dns_aaaa_record", "azurerm_dns_cname_record"}
	fqdn := concat(".", [r.values.name, object.get(r.values, "zone_name", "")])
	some h in sites.capture_hosts
	covers(fqdn, h)
	_azure_alias(r)
}

_azure_alias(r) if object.get(r.values, "target_resource_id", "") != ""

_azure_alias(r) if plan.is_unknown(r, ["target_resource_id"])

fronts contains {"resource": r, "host": h, "what": "a Cloudflare proxied DNS record (Cloudflare terminates the traffic)"} if {
	some r in plan.resources
	r.type in {"cloudflare_record", "cloudflare_dns_record"}
	r.values.proxied == true
	some h in sites.capture_hosts
	_relative_covers(r.values.name, h)
}

fronts contains {"resource": r, "host": h, "what": sprintf("a load balancer/CDN resource (%s) configured for it", [r.type])} if {
	some r in plan.resources
	r.type in {"aws_lb", "aws_alb", "aws_elb", "google_compute_global_forwarding_rule", "google_compute_backend_service", "azurerm_lb", "azurerm_cdn_frontdoor_route", "cloudflare_load_balancer", "cloudflare_workers_route", "fastly_service_vcl", "akamai_property"}
	some s in _strings(r.values)
	some h in sites.capture_hosts
	covers(s, h)
}
