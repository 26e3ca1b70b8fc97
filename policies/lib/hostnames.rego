# METADATA
# title: Host names of providers
# description: >-
#   A maintained table of the host names that cloud and edge providers give their load
#   balancers, CDNs, tunnels, object storage, databases and log services, with the region (and so
#   the country) a name carries when it carries one. Used twice: first touch (a capture host whose
#   DNS record points at a provider's load balancer, CDN or tunnel is received there first) and
#   flows (where a backup, dump, log shipper or alias sends data). A host the table does not know
#   proves nothing: its country is unknown, and unknown is not Kazakhstan.
#   Sources (checked 2026-11): AWS "Elastic Load Balancing endpoints", "Amazon S3 endpoints",
#   "Amazon CloudFront", "AWS Global Accelerator", "Amazon API Gateway", "Amazon RDS endpoints"
#   and "Amazon CloudWatch Logs endpoints" (docs.aws.amazon.com/general/latest/gr/rande.html);
#   Google Cloud "Cloud Storage request endpoints", "Mapping custom domains" (ghs.googlehosted.com),
#   Cloud Run and Firebase Hosting default domains; Azure "Public IP addresses: DNS name label"
#   (<label>.<region>.cloudapp.azure.com), Front Door (azurefd.net), Azure CDN (azureedge.net),
#   Traffic Manager, App Service, Container Apps, Blob Storage, Log Analytics ingestion;
#   Cloudflare "Create a tunnel: DNS records" (<id>.cfargotunnel.com) and "CNAME setup"
#   (cdn.cloudflare.net); Akamai "Edge hostnames" (edgekey.net, edgesuite.net, akamaized.net);
#   Fastly "CNAME records" (fastly.net, fastlylb.net); Imperva (incapdns.net); Edgio/Limelight
#   (llnwd.net, edgecastcdn.net); StackPath/Highwinds (hwcdn.net); Bunny (b-cdn.net); KeyCDN
#   (kxcdn.com); CDN77; Gcore (gcdn.co); Netlify; Vercel; Heroku; Alibaba Cloud CDN and OSS;
#   Tencent Cloud CDN; Yandex Cloud "Object Storage" (storage.yandexcloud.net,
#   storage.yandexcloud.kz) and Managed Databases (mdb.yandexcloud.net / .kz), Yandex Cloud CDN
#   (edgecdn.ru); Datadog, Grafana Cloud, Splunk Cloud, Elastic Cloud, New Relic, Sumo Logic,
#   Papertrail, Logz.io and Better Stack log intake documentation.
package kz.lib.hostnames

import data.kz.lib.regions

