import * as path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ForeignSite, KzSite, SiteError, loadSites } from '../../constructs';
import { almaty, frankfurt } from './fixtures';

const k8s = { endpoints: ['https://k8s.example.kz'], region: 'kz-almaty' };

describe('KzSite and ForeignSite', () => {
  test('a KzSite is in KZ, in Almaty or Astana, and exposes its registry entry', () => {
    expect(almaty.jurisdiction).toBe('KZ');
    expect(almaty.isKazakh).toBe(true);
    expect(almaty.endpoint).toBe('https://k8s.ala.example.kz');
    expect(almaty.defaultEncryptedStorageClass?.name).toBe('ala-ceph-encrypted');
    expect(almaty.entry).toMatchObject({
      id: 'kz-ala-1',
      city: 'Almaty',
      kubernetes: { region: 'kz-almaty' },
    });
    expect(Object.isFrozen(almaty.entry)).toBe(true);
  });

  test('a KzSite outside Almaty and Astana is refused, naming the site and the field', () => {
    expect(() => new KzSite({ id: 'kz-shy', city: 'Shymkent' as 'Almaty', kubernetes: k8s })).toThrow(
      'KzSite(kz-shy): city: a KzSite is in Almaty or Astana, got "Shymkent"',
    );
  });

  test('a ForeignSite in KZ is refused', () => {
    expect(() => new ForeignSite({ id: 'x', jurisdiction: 'KZ', city: 'Almaty', kubernetes: k8s })).toThrow(
      'ForeignSite(x): jurisdiction: a ForeignSite cannot be in KZ (use KzSite)',
    );
    expect(frankfurt.isKazakh).toBe(false);
  });

  test('bad ids, endpoints and jurisdictions are refused', () => {
    expect(() => new KzSite({ id: 'Bad_Id', city: 'Almaty', kubernetes: k8s })).toThrow(/id: must match/);
    expect(() => new KzSite({ id: 'a', city: 'Almaty', kubernetes: { endpoints: [], region: 'r' } })).toThrow(
      /kubernetes.endpoints/,
    );
    expect(
      () => new ForeignSite({ id: 'a', jurisdiction: 'Germany', city: 'Berlin', kubernetes: k8s }),
    ).toThrow(/ISO 3166-1/);
  });

  test('fromRegistry loads typed sites from sites.yaml and reports file and field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kz-sites-'));
    const file = path.join(dir, 'sites.yaml');
    writeFileSync(
      file,
      [
        'sites:',
        '  - {id: kz-ala-1, jurisdiction: KZ, city: Almaty, kubernetes: {endpoints: ["https://k8s.ala.example.kz"], region: kz-almaty}}',
        '  - {id: hq-fra, jurisdiction: DE, city: Frankfurt, kubernetes: {endpoints: ["https://k8s.fra.example.com"], region: eu}}',
      ].join('\n'),
    );
    expect(KzSite.fromRegistry(file, 'kz-ala-1')).toBeInstanceOf(KzSite);
    expect(ForeignSite.fromRegistry(file, 'hq-fra').jurisdiction).toBe('DE');
    expect(loadSites(file)).toHaveLength(2);
    expect(() => KzSite.fromRegistry(file, 'hq-fra')).toThrow(
      `${file}: sites[id=hq-fra].jurisdiction: expected KZ for a KzSite, got DE`,
    );
    expect(() => KzSite.fromRegistry(file, 'nope')).toThrow(SiteError);
    expect(() => KzSite.fromRegistry(path.join(dir, 'missing.yaml'), 'x')).toThrow(/cannot read/);
  });
});
