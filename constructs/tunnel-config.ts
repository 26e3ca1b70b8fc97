/**
 * Renders the real configuration files of an EncryptedTunnel gateway: for the `wireguard` profile a
 * wg-quick configuration plus a TCP forwarder configuration (`forward.conf`), for the `gost-tls`
 * profile an stunnel.conf (OpenSSL GOST engine, GOST R 34.10-2012 certificates, GOST suites only).
 *
 * What the tunnel carries: the HQ standby's PostgreSQL connection to the Kazakh primary. A standby
 * always dials its source, so connections start at the hq gateway's `localPort` and end at the
 * primary's read-write service (`sourceEndpoint`) through the kz gateway:
 * - wireguard: the kz side initiates the WireGuard handshake (persistent keepalive), the hq
 *   forwarder carries each standby connection through the tunnel to the kz forwarder, which listens
 *   on its tunnel address only and connects to the primary.
 * - gost-tls: TLS is TCP, so the side that opens the connection is the hq gateway (stunnel client)
 *   and the kz gateway (stunnel server) accepts it, requires the hq certificate and connects to the
 *   primary.
 *
 * The files are runnable as they are: docker/kz-tunnel-gateway (the images' entrypoint) runs them,
 * and the end-to-end suites in test/e2e/ run that same script with these files between two network
 * namespaces, carrying real PostgreSQL streaming replication.
 *
 * Key material is NEVER part of the rendered files. The gateway mounts a Kubernetes Secret at
 * `secretMountPath` and the files only name files inside that mount:
 * - wireguard: wg-quick reads no key from the config; `PostUp` hooks run
 *   `wg set %i private-key <mount>/private-key` and
 *   `wg set %i peer "$(cat <mount>/peer-public-key)" preshared-key <mount>/preshared-key ...`,
 *   so the private key, the peer's public key and the preshared key all come from the Secret
 *   (keys listed in {@link WIREGUARD_SECRET_KEYS}). No placeholder needs replacing at run time.
 * - gost-tls: `cert`, `key` and `CAfile` point at `tls.crt`, `tls.key` and `ca.crt` in the mount
 *   (keys listed in {@link GOST_TLS_SECRET_KEYS}; the layout of a `kubernetes.io/tls` Secret plus `ca.crt`).
 *
 * Kill switch: with `crossBorder: 'suspended'` the rendered files carry nothing across the border
 * (and EncryptedTunnel also scales the gateways to zero): the wg-quick file brings up an interface
 * with no peer and `forward.conf` has nothing to forward (the entrypoint refuses to start); the
 * stunnel.conf has no service section, so stunnel refuses to start ("Configuration failed") — fail
 * closed. Each says so in a comment. The e2e suites prove both.
 *
 * Verified with Debian bookworm's stunnel4 5.68, OpenSSL 3.0 and libengine-gost-openssl: the
 * engine loads with `engine = gost` + `engineDefault = ALL`, and the gateways negotiate
 * GOST2012-KUZNYECHIK-KUZNYECHIKOMAC (TLS 1.2, RFC 9189) with GOST R 34.10-2012 256-bit certificates.
 */

/** The two tunnel implementations an EncryptedTunnel can run. */
export type TunnelProfile = 'wireguard' | 'gost-tls';

/** Which end of the tunnel a gateway is: in Kazakhstan (beside the primary) or at the head office abroad (beside the standby). */
export type TunnelSide = 'kz' | 'hq';

/** The cross-border kill switch: `suspended` renders configuration that carries no traffic. */
export type CrossBorderState = 'active' | 'suspended';