# Each entry: pattern (an RE2 expression on the lower-case host name), provider, service, kind
# (load-balancer, cdn, tunnel, edge-hosting, object-storage, database, logs, api), cloud and the
# capture group holding the region (0: none) when the name carries a region of a cloud in the
# region table, or a fixed country. First match wins: more specific names come first.
provider_hosts := [
	# --- AWS -------------------------------------------------------------------------------
	{"pattern": `^(?:dualstack\.)?(?:internal-)?[a-z0-9-]+\.elb\.([a-z]{2}(?:-gov)?-[a-z]+-[0-9])\.amazonaws\.com(?:\.cn)?$`, "provider": "AWS", "service": "Network Load Balancer", "kind": "load-balancer", "cloud": "aws", "region": 1},
	{"pattern": `^(?:dualstack\.)?(?:internal-)?[a-z0-9-]+\.([a-z]{2}(?:-gov)?-[a-z]+-[0-9])\.elb\.amazonaws\.com(?:\.cn)?$`, "provider": "AWS", "service": "Elastic Load Balancing (Application or Classic Load Balancer)", "kind": "load-balancer", "cloud": "aws", "region": 1},
	{"pattern": `\.elb\.amazonaws\.com(?:\.cn)?$`, "provider": "AWS", "service": "Elastic Load Balancing", "kind": "load-balancer", "cloud": "aws", "region": 0},
	{"pattern": `\.cloudfront\.net$`, "provider": "AWS", "service": "CloudFront (CDN)", "kind": "cdn", "cloud": "aws", "region": 0},
	{"pattern": `\.awsglobalaccelerator\.com$`, "provider": "AWS", "service": "Global Accelerator", "kind": "load-balancer", "cloud": "aws", "region": 0},
	{"pattern": `\.execute-api\.([a-z]{2}(?:-gov)?-[a-z]+-[0-9])\.amazonaws\.com$`, "provider": "AWS", "service": "API Gateway", "kind": "load-balancer", "cloud": "aws", "region": 1},
	{"pattern": `\.lambda-url\.([a-z]{2}(?:-gov)?-[a-z]+-[0-9])\.on\.aws$`, "provider": "AWS", "service": "Lambda function URL", "kind": "edge-hosting", "cloud": "aws", "region": 1},
	{"pattern": `\.([a-z]{2}(?:-gov)?-[a-z]+-[0-9])\.elasticbeanstalk\.com$`, "provider": "AWS", "service": "Elastic Beanstalk", "kind": "load-balancer", "cloud": "aws", "region": 1},
	{"pattern": `\.([a-z]{2}(?:-gov)?-[a-z]+-[0-9])\.awsapprunner\.com$`, "provider": "AWS", "service": "App Runner", "kind": "edge-hosting", "cloud": "aws", "region": 1},
	{"pattern": `^(?:[a-z0-9.-]+\.)?s3[.-](?:dualstack\.)?([a-z]{2}(?:-gov)?-[a-z]+-[0-9])\.amazonaws\.com(?:\.cn)?$`, "provider": "AWS", "service": "S3", "kind": "object-storage", "cloud": "aws", "region": 1},
	{"pattern": `^(?:[a-z0-9.-]+\.)?s3(?:-external-1)?\.amazonaws\.com$`, "provider": "AWS", "service": "S3 (global endpoint, us-east-1)", "kind": "object-storage", "cloud": "aws", "region": 0, "fixed_region": "us-east-1"},
	{"pattern": `\.([a-z]{2}(?:-gov)?-[a-z]+-[0-9])\.rds\.amazonaws\.com(?:\.cn)?$`, "provider": "AWS", "service": "RDS", "kind": "database", "cloud": "aws", "region": 1},
	{"pattern": `^logs\.([a-z]{2}(?:-gov)?-[a-z]+-[0-9])\.amazonaws\.com$`, "provider": "AWS", "service": "CloudWatch Logs", "kind": "logs", "cloud": "aws", "region": 1},
	{"pattern": `^[a-z0-9.-]+\.([a-z]{2}(?:-gov)?-[a-z]+-[0-9])\.amazonaws\.com(?:\.cn)?$`, "provider": "AWS", "service": "regional endpoint", "kind": "api", "cloud": "aws", "region": 1},
	{"pattern": `\.amazonaws\.com(?:\.cn)?$`, "provider": "AWS", "service": "endpoint", "kind": "api", "cloud": "aws", "region": 0},
	# --- Google Cloud ----------------------------------------------------------------------
	{"pattern": `^(?:[a-z0-9._-]+\.)?storage\.googleapis\.com$`, "provider": "Google Cloud", "service": "Cloud Storage", "kind": "object-storage", "cloud": "google", "region": 0},
	{"pattern": `^ghs\.googlehosted\.com$`, "provider": "Google Cloud", "service": "Google-hosted front end (App Engine, Cloud Run or Firebase custom domain)", "kind": "edge-hosting", "cloud": "google", "region": 0},
	{"pattern": `\.(?:appspot\.com|run\.app|web\.app|firebaseapp\.com|cloudfunctions\.net)$`, "provider": "Google Cloud", "service": "Google-hosted front end", "kind": "edge-hosting", "cloud": "google", "region": 0},
	{"pattern": `\.bc\.googleusercontent\.com$`, "provider": "Google Cloud", "service": "address (load balancer or VM)", "kind": "load-balancer", "cloud": "google", "region": 0},
	{"pattern": `^logging\.googleapis\.com$`, "provider": "Google Cloud", "service": "Cloud Logging", "kind": "logs", "cloud": "google", "region": 0},
	{"pattern": `\.googleapis\.com$`, "provider": "Google Cloud", "service": "API", "kind": "api", "cloud": "google", "region": 0},
	# --- Azure -----------------------------------------------------------------------------
	{"pattern": `^[a-z0-9-]+\.([a-z0-9]+)\.cloudapp\.azure\.com$`, "provider": "Azure", "service": "public IP DNS label (Load Balancer or Application Gateway)", "kind": "load-balancer", "cloud": "azure", "region": 1},
	{"pattern": `\.cloudapp\.net$`, "provider": "Azure", "service": "Cloud Services", "kind": "load-balancer", "cloud": "azure", "region": 0},
	{"pattern": `\.trafficmanager\.net$`, "provider": "Azure", "service": "Traffic Manager", "kind": "load-balancer", "cloud": "azure", "region": 0},
	{"pattern": `\.(?:azurefd\.net|afd\.azureedge\.net)$`, "provider": "Azure", "service": "Front Door", "kind": "cdn", "cloud": "azure", "region": 0},
	{"pattern": `\.azureedge\.net$`, "provider": "Azure", "service": "Azure CDN", "kind": "cdn", "cloud": "azure", "region": 0},
	{"pattern": `\.azure-api\.net$`, "provider": "Azure", "service": "API Management", "kind": "load-balancer", "cloud": "azure", "region": 0},
	{"pattern": `\.azurewebsites\.net$`, "provider": "Azure", "service": "App Service", "kind": "edge-hosting", "cloud": "azure", "region": 0},
	{"pattern": `\.([a-z0-9]+)\.azurecontainerapps\.io$`, "provider": "Azure", "service": "Container Apps", "kind": "edge-hosting", "cloud": "azure", "region": 1},
	{"pattern": `\.(?:blob|dfs)\.core\.windows\.net$`, "provider": "Azure", "service": "Blob Storage", "kind": "object-storage", "cloud": "azure", "region": 0},
	{"pattern": `\.ods\.opinsights\.azure\.com$`, "provider": "Azure", "service": "Log Analytics", "kind": "logs", "cloud": "azure", "region": 0},
	# --- Cloudflare ------------------------------------------------------------------------
	{"pattern": `\.cfargotunnel\.com$`, "provider": "Cloudflare", "service": "Tunnel (TLS ends at Cloudflare's edge)", "kind": "tunnel", "cloud": "cloudflare", "region": 0},
	{"pattern": `\.cdn\.cloudflare\.net$`, "provider": "Cloudflare", "service": "CDN", "kind": "cdn", "cloud": "cloudflare", "region": 0},
	{"pattern": `\.(?:workers\.dev|pages\.dev)$`, "provider": "Cloudflare", "service": "Workers/Pages", "kind": "edge-hosting", "cloud": "cloudflare", "region": 0},
	{"pattern": `\.r2\.cloudflarestorage\.com$`, "provider": "Cloudflare", "service": "R2", "kind": "object-storage", "cloud": "cloudflare", "region": 0},
	# --- CDNs and edge hosting ---------------------------------------------------------------
	{"pattern": `\.(?:edgekey\.net|edgesuite\.net|akamaiedge\.net|akamaized\.net|akamaihd\.net|akamai\.net|akamaitechnologies\.com)$`, "provider": "Akamai", "service": "CDN", "kind": "cdn", "cloud": "akamai", "region": 0},
	{"pattern": `\.(?:fastly\.net|fastlylb\.net|fastly-edge\.com)$`, "provider": "Fastly", "service": "CDN", "kind": "cdn", "cloud": "fastly", "region": 0},
	{"pattern": `\.(?:incapdns\.net|impervadns\.net)$`, "provider": "Imperva", "service": "CDN/WAF", "kind": "cdn", "cloud": "imperva", "region": 0},
	{"pattern": `\.(?:llnwd\.net|llnw\.net|edgecastcdn\.net|systemcdn\.net|edgio\.net)$`, "provider": "Edgio", "service": "(Limelight/Edgecast) CDN", "kind": "cdn", "cloud": "edgio", "region": 0},
	{"pattern": `\.(?:hwcdn\.net|stackpathdns\.com|stackpathcdn\.com)$`, "provider": "StackPath", "service": "(Highwinds) CDN", "kind": "cdn", "cloud": "stackpath", "region": 0},
	{"pattern": `\.b-cdn\.net$`, "provider": "Bunny", "service": "CDN (bunny.net)", "kind": "cdn", "cloud": "bunny", "region": 0},
	{"pattern": `\.kxcdn\.com$`, "provider": "KeyCDN", "service": "CDN", "kind": "cdn", "cloud": "keycdn", "region": 0},
	{"pattern": `\.(?:cdn77\.org|cdn77-ssl\.net)$`, "provider": "CDN77", "service": "CDN", "kind": "cdn", "cloud": "cdn77", "region": 0},
	{"pattern": `\.gcdn\.co$`, "provider": "Gcore", "service": "CDN", "kind": "cdn", "cloud": "gcore", "region": 0},
	{"pattern": `\.edgecdn\.ru$`, "provider": "Yandex Cloud", "service": "CDN (EdgeCenter)", "kind": "cdn", "cloud": "yandex", "region": 0},
	{"pattern": `\.(?:netlify\.app|netlify\.com|netlifyglobalcdn\.com)$`, "provider": "Netlify", "service": "edge", "kind": "cdn", "cloud": "netlify", "region": 0},
	{"pattern": `\.(?:vercel-dns\.com|vercel\.app)$`, "provider": "Vercel", "service": "edge", "kind": "cdn", "cloud": "vercel", "region": 0},
	{"pattern": `\.(?:herokudns\.com|herokuapp\.com)$`, "provider": "Heroku", "service": "router", "kind": "edge-hosting", "cloud": "heroku", "region": 0},
	{"pattern": `\.(?:alikunlun\.com|kunlun[a-z0-9]*\.com|alicdn\.com)$`, "provider": "Alibaba Cloud", "service": "CDN", "kind": "cdn", "cloud": "alibaba", "region": 0},
	{"pattern": `\.aliyuncs\.com$`, "provider": "Alibaba Cloud", "service": "endpoint (OSS, SLB)", "kind": "object-storage", "cloud": "alibaba", "region": 0},
	{"pattern": `\.(?:cdn\.dnsv1\.com|tencent-cloud\.net|cdntip\.com)$`, "provider": "Tencent Cloud", "service": "CDN", "kind": "cdn", "cloud": "tencent", "region": 0},
	# --- Yandex Cloud ----------------------------------------------------------------------
	{"pattern": `(?:^|\.)storage\.yandexcloud\.kz$`, "provider": "Yandex Cloud", "service": "Object Storage (Kazakhstan installation)", "kind": "object-storage", "cloud": "yandex", "region": 0, "fixed_region": "kz1"},
	{"pattern": `\.mdb\.yandexcloud\.kz$`, "provider": "Yandex Cloud", "service": "Managed Databases (Kazakhstan installation)", "kind": "database", "cloud": "yandex", "region": 0, "fixed_region": "kz1"},
	{"pattern": `(?:^|\.)storage\.yandexcloud\.net$`, "provider": "Yandex Cloud", "service": "Object Storage", "kind": "object-storage", "cloud": "yandex", "region": 0, "fixed_region": "ru-central1"},
	{"pattern": `\.mdb\.yandexcloud\.net$`, "provider": "Yandex Cloud", "service": "Managed Databases", "kind": "database", "cloud": "yandex", "region": 0, "fixed_region": "ru-central1"},
	{"pattern": `(?:^|\.)(?:cloud\.yandex\.net|yandexcloud\.net)$`, "provider": "Yandex Cloud", "service": "API (Cloud Logging, ...)", "kind": "logs", "cloud": "yandex", "region": 0, "fixed_region": "ru-central1"},
	# --- Log and monitoring services -----------------------------------------------------------
	{"pattern": `(?:^|\.)datadoghq\.eu$`, "provider": "Datadog", "service": "log intake (EU1)", "kind": "logs", "cloud": "datadog", "region": 0, "country": "EU"},
	{"pattern": `(?:^|\.)(?:datadoghq\.com|ddog-gov\.com)$`, "provider": "Datadog", "service": "log intake (US)", "kind": "logs", "cloud": "datadog", "region": 0, "country": "US"},
	{"pattern": `(?:^|\.)grafana\.net$`, "provider": "Grafana Labs", "service": "Grafana Cloud", "kind": "logs", "cloud": "grafana", "region": 0},
	{"pattern": `(?:^|\.)splunkcloud\.com$`, "provider": "Splunk", "service": "Cloud", "kind": "logs", "cloud": "splunk", "region": 0},
	{"pattern": `\.([a-z]{2}(?:-gov)?-[a-z]+-[0-9])\.aws\.(?:cloud\.es\.io|elastic-cloud\.com|found\.io)$`, "provider": "Elastic", "service": "Cloud on AWS", "kind": "logs", "cloud": "aws", "region": 1},
	{"pattern": `\.(?:cloud\.es\.io|elastic-cloud\.com|found\.io)$`, "provider": "Elastic", "service": "Cloud", "kind": "logs", "cloud": "elastic", "region": 0},
	{"pattern": `(?:^|\.)eu01\.nr-data\.net$`, "provider": "New Relic", "service": "log intake (EU)", "kind": "logs", "cloud": "newrelic", "region": 0, "country": "EU"},
	{"pattern": `(?:^|\.)(?:nr-data\.net|newrelic\.com)$`, "provider": "New Relic", "service": "log intake (US)", "kind": "logs", "cloud": "newrelic", "region": 0, "country": "US"},
	{"pattern": `(?:^|\.)sumologic\.com$`, "provider": "Sumo Logic", "service": "log intake", "kind": "logs", "cloud": "sumologic", "region": 0},
	{"pattern": `(?:^|\.)papertrailapp\.com$`, "provider": "SolarWinds", "service": "Papertrail", "kind": "logs", "cloud": "papertrail", "region": 0},
	{"pattern": `(?:^|\.)logz\.io$`, "provider": "Logz.io", "service": "log intake", "kind": "logs", "cloud": "logzio", "region": 0},
	{"pattern": `(?:^|\.)betterstack\.com$`, "provider": "Better Stack", "service": "Logs", "kind": "logs", "cloud": "betterstack", "region": 0},
]

