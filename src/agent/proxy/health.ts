// kube-proxy's service health checks (pkg/proxy/healthcheck/service_health.go): for a
// LoadBalancer Service with externalTrafficPolicy Local, every node serves HTTP on the
// Service's spec.healthCheckNodePort, so a cloud load balancer sends traffic only to nodes
// that have a ready endpoint of their own. Any method and path: 200 when this node has at
// least one local ready endpoint (distinct IPs over all the Service's ports), else 503, with
// kube-proxy's JSON body and headers. Listeners open and close as the table asks; a port
// that cannot be bound is retried now and then, as the TCP plane does.
import http from 'node:http';
import { WILDCARD } from './table.ts';
import { RetryingListener } from './listener.ts';

export interface HealthPlaneOptions {
  /** how many ready endpoints of the Service (`namespace/name`) run on this node */
  localEndpoints(service: string): number;
  /** the bound address (default 0.0.0.0, as kube-proxy without --nodeport-addresses) */
  host?: string;
  /** how long before a port that could not be bound is tried again (default 2000 ms) */
  retryMs?: number;
  log?: (line: string) => void;
}

export interface HealthCheckStatus {
  /** `namespace/name` */
  service: string;
  host: string;
  port: number;
  localEndpoints: number;
  /** the bind error while not listening */
  error?: string;
}

/** kube-proxy's answer for one Service: status, headers and the tab-indented JSON body (no trailing newline). */
export function healthResponse(service: string, localEndpoints: number, proxyHealthy = true): { status: number; headers: Record<string, string>; body: string } {
  const [namespace, name] = splitService(service);
  const body = JSON.stringify({ service: { namespace, name }, localEndpoints, serviceProxyHealthy: proxyHealthy }, null, '\t');
  return {
    status: localEndpoints !== 0 && proxyHealthy ? 200 : 503,
    headers: { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff', 'Content-Length': String(Buffer.byteLength(body)) },
    body,
  };
}

function splitService(service: string): [string, string] {
  const i = service.indexOf('/');
  return i < 0 ? ['default', service] : [service.slice(0, i), service.slice(i + 1)];
}

export class HealthPlane {
  private readonly o: HealthPlaneOptions;
  private readonly host: string;
  private readonly listeners = new Map<number, { service: string; l: RetryingListener }>();

  constructor(o: HealthPlaneOptions) {
    this.o = o;
    this.host = o.host ?? WILDCARD;
  }

  open(port: number, service: string): void {
    if (this.listeners.has(port)) return;
    const create = () => http.createServer((req, res) => {
      const a = healthResponse(service, this.o.localEndpoints(service));
      res.writeHead(a.status, a.headers);
      res.end(a.body);
      req.resume();
    });
    const l = new RetryingListener(create, this.host, port, { retryMs: this.o.retryMs, log: this.o.log, what: `serve the health check of ${service} on ${this.host}:${port}/TCP` });
    this.listeners.set(port, { service, l });
  }

  close(port: number): void {
    const h = this.listeners.get(port);
    if (!h) return;
    this.listeners.delete(port);
    void h.l.close();
  }

  /** Resolves once every listener asked for so far is bound or has failed at least once. */
  async settled(): Promise<void> {
    while ([...this.listeners.values()].some((h) => !h.l.settled)) await new Promise((r) => setTimeout(r, 5));
  }

  /** The health checks served, by port. */
  status(): HealthCheckStatus[] {
    return [...this.listeners.values()].sort((a, b) => a.l.port - b.l.port).map(({ service, l }) => ({
      service,
      host: this.host,
      port: l.port,
      localEndpoints: this.o.localEndpoints(service),
      ...(l.listening ? {} : { error: l.error ?? 'binding' }),
    }));
  }

  async stop(): Promise<void> {
    const hs = [...this.listeners.values()];
    this.listeners.clear();
    await Promise.all(hs.map((h) => h.l.close()));
  }
}
