/**
 * Endpoint normalisation, the one way endpoints are compared (DESIGN.md, "Sites registry"), the
 * same as policies/lib/endpoint.rego: scheme and host lower-case, the default port made explicit,
 * IPv6 literals with every group written out, no user info, query, fragment or trailing slash,
 * and the path kept: clusters behind one proxy (`https://rancher.example.kz/k8s/clusters/<id>`)
 * differ only by path. A bare host (the kubernetes provider accepts `10.0.0.1:6443`) means https.
 */

const DEFAULT_PORTS: Record<string, string> = { https: '443', http: '80' };

/** `[2001:DB8::1]` → `[2001:db8:0:0:0:0:0:1]`; anything that is not plain hex groups is only lower-cased. */
function expandIpv6(bracketed: string): string {
  const a = bracketed.slice(1, -1).toLowerCase();
  if (!/^[0-9a-f:]+$/.test(a)) return `[${a}]`;
  const halves = a.split('::');
  if (halves.length > 2) return `[${a}]`;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  let all: string[];
  if (halves.length === 2) {
    const left = groups(halves[0]);
    const right = groups(halves[1]);
    const missing = 8 - left.length - right.length;
    if (missing < 1) return `[${a}]`;
    all = [...left, ...Array<string>(missing).fill('0'), ...right];
  } else {
    all = groups(a);
  }
  if (all.length !== 8) return `[${a}]`;
  return `[${all.map((g) => g.replace(/^0+(?=.)/, '')).join(':')}]`;
}

/**
 * `https://K8S.Ala.example.kz/` → `https://k8s.ala.example.kz:443`;
 * `https://rancher.example.kz/k8s/clusters/c-1/` → `https://rancher.example.kz:443/k8s/clusters/c-1`;
 * `10.20.0.10:6443` → `https://10.20.0.10:6443`. Returns undefined for what is not an http(s)
 * URL or host (empty, another scheme, spaces, a bad port).
 */
export function normaliseEndpoint(url: string): string | undefined {
  const s = url.trim();
  if (s === '' || /\s/.test(s)) return undefined;
  const withScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(s) ? s : `https://${s}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return undefined;
  }
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  const defaultPort = DEFAULT_PORTS[scheme];
  if (defaultPort === undefined || u.hostname === '') return undefined;
  // URL drops a port equal to the scheme's default; put it back so both spellings compare equal.
  const port = u.port === '' ? defaultPort : u.port;
  const host = u.hostname.startsWith('[') ? expandIpv6(u.hostname) : u.hostname.toLowerCase().replace(/\.$/, '');
  const path = u.pathname.replace(/\/+$/, '');
  return `${scheme}://${host}:${port}${path}`;
}

/** Whether two endpoints name the same API server after normalising. */
export function sameEndpoint(a: string, b: string): boolean {
  const na = normaliseEndpoint(a);
  return na !== undefined && na === normaliseEndpoint(b);
}
