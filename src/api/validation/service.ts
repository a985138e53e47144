// Validation of core/v1 Service (pkg/apis/core/validation ValidateService and
// ValidateServiceUpdate), run after defaulting, with Kubernetes' messages.
import { cause } from '../status.ts';
import type { StatusCause } from '../status.ts';
import type { KubeObject } from '../types.ts';
import { duplicateRaw, goServicePortKey } from './go.ts';
import { isObj, validateLabels, validateObjectMeta } from './meta.ts';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidIP, isValidPortName, isValidPortNum } from './names.ts';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

/** targetPort / probe ports: a number in range or an IANA service name. */
export function validatePortNumOrName(v: unknown, field: string): StatusCause[] {
  if (typeof v === 'number') return isValidPortNum(v).map((m) => cause.invalid(field, v, m));
  if (typeof v === 'string') return isValidPortName(v).map((m) => cause.invalid(field, v, m));
  return [];
}

export function validateProtocol(v: unknown, field: string): StatusCause[] {
  if (v === undefined || v === null || v === '') return [cause.required(field)];
  return PROTOCOLS.includes(v as string) ? [] : [cause.notSupported(field, v, PROTOCOLS)];
}

function validatePorts(spec: Record<string, any>, headless: boolean): StatusCause[] {
  const out: StatusCause[] = [];
  const ports: unknown[] = Array.isArray(spec.ports) ? spec.ports : [];
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') out.push(cause.required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (!isObj(p)) return;
    const path = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) out.push(cause.required(`${path}.name`));
    else if (p.name) {
      out.push(...isDNS1123Label(p.name).map((m) => cause.invalid(`${path}.name`, p.name, m)));
      if (names.has(p.name)) out.push(cause.duplicate(`${path}.name`, p.name));
      else names.add(p.name);
    }
    out.push(...isValidPortNum(p.port ?? 0).map((m) => cause.invalid(`${path}.port`, p.port ?? 0, m)));
    out.push(...validateProtocol(p.protocol, `${path}.protocol`));
    out.push(...validatePortNumOrName(p.targetPort, `${path}.targetPort`));
    if (typeof p.appProtocol === 'string') out.push(...isQualifiedName(p.appProtocol).map((m) => cause.invalid(`${path}.appProtocol`, p.appProtocol, m)));
  });
  return out;
}