/** Options of {@link renderTunnelConfig}. */
export interface TunnelRenderOptions {
  /** Tunnel implementation: `wireguard` (wg-quick + WireGuard + a TCP forwarder) or `gost-tls` (stunnel with the OpenSSL GOST engine). */
  readonly profile: TunnelProfile;
  /** Which gateway this file set is for: the Kazakh end (beside the primary) or the HQ end (beside the standby). */
  readonly side: TunnelSide;
  /** The kill switch. `suspended` renders a configuration that lets no traffic through. */
  readonly crossBorder: CrossBorderState;
  /**
   * The tunnel's own port.
   * - wireguard (required, both sides): the UDP `ListenPort`.
   * - gost-tls kz side (required): the TCP port on which the kz gateway accepts GOST TLS from the
   *   hq gateway. The gost-tls hq side has no tunnel listener: it dials `peerEndpoint`.
   */
  readonly tunnelPort?: number;
  /**
   * hq side only (required there): the TCP port on which the hq gateway accepts the HQ standby's
   * connections inside the HQ cluster. They are carried through the tunnel to the primary.
   */
  readonly localPort?: number;
  /**
   * kz side only (required there): `host:port` of the primary's read-write Service (e.g.
   * `clients-rw.clients.svc:5432`), where the kz gateway forwards every connection that arrives
   * through the tunnel. It is the only destination the kz gateway connects to in its cluster.
   */
  readonly sourceEndpoint?: string;
  /**
   * `host:port` of the peer gateway's tunnel listener, as this cluster resolves it (a DNS name or an
   * address; IPv6 as `[addr]:port`), on the side that dials:
   * - wireguard kz side (required): the hq gateway's UDP endpoint; the kz side initiates the
   *   handshake and keeps it alive, so the hq side needs no route into Kazakhstan;
   * - wireguard hq side (optional): without it the hq side learns the endpoint from the handshake;
   * - gost-tls hq side (required): the kz gateway's TLS endpoint;
   * - gost-tls kz side: refused (it never dials out of its cluster except to `sourceEndpoint`).
   */
  readonly peerEndpoint?: string;
  /**
   * gost-tls only, recommended: the DNS name the peer gateway's certificate must carry
   * (subjectAltName DNS or CN), checked with stunnel's `checkHost` on top of the chain check.
   * Without it any certificate issued by the CA in the Secret is accepted.
   */
  readonly peerName?: string;
  /**
   * Absolute path where the gateway mounts the Secret holding its keys/certificates, e.g.
   * `/etc/kz-tunnel/secret`. The rendered files name files in it ({@link WIREGUARD_SECRET_KEYS},
   * {@link GOST_TLS_SECRET_KEYS}); they never contain key material.
   */
  readonly secretMountPath: string;
  /**
   * wireguard only (required there): this gateway's tunnel address with prefix length, e.g.
   * `10.231.0.1/30` on the kz side and `10.231.0.2/30` on the hq side.
   */
  readonly tunnelAddress?: string;
  /**
   * wireguard only (required there): the peer gateway's tunnel address without prefix, e.g.
   * `10.231.0.2`. It is the only address routed into the tunnel (`allowed-ips <peer>/32`).
   */
  readonly peerTunnelAddress?: string;
  /**
   * wireguard only: the TCP port of the kz gateway's forwarder on its tunnel address (the hq
   * forwarder connects to it through the tunnel). Default 5432.
   */
  readonly forwardPort?: number;
  /**
   * wireguard only: the interface name, which is also the wg-quick file name (`<name>.conf`).
   * 1–15 characters of `[a-zA-Z0-9_=+.-]`. Default `wg-<side>` (`wg-kz`, `wg-hq`).
   */
  readonly interfaceName?: string;
  /**
   * wireguard only: seconds between keepalives the kz side sends so the hq side keeps its
   * endpoint through NAT. Default 25 on the kz side, off on the hq side; 0 disables.
   */
  readonly persistentKeepalive?: number;
}

/** Files the wireguard profile expects in the mounted Secret (Secret data keys). */
export const WIREGUARD_SECRET_KEYS = {
  /** This gateway's private key (`wg genkey`). */
  privateKey: 'private-key',
  /** The peer gateway's public key (`wg pubkey`). */
  peerPublicKey: 'peer-public-key',
  /** A preshared key shared by both gateways (`wg genpsk`): a post-quantum layer on top of Curve25519. */
  presharedKey: 'preshared-key',
} as const;

/** Files the gost-tls profile expects in the mounted Secret (Secret data keys). */
export const GOST_TLS_SECRET_KEYS = {
  /** This gateway's certificate, signed with GOST R 34.10-2012 (PEM). */
  certificate: 'tls.crt',
  /** This gateway's GOST R 34.10-2012 private key (PEM, PKCS#8). */
  privateKey: 'tls.key',
  /** The CA certificate(s) the peer's certificate must chain to (PEM). */
  caCertificate: 'ca.crt',
} as const;

