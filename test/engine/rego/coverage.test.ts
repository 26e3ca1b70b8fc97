/** Line coverage as `opa test --coverage` reports it: rule heads and expressions, by row. */
import { CoverageTracker, compile, coverageReport, runTests } from '../../../engine/rego';

const POLICY = `package t

allow if {
	input.user == "admin"
	input.method == "GET"
}

deny contains msg if {
	input.user == "guest"
	msg := "guest"
}

f(x) := y if {
	y := x + 1
}
`;

const TESTS = `package t_test

import data.t

test_allow if {
	t.allow with input as {"user": "admin", "method": "GET"}
}
`;

describe('coverage', () => {
  it('marks evaluated expressions and heads that produced a value; the rest are not covered', () => {
    const policy = compile([
      { file: 't.rego', source: POLICY },
      { file: 't_test.rego', source: TESTS },
    ]);
    const tracker = new CoverageTracker();
    const report = runTests(policy, { coverage: tracker });
    expect(report.passed).toBe(1);
    const r = coverageReport(policy.modules, tracker);
    expect(r.files['t.rego']).toEqual({
      covered: [{ start: { row: 3 }, end: { row: 5 } }],
      not_covered: [
        { start: { row: 8 }, end: { row: 10 } },
        { start: { row: 13 }, end: { row: 14 } },
      ],
      covered_lines: 3,
      not_covered_lines: 5,
      coverage: 37.5,
    });
    expect(r.files['t_test.rego']).toEqual({ covered: [{ start: { row: 5 }, end: { row: 6 } }], covered_lines: 2, coverage: 100 });
    expect([r.covered_lines, r.not_covered_lines, r.coverage]).toEqual([5, 5, 50]);
  });

  it('a rule whose body fails is covered up to the failing expression, its head is not', () => {
    const policy = compile([{ file: 't.rego', source: POLICY }]);
    const tracker = new CoverageTracker();
    policy.evaluate('t/allow', { input: { user: 'bob', method: 'GET' }, coverage: tracker });
    expect(coverageReport(policy.modules, tracker).files['t.rego'].covered).toEqual([{ start: { row: 4 }, end: { row: 4 } }]);
  });
});
