package kz.lib.secrets_test

import data.kz.lib.secrets

test_plaintext_secrets if {
	secrets.plaintext_secrets({"type": "helm_release", "values": {"values": ["{\"auth\": {\"postgresPassword\": \"hunter2\", \"existingSecret\": \"db\"}}"]}}) == {"auth.postgresPassword"}
	secrets.plaintext_secrets({"type": "kubernetes_deployment_v1", "values": {"spec": [{"env": [{"name": "DB_PASSWORD", "value": "x"}, {"name": "MODE", "value": "y"}]}]}}) == {"spec.0.env.0.DB_PASSWORD"}
	secrets.plaintext_secrets({"type": "kubernetes_config_map_v1", "values": {"data": {"wg0.conf": "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n"}}}) == {"data.wg0.conf"}
	secrets.plaintext_secrets({"type": "kubernetes_config_map_v1", "values": {"data": {"password": "${var.x}", "passwordFile": "/run/secrets/pw"}}}) == set()
}

test_secret_objects_may_hold_secrets if {
	not secrets.may_hold_config({"type": "kubernetes_secret_v1", "values": {}})
	not secrets.may_hold_config({"type": "kubectl_manifest", "values": {"yaml_body": "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"}})
	secrets.may_hold_config({"type": "helm_release", "values": {}})
	secrets.may_hold_config({"type": "kubernetes_config_map_v1_data", "values": {}})
	not secrets.may_hold_config({"type": "aws_db_instance", "values": {}})
}
