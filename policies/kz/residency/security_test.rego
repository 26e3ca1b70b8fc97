package kz.residency.security_test

import data.kz.residency.fixtures_test as fx
import data.kz.residency.security

_deny(rs) := d if {
	d := security.deny with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

test_security_compliant if {
	count(_deny(fx.compliant)) == 0
}

# --- KZ-SEC-001 ---------------------------------------------------------------------------

test_sec001_password_in_helm_values if {
	v := object.union(fx.store_values, {"auth": {"postgresPassword": "hunter2"}})
	fx.pairs(_deny([fx.helm_store("clients", "helm.ala", v)])) == {["KZ-SEC-001", "helm_release.clients"]}
}

test_sec001_password_in_set_block if {
	r := fx.res("helm_release", "app", "helm.ala", {"name": "app", "chart": "webapp", "values": [], "set": [{"name": "db.password", "value": "hunter2"}]})
	fx.pairs(_deny([r])) == {["KZ-SEC-001", "helm_release.app"]}
}

test_sec001_existing_secret_reference_is_fine if {
	v := object.union(fx.store_values, {"auth": {"existingSecret": "pg-auth"}, "backups": {"secret": {"create": false, "name": "s3-creds"}}})
	count(_deny([fx.helm_store("clients", "helm.ala", v)])) == 0
}

# Bitnami: the key *name* inside an existing Secret is not a secret
test_sec001_existing_secret_password_key_is_fine if {
	r := fx.res("helm_release", "pg", "helm.ala", {"name": "pg", "chart": "postgresql", "values": ["auth:\n  existingSecret: postgresql\n  existingSecretPasswordKey: \"postgres-password\"\n"]})
	count(_deny([r])) == 0
}

# the AWS/MinIO style secret key is a secret
test_sec001_secret_key_is_a_secret if {
	r := fx.res("helm_release", "minio", "helm.ala", {"name": "minio", "chart": "webapp", "values": [], "set": [{"name": "s3.secretKey", "value": "wJalrXUtnFEMI/K7MDENG"}]})
	fx.pairs(_deny([r])) == {["KZ-SEC-001", "helm_release.minio"]}
}

test_sec001_wireguard_key_in_config_map if {
	cm := fx.res("kubernetes_config_map_v1", "tunnel", "kubernetes.ala", {"metadata": [{"name": "t"}], "data": {"wg0.conf": "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\nListenPort = 51820\n"}})
	fx.pairs(_deny([cm])) == {["KZ-SEC-001", "kubernetes_config_map_v1.tunnel"]}
}

test_sec001_env_value_in_deployment if {
	d := fx.res("kubernetes_deployment_v1", "api", "kubernetes.ala", {"metadata": [{"name": "api"}], "spec": [{"template": [{"spec": [{"container": [{"name": "api", "env": [{"name": "DB_PASSWORD", "value": "hunter2"}]}]}]}]}]})
	fx.pairs(_deny([d])) == {["KZ-SEC-001", "kubernetes_deployment_v1.api"]}
}

test_sec001_secret_objects_hold_secrets if {
	s := fx.res("kubernetes_secret_v1", "pg", "kubernetes.ala", {"metadata": [{"name": "pg"}], "data": {"password": "hunter2"}})
	count(_deny([s])) == 0
}

test_sec001_generated_value_unknown_at_plan if {
	d := fx.res("kubernetes_deployment_v1", "api", "kubernetes.ala", {"metadata": [{"name": "api"}], "spec": [{"template": [{"spec": [{"container": [{"name": "api", "env": [{"name": "DB_PASSWORD"}]}]}]}]}]})
	count(_deny([d])) == 0
}

# --- KZ-SEC-002 ---------------------------------------------------------------------------

test_sec002_tls_disabled if {
	r := fx.res("helm_release", "cache", "helm.ala", {"name": "cache", "chart": "redis", "namespace": "clients", "values": [json.marshal({
		"residency": {"dataClass": "personal", "role": "cache", "site": "kz-ala-1"},
		"tls": {"enabled": false},
	})]})
	fx.pairs(_deny([r])) == {["KZ-SEC-002", "helm_release.cache"]}
}

test_sec002_tls_enabled_chart if {
	r := fx.res("helm_release", "cache", "helm.ala", {"name": "cache", "chart": "redis", "namespace": "clients", "values": [json.marshal({
		"residency": {"dataClass": "personal", "role": "cache", "site": "kz-ala-1"},
		"tls": {"enabled": true},
	})]})
	count(_deny([r])) == 0
}

test_sec002_cnpg_with_tls_annotation_optional if {
	v := object.union(fx.store_values, {"cluster": {"annotations": {"residency.kz/tls": "optional"}}})
	fx.pairs(_deny([fx.helm_store("clients", "helm.ala", v)])) == {["KZ-SEC-002", "helm_release.clients"]}
}
