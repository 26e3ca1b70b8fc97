package kz.lib.classification_test

import data.kz.lib.classification as cls

_obj(labels, annotations) := {"type": "kubernetes_stateful_set_v1", "address": "x", "provider_key": "k", "host": {"kind": "unknown", "value": null}, "values": {"metadata": [{"name": "x", "namespace": "x", "labels": labels, "annotations": annotations}]}}

_cloud(type, values) := {"type": type, "address": "y", "provider_key": "aws", "host": {"kind": "unknown", "value": null}, "values": values}

test_most_protective_class_wins if {
	cls.data_class(_obj({"residency.kz/data-class": "case"}, {"residency.kz/data-class": "personal"})) == "personal"
	cls.data_class(_obj({"residency.kz/data-class": "biometric"}, {"residency-kz-data-class": "special"})) == "biometric"
	cls.data_class(_obj({"residency.kz/data-class": "public"}, {"residency.kz/data-class": "case"})) == "case"
}

test_value_outside_the_vocabulary_is_unclassified if {
	not cls.data_class(_obj({"residency.kz/data-class": "internal"}, {}))
	cls.invalid_classes(_obj({"residency.kz/data-class": "internal"}, {})) == {"internal"}
	# Cyrillic "р" and "е" in "рersonal" / "personаl"
	not cls.data_class(_obj({"residency.kz/data-class": "рersonal"}, {}))
	cls.maybe_personal(_obj({"residency.kz/data-class": "рersonal"}, {}))
	# an unknown value outranks a claim that the data is not personal ...
	not cls.data_class(_obj({"residency.kz/data-class": "case"}, {"residency.kz/data-class": "persona1"}))
	# ... but not a valid personal class
	cls.data_class(_obj({"residency.kz/data-class": "personal"}, {"residency.kz/data-class": "persona1"})) == "personal"
}

test_case_and_spaces_are_normalised if {
	cls.data_class(_obj({"residency.kz/data-class": " Personal "}, {})) == "personal"
}

test_roles if {
	cls.effective_role(_obj({}, {})) == "primary"
	cls.effective_role(_obj({"residency.kz/role": "replica"}, {})) == "replica"
	cls.effective_role(_obj({"residency.kz/role": "master"}, {})) == "primary"
	cls.effective_role(_obj({"residency.kz/role": "replica"}, {"residency.kz/role": "primary"})) == "primary"
	cls.effective_role(_obj({"residency.kz/role": "replica"}, {"residency.kz/role": "standby"})) == "standby"
	cls.effective_role(_obj({"residency.kz/role": "replica"}, {"residency.kz/role": "Master"})) == "primary"
	cls.has_role(_obj({"residency.kz/role": "gateway"}, {}), "gateway")
}

test_cloud_safe_spelling_and_cloud_tags if {
	cls.data_class(_cloud("aws_db_instance", {"tags": {"residency-kz-data-class": "personal"}})) == "personal"
	# AWS default_tags live in tags_all
	cls.data_class(_cloud("aws_db_instance", {"tags": {}, "tags_all": {"residency-kz-data-class": "biometric"}})) == "biometric"
	cls.data_class(_cloud("google_storage_bucket", {"labels": {"residency-kz-data-class": "personal"}})) == "personal"
	cls.data_class(_cloud("google_sql_database_instance", {"settings": [{"user_labels": {"residency-kz-data-class": "special"}}]})) == "special"
	cls.data_class(_cloud("google_storage_bucket", {"effective_labels": {"residency-kz-data-class": "personal"}})) == "personal"
	cls.data_class(_cloud("mongodbatlas_advanced_cluster", {"tags": [{"key": "residency-kz-data-class", "value": "personal"}]})) == "personal"
	cls.site_claims(_cloud("azurerm_storage_account", {"tags": {"residency-kz-site": "kz-ala-1"}})) == {"kz-ala-1"}
}

test_helm_residency_map_and_chart_label_maps if {
	r := {"type": "helm_release", "address": "h", "provider_key": "helm", "host": {"kind": "unknown", "value": null}, "values": {"namespace": "x", "values": [json.marshal({
		"residency": {"dataClass": "case", "role": "replica", "site": "kz-ala-1"},
		"primary": {"podLabels": {"residency.kz/data-class": "personal"}},
	})]}}
	cls.data_class(r) == "personal"
	cls.effective_role(r) == "replica"
	cls.site_claims(r) == {"kz-ala-1"}
}

test_custom_resource_residency_map if {
	r := {"type": "kubernetes_manifest", "address": "m", "provider_key": "k", "host": {"kind": "unknown", "value": null}, "values": {"manifest": {"kind": "Cluster", "metadata": {"name": "c"}, "spec": {"residency": {"dataClass": "special"}}}}}
	cls.data_class(r) == "special"
}

test_signals_first_found if {
	r := _obj({"residency.kz/tunnel": "a"}, {"residency.kz/tunnel": "b", "residency.kz/purpose": "care"})
	cls.signal_text(r, "tunnel") == "a"
	cls.signal_text(r, "purpose") == "care"
	not cls.signal_text(r, "legal-basis")
}

test_vocabulary_key if {
	cls.vocabulary_key("residency.kz/data-class") == "data-class"
	cls.vocabulary_key("residency-kz-data-class") == "data-class"
	not cls.vocabulary_key("app.kubernetes.io/name")
}
