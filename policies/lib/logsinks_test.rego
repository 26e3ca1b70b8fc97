package kz.lib.logsinks_test

import data.kz.lib.logsinks
import data.kz.residency.fixtures_test as fx

_judge(rs, a) := j if {
	j := logsinks.judge(a) with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

test_duration_days if {
	logsinks.duration_days("26280h") == 1095
	logsinks.duration_days("1095d") == 1095
	logsinks.duration_days("3y") == 1095
	not logsinks.duration_days("forever")
}

test_compliant_loki if {
	j := _judge(fx.compliant, "helm_release.loki")
	j.problems == set()
	j.retention_days == 1095
	count(j.write_once) == 1
}

test_sinks_the_plan_does_not_show if {
	count(_judge(fx.compliant, null).problems) == 1
	count(_judge(fx.compliant, "helm_release.clients").problems) == 1
}

_lock(mode, days) := fx.res("aws_s3_bucket_object_lock_configuration", "audit", "aws", {"bucket": null, "object_lock_enabled": "Enabled", "rule": [{"default_retention": [{"mode": mode, "days": days, "years": null}]}]})

_bucket := fx.res("aws_s3_bucket", "audit", "aws", {"bucket": "audit-logs-aws", "object_lock_enabled": true})

# The lock configuration names its bucket by reference (known after apply): the configuration's
# expressions link them.
_refplan(rs) := p if {
	base := fx.plan(rs)
	p := object.union(base, {"configuration": {"root_module": {"resources": [object.union(x, {"expressions": {"bucket": {"references": ["aws_s3_bucket.audit.id", "aws_s3_bucket.audit"]}}}) | some x in base.configuration.root_module.resources; x.type == "aws_s3_bucket_object_lock_configuration"]}}})
}

test_aws_object_lock if {
	locks := logsinks.write_once({}, "s3.eu-central-1.amazonaws.com", "audit-logs-aws") with input as _refplan([_bucket, _lock("COMPLIANCE", 1095)]) with data.kz_residency.sites as fx.sites
	{l.days | some l in locks} == {1095}
	logsinks.write_once({}, "s3.eu-central-1.amazonaws.com", "audit-logs-aws") == set() with input as _refplan([_bucket, _lock("GOVERNANCE", 1095)]) with data.kz_residency.sites as fx.sites
}

test_gcs_locked_retention if {
	b := fx.res("google_storage_bucket", "audit", "google", {"name": "audit-gcs", "location": "EUROPE-WEST3", "retention_policy": [{"is_locked": true, "retention_period": 94608000}]})
	{l.days | some l in logsinks.write_once({}, "storage.googleapis.com", "audit-gcs")} == {1095} with input as fx.plan([b]) with data.kz_residency.sites as fx.sites
	unlocked := fx.res("google_storage_bucket", "audit", "google", {"name": "audit-gcs", "location": "EUROPE-WEST3", "retention_policy": [{"is_locked": false, "retention_period": 94608000}]})
	logsinks.write_once({}, "storage.googleapis.com", "audit-gcs") == set() with input as fx.plan([unlocked]) with data.kz_residency.sites as fx.sites
}
