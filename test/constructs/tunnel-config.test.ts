/**
 * Unit tests of renderTunnelConfig: what the rendered wg-quick and stunnel files contain, that
 * they never contain key material, what the kill switch removes, and the messages for bad options.
 * (test/e2e/tunnels/ runs the same files with the real tunnel software.)
 */
import {
  GOST_CIPHER_SUITES,
  GOST_TLS_SECRET_KEYS,
  renderTunnelConfig,
  STUNNEL_CONFIG_FILE,
  TunnelConfigError,
  WIREGUARD_SECRET_KEYS,
  type TunnelRenderOptions,
} from '../../constructs/tunnel-config';

const MOUNT = '/etc/kz-tunnel/secret';

const wgKz: TunnelRenderOptions = {
  profile: 'wireguard',
  side: 'kz',
  crossBorder: 'active',
  tunnelAddress: '10.231.0.1/30',
  peerTunnelAddress: '10.231.0.2',
  listenPort: 51820,
  peerEndpoint: 'hq-gw.example.com:51820',
  secretMountPath: MOUNT,
};
const wgHq: TunnelRenderOptions = {
  profile: 'wireguard',
  side: 'hq',
  crossBorder: 'active',
  tunnelAddress: '10.231.0.2/30',
  peerTunnelAddress: '10.231.0.1',
  listenPort: 51820,
  secretMountPath: MOUNT,
};
const gostKz: TunnelRenderOptions = {
  profile: 'gost-tls',
  side: 'kz',
  crossBorder: 'active',
  listenPort: 5432,
  peerEndpoint: 'hq-gw.example.com:8443',
  peerName: 'hq-gw.example.com',
  secretMountPath: MOUNT,
};
const gostHq: TunnelRenderOptions = {
  profile: 'gost-tls',
  side: 'hq',
  crossBorder: 'active',
  listenPort: 8443,
  forwardTo: 'replica-rw.hq.svc:5432',
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
    const [name, text] = only(renderTunnelConfig(wgKz));
    expect(name).toBe('wg-kz.conf');
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

  test('hq side: no endpoint (learned from the handshake), no keepalive; interface name is configurable', () => {
    const [name, text] = only(renderTunnelConfig({ ...wgHq, interfaceName: 'kzres0' }));
    expect(name).toBe('kzres0.conf');
    expect(text).toContain('allowed-ips 10.231.0.1/32');
    expect(text).not.toContain('endpoint ');
    expect(text).not.toContain('persistent-keepalive');
  });

  test('IPv6 tunnel addresses route the peer as /128', () => {
    const [, text] = only(
      renderTunnelConfig({
        ...wgKz,
        tunnelAddress: 'fd00:231::1/64',
        peerTunnelAddress: 'fd00:231::2',
        peerEndpoint: '[2001:db8::2]:51820',
      }),
    );
    expect(text).toContain('allowed-ips fd00:231::2/128');
    expect(text).toContain('endpoint [2001:db8::2]:51820');
  });

  test('suspended: the kill switch leaves an interface with no peer at all', () => {
    for (const o of [wgKz, wgHq]) {
      const [, text] = only(renderTunnelConfig({ ...o, crossBorder: 'suspended' }));
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
  test('kz side: stunnel client through the GOST engine, GOST suites only, peer verified', () => {
    const [name, text] = only(renderTunnelConfig(gostKz));
    expect(name).toBe(STUNNEL_CONFIG_FILE);
    const kv = ini(text);
    expect(kv).toContainEqual(['', 'engine', 'gost']);
    expect(kv).toContainEqual(['', 'engineDefault', 'ALL']);
    expect(kv).toContainEqual(['', 'foreground', 'yes']);
    const service = kv.filter(([s]) => s !== '');
    expect(new Set(service.map(([s]) => s))).toEqual(new Set(['kz-to-hq']));
    const get = (k: string): string | undefined => service.find(([, key]) => key === k)?.[2];
    expect(get('client')).toBe('yes');
    expect(get('accept')).toBe('5432');
    expect(get('connect')).toBe('hq-gw.example.com:8443');
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

  test('hq side: stunnel server that forwards to the replica database', () => {
    const [, text] = only(renderTunnelConfig(gostHq));
    const kv = ini(text);
    expect(kv).toContainEqual(['hq-from-kz', 'client', 'no']);
    expect(kv).toContainEqual(['hq-from-kz', 'accept', '8443']);
    expect(kv).toContainEqual(['hq-from-kz', 'connect', 'replica-rw.hq.svc:5432']);
    expect(kv).toContainEqual(['hq-from-kz', 'verifyChain', 'yes']);
    expect(kv.find(([, k]) => k === 'checkHost')).toBeUndefined(); // only when peerName is given
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
      { ...wgKz, listenPort: 70000 },
      'EncryptedTunnel: listenPort: expected a port number 1-65535, got 70000',
    ],
    ['non-integer port', { ...gostHq, listenPort: 84.43 }, 'EncryptedTunnel: listenPort:'],
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
      'kz gost without endpoint',
      { ...gostKz, peerEndpoint: undefined },
      "EncryptedTunnel: peerEndpoint: required on the 'kz' side",
    ],
    [
      'hq gost without forwardTo',
      { ...gostHq, forwardTo: undefined },
      "EncryptedTunnel: forwardTo: required on the 'hq' side",
    ],
    [
      'forwardTo on the kz side',
      { ...gostKz, forwardTo: 'db:5432' },
      "EncryptedTunnel: forwardTo: applies to the 'hq' side only",
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
      renderTunnelConfig({ ...gostHq, forwardTo: 'nope' });
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(TunnelConfigError);
      expect((e as TunnelConfigError).field).toBe('forwardTo');
    }
  });
});
