// Test helper: small builders for the objects the tutorials (seeds 000–004) show, with
// creation times chosen so the AGE cells come out as the seed prints them.

import type { KubeObject } from '../../api/types.ts';

export const NOW = new Date('2024-05-01T12:00:00Z');

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, y: 365 * 86_400_000 };

/** '3m18s' → the RFC 3339 time that long before NOW. */
export function ago(age: string): string {
  let ms = 0;
  for (const [, n, u] of age.matchAll(/(\d+)([smhdy])/g)) ms += Number(n) * UNITS[u!]!;
  return new Date(NOW.getTime() - ms).toISOString().replace('.000Z', 'Z');
}

export function meta(name: string, age: string, extra: Record<string, unknown> = {}): KubeObject['metadata'] {
  return { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: ago(age), ...extra };
}

export interface PortSpec { name?: string; port: number; targetPort?: number | string; nodePort?: number; protocol?: string }

export function service(name: string, age: string, spec: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject {
  const clusterIP = spec.clusterIP as string | undefined;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name, age),
    spec: {
      type: 'ClusterIP', sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster',
      ...(clusterIP ? { clusterIPs: [clusterIP] } : {}),
      ...spec,
      ports: ((spec.ports as PortSpec[] | undefined) ?? []).map((p) => ({ protocol: 'TCP', targetPort: p.port, ...p })),
    },
    status: { loadBalancer: {} },
    ...extra,
  };
}

export function runningPod(name: string, age: string, opts: { ready?: boolean; ip?: string; node?: string; labels?: Record<string, string>; restarts?: number; ns?: string } = {}): KubeObject {
  const ready = opts.ready ?? true;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, age, { ...(opts.labels ? { labels: opts.labels } : {}), ...(opts.ns ? { namespace: opts.ns } : {}) }),
    spec: { nodeName: opts.node ?? 'mk', containers: [{ name: 'app', image: 'app:1' }] },
    status: {
      phase: 'Running',
      podIP: opts.ip ?? '10.244.1.2',
      podIPs: [{ ip: opts.ip ?? '10.244.1.2' }],
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [{ name: 'app', ready, restartCount: opts.restarts ?? 0, started: true, state: { running: { startedAt: ago(age) } } }],
    },
  };
}

export function node(name: string, age: string, opts: { role?: string; version: string; ip: string; os: string; kernel: string; runtime: string }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, creationTimestamp: ago(age), labels: opts.role ? { [`node-role.kubernetes.io/${opts.role}`]: '' } : {} },
    spec: {},
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: opts.ip }, { type: 'Hostname', address: name }],
      nodeInfo: { kubeletVersion: opts.version, osImage: opts.os, kernelVersion: opts.kernel, containerRuntimeVersion: opts.runtime },
    },
  };
}

/** Strips the common indentation of a seed excerpt and ends it with one newline. */
export function seed(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^[\t ]*/.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n') + '\n';
}
