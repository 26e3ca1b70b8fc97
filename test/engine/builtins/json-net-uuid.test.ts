/** json.patch, JSON Schema, net.cidr_merge, uuid.*, rand.intn, crypto.hmac.equal, private keys. */
import { generateKeyPairSync } from 'node:crypto';
import { compile } from '../../../engine/rego';
import { call, ctx, err, set } from './helpers';

describe('json.patch', () => {
  it('applies RFC 6902 operations, sets addressed by value; a failing op is undefined', () => {
    expect(call('json.patch', { a: { foo: 1 } }, [{ op: 'add', path: '/a/bar', value: 2 }])).toEqual({ a: { foo: 1, bar: 2 } });
    expect(call('json.patch', { a: [1, 2] }, [{ op: 'add', path: '/a/-', value: 3 }, { op: 'add', path: '/a/0', value: 0 }])).toEqual({ a: [0, 1, 2, 3] });
    expect(call('json.patch', { a: 1, b: 2 }, [{ op: 'remove', path: '/a' }, { op: 'replace', path: '/b', value: 3 }])).toEqual({ b: 3 });
    expect(call('json.patch', { a: { x: 1 } }, [{ op: 'move', from: '/a/x', path: '/y' }, { op: 'copy', from: '/y', path: '/z' }])).toEqual({ a: {}, y: 1, z: 1 });
    expect(call('json.patch', { a: set('x', 'y') }, [{ op: 'remove', path: '/a/x' }])).toEqual({ a: ['y'] });
    expect(call('json.patch', { a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toBe('undefined');
    expect(call('json.patch', { a: 1 }, [{ op: 'remove', path: '/nope' }])).toBe('undefined');
    expect(call('json.patch', { a: 1 }, [{ op: 'add', path: ['a'], value: 5 }])).toEqual({ a: 5 });
    expect(err('json.patch', {}, {}).message).toBe('json.patch: operand 2 must be array but got object');
  });
  it('follows RFC 6902 corner cases: empty keys, root replacement, escapes, array bounds', () => {
    expect(call('json.patch', {}, [{ op: 'add', path: '/', value: 1 }])).toEqual({ '': 1 });
    expect(call('json.patch', { foo: {} }, [{ op: 'add', path: '/foo/', value: 1 }])).toEqual({ foo: { '': 1 } });
    expect(call('json.patch', { foo: 'bar' }, [{ op: 'replace', path: '', value: { baz: 'qux' } }])).toEqual({ baz: 'qux' });
    expect(call('json.patch', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }])).toEqual({ '/': 9, '~1': 10 });
    expect(call('json.patch', { foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }])).toEqual({ foo: ['all', 'cows', 'eat', 'grass'] });
    expect(call('json.patch', { bar: [1, 2] }, [{ op: 'add', path: '/bar/-1', value: 5 }])).toBe('undefined');
    expect(call('json.patch', ['foo', 'sil'], [{ op: 'add', path: '/3', value: 'bar' }])).toBe('undefined');
    expect(call('json.patch', ['foo', 'bar'], [{ op: 'test', path: '/1e0', value: 'bar' }])).toBe('undefined');
    expect(call('json.patch', { foo: 1 }, [{ op: 'add', path: '/0', value: 'bar' }])).toEqual({ foo: 1, '0': 'bar' });
  });
});

