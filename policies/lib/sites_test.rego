package kz.lib.sites_test

import data.kz.lib.sites

test_normalize_defaults if {
	sites.normalize("https://k8s.ala.example.kz") == "https://k8s.ala.example.kz:443"
	sites.normalize("HTTPS://K8S.Ala.Example.KZ/") == "https://k8s.ala.example.kz:443"
	sites.normalize("https://k8s.ala.example.kz:443/api/v1?x=1") == "https://k8s.ala.example.kz:443"
	sites.normalize("k8s.ala.example.kz") == "https://k8s.ala.example.kz:443"
	sites.normalize("10.20.0.10:6443") == "https://10.20.0.10:6443"
	sites.normalize("http://logs.example.kz") == "http://logs.example.kz:80"
	sites.normalize("https://user:pw@k8s.example.kz:8443") == "https://k8s.example.kz:8443"
	sites.normalize("https://[fd00::1]:6443") == "https://[fd00::1]:6443"
	sites.normalize("https://k8s.example.kz.") == "https://k8s.example.kz:443"
}

test_normalize_rejects_empty if {
	not sites.normalize("")
	not sites.normalize(null)
}

_sites := [
	{"id": "a", "jurisdiction": "KZ", "kubernetes": {"endpoints": ["https://k8s.a.kz"]}},
	{"id": "b", "jurisdiction": "de", "kubernetes": {"endpoints": ["https://k8s.b.de:6443"]}, "objectStorage": ["https://s3.b.de"]},
	{"id": "c", "jurisdiction": "KZ", "kubernetes": {"endpoints": ["https://shared.example"]}},
	{"id": "d", "jurisdiction": "DE", "kubernetes": {"endpoints": ["https://shared.example"]}},
]

test_site_lookup if {
	sites.site_for_kube_host("https://K8S.A.KZ:443") == "a" with data.kz_residency.sites as _sites
	sites.site_for_kube_host("k8s.b.de:6443") == "b" with data.kz_residency.sites as _sites
	sites.site_for_object_storage("https://s3.b.de/bucket") == "b" with data.kz_residency.sites as _sites
}

test_site_lookup_fails_closed if {
	# wrong port, unregistered, and an endpoint claimed by two sites prove nothing
	not sites.site_for_kube_host("https://k8s.b.de") with data.kz_residency.sites as _sites
	not sites.site_for_kube_host("https://elsewhere.example") with data.kz_residency.sites as _sites
	not sites.site_for_kube_host("https://shared.example") with data.kz_residency.sites as _sites
	not sites.site_for_kube_host("https://k8s.a.kz") with data.kz_residency.sites as "not a list"
}

test_jurisdiction_case_insensitive if {
	sites.is_kz("a") with data.kz_residency.sites as _sites
	not sites.is_kz("b") with data.kz_residency.sites as _sites
}
