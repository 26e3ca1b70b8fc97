# METADATA
# title: kz-residency report
# description: >-
#   The entrypoint for tools: data.kz.residency.report = {deny, warn, waived, expired_waivers}.
#   Collects the raw findings of every area, applies the profile (a rule denies in the profiles
#   its metadata lists and warns elsewhere) and the waivers (rule + address or glob, until their
#   expiry date). `deny` and `warn` are also sets in this package for conftest
#   (--namespace kz.residency).
package kz.residency

import data.kz.lib.providers
import data.kz.residency.alerting
import data.kz.residency.audit
import data.kz.residency.backup
import data.kz.residency.crossborder
import data.kz.residency.firsttouch
import data.kz.residency.governance
import data.kz.residency.security
import data.kz.residency.store
import data.kz.residency.ur832

profiles := {"law", "audit-ready", "ur832"}

_config := c if {
	c := data.kz_residency
	is_object(c)
} else := {}

# Absent or unknown profile: audit-ready (the unknown name is reported in `errors`).
profile := p if {
	p := _config.profile
	p in profiles
} else := "audit-ready"

# Raw findings of every area, before profile and waivers.
findings := (((((((store.deny | backup.deny) | crossborder.deny) | firsttouch.deny) | audit.deny) | alerting.deny) | security.deny) | governance.deny) | ur832.deny

# ---------------------------------------------------------------------------------------
# Waivers
# ---------------------------------------------------------------------------------------

_waivers := [w | some w in object.get(_config, "waivers", []); is_object(w)]

# The run's date: data.kz_residency.now (an ISO date) or the clock.
_now_ns := ns if {
	n := _config.now
	is_string(n)
	regex.match(_iso_date, n)
	ns := time.parse_rfc3339_ns(concat("", [substring(n, 0, 10), "T00:00:00Z"]))
} else := time.now_ns()

_iso_date := `^[0-9]{4}-[0-9]{2}-[0-9]{2}`

# A waiver holds through the whole of its expiry date.
_expiry_ns(w) := time.parse_rfc3339_ns(concat("", [substring(w.expires, 0, 10), "T23:59:59Z"])) if {
	is_string(w.expires)
	regex.match(_iso_date, w.expires)
}

_text(w, k) := trim_space(w[k]) if is_string(w[k])

_well_formed(w) if {
	_text(w, "rule") != ""
	_text(w, "resource") != ""
	_text(w, "reason") != ""
	_text(w, "approved_by") != ""
	_expiry_ns(w)
}

_usable contains w if {
	some w in _waivers
	_well_formed(w)
	_expiry_ns(w) >= _now_ns
}

# Expired waivers waive nothing and are listed.
expired_waivers := sort([w |
	some w in _waivers
	_well_formed(w)
	_expiry_ns(w) < _now_ns
])

# Waivers without rule, resource, reason, approver or a parseable expiry waive nothing.
invalid_waivers := sort([w |
	some w in _waivers
	not _well_formed(w)
])

_resource_matches(pattern, address) if pattern == address

_resource_matches(pattern, address) if glob.match(pattern, null, address)

# Usable waivers indexed, so that a finding looks only at the waivers that can match it, not at
# all of them (10,000 waivers made a check of a 10,000-resource plan 5.6x slower): by rule and
# resource (a resource without glob characters matches only itself); globs whose matches all
# have one length (character classes, which instance keys like ["a"] read as, match one
# character each) by rule and that length; other globs by rule.
_exact[w.rule][w.resource] contains w if some w in _usable

_is_glob(p) if regex.match(`[*?\[\]{}\\]`, p)

# The glob with each [...] class as one character, when nothing else in it varies the length.
_one_length(p) := r if {
	r := regex.replace(p, `\[[^\[\]]*\]`, "_")
	not regex.match(`[*?\[\]{}\\]`, r)
}

_globs_of_length[w.rule][count(_one_length(w.resource))] contains w if {
	some w in _usable
	_is_glob(w.resource)
}

_globs[w.rule] contains w if {
	some w in _usable
	_is_glob(w.resource)
	not _one_length(w.resource)
}

_waiver_for(f) := ws[0] if {
	exact := object.get(_exact, [f.rule, f.resource], set())
	sized := object.get(_globs_of_length, [f.rule, count(f.resource)], set())
	candidates := (exact | sized) | object.get(_globs, f.rule, set())
	ws := sort([w | some w in candidates; _resource_matches(w.resource, f.resource)])
	count(ws) > 0
}

# ---------------------------------------------------------------------------------------
# Profile
# ---------------------------------------------------------------------------------------

_public(f) := object.remove(f, ["profiles"])

_active contains f if {
	some f in findings
	not _waiver_for(f)
}

deny contains _public(f) if {
	some f in _active
	profile in f.profiles
}

warn contains _public(f) if {
	some f in _active
	not profile in f.profiles
}

waived contains object.union(_public(f), {"waiver": {
	"rule": w.rule,
	"resource": w.resource,
	"reason": w.reason,
	"approved_by": w.approved_by,
	"expires": w.expires,
}}) if {
	some f in findings
	w := _waiver_for(f)
}

_sorted(s) := [x[3] | some x in sort([[f.rule, f.resource, f.message, f] | some f in s])]

errors contains sprintf("unknown profile %q: using audit-ready (expected law, audit-ready or ur832)", [_config.profile]) if {
	_config.profile
	not _config.profile in profiles
}

errors contains sprintf("waiver for %v on %v has no rule, resource, reason, approver or parseable ISO expiry date: it waives nothing", [object.get(w, "rule", null), object.get(w, "resource", null)]) if {
	some w in invalid_waivers
}

# ---------------------------------------------------------------------------------------
# What each rule evaluated (its scope), for one test case per rule x resource (JUnit). Each
# area declares, beside its rules, the inventory each rule iterates; nothing is listed here.
# ---------------------------------------------------------------------------------------

_scopes := object.union_n([store.checked, backup.checked, crossborder.checked, firsttouch.checked, audit.checked, alerting.checked, security.checked, governance.checked, ur832.checked])

checked := {id: sort(addresses) | some id, addresses in _scopes}

# Provider configurations whose Kubernetes host was proven from the kubeconfig given to the
# command (`check --kubeconfig FILE`), not from the plan itself.
location_from_kubeconfig := [{"provider": key, "server": p.server, "source": p.source} | some key in sort(object.keys(providers.kubeconfig_proofs)); p := providers.kubeconfig_proofs[key]]

report := {
	"profile": profile,
	"deny": _sorted(deny),
	"warn": _sorted(warn),
	"waived": _sorted(waived),
	"expired_waivers": expired_waivers,
	"invalid_waivers": invalid_waivers,
	"errors": sort(errors),
	"checked": checked,
	"location_from_kubeconfig": location_from_kubeconfig,
}
