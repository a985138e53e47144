// The ingress-nginx annotations (nginx.ingress.kubernetes.io/…) mk's controller implements,
// parsed once per Ingress into typed settings, with ingress-nginx's defaults and value rules
// (booleans as Go's strconv.ParseBool, CIDR lists comma-separated). Every other annotation
// under the prefix is listed in `ignored`, and values that cannot be used in `problems`: the
// controller reports both in an Event on the Ingress.
import net from 'node:net';

export const PREFIX = 'nginx.ingress.kubernetes.io/';
/** The cookie ingress-nginx names when session-cookie-name is not set. */
export const DEFAULT_AFFINITY_COOKIE = 'INGRESSCOOKIE';

/** The annotations this controller reads (without the prefix). */
export const SUPPORTED = new Set([
  'rewrite-target', 'use-regex', 'app-root', 'ssl-redirect', 'force-ssl-redirect', 'backend-protocol',
  'affinity', 'session-cookie-name', 'session-cookie-path',
  'whitelist-source-range', 'allowlist-source-range',
  'canary', 'canary-weight', 'canary-weight-total', 'canary-by-header', 'canary-by-header-value', 'canary-by-cookie',
]);

export interface Allowlist {
  /** the annotation's text, for messages */
  source: string;
  /** undefined when the text did not parse: every client is then refused */
  list?: net.BlockList;
}

export interface CanaryPolicy {
  weight: number;
  weightTotal: number;
  header?: string;
  headerValue?: string;
  cookie?: string;
}

export interface IngressAnnotations {
  rewriteTarget?: string;
  useRegex: boolean;
  appRoot?: string;
  sslRedirect: boolean;
  forceSslRedirect: boolean;
  backendProtocol: 'HTTP' | 'HTTPS';
  affinity?: { cookie: string; path?: string };
  allowlist?: Allowlist;
  /** set on an Ingress marked canary: its paths become alternatives of the main Ingress's */
  canary?: CanaryPolicy;
  /** full keys of annotations under the prefix this controller does not implement */
  ignored: string[];
  /** `<key>: <why>` for values that could not be used */
  problems: string[];
}

/** strconv.ParseBool */
function parseBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

function parseAllowlist(text: string): Allowlist {
  const list = new net.BlockList();
  for (const raw of text.split(',')) {
    const s = raw.trim();
    if (!s) continue;
    const [addr, bits, extra] = s.split('/');
    const family = net.isIP(addr);
    if (!family || extra !== undefined) return { source: text };
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) { list.addAddress(addr, type); continue; }
    const n = Number(bits);
    if (!/^\d+$/.test(bits) || n > (family === 4 ? 32 : 128)) return { source: text };
    list.addSubnet(addr, n, type);
  }
  return { source: text, list };
}

/** Is a client address allowed? IPv4-mapped IPv6 addresses count as their IPv4 address. */
export function allowed(a: Allowlist, ip: string): boolean {
  if (!a.list) return false;
  const v4 = ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  return a.list.check(v4, net.isIPv4(v4) ? 'ipv4' : 'ipv6');
}

export function parseAnnotations(all: Record<string, string> | undefined): IngressAnnotations {
  const out: IngressAnnotations = { useRegex: false, sslRedirect: true, forceSslRedirect: false, backendProtocol: 'HTTP', ignored: [], problems: [] };
  const a: Record<string, string> = {};
  for (const [k, v] of Object.entries(all ?? {})) {
    if (!k.startsWith(PREFIX)) continue;
    const short = k.slice(PREFIX.length);
    if (SUPPORTED.has(short)) a[short] = v;
    else out.ignored.push(k);
  }
  const bool = (key: string, dflt: boolean): boolean => {
    if (a[key] === undefined) return dflt;
    const b = parseBool(a[key].trim());
    if (b === undefined) out.problems.push(`${PREFIX}${key}: "${a[key]}" is not a boolean`);
    return b ?? dflt;
  };
  if (a['rewrite-target']) out.rewriteTarget = a['rewrite-target'];
  out.useRegex = bool('use-regex', false);
  if (a['app-root'] !== undefined) {
    const root = a['app-root'].trim();
    if (root.startsWith('/')) out.appRoot = root;
    else out.problems.push(`${PREFIX}app-root: "${a['app-root']}" is not an absolute path`);
  }
  out.sslRedirect = bool('ssl-redirect', true);
  out.forceSslRedirect = bool('force-ssl-redirect', false);
  if (a['backend-protocol'] !== undefined) {
    const p = a['backend-protocol'].trim().toUpperCase();
    if (p === 'HTTP' || p === 'HTTPS') out.backendProtocol = p;
    else out.problems.push(`${PREFIX}backend-protocol: "${a['backend-protocol']}" is not served by mk (HTTP and HTTPS are); HTTP is used`);
  }
  if (a.affinity !== undefined) {
    if (a.affinity.trim() === 'cookie') out.affinity = { cookie: a['session-cookie-name']?.trim() || DEFAULT_AFFINITY_COOKIE, path: a['session-cookie-path']?.trim() || undefined };
    else out.problems.push(`${PREFIX}affinity: "${a.affinity}" is not supported (only "cookie" is)`);
  }
  const range = a['allowlist-source-range'] ?? a['whitelist-source-range'];
  if (range !== undefined && range.trim() !== '') {
    out.allowlist = parseAllowlist(range);
    if (!out.allowlist.list) out.problems.push(`${PREFIX}${a['allowlist-source-range'] !== undefined ? 'allowlist' : 'whitelist'}-source-range: "${range}" is not a list of CIDRs; every client is refused`);
  }
  if (bool('canary', false)) {
    const num = (key: string, dflt: number): number => {
      if (a[key] === undefined) return dflt;
      const n = Number(a[key].trim());
      if (!Number.isInteger(n) || n < 0) {
        out.problems.push(`${PREFIX}${key}: "${a[key]}" is not a non-negative integer`);
        return dflt;
      }
      return n;
    };
    out.canary = {
      weight: num('canary-weight', 0),
      weightTotal: Math.max(100, num('canary-weight-total', 100)),
      header: a['canary-by-header']?.trim() || undefined,
      headerValue: a['canary-by-header-value'] || undefined,
      cookie: a['canary-by-cookie']?.trim() || undefined,
    };
  }
  return out;
}

/** Does this Ingress put its hosts' paths into regex mode (ingress-nginx's enforceRegex)? */
export function wantsRegex(a: IngressAnnotations): boolean {
  return a.useRegex || a.rewriteTarget !== undefined;
}
