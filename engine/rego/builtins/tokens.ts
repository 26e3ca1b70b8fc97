/**
 * JSON Web Tokens (OPA topdown/tokens.go): io.jwt.decode, io.jwt.verify_* (RS, PS, ES, EdDSA, HS),
 * io.jwt.decode_verify, io.jwt.encode_sign and io.jwt.encode_sign_raw. Signatures use
 * node:crypto's synchronous sign/verify and its JWK import (createPublicKey/createPrivateKey
 * with format 'jwk'): the evaluator is synchronous, and `jose` verifies only asynchronously.
 * Decoding and the constraint rules follow OPA's: errors for malformed tokens, `[false, {}, {}]`
 * for a token that does not verify or meet a constraint.
 */
import {
  X509Certificate,
  constants,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  sign as cryptoSign,
  timingSafeEqual,
  verify as cryptoVerify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import type { JsonValue } from '../../engine';
import { RObject, compareValues, fromJson, objForEach, objGetStr, objKeys, type ObjectValue, type Value } from '../value';
import { marshal } from './encoding';
import { def, fail, obj, str } from './util';
import type { BuiltinContext, BuiltinDef } from './types';

const ALGORITHMS = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512', 'EdDSA']);

interface Token {
  header: string;
  payload: string;
  signature: string;
}

function decodeJWT(v: Value): Token {
  if (typeof v !== 'string') return str([v], 0) as never;
  if (!v.includes('.')) return fail('encoded JWT had no period separators');
  const parts = v.split('.');
  if (parts.length !== 3) return fail(`encoded JWT must have 3 sections, found ${parts.length}`);
  return { header: parts[0], payload: parts[1], signature: parts[2] };
}

/** OPA's base64url.decode: padding optional, otherwise Go's strict URL alphabet. */
function b64url(s: string): Buffer {
  const padded = s.length % 4 === 0 ? s : s + '='.repeat(4 - (s.length % 4));
  const bad = padded.search(/[^A-Za-z0-9_=-]|=[^=]/);
  if (bad >= 0 || !/^[A-Za-z0-9_-]*={0,2}$/.test(padded) || padded.length % 4 !== 0) {
    return fail(`illegal base64 data at input byte ${Math.max(0, bad)}`);
  }
  return Buffer.from(padded, 'base64url');
}

function jsonObject(text: string, what: string): ObjectValue {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return fail(`${what}invalid JSON: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(`${what}decoded JSON type was not an Object`);
  return fromJson(v as JsonValue) as ObjectValue;
}

function decodeHeader(t: Token): ObjectValue {
  let text: string;
  try {
    text = b64url(t.header).toString('utf8');
  } catch (e) {
    return fail(`JWT header had invalid encoding: ${(e as Error).message}`);
  }
  const h = jsonObject(text, 'bad JWT header: ');
  if (objGetStr(h, 'enc') !== undefined) return fail('JWT is a JWE object, which is not supported');
  return h;
}

function decodePayload(t: Token): string {
  try {
    return b64url(t.payload).toString('utf8');
  } catch (e) {
    return fail(`JWT payload had invalid encoding: ${(e as Error).message}`);
  }
}

function decode(v: Value): Value {
  const t = decodeJWT(v);
  const header = decodeHeader(t);
  let p = decodePayload(t);
  if (objGetStr(header, 'cty') === 'JWT') {
    // a nested token: its payload is another (possibly quoted) token
    p = p.replace(/^["']+|["']+$/g, '');
    return decode(p);
  }
  const payload = jsonObject(p, '');
  let sig: Buffer;
  try {
    sig = b64url(t.signature);
  } catch (e) {
    return fail(`JWT signature had invalid encoding: ${(e as Error).message}`);
  }
  return [header, payload, sig.toString('hex')];
}

// ---- keys ------------------------------------------------------------------------------------

interface VerificationKey {
  key: KeyObject;
  alg: string;
  kid: string;
}

/** OPA's getKeysFromCertOrJWK: a PEM certificate or public key, or a JWK or JWK set. */
function keysFromCertOrJWK(text: string): VerificationKey[] {
  const pem = /^\s*-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]*?\r?\n?-----END \1-----\r?\n?/.exec(text);
  if (pem) {
    if (text.slice(pem[0].length).length > 0) return fail('extra data after a PEM certificate block');
    if (pem[1] === 'CERTIFICATE') {
      try {
        return [{ key: new X509Certificate(pem[0]).publicKey, alg: '', kid: '' }];
      } catch (e) {
        return fail(`failed to parse a PEM certificate: ${(e as Error).message}`);
      }
    }
    if (pem[1] === 'PUBLIC KEY') {
      try {
        return [{ key: createPublicKey(pem[0]), alg: '', kid: '' }];
      } catch (e) {
        return fail(`failed to parse a PEM public key: ${(e as Error).message}`);
      }
    }
    return fail('failed to extract a Key from the PEM certificate');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return fail(`failed to parse a JWK key (set): ${(e as Error).message}`);
  }
  const list = typeof doc === 'object' && doc !== null && Array.isArray((doc as { keys?: unknown }).keys) ? (doc as { keys: unknown[] }).keys : [doc];
  const out: VerificationKey[] = [];
  for (const k of list) {
    if (typeof k !== 'object' || k === null) return fail('failed to parse a JWK key (set): invalid key');
    const jwk = k as JsonWebKey & { alg?: unknown; kid?: unknown };
    const alg = typeof jwk.alg === 'string' ? jwk.alg : '';
    if (alg !== '' && !ALGORITHMS.has(alg)) continue;
    let key: KeyObject;
    try {
      key = jwk.kty === 'oct' ? createSecretKey(Buffer.from(String(jwk.k ?? ''), 'base64url')) : createPublicKey({ key: jwk, format: 'jwk' });
    } catch (e) {
      return fail(`failed to parse a JWK key (set): ${(e as Error).message}`);
    }
    out.push({ key, alg, kid: typeof jwk.kid === 'string' ? jwk.kid : '' });
  }
  return out;
}

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/** Verifies `data` against `sig` with `key` for a JWS algorithm; false for any mismatch or error. */
function verifyWith(k: KeyObject | Buffer, alg: string, data: Buffer, sig: Buffer): boolean {
  try {
    if (Buffer.isBuffer(k)) {
      if (!alg.startsWith('HS') || !HASH[alg.slice(2)]) return false;
      const mac = createHmac(HASH[alg.slice(2)], k).update(data).digest();
      return mac.length === sig.length && timingSafeEqual(mac, sig);
    }
    const key: KeyObject = k;
    const family = alg.slice(0, 2);
    const hash = HASH[alg.slice(2)];
    if (family === 'HS') {
      const secret = key.type === 'secret' ? key.export() : null;
      if (!secret || !hash) return false;
      const mac = createHmac(hash, secret).update(data).digest();
      return mac.length === sig.length && timingSafeEqual(mac, sig);
    }
    if (alg === 'EdDSA') return key.asymmetricKeyType === 'ed25519' && cryptoVerify(null, data, key, sig);
    if (!hash) return false;
    if (family === 'RS' || family === 'PS') {
      if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') return false;
      const padding = family === 'RS' ? constants.RSA_PKCS1_PADDING : constants.RSA_PKCS1_PSS_PADDING;
      return cryptoVerify(hash, data, { key, padding, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, sig);
    }
    if (family === 'ES') {
      if (key.asymmetricKeyType !== 'ec') return false;
      return cryptoVerify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, sig);
    }
    return false;
  } catch {
    return false;
  }
}

function signature(t: Token): Buffer {
  return b64url(t.signature);
}

/** io.jwt.verify_<alg>(jwt, certificate or JWK(S)): OPA's builtinJWTVerify. */
function verifyAsymmetric(alg: string): BuiltinDef {
  return def(`io.jwt.verify_${alg.toLowerCase()}`, 2, (args) => {
    const t = decodeJWT(args[0]);
    const keys = keysFromCertOrJWK(str(args, 1));
    const sig = signature(t);
    const header = decodeHeader(t);
    const kid = objGetStr(header, 'kid');
    const headerAlg = objGetStr(header, 'alg');
    const data = Buffer.from(`${t.header}.${t.payload}`);
    if (typeof kid === 'string' && kid !== '') {
      const k = keys.find((x) => x.kid === kid);
      if (k) return verifyWith(k.key, alg, data, sig);
    }
    for (const k of keys) {
      if (k.alg !== '' && k.alg !== headerAlg) continue;
      if (verifyWith(k.key, alg, data, sig)) return true;
    }
    return false;
  });
}

function verifyHS(bits: string): BuiltinDef {
  return def(`io.jwt.verify_hs${bits}`, 2, (args) => {
    const jwt = str(args, 0);
    const secret = str(args, 1);
    const t = decodeJWT(jwt);
    const sig = signature(t);
    return verifyWith(Buffer.from(secret, 'utf8'), `HS${bits}`, Buffer.from(`${t.header}.${t.payload}`), sig);
  });
}

// ---- decode_verify ---------------------------------------------------------------------------

interface Constraints {
  secret: string;
  alg: string;
  iss: string;
  aud: string;
  keys: VerificationKey[] | null;
  time: number;
}

function constraintsOf(o: ObjectValue, ctx: BuiltinContext): Constraints {
  const c: Constraints = { secret: '', alg: '', iss: '', aud: '', keys: null, time: -1 };
  const timeOf = (v: Value): number => {
    if (typeof v !== 'number' && typeof v !== 'bigint') return fail('token time constraint: must be a number');
    const n = Number(v);
    if (n < 0) return fail('token time constraint: must not be negative');
    return n;
  };
  objForEach(o, (k, v) => {
    const name = String(k);
    switch (name) {
      case 'cert':
        if (typeof v !== 'string') return fail('cert constraint: must be a string');
        c.keys = keysFromCertOrJWK(v);
        break;
      case 'secret':
      case 'alg':
      case 'iss':
      case 'aud':
        if (typeof v !== 'string') return fail(`${name} constraint: must be a string`);
        c[name] = v;
        break;
      case 'time':
        c.time = timeOf(v);
        break;
      default:
        return fail(`unknown token validation constraint: ${name}`);
    }
    return false;
  });
  if (c.time === -1) c.time = Number(ctx.nowNs());
  const keys = (c.keys !== null ? 1 : 0) + (c.secret !== '' ? 1 : 0);
  if (keys > 1) return fail('duplicate key constraints');
  if (keys < 1) return fail('no key constraint');
  return c;
}

/** RFC 7515 header checks OPA makes: alg present, no unknown critical parameter; typed fields. */
function headerValid(h: ObjectValue): boolean {
  const strField = (name: string): string => {
    const v = objGetStr(h, name);
    if (v === undefined) return '';
    if (typeof v !== 'string') return fail(`${name}: must be a string`);
    return v;
  };
  for (const n of ['alg', 'kid', 'typ', 'cty']) strField(n);
  const critV = objGetStr(h, 'crit');
  let crit: Set<string> | null = null;
  if (critV !== undefined) {
    if (!Array.isArray(critV)) return fail('crit: must be a list');
    crit = new Set(critV.filter((x): x is string => typeof x === 'string'));
    if (crit.size === 0) return fail('crit: must be a nonempty list');
  }
  if (strField('alg') === '') return false;
  for (const k of objKeys(h)) {
    if (typeof k === 'string' && !['alg', 'kid', 'typ', 'cty', 'crit'].includes(k) && crit?.has(k)) return false;
  }
  return true;
}

function decodeVerify(args: Value[], ctx: BuiltinContext): Value {
  const c = constraintsOf(obj(args, 1), ctx);
  const unverified: Value = [false, new RObject(), new RObject()];
  let jwt: Value = args[0];
  let t: Token;
  let header: ObjectValue;
  let p: string;
  for (;;) {
    t = decodeJWT(jwt);
    header = decodeHeader(t);
    if (!headerValid(header)) return unverified;
    const alg = String(objGetStr(header, 'alg'));
    if (c.alg !== '' && c.alg !== alg) return unverified;
    const sig = signature(t);
    const data = Buffer.from(`${t.header}.${t.payload}`);
    let ok = false;
    if (c.keys !== null) {
      const kid = objGetStr(header, 'kid');
      const byKid = typeof kid === 'string' && kid !== '' ? c.keys.find((k) => k.kid === kid) : undefined;
      if (byKid) ok = verifyWith(byKid.key, alg, data, sig);
      else ok = c.keys.some((k) => (k.alg === '' || k.alg === alg) && verifyWith(k.key, alg, data, sig));
    } else ok = verifyWith(Buffer.from(c.secret, 'utf8'), alg, data, sig);
    if (!ok) return unverified;
    p = decodePayload(t);
    const cty = objGetStr(header, 'cty');
    if (typeof cty === 'string' && cty.toUpperCase() === 'JWT') {
      jwt = p;
      continue;
    }
    break;
  }
  const payload = jsonObject(p, '');
  if (c.iss !== '') {
    const iss = objGetStr(payload, 'iss');
    if (iss !== c.iss) return unverified;
  }
  const aud = objGetStr(payload, 'aud');
  if (aud !== undefined) {
    const okAud = typeof aud === 'string' ? aud === c.aud : Array.isArray(aud) && aud.some((x) => x === c.aud);
    if (!okAud) return unverified;
  } else if (c.aud !== '') return unverified;
  const now = c.time / 1e9;
  const exp = objGetStr(payload, 'exp');
  if (exp !== undefined) {
    if (typeof exp !== 'number' && typeof exp !== 'bigint') return fail('exp value must be a number');
    if (compareValues(now, exp) !== -1) return unverified;
  }
  const nbf = objGetStr(payload, 'nbf');
  if (nbf !== undefined) {
    if (typeof nbf !== 'number' && typeof nbf !== 'bigint') return fail('nbf value must be a number');
    if (compareValues(now, nbf) === -1) return unverified;
  }
  return [true, header, payload];
}

// ---- signing ---------------------------------------------------------------------------------

function encodeSign(headersJson: string, payloadJson: string, jwkText: string): string {
  let jwkDoc: unknown;
  try {
    jwkDoc = JSON.parse(jwkText);
  } catch (e) {
    return fail(`failed to parse jwk: ${(e as Error).message}`);
  }
  const list = typeof jwkDoc === 'object' && jwkDoc !== null && Array.isArray((jwkDoc as { keys?: unknown }).keys) ? (jwkDoc as { keys: unknown[] }).keys : [jwkDoc];
  if (list.length === 0) return fail('no keys found in JWK set');
  const jwk = list[0] as JsonWebKey;
  let headers: unknown;
  try {
    headers = JSON.parse(headersJson);
  } catch {
    headers = null;
  }
  const alg = typeof headers === 'object' && headers !== null ? (headers as { alg?: unknown }).alg : undefined;
  if (typeof alg !== 'string') return fail(`missing or invalid 'alg' header`);
  if (!ALGORITHMS.has(alg)) return fail(`unknown JWS algorithm: ${alg}`);
  const typ = (headers as { typ?: unknown }).typ;
  if (typeof typ !== 'string' || typ === 'JWT') {
    try {
      JSON.parse(payloadJson);
    } catch {
      return fail('type is JWT but payload is not JSON');
    }
  }
  const signingInput = `${Buffer.from(headersJson).toString('base64url')}.${Buffer.from(payloadJson).toString('base64url')}`;
  const data = Buffer.from(signingInput);
  const hash = HASH[alg.slice(2)];
  let sig: Buffer;
  try {
    if (alg.startsWith('HS')) sig = createHmac(hash, Buffer.from(String(jwk.k ?? ''), 'base64url')).update(data).digest();
    else {
      const key = createPrivateKey({ key: jwk, format: 'jwk' });
      if (alg === 'EdDSA') sig = cryptoSign(null, data, key);
      else if (alg.startsWith('ES')) sig = cryptoSign(hash, data, { key, dsaEncoding: 'ieee-p1363' });
      else
        sig = cryptoSign(hash, data, {
          key,
          padding: alg.startsWith('PS') ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        });
    }
  } catch (e) {
    return fail(`failed to sign payload: ${(e as Error).message}`);
  }
  return `${signingInput}.${sig.toString('base64url')}`;
}

export const tokens: BuiltinDef[] = [
  def('io.jwt.decode', 1, ([v]) => decode(v)),
  ...['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'].map(verifyAsymmetric),
  ...['256', '384', '512'].map(verifyHS),
  def('io.jwt.decode_verify', 2, (args, ctx) => decodeVerify(args, ctx)),
  def('io.jwt.encode_sign', 3, ([h, p, k]) => encodeSign(marshal(h), marshal(p), marshal(k))),
  def('io.jwt.encode_sign_raw', 3, (args) => encodeSign(str(args, 0), str(args, 1), str(args, 2))),
];

