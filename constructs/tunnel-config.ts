/**
 * Renders the real configuration files of an EncryptedTunnel gateway: a wg-quick configuration
 * for the `wireguard` profile and an stunnel.conf (OpenSSL GOST engine, GOST R 34.10-2012
 * certificates, GOST cipher suites only) for the `gost-tls` profile.
 *
 * The files are runnable as they are: the end-to-end suite in test/e2e/tunnels/ runs exactly these
 * files with wireguard-go/wg-quick and stunnel4 between two network namespaces.
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
 * with no peer (no PostUp adds one), so nothing is sent or accepted; the stunnel.conf has no
 * service section, so stunnel refuses to start ("Configuration failed") and the gateway stays
 * down — fail closed. Each says so in a comment. test/e2e/tunnels/ proves both.
 *
 * Verified with Debian bookworm's stunnel4 5.68, OpenSSL 3.0 and libengine-gost-openssl: the
 * engine loads with `engine = gost` + `engineDefault = ALL`, and the gateways negotiate
 * GOST2012-KUZNYECHIK-KUZNYECHIKOMAC (TLS 1.2, RFC 9189) with GOST R 34.10-2012 256-bit certificates.
 */

/** The two tunnel implementations an EncryptedTunnel can run. */
export type TunnelProfile = 'wireguard' | 'gost-tls';

/** Which end of the tunnel a gateway is: in Kazakhstan (initiator) or at the head office abroad. */
export type TunnelSide = 'kz' | 'hq';

/** The cross-border kill switch: `suspended` renders configuration that carries no traffic. */
export type CrossBorderState = 'active' | 'suspended';

