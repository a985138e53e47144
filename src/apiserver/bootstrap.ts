// What exists in every cluster from its first start: the namespaces default, kube-system,
// kube-public and kube-node-lease, and the `kubernetes` Service in default (10.96.0.1:443)
// with Endpoints and an EndpointSlice pointing at this API server (refreshed on every start,
// since the address may change), and the `kube-dns` Service in kube-system (10.96.0.10), whose
// Endpoints the endpoints controller fills from the node agents' mirror Pods (k8s-app=kube-dns)
// that serve it in process. Written through the normal create/update handlers.
import { R, type ResourceType } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import type { ResourceRequest, ServerContext } from './context.ts';
import { applyDefaults } from '../api/defaults/index.ts';
import { prepareCreate } from './admit.ts';
import { keyOf } from './context.ts';
import { create } from './handlers/write.ts';
import { DNS_IP, KUBERNETES_SERVICE_IP } from '../api/network.ts';

const NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function req(r: ResourceType, method: string, obj: KubeObject, name?: string): ResourceRequest & { name: string } {
  return {
    method,
    r,
    namespace: obj.metadata.namespace,
    name: name ?? obj.metadata.name!,
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(obj)),
  };
}

/** Objects go through the normal handlers; the API server's own endpoints are written directly (as Kubernetes' reconciler does), since validation refuses a loopback address. */
function ensure(ctx: ServerContext, r: ResourceType, obj: KubeObject, direct = false): void {
  const key = keyOf(r, obj.metadata.namespace, obj.metadata.name!);
  const old = ctx.store.get(key);
  if (!direct) {
    if (!old) create(ctx, req(r, 'POST', obj));
    return;
  }
  if (!old) {
    prepareCreate(obj, r, ctx.now());
    applyDefaults(obj);
    ctx.store.create(key, obj);
    return;
  }
  const next = { ...old, ...obj, metadata: { ...old.metadata, labels: obj.metadata.labels } };
  applyDefaults(next);
  if (JSON.stringify(next) !== JSON.stringify(old)) ctx.store.update(key, next);
}

export interface BootstrapOptions { address: string; port: number }

export function bootstrap(ctx: ServerContext, opts: BootstrapOptions): void {
  const ns = R.namespaces;
  for (const name of NAMESPACES) {
    ensure(ctx, ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } });
  }
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  ensure(ctx, R.services, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels },
    spec: { type: 'ClusterIP', clusterIP: KUBERNETES_SERVICE_IP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 }], sessionAffinity: 'None' },
  });
  ensure(ctx, R.endpoints, {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: opts.address }], ports: [{ name: 'https', port: opts.port, protocol: 'TCP' }] }],
  }, true);
  ensure(ctx, R.endpointslices, {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [opts.address], conditions: { ready: true } }],
    ports: [{ name: 'https', port: opts.port, protocol: 'TCP' }],
  }, true);
  ensure(ctx, R.services, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns', namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      type: 'ClusterIP', clusterIP: DNS_IP, selector: { 'k8s-app': 'kube-dns' }, sessionAffinity: 'None',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  });
}
