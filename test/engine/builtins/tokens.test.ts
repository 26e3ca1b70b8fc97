/** io.jwt.*: decoding, verification with every algorithm family, decode_verify's constraints, signing. */
import { generateKeyPairSync } from 'node:crypto';
import { call, err } from './helpers';

// jwt.io's well-known example token, HS256 with the secret "your-256-bit-secret"
const HS = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

describe('io.jwt.decode', () => {
  it('gives header, payload and the signature in hex', () => {
    const [h, p, s] = call('io.jwt.decode', HS) as [unknown, unknown, string];
    expect(h).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(p).toEqual({ sub: '1234567890', name: 'John Doe', iat: 1516239022 });
    expect(s).toBe('49f94ac7044948c78a285d904f87f0a4c7897f7e8f3a4eb2255fda750b2cc397');
  });
  it('fails on malformed tokens with OPA messages', () => {
    expect(err('io.jwt.decode', 'abc').message).toBe('io.jwt.decode: encoded JWT had no period separators');
    expect(err('io.jwt.decode', 'a.b').message).toBe('io.jwt.decode: encoded JWT must have 3 sections, found 2');
    expect(err('io.jwt.decode', '!!.e30.').message).toMatch(/^io.jwt.decode: JWT header had invalid encoding: illegal base64 data/);
  });
});

describe('io.jwt.verify_*', () => {
  it('HS256 with the right and a wrong secret', () => {
    expect(call('io.jwt.verify_hs256', HS, 'your-256-bit-secret')).toBe(true);
    expect(call('io.jwt.verify_hs256', HS, 'other')).toBe(false);
  });

  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = generateKeyPairSync('ed25519');
  const cases: Array<[string, { privateKey: import('node:crypto').KeyObject; publicKey: import('node:crypto').KeyObject }]> = [
    ['RS256', rsa],
    ['PS384', rsa],
    ['ES256', ec],
    ['EdDSA', ed],
  ];
  it.each(cases)('%s: signed by encode_sign, verified with a PEM key and a JWK; a tampered token is false', (alg, pair) => {
    const jwk = pair.privateKey.export({ format: 'jwk' });
    const token = call('io.jwt.encode_sign', { alg, typ: 'JWT' }, { sub: 'u' }, jwk as never) as string;
    const pem = pair.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const fn = `io.jwt.verify_${alg.toLowerCase()}`;
    expect(call(fn, token, pem)).toBe(true);
    expect(call(fn, token, JSON.stringify(pair.publicKey.export({ format: 'jwk' })))).toBe(true);
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from('{"sub":"admin"}').toString('base64url')}.${s}`;
    expect(call(fn, forged, pem)).toBe(false);
    expect(call('io.jwt.verify_rs256', token, JSON.stringify({ kty: 'oct', k: 'c2VjcmV0' }))).toBe(false);
  });
});

describe('io.jwt.decode_verify', () => {
  const secret = 'your-256-bit-secret';
  it('verifies and applies alg, iss, aud, exp and nbf constraints', () => {
    expect(call('io.jwt.decode_verify', HS, { secret })).toEqual([true, { alg: 'HS256', typ: 'JWT' }, { sub: '1234567890', name: 'John Doe', iat: 1516239022 }]);
    expect(call('io.jwt.decode_verify', HS, { secret, alg: 'RS256' })).toEqual([false, {}, {}]);
    expect(call('io.jwt.decode_verify', HS, { secret: 'x' })).toEqual([false, {}, {}]);
    expect(call('io.jwt.decode_verify', HS, { secret, iss: 'someone' })).toEqual([false, {}, {}]);
    expect(call('io.jwt.decode_verify', HS, { secret, aud: 'api' })).toEqual([false, {}, {}]);
    const key = { kty: 'oct', k: Buffer.from(secret).toString('base64url') };
    const expired = call('io.jwt.encode_sign', { alg: 'HS256' }, { exp: 1000, aud: ['api', 'web'] }, key) as string;
    expect(call('io.jwt.decode_verify', expired, { secret, aud: 'web', time: 999e9 })).toEqual([true, { alg: 'HS256' }, { exp: 1000, aud: ['api', 'web'] }]);
    expect(call('io.jwt.decode_verify', expired, { secret, aud: 'web', time: 1000e9 })).toEqual([false, {}, {}]);
    const early = call('io.jwt.encode_sign', { alg: 'HS256' }, { nbf: 2000 }, key) as string;
    expect(call('io.jwt.decode_verify', early, { secret, time: 1999e9 })).toEqual([false, {}, {}]);
    expect((call('io.jwt.decode_verify', early, { secret, time: 2000e9 }) as unknown[])[0]).toBe(true);
  });
  it('rejects bad constraints with OPA messages', () => {
    expect(err('io.jwt.decode_verify', HS, {}).message).toBe('io.jwt.decode_verify: no key constraint');
    expect(err('io.jwt.decode_verify', HS, { secret: 'a', cert: '{"kty":"oct","k":"YQ"}' }).message).toBe('io.jwt.decode_verify: duplicate key constraints');
    expect(err('io.jwt.decode_verify', HS, { secret: 'a', nope: 1 }).message).toBe('io.jwt.decode_verify: unknown token validation constraint: nope');
  });
});

describe('io.jwt.encode_sign', () => {
  it('refuses an unknown algorithm and a non-JSON payload for typ JWT', () => {
    expect(err('io.jwt.encode_sign_raw', '{"alg":"XX"}', '{}', '{"kty":"oct","k":"YQ"}').message).toBe('io.jwt.encode_sign_raw: unknown JWS algorithm: XX');
    expect(err('io.jwt.encode_sign_raw', '{"alg":"HS256","typ":"JWT"}', 'nope', '{"kty":"oct","k":"YQ"}').message).toBe('io.jwt.encode_sign_raw: type is JWT but payload is not JSON');
  });
});