/** Options of {@link renderTunnelConfig}. */
export interface TunnelRenderOptions {
  /** Tunnel implementation: `wireguard` (wg-quick + WireGuard) or `gost-tls` (stunnel with the OpenSSL GOST engine). */
  readonly profile: TunnelProfile;
  /** Which gateway this file set is for. The kz side initiates; the hq side accepts. */
  readonly side: TunnelSide;
  /** The kill switch. `suspended` renders a configuration that lets no traffic through. */
  readonly crossBorder: CrossBorderState;
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
   * The port this gateway listens on.
   * - wireguard: the UDP `ListenPort` (both sides).
   * - gost-tls, hq side: the TCP port that accepts TLS from the kz gateway.
   * - gost-tls, kz side: the TCP port that accepts plaintext from local clients (the primary's
   *   replication sender) inside the kz cluster; it is forwarded through TLS to `peerEndpoint`.
   */
  readonly listenPort: number;
  /**
   * `host:port` of the peer gateway's tunnel port, as the cluster resolves it (a Service DNS name
   * or an address; IPv6 as `[addr]:port`). Required on the kz side (it initiates); optional for a
   * wireguard hq side (it then learns the endpoint from the handshake); ignored by a gost-tls hq side.
   */
  readonly peerEndpoint?: string;
  /**
   * gost-tls hq side only (required there): `host:port` of the replica's database that the hq
   * gateway connects on to after terminating TLS, e.g. `hq-replica-rw.hq.svc:5432`.
   */
  readonly forwardTo?: string;
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
   * wireguard only: the interface name, which is also the wg-quick file name (`<name>.conf`).
   * 1–15 characters of `[a-zA-Z0-9_=+.-]`. Default `wg-<side>` (`wg-kz`, `wg-hq`).
   */
  readonly interfaceName?: string;
  /**
   * wireguard only: seconds between keepalives the kz side sends so the hq side keeps its
   * endpoint through NAT. Default 25; 0 disables.
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
 * - wireguard: `{ '<interfaceName>.conf': <wg-quick config> }`; run with `wg-quick up <file>`.
 * - gost-tls: `{ 'stunnel.conf': <stunnel config> }`; run with `stunnel <file>` (foreground).
 * Throws {@link TunnelConfigError} naming the option when an option is missing or invalid.
 */
export function renderTunnelConfig(opts: TunnelRenderOptions): Record<string, string> {
  const o = validate(opts);
  return o.profile === 'wireguard' ? renderWireGuard(o) : renderGostTls(o);
}

interface Validated extends TunnelRenderOptions {
  readonly secretMountPath: string;
}

function validate(opts: TunnelRenderOptions): Validated {
  if (opts === null || typeof opts !== 'object') {
    throw new TunnelConfigError('options', 'expected an object of TunnelRenderOptions');
  }
  oneOf('profile', opts.profile, PROFILES);
  oneOf('side', opts.side, SIDES);
  oneOf('crossBorder', opts.crossBorder, STATES);
  port('listenPort', opts.listenPort);
  const mount = opts.secretMountPath;
  if (typeof mount !== 'string' || !/^\/[A-Za-z0-9._\-/]*$/.test(mount) || mount.split('/').includes('..')) {
    throw new TunnelConfigError(
      'secretMountPath',
      `expected an absolute path of letters, digits, '.', '_', '-' and '/' (no '..'), got ${show(mount)}`,
    );
  }
  const secretMountPath = mount.length > 1 ? mount.replace(/\/+$/, '') : mount;
  if (opts.peerEndpoint !== undefined) endpoint('peerEndpoint', opts.peerEndpoint);
  if (opts.forwardTo !== undefined) endpoint('forwardTo', opts.forwardTo);

  if (opts.profile === 'wireguard') {
    if (opts.tunnelAddress === undefined) {
      throw new TunnelConfigError(
        'tunnelAddress',
        "required for the 'wireguard' profile (e.g. '10.231.0.1/30')",
      );
    }
    cidr('tunnelAddress', opts.tunnelAddress);
    if (opts.peerTunnelAddress === undefined) {
      throw new TunnelConfigError(
        'peerTunnelAddress',
        "required for the 'wireguard' profile (e.g. '10.231.0.2')",
      );
    }
    if (!isIPv4(opts.peerTunnelAddress) && !isIPv6(opts.peerTunnelAddress)) {
      throw new TunnelConfigError(
        'peerTunnelAddress',
        `expected an IPv4 or IPv6 address without prefix, got ${show(opts.peerTunnelAddress)}`,
      );
    }
    if (opts.peerTunnelAddress === opts.tunnelAddress.split('/')[0]) {
      throw new TunnelConfigError('peerTunnelAddress', "must differ from this side's tunnelAddress");
    }
    if (opts.side === 'kz' && opts.peerEndpoint === undefined) {
      throw new TunnelConfigError(
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
    if (opts.persistentKeepalive !== undefined) {
      if (
        !Number.isInteger(opts.persistentKeepalive) ||
        opts.persistentKeepalive < 0 ||
        opts.persistentKeepalive > 65535
      ) {
        throw new TunnelConfigError(
          'persistentKeepalive',
          `expected an integer number of seconds 0-65535, got ${show(opts.persistentKeepalive)}`,
        );
      }
    }
    if (opts.peerName !== undefined) {
      throw new TunnelConfigError(
        'peerName',
        "applies to the 'gost-tls' profile only; WireGuard authenticates the peer by its public key",
      );
    }
  } else {
    if (opts.peerName !== undefined && (typeof opts.peerName !== 'string' || !isHostname(opts.peerName))) {
      throw new TunnelConfigError('peerName', `expected a DNS name, got ${show(opts.peerName)}`);
    }
    for (const f of ['tunnelAddress', 'peerTunnelAddress', 'interfaceName', 'persistentKeepalive'] as const) {
      if (opts[f] !== undefined) {
        throw new TunnelConfigError(
          f,
          "applies to the 'wireguard' profile only; the 'gost-tls' profile forwards TCP ports",
        );
      }
    }
    if (opts.side === 'kz' && opts.peerEndpoint === undefined) {
      throw new TunnelConfigError(
        'peerEndpoint',
        "required on the 'kz' side: host:port of the hq gateway's TLS port",
      );
    }
    if (opts.side === 'hq' && opts.forwardTo === undefined) {
      throw new TunnelConfigError(
        'forwardTo',
        "required on the 'hq' side of 'gost-tls': host:port of the replica's database",
      );
    }
    if (opts.side === 'kz' && opts.forwardTo !== undefined) {
      throw new TunnelConfigError(
        'forwardTo',
        "applies to the 'hq' side only; the kz side forwards to peerEndpoint",
      );
    }
  }
  return { ...opts, secretMountPath };
}

function renderWireGuard(o: Validated): Record<string, string> {
  const name = o.interfaceName ?? `wg-${o.side}`;
  const keys = WIREGUARD_SECRET_KEYS;
  const dir = o.secretMountPath;
  const suspended = o.crossBorder === 'suspended';
  const lines: string[] = [
    `# kz-residency EncryptedTunnel, profile wireguard, ${o.side} side (rendered; do not edit).`,
    `# Run: wg-quick up /path/to/${name}.conf  (userspace: WG_QUICK_USERSPACE_IMPLEMENTATION=wireguard-go)`,
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
    `ListenPort = ${o.listenPort}`,
    `PostUp = wg set %i private-key ${dir}/${keys.privateKey}`,
  );
  if (!suspended) {
    const peer = [
      `wg set %i peer "$(cat ${dir}/${keys.peerPublicKey})"`,
      `preshared-key ${dir}/${keys.presharedKey}`,
      `allowed-ips ${o.peerTunnelAddress}/${isIPv4(o.peerTunnelAddress ?? '') ? 32 : 128}`,
    ];
    if (o.peerEndpoint !== undefined) peer.push(`endpoint ${o.peerEndpoint}`);
    const keepalive = o.persistentKeepalive ?? (o.side === 'kz' ? 25 : 0);
    if (keepalive > 0) peer.push(`persistent-keepalive ${keepalive}`);
    lines.push(
      '# The peer (the wg-quick [Peer] section, whose PublicKey would have to be a literal) is added',
      '# from the Secret instead; its route is added by the next hook.',
      `PostUp = ${peer.join(' ')}`,
      `PostUp = ip route replace ${o.peerTunnelAddress}/${isIPv4(o.peerTunnelAddress ?? '') ? 32 : 128} dev %i`,
    );
  }
  return { [`${name}.conf`]: lines.join('\n') + '\n' };
}

function renderGostTls(o: Validated): Record<string, string> {
  const keys = GOST_TLS_SECRET_KEYS;
  const dir = o.secretMountPath;
  const suspended = o.crossBorder === 'suspended';
  const lines: string[] = [
    `; kz-residency EncryptedTunnel, profile gost-tls, ${o.side} side (rendered; do not edit).`,
    `; Run: stunnel ${STUNNEL_CONFIG_FILE}. Needs the OpenSSL GOST engine (Debian: libengine-gost-openssl).`,
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
  lines.push(
    '',
    o.side === 'kz' ? '[kz-to-hq]' : '[hq-from-kz]',
    o.side === 'kz' ? 'client = yes' : 'client = no',
    `accept = ${o.listenPort}`,
    `connect = ${o.side === 'kz' ? o.peerEndpoint : o.forwardTo}`,
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
  if (o.side === 'kz') {
    lines.push('; the kz side dials out only; it never accepts from outside its own cluster');
  }
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
