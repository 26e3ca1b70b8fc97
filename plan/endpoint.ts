/**
 * Endpoint normalisation, the one way endpoints are compared (DESIGN.md, "Sites registry"):
 * scheme and host lower-case, the default port made explicit, no user info, path, query, fragment
 * or trailing slash. A bare host (the kubernetes provider accepts `10.0.0.1:6443`) means https.
 */

const DEFAULT_PORTS: Record<string, string> = { https: '443', http: '80' };

/**
 * `https://K8S.Ala.example.kz/` → `https://k8s.ala.example.kz:443`;
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
  return `${scheme}://${u.hostname.toLowerCase()}:${port}`;
}

/** Whether two endpoints name the same API server after normalising. */
export function sameEndpoint(a: string, b: string): boolean {
  const na = normaliseEndpoint(a);
  return na !== undefined && na === normaliseEndpoint(b);
}
