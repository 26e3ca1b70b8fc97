# METADATA
# title: Audit log sinks and write-once storage
# description: >-
#   What a log sink keeps and for how long, read from its configuration: a Loki release
#   (authentication, whether its delete API is on — compactor retention with a deletion_mode other
#   than disabled —, its retention period, and the object storage it writes to) and the
#   write-once storage under it: a bucket with object locking and a default retention in
#   COMPLIANCE mode, on a MinIO tenant (the bucket's objectLock plus a job that sets the default
#   retention with `mc retention set --default COMPLIANCE`), AWS S3 (object_lock_enabled and an
#   aws_s3_bucket_object_lock_configuration in COMPLIANCE mode), Yandex Object Storage
#   (object_lock_configuration in COMPLIANCE mode) or Google Cloud Storage (a locked retention
#   policy). GOVERNANCE mode can be lifted by a privileged user, so it is not write-once. A label
#   or annotation that says a sink is immutable is a claim and is not read.
package kz.lib.logsinks

import data.kz.lib.helm
import data.kz.lib.hostnames
import data.kz.lib.kube
import data.kz.lib.network
import data.kz.lib.plan

# ---------------------------------------------------------------------------------------
# Loki
# ---------------------------------------------------------------------------------------

loki(r) if {
	r.type == "helm_release"
	helm.chart_name(r) in {"loki", "loki-distributed", "loki-simple-scalable", "loki-stack"}
}

# Loki's configuration as the chart renders it: loki.* with loki.structuredConfig on top.
_loki_config(r) := object.union(object.get(v, "loki", {}), object.get(v, ["loki", "structuredConfig"], {})) if {
	v := helm.values(r)
}

_cfg(r, path, otherwise) := object.get(_loki_config(r), path, otherwise)

# Whether anyone who reaches Loki can delete logs through its API: the compactor applies
# retention and deletion_mode is not disabled (Loki 3 defaults to filter-and-delete).
loki_deletion_enabled(r) if {
	_cfg(r, ["compactor", "retention_enabled"], false) in {true, "true"}
	lower(_deletion_mode(r)) != "disabled"
}

_deletion_mode(r) := m if {
	m := _cfg(r, ["limits_config", "deletion_mode"], null)
	is_string(m)
} else := m if {
	m := _cfg(r, ["compactor", "deletion_mode"], null)
	is_string(m)
} else := "filter-and-delete"

# The chart turns authentication on unless told otherwise.
loki_auth(r) if not _cfg(r, ["auth_enabled"], true) in {false, "false"}

# Days Loki keeps logs (retention_period, applied by the compactor); undefined when it does not
# apply one.
loki_retention_days(r) := days if {
	_cfg(r, ["compactor", "retention_enabled"], false) in {true, "true"}
	p := _cfg(r, ["limits_config", "retention_period"], "")
	days := duration_days(p)
	days > 0
}

# "26280h" -> 1095, "1095d" -> 1095, "156w" -> 1092, "3y" -> 1095.
duration_days(p) := d if {
	is_string(p)
	m := regex.find_all_string_submatch_n(`^([0-9]+)(h|d|w|y)$`, trim_space(p), 1)[0]
	n := to_number(m[1])
	d := n * {"h": 1 / 24, "d": 1, "w": 7, "y": 365}[m[2]]
}

# Where Loki writes chunks: {type, endpoint (host or URL, "" when the provider default), bucket}.
loki_storage(r) := {"type": type, "endpoint": _loki_endpoint(r), "bucket": _loki_bucket(r), "bundled_minio": _bundled_minio(r)} if {
	type := lower(_cfg(r, ["storage", "type"], _default_storage(r)))
}

_default_storage(r) := "s3" if object.get(helm.values(r), ["minio", "enabled"], false) == true

_default_storage(r) := "filesystem" if not object.get(helm.values(r), ["minio", "enabled"], false) == true

_bundled_minio(r) := true if object.get(helm.values(r), ["minio", "enabled"], false) == true else := false

_loki_endpoint(r) := e if {
	e := _cfg(r, ["storage", "s3", "endpoint"], "")
	is_string(e)
	e != ""
} else := e if {
	e := _cfg(r, ["storage_config", "aws", "endpoint"], "")
	is_string(e)
	e != ""
} else := sprintf("s3.%s.amazonaws.com", [region]) if {
	region := _cfg(r, ["storage", "s3", "region"], "")
	is_string(region)
	region != ""
} else := ""

_loki_bucket(r) := b if {
	b := _cfg(r, ["storage", "bucketNames", "chunks"], "")
	is_string(b)
	b != ""
} else := b if {
	b := split(_cfg(r, ["storage_config", "aws", "bucketnames"], ""), ",")[0]
	b != ""
} else := ""