# Kinds of provider names that stand in front of a host and receive its traffic first.
front_kinds := {"load-balancer", "cdn", "tunnel", "edge-hosting"}

# ---------------------------------------------------------------------------------------
# Host names out of what resources write (URLs, host:port, bucket URLs, bare names)
# ---------------------------------------------------------------------------------------

# The parts of a destination written as a URL, host:port or bare host name:
# {scheme, host, port, path} (scheme "" and port "" when not written; host lower-case without
# a trailing dot; IPv6 without brackets). For object-storage URLs (s3://, gs://, ...) the host is
# the bucket. Undefined for text that names no host.
parse(text) := {"scheme": lower(scheme), "host": h, "port": port, "path": path} if {
	is_string(text)
	s := trim_space(text)
	i := indexof(s, "://")
	i > 0
	scheme := substring(s, 0, i)
	rest := substring(s, i + 3, -1)
	authority := _strip_userinfo(split(split(split(rest, "/")[0], "?")[0], "#")[0])
	path := substring(rest, count(split(rest, "/")[0]), -1)
	[h, port] := _host_port(authority)
	h != ""
} else := {"scheme": "", "host": h, "port": port, "path": ""} if {
	is_string(text)
	s := trim_space(text)
	not contains(s, "://")
	not contains(s, "/")
	not contains(s, " ")
	[h, port] := _host_port(_strip_userinfo(s))
	h != ""
	regex.match(`^[a-z0-9_.:-]+$`, h)
}

