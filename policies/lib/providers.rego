# METADATA
# title: Provider configurations
# description: >-
#   Which provider configuration a resource uses, and what the plan proves about its settings:
#   the Kubernetes API host (kubernetes, helm v2 and v3, kubectl), and any other argument such as
#   a cloud provider's region. A value proves something only when it is a constant, a variable
#   whose value the plan records (`variables`, module call arguments, defaults), or, for a
#   kubeconfig, the server of the context that `check --kubeconfig FILE` resolved. A value taken
#   from a data source, remote state or another resource proves nothing.
package kz.lib.providers

import data.kz.lib.plan

# ---------------------------------------------------------------------------------------
# Provider configuration keys
# ---------------------------------------------------------------------------------------

# "module.a.module.b:kubernetes.kz" -> ["module.a.module.b", "kubernetes.kz"]; "kubernetes" -> ["", "kubernetes"]
split_key(k) := [substring(k, 0, i), substring(k, i + 1, -1)] if {
	i := indexof(k, ":")
	i >= 0
} else := ["", k]

join_key(m, l) := l if m == ""

join_key(m, l) := concat(":", [m, l]) if m != ""

# One step up the module tree for a key that has no configuration of its own: the module
# call's `providers` map (older plans and converters keep module-local keys), else the parent's
# default (unaliased) configuration, which a module without one inherits. Terraform 1.1 and
# later already write the key of the configuration that applies, so a key present in
# provider_config is final.
_step(k) := nk if {
	not plan.provider_config[k]
	[m, l] := split_key(k)
	m != ""
	v := plan.module_call(m).providers[l]
	is_string(v)
	nk := join_key(plan.parent_module(m), v)
} else := nk if {
	not plan.provider_config[k]
	[m, l] := split_key(k)
	m != ""
	not contains(l, ".")
	nk := join_key(plan.parent_module(m), l)
}

# Candidate keys on the way up from k: every ancestor module with every local name that can
# occur on the way (k's own and those the calls pass).
_ancestors(m) := [_module_prefix(names, i) | some i in numbers.range(0, count(names))] if {
	names := plan.module_names(m)
}

# The module path of the first i names ("" for none).
_module_prefix(names, i) := concat(".", [concat("", ["module.", n]) | some j, n in names; j < i])

_successors(n) := {x | x := _step(n)}

_chain_graph(k) := {n: _successors(n) |
	[m, l] := split_key(k)
	locals := {l} | {v | some a in _ancestors(m); a != ""; some v in object.get(plan.module_call(a), "providers", {})}
	some a in _ancestors(m)
	some loc in locals
	n := join_key(a, loc)
}

# The configuration key that applies to raw key k ("" stays "": no configuration known).
resolve(k) := "" if k == ""

resolve(k) := k if {
	k != ""
	plan.provider_config[k]
}

resolve(k) := t if {
	k != ""
	not plan.provider_config[k]
	g := _chain_graph(k)
	some t in graph.reachable(g, {k})
	not _step(t)
}

# ---------------------------------------------------------------------------------------
# Expressions: constants, variables followed to their values, references
# ---------------------------------------------------------------------------------------

_unwrap(e) := e[0] if {
	is_array(e)
	count(e) > 0
}

_unwrap(e) := e if is_object(e)

# "var.a.b[0][\"k\"]" -> ["var", "a", "b", 0, "k"]
ref_path(ref) := [_segment(m) | some m in regex.find_all_string_submatch_n(`^([A-Za-z_][A-Za-z0-9_-]*)|\.([A-Za-z_][A-Za-z0-9_-]*)|\[([0-9]+)\]|\["((?:[^"\\]|\\.)*)"\]`, ref, -1)]

_segment(m) := m[1] if m[1] != ""

_segment(m) := m[2] if {
	m[1] == ""
	m[2] != ""
}

_segment(m) := to_number(m[3]) if {
	m[1] == ""
	m[2] == ""
	m[3] != ""
}

_segment(m) := m[4] if {
	m[1] == ""
	m[2] == ""
	m[3] == ""
}

