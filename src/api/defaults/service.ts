// Kubernetes' defaulting of core/v1 Service (pkg/apis/core/v1/defaults.go plus the IP-family
// fields the service registry fills before validation). ClusterIP and nodePort allocation are
// the API server's job, not this module's.
type Obj = Record<string, any>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function defaultService(svc: Obj): void {
  if (!isObj(svc.spec)) svc.spec = {};
  const spec = svc.spec as Obj;
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.sessionAffinity === 'ClientIP') {
    if (!isObj(spec.sessionAffinityConfig)) spec.sessionAffinityConfig = {};
    if (!isObj(spec.sessionAffinityConfig.clientIP)) spec.sessionAffinityConfig.clientIP = {};
    spec.sessionAffinityConfig.clientIP.timeoutSeconds ??= 10800;
  }
  if (Array.isArray(spec.ports)) {
    for (const p of spec.ports) {
      if (!isObj(p)) continue;
      p.protocol ??= 'TCP';
      if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
    }
  }
  const external = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
  if (external) spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  if (spec.type !== 'ExternalName') {
    spec.internalTrafficPolicy ??= 'Cluster';
    if (spec.clusterIP !== undefined && spec.clusterIP !== '' && spec.clusterIPs === undefined) spec.clusterIPs = [spec.clusterIP];
    const headless = spec.clusterIP === 'None';
    const hasSelector = isObj(spec.selector) && Object.keys(spec.selector).length > 0;
    // Headless services without a selector default to RequireDualStack (their endpoints may be of
    // any family); on mk's single-stack IPv4 cluster the families are [IPv4] either way.
    spec.ipFamilyPolicy ??= headless && !hasSelector ? 'RequireDualStack' : 'SingleStack';
    spec.ipFamilies ??= ['IPv4'];
  }
  if (!isObj(svc.status)) svc.status = { loadBalancer: {} };
  else svc.status.loadBalancer ??= {};
}