# user info ends at the last "@"
_strip_userinfo(a) := parts[count(parts) - 1] if {
	parts := split(a, "@")
}

_host_port(a) := [lower(substring(a, 1, close - 1)), _after_colon(substring(a, close + 1, -1))] if {
	startswith(a, "[")
	close := indexof(a, "]")
	close > 0
} else := [lower(trim_suffix(substring(a, 0, i), ".")), substring(a, i + 1, -1)] if {
	regex.match(`^[^:\[]+:[0-9]*$`, a)
	i := indexof(a, ":")
} else := [lower(trim_suffix(a, ".")), ""]

_after_colon(rest) := substring(rest, 1, -1) if startswith(rest, ":")

_after_colon(rest) := "" if not startswith(rest, ":")

# Bucket URL schemes of object storage clients (barman, Velero, rclone, the cloud CLIs).
bucket_schemes := {"s3": "aws", "s3a": "aws", "s3n": "aws", "gs": "google", "gcs": "google", "azure": "azure", "az": "azure", "abfs": "azure", "abfss": "azure", "wasb": "azure", "wasbs": "azure", "oss": "alibaba", "r2": "cloudflare"}

is_ip(h) if regex.match(`^[0-9]{1,3}(\.[0-9]{1,3}){3}$`, h)

is_ip(h) if {
	contains(h, ":")
	regex.match(`^[0-9a-f:.]+$`, h)
}

