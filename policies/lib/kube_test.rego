package kz.lib.kube_test

import data.kz.lib.kube

_typed_sts := {"type": "kubernetes_stateful_set_v1", "values": {
	"metadata": [{"name": "pg", "namespace": "db", "labels": {"app": "pg"}}],
	"spec": [{
		"template": [{"metadata": [{"labels": {"residency.kz/role": "primary"}}], "spec": [{
			"container": [{"name": "pg", "volume_mount": [{"name": "data", "mount_path": "/data"}, {"name": "conf", "mount_path": "/etc/pg", "read_only": true}]}],
			"volume": [{"name": "conf", "host_path": [{"path": "/srv/conf"}]}, {"name": "extra", "persistent_volume_claim": [{"claim_name": "extra"}]}],
		}]}],
		"volume_claim_template": [{"metadata": [{"name": "data"}], "spec": [{"storage_class_name": "ala-ceph-encrypted"}]}],
	}],
}}

_kubectl := {"type": "kubectl_manifest", "values": {"yaml_body": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: files\n  namespace: docs\n  labels:\n    residency.kz/data-class: personal\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          volumeMounts:\n            - {name: data, mountPath: /data}\n      volumes:\n        - name: data\n          hostPath: {path: /srv/files}\n"}}

_manifest := {"type": "kubernetes_manifest", "values": {"manifest": {"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster", "metadata": {"name": "c", "namespace": "db"}, "spec": {"instances": 3}}}}

_kustomize := {"type": "kustomization_resource", "values": {"manifest": "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"data\",\"namespace\":\"x\"},\"spec\":{\"storageClassName\":\"fast\"}}"}}

_cron := {"type": "kubernetes_cron_job_v1", "values": {"metadata": [{"name": "dump"}], "spec": [{"job_template": [{"spec": [{"template": [{"spec": [{"volume": [{"name": "out", "persistent_volume_claim": [{"claim_name": "dumps"}]}]}]}]}]}]}]}}

test_kind_of_every_form if {
	kube.kind(_typed_sts) == "StatefulSet"
	kube.kind({"type": "kubernetes_daemonset", "values": {}}) == "DaemonSet"
	kube.kind({"type": "kubernetes_daemon_set_v1", "values": {}}) == "DaemonSet"
	kube.kind(_kubectl) == "Deployment"
	kube.kind(_manifest) == "Cluster"
	kube.kind(_kustomize) == "PersistentVolumeClaim"
	kube.api_group(_manifest) == "postgresql.cnpg.io"
	kube.api_group(_kubectl) == "apps"
}

test_metadata_of_every_form if {
	kube.namespace(_typed_sts) == "db"
	kube.name(_kubectl) == "files"
	kube.labels(_kubectl) == {"residency.kz/data-class": "personal"}
	kube.namespace({"type": "helm_release", "values": {"namespace": "apps"}}) == "apps"
	kube.namespace({"type": "kubernetes_config_map_v1", "values": {"metadata": [{"name": "x"}]}}) == "default"
	kube.pod_template_labels(_typed_sts) == {"residency.kz/role": "primary"}
}

test_volumes_and_mounts if {
	kube.volumes(_typed_sts) == [{"name": "conf", "claim": null, "host_path": "/srv/conf"}, {"name": "extra", "claim": "extra", "host_path": null}]
	kube.writable_mounts(_typed_sts) == {"data"}
	kube.volumes(_kubectl) == [{"name": "data", "claim": null, "host_path": "/srv/files"}]
	kube.writable_mounts(_kubectl) == {"data"}
	kube.volumes(_cron) == [{"name": "out", "claim": "dumps", "host_path": null}]
	kube.claim_templates(_typed_sts) == [{"name": "data", "storage_class": "ala-ceph-encrypted"}]
	kube.claim_storage_class(_kustomize) == "fast"
}

test_kube_types if {
	kube.is_kube({"type": "kubernetes_manifest"})
	kube.is_kube({"type": "kubectl_manifest"})
	kube.is_kube({"type": "helm_release"})
	not kube.is_kube({"type": "aws_db_instance"})
}

test_cluster_key if {
	kube.cluster_key({"host": {"kind": "constant", "value": "HTTPS://K8S.example.kz:443/"}, "provider_key": "k"}) == "https://k8s.example.kz:443"
	kube.cluster_key({"host": {"kind": "reference", "value": "x"}, "provider_key": "helm.eks"}) == "provider:helm.eks"
}
