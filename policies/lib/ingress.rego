# METADATA
# title: Entry points for capture hosts
# description: >-
#   Where a plan receives traffic for a capture host (a public host name that receives personal
#   data, from the sites registry): Kubernetes ingresses and LoadBalancer services, and load
#   balancers, proxies and CDNs of other providers (AWS, Google, Azure, Cloudflare) in front of it.
package kz.lib.ingress

import data.kz.lib.helm
import data.kz.lib.hostnames
import data.kz.lib.kube
import data.kz.lib.network
import data.kz.lib.plan
import data.kz.lib.sites
import data.kz.lib.tunnels

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

_external_dns := "external-dns.alpha.kubernetes.io/hostname"

_lb_service(r) if {
	kube.kind(r) == "Service"
	kube.service_type(r) == "LoadBalancer"
}

# Names an object receives traffic for: ingress rules, Gateway API routes and listeners, Istio
# Gateways and VirtualServices bound to a gateway, ingress sections of Helm values
# (lib/network.rego), and a load-balancer Service's external-dns names.
_entry_names(r) := network.ingress_hosts(r) | _lb_names(r)

_lb_names(r) := {trim_space(h) | some h in split(kube.annotations(r)[_external_dns], ",")} if {
	_lb_service(r)
} else := set()

kube_entries contains {"resource": r, "host": h} if {
	some r in plan.resources
	kube.is_kube(r)
	some name in _entry_names(r)
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

# target_resource_id is null (not "") in a plan when the record is not an alias.
_azure_alias(r) if {
	id := object.get(r.values, "target_resource_id", null)
	is_string(id)
	id != ""
}

_azure_alias(r) if plan.is_unknown(r, ["target_resource_id"])

fronts contains {"resource": r, "host": h, "what": "a Cloudflare proxied DNS record (Cloudflare terminates the traffic)"} if {
	some r in plan.resources
	r.type in {"cloudflare_record", "cloudflare_dns_record"}
	r.values.proxied == true
	some h in sites.capture_hosts
	_relative_covers(r.values.name, h)
}

# Load balancers, CDNs and edge services of other providers configured with the capture host.
_front_types := {
	"aws_lb", "aws_alb", "aws_elb", "aws_apprunner_custom_domain_association", "aws_lightsail_distribution",
	"google_compute_global_forwarding_rule", "google_compute_backend_service", "google_compute_backend_bucket", "google_cloud_run_domain_mapping", "google_firebase_hosting_custom_domain", "google_app_engine_domain_mapping",
	"azurerm_lb", "azurerm_cdn_frontdoor_route", "azurerm_cdn_endpoint", "azurerm_app_service_custom_hostname_binding", "azurerm_static_web_app_custom_domain",
	"cloudflare_load_balancer", "cloudflare_workers_route", "cloudflare_workers_custom_domain", "cloudflare_workers_domain", "cloudflare_pages_domain", "cloudflare_spectrum_application",
	"fastly_service_vcl", "fastly_service_compute", "akamai_property", "akamai_edge_hostname",
	"yandex_cdn_resource", "gcore_cdn_resource", "bunnynet_pullzone_hostname", "alicloud_cdn_domain_new", "alicloud_dcdn_domain", "tencentcloud_cdn_domain", "digitalocean_cdn", "digitalocean_loadbalancer", "netlify_site", "vercel_project_domain", "heroku_domain",
}

fronts contains {"resource": r, "host": h, "what": sprintf("a load balancer, CDN or edge service (%s) configured for it", [r.type])} if {
	some r in plan.resources
	r.type in _front_types
	some s in _strings(r.values)
	some h in sites.capture_hosts
	covers(s, h)
}

# ---------------------------------------------------------------------------------------
# DNS records of any provider that point a capture host at a provider's load balancer, CDN,
# tunnel or edge host (the table in lib/hostnames.rego)
# ---------------------------------------------------------------------------------------

_dns_record(r) if regex.match(`(^|_)(dns|record|recordset|domain_record|zone_record)(_|$)`, r.type)

_dns_record(r) if {
	kube.api_group(r) == "externaldns.k8s.io"
	kube.kind(r) == "DNSEndpoint"
}

# Fully qualified names a DNS record resource writes: name, fqdn, hostname, subdomain + zone,
# name + zone/domain; external-dns endpoints' dnsName.
_record_names(r) := {n |
	some k in ["name", "fqdn", "hostname", "dns_name"]
	n := r.values[k]
	is_string(n)
} | {concat(".", [n, z]) |
	some k in ["name", "subdomain"]
	n := r.values[k]
	is_string(n)
	some zk in ["zone_name", "zone", "domain"]
	z := r.values[zk]
	is_string(z)
	n != ""
	n != "@"
} | {n |
	some e in object.get(kube.spec(r), "endpoints", [])
	n := e.dnsName
	is_string(n)
}

_record_targets(r) := {lower(trim_suffix(trim_space(t), ".")) |
	some t in _strings(r.values)
	regex.match(`^[A-Za-z0-9_.-]+\.?$`, trim_space(t))
	contains(t, ".")
}

fronts contains {"resource": r, "host": h, "what": sprintf("a DNS record pointing it at %s", [hostnames.describe(info)])} if {
	some r in plan.resources
	_dns_record(r)
	some name in _record_names(r)
	some h in sites.capture_hosts
	_relative_covers(name, h)
	some t in _record_targets(r)
	info := hostnames.front(t)
}

# ---------------------------------------------------------------------------------------
# Cloudflare Tunnel: TLS for the capture host ends at Cloudflare's edge
# ---------------------------------------------------------------------------------------

_tunnel_config_types := {"cloudflare_tunnel_config", "cloudflare_zero_trust_tunnel_cloudflared_config", "cloudflare_tunnel_route", "cloudflare_zero_trust_tunnel_route"}

fronts contains {"resource": r, "host": h, "what": "a Cloudflare Tunnel ingress rule (TLS ends at Cloudflare's edge)"} if {
	some r in plan.resources
	r.type in _tunnel_config_types
	some s in _strings(r.values)
	some h in sites.capture_hosts
	covers(s, h)
}

# A cloudflared connector in the cluster (its command line, e.g. `cloudflared tunnel route dns`,
# or the configuration it mounts) or a Cloudflare tunnel chart that names the capture host.
fronts contains {"resource": r, "host": h, "what": "a cloudflared connector of a Cloudflare Tunnel (TLS ends at Cloudflare's edge)"} if {
	some r in network.workloads
	_runs_cloudflared(r)
	some t in tunnels.texts(r)
	some h in sites.capture_hosts
	contains(lower(t), h)
}

fronts contains {"resource": r, "host": h, "what": "a cloudflared job that routes the capture host to a Cloudflare Tunnel (TLS ends at Cloudflare's edge)"} if {
	some r in plan.resources
	kube.kind(r) in {"Job", "CronJob"}
	some c in kube.containers(r)
	t := kube.command_line(c)
	contains(t, "cloudflared")
	some h in sites.capture_hosts
	contains(lower(t), h)
}

fronts contains {"resource": r, "host": h, "what": sprintf("a Cloudflare Tunnel chart (%s; TLS ends at Cloudflare's edge)", [helm.chart_name(r)])} if {
	some r in network.releases
	contains(helm.chart_name(r), "cloudflare")
	some s in _strings(helm.values(r))
	some h in sites.capture_hosts
	covers(s, h)
}

_runs_cloudflared(r) if {
	some c in kube.containers(r)
	contains(lower(object.get(c, "image", "")), "cloudflared")
}

_runs_cloudflared(r) if {
	some c in kube.containers(r)
	contains(kube.command_line(c), "cloudflared")
}
