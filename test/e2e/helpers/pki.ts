/**
 * Test key material generated on the fly, written as the files a Kubernetes Secret mount holds
 * (the names the renderer expects: WIREGUARD_SECRET_KEYS, GOST_TLS_SECRET_KEYS).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GOST_TLS_SECRET_KEYS, WIREGUARD_SECRET_KEYS } from '../../../constructs/tunnel-config';
import { run } from './system';

function writeSecret(dir: string, files: Record<string, string>): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), content, { mode: 0o600 });
  }
}

/**
 * WireGuard keys for both gateways (`wg genkey`, `wg pubkey`, `wg genpsk`), written as the Secret
 * each side mounts. Returns the public keys, to compare with what `wg show` reports.
 */
export function makeWireGuardSecrets(kzDir: string, hqDir: string): { kzPublic: string; hqPublic: string } {
  const kzPriv = run('wg', ['genkey']).stdout.trim();
  const hqPriv = run('wg', ['genkey']).stdout.trim();
  const kzPublic = run('wg', ['pubkey'], { input: kzPriv + '\n' }).stdout.trim();
  const hqPublic = run('wg', ['pubkey'], { input: hqPriv + '\n' }).stdout.trim();
  const psk = run('wg', ['genpsk']).stdout.trim();
  const k = WIREGUARD_SECRET_KEYS;
  writeSecret(kzDir, {
    [k.privateKey]: kzPriv + '\n',
    [k.peerPublicKey]: hqPublic + '\n',
    [k.presharedKey]: psk + '\n',
  });
  writeSecret(hqDir, {
    [k.privateKey]: hqPriv + '\n',
    [k.peerPublicKey]: kzPublic + '\n',
    [k.presharedKey]: psk + '\n',
  });
  return { kzPublic, hqPublic };
}

/** openssl with the GOST engine loaded. */
function gostSsl(args: readonly string[]): string {
  return run('openssl', args).stdout;
}

/** A GOST R 34.10-2012 private key (256-bit, paramset A), written to `out`. */
function gostKey(out: string): void {
  gostSsl([
    'genpkey',
    '-engine',
    'gost',
    '-algorithm',
    'gost2012_256',
    '-pkeyopt',
    'paramset:A',
    '-out',
    out,
  ]);
}

/**
 * A one-day GOST R 34.11-2012 signed certificate for `key`, written to `out`: self-signed, or
 * issued by `ca` when given; `extensions` are passed as `-addext` values in order.
 */
function gostCert(opts: {
  key: string;
  out: string;
  subject: string;
  ca?: { crt: string; key: string };
  extensions?: readonly string[];
}): void {
  const args = ['req', '-engine', 'gost', '-x509', '-new', '-key', opts.key];
  if (opts.ca) args.push('-CA', opts.ca.crt, '-CAkey', opts.ca.key);
  args.push('-md_gost12_256', '-days', '1', '-subj', opts.subject);
  for (const ext of opts.extensions ?? []) args.push('-addext', ext);
  args.push('-out', opts.out);
  gostSsl(args);
}

/**
 * A GOST PKI: a CA and one certificate per gateway, all GOST R 34.10-2012 (256-bit, paramset A)
 * keys signed with GOST R 34.11-2012 hashes, generated with Debian's gost engine. Each gateway
 * certificate carries its DNS name as subjectAltName (for stunnel's checkHost). Writes each side's
 * Secret files and returns the text of the certificates' algorithms for the report.
 */
export function makeGostSecrets(
  workDir: string,
  sides: { kz: { dir: string; name: string }; hq: { dir: string; name: string } },
): { signatureAlgorithm: string; publicKeyAlgorithm: string } {
  const pki = path.join(workDir, 'pki');
  fs.mkdirSync(pki, { recursive: true, mode: 0o700 });
  const caKey = path.join(pki, 'ca.key');
  const caCrt = path.join(pki, 'ca.crt');
  gostKey(caKey);
  gostCert({
    key: caKey,
    out: caCrt,
    subject: '/O=kz-residency e2e/CN=kzres test tunnel CA',
    extensions: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'],
  });
  const ca = fs.readFileSync(caCrt, 'utf8');
  for (const side of ['kz', 'hq'] as const) {
    const { dir, name } = sides[side];
    const key = path.join(pki, `${side}.key`);
    const crt = path.join(pki, `${side}.crt`);
    gostKey(key);
    gostCert({
      key,
      out: crt,
      subject: `/O=kz-residency e2e/CN=${name}`,
      ca: { crt: caCrt, key: caKey },
      extensions: [
        `subjectAltName=DNS:${name}`,
        'basicConstraints=critical,CA:FALSE',
        // gost-tls: the kz gateway is the TLS server and the hq gateway the client; both may be either
        'extendedKeyUsage=serverAuth,clientAuth',
      ],
    });
    const g = GOST_TLS_SECRET_KEYS;
    writeSecret(dir, {
      [g.certificate]: fs.readFileSync(crt, 'utf8'),
      [g.privateKey]: fs.readFileSync(key, 'utf8'),
      [g.caCertificate]: ca,
    });
  }
  const text = gostSsl(['x509', '-in', path.join(pki, 'hq.crt'), '-noout', '-text']);
  const sig = /Signature Algorithm: (.+)/.exec(text)?.[1]?.trim() ?? 'unknown';
  const pub = /Public Key Algorithm: (.+)/.exec(text)?.[1]?.trim() ?? 'unknown';
  return { signatureAlgorithm: sig, publicKeyAlgorithm: pub };
}

/**
 * An impostor: a GOST R 34.10-2012 client certificate with the kz gateway's own name, issued by a
 * CA of its own (not the one in the gateways' Secrets). Returns the certificate and key paths.
 */
export function makeRogueGostClient(workDir: string, name: string): { cert: string; key: string } {
  const dir = path.join(workDir, 'rogue');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caKey = path.join(dir, 'ca.key');
  const caCrt = path.join(dir, 'ca.crt');
  const key = path.join(dir, 'client.key');
  const cert = path.join(dir, 'client.crt');
  gostKey(caKey);
  gostCert({ key: caKey, out: caCrt, subject: '/CN=rogue CA' });
  gostKey(key);
  gostCert({
    key,
    out: cert,
    subject: `/O=kz-residency e2e/CN=${name}`,
    ca: { crt: caCrt, key: caKey },
    extensions: [`subjectAltName=DNS:${name}`],
  });
  return { cert, key };
}
