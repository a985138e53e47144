// Validation of Endpoints, EndpointSlice (discovery.k8s.io/v1), Ingress and IngressClass
// (networking.k8s.io/v1), with Kubernetes' messages.
import { cause } from '../status.ts';
import type { StatusCause } from '../status.ts';
import type { KubeObject } from '../types.ts';
import { invalidRaw } from './go.ts';
import { isObj, validateObjectMeta } from './meta.ts';
import { IMMUTABLE_ERROR, ipFamily, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isValidIP, isValidPortName, isValidPortNum, nonSpecialIPErrors } from './names.ts';
import { validateProtocol } from './service.ts';

type Obj = Record<string, any>;

function validateEndpointPort(p: Obj, requireName: boolean, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (requireName && !p.name) out.push(cause.required(`${path}.name`));
  else if (p.name) out.push(...isDNS1123Label(p.name).map((m) => cause.invalid(`${path}.name`, p.name, m)));
  out.push(...isValidPortNum(p.port ?? 0).map((m) => cause.invalid(`${path}.port`, p.port ?? 0, m)));
  out.push(...validateProtocol(p.protocol, `${path}.protocol`));
  return out;
}

function validateAddress(a: Obj, path: string): StatusCause[] {
  const ip = typeof a.ip === 'string' ? a.ip : '';
  const bad = isValidIP(ip);
  const out = bad.length ? bad.map((m) => cause.invalid(`${path}.ip`, ip, m)) : nonSpecialIPErrors(ip).map((m) => cause.invalid(`${path}.ip`, ip, m));
  if (a.hostname) out.push(...isDNS1123Label(a.hostname).map((m) => cause.invalid(`${path}.hostname`, a.hostname, m)));
  if (a.nodeName) out.push(...isDNS1123Subdomain(a.nodeName).map((m) => cause.invalid(`${path}.nodeName`, a.nodeName, m)));
  return out;
}

export function validateEndpoints(obj: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  const subsets: unknown[] = Array.isArray(obj.subsets) ? obj.subsets : [];
  subsets.forEach((s, i) => {
    if (!isObj(s)) return;
    const path = `subsets[${i}]`;
    const addrs: unknown[] = Array.isArray(s.addresses) ? s.addresses : [];
    const notReady: unknown[] = Array.isArray(s.notReadyAddresses) ? s.notReadyAddresses : [];
    if (addrs.length === 0 && notReady.length === 0) out.push(cause.required(path, 'must specify `addresses` or `notReadyAddresses`'));
    addrs.forEach((a, j) => isObj(a) && out.push(...validateAddress(a, `${path}.addresses[${j}]`)));
    notReady.forEach((a, j) => isObj(a) && out.push(...validateAddress(a, `${path}.notReadyAddresses[${j}]`)));
    const ports: unknown[] = Array.isArray(s.ports) ? s.ports : [];
    ports.forEach((p, j) => isObj(p) && out.push(...validateEndpointPort(p, ports.length > 1, `${path}.ports[${j}]`)));
  });
  return out;
}

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

export function validateEndpointSlice(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  const type = obj.addressType;
  if (!type) out.push(cause.required('addressType'));
  else if (!ADDRESS_TYPES.includes(type)) out.push(cause.notSupported('addressType', type, ADDRESS_TYPES));
  const endpoints: unknown[] = Array.isArray(obj.endpoints) ? obj.endpoints : [];
  endpoints.forEach((e, i) => {
    if (!isObj(e)) return;
    const path = `endpoints[${i}]`;
    const addrs: unknown[] = Array.isArray(e.addresses) ? e.addresses : [];
    if (addrs.length === 0) out.push(cause.required(`${path}.addresses`, 'must contain at least 1 address'));
    else if (addrs.length > 100) out.push(cause.invalid(`${path}.addresses`, addrs.length, 'must have at most 100 items'));
    addrs.forEach((a, j) => {
      const ap = `${path}.addresses[${j}]`;
      const s = String(a);
      if (type === 'IPv4' && ipFamily(s) !== 4) out.push(cause.invalid(ap, a, 'must be a valid IPv4 address'));
      if (type === 'IPv6' && ipFamily(s) !== 6) out.push(cause.invalid(ap, a, 'must be a valid IPv6 address'));
      if (type === 'FQDN') out.push(...isDNS1123Subdomain(s).map((m) => cause.invalid(ap, a, m)));
    });
    if (e.hostname) out.push(...isDNS1123Label(e.hostname).map((m) => cause.invalid(`${path}.hostname`, e.hostname, m)));
    if (e.nodeName) out.push(...isDNS1123Subdomain(e.nodeName).map((m) => cause.invalid(`${path}.nodeName`, e.nodeName, m)));
  });
  const ports: unknown[] = Array.isArray(obj.ports) ? obj.ports : [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (!isObj(p)) return;
    const path = `ports[${i}]`;
    const name = typeof p.name === 'string' ? p.name : '';
    if (name) out.push(...isDNS1123Label(name).map((m) => cause.invalid(`${path}.name`, name, m)));
    if (names.has(name)) out.push(cause.duplicate(`${path}.name`, name));
    names.add(name);
    if (p.port !== undefined && p.port !== null) out.push(...isValidPortNum(p.port).map((m) => cause.invalid(`${path}.port`, p.port, m)));
    if (p.protocol !== undefined) out.push(...validateProtocol(p.protocol, `${path}.protocol`));
  });
  if (old && old.addressType && type !== old.addressType) out.push(cause.invalid('addressType', type, IMMUTABLE_ERROR));
  return out;
}

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateBackend(b: unknown, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (!isObj(b)) return [cause.required(path)];
  const hasService = isObj(b.service);
  const hasResource = isObj(b.resource);
  if (hasService && hasResource) return [cause.invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) {
    if (!b.resource.kind) out.push(cause.required(`${path}.resource.kind`));
    if (!b.resource.name) out.push(cause.required(`${path}.resource.name`));
    return out;
  }
  if (!hasService) return [cause.invalid(path, '', 'resource or service backend is required')];
  const svc = b.service;
  if (!svc.name) out.push(cause.required(`${path}.service.name`));
  else out.push(...isDNS1035Label(svc.name).map((m) => cause.invalid(`${path}.service.name`, svc.name, m)));
  const port: Obj = isObj(svc.port) ? svc.port : {};
  const hasName = typeof port.name === 'string' && port.name.length > 0;
  const hasNumber = typeof port.number === 'number' && port.number !== 0;
  if (hasName && hasNumber) out.push(cause.invalid(`${path}.service.port`, '', 'cannot set both port name & port number'));
  else if (hasName) out.push(...isValidPortName(port.name).map((m) => cause.invalid(`${path}.service.port.name`, port.name, m)));
  else if (hasNumber) out.push(...isValidPortNum(port.number).map((m) => cause.invalid(`${path}.service.port.number`, port.number, m)));
  else out.push(cause.required(`${path}.service.port`, 'port name or number is required'));
  return out;
}

