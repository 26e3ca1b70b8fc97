package kz.residency.firsttouch_test

import data.kz.residency.firsttouch
import data.kz.residency.fixtures_test as fx

_deny(rs) := d if {
	d := firsttouch.deny with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

_ingress(provider, host) := fx.res("kubernetes_ingress_v1", "app", provider, {
	"metadata": [{"name": "app", "annotations": {"residency.kz/first-touch": "true"}}],
	"spec": [{"rule": [{"host": host}], "tls": [{"hosts": [host]}]}],
})

test_ft001_ingress_in_almaty if {
	count(_deny([_ingress("kubernetes.ala", "app.example.kz")])) == 0
}

test_ft001_ingress_in_frankfurt if {
	fx.pairs(_deny([_ingress("kubernetes.fra", "app.example.kz")])) == {["KZ-FT-001", "kubernetes_ingress_v1.app"]}
}

test_ft001_ingress_on_unknown_host if {
	fx.pairs(_deny([_ingress("kubernetes", "APP.example.kz")])) == {["KZ-FT-001", "kubernetes_ingress_v1.app"]}
}

test_ft001_other_hosts_are_not_capture_hosts if {
	count(_deny([_ingress("kubernetes.fra", "www.example.com")])) == 0
}

test_ft001_loadbalancer_service_abroad if {
	r := fx.res("kubernetes_service_v1", "lb", "kubernetes.fra", {"metadata": [{"name": "lb", "annotations": {"external-dns.alpha.kubernetes.io/hostname": "app.example.kz"}}], "spec": [{"type": "LoadBalancer"}]})
	fx.pairs(_deny([r])) == {["KZ-FT-001", "kubernetes_service_v1.lb"]}
}

test_ft001_route53_alias_to_aws_lb if {
	lb := fx.res("aws_lb", "front", "aws", {"name": "front", "load_balancer_type": "application"})
	rec := fx.res("aws_route53_record", "app", "aws", {"name": "app.example.kz", "type": "A", "alias": [{"name": "front-123.eu-central-1.elb.amazonaws.com", "zone_id": "Z1", "evaluate_target_health": true}]})
	fx.pairs(_deny([_ingress("kubernetes.ala", "app.example.kz"), lb, rec])) == {["KZ-FT-001", "aws_route53_record.app"]}
}

test_ft001_route53_plain_record_is_dns_only if {
	rec := fx.res("aws_route53_record", "app", "aws", {"name": "app.example.kz", "type": "A", "records": ["203.0.113.10"]})
	count(_deny([rec])) == 0
}

test_ft001_cloudfront if {
	cf := fx.res("aws_cloudfront_distribution", "cdn", "aws", {"aliases": ["*.example.kz"], "enabled": true})
	fx.pairs(_deny([cf])) == {["KZ-FT-001", "aws_cloudfront_distribution.cdn"]}
}

test_ft001_google_url_map if {
	um := fx.res("google_compute_url_map", "um", "google", {"host_rule": [{"hosts": ["app.example.kz"], "path_matcher": "all"}]})
	fx.pairs(_deny([um])) == {["KZ-FT-001", "google_compute_url_map.um"]}
}

test_ft001_azure_front_door if {
	fd := fx.res("azurerm_cdn_frontdoor_custom_domain", "app", "azurerm", {"host_name": "app.example.kz"})
	fx.pairs(_deny([fd])) == {["KZ-FT-001", "azurerm_cdn_frontdoor_custom_domain.app"]}
}

test_ft001_azure_application_gateway if {
	ag := fx.res("azurerm_application_gateway", "agw", "azurerm", {"http_listener": [{"name": "l", "host_name": "app.example.kz"}]})
	fx.pairs(_deny([ag])) == {["KZ-FT-001", "azurerm_application_gateway.agw"]}
}

test_ft001_cloudflare_proxied_record if {
	cf := fx.res("cloudflare_record", "app", "cloudflare", {"name": "app", "type": "A", "content": "203.0.113.10", "proxied": true})
	fx.pairs(_deny([cf])) == {["KZ-FT-001", "cloudflare_record.app"]}
}

test_ft001_cloudflare_dns_only_record if {
	cf := fx.res("cloudflare_dns_record", "app", "cloudflare", {"name": "app.example.kz", "type": "A", "content": "203.0.113.10", "proxied": false})
	count(_deny([cf])) == 0
}

test_ft001_manifest_ingress_abroad if {
	r := fx.res("kubernetes_manifest", "ing", "kubernetes.fra", {"manifest": {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "app"}, "spec": {"rules": [{"host": "app.example.kz"}]}}})
	fx.pairs(_deny([r])) == {["KZ-FT-001", "kubernetes_manifest.ing"]}
}

test_ft001_gateway_api_route_abroad if {
	r := fx.res("kubernetes_manifest", "route", "kubernetes.fra", {"manifest": {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": {"name": "app"}, "spec": {"hostnames": ["app.example.kz"]}}})
	fx.pairs(_deny([r])) == {["KZ-FT-001", "kubernetes_manifest.route"]}
}

test_ft001_helm_ingress_values_abroad if {
	r := fx.res("helm_release", "portal", "helm.fra", {"name": "portal", "chart": "webapp", "values": ["ingress:\n  enabled: true\n  hosts:\n    - host: app.example.kz\n"]})
	fx.pairs(_deny([r])) == {["KZ-FT-001", "helm_release.portal"]}
}

test_ft001_helm_ingress_values_at_home if {
	r := fx.res("helm_release", "portal", "helm.ala", {"name": "portal", "chart": "webapp", "values": ["ingress:\n  enabled: true\n  hosts:\n    - host: app.example.kz\n"]})
	count(_deny([r])) == 0
}

test_ft001_google_dns_to_google_load_balancer if {
	fr := fx.res("google_compute_global_forwarding_rule", "fr", "google", {"name": "fr", "port_range": "443"})
	dns := fx.res("google_dns_record_set", "app", "google", {"name": "app.example.kz.", "type": "A"})
	fx.pairs(_deny([fr, dns])) == {["KZ-FT-001", "google_dns_record_set.app"]}
}

test_ft001_azure_dns_alias_record if {
	dns := fx.res("azurerm_dns_a_record", "app", "azurerm", {"name": "app", "zone_name": "example.kz", "target_resource_id": "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/frontDoors/fd"})
	fx.pairs(_deny([dns])) == {["KZ-FT-001", "azurerm_dns_a_record.app"]}
}

test_ft001_route53_alias_unknown_until_apply if {
	rec := object.union(fx.res("aws_route53_record", "app", "aws", {"name": "app.example.kz", "type": "A"}), {"unknown": {"alias": true}})
	fx.pairs(_deny([rec])) == {["KZ-FT-001", "aws_route53_record.app"]}
}
