package kz.lib.secrets_test

import data.kz.lib.secrets

test_plaintext_secrets if {
	secrets.plaintext_secrets({"type": "helm_release", "values": {"values": ["{\"auth\": {\"postgresPassword\": \"hunter2\", \"existingSecret\": \"db\"}}"]}}) == {"auth.postgresPassword"}
	secrets.plaintext_secrets({"type": "kubernetes_deployment_v1", "values": {"spec": [{"env": [{"name": "DB_PASSWORD", "value": "x"}, {"name": "MODE", "value": "y"}]}]}}) == {"spec.0.env.0.DB_PASSWORD"}
	secrets.plaintext_secrets({"type": "kubernetes_config_map_v1", "values": {"data": {"wg0.conf": "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n"}}}) == {"data.wg0.conf"}
	secrets.plaintext_secrets({"type": "kubernetes_config_map_v1", "values": {"data": {"password": "${var.x}", "passwordFile": "/run/secrets/pw"}}}) == set()
}

test_credentials_inside_urls if {
	secrets.plaintext_secrets({"type": "kubernetes_deployment_v1", "values": {"spec": [{"env": [{"name": "DATABASE_URL", "value": "postgres://app:s3cr3t@clients-rw.clients.svc:5432/app"}]}]}}) == {"spec.0.env.0.value"}
	secrets.plaintext_secrets({"type": "kubernetes_config_map_v1", "values": {"data": {"app.yaml": "mongo:\n  uri: mongodb+srv://reader:Pa55w0rd@cluster0.example.net/app\n"}}}) == {"data.app.yaml"}
	secrets.plaintext_secrets({"type": "kubernetes_config_map_v1", "values": {"data": {"standby.conf": "primary_conninfo = 'host=kz-db port=5432 user=replicator password=hunter2 sslmode=verify-full'"}}}) == {"data.standby.conf"}
	# references and URLs without a password are not secrets
	secrets.plaintext_secrets({"type": "kubernetes_config_map_v1", "values": {"data": {"a": "postgres://app:$(DB_PASSWORD)@db:5432/app", "b": "postgres://app:${DB_PASSWORD}@db/app", "c": "https://user@example.kz/x", "d": "postgres://app@db/app"}}}) == set()
}

# An ExternalSecret names the key a value is stored under (spec.data[].secretKey): not a secret.
test_external_secret_keys_are_names if {
	es := {"type": "kubernetes_manifest", "values": {"manifest": {"apiVersion": "external-secrets.io/v1beta1", "kind": "ExternalSecret", "metadata": {"name": "db"}, "spec": {"secretStoreRef": {"name": "vault", "kind": "ClusterSecretStore"}, "data": [{"secretKey": "password", "remoteRef": {"key": "kz-ala-1/clients/db", "property": "password"}}]}}}}
	secrets.plaintext_secrets(es) == set()
	# a chart value named secretKey is a secret
	secrets.plaintext_secrets({"type": "helm_release", "values": {"values": ["{\"minio\": {\"secretKey\": \"minio123\"}}"]}}) == {"minio.secretKey"}
}

test_secret_objects_may_hold_secrets if {
	not secrets.may_hold_config({"type": "kubernetes_secret_v1", "values": {}})
	not secrets.may_hold_config({"type": "kubectl_manifest", "values": {"yaml_body": "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"}})
	secrets.may_hold_config({"type": "helm_release", "values": {}})
	secrets.may_hold_config({"type": "kubernetes_config_map_v1_data", "values": {}})
	not secrets.may_hold_config({"type": "aws_db_instance", "values": {}})
}