/** File name of the stunnel configuration in the rendered file set. */
export const STUNNEL_CONFIG_FILE = 'stunnel.conf';

/** File name of the wireguard profile's TCP forwarder configuration in the rendered file set. */
export const FORWARD_CONFIG_FILE = 'forward.conf';

/**
 * TLS 1.2 cipher suites the gost-tls profile allows, best first: Kuznyechik (GOST R 34.12-2015,
 * 128-bit block) and Magma in CTR-OMAC mode (RFC 9189), then GOST 28147-89 CNT-IMIT with
 * GOST R 34.10-2012 authentication. Only GOST suites: a peer that offers anything else fails the handshake.
 */
export const GOST_CIPHER_SUITES: readonly string[] = [
  'GOST2012-KUZNYECHIK-KUZNYECHIKOMAC',
  'GOST2012-MAGMA-MAGMAOMAC',
  'GOST2012-GOST8912-GOST8912',
];

/** A bad option given to {@link renderTunnelConfig}; `field` names the option. */
export class TunnelConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`EncryptedTunnel: ${field}: ${message}`);
    this.name = 'TunnelConfigError';
  }
}

const PROFILES: readonly TunnelProfile[] = ['wireguard', 'gost-tls'];
const SIDES: readonly TunnelSide[] = ['kz', 'hq'];
const STATES: readonly CrossBorderState[] = ['active', 'suspended'];

/**
 * Renders the configuration files of one tunnel gateway, as file name → content, ready to be the
 * `data` of a ConfigMap mounted next to the Secret at `secretMountPath`.
 * - wireguard: `{ '<interfaceName>.conf': <wg-quick config>, 'forward.conf': <forwarder config> }`;
 *   run with `kz-tunnel-gateway wireguard <wg file> <forward file>` (docker/kz-tunnel-gateway).
 * - gost-tls: `{ 'stunnel.conf': <stunnel config> }`; run with `kz-tunnel-gateway gost-tls <file>`.
 * Throws {@link TunnelConfigError} naming the option when an option is missing or invalid.
 */
export function renderTunnelConfig(opts: TunnelRenderOptions): Record<string, string> {
  const o = validate(opts);
  return o.profile === 'wireguard' ? renderWireGuard(o) : renderGostTls(o);
}

interface Validated extends TunnelRenderOptions {
  readonly secretMountPath: string;
}

function forbid(o: TunnelRenderOptions, fields: ReadonlyArray<keyof TunnelRenderOptions>, why: string): void {
  for (const f of fields) if (o[f] !== undefined) throw new TunnelConfigError(f, why);
}

function need<K extends keyof TunnelRenderOptions>(o: TunnelRenderOptions, f: K, why: string): void {
  if (o[f] === undefined) throw new TunnelConfigError(f, why);
}

