// Service, Endpoints and EndpointSlice rows (printers.go printService, printEndpoints,
// printEndpointSlice): TYPE, CLUSTER-IP, EXTERNAL-IP (<none>/<pending>/externalIPs/
// externalName), PORT(S) `80:30123/TCP`, endpoint lists cut after 3 with `+ N more...`.

import type { KubeObject } from '../../api/types.ts';
import { ageSince } from '../age.ts';
import { AGE_COL, NAME_COL, col, loadBalancerIngress, type Printer } from '../columns.ts';
import { formatLabels } from '../table.ts';

interface ServicePort { name?: string; port: number; nodePort?: number; protocol?: string; targetPort?: number | string }

/** makePortString: `80/TCP`, `80:30123/TCP`, joined with ','. */
export function servicePorts(ports: ServicePort[] | undefined): string {
  return (ports ?? [])
    .map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`))
    .join(',');
}

/** getServiceExternalIP (the server prints with wide=true, so load balancer IPs are not cut). */
export function serviceExternalIP(svc: KubeObject): string {
  const spec = svc.spec ?? {};
  const externalIPs: string[] = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(svc.status?.loadBalancer);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
  }
  return '<unknown>';
}

export const servicePrinter: Printer = {
  columns: [
    NAME_COL,
    col('Type', 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.'),
    col('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'The list of ports that are exposed by this service.'),
    AGE_COL,
    col('Selector', 'Route service traffic to pods with label keys and values matching this selector.', { priority: 1 }),
  ],
  cells(svc, now) {
    const spec = svc.spec ?? {};
    const clusterIP: string = spec.clusterIPs?.[0] || spec.clusterIP || '<none>';
    return [
      svc.metadata.name, spec.type ?? 'ClusterIP', clusterIP, serviceExternalIP(svc),
      servicePorts(spec.ports) || '<none>', ageSince(svc.metadata.creationTimestamp, now), formatLabels(spec.selector),
    ];
  },
};

interface EndpointSubset { addresses?: { ip: string }[]; notReadyAddresses?: { ip: string }[]; ports?: { name?: string; port: number; protocol?: string }[] }

const joinHostPort = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/** formatEndpoints: ready `ip:port` pairs, the first 3 then `+ N more...`; `<none>` without subsets. */
export function formatEndpoints(subsets: EndpointSubset[] | undefined): string {
  if (!subsets || subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) { more = true; break; }
        list.push(a.ip);
      }
      continue;
    }
    for (const p of ports) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) { more = true; break; }
        list.push(joinHostPort(a.ip, p.port));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export const endpointsPrinter: Printer = {
  columns: [NAME_COL, col('Endpoints', 'The set of all endpoints is the union of all subsets.'), AGE_COL],
  cells: (ep, now) => [ep.metadata.name, formatEndpoints(ep.subsets), ageSince(ep.metadata.creationTimestamp, now)],
};

function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret === '' ? '<unset>' : ret;
}

export const endpointSlicePrinter: Printer = {
  columns: [
    NAME_COL,
    col('AddressType', 'addressType specifies the type of address carried by this EndpointSlice.'),
    col('Ports', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    col('Endpoints', 'endpoints is a list of unique endpoints in this slice.'),
    AGE_COL,
  ],
  cells(slice, now) {
    const max = 3;
    const ports: string[] = [];
    let portsMore = false;
    let portCount = 0;
    for (const p of (slice.ports ?? []) as { port?: number; name?: string }[]) {
      if (ports.length < max) ports.push(p.port !== undefined && p.port !== null ? String(p.port) : p.name ?? '*');
      else portsMore = true;
      portCount++;
    }
    const addrs: string[] = [];
    let addrMore = false;
    let addrCount = 0;
    for (const e of (slice.endpoints ?? []) as { addresses?: string[] }[]) {
      for (const a of e.addresses ?? []) {
        if (addrs.length < max) addrs.push(a);
        else addrMore = true;
        addrCount++;
      }
    }
    return [
      slice.metadata.name, slice.addressType ?? '', listWithMore(ports, portsMore, portCount, max),
      listWithMore(addrs, addrMore, addrCount, max), ageSince(slice.metadata.creationTimestamp, now),
    ];
  },
};
