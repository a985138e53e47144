// The router's handlers before the upstream, in the order nginx's phases run them in
// ingress-nginx's configuration: server selection, the server-level app-root redirect,
// location selection, the location's ssl-redirect (rewrite phase), its allowlist (access
// phase), and rewrite-target. Each reads the current routing table through `table()`.
import { allowed } from './annotations.ts';
import { notFound, respond } from './pages.ts';
import type { RoutingTable } from './table.ts';
import type { Exchange, Handler, Next } from './types.ts';

type TableRef = () => RoutingTable;

/** The Host header without its port, case kept (ingress-nginx's redirect_host). */
function redirectHost(x: Exchange): string {
  const h = x.hostHeader;
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1) || h;
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

/** host → server: exact name, else a one-label wildcard, else the catch-all server. */
export class HostHandler implements Handler {
  readonly name = 'host';
  private readonly table: TableRef;
  constructor(table: TableRef) { this.table = table; }
  serve(x: Exchange, next: Next): void {
    x.server = this.table().server(x.host);
    next(x);
  }
}

/** app-root: `/` on the server answers 302 to the app's root (nginx makes it absolute with the request's host; port_in_redirect is off). */
export class AppRootHandler implements Handler {
  readonly name = 'app-root';
  serve(x: Exchange, next: Next): void {
    const root = x.server!.appRoot;
    if (root && x.path === '/') return respond(x, 302, { Location: `${x.scheme}://${x.host}${root}` });
    next(x);
  }
}

/** path → location (the server's fallback when nothing matches; the 404 page without one). */
export class PathHandler implements Handler {
  readonly name = 'path';
  private readonly table: TableRef;
  constructor(table: TableRef) { this.table = table; }
  serve(x: Exchange, next: Next): void {
    const l = this.table().location(x.server!, x.path);
    if (!l) return notFound(x);
    x.location = l;
    next(x);
  }
}

/**
 * ssl-redirect / force-ssl-redirect (ingress-nginx's lua_ingress.rewrite): plain HTTP to a host
 * that serves TLS, or to a location that forces it, answers 308 to `https://<host><request URI>`,
 * the URI's trailing slash dropped (preserve-trailing-slash is off).
 */
export class SslRedirectHandler implements Handler {
  readonly name = 'ssl-redirect';
  private readonly table: TableRef;
  constructor(table: TableRef) { this.table = table; }
  serve(x: Exchange, next: Next): void {
    if (x.scheme === 'http') {
      const a = x.location!.ann;
      if (a.forceSslRedirect || (a.sslRedirect && this.table().tlsFor(x.host) !== undefined)) {
        let uri = x.path + x.query;
        if (uri.endsWith('/')) uri = uri.slice(0, -1);
        return respond(x, 308, { Location: `https://${redirectHost(x)}${uri}` });
      }
    }
    next(x);
  }
}

/** whitelist-source-range / allowlist-source-range: other clients get 403. */
export class AllowlistHandler implements Handler {
  readonly name = 'allowlist';
  serve(x: Exchange, next: Next): void {
    const list = x.location!.ann.allowlist;
    if (list && !allowed(list, x.clientIP)) return respond(x, 403);
    next(x);
  }
}

/** Replaces nginx's $1…$9 in a rewrite target with the match's groups ('' for a group that did not take part). */
function expand(target: string, m: RegExpExecArray): string {
  return target.replace(/\$(\d)/g, (_, d: string) => m[Number(d)] ?? '');
}

/**
 * rewrite-target (nginx `rewrite "(?i)<path>" <target> break;`): when the path regex matches,
 * the whole request path becomes the target with its groups filled in; the query string is kept
 * (appended with `&` when the target has its own). A target that is a URL answers 302 to it.
 */
export class RewriteHandler implements Handler {
  readonly name = 'rewrite';
  serve(x: Exchange, next: Next): void {
    const rw = x.location!.rewrite;
    if (rw) {
      const m = rw.re.exec(x.path);
      if (m) {
        const target = expand(rw.target, m);
        if (target.startsWith('http://') || target.startsWith('https://')) return respond(x, 302, { Location: target });
        const q = x.query ? (target.includes('?') ? '&' + x.query.slice(1) : x.query) : '';
        x.upstreamTarget = (target.startsWith('/') ? target : '/' + target) + q;
      }
    }
    next(x);
  }
}
