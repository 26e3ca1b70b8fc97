/**
 * Unit tests of renderTunnelConfig: what the rendered wg-quick, forwarder and stunnel files contain
 * (and in which direction they carry the standby's connection), that they never contain key
 * material, what the kill switch removes, and the messages for bad options.
 * (test/e2e/ runs the same files through docker/kz-tunnel-gateway with the real tunnel software.)
 */
import {
  FORWARD_CONFIG_FILE,
  GOST_CIPHER_SUITES,
  GOST_TLS_SECRET_KEYS,
  renderTunnelConfig,
  STUNNEL_CONFIG_FILE,
  TunnelConfigError,
  WIREGUARD_SECRET_KEYS,
  type TunnelRenderOptions,
} from '../../constructs/tunnel-config';

const MOUNT = '/etc/kz-tunnel/secret';
const SOURCE = 'clients-rw.clients.svc:5432';

const wgKz: TunnelRenderOptions = {
  profile: 'wireguard',
  side: 'kz',
  crossBorder: 'active',
  tunnelAddress: '10.231.0.1/30',
  peerTunnelAddress: '10.231.0.2',
  tunnelPort: 51820,
  peerEndpoint: 'hq-gw.example.com:51820',
  sourceEndpoint: SOURCE,
  secretMountPath: MOUNT,
};
const wgHq: TunnelRenderOptions = {
  profile: 'wireguard',
  side: 'hq',
  crossBorder: 'active',
  tunnelAddress: '10.231.0.2/30',
  peerTunnelAddress: '10.231.0.1',
  tunnelPort: 51820,
  localPort: 5432,
  secretMountPath: MOUNT,
};
const gostKz: TunnelRenderOptions = {
  profile: 'gost-tls',
  side: 'kz',
  crossBorder: 'active',
  tunnelPort: 8443,
  sourceEndpoint: SOURCE,
  peerName: 'hq-gw.example.com',
  secretMountPath: MOUNT,
};
const gostHq: TunnelRenderOptions = {
  profile: 'gost-tls',
  side: 'hq',
  crossBorder: 'active',
  localPort: 5432,
  peerEndpoint: 'kz-gw.example.kz:8443',
  peerName: 'kz-gw.example.kz',
  secretMountPath: MOUNT,
};

/** Base64 of 32 bytes (a WireGuard key) or a PEM block: neither may appear in a rendered file. */
const KEY_MATERIAL = /[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=|-----BEGIN/;

function only(files: Record<string, string>): [string, string] {
  const entries = Object.entries(files);
  expect(entries).toHaveLength(1);
  return entries[0];
}

/** Parses `key = value` lines of an ini-like file into [section, key, value] triples. */
function ini(text: string): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) {
      section = s[1];
      continue;
    }
    const kv = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(line);
    if (!kv) throw new Error(`not a key = value line: ${line}`);
    out.push([section, kv[1], kv[2]]);
  }
  return out;
}

