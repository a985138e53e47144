// The ingress router's handler contract, after CoreDNS's plugin.Handler (as src/agent/dns):
// a request goes down an ordered list of handlers (host → app-root → path → ssl-redirect →
// allowlist → rewrite → upstream); each answers it or passes it to `next`. Past the last
// handler a request gets the 404 page. The Exchange carries the request, how to answer it
// (a response, or the raw socket of an Upgrade), and what earlier handlers decided.
import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import type { Location, Server } from './table.ts';
import type { Pool } from './backends.ts';

/** The part of an http1 ServerResponse / http2 compat response the handlers use. */
export interface Responder {
  headersSent: boolean;
  writeHead(status: number, headers?: Record<string, string | string[] | number>): unknown;
  end(body?: string | Buffer): unknown;
}

export interface Exchange {
  method: string;
  headers: IncomingHttpHeaders;
  /** the request body (also where an http2 request's data comes from) */
  body: Readable;
  /** http1 or http2 compat response; undefined for an Upgrade */
  res?: Responder;
  /** set for an HTTP/1.1 Upgrade (WebSocket): the client's socket and what was read past the headers */
  upgrade?: { socket: Duplex; head: Buffer };
  scheme: 'http' | 'https';
  /** the port the client connected to */
  serverPort: number;
  clientIP: string;
  /** the Host header as sent (ingress-nginx's $best_http_host) */
  hostHeader: string;
  /** lower case, no port */
  host: string;
  /** path part of the request target, as sent */
  path: string;
  /** '' or '?…' */
  query: string;
  /** set by the host handler */
  server?: Server;
  /** set by the path handler */
  location?: Location;
  /** the request target sent upstream (set by rewrite; default path + query) */
  upstreamTarget?: string;
  /** set by the canary decision */
  pool?: Pool;
}

export type Next = (x: Exchange) => void;

export interface Handler {
  readonly name: string;
  serve(x: Exchange, next: Next): void;
}

/** Runs handlers in order; past the last one a request gets `end` (the 404 page). */
export function chain(handlers: readonly Handler[], end: Next): Next {
  const at = (i: number): Next => {
    if (i >= handlers.length) return end;
    const h = handlers[i]!;
    const next = at(i + 1);
    return (x) => h.serve(x, next);
  };
  return at(0);
}