function validate(opts: TunnelRenderOptions): Validated {
  if (opts === null || typeof opts !== 'object') {
    throw new TunnelConfigError('options', 'expected an object of TunnelRenderOptions');
  }
  oneOf('profile', opts.profile, PROFILES);
  oneOf('side', opts.side, SIDES);
  oneOf('crossBorder', opts.crossBorder, STATES);
  const mount = opts.secretMountPath;
  if (typeof mount !== 'string' || !/^\/[A-Za-z0-9._\-/]*$/.test(mount) || mount.split('/').includes('..')) {
    throw new TunnelConfigError(
      'secretMountPath',
      `expected an absolute path of letters, digits, '.', '_', '-' and '/' (no '..'), got ${show(mount)}`,
    );
  }
  const secretMountPath = mount.length > 1 ? mount.replace(/\/+$/, '') : mount;
  for (const f of ['tunnelPort', 'localPort', 'forwardPort'] as const)
    if (opts[f] !== undefined) port(f, opts[f]);
  for (const f of ['peerEndpoint', 'sourceEndpoint'] as const)
    if (opts[f] !== undefined) endpoint(f, opts[f]);
  const kz = opts.side === 'kz';
  if (kz) {
    need(opts, 'sourceEndpoint', "required on the 'kz' side: host:port of the primary's read-write service");
    forbid(opts, ['localPort'], "applies to the 'hq' side only (where the HQ standby connects)");
  } else {
    need(opts, 'localPort', "required on the 'hq' side: the port the HQ standby connects to");
    forbid(
      opts,
      ['sourceEndpoint'],
      "applies to the 'kz' side only; the hq side forwards through the tunnel",
    );
  }

  if (opts.profile === 'wireguard') {
    need(opts, 'tunnelPort', "required for the 'wireguard' profile: the UDP ListenPort");
    need(opts, 'tunnelAddress', "required for the 'wireguard' profile (e.g. '10.231.0.1/30')");
    cidr('tunnelAddress', opts.tunnelAddress);
    need(opts, 'peerTunnelAddress', "required for the 'wireguard' profile (e.g. '10.231.0.2')");
    const peer = opts.peerTunnelAddress ?? '';
    if (!isIPv4(peer) && !isIPv6(peer)) {
      throw new TunnelConfigError(
        'peerTunnelAddress',
        `expected an IPv4 or IPv6 address without prefix, got ${show(opts.peerTunnelAddress)}`,
      );
    }
    if (peer === (opts.tunnelAddress ?? '').split('/')[0]) {
      throw new TunnelConfigError('peerTunnelAddress', "must differ from this side's tunnelAddress");
    }
    if (kz) {
      need(
        opts,
        'peerEndpoint',
        "required on the 'kz' side: it initiates the handshake (host:port of the hq gateway)",
      );
    }
    const name = opts.interfaceName ?? `wg-${opts.side}`;
    if (!/^[a-zA-Z0-9_=+.-]{1,15}$/.test(name)) {
      throw new TunnelConfigError(
        'interfaceName',
        `expected 1-15 characters of [a-zA-Z0-9_=+.-], got ${show(name)}`,
      );
    }
    const ka = opts.persistentKeepalive;
    if (ka !== undefined && (!Number.isInteger(ka) || ka < 0 || ka > 65535)) {
      throw new TunnelConfigError(
        'persistentKeepalive',
        `expected an integer number of seconds 0-65535, got ${show(ka)}`,
      );
    }
    forbid(
      opts,
      ['peerName'],
      "applies to the 'gost-tls' profile only; WireGuard authenticates the peer by its public key",
    );
  } else {
    if (opts.peerName !== undefined && (typeof opts.peerName !== 'string' || !isHostname(opts.peerName))) {
      throw new TunnelConfigError('peerName', `expected a DNS name, got ${show(opts.peerName)}`);
    }
    forbid(
      opts,
      ['tunnelAddress', 'peerTunnelAddress', 'interfaceName', 'persistentKeepalive', 'forwardPort'],
      "applies to the 'wireguard' profile only; the 'gost-tls' profile forwards TCP ports",
    );
    if (kz) {
      need(opts, 'tunnelPort', "required on the 'kz' side of 'gost-tls': the port that accepts GOST TLS");
      forbid(
        opts,
        ['peerEndpoint'],
        "the 'kz' side of 'gost-tls' never dials out: the hq gateway dials it (see EncryptedTunnel)",
      );
    } else {
      need(opts, 'peerEndpoint', "required on the 'hq' side of 'gost-tls': host:port of the kz gateway");
      forbid(
        opts,
        ['tunnelPort'],
        "the 'hq' side of 'gost-tls' has no tunnel listener; it dials peerEndpoint",
      );
    }
  }
  return { ...opts, secretMountPath };
}

/** `host:port`, with an IPv6 host in brackets. */
function hostPort(host: string, p: number): string {
  return `${isIPv6(host) ? `[${host}]` : host}:${p}`;
}

