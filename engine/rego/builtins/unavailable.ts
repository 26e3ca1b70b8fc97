/**
 * OPA builtins this interpreter cannot run: they need the network or another system
 * (`http.send`, `net.lookup_ip_addr`, `providers.aws.sign_req`), return Go structures this
 * interpreter does not reproduce (`rego.parse_module`'s AST, crypto.x509's certificates,
 * graphql.*'s gqlparser AST), or need an algorithm not implemented here (regex.globs_match). They compile, so tests can replace them with `with`, and a real call
 * fails with an engine error that says so, in every mode (never a silent undefined).
 */
import { RegoError } from '../errors';
import type { BuiltinDef } from './types';

function unavailable(name: string, arity: number, why: string): BuiltinDef {
  return {
    name,
    arity,
    fn() {
      throw new RegoError('engine_error', `not supported: builtin ${name} (${why}; tests can mock it with "with")`);
    },
  };
}

export const unavailableBuiltins: BuiltinDef[] = [
  unavailable('http.send', 1, 'no network access from policy evaluation'),
  unavailable('net.lookup_ip_addr', 1, 'no DNS access from policy evaluation'),
  unavailable('providers.aws.sign_req', 3, 'needs AWS credentials and clock'),
  unavailable('rego.parse_module', 2, "returns OPA's Go AST, which this interpreter does not build"),
  // these return Go's crypto/x509 structures field by field (x509.Certificate, CertificateRequest,
  // tls.Certificate) as encoding/json writes them; a partial copy would leave fields a policy
  // reads undefined where OPA has values, so they fail loudly instead
  unavailable('crypto.x509.parse_certificates', 1, "returns Go's x509.Certificate structure, not reproduced here"),
  unavailable('crypto.x509.parse_and_verify_certificates', 1, "returns Go's x509.Certificate structure, not reproduced here"),
  unavailable('crypto.x509.parse_and_verify_certificates_with_options', 2, "returns Go's x509.Certificate structure, not reproduced here"),
  unavailable('crypto.x509.parse_certificate_request', 1, "returns Go's x509.CertificateRequest structure, not reproduced here"),
  unavailable('crypto.x509.parse_keypair', 2, "returns Go's tls.Certificate structure, not reproduced here"),
  // OPA's graphql.* return vektah/gqlparser's AST as Go's encoding/json writes it and validate with
  // gqlparser's rules and messages; graphql-js builds a different AST and reports differently
  ...(
    [
      ['graphql.parse', 2],
      ['graphql.parse_and_verify', 2],
      ['graphql.parse_query', 1],
      ['graphql.parse_schema', 1],
      ['graphql.is_valid', 2],
      ['graphql.schema_is_valid', 1],
    ] as const
  ).map(([name, arity]) => unavailable(name, arity, "needs gqlparser's AST and validation, which no npm library reproduces")),
  // OPA decides whether two regular-expression globs intersect with yashtewari/glob-intersection
  unavailable('regex.globs_match', 2, 'needs an intersection of regular languages this engine does not implement'),
];
