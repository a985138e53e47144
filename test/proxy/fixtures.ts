// Service and Endpoints objects for the proxy tests, written as a user (or the endpoints
// controller) would write them.
import type { KubeObject } from '../../src/api/types.ts';

export function service(name: string, spec: Record<string, unknown>, status?: Record<string, unknown>, namespace = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { type: 'ClusterIP', sessionAffinity: 'None', ...spec }, ...(status ? { status } : {}) };
}

export interface Addr { ip: string; nodeName?: string }

export function endpoints(name: string, addresses: Array<string | Addr>, ports: Array<{ name?: string; port: number; protocol?: string }>, namespace = 'default'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name, namespace },
    subsets: addresses.length
      ? [{ addresses: addresses.map((a) => (typeof a === 'string' ? { ip: a } : a)), ports: ports.map((p) => ({ protocol: 'TCP', ...p })) }]
      : [],
  };
}