function validateHost(host: string, path: string): StatusCause[] {
  if (ipFamily(host)) return [cause.invalid(path, host, 'must be a DNS name, not an IP address')];
  if (host.startsWith('*.')) {
    const rest = host.slice(2);
    return isDNS1123Subdomain(rest).length
      ? [
          cause.invalid(
            path,
            host,
            "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
          ),
        ]
      : [];
  }
  return isDNS1123Subdomain(host).map((m) => cause.invalid(path, host, m));
}

export function validateIngress(obj: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const rules: unknown[] = Array.isArray(spec.rules) ? spec.rules : [];
  if (rules.length === 0 && !isObj(spec.defaultBackend)) {
    out.push(invalidRaw('spec', Array.isArray(spec.rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)', 'either `defaultBackend` or `rules` must be specified'));
  }
  if (isObj(spec.defaultBackend)) out.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((r, i) => {
    if (!isObj(r)) return;
    const rp = `spec.rules[${i}]`;
    if (typeof r.host === 'string' && r.host) out.push(...validateHost(r.host, `${rp}.host`));
    if (!isObj(r.http)) return;
    const paths: unknown[] = Array.isArray(r.http.paths) ? r.http.paths : [];
    if (paths.length === 0) out.push(cause.required(`${rp}.http.paths`));
    paths.forEach((p, j) => {
      if (!isObj(p)) return;
      const pp = `${rp}.http.paths[${j}]`;
      if (!p.pathType) out.push(cause.required(`${pp}.pathType`, 'pathType must be specified'));
      else if (!PATH_TYPES.includes(p.pathType)) out.push(cause.notSupported(`${pp}.pathType`, p.pathType, PATH_TYPES));
      if (typeof p.path === 'string' && p.path !== '' && !p.path.startsWith('/')) out.push(cause.invalid(`${pp}.path`, p.path, 'must be an absolute path'));
      else if ((p.pathType === 'Exact' || p.pathType === 'Prefix') && !p.path) out.push(cause.invalid(`${pp}.path`, p.path ?? '', 'must be an absolute path'));
      out.push(...validateBackend(p.backend, `${pp}.backend`));
    });
  });
  const tls: unknown[] = Array.isArray(spec.tls) ? spec.tls : [];
  tls.forEach((t, i) => {
    if (!isObj(t)) return;
    (Array.isArray(t.hosts) ? t.hosts : []).forEach((h: unknown, j: number) => out.push(...validateHost(String(h), `spec.tls[${i}].hosts[${j}]`)));
    if (t.secretName) out.push(...isDNS1123Subdomain(t.secretName).map((m) => cause.invalid(`spec.tls[${i}].secretName`, t.secretName, m)));
  });
  if (typeof spec.ingressClassName === 'string') {
    out.push(...isDNS1123Subdomain(spec.ingressClassName).map((m) => cause.invalid('spec.ingressClassName', spec.ingressClassName, m)));
  }
  return out;
}

export function validateIngressClass(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const out = validateObjectMeta(obj, isDNS1123Subdomain);
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  if (!spec.controller) out.push(cause.required('spec.controller'));
  else if (String(spec.controller).length > 250) out.push(cause.invalid('spec.controller', spec.controller, 'must be no more than 250 characters'));
  if (old && isObj(old.spec) && old.spec.controller !== spec.controller) out.push(cause.invalid('spec.controller', spec.controller ?? '', IMMUTABLE_ERROR));
  return out;
}
