package kz.lib.endpoint_test

import data.kz.lib.endpoint

test_normalize_defaults if {
	endpoint.normalize("https://k8s.ala.example.kz") == "https://k8s.ala.example.kz:443"
	endpoint.normalize("HTTPS://K8S.Ala.Example.KZ/") == "https://k8s.ala.example.kz:443"
	endpoint.normalize("k8s.ala.example.kz") == "https://k8s.ala.example.kz:443"
	endpoint.normalize("10.20.0.10:6443") == "https://10.20.0.10:6443"
	endpoint.normalize("http://logs.example.kz") == "http://logs.example.kz:80"
	endpoint.normalize("https://k8s.example.kz.") == "https://k8s.example.kz:443"
	endpoint.normalize("https://k8s.example.kz:0443") == "https://k8s.example.kz:443"
}

test_normalize_keeps_the_path if {
	endpoint.normalize("https://rancher.example.kz/k8s/clusters/c-ala/") == "https://rancher.example.kz:443/k8s/clusters/c-ala"
	endpoint.normalize("https://rancher.example.kz:443/k8s/clusters/c-ala?x=1#f") == "https://rancher.example.kz:443/k8s/clusters/c-ala"
	endpoint.normalize("https://rancher.example.kz/k8s/clusters/c-ala") != endpoint.normalize("https://rancher.example.kz/k8s/clusters/c-fra")
	endpoint.normalize("https://rancher.example.kz/k8s/clusters/c-ala") != endpoint.normalize("https://rancher.example.kz")
}

test_normalize_strips_user_info if {
	endpoint.normalize("https://user:pw@k8s.example.kz:8443") == "https://k8s.example.kz:8443"
	endpoint.normalize("https://a@b:c@k8s.example.kz/x") == "https://k8s.example.kz:443/x"
}

test_normalize_ipv6_literals if {
	endpoint.normalize("https://[fd00::1]:6443") == "https://[fd00:0:0:0:0:0:0:1]:6443"
	endpoint.normalize("https://[FD00:0000::0001]:6443/") == "https://[fd00:0:0:0:0:0:0:1]:6443"
	endpoint.normalize("https://[2001:db8::]") == "https://[2001:db8:0:0:0:0:0:0]:443"
	endpoint.normalize("[::1]:6443") == "https://[0:0:0:0:0:0:0:1]:6443"
}

test_normalize_rejects_what_is_not_a_url if {
	not endpoint.normalize("")
	not endpoint.normalize(null)
	not endpoint.normalize("ftp://files.example.kz")
	not endpoint.normalize("https://k8s example.kz")
	not endpoint.normalize("fd00::1")
}

test_hostname if {
	endpoint.hostname("https://app.example.kz/x") == "app.example.kz"
	endpoint.hostname("10.0.0.1:6443") == "10.0.0.1"
}

test_under if {
	endpoint.under("https://s3.ala.example.kz/bucket/path", "https://s3.ala.example.kz")
	endpoint.under("https://S3.ala.example.kz:443", "https://s3.ala.example.kz/")
	endpoint.under("https://logs.example.kz/loki/api/v1/push", "https://logs.example.kz/loki")
	not endpoint.under("https://logs.example.kz/lokix", "https://logs.example.kz/loki")
	not endpoint.under("https://s3.ala.example.kz.evil.example", "https://s3.ala.example.kz")
}