# ---------------------------------------------------------------------------------------
# Lookups
# ---------------------------------------------------------------------------------------

# What the table knows about host h: {provider, service, kind, cloud, region, jurisdiction,
# place} (region, jurisdiction and place null when the name does not say); undefined for a host
# of no known provider.
provider(h) := info if {
	is_string(h)
	host := lower(trim_suffix(h, "."))
	hits := [i | some i, e in provider_hosts; regex.match(e.pattern, host)]
	count(hits) > 0
	e := provider_hosts[hits[0]]
	region := _region(e, host)
	info := {
		"provider": e.provider,
		"service": e.service,
		"kind": e.kind,
		"cloud": e.cloud,
		"region": region,
		"jurisdiction": _jurisdiction(e, region),
		"place": _place(e, region),
	}
}

_region(e, host) := r if {
	e.region > 0
	m := regex.find_all_string_submatch_n(e.pattern, host, 1)
	count(m) > 0
	r := regions.region(e.cloud, m[0][e.region])
} else := e.fixed_region if {
	is_string(e.fixed_region)
} else := null

_jurisdiction(e, region) := regions.jurisdiction(e.cloud, region) if {
	region != null
	regions.tables[e.cloud][region]
} else := e.country if {
	is_string(e.country)
} else := null

_place(e, region) := regions.place(e.cloud, region) if {
	region != null
	regions.tables[e.cloud][region]
} else := null

# Whether host h is a provider's load balancer, CDN, tunnel or edge host (something that
# receives traffic in front of the host that points at it).
front(h) := info if {
	info := provider(h)
	info.kind in front_kinds
}

# A provider host for messages: "AWS Network Load Balancer in eu-central-1 (Frankfurt, DE)".
describe(info) := sprintf("%s %s in %s (%s, %s)", [info.provider, info.service, info.region, info.place, info.jurisdiction]) if {
	info.place != null
} else := sprintf("%s %s (%s)", [info.provider, info.service, info.jurisdiction]) if {
	info.jurisdiction != null
} else := sprintf("%s %s (country not known)", [info.provider, info.service])
