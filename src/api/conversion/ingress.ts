// Ingress between networking.k8s.io/v1 (how it is stored) and the v1beta1 shape that
// networking.k8s.io/v1beta1 and extensions/v1beta1 served until Kubernetes 1.22:
//   spec.backend ↔ spec.defaultBackend;
//   backend.serviceName / servicePort (int or name) ↔ backend.service.name / port.number|name;
//   a path without pathType ↔ ImplementationSpecific (v1beta1 defaulted it so).
// Works on partial objects too (patches, applied configurations): only what is there moves.
// Unknown fields are kept as they are, so strict decoding can still name them.
import type { KubeObject } from '../types.ts';

type Json = Record<string, any>;

function backendToV1(b: Json | undefined): Json | undefined {
  if (!b || typeof b !== 'object') return b;
  const { serviceName, servicePort, ...rest } = b;
  if (serviceName === undefined && servicePort === undefined) return rest;
  // an IntOrString: a number is a port number, any string (even "80") a port name, as Go decodes it
  const port = servicePort === undefined ? undefined : typeof servicePort === 'number' ? { number: servicePort } : { name: String(servicePort) };
  return { ...rest, service: { ...(serviceName !== undefined ? { name: serviceName } : {}), ...(port ? { port } : {}) } };
}

function backendFromV1(b: Json | undefined): Json | undefined {
  if (!b || typeof b !== 'object') return b;
  const { service, ...rest } = b;
  if (!service) return rest;
  const out: Json = { ...(service.name !== undefined ? { serviceName: service.name } : {}) };
  if (service.port?.name) out.servicePort = service.port.name;
  else if (service.port?.number !== undefined) out.servicePort = service.port.number;
  return { ...out, ...rest };
}

function mapPaths(spec: Json, f: (p: Json) => Json): void {
  if (!Array.isArray(spec.rules)) return;
  spec.rules = spec.rules.map((r: Json) => {
    if (!r || typeof r !== 'object' || !r.http || !Array.isArray(r.http.paths)) return r;
    return { ...r, http: { ...r.http, paths: r.http.paths.map((p: Json) => (p && typeof p === 'object' ? f(p) : p)) } };
  });
}

/** A v1beta1-shaped Ingress (either group) as networking.k8s.io/v1. */
export function ingressToV1(obj: Json, opts: { defaultPathType?: boolean } = {}): KubeObject {
  const out: Json = { ...obj, apiVersion: 'networking.k8s.io/v1' };
  if (obj.spec && typeof obj.spec === 'object') {
    const { backend, ...spec } = obj.spec;
    if (backend !== undefined) spec.defaultBackend = backendToV1(backend);
    mapPaths(spec, (p) => {
      const q: Json = { ...p };
      if (p.backend !== undefined) q.backend = backendToV1(p.backend);
      if ((opts.defaultPathType ?? true) && (q.pathType === undefined || q.pathType === null || q.pathType === '')) q.pathType = 'ImplementationSpecific';
      return q;
    });
    out.spec = spec;
  }
  return out as KubeObject;
}

/** A stored networking.k8s.io/v1 Ingress in a v1beta1 shape (`apiVersion` as given). */
export function ingressFromV1(obj: Json, apiVersion: string): KubeObject {
  const out: Json = { ...obj, apiVersion };
  if (obj.spec && typeof obj.spec === 'object') {
    const { defaultBackend, ...spec } = obj.spec;
    if (defaultBackend !== undefined) spec.backend = backendFromV1(defaultBackend);
    mapPaths(spec, (p) => (p.backend !== undefined ? { ...p, backend: backendFromV1(p.backend) } : p));
    // keep kubectl's column order: ingressClassName, backend, tls, rules
    const ordered: Json = {};
    for (const k of ['ingressClassName', 'backend', 'tls', 'rules']) if (spec[k] !== undefined) ordered[k] = spec[k];
    out.spec = { ...ordered, ...spec };
  }
  return out as KubeObject;
}