# The single variable an expression reads, with the attribute path below it: an expression whose
# references are one reference `var.x...` and its prefixes. (The plan does not say whether the
# expression is the reference itself or a template around it; callers that need exactly the
# value check its shape.)
_variable_ref(e) := [path[1], array.slice(path, 2, count(path))] if {
	refs := {r | some r in object.get(e, "references", []); is_string(r)}
	count(refs) > 0
	longest := [r | some r in refs; count(r) == max({count(x) | some x in refs})][0]
	path := ref_path(longest)
	count(path) >= 2
	path[0] == "var"
	every r in refs {
		startswith(longest, r)
	}
}

# What an expression in module `m` proves: {"kind": "constant", "value", "source"} (a literal,
# or a variable whose value the plan records), {"kind": "reference", "value": <references>}, or
# {"kind": "unknown", "value": null}.
expression(m, e) := {"kind": "constant", "value": e.constant_value, "source": "literal"} if {
	is_object(e)
	"constant_value" in object.keys(e)
	e.constant_value != null
} else := v if {
	[name, path] := _variable_ref(e)
	v := _variable(m, name, path)
} else := {"kind": "reference", "value": concat(", ", e.references)} if {
	count(object.get(e, "references", [])) > 0
} else := {"kind": "unknown", "value": null}

# Variable `name` of module m, followed through module call arguments up to the root's
# recorded value (or a module variable's default).
_variable(m, name, path) := v if {
	g := _var_graph(m, name)
	some node in graph.reachable(g, {[m, name]})
	count(g[node]) == 0
	v := _var_end(node, path)
}

# Edges: [module, var] -> [parent, var'] when the call passes exactly one parent variable.
_var_next(node) := [plan.parent_module(node[0]), nv[0]] if {
	node[0] != ""
	e := plan.module_call(node[0]).expressions[node[1]]
	nv := _variable_ref(_unwrap(e))
	count(nv[1]) == 0
}

_var_successors(n) := {x | x := _var_next(n)}

_var_graph(m, name) := {n: _var_successors(n) |
	names := {name} | {r[1] |
		some a in _ancestors(m)
		a != ""
		some e in object.get(plan.module_call(a), "expressions", {})
		some ref in object.get(_unwrap(e), "references", [])
		r := ref_path(ref)
		count(r) >= 2
		r[0] == "var"
	}
	some a in _ancestors(m)
	some x in names
	n := [a, x]
}

# The end of a variable chain: the root's value, a call's constant argument, or a default.
_var_end(node, path) := {"kind": "constant", "value": val, "source": sprintf("variable var.%s", [node[1]])} if {
	node[0] == ""
	val := object.get(plan.variables, array.concat([node[1], "value"], path), null)
	val != null
} else := {"kind": "constant", "value": val, "source": sprintf("argument %s of %s", [node[1], node[0]])} if {
	node[0] != ""
	e := _unwrap(plan.module_call(node[0]).expressions[node[1]])
	val := object.get(e, array.concat(["constant_value"], path), null)
	val != null
} else := {"kind": "constant", "value": val, "source": sprintf("default of var.%s in %s", [node[1], node[0]])} if {
	node[0] != ""
	not plan.module_call(node[0]).expressions[node[1]]
	val := object.get(plan.config_module(node[0]), array.concat(["variables", node[1], "default"], path), null)
	val != null
} else := {"kind": "reference", "value": concat(", ", refs)} if {
	node[0] != ""
	refs := object.get(_unwrap(plan.module_call(node[0]).expressions[node[1]]), "references", [])
	count(refs) > 0
} else := {"kind": "unknown", "value": null}

# A top-level argument of a provider configuration, e.g. setting("aws.eu", "region").
setting(key, name) := expression(split_key(key)[0], plan.provider_config[key].expressions[name])

# ---------------------------------------------------------------------------------------
# The Kubernetes API host of a provider configuration
# ---------------------------------------------------------------------------------------

_expressions(key) := object.get(plan.provider_config, [key, "expressions"], {})

# Where a provider keeps its cluster settings: top level (kubernetes, kubectl), the `kubernetes`
# block (helm v2, a list of one), or the helm v3 `kubernetes = {...}` object, which the plan
# records as one expression (a constant only when every attribute is one).
_cluster_settings(key) := {"form": "block", "exprs": _expressions(key)} if {
	not _expressions(key).kubernetes
} else := {"form": "block", "exprs": b} if {
	b := _unwrap(_expressions(key).kubernetes)
	is_object(b)
	not "constant_value" in object.keys(b)
	not "references" in object.keys(b)
} else := {"form": "object", "value": v} if {
	v := _unwrap(_expressions(key).kubernetes).constant_value
	is_object(v)
} else := {"form": "opaque", "refs": object.get(_unwrap(_expressions(key).kubernetes), "references", [])}

