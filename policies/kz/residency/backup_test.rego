package kz.residency.backup_test

import data.kz.residency.backup
import data.kz.residency.fixtures_test as fx

_deny(rs) := d if {
	d := backup.deny with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

_with_backups(b) := object.union(object.remove(fx.store_values, ["backups"]), {"backups": b})

test_bak001_local_backup_compliant if {
	count(_deny(fx.compliant)) == 0
}

test_bak001_no_backup_at_all if {
	v := _with_backups({"enabled": false, "endpointURL": "https://s3.ala.example.kz"})
	fx.pairs(_deny([fx.helm_store("clients", "helm.ala", v)])) == {["KZ-BAK-001", "helm_release.clients"]}
}

test_bak001_backup_only_to_unregistered_endpoint if {
	# an unregistered endpoint counts as abroad: no local backup (BAK-001) and an uncovered copy (BAK-002)
	v := _with_backups({"enabled": true, "endpointURL": "https://backup.example.net"})
	fx.pairs(_deny([fx.helm_store("clients", "helm.ala", v)])) == {["KZ-BAK-001", "helm_release.clients"], ["KZ-BAK-002", "helm_release.clients"]}
}

test_bak001_cnpg_manifest_barman_local if {
	r := fx.res("kubernetes_manifest", "pg", "kubernetes.ala", {"manifest": {
		"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster",
		"metadata": {"name": "pg", "labels": {"residency.kz/data-class": "personal", "residency.kz/role": "primary"}},
		"spec": {"backup": {"barmanObjectStore": {"endpointURL": "https://s3.ala.example.kz/", "destinationPath": "s3://b/p"}}},
	}})
	count(_deny([r])) == 0
}

# an annotation naming a backup target is a claim, not a backup
test_bak001_backup_target_annotation_is_not_a_backup if {
	v := object.union(object.remove(fx.store_values, ["backups"]), {"cluster": {"annotations": {"residency.kz/backup-target": "https://s3.ast.example.kz"}}})
	fx.pairs(_deny([fx.helm_store("clients", "helm.ala", v)])) == {["KZ-BAK-001", "helm_release.clients"]}
}

# --- KZ-BAK-002 ---------------------------------------------------------------------------

test_bak002_copy_abroad_unencrypted_no_agreement if {
	v := object.union(fx.store_values, {"backups2": {"barmanObjectStore": {"endpointURL": "https://s3.fra.example.com"}}})
	fx.pairs(_deny([fx.helm_store("clients", "helm.ala", v)])) == {["KZ-BAK-002", "helm_release.clients"]}
}

test_bak002_copy_abroad_covered if {
	v := object.union(fx.store_values, {
		"backups2": {"barmanObjectStore": {"endpointURL": "https://s3.fra.example.com", "data": {"encryption": "AES256"}}},
		"cluster": {"annotations": {"residency.kz/transfer-agreement": "SCC-1", "residency.kz/legal-basis": "consent"}},
	})
	count(_deny([fx.helm_store("clients", "helm.ala", v)])) == 0
}
