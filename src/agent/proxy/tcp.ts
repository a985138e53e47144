// The TCP data path: one listening socket per port on the wildcard address (the node's local
// route for the service range delivers every ClusterIP there), and per accepted connection
// the Service found by the socket's local address and port. The picker's candidates are tried
// in order (a refused or unreachable endpoint leads to the next); with none at all, or none
// answering, the client's socket is reset at once. Both directions are piped with backpressure
// and half-close; a connection lives on when its endpoint leaves the Endpoints. Listeners open
// and close as the table asks; a port taken by someone else is retried now and then.
import net from 'node:net';
import type { Backend, ListenSpec, Protocol, Route } from './table.ts';
import type { Picker } from './picker.ts';
import { RetryingListener } from './listener.ts';

export interface TcpPlaneOptions {
  lookup(protocol: Protocol, ip: string, port: number): Route | undefined;
  picker: Picker;
  /** per-candidate connect timeout (default 3000 ms) */
  connectTimeoutMs?: number;
  /** how long before a port that could not be bound is tried again (default 2000 ms) */
  retryMs?: number;
  log?: (line: string) => void;
}

export function plainIP(a: string | undefined): string {
  return (a ?? '').replace(/^::ffff:/, '');
}

export class TcpPlane {
  private readonly o: TcpPlaneOptions;
  private readonly listeners = new Map<string, RetryingListener>();
  private readonly sockets = new Set<net.Socket>();
  /** connections accepted and proxied so far, refused (no endpoint answered) so far */
  accepted = 0;
  rejected = 0;

  constructor(o: TcpPlaneOptions) {
    this.o = o;
  }

  open(spec: ListenSpec): void {
    const key = `${spec.host}:${spec.port}`;
    if (this.listeners.has(key)) return;
    const create = () => net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (sock) => this.accept(sock));
    this.listeners.set(key, new RetryingListener(create, spec.host, spec.port, { retryMs: this.o.retryMs, log: this.o.log, what: `listen on ${spec.host}:${spec.port}/TCP` }));
  }

  close(spec: ListenSpec): void {
    const key = `${spec.host}:${spec.port}`;
    const l = this.listeners.get(key);
    if (!l) return;
    this.listeners.delete(key);
    void l.close();
  }

  /** Resolves once every listener asked for so far is bound or has failed at least once. */
  async settled(): Promise<void> {
    while ([...this.listeners.values()].some((l) => !l.settled)) await new Promise((r) => setTimeout(r, 5));
  }

  /** Ports and their state: listening, or the bind error. */
  status(): Array<{ host: string; port: number; error?: string }> {
    return [...this.listeners.values()].map((l) => ({ host: l.host, port: l.port, ...(l.listening ? {} : { error: l.error ?? 'binding' }) }));
  }

  get activeConnections(): number {
    return this.sockets.size;
  }

  async stop(): Promise<void> {
    const ls = [...this.listeners.values()];
    this.listeners.clear();
    const closing = ls.map((l) => l.close());
    for (const s of this.sockets) s.destroy();
    await Promise.all(closing);
  }

  private accept(client: net.Socket): void {
    const route = this.o.lookup('TCP', plainIP(client.localAddress), client.localPort ?? 0);
    const clientIP = plainIP(client.remoteAddress);
    const candidates = route ? this.o.picker.pick(route, clientIP) : [];
    if (!route || candidates.length === 0) {
      this.rejected++;
      client.resetAndDestroy();
      return;
    }
    this.track(client);
    let upstream: net.Socket | undefined;
    const onClientGone = () => upstream?.destroy();
    client.on('error', onClientGone);
    client.on('close', onClientGone);
    const attempt = (i: number) => {
      if (client.destroyed) return;
      const b = candidates[i];
      if (!b) {
        this.rejected++;
        client.resetAndDestroy();
        return;
      }
      const up = net.connect({ host: b.ip, port: b.port, allowHalfOpen: true });
      upstream = up;
      up.setTimeout(this.o.connectTimeoutMs ?? 3000, () => up.destroy(new Error('connect timeout')));
      const failed = () => {
        if (upstream === up) attempt(i + 1);
      };
      up.once('error', failed);
      up.once('connect', () => {
        up.off('error', failed);
        up.setTimeout(0);
        this.accepted++;
        this.o.picker.used(route, clientIP, b);
        this.splice(client, up, b);
      });
    };
    attempt(0);
  }

  private splice(client: net.Socket, up: net.Socket, _b: Backend): void {
    this.track(up);
    // An error on either side ends both; a clean end is passed on as a half-close by pipe().
    up.on('error', () => client.resetAndDestroy());
    up.on('close', () => {
      if (!client.destroyed && !client.writableEnded) client.end();
    });
    client.on('close', () => up.destroy());
    client.pipe(up);
    up.pipe(client);
    client.resume();
  }

  private track(s: net.Socket): void {
    this.sockets.add(s);
    s.once('close', () => this.sockets.delete(s));
  }
}
