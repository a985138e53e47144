// Fixture objects for the DNS tests and bench: the Services of seeds 000–003 (a ClusterIP
// Service with named ports, a headless one with three endpoints, an ExternalName), pods with
// hostname + subdomain, and the kube-dns Service itself.
import type { KubeObject } from '../../src/api/types.ts';
import { ClusterRecords } from '../../src/agent/dns/records.ts';

export const svc = (ns: string, name: string, spec: Record<string, unknown>): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec }) as KubeObject;

export const ep = (ns: string, name: string, subsets: unknown[]): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: ns }, subsets }) as KubeObject;

export const pod = (ns: string, name: string, ip: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: {}, status: { podIP: ip, podIPs: [{ ip }] } }) as KubeObject;

export const nsObj = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }) as KubeObject;

export function fixtureRecords(now = () => 1_700_000_000_000): ClusterRecords {
  const r = new ClusterRecords('cluster.local', now);
  for (const n of ['default', 'kube-system', 'shop']) r.setNamespace(nsObj(n));
  r.setService(svc('kube-system', 'kube-dns', { type: 'ClusterIP', clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' }] }));
  r.setService(svc('default', 'httpd-svc', { type: 'ClusterIP', clusterIP: '10.105.253.35', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] }));
  r.setEndpoints(ep('default', 'httpd-svc', [{ addresses: [{ ip: '10.244.1.7' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]));
  r.setService(svc('default', 'headless-svc', { type: 'ClusterIP', clusterIP: 'None', ports: [{ name: 'web', port: 80, protocol: 'TCP' }] }));
  r.setEndpoints(ep('default', 'headless-svc', [{
    addresses: [{ ip: '10.244.1.95' }, { ip: '10.244.2.115' }, { ip: '10.244.0.19', hostname: 'web-0' }],
    ports: [{ name: 'web', port: 8080, protocol: 'TCP' }],
  }]));
  r.setService(svc('default', 'empty-headless', { type: 'ClusterIP', clusterIP: 'None', ports: [{ port: 80, protocol: 'TCP' }] }));
  r.setService(svc('shop', 'db', { type: 'ExternalName', externalName: 'httpd-svc.default.svc.cluster.local' }));
  r.setService(svc('shop', 'outside', { type: 'ExternalName', externalName: 'db.example.test' }));
  r.setPod(pod('default', 'client', '10.244.1.50'));
  return r;
}
