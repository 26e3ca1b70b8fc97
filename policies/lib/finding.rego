# METADATA
# title: Finding constructor
# description: >-
#   Builds a finding from the calling rule's own `# METADATA` (pass `rego.metadata.rule()`),
#   so title, severity, basis, law reference and remediation have one source.
package kz.lib.finding

new(meta, resource, site, message) := {
	"rule": meta.custom.id,
	"title": object.get(meta, "title", meta.custom.id),
	"severity": meta.custom.severity,
	"basis": meta.custom.basis,
	"law": meta.custom.law,
	"resource": resource,
	"site": _site(site),
	"message": message,
	"remediation": meta.custom.remediation,
	"msg": concat(": ", [meta.custom.id, message]),
	"profiles": object.get(meta.custom, "profiles", ["audit-ready", "ur832"]),
}

_site(s) := s if is_string(s)

_site(s) := null if not is_string(s)
