package kz.lib.sites_test

import data.kz.lib.sites

_sites := [
	{"id": "a", "jurisdiction": "KZ", "kubernetes": {"endpoints": ["https://k8s.a.kz"]}, "objectStorage": ["https://s3.a.kz"]},
	{"id": "b", "jurisdiction": "de", "kubernetes": {"endpoints": ["https://k8s.b.de:6443"]}, "objectStorage": ["https://s3.b.de"]},
	{"id": "c", "jurisdiction": "KZ", "kubernetes": {"endpoints": ["https://shared.example"]}},
	{"id": "d", "jurisdiction": "DE", "kubernetes": {"endpoints": ["https://shared.example"]}},
	# two clusters behind one Rancher URL, told apart by path
	{"id": "r-ala", "jurisdiction": "KZ", "kubernetes": {"endpoints": ["https://rancher.example.kz/k8s/clusters/c-ala"]}},
	{"id": "r-fra", "jurisdiction": "DE", "kubernetes": {"endpoints": ["https://rancher.example.kz/k8s/clusters/c-fra"]}},
	# a bucket path of a shared object store registered for one site
	{"id": "e", "jurisdiction": "KZ", "kubernetes": {"endpoints": ["https://k8s.e.kz"]}, "objectStorage": ["https://s3.b.de/kz-bucket"]},
	{"id": "yc-kz1", "jurisdiction": "KZ", "city": "Karaganda", "cloud": {"provider": "yandex", "regions": ["kz1"]}},
]

test_site_lookup if {
	sites.site_for_kube_host("https://K8S.A.KZ:443") == "a" with data.kz_residency.sites as _sites
	sites.site_for_kube_host("k8s.b.de:6443") == "b" with data.kz_residency.sites as _sites
	sites.site_for_object_storage("https://s3.b.de/bucket") == "b" with data.kz_residency.sites as _sites
}

test_path_tells_clusters_behind_one_proxy_apart if {
	sites.site_for_kube_host("https://rancher.example.kz/k8s/clusters/c-ala/") == "r-ala" with data.kz_residency.sites as _sites
	sites.site_for_kube_host("https://rancher.example.kz/k8s/clusters/c-fra") == "r-fra" with data.kz_residency.sites as _sites
	not sites.site_for_kube_host("https://rancher.example.kz") with data.kz_residency.sites as _sites
	not sites.site_for_kube_host("https://rancher.example.kz/k8s/clusters/c-other") with data.kz_residency.sites as _sites
}

test_most_specific_object_storage_endpoint_wins if {
	sites.site_for_object_storage("https://s3.b.de/kz-bucket/pg") == "e" with data.kz_residency.sites as _sites
	sites.site_for_object_storage("https://s3.b.de/other-bucket") == "b" with data.kz_residency.sites as _sites
}

test_site_lookup_fails_closed if {
	# wrong port, unregistered, and an endpoint claimed by two sites prove nothing
	not sites.site_for_kube_host("https://k8s.b.de") with data.kz_residency.sites as _sites
	not sites.site_for_kube_host("https://elsewhere.example") with data.kz_residency.sites as _sites
	not sites.site_for_kube_host("https://shared.example") with data.kz_residency.sites as _sites
	not sites.site_for_kube_host("https://k8s.a.kz") with data.kz_residency.sites as "not a list"
	not sites.site_for_object_storage("https://s3.a.kz.evil.example") with data.kz_residency.sites as _sites
}

test_jurisdiction_case_insensitive if {
	sites.is_kz("a") with data.kz_residency.sites as _sites
	not sites.is_kz("b") with data.kz_residency.sites as _sites
	sites.jurisdiction("b") == "DE" with data.kz_residency.sites as _sites
}

test_cloud_sites if {
	sites.cloud_sites("yandex", "KZ1") == {"yc-kz1"} with data.kz_residency.sites as _sites
	sites.cloud_sites("yandex", "ru-central1") == set() with data.kz_residency.sites as _sites
	sites.cloud_sites("aws", "kz1") == set() with data.kz_residency.sites as _sites
}
