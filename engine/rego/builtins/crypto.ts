/**
 * Hashes and keys via node:crypto (OPA topdown/crypto.go): crypto.md5, sha1, sha256, hmac.*,
 * hmac.equal, and the private-key parsers crypto.x509.parse_rsa_private_key and
 * crypto.parse_private_keys, which give each key as a JWK object, as OPA does. The certificate
 * parsers are in unavailable.ts (see there why).
 */
import { createHash, createHmac, createPrivateKey, timingSafeEqual } from 'node:crypto';
import type { JsonValue } from '../../engine';
import { fromJson, objGetStr, type ObjectValue, type Value } from '../value';
import { def, fail, str } from './util';
import type { BuiltinDef } from './types';

const hash = (alg: string) => (args: Parameters<BuiltinDef['fn']>[0]) =>
  createHash(alg).update(str(args, 0), 'utf8').digest('hex');
const hmac = (alg: string) => (args: Parameters<BuiltinDef['fn']>[0]) =>
  createHmac(alg, Buffer.from(str(args, 1), 'utf8'))
    .update(str(args, 0), 'utf8')
    .digest('hex');

export const crypto: BuiltinDef[] = [
  def('crypto.md5', 1, hash('md5')),
  def('crypto.sha1', 1, hash('sha1')),
  def('crypto.sha256', 1, hash('sha256')),
  def('crypto.hmac.md5', 2, hmac('md5')),
  def('crypto.hmac.sha1', 2, hmac('sha1')),
  def('crypto.hmac.sha256', 2, hmac('sha256')),
  def('crypto.hmac.sha512', 2, hmac('sha512')),
  def('crypto.hmac.equal', 2, (args) => {
    // Go's hmac.Equal: constant-time comparison of the two strings' bytes
    const a = Buffer.from(str(args, 0));
    const b = Buffer.from(str(args, 1));
    return a.length === b.length && timingSafeEqual(a, b);
  }),
  def('crypto.x509.parse_rsa_private_key', 1, (args) => {
    const keys = privateKeys(str(args, 0));
    if (keys.length === 0) return fail('failed to parse PEM block containing the key');
    const k = keys[0];
    if (objGetStr(k as ObjectValue, 'kty') !== 'RSA') return fail('PEM block does not contain an RSA private key');
    return k;
  }),
  def('crypto.parse_private_keys', 1, (args) => privateKeys(str(args, 0))),
];

/** The JWKs of the private keys in PEM text (or in base64-encoded PEM text, as OPA accepts). */
function privateKeys(text: string): Value[] {
  if (text === '') return [];
  let pem = text;
  if (!pem.includes('-----BEGIN')) {
    const decoded = Buffer.from(pem, 'base64').toString('utf8');
    if (!decoded.includes('-----BEGIN')) return fail('failed to parse PEM block containing the key');
    pem = decoded;
  }
  const blocks = pem.match(/-----BEGIN ([A-Z ]*PRIVATE KEY)-----[\s\S]*?-----END \1-----/g) ?? [];
  return blocks.map((b) => {
    try {
      return fromJson(createPrivateKey(b).export({ format: 'jwk' }) as JsonValue);
    } catch (e) {
      return fail(`failed to parse private key: ${(e as Error).message}`);
    }
  });
}
