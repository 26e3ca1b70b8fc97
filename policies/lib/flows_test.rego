package kz.lib.flows_test

import data.kz.lib.flows

_values(v) := {"type": "helm_release", "address": "helm_release.x", "values": {"values": [json.marshal(v)]}}

test_backup_targets if {
	flows.backup_targets(_values({"backups": {"enabled": true, "endpointURL": "https://s3.ala.example.kz", "data": {"encryption": "AES256"}}})) == {{"endpoint": "https://s3.ala.example.kz", "encrypted": true}}
	flows.backup_targets(_values({"backups": {"enabled": false, "endpointURL": "https://s3.ala.example.kz"}})) == set()
	flows.backup_targets(_values({"cluster": {"backup": {"barmanObjectStore": {"endpointURL": "https://s3.fra.example.com"}}}})) == {{"endpoint": "https://s3.fra.example.com", "encrypted": false}}
}
