package kz.lib.hostnames_test

import data.kz.lib.hostnames

_p(h) := [x.provider, x.kind, x.region, x.jurisdiction] if x := hostnames.provider(h)

test_aws_load_balancer_names_in_every_region_form if {
	_p("my-alb-1234567890.eu-central-1.elb.amazonaws.com") == ["AWS", "load-balancer", "eu-central-1", "DE"]
	_p("internal-my-alb-1234567890.us-west-2.elb.amazonaws.com") == ["AWS", "load-balancer", "us-west-2", "US"]
	_p("dualstack.my-elb-1234567890.ap-southeast-1.elb.amazonaws.com") == ["AWS", "load-balancer", "ap-southeast-1", "SG"]
	_p("my-nlb-0123456789abcdef.elb.eu-west-1.amazonaws.com") == ["AWS", "load-balancer", "eu-west-1", "IE"]
	_p("my-nlb-0123456789abcdef.elb.cn-north-1.amazonaws.com.cn") == ["AWS", "load-balancer", "cn-north-1", "CN"]
	_p("k8s-portal-0a1b2c3d.elb.us-gov-west-1.amazonaws.com") == ["AWS", "load-balancer", "us-gov-west-1", "US"]
	_p("d111111abcdef8.cloudfront.net") == ["AWS", "cdn", null, null]
	_p("a1234567890abcdef.awsglobalaccelerator.com")[1] == "load-balancer"
	_p("abc123.execute-api.eu-north-1.amazonaws.com") == ["AWS", "load-balancer", "eu-north-1", "SE"]
}

test_google_and_azure_front_names if {
	_p("ghs.googlehosted.com") == ["Google Cloud", "edge-hosting", null, null]
	_p("portal-abc123-ew.a.run.app")[1] == "edge-hosting"
	_p("34.120.1.2.bc.googleusercontent.com")[1] == "load-balancer"
	_p("portal.westeurope.cloudapp.azure.com") == ["Azure", "load-balancer", "westeurope", "NL"]
	_p("portal-fd.z01.azurefd.net") == ["Azure", "cdn", null, null]
	_p("portal.azureedge.net")[1] == "cdn"
	_p("portal.trafficmanager.net")[1] == "load-balancer"
}

test_cdns_and_tunnels if {
	_p("0a1b2c3d-1111-2222-3333-444455556666.cfargotunnel.com") == ["Cloudflare", "tunnel", null, null]
	_p("portal.example.kz.cdn.cloudflare.net")[1] == "cdn"
	_p("portal.example.kz.edgekey.net")[0] == "Akamai"
	_p("portal.global.ssl.fastly.net")[0] == "Fastly"
	_p("cl-4f3e2a.edgecdn.ru") == ["Yandex Cloud", "cdn", null, null]
	hostnames.front("portal.example.kz.edgekey.net")
	not hostnames.front("s3.eu-central-1.amazonaws.com")
	not hostnames.front("app.example.kz")
}

test_storage_and_log_services if {
	_p("s3.eu-central-1.amazonaws.com") == ["AWS", "object-storage", "eu-central-1", "DE"]
	_p("kz-dumps.s3.eu-west-2.amazonaws.com") == ["AWS", "object-storage", "eu-west-2", "GB"]
	_p("s3.amazonaws.com") == ["AWS", "object-storage", "us-east-1", "US"]
	_p("storage.yandexcloud.kz") == ["Yandex Cloud", "object-storage", "kz1", "KZ"]
	_p("storage.yandexcloud.net") == ["Yandex Cloud", "object-storage", "ru-central1", "RU"]
	_p("c-abc.rw.mdb.yandexcloud.net")[3] == "RU"
	_p("logs.eu-central-1.amazonaws.com") == ["AWS", "logs", "eu-central-1", "DE"]
	_p("http-intake.logs.datadoghq.eu") == ["Datadog", "logs", null, "EU"]
	_p("http-intake.logs.datadoghq.com")[3] == "US"
	_p("my-deployment.es.eu-central-1.aws.cloud.es.io")[3] == "DE"
	not hostnames.provider("logs.ala.example.kz")
}

test_parse if {
	hostnames.parse("https://user:pw@S3.Example.KZ:9000/bucket/x") == {"scheme": "https", "host": "s3.example.kz", "port": "9000", "path": "/bucket/x"}
	hostnames.parse("s3://bucket/path") == {"scheme": "s3", "host": "bucket", "port": "", "path": "/path"}
	hostnames.parse("clients-rw.clients.svc:5432") == {"scheme": "", "host": "clients-rw.clients.svc", "port": "5432", "path": ""}
	hostnames.parse("[fd00::1]:5432").host == "fd00::1"
	hostnames.parse("fd00::1").host == "fd00::1"
	not hostnames.parse("not a host")
}