# ---------------------------------------------------------------------------------------
# Write-once buckets
# ---------------------------------------------------------------------------------------

# How bucket `bucket` behind endpoint `endpoint` (seen from resource `from`) is write-once:
# {how, days} of every mechanism that makes it so; empty when nothing does.
write_once(from, endpoint, bucket) := _minio_locks(from, endpoint, bucket) | _cloud_locks(bucket)

# MinIO: the tenant the endpoint leads to has the bucket with objectLock, and a job in its
# namespace sets the bucket's default retention in COMPLIANCE mode.
_minio_locks(from, endpoint, bucket) := {lock |
	endpoint != ""
	some n in network.resolve(from, endpoint)
	n.resource != null
	t := plan.by_address[n.resource]
	minio_tenant(t)
	some lock in tenant_locks(t)
	lock.bucket == bucket
}

minio_tenant(t) if {
	t.type == "helm_release"
	helm.chart_name(t) == "tenant"
}

minio_tenant(t) if {
	kube.api_group(t) == "minio.min.io"
	kube.kind(t) == "Tenant"
}

_tenant_buckets(t) := object.get(helm.values(t), ["tenant", "buckets"], []) if t.type == "helm_release"

_tenant_buckets(t) := object.get(kube.spec(t), "buckets", []) if t.type != "helm_release"

# Buckets of a tenant that are write-once: {bucket, how, days}.
tenant_locks(t) := {{"bucket": b.name, "how": sprintf("MinIO bucket %q with object lock, default retention COMPLIANCE %d days (%s)", [b.name, days, j.address]), "days": days} |
	some b in _tenant_buckets(t)
	is_object(b)
	b.objectLock in {true, "true"}
	some [j, days] in _retention_jobs(t, b.name)
}

# Jobs in the tenant's namespace that set a bucket's default retention in COMPLIANCE mode
# (`mc retention set --default COMPLIANCE <n>d <alias>/<bucket>`): [job, days].
_retention_jobs(t, bucket) := {[j, days] |
	some j in plan.resources
	kube.kind(j) in {"Job", "CronJob"}
	network.same_cluster(j, t)
	kube.namespace(j) == kube.namespace(t)
	some c in kube.containers(j)
	text := concat("\n", array.concat([kube.command_line(c)], [sprintf("%s=%s", [k, v]) | some k, v in kube.env_values(c)]))
	regex.match(`retention\s+set\s+--default`, text)
	regex.match(`(?i)\bcompliance\b`, text)
	not regex.match(`(?i)\bgovernance\b`, text)
	contains(text, bucket)
	days := _lock_days(c, text)
}

_lock_days(c, text) := to_number(m[1]) if {
	m := regex.find_all_string_submatch_n(`(?i)retention\s+set\s+--default\s+"?compliance"?\s+"?([0-9]+)d`, text, 1)[0]
} else := to_number(v) if {
	some k, v in kube.env_values(c)
	regex.match(`(?i)retention_days|lock_days|_days$`, k)
	regex.match(`^[0-9]+$`, v)
} else := 0

# Cloud buckets named `bucket` with object locking in COMPLIANCE mode (or a locked retention
# policy), wherever they are.
_cloud_locks(bucket) := {lock |
	bucket != ""
	some r in _cloud_buckets
	_bucket_name(r) == bucket
	some lock in _cloud_lock(r)
}

_cloud_buckets := [r | some r in plan.resources; r.type in {"aws_s3_bucket", "yandex_storage_bucket", "google_storage_bucket"}]

_bucket_name(r) := object.get(r.values, "bucket", object.get(r.values, "name", ""))

_aws_lock_configs := [r | some r in plan.resources; r.type == "aws_s3_bucket_object_lock_configuration"]

_cloud_lock(r) := {{"bucket": _bucket_name(r), "how": sprintf("S3 bucket %q with Object Lock, default retention COMPLIANCE %v days (%s)", [_bucket_name(r), days, c.address]), "days": days, "resource": r.address} |
	r.type == "aws_s3_bucket"
	_aws_lock_enabled(r)
	some c in _aws_lock_configs
	_configures(c, r)
	some rule in object.get(c.values, "rule", [])
	some d in object.get(rule, "default_retention", [])
	upper(object.get(d, "mode", "")) == "COMPLIANCE"
	days := _retention_days(d)
} | {{"bucket": _bucket_name(r), "how": sprintf("S3 bucket %q with Object Lock, default retention COMPLIANCE %v days", [_bucket_name(r), days]), "days": days, "resource": r.address} |
	r.type == "aws_s3_bucket"
	some olc in object.get(r.values, "object_lock_configuration", [])
	some rule in object.get(olc, "rule", [])
	some d in object.get(rule, "default_retention", [])
	upper(object.get(d, "mode", "")) == "COMPLIANCE"
	days := _retention_days(d)
} | {{"bucket": _bucket_name(r), "how": sprintf("Yandex Object Storage bucket %q with object lock, default retention COMPLIANCE %v days", [_bucket_name(r), days]), "days": days, "resource": r.address} |
	r.type == "yandex_storage_bucket"
	some olc in object.get(r.values, "object_lock_configuration", [])
	object.get(olc, "object_lock_enabled", "") == "Enabled"
	some rule in object.get(olc, "rule", [])
	some d in object.get(rule, "default_retention", [])
	upper(object.get(d, "mode", "")) == "COMPLIANCE"
	days := _retention_days(d)
} | {{"bucket": _bucket_name(r), "how": sprintf("Cloud Storage bucket %q with a locked retention policy of %v days", [_bucket_name(r), days]), "days": days, "resource": r.address} |
	r.type == "google_storage_bucket"
	some p in object.get(r.values, "retention_policy", [])
	p.is_locked == true
	days := to_number(p.retention_period) / 86400
	days > 0
}

