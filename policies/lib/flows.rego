# METADATA
# title: Flows out of stores
# description: >-
#   The edges by which data of a store reaches another host, beside the store inventory: each
#   {kind, source (the store's address), store, destination, encrypted}. Today: backups, read from
#   the store's own configuration (backup sections, CloudNativePG barmanObjectStore); an annotation
#   naming a backup target (`residency.kz/backup-target`) is a claim, not a backup. Rules judge
#   edges, so a new kind of flow is a new entry here.
package kz.lib.flows

import data.kz.lib.settings
import data.kz.lib.stores

backup_endpoint_keys := {"endpointURL", "endpointUrl", "endpoint_url", "endpoint", "s3Endpoint"}

# Backup destinations of a store: {endpoint, encrypted}.
backup_targets(r) := {t |
	values := settings.values_of(r)
	walk(values, [path, node])
	is_object(node)
	_backup_path(path)
	_enabled_along(values, path)
	some k in backup_endpoint_keys
	url := node[k]
	is_string(url)
	t := {"endpoint": url, "encrypted": _backup_encrypted(node)}
}

# Every backup edge of the inventory.
backups contains {"kind": "backup", "source": r.address, "store": r, "destination": t.endpoint, "encrypted": t.encrypted} if {
	some r in stores.stores
	some t in backup_targets(r)
}

# No object on the path (including the node itself) says enabled: false.
_enabled_along(values, path) if {
	every i in numbers.range(1, count(path)) {
		not _disabled_at(values, array.slice(path, 0, i))
	}
}

_disabled_at(values, prefix) if {
	node := object.get(values, prefix, {})
	is_object(node)
	node.enabled == false
}

_backup_path(path) if {
	some p in path
	is_string(p)
	some w in {"backup", "barmanobjectstore"}
	contains(lower(p), w)
}

_backup_encrypted(node) if {
	some part in ["data", "wal"]
	e := node[part].encryption
	is_string(e)
	e != ""
}

_backup_encrypted(node) if node.encryption == true

_backup_encrypted(node) if {
	is_string(node.encryption)
	node.encryption != ""
}

default _backup_encrypted(_) := false