function renderWireGuard(o: Validated): Record<string, string> {
  const name = o.interfaceName ?? `wg-${o.side}`;
  const keys = WIREGUARD_SECRET_KEYS;
  const dir = o.secretMountPath;
  const suspended = o.crossBorder === 'suspended';
  const peerAddress = o.peerTunnelAddress ?? '';
  const hostBits = isIPv4(peerAddress) ? 32 : 128;
  const lines: string[] = [
    `# kz-residency EncryptedTunnel, profile wireguard, ${o.side} side (rendered; do not edit).`,
    `# Run: kz-tunnel-gateway wireguard ${name}.conf ${FORWARD_CONFIG_FILE} (wg-quick up, userspace wireguard-go where`,
    '# the node has no WireGuard module, then the TCP forwarder).',
    `# No key material in this file: the keys are read from the Secret mounted at ${dir}`,
    `# (${keys.privateKey}, ${keys.peerPublicKey}, ${keys.presharedKey}) by the PostUp hooks below.`,
  ];
  if (suspended) {
    lines.push(
      '# KILL SWITCH ENGAGED (crossBorder: suspended): no peer is configured, so nothing is sent',
      '# across the border and nothing from the peer is accepted.',
    );
  }
  lines.push(
    '',
    '[Interface]',
    `Address = ${o.tunnelAddress}`,
    `ListenPort = ${o.tunnelPort}`,
    `PostUp = wg set %i private-key ${dir}/${keys.privateKey}`,
  );
  if (!suspended) {
    const peer = [
      `wg set %i peer "$(cat ${dir}/${keys.peerPublicKey})"`,
      `preshared-key ${dir}/${keys.presharedKey}`,
      `allowed-ips ${peerAddress}/${hostBits}`,
    ];
    if (o.peerEndpoint !== undefined) peer.push(`endpoint ${o.peerEndpoint}`);
    const keepalive = o.persistentKeepalive ?? (o.side === 'kz' ? 25 : 0);
    if (keepalive > 0) peer.push(`persistent-keepalive ${keepalive}`);
    lines.push(
      '# The peer (the wg-quick [Peer] section, whose PublicKey would have to be a literal) is added',
      '# from the Secret instead; its route is added by the next hook.',
      `PostUp = ${peer.join(' ')}`,
      `PostUp = ip route replace ${peerAddress}/${hostBits} dev %i`,
    );
  }
  return { [`${name}.conf`]: lines.join('\n') + '\n', [FORWARD_CONFIG_FILE]: renderForward(o) };
}

/**
 * The TCP forwarder of a wireguard gateway. kz side: listens on its own tunnel address only (so
 * only connections that came through the tunnel reach it) and connects to the primary's read-write
 * service. hq side: listens for the HQ standby on `localPort` and connects to the kz forwarder
 * through the tunnel.
 */
function renderForward(o: Validated): string {
  const own = (o.tunnelAddress ?? '').split('/')[0];
  const forwardPort = o.forwardPort ?? 5432;
  const lines = [
    `# kz-residency EncryptedTunnel, profile wireguard, ${o.side} side: TCP forwarder (rendered; do not edit).`,
    '# Run by kz-tunnel-gateway once the WireGuard interface is up, as',
    '#   socat TCP-LISTEN:<listen port>,bind=<listen address>,fork,reuseaddr TCP:<connect>',
    o.side === 'kz'
      ? "# Connections arriving through the tunnel at this gateway's tunnel address go to the primary's read-write service."
      : '# The HQ standby connects to the listen port; each connection is carried through the tunnel to the kz forwarder.',
  ];
  if (o.crossBorder === 'suspended') {
    lines.push(
      '# KILL SWITCH ENGAGED (crossBorder: suspended): nothing to forward; the gateway does not start.',
    );
  } else if (o.side === 'kz') {
    lines.push(`listen = ${hostPort(own, forwardPort)}`, `connect = ${o.sourceEndpoint}`);
  } else {
    lines.push(
      `listen = ${isIPv6(own) ? '[::]' : '0.0.0.0'}:${o.localPort}`,
      `connect = ${hostPort(o.peerTunnelAddress ?? '', forwardPort)}`,
    );
  }
  return lines.join('\n') + '\n';
}

