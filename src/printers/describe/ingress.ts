// describe for Ingress (kubectl describe.go IngressDescriber, describeIngressV1, as kubectl 1.33
// prints it): address, class, default backend, TLS, the Rules table with each backend's ready
// endpoints from its Service's EndpointSlices, annotations, events. (1.27–1.30 read Endpoints
// and name a missing one first; 1.31–1.32 also list endpoints that are not ready.)

import type { KubeObject } from '../../api/types.ts';
import { loadBalancerIngress } from '../columns.ts';
import { formatSliceEndpoints } from './service.ts';
import { DescribeWriter, writeAnnotations, writeEvents, writeLabels } from './writer.ts';
import type { DescribeContext } from './index.ts';

/**
 * describeBackendV1: `svc:port (endpoints)`, the ready endpoints of the Service's EndpointSlices
 * (label kubernetes.io/service-name) on the Service port the backend names.
 */
function backendText(ns: string, b: any, ctx: DescribeContext): string {
  if (!b?.service) return b?.resource ? `APIGroup: ${b.resource.apiGroup ?? '<none>'}, Kind: ${b.resource.kind}, Name: ${b.resource.name}` : '';
  const port = b.service.port?.number ? String(b.service.port.number) : b.service.port?.name ?? '';
  const head = `${b.service.name}:${port}`;
  const svc = (ctx.services ?? []).find((s) => s.metadata.name === b.service.name && (s.metadata.namespace ?? ns) === ns);
  if (!svc) return `${head} (<error: services "${b.service.name}" not found>)`;
  let spName = '';
  for (const sp of svc.spec?.ports ?? []) {
    if ((b.service.port?.number && b.service.port.number === sp.port) || (b.service.port?.name && b.service.port.name === sp.name)) spName = sp.name ?? '';
  }
  const slices = (ctx.endpointSlices ?? []).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === b.service.name);
  return `${head} (${formatSliceEndpoints(slices, spName)})`;
}

export function describeIngress(ing: KubeObject, ctx: DescribeContext, now: Date): string {
  const w = new DescribeWriter();
  const spec = ing.spec ?? {};
  const ns = ing.metadata.namespace ?? 'default';
  w.write(0, `Name:\t${ing.metadata.name}\n`);
  writeLabels(w, 'Labels', ing.metadata.labels);
  w.write(0, `Namespace:\t${ns}\n`);
  w.write(0, `Address:\t${loadBalancerIngress(ing.status?.loadBalancer)}\n`);
  w.write(0, `Ingress Class:\t${spec.ingressClassName ?? '<none>'}\n`);
  w.write(0, `Default backend:\t${spec.defaultBackend ? backendText(ns, spec.defaultBackend, ctx) : '<default>'}\n`);
  if ((spec.tls ?? []).length) {
    w.write(0, 'TLS:\n');
    for (const t of spec.tls) {
      if (t.secretName) w.write(1, `${t.secretName} terminates ${(t.hosts ?? []).join(',')}\n`);
      else w.write(1, `SNI routes ${(t.hosts ?? []).join(',')}\n`);
    }
  }
  w.write(0, 'Rules:\n  Host\tPath\tBackends\n');
  w.write(1, '----\t----\t--------\n');
  let count = 0;
  for (const rule of spec.rules ?? []) {
    if (!rule.http) continue;
    count++;
    const host = rule.host || '*';
    w.write(1, `${host}\t\n`);
    for (const p of rule.http.paths ?? []) w.write(2, `\t${p.path ?? ''} \t${backendText(ns, p.backend, ctx)}\n`);
  }
  if (count === 0) w.write(1, `*\t*\t${spec.defaultBackend ? backendText(ns, spec.defaultBackend, ctx) : '<default>'}\n`);
  writeAnnotations(w, 'Annotations', ing.metadata.annotations);
  writeEvents(w, ctx.events, now);
  return w.toString();
}