_m(key) := split_key(key)[0]

# A cluster setting (host, config_path, config_context, ...) as an expression result.
_cluster_setting(key, name) := expression(_m(key), s.exprs[name]) if {
	s := _cluster_settings(key)
	s.form == "block"
	s.exprs[name]
}

_cluster_setting(key, name) := {"kind": "constant", "value": s.value[name], "source": "literal"} if {
	s := _cluster_settings(key)
	s.form == "object"
	s.value[name] != null
}

_kubeconfig_keys := {"config_path", "config_paths", "config_context", "config_context_cluster"}

_uses_kubeconfig(key) if {
	some name in _kubeconfig_keys
	_cluster_setting(key, name)
}

# {"kind": "constant"|"reference"|"unknown", "value": <string>|null, "source"?: ...}
kube_host(key) := {"kind": "unknown", "value": null} if {
	key == ""
} else := h if {
	h := _cluster_setting(key, "host")
	h.kind != "constant"
} else := h if {
	h := _cluster_setting(key, "host")
	is_string(h.value)
	h.value != ""
	_exact_value(h)
} else := {"kind": "reference", "value": sprintf("%s = %q, not an absolute URL, so the plan does not show whether the host is exactly that value", [h.source, h.value])} if {
	h := _cluster_setting(key, "host")
	is_string(h.value)
	not _exact_value(h)
} else := h if {
	s := _cluster_settings(key)
	s.form == "opaque"
	h := {"kind": "reference", "value": concat(", ", s.refs)}
	count(s.refs) > 0
} else := h if {
	_uses_kubeconfig(key)
	h := _kubeconfig_host(key)
} else := {"kind": "unknown", "value": null}

# A literal is exactly what the plan says; a variable's value is taken as the host only when it
# is a whole URL (the plan cannot tell `host = var.x` from `host = "https://${var.x}:6443"`).
_exact_value(h) if h.source == "literal"

_exact_value(h) if {
	h.source != "literal"
	contains(h.value, "://")
}

# ---------------------------------------------------------------------------------------
# Kubeconfig (only through `check --kubeconfig FILE`: data.kz_residency.kubeconfig =
# {file, current_context, contexts: {name: {cluster}}, clusters: {name: {server}}})
# ---------------------------------------------------------------------------------------

kubeconfig := k if {
	k := data.kz_residency.kubeconfig
	is_object(k)
}

_context(key) := c.value if {
	c := _cluster_setting(key, "config_context")
	c.kind == "constant"
	is_string(c.value)
} else := kubeconfig.current_context if {
	not _cluster_setting(key, "config_context")
	is_string(kubeconfig.current_context)
}

_kubeconfig_cluster(key) := c.value if {
	c := _cluster_setting(key, "config_context_cluster")
	c.kind == "constant"
	is_string(c.value)
} else := kubeconfig.contexts[_context(key)].cluster if {
	not _cluster_setting(key, "config_context_cluster")
}

_kubeconfig_host(key) := {
	"kind": "constant",
	"value": server,
	"source": sprintf("kubeconfig %s, context %q", [kubeconfig.file, _context(key)]),
} if {
	server := kubeconfig.clusters[_kubeconfig_cluster(key)].server
	is_string(server)
	server != ""
} else := {"kind": "unknown", "value": "a kubeconfig (config_path/config_context), which the plan does not show; pass it with --kubeconfig FILE"} if {
	not kubeconfig
} else := {"kind": "unknown", "value": sprintf("a kubeconfig context that %s does not resolve to a server", [kubeconfig.file])}

# Provider configurations whose host came from the kubeconfig given to `check`.
kubeconfig_proofs[key] := {"server": h.value, "source": h.source} if {
	some key, _ in plan.provider_config
	h := kube_host(key)
	startswith(object.get(h, "source", ""), "kubeconfig ")
}