function validateSessionAffinity(spec: Record<string, any>): StatusCause[] {
  const out: StatusCause[] = [];
  const aff = spec.sessionAffinity;
  if (!aff) out.push(cause.required('spec.sessionAffinity'));
  else if (aff !== 'ClientIP' && aff !== 'None') out.push(cause.notSupported('spec.sessionAffinity', aff, ['ClientIP', 'None']));
  if (aff === 'ClientIP') {
    const detail = 'when session affinity type is ClientIP';
    const cfg = spec.sessionAffinityConfig;
    if (!isObj(cfg)) out.push(cause.required('spec.sessionAffinityConfig', detail));
    else if (!isObj(cfg.clientIP)) out.push(cause.required('spec.sessionAffinityConfig.clientIP', detail));
    else if (cfg.clientIP.timeoutSeconds === undefined) out.push(cause.required('spec.sessionAffinityConfig.clientIP.timeoutSeconds', detail));
    else {
      const t = cfg.clientIP.timeoutSeconds;
      if (t <= 0 || t > 86400) out.push(cause.invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', t, 'must be greater than 0 and less than 86400'));
    }
  } else if (aff === 'None' && spec.sessionAffinityConfig !== undefined && spec.sessionAffinityConfig !== null) {
    out.push(cause.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  return out;
}

function validateTypeSpecific(spec: Record<string, any>, headless: boolean): StatusCause[] {
  const out: StatusCause[] = [];
  const type = spec.type;
  if (type === 'LoadBalancer' && headless) out.push(cause.invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for LoadBalancer services"));
  if (type === 'NodePort' && headless) out.push(cause.invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for NodePort services"));
  if (type === 'ExternalName') {
    if (Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0) out.push(cause.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (Array.isArray(spec.ipFamilies) && spec.ipFamilies.length > 0) out.push(cause.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) out.push(cause.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = typeof spec.externalName === 'string' ? spec.externalName.replace(/\.$/, '') : '';
    if (cname) out.push(...isDNS1123Subdomain(cname).map((m) => cause.invalid('spec.externalName', cname, m)));
    else out.push(cause.required('spec.externalName'));
  }
  return out;
}

function validateIPs(spec: Record<string, any>): StatusCause[] {
  const out: StatusCause[] = [];
  if (Array.isArray(spec.clusterIPs)) {
    spec.clusterIPs.forEach((ip: unknown, i: number) => {
      if (i === 0 && ip === 'None') return;
      if (typeof ip === 'string' && ip !== '') out.push(...isValidIP(ip).map((m) => cause.invalid(`spec.clusterIPs[${i}]`, ip, m)));
    });
  }
  if (Array.isArray(spec.externalIPs)) {
    spec.externalIPs.forEach((ip: unknown, i: number) => out.push(...isValidIP(String(ip)).map((m) => cause.invalid(`spec.externalIPs[${i}]`, ip, m))));
  }
  if (Array.isArray(spec.ipFamilies)) {
    spec.ipFamilies.forEach((f: unknown, i: number) => {
      if (f !== 'IPv4' && f !== 'IPv6') out.push(cause.notSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
    });
  }
  const policies = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
  if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null && !policies.includes(spec.ipFamilyPolicy)) {
    out.push(cause.notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, policies));
  }
  return out;
}

function validateNodePorts(spec: Record<string, any>): StatusCause[] {
  const out: StatusCause[] = [];
  const ports: unknown[] = Array.isArray(spec.ports) ? spec.ports : [];
  if (spec.type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (isObj(p) && p.nodePort) out.push(cause.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((p, i) => {
    if (!isObj(p)) return;
    if (p.nodePort) {
      const k = `${p.protocol}/${p.nodePort}`;
      if (nodePorts.has(k)) out.push(cause.duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
      nodePorts.add(k);
    }
    const k = `${p.protocol}/${p.port}`;
    if (keys.has(k)) out.push(duplicateRaw(`spec.ports[${i}]`, goServicePortKey(p.protocol, p.port)));
    keys.add(k);
  });
  return out;
}

function validateTrafficPolicies(spec: Record<string, any>): StatusCause[] {
  const out: StatusCause[] = [];
  const type = spec.type;
  if (Array.isArray(spec.loadBalancerSourceRanges) && spec.loadBalancerSourceRanges.length > 0 && type !== 'LoadBalancer') {
    out.push(cause.forbidden('spec.LoadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts !== null && type !== 'LoadBalancer') {
    out.push(cause.forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (type === 'LoadBalancer' && (spec.allocateLoadBalancerNodePorts === undefined || spec.allocateLoadBalancerNodePorts === null)) {
    out.push(cause.required('allocateLoadBalancerNodePorts'));
  }
  const external = type === 'NodePort' || type === 'LoadBalancer';
  const etp = spec.externalTrafficPolicy;
  if (!external) {
    if (etp) out.push(cause.invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
  } else if (!etp) out.push(cause.required('spec.externalTrafficPolicy'));
  else if (etp !== 'Cluster' && etp !== 'Local') out.push(cause.notSupported('spec.externalTrafficPolicy', etp, ['Cluster', 'Local']));
  const needsHealthCheck = type === 'LoadBalancer' && etp === 'Local';
  if (!needsHealthCheck) {
    if (spec.healthCheckNodePort) {
      out.push(cause.invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    }
  } else if (spec.healthCheckNodePort) {
    out.push(...isValidPortNum(spec.healthCheckNodePort).map((m) => cause.invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, m)));
  }
  // healthCheckNodePort left empty is allocated by the API server, so it is not required here.
  const itp = spec.internalTrafficPolicy;
  if (itp === undefined || itp === null) {
    if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP') out.push(cause.required('spec.internalTrafficPolicy'));
  } else if (itp !== 'Cluster' && itp !== 'Local') out.push(cause.notSupported('spec.internalTrafficPolicy', itp, ['Cluster', 'Local']));
  if (spec.trafficDistribution !== undefined && spec.trafficDistribution !== null && spec.trafficDistribution !== 'PreferClose') {
    out.push(cause.notSupported('spec.trafficDistribution', spec.trafficDistribution, ['PreferClose']));
  }
  return out;
}

export function validateService(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const spec: Record<string, any> = isObj(obj.spec) ? obj.spec : {};
  const headless = spec.clusterIP === 'None';
  const out = validateObjectMeta(obj, isDNS1035Label);
  out.push(...validateTypeSpecific(spec, headless));
  out.push(...validatePorts(spec, headless));
  if (isObj(spec.selector)) out.push(...validateLabels(spec.selector, 'spec.selector'));
  out.push(...validateSessionAffinity(spec));
  out.push(...validateIPs(spec));
  if (!spec.type) out.push(cause.required('spec.type'));
  else if (!TYPES.includes(spec.type)) out.push(cause.notSupported('spec.type', spec.type, TYPES));
  out.push(...validateNodePorts(spec));
  out.push(...validateTrafficPolicies(spec));
  if (old) out.push(...validateServiceUpdate(spec, isObj(old.spec) ? old.spec : {}));
  return out;
}

/** The ClusterIP may not change once set, except to or from ExternalName. */
function validateServiceUpdate(spec: Record<string, any>, oldSpec: Record<string, any>): StatusCause[] {
  if (spec.type === 'ExternalName' || oldSpec.type === 'ExternalName') return [];
  const ip = Array.isArray(spec.clusterIPs) ? spec.clusterIPs[0] : spec.clusterIP;
  const oldIp = Array.isArray(oldSpec.clusterIPs) ? oldSpec.clusterIPs[0] : oldSpec.clusterIP;
  if (ip && oldIp && ip !== oldIp) return [cause.invalid('spec.clusterIPs[0]', ip, 'may not change once set')];
  return [];
}