describe('renderTunnelConfig: wireguard', () => {
  test('kz side: a wg-quick file whose keys all come from the mounted Secret', () => {
    const files = renderTunnelConfig(wgKz);
    expect(Object.keys(files).sort()).toEqual([FORWARD_CONFIG_FILE, 'wg-kz.conf']);
    const text = files['wg-kz.conf'];
    const kv = ini(text);
    expect(kv.filter(([s]) => s !== 'Interface')).toEqual([]);
    expect(kv).toContainEqual(['Interface', 'Address', '10.231.0.1/30']);
    expect(kv).toContainEqual(['Interface', 'ListenPort', '51820']);
    expect(kv).toContainEqual([
      'Interface',
      'PostUp',
      `wg set %i private-key ${MOUNT}/${WIREGUARD_SECRET_KEYS.privateKey}`,
    ]);
    const peer = kv.find(([, k, v]) => k === 'PostUp' && v.includes(' peer '))?.[2] ?? '';
    expect(peer).toContain(`"$(cat ${MOUNT}/${WIREGUARD_SECRET_KEYS.peerPublicKey})"`);
    expect(peer).toContain(`preshared-key ${MOUNT}/${WIREGUARD_SECRET_KEYS.presharedKey}`);
    expect(peer).toContain('allowed-ips 10.231.0.2/32');
    expect(peer).toContain('endpoint hq-gw.example.com:51820');
    expect(peer).toContain('persistent-keepalive 25');
    // no literal key fields, no key material
    expect(kv.map(([, k]) => k)).not.toContain('PrivateKey');
    expect(kv.map(([, k]) => k)).not.toContain('PublicKey');
    expect(text).not.toMatch(KEY_MATERIAL);
  });

  test('kz side initiates: the forwarder listens on the kz tunnel address only and connects to the primary', () => {
    const fwd = ini(renderTunnelConfig(wgKz)[FORWARD_CONFIG_FILE]);
    expect(fwd).toEqual([
      ['', 'listen', '10.231.0.1:5432'],
      ['', 'connect', SOURCE],
    ]);
  });

  test('hq side: the standby dials the local port; the forwarder connects to the kz tunnel address', () => {
    const fwd = ini(renderTunnelConfig(wgHq)[FORWARD_CONFIG_FILE]);
    expect(fwd).toEqual([
      ['', 'listen', '0.0.0.0:5432'],
      ['', 'connect', '10.231.0.1:5432'],
    ]);
    const other = ini(
      renderTunnelConfig({ ...wgHq, forwardPort: 15432, localPort: 6432 })[FORWARD_CONFIG_FILE],
    );
    expect(other).toEqual([
      ['', 'listen', '0.0.0.0:6432'],
      ['', 'connect', '10.231.0.1:15432'],
    ]);
  });

  test('hq side: no endpoint (learned from the handshake), no keepalive; interface name is configurable', () => {
    const files = renderTunnelConfig({ ...wgHq, interfaceName: 'kzres0' });
    expect(Object.keys(files).sort()).toEqual([FORWARD_CONFIG_FILE, 'kzres0.conf']);
    const text = files['kzres0.conf'];
    expect(text).toContain('allowed-ips 10.231.0.1/32');
    expect(text).not.toContain('endpoint ');
    expect(text).not.toContain('persistent-keepalive');
  });

  test('IPv6 tunnel addresses route the peer as /128', () => {
    const files = renderTunnelConfig({
      ...wgKz,
      tunnelAddress: 'fd00:231::1/64',
      peerTunnelAddress: 'fd00:231::2',
      peerEndpoint: '[2001:db8::2]:51820',
    });
    const text = files['wg-kz.conf'];
    expect(text).toContain('allowed-ips fd00:231::2/128');
    expect(text).toContain('endpoint [2001:db8::2]:51820');
    expect(files[FORWARD_CONFIG_FILE]).toContain('listen = [fd00:231::1]:5432');
  });

  test('suspended: the kill switch leaves an interface with no peer at all, and nothing to forward', () => {
    for (const o of [wgKz, wgHq]) {
      const files = renderTunnelConfig({ ...o, crossBorder: 'suspended' });
      const text = files[`wg-${o.side}.conf`];
      expect(files[FORWARD_CONFIG_FILE]).toMatch(/KILL SWITCH ENGAGED/);
      expect(ini(files[FORWARD_CONFIG_FILE])).toEqual([]);
      expect(text).toMatch(/KILL SWITCH ENGAGED/);
      expect(text).toContain('[Interface]');
      expect(text).not.toMatch(/\[Peer\]/);
      const body = text
        .split('\n')
        .filter((l) => !/^\s*#/.test(l))
        .join('\n');
      expect(body).not.toMatch(/wg set %i peer|allowed-ips|endpoint|peer-public-key|preshared-key/);
      expect(ini(text).filter(([, k]) => k === 'PostUp')).toHaveLength(1); // only the private key
    }
  });
});

describe('renderTunnelConfig: gost-tls', () => {
  test('kz side: stunnel server through the GOST engine that forwards only to the primary, peer verified', () => {
    const [name, text] = only(renderTunnelConfig(gostKz));
    expect(name).toBe(STUNNEL_CONFIG_FILE);
    const kv = ini(text);
    expect(kv).toContainEqual(['', 'engine', 'gost']);
    expect(kv).toContainEqual(['', 'engineDefault', 'ALL']);
    expect(kv).toContainEqual(['', 'foreground', 'yes']);
    const service = kv.filter(([s]) => s !== '');
    expect(new Set(service.map(([s]) => s))).toEqual(new Set(['kz-from-hq']));
    const get = (k: string): string | undefined => service.find(([, key]) => key === k)?.[2];
    expect(get('client')).toBe('no');
    expect(get('accept')).toBe('8443');
    expect(get('connect')).toBe(SOURCE);
    expect(get('cert')).toBe(`${MOUNT}/${GOST_TLS_SECRET_KEYS.certificate}`);
    expect(get('key')).toBe(`${MOUNT}/${GOST_TLS_SECRET_KEYS.privateKey}`);
    expect(get('CAfile')).toBe(`${MOUNT}/${GOST_TLS_SECRET_KEYS.caCertificate}`);
    expect(get('verifyChain')).toBe('yes');
    expect(get('requireCert')).toBe('yes');
    expect(get('checkHost')).toBe('hq-gw.example.com');
    expect(get('sslVersionMin')).toBe('TLSv1.2');
    expect(get('sslVersionMax')).toBe('TLSv1.2');
    const ciphers = (get('ciphers') ?? '').split(':');
    expect(ciphers).toEqual([...GOST_CIPHER_SUITES]);
    for (const c of ciphers) expect(c).toMatch(/^GOST2012-(KUZNYECHIK|MAGMA|GOST8912)-/);
    expect(text).not.toMatch(KEY_MATERIAL);
  });

  test("hq side: stunnel client that takes the standby's connection to the kz gateway", () => {
    const [, text] = only(renderTunnelConfig(gostHq));
    const kv = ini(text);
    expect(kv).toContainEqual(['hq-to-kz', 'client', 'yes']);
    expect(kv).toContainEqual(['hq-to-kz', 'accept', '5432']);
    expect(kv).toContainEqual(['hq-to-kz', 'connect', 'kz-gw.example.kz:8443']);
    expect(kv).toContainEqual(['hq-to-kz', 'verifyChain', 'yes']);
    expect(kv).toContainEqual(['hq-to-kz', 'checkHost', 'kz-gw.example.kz']);
    const bare = ini(renderTunnelConfig({ ...gostHq, peerName: undefined })[STUNNEL_CONFIG_FILE]);
    expect(bare.find(([, k]) => k === 'checkHost')).toBeUndefined(); // only when peerName is given
  });

  test('suspended: the kill switch leaves no service section', () => {
    for (const o of [gostKz, gostHq]) {
      const [, text] = only(renderTunnelConfig({ ...o, crossBorder: 'suspended' }));
      expect(text).toMatch(/KILL SWITCH ENGAGED/);
      const kv = ini(text);
      expect(kv.filter(([s]) => s !== '')).toEqual([]);
      expect(kv.map(([, k]) => k)).not.toContain('accept');
      expect(kv.map(([, k]) => k)).not.toContain('connect');
    }
  });

  test('a trailing slash on the mount path is normalised', () => {
    const [, text] = only(renderTunnelConfig({ ...gostHq, secretMountPath: `${MOUNT}/` }));
    expect(text).toContain(`cert = ${MOUNT}/tls.crt`);
  });
});

describe('renderTunnelConfig: bad options are rejected with the field named', () => {
  const cases: Array<[string, TunnelRenderOptions, string]> = [
    [
      'unknown profile',
      { ...wgKz, profile: 'ipsec' as never },
      "EncryptedTunnel: profile: expected one of 'wireguard', 'gost-tls', got \"ipsec\"",
    ],
    ['unknown side', { ...wgKz, side: 'eu' as never }, 'EncryptedTunnel: side:'],
    ['unknown kill switch state', { ...wgKz, crossBorder: 'off' as never }, 'EncryptedTunnel: crossBorder:'],
    [
      'port out of range',
      { ...wgKz, tunnelPort: 70000 },
      'EncryptedTunnel: tunnelPort: expected a port number 1-65535, got 70000',
    ],
    ['non-integer port', { ...gostHq, localPort: 84.43 }, 'EncryptedTunnel: localPort:'],
    [
      'wireguard without tunnelPort',
      { ...wgHq, tunnelPort: undefined },
      "EncryptedTunnel: tunnelPort: required for the 'wireguard' profile",
    ],
    [
      'relative mount path',
      { ...wgKz, secretMountPath: 'secret' },
      'EncryptedTunnel: secretMountPath: expected an absolute path',
    ],
    [
      'mount path with a newline (config injection)',
      { ...gostHq, secretMountPath: '/etc/x\nconnect = evil:1' },
      'EncryptedTunnel: secretMountPath:',
    ],
    [
      'mount path with ..',
      { ...gostHq, secretMountPath: '/etc/../root' },
      'EncryptedTunnel: secretMountPath:',
    ],
    [
      'wireguard without tunnelAddress',
      { ...wgKz, tunnelAddress: undefined },
      "EncryptedTunnel: tunnelAddress: required for the 'wireguard' profile",
    ],
    [
      'tunnelAddress without prefix',
      { ...wgKz, tunnelAddress: '10.231.0.1' },
      'EncryptedTunnel: tunnelAddress: expected an address with prefix length',
    ],
    [
      'bad peerTunnelAddress',
      { ...wgKz, peerTunnelAddress: '10.231.0.256' },
      'EncryptedTunnel: peerTunnelAddress:',
    ],
    [
      'peer address equal to own',
      { ...wgKz, peerTunnelAddress: '10.231.0.1' },
      'EncryptedTunnel: peerTunnelAddress: must differ',
    ],
    [
      'kz wireguard without endpoint',
      { ...wgKz, peerEndpoint: undefined },
      "EncryptedTunnel: peerEndpoint: required on the 'kz' side",
    ],
    [
      'endpoint without port',
      { ...wgKz, peerEndpoint: 'hq-gw.example.com' },
      'EncryptedTunnel: peerEndpoint: expected host:port',
    ],
    [
      'endpoint with spaces (injection)',
      { ...wgKz, peerEndpoint: 'a:1 allowed-ips 0.0.0.0/0' },
      'EncryptedTunnel: peerEndpoint:',
    ],
    [
      'interface name too long',
      { ...wgKz, interfaceName: 'a-very-long-interface' },
      'EncryptedTunnel: interfaceName:',
    ],
    ['negative keepalive', { ...wgKz, persistentKeepalive: -1 }, 'EncryptedTunnel: persistentKeepalive:'],
    [
      'peerName on wireguard',
      { ...wgKz, peerName: 'x.example' },
      "EncryptedTunnel: peerName: applies to the 'gost-tls' profile only",
    ],
    [
      'kz side without the primary',
      { ...gostKz, sourceEndpoint: undefined },
      "EncryptedTunnel: sourceEndpoint: required on the 'kz' side",
    ],
    [
      'sourceEndpoint on the hq side',
      { ...wgHq, sourceEndpoint: SOURCE },
      "EncryptedTunnel: sourceEndpoint: applies to the 'kz' side only",
    ],
    [
      "hq side without the standby's port",
      { ...gostHq, localPort: undefined },
      "EncryptedTunnel: localPort: required on the 'hq' side",
    ],
    [
      'localPort on the kz side',
      { ...wgKz, localPort: 5432 },
      "EncryptedTunnel: localPort: applies to the 'hq' side only",
    ],
    [
      'hq gost without the kz endpoint',
      { ...gostHq, peerEndpoint: undefined },
      "EncryptedTunnel: peerEndpoint: required on the 'hq' side of 'gost-tls'",
    ],
    [
      'kz gost dialling out',
      { ...gostKz, peerEndpoint: 'hq:8443' },
      "EncryptedTunnel: peerEndpoint: the 'kz' side of 'gost-tls' never dials out",
    ],
    [
      'kz gost without a TLS port',
      { ...gostKz, tunnelPort: undefined },
      "EncryptedTunnel: tunnelPort: required on the 'kz' side of 'gost-tls'",
    ],
    [
      'primary endpoint with spaces (injection)',
      { ...gostKz, sourceEndpoint: 'db:5432\nconnect = evil:1' },
      'EncryptedTunnel: sourceEndpoint: expected host:port',
    ],
    [
      'forwardPort on gost-tls',
      { ...gostHq, forwardPort: 5432 },
      "EncryptedTunnel: forwardPort: applies to the 'wireguard' profile only",
    ],
    [
      'tunnelAddress on gost-tls',
      { ...gostHq, tunnelAddress: '10.0.0.1/30' },
      "EncryptedTunnel: tunnelAddress: applies to the 'wireguard' profile only",
    ],
    ['bad peerName', { ...gostKz, peerName: 'not a name' }, 'EncryptedTunnel: peerName: expected a DNS name'],
  ];
  test.each(cases)('%s', (_name, opts, message) => {
    let err: unknown;
    try {
      renderTunnelConfig(opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TunnelConfigError);
    expect((err as TunnelConfigError).message.startsWith(message)).toBe(true);
    expect((err as TunnelConfigError).message).not.toMatch(/\n\s+at /);
  });

  test('the error names the field in .field', () => {
    try {
      renderTunnelConfig({ ...gostKz, sourceEndpoint: 'nope' });
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(TunnelConfigError);
      expect((e as TunnelConfigError).field).toBe('sourceEndpoint');
    }
  });
});
