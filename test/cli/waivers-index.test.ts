/**
 * Waivers are matched through indexes (cli/waivers.ts ResourceIndex): for any resources and any
 * pattern (addresses with instance keys, globs in both dialects, construct paths, characters
 * picomatch gives a meaning), the resources found are exactly those waiverMatcher accepts, in
 * the same order; and 10,000 waivers over 10,000 resources expand without testing every pair.
 */
import fc from 'fast-check';
import { expandWaivers, ResourceIndex, waiverMatcher, type WaivableResource, type WaiverOrigin } from '../../cli/waivers';

const piece = fc.constantFrom('a', 'b', 'x', '0', '1', '.', '[', ']', '"', "'", '/', 'é', '-', '_', '|', '(', ')');
const name = fc.array(piece, { maxLength: 8 }).map((a) => a.join(''));
const patternPiece = fc.constantFrom('a', 'b', 'x', '0', '1', '.', '[', ']', '"', "'", '*', '?', '{', '}', ',', '/', '\\', '!', 'é', '|', '(', ')', '+', '@', '$', '^', '-', '_');
const pattern = fc.array(patternPiece, { maxLength: 8 }).map((a) => a.join(''));

test('the index finds exactly what testing every resource finds', () => {
  fc.assert(
    fc.property(fc.array(fc.record({ address: name, path: fc.option(name) }), { maxLength: 25 }), pattern, (rs, p) => {
      const resources: WaivableResource[] = rs.map((r, i) => ({
        input: 0,
        address: r.address,
        evaluated: r.address,
        display: i % 3 === 0 ? `plan.json:${r.address}` : r.address,
        ...(r.path ? { constructPath: r.path } : {}),
      }));
      const want = resources.filter(waiverMatcher(p));
      const got = new ResourceIndex(resources).matching(p);
      return want.length === got.length && want.every((w, i) => w === got[i]);
    }),
    { numRuns: 5000, seed: 42 },
  );
});

test('real address shapes: an exact address with instance keys, and globs', () => {
  const addresses = ['module.x["k"].a[0]', 'module.x["k"].a[1]', 'module.xk.a0', 'module.x".a0', 'aws_s3_bucket.b', 'module.db.helm_release.pg'];
  const rs: WaivableResource[] = addresses.map((a) => ({ input: 0, address: a, evaluated: a, display: a }));
  const idx = new ResourceIndex(rs);
  for (const p of [...addresses, 'module.*', 'module.x*', 'module.x[!k].a?', '**', 'module.db.*', 'module.x["k"].a[[01]]'])
    expect(idx.matching(p).map((r) => r.address)).toEqual(rs.filter(waiverMatcher(p)).map((r) => r.address));
});

test('10,000 exact waivers over 10,000 resources expand into one copy each, quickly', () => {
  const rs: WaivableResource[] = Array.from({ length: 10000 }, (_, i) => {
    const a = `module.t["t${i}"].kubernetes_deployment_v1.this[0]`;
    return { input: 0, address: a, evaluated: a, display: a };
  });
  const origins: WaiverOrigin[] = rs.map((r, i) => ({
    waiver: { rule: 'KZ-RES-005', resource: r.address, reason: 'r', approved_by: 'a', expires: '2099-01-01' },
    source: 'file',
    file: 'waivers.yaml',
    field: `waivers[${i}]`,
  }));
  const { copies } = expandWaivers(origins, rs);
  expect(copies).toHaveLength(10000);
  expect(copies[123].resource).toBe(rs[123].address);
});
