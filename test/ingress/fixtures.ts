// Objects and backends for the ingress tests: Ingresses in creation order, Services with
// Endpoints, and small HTTP backends on loopback addresses (all of 127/8 is local on Linux, so
// 127.0.0.2, 127.0.0.3 … stand for pod IPs) that answer with their name and what they saw.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../../src/api/types.ts';

let clock = 0;
/** A creation time later than every earlier one (merge order is by age). */
export function nextTime(): string {
  return new Date(Date.UTC(2024, 0, 1, 0, 0, clock++)).toISOString().replace(/\.\d+Z$/, 'Z');
}

export function ingress(name: string, spec: Record<string, unknown>, o: { ns?: string; annotations?: Record<string, string>; className?: string } = {}): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { name, namespace: o.ns ?? 'default', uid: `uid-${name}`, resourceVersion: '1', creationTimestamp: nextTime(), ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: { ...(o.className !== undefined ? { ingressClassName: o.className } : {}), ...spec },
  };
}

/** An HTTP path of a rule. */
export const path = (p: string, pathType: string, service: string, port: number | string = 80) =>
  ({ path: p, pathType, backend: { service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } } } });

export const rule = (host: string | undefined, ...paths: object[]) => ({ ...(host ? { host } : {}), http: { paths } });

export function ingressClass(name: string, controller: string, isDefault = false): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
    metadata: { name, uid: `uid-class-${name}`, ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}) },
    spec: { controller },
  };
}

export function service(name: string, ports: { name?: string; port: number; targetPort?: number | string }[], ns = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { type: 'ClusterIP', ports: ports.map((p) => ({ protocol: 'TCP', ...p })) } };
}

export function endpoints(name: string, ips: string[], ports: { name?: string; port: number }[], ns = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: ns }, subsets: ips.length ? [{ addresses: ips.map((ip) => ({ ip })), ports: ports.map((p) => ({ protocol: 'TCP', ...p })) }] : [] } as KubeObject;
}

export interface Seen { name: string; method: string; url: string; headers: http.IncomingHttpHeaders; body: string }

/** An HTTP backend on ip:port (port 0 picks one) answering 200 with JSON of what it saw. */
export async function backend(name: string, ip = '127.0.0.1', port = 0): Promise<{ port: number; ip: string; server: http.Server; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: Seen = { name, method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      res.writeHead(200, { 'content-type': 'application/json', 'x-backend': name });
      res.end(JSON.stringify(seen));
    });
  });
  await new Promise<void>((r) => server.listen(port, ip, () => r()));
  return {
    port: (server.address() as AddressInfo).port, ip, server,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
