// describe for Service and Endpoints (kubectl describe.go describeService, describeEndpoints).
// Endpoints per port come from EndpointSlices when given (kubectl 1.31+) or from Endpoints.

import type { KubeObject } from '../../api/types.ts';
import { formatEndpoints } from '../kinds/service.ts';
import { loadBalancerIngress } from '../columns.ts';
import { formatLabels } from '../table.ts';
import { DescribeWriter, writeAnnotations, writeEvents, writeLabels } from './writer.ts';
import type { DescribeContext } from './index.ts';

/** formatEndpointSlices: ready addresses of the slices' ports named `portName`, cut after 3. */
export function formatSliceEndpoints(slices: KubeObject[], portName: string): string {
  if (slices.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const s of slices) {
    // As kubectl: a full list turns `more` on even for a not-ready endpoint (`+ 0 more...`).
    const eps = (s.endpoints ?? []) as { addresses?: string[]; conditions?: { ready?: boolean } }[];
    const ports = (s.ports ?? []) as { name?: string; port?: number }[];
    const add = (text: (a: string) => string): void => {
      for (const e of eps) {
        if (list.length === max) more = true;
        if (e.conditions?.ready === false) continue;
        for (const a of e.addresses ?? []) {
          count++;
          if (list.length < max) list.push(text(a)); else more = true;
        }
      }
    };
    if (ports.length === 0) {
      add((a) => a);
      continue;
    }
    for (const p of ports) {
      if ((p.name ?? '') !== portName) continue;
      add((a) => (a.includes(':') ? `[${a}]:${p.port}` : `${a}:${p.port}`));
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

function portEndpoints(ctx: DescribeContext, portName: string): string {
  if (ctx.endpointSlices) return formatSliceEndpoints(ctx.endpointSlices, portName);
  const subsets = (ctx.endpoints?.subsets ?? []) as { ports?: { name?: string }[] }[];
  if (!ctx.endpoints) return '<none>';
  // formatEndpoints with a port-name filter: keep only the named port of each subset.
  return formatEndpoints(subsets.map((s) => ({ ...s, ports: (s.ports ?? []).filter((p) => (p.name ?? '') === portName) })) as never);
}

export function describeService(svc: KubeObject, ctx: DescribeContext, now: Date): string {
  const w = new DescribeWriter();
  const spec = svc.spec ?? {};
  w.write(0, `Name:\t${svc.metadata.name}\n`);
  w.write(0, `Namespace:\t${svc.metadata.namespace}\n`);
  writeLabels(w, 'Labels', svc.metadata.labels);
  writeAnnotations(w, 'Annotations', svc.metadata.annotations);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type ?? ''}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${(spec.ipFamilies ?? []).length ? spec.ipFamilies.join(',') : '<none>'}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  w.write(0, `IPs:\t${(spec.clusterIPs ?? []).length ? spec.clusterIPs.join(',') : '<none>'}\n`);
  if ((spec.externalIPs ?? []).length) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(0, `IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  if ((svc.status?.loadBalancer?.ingress ?? []).length) w.write(0, `LoadBalancer Ingress:\t${loadBalancerIngressList(svc.status.loadBalancer.ingress)}\n`);
  for (const p of (spec.ports ?? []) as { name?: string; port: number; protocol?: string; targetPort?: number | string; nodePort?: number }[]) {
    const name = p.name || '<unset>';
    const proto = p.protocol ?? 'TCP';
    w.write(0, `Port:\t${name}\t${p.port}/${proto}\n`);
    w.write(0, `TargetPort:\t${p.targetPort ?? p.port}/${proto}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}\t${p.nodePort}/${proto}\n`);
    w.write(0, `Endpoints:\t${portEndpoints(ctx, p.name ?? '')}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if ((spec.loadBalancerSourceRanges ?? []).length) w.write(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
  writeEvents(w, ctx.events, now);
  return w.toString();
}

/** buildIngressString: IPs or hostnames in the order given, joined with ', '. */
function loadBalancerIngressList(ingress: { ip?: string; hostname?: string }[]): string {
  return ingress.map((i) => i.ip || i.hostname || '').filter(Boolean).join(', ') || loadBalancerIngress({ ingress });
}

export function describeEndpoints(ep: KubeObject, ctx: DescribeContext, now: Date): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${ep.metadata.name}\n`);
  w.write(0, `Namespace:\t${ep.metadata.namespace}\n`);
  writeLabels(w, 'Labels', ep.metadata.labels);
  writeAnnotations(w, 'Annotations', ep.metadata.annotations);
  w.write(0, 'Subsets:\n');
  for (const s of (ep.subsets ?? []) as { addresses?: { ip: string }[]; notReadyAddresses?: { ip: string }[]; ports?: { name?: string; port: number; protocol?: string }[] }[]) {
    const ready = (s.addresses ?? []).map((a) => a.ip).join(',');
    const notReady = (s.notReadyAddresses ?? []).map((a) => a.ip).join(',');
    w.write(1, `Addresses:\t${ready || '<none>'}\n`);
    w.write(1, `NotReadyAddresses:\t${notReady || '<none>'}\n`);
    if ((s.ports ?? []).length) {
      w.write(1, 'Ports:\n');
      w.write(2, 'Name\tPort\tProtocol\n');
      w.write(2, '----\t----\t--------\n');
      for (const p of s.ports!) w.write(2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol ?? 'TCP'}\n`);
    }
    w.write(0, '\n');
  }
  writeEvents(w, ctx.events, now);
  return w.toString();
}
