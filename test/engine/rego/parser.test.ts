import { RegoError } from '../../../engine/rego/errors';
import { tokenize } from '../../../engine/rego/lexer';
import { parseModule, parseQuery } from '../../../engine/rego/parser';

function parseError(src: string): RegoError {
  try {
    parseModule(src, 'policies/x.rego');
  } catch (e) {
    if (e instanceof RegoError) return e;
    throw e;
  }
  throw new Error('expected a parse error');
}

describe('lexer', () => {
  it('gives every token its row and column and marks newlines', () => {
    const { tokens, comments } = tokenize('package a\n  p := "x\\n" # note\n', 'f.rego');
    expect(tokens.map((t) => [t.kind, t.text, t.row, t.col, t.nl])).toEqual([
      ['ident', 'package', 1, 1, true],
      ['ident', 'a', 1, 9, false],
      ['ident', 'p', 2, 3, true],
      ['punct', ':=', 2, 5, false],
      ['string', 'x\n', 2, 8, false],
      ['eof', '', 3, 1, true],
    ]);
    expect(comments).toEqual([{ text: ' note', row: 2, col: 14 }]);
  });

  it('keeps raw strings verbatim, across lines', () => {
    const { tokens } = tokenize('`a\\b\nc` x', 'f.rego');
    expect(tokens[0]).toMatchObject({ kind: 'string', text: 'a\\b\nc', raw: true });
    expect(tokens[1]).toMatchObject({ text: 'x', row: 2, col: 4 });
  });

  it('rejects an unterminated string with its location', () => {
    expect(() => tokenize('package a\np := "abc\n', 'f.rego')).toThrow('f.rego:2:6: rego_parse_error: non-terminated string');
  });
});

describe('parser', () => {
  it('parses packages, imports and rule kinds with locations', () => {
    const m = parseModule(
      [
        'package kz.residency',
        'import rego.v1',
        'import data.kz.lib.plan as p',
        'default allow := false',
        'allow if input.x == 1',
        'deny contains msg if { msg := "no" }',
        'obj[k] := v if { some k, v in input }',
        'f(x) := x + 1',
        'a.b.c := 1',
      ].join('\n'),
      'm.rego',
    );
    expect(m.pkg).toEqual(['kz', 'residency']);
    expect(m.imports.map((i) => i.alias)).toEqual([null, 'p']);
    expect(m.rules).toHaveLength(6);
    expect(m.rules[0].isDefault).toBe(true);
    expect(m.rules[2].head.key).not.toBeNull();
    expect(m.rules[3].head.ref).toHaveLength(2);
    expect(m.rules[4].head.args).toHaveLength(1);
    expect(m.rules[5].head.ref).toHaveLength(3);
    expect(m.rules[2].loc).toEqual({ file: 'm.rego', row: 6, col: 1 });
  });

  it('parses else chains, every, some-in, not and with', () => {
    const m = parseModule(
      'package t\np := 1 if { input.a } else := 2 if { input.b } else := 3\nq if { every x in input.xs { x > 0 }; some k, v in input.o; not input.z with input as {} }',
      'm.rego',
    );
    expect(m.rules[0].elseRule?.elseRule?.head.value).toMatchObject({ type: 'scalar', value: 3 });
    expect(m.rules[1].body.map((e) => e.kind)).toEqual(['every', 'somein', 'not']);
    expect(m.rules[1].body[2].withs).toHaveLength(1);
  });

  it('parses membership with key and value, also in parentheses', () => {
    const q = parseQuery('x := (1, 2 in [0, 2])');
    expect(q[0]).toMatchObject({ kind: 'assign', right: { type: 'call', op: 'internal.member_3' } });
  });

  it('reports what was expected, with file:row:col', () => {
    const e = parseError('package t\np := {');
    expect(e.code).toBe('rego_parse_error');
    expect(e.message).toBe('policies/x.rego:2:7: rego_parse_error: expected term but found end of input');
    expect([e.file, e.row, e.col]).toEqual(['policies/x.rego', 2, 7]);
    expect(parseError('package t\np if { x := [1, 2 }').message).toBe('policies/x.rego:2:19: rego_parse_error: expected "]" but found "}"');
    expect(parseError('p := 1').message).toBe('policies/x.rego:1:1: rego_parse_error: expected "package" but found identifier "p"');
  });

  it('attaches # METADATA blocks to the following rule or package', () => {
    const m = parseModule('# METADATA\n# title: Pkg\npackage t\n\n# METADATA\n# title: Rule\n# custom:\n#   id: X-1\np := 1', 'm.rego');
    expect(m.annotations).toEqual([{ scope: 'package', data: { title: 'Pkg' }, loc: { file: 'm.rego', row: 1, col: 1 } }]);
    expect(m.rules[0].annotations[0]).toMatchObject({ scope: 'rule', data: { title: 'Rule', custom: { id: 'X-1' } } });
  });

  it('rejects bad METADATA YAML as a parse error', () => {
    expect(parseError('package t\n# METADATA\n# title: [\np := 1').code).toBe('rego_parse_error');
    expect(parseError('package t\n# METADATA\n# scope: everywhere\np := 1').message).toContain("invalid annotation scope 'everywhere'");
  });
});

describe('Rego v0 forms', () => {
  it('are rejected by default, as OPA 1.x does', () => {
    expect(parseError('package t\np { true }').message).toBe('policies/x.rego:2:3: rego_parse_error: `if` keyword is required before rule body');
    expect(parseError('package t\nq[x] { x := 1 }').code).toBe('rego_parse_error');
  });

  it('are accepted with v0Compatible (partial set from p[x] { })', () => {
    const m = parseModule('package t\np { true }\nq[x] { x := 1 }', 'm.rego', { v0Compatible: true });
    expect(m.rules[1].head.key).toMatchObject({ type: 'var', name: 'x' });
  });

  it('are rejected with import rego.v1 even when v0Compatible', () => {
    expect(() => parseModule('package t\nimport rego.v1\np { true }', 'm.rego', { v0Compatible: true })).toThrow('m.rego:3:3: rego_parse_error: `if` keyword is required before rule body');
  });
});
