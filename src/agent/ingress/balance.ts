// Which backend and which endpoint a request goes to, after the location is known:
//   - canary (ingress-nginx's route_to_alternative_balancer): the header first (its -value
//     when set, else `always`/`never`), then the cookie (`always`/`never`), then the weight;
//   - the endpoint: with `affinity: cookie` the one the cookie names while it is still ready
//     (else a new one, and the cookie is set), otherwise round-robin.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { CanaryPolicy } from './annotations.ts';
import type { Endpoint, Pool } from './backends.ts';
import type { Location } from './table.ts';

function header(h: IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** The value of one cookie of the request (undefined when absent). */
export function cookie(h: IncomingHttpHeaders, name: string): string | undefined {
  const raw = h.cookie;
  if (!raw) return undefined;
  const text = Array.isArray(raw) ? raw.join('; ') : raw;
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf(';', at);
    if (end < 0) end = text.length;
    const eq = text.indexOf('=', at);
    if (eq > 0 && eq < end && text.slice(at, eq).trim() === name) return text.slice(eq + 1, end).trim();
    at = end + 1;
  }
  return undefined;
}

export function routeToCanary(p: CanaryPolicy, h: IncomingHttpHeaders, random: () => number = Math.random): boolean {
  if (p.header) {
    const v = header(h, p.header);
    if (v !== undefined) {
      if (p.headerValue) { if (v === p.headerValue) return true; }
      else if (v === 'always') return true;
      else if (v === 'never') return false;
    }
  }
  if (p.cookie) {
    const v = cookie(h, p.cookie);
    if (v === 'always') return true;
    if (v === 'never') return false;
  }
  return Math.floor(random() * p.weightTotal) + 1 <= p.weight;
}

/** The pool a request goes to: the location's, or its canary's. */
export function choosePool(l: Location, h: IncomingHttpHeaders): Pool | undefined {
  if (l.canary?.pool && routeToCanary(l.canary.policy, h)) return l.canary.pool;
  return l.pool;
}

const cookieValues = new WeakMap<Endpoint, string>();

/** The affinity cookie's value for an endpoint: a hash of `ip:port`, stable across restarts. */
export function affinityValue(e: Endpoint): string {
  let v = cookieValues.get(e);
  if (!v) {
    v = createHash('md5').update(e.id).digest('hex');
    cookieValues.set(e, v);
  }
  return v;
}

export interface Pick {
  endpoint?: Endpoint;
  /** a Set-Cookie header to add to the answer */
  setCookie?: string;
}

/** The endpoint for a request, honouring the location's affinity cookie. */
export function pickEndpoint(pool: Pool, l: Location, h: IncomingHttpHeaders, secure: boolean): Pick {
  const aff = l.ann.affinity;
  if (!aff) return { endpoint: pool.next() };
  const want = cookie(h, aff.cookie);
  if (want) for (const e of pool.endpoints) if (affinityValue(e) === want) return { endpoint: e };
  const e = pool.next();
  if (!e) return {};
  return { endpoint: e, setCookie: `${aff.cookie}=${affinityValue(e)}; Path=${aff.path ?? l.path}${secure ? '; Secure' : ''}; HttpOnly` };
}