_aws_lock_enabled(r) if r.values.object_lock_enabled == true

_aws_lock_enabled(r) if {
	some olc in object.get(r.values, "object_lock_configuration", [])
	olc.object_lock_enabled == "Enabled"
}

_retention_days(d) := to_number(d.days) if {
	d.days != null
	to_number(d.days) > 0
} else := to_number(d.years) * 365 if {
	d.years != null
	to_number(d.years) > 0
} else := 0

# A lock configuration applies to a bucket it names, or whose resource its configuration
# references (bucket = aws_s3_bucket.x.id is known only after apply).
_configures(c, r) if c.values.bucket == _bucket_name(r)

_configures(c, r) if {
	ck := concat("|", [plan.config_module_path(c.module), concat(".", [c.type, c.name])])
	some ref in object.get(plan.config_resources, [ck, "expressions", "bucket", "references"], [])
	ref == concat(".", [r.type, r.name])
}

# ---------------------------------------------------------------------------------------
# A sink, judged
# ---------------------------------------------------------------------------------------

# What keeps the logs that reach resource `a` (the destination of a log-shipping edge):
# {resource, what, problems, retention_days, write_once}. A destination the plan does not show
# (or does not recognise as a log store) proves nothing about write-once storage or deletion.
judge(a) := s if {
	a != null
	r := plan.by_address[a]
	loki(r)
	st := loki_storage(r)
	locks := _storage_locks(r, st)
	days := _days(r, locks)
	problems := ((({"authentication is off (loki.auth_enabled: false): anyone who reaches Loki can push or query as any tenant" | not loki_auth(r)} | {sprintf("its delete API is on (compactor retention with deletion_mode %q): logs can be erased through Loki", [_deletion_mode(r)]) | loki_deletion_enabled(r)}) | _storage_problems(st, locks)) | {"no retention is set (neither Loki's retention_period with compactor retention nor a bucket's locked retention)" | days == 0})
	s := {"resource": a, "what": sprintf("Loki %s", [a]), "problems": problems, "retention_days": days, "write_once": [l.how | some l in locks]}
} else := {"resource": a, "what": a, "problems": {sprintf("%s is not a log store the policies can read (Loki): its write-once storage, retention and deletion settings are not proven", [a])}, "retention_days": 0, "write_once": []} if {
	a != null
} else := {"resource": null, "what": "a sink outside the plan", "problems": {"the sink is not in the plan: its write-once storage, retention and deletion settings are not proven"}, "retention_days": 0, "write_once": []}

_storage_locks(r, st) := set() if {
	st.type == "filesystem"
} else := write_once(r, st.endpoint, st.bucket)

_storage_problems(st, locks) := {"it keeps logs on its own volumes (storage type filesystem), which can be deleted: no write-once storage"} if {
	st.type == "filesystem"
} else := {"it writes to the chart's bundled MinIO (minio.enabled), which has no object lock: no write-once storage"} if {
	st.bundled_minio
	st.endpoint == ""
} else := {sprintf("its storage (bucket %q at %q) is not write-once: no object lock with a default retention in COMPLIANCE mode is proven for it", [st.bucket, st.endpoint])} if {
	count(locks) == 0
} else := set()

_days(r, locks) := max(array.concat([l.days | some l in locks], [_loki_days(r)]))

_loki_days(r) := loki_retention_days(r) if loki_retention_days(r) else := 0

# An audit store (a store with role audit) that is write-once by itself (a MinIO tenant whose
# buckets are locked in COMPLIANCE mode): the locks; empty for anything else.
store_locks(r) := tenant_locks(r) if minio_tenant(r) else := set()

# Whether a host is a provider's log service (for messages).
provider_logs(host) := info if {
	info := hostnames.provider(host)
	info.kind == "logs"
}
