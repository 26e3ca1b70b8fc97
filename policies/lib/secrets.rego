# METADATA
# title: Plaintext secrets in configuration
# description: >-
#   Values in a resource's configuration that hold a credential in clear text: keys named like a
#   password, token or key whose value is not a reference, plain `env` entries named like one, and
#   secret material inside text (PEM private keys, WireGuard PrivateKey/PresharedKey lines).
package kz.lib.secrets

import data.kz.lib.kube
import data.kz.lib.settings

# Paths (dotted) of values in a resource's configuration that hold a secret in clear text.
plaintext_secrets(r) := (_secret_keys(r) | _secret_env(r)) | _secret_material(r)

# Matched against lower-cased key names.
secret_key_pattern := `(password|passwd|secret|private[_-]?key|preshared[_-]?key|token|api[_-]?key|access[_-]?key)`

# Keys whose value is a reference to a Secret, not a secret.
secret_ref_pattern := `((secretname|secret_name|secretref|secret_ref|secretkeyref|secret_key_ref|tokenfile|token_file|keyfile|key_file|passwordfile|password_file|passwordkey|password_key|usernamekey|secretmountpath|mount_path|mountpath|path|secrets|name)$|existingsecret|existing_secret)`

# Secret material inside text values (configuration files in ConfigMaps, Helm values):
# PEM private keys, WireGuard PrivateKey/PresharedKey lines.
secret_material_patterns := [
	`-----BEGIN [A-Z ]*PRIVATE KEY-----`,
	`(PrivateKey|PresharedKey)[ \t]*=[ \t]*[A-Za-z0-9+/]{42,43}=`,
]

_dotted(path) := concat(".", [sprintf("%v", [x]) | some x in path])

_secret_keys(r) := {_dotted(path) |
	walk(settings.values_of(r), [path, v])
	is_string(v)
	v != ""
	count(path) > 0
	k := path[count(path) - 1]
	is_string(k)
	regex.match(secret_key_pattern, lower(k))
	not regex.match(secret_ref_pattern, lower(k))
	not _looks_like_reference(v)
}

# Plain `env` entries whose name looks like a credential: [{name: "DB_PASSWORD", value: "x"}].
_secret_env(r) := {concat(".", [_dotted(path), node.name]) |
	walk(settings.values_of(r), [path, node])
	is_object(node)
	is_string(node.name)
	regex.match(secret_key_pattern, lower(node.name))
	is_string(node.value)
	node.value != ""
}

_secret_material(r) := {_dotted(path) |
	walk(settings.values_of(r), [path, v])
	is_string(v)
	some pat in secret_material_patterns
	regex.match(pat, v)
}

_looks_like_reference(v) if startswith(v, "${")

_looks_like_reference(v) if startswith(v, "/")

_looks_like_reference(v) if regex.match(`^(secret|secretref|vault|ref|env)[:/]`, lower(v))

# Resources whose configuration must not hold secrets: everything of Kubernetes and Helm
# except Secret objects themselves.
may_hold_config(r) if {
	kube.is_kube(r)
	kube.kind(r) != "Secret"
}

may_hold_config(r) if {
	kube.is_kube(r)
	not kube.kind(r)
}