function renderGostTls(o: Validated): Record<string, string> {
  const keys = GOST_TLS_SECRET_KEYS;
  const dir = o.secretMountPath;
  const suspended = o.crossBorder === 'suspended';
  const lines: string[] = [
    `; kz-residency EncryptedTunnel, profile gost-tls, ${o.side} side (rendered; do not edit).`,
    `; Run: kz-tunnel-gateway gost-tls ${STUNNEL_CONFIG_FILE} (stunnel, foreground). Needs the OpenSSL GOST engine`,
    '; (Debian: libengine-gost-openssl).',
    `; No key material in this file: certificate, key and CA come from the Secret mounted at ${dir}.`,
    '',
    'foreground = yes',
    'pid =',
    'debug = info',
    '',
    '; GOST R 34.10-2012 keys, GOST R 34.11-2012 hashes and GOST 28147-89 / Kuznyechik / Magma',
    '; ciphers come from the gost engine.',
    'engine = gost',
    'engineDefault = ALL',
  ];
  if (suspended) {
    lines.push(
      '',
      '; KILL SWITCH ENGAGED (crossBorder: suspended): no service section, so this gateway',
      '; neither accepts nor forwards any connection across the border.',
    );
    return { [STUNNEL_CONFIG_FILE]: lines.join('\n') + '\n' };
  }
  const kz = o.side === 'kz';
  lines.push(
    '',
    kz
      ? '; The hq gateway dials this port (mutual GOST TLS); each connection goes to the primary only.'
      : '; The HQ standby connects to the accept port; each connection is carried in GOST TLS to the kz gateway.',
    kz ? '[kz-from-hq]' : '[hq-to-kz]',
    kz ? 'client = no' : 'client = yes',
    `accept = ${kz ? o.tunnelPort : o.localPort}`,
    `connect = ${kz ? o.sourceEndpoint : o.peerEndpoint}`,
    `cert = ${dir}/${keys.certificate}`,
    `key = ${dir}/${keys.privateKey}`,
    `CAfile = ${dir}/${keys.caCertificate}`,
    '; the peer must present a certificate that chains to the CA above',
    'verifyChain = yes',
    'requireCert = yes',
    ...(o.peerName !== undefined ? [`checkHost = ${o.peerName}`] : []),
    'sslVersionMin = TLSv1.2',
    'sslVersionMax = TLSv1.2',
    `ciphers = ${GOST_CIPHER_SUITES.join(':')}`,
  );
  return { [STUNNEL_CONFIG_FILE]: lines.join('\n') + '\n' };
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): asserts value is T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new TunnelConfigError(
      field,
      `expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${show(value)}`,
    );
  }
}

function port(field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new TunnelConfigError(field, `expected a port number 1-65535, got ${show(value)}`);
  }
}

function endpoint(field: string, value: unknown): void {
  const m =
    typeof value === 'string' ? /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(value) : null;
  const host = m ? (m[1] ?? m[2]) : undefined;
  const okHost = m !== null && host !== undefined && (m[1] !== undefined ? isIPv6(host) : isHostname(host));
  const p = m ? Number(m[3]) : 0;
  if (!okHost || p < 1 || p > 65535) {
    throw new TunnelConfigError(
      field,
      `expected host:port (a DNS name or address; IPv6 as [addr]:port), got ${show(value)}`,
    );
  }
}

function cidr(field: string, value: unknown): void {
  const m = typeof value === 'string' ? /^([^/]+)\/(\d{1,3})$/.exec(value) : null;
  const ok = m !== null && ((isIPv4(m[1]) && Number(m[2]) <= 32) || (isIPv6(m[1]) && Number(m[2]) <= 128));
  if (!ok) {
    throw new TunnelConfigError(
      field,
      `expected an address with prefix length, e.g. '10.231.0.1/30', got ${show(value)}`,
    );
  }
}

function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return (
    parts.length === 4 &&
    parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255 && String(Number(p)) === p)
  );
}

function isIPv6(s: string): boolean {
  if (!/^[0-9a-fA-F:]+$/.test(s) || !s.includes(':')) return false;
  const double = s.split('::').length - 1;
  if (double > 1) return false;
  const groups = s.split(':').filter((g) => g !== '');
  return groups.every((g) => g.length <= 4) && (double === 1 ? groups.length < 8 : groups.length === 8);
}

function isHostname(s: string): boolean {
  return (
    s.length <= 253 &&
    s.split('.').every((label) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label))
  );
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
