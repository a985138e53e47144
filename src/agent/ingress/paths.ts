// Host and path matching as the Ingress specification defines it (networking.k8s.io/v1):
// hosts exact or `*.suffix` (the wildcard covers exactly one label), paths Exact (string
// equality) or Prefix (element-wise on `/`, a trailing slash ignored on both sides).
// Pure functions over strings; the routing table (table.ts) indexes with them.

/** The host a request names: the Host header (or :authority) without port or trailing dot, lower case. */
export function requestHost(header: string | undefined): string {
  if (!header) return '';
  let h = header;
  if (h.charCodeAt(0) === 91 /* [ */) {
    const end = h.indexOf(']');
    h = end > 0 ? h.slice(0, end + 1) : h;
  } else {
    const colon = h.indexOf(':');
    if (colon >= 0) h = h.slice(0, colon);
  }
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h.toLowerCase();
}

/** For `a.b.c` the key a one-label wildcard server is stored under: `b.c` (undefined for one label). */
export function wildcardParent(host: string): string | undefined {
  const dot = host.indexOf('.');
  return dot > 0 && dot < host.length - 1 ? host.slice(dot + 1) : undefined;
}

/** `/foo/` → `/foo`; `/` stays `/`. The form Prefix paths are compared in. */
export function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * The element-wise prefixes of a request path, longest first, each in trimmed form:
 * `/foo/bar/` → `/foo/bar`, `/foo`, `/`. Empty elements (`//`) are kept as they are written.
 */
export function elementPrefixes(path: string): string[] {
  const out: string[] = [];
  let p = trimSlash(path);
  for (;;) {
    out.push(p);
    if (p === '/') return out;
    const cut = p.lastIndexOf('/');
    p = cut <= 0 ? '/' : p.slice(0, cut);
  }
}

/** The path and query parts of a request target (`/a?b` → ['/a', '?b']; absolute-form URLs too). */
export function splitTarget(url: string | undefined): [path: string, query: string] {
  let u = url || '/';
  if (u.charCodeAt(0) !== 47) {
    // absolute-form (`GET http://host/path`): keep what follows the authority
    const scheme = u.indexOf('://');
    if (scheme > 0) {
      const slash = u.indexOf('/', scheme + 3);
      const q = u.indexOf('?', scheme + 3);
      u = slash < 0 || (q >= 0 && q < slash) ? '/' + (q >= 0 ? u.slice(q) : '') : u.slice(slash);
    } else if (u !== '*') u = '/' + u;
  }
  const q = u.indexOf('?');
  return q < 0 ? [u, ''] : [u.slice(0, q), u.slice(q)];
}
