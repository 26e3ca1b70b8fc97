package kz.residency.governance_test

import data.kz.residency.fixtures_test as fx
import data.kz.residency.governance

_deny(rs) := d if {
	d := governance.deny with input as fx.plan(rs) with data.kz_residency.sites as fx.sites
}

_annotations(a) := object.union(object.remove(fx.store_values, ["cluster"]), {"cluster": object.union(object.remove(fx.store_values.cluster, ["annotations"]), {"annotations": a})})

test_governance_compliant if {
	count(_deny(fx.compliant)) == 0
}

test_gov001_missing_consent_source if {
	v := _annotations(object.remove(fx.store_annotations, ["residency.kz/consent-source"]))
	rs := array.concat(fx.deployment, [fx.helm_store("clients", "helm.ala", v)])
	fx.pairs(_deny(rs)) == {["KZ-GOV-001", "helm_release.clients"]}
}

test_gov001_declared_on_namespace if {
	ns := fx.res("kubernetes_namespace_v1", "clients", "kubernetes.ala", {"metadata": [{"name": "clients", "annotations": fx.store_annotations}]})
	rs := array.concat(fx.deployment, [ns, fx.helm_store("clients", "helm.ala", _annotations({}))])
	count(_deny(rs)) == 0
}

test_gov001_replicas_need_not_declare if {
	rs := array.concat(fx.compliant, [fx.helm_store("r", "helm.ast", object.union(_annotations({}), {"residency": {"role": "standby"}}))])
	count(_deny(rs)) == 0
}

test_gov002_no_dpo if {
	rs := [fx.audit_ns, fx.regulator, fx.primary]
	fx.pairs(_deny(rs)) == {["KZ-GOV-002", "helm_release.clients"]}
}
