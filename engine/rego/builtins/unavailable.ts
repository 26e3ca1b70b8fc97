/**
 * OPA builtins this interpreter cannot run: they need the network or another system
 * (`http.send`, `net.lookup_ip_addr`, `providers.aws.sign_req`), or return Go structures this
 * interpreter does not reproduce (`rego.parse_module`'s AST, crypto.x509's certificates). They compile, so tests can replace them with `with`, and a real call
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
];