describe('JSON Schema', () => {
  const schema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } }, required: ['name'] };
  it('verify_schema says whether a schema is valid, with the reason', () => {
    expect(call('json.verify_schema', schema)).toEqual([true, null]);
    expect(call('json.verify_schema', JSON.stringify(schema))).toEqual([true, null]);
    expect((call('json.verify_schema', { type: 'nope' }) as unknown[])[0]).toBe(false);
  });
  it('match_schema gives gojsonschema-shaped errors', () => {
    expect(call('json.match_schema', { name: 'a', age: 3 }, schema)).toEqual([true, []]);
    expect(call('json.match_schema', { age: -1 }, schema)).toEqual([
      false,
      [
        { error: '(root): name is required', type: 'required', field: '(root)', desc: 'name is required' },
        { error: 'age: Must be greater than or equal to 0', type: 'number_gte', field: 'age', desc: 'Must be greater than or equal to 0' },
      ],
    ]);
    expect(call('json.match_schema', { name: 1 }, schema)).toEqual([
      false,
      [{ error: 'name: Invalid type. Expected: string, given: integer', type: 'invalid_type', field: 'name', desc: 'Invalid type. Expected: string, given: integer' }],
    ]);
    expect((call('json.match_schema', {}, { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', required: ['x'] }) as unknown[])[0]).toBe(false);
  });
});

describe('net.cidr_merge', () => {
  it('merges adjacent and contained networks, keeps the rest; OPA errors otherwise', () => {
    expect(call('net.cidr_merge', ['192.0.128.0/24', '192.0.129.0/24'])).toEqual(['192.0.128.0/23']);
    expect(call('net.cidr_merge', set('10.0.0.0/8', '10.1.0.0/16', '192.168.1.0/24'))).toEqual(['10.0.0.0/8', '192.168.1.0/24']);
    expect(call('net.cidr_merge', ['2001:db8::/33', '2001:db8:8000::/33'])).toEqual(['2001:db8::/32']);
    expect(call('net.cidr_merge', ['10.1.2.3'])).toEqual(['10.1.2.3/8']);
    expect(err('net.cidr_merge', ['x']).message).toBe('net.cidr_merge: invalid CIDR address: x');
    expect(err('net.cidr_merge', ['::1']).message).toBe('net.cidr_merge: IPv6 invalid: needs prefix length');
    expect(err('net.cidr_merge', [1]).message).toBe('net.cidr_merge: element must be string');
  });
});

describe('uuid and rand', () => {
  it('uuid.rfc4122 is a v4 UUID, the same for the same key within one query', () => {
    const p = compile([{ file: 'u.rego', source: 'package u\na := uuid.rfc4122("k")\nb := uuid.rfc4122("k")\nc := uuid.rfc4122("other")\nr := [rand.intn("x", 100), rand.intn("x", 100)]' }]);
    const v = p.evaluate('u', {}) as { a: string; b: string; c: string; r: number[] };
    expect(v.a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(v.b).toBe(v.a);
    expect(v.c).not.toBe(v.a);
    expect(v.r[0]).toBe(v.r[1]);
    expect(v.r[0]).toBeGreaterThanOrEqual(0);
    expect(v.r[0]).toBeLessThan(100);
  });
  it('uuid.parse reads version, variant and the v1 fields; undefined for non-UUIDs', () => {
    expect(call('uuid.parse', '00000000-0000-4000-8000-000000000000')).toEqual({ version: 4, variant: 'RFC4122' });
    expect(call('uuid.parse', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toEqual({
      version: 1,
      variant: 'RFC4122',
      time: 886630433151182300, // 1998-02-04T22:13:53.1511823Z, the DNS namespace UUID's time
      nodeid: 'global:unicast:00c04fd430c8',
      clocksequence: 180,
    });
    expect(call('uuid.parse', '{00000000-0000-4000-8000-000000000000}')).toEqual({ version: 4, variant: 'RFC4122' });
    expect(call('uuid.parse', 'nope')).toBe('undefined');
  });
  it('rand.intn(_, 0) is 0', () => {
    expect(call('rand.intn', 'a', 0)).toBe(0);
    ctx.queryCache.clear();
  });
});

describe('crypto', () => {
  it('hmac.equal compares in constant time', () => {
    expect(call('crypto.hmac.equal', 'abc', 'abc')).toBe(true);
    expect(call('crypto.hmac.equal', 'abc', 'abd')).toBe(false);
  });
  it('parse_rsa_private_key and parse_private_keys give JWKs', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
    const jwk = call('crypto.x509.parse_rsa_private_key', pem) as Record<string, string>;
    expect(jwk.kty).toBe('RSA');
    expect(jwk.n).toBe(privateKey.export({ format: 'jwk' }).n);
    expect(call('crypto.parse_private_keys', Buffer.from(pem).toString('base64'))).toEqual([jwk]);
    expect(call('crypto.parse_private_keys', '')).toEqual([]);
  });
});
