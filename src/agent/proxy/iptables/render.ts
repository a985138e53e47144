// What one Service port becomes in the nat table, with kube-proxy's structure and names
// (pkg/proxy/iptables/proxier.go, syncProxyRules and writeServiceToEndpointRules): dispatch
// rules for KUBE-SERVICES (cluster, external and load-balancer IPs) and KUBE-NODEPORTS, and the
// chains KUBE-SVC- (Cluster policy), KUBE-SVL- (Local policy), KUBE-EXT- (external traffic) and
// one KUBE-SEP- per reachable endpoint. Pure: same entry, same lines.
//
// Where mk's rules differ from kube-proxy's defaults, and why (pods share the Docker bridge with
// every node, so a pod's reply to anything but its own node would bypass the node that NATed it):
//  - every connection to a ClusterIP is marked for masquerade (kube-proxy's --masquerade-all),
//    and external traffic under externalTrafficPolicy Local too (the source IP is not kept,
//    as with the in-process proxy);
//  - "local" is this node's pod range (kube-proxy's --detect-local-mode NodeCIDR);
//  - whatever has no endpoint gets no rule (kube-proxy's REJECT/DROP in the filter table): the
//    node's local route for the service range brings it to the agent, which refuses at once;
//  - SCTP ports and Services labelled service.kubernetes.io/service-proxy-name get no rules.
import type { Backend, ProxyEntry } from '../table.ts';
import { KUBE_MARK_MASQ, KUBE_NODEPORTS, KUBE_SERVICES, endpointChain, probability, serviceChains, servicePortName } from './names.ts';

/** A rule appended to a dispatch chain (KUBE-SERVICES or KUBE-NODEPORTS), as the args after `-A CHAIN`. */
export interface DispatchRule {
  chain: typeof KUBE_SERVICES | typeof KUBE_NODEPORTS;
  args: string;
}

/** A chain of one Service port and its rules, as the args after `-A CHAIN`, in order. */
export interface Chain {
  name: string;
  rules: string[];
}

/** An endpoint chain and what it stands for (for the counters and conntrack). */
export interface EndpointChain {
  chain: string;
  /** `ip:port` */
  endpoint: string;
}

export interface PortRules {
  /** the entry's id, `namespace/name:port` */
  id: string;
  dispatch: DispatchRule[];
  chains: Chain[];
  endpoints: EndpointChain[];
}

export interface RenderContext {
  nodeName: string;
  /** this node's pod range: traffic from it is "local" (pod traffic to external destinations short-circuits) */
  podCIDR?: string;
}

/** iptables-restore quoting: a comment with spaces in double quotes, as kube-proxy writes it. */
const comment = (text: string) => `-m comment --comment ${/\s/.test(text) ? `"${text}"` : text}`;

const endpointOf = (b: Backend) => `${b.ip}:${b.port}`;

/** Endpoints in kube-proxy's order (sorted by `ip:port` as text). */
export function sortedEndpoints(bs: Backend[]): Backend[] {
  return [...bs].sort((a, b) => (endpointOf(a) < endpointOf(b) ? -1 : endpointOf(a) > endpointOf(b) ? 1 : 0));
}

/** Whether an entry gets kernel rules at all. */
export function renderable(e: ProxyEntry): boolean {
  return (e.protocol === 'TCP' || e.protocol === 'UDP') && e.proxyName === undefined;
}

export function renderPort(e: ProxyEntry, ctx: RenderContext): PortRules {
  const out: PortRules = { id: e.id, dispatch: [], chains: [], endpoints: [] };
  if (!renderable(e)) return out;
  const proto = e.protocol.toLowerCase();
  const spn = servicePortName(e.service, e.portName);
  const names = serviceChains(spn, e.protocol);
  const match = `-m ${proto} -p ${proto}`;

  const ready = sortedEndpoints(e.endpoints);
  const local = ready.filter((b) => b.nodeName === ctx.nodeName);
  const lbIPs = new Set(e.loadBalancerIPs);
  const externallyAccessible = !!e.nodePort || e.externalIPs.length > 0;
  const internalLocal = e.internalTrafficPolicy === 'Local';
  const externalLocal = externallyAccessible && e.externalTrafficPolicy === 'Local';
  const usesClusterEndpoints = !internalLocal || externallyAccessible;
  const usesLocalEndpoints = internalLocal || externalLocal;
  const clusterEndpoints = usesClusterEndpoints ? ready : [];
  const localEndpoints = usesLocalEndpoints ? local : [];
  const reachable = ready.filter((b) => clusterEndpoints.includes(b) || localEndpoints.includes(b));

  const hasEndpoints = ready.length > 0;
  const internalChain = internalLocal ? names.svl : names.svc;
  const hasInternalEndpoints = hasEndpoints && (!internalLocal || local.length > 0);
  const externalPolicyChain = externalLocal ? names.svl : names.svc;
  const hasExternalEndpoints = hasEndpoints && (!externalLocal || local.length > 0);
  const usesExternalChain = hasEndpoints && externallyAccessible;

  // dispatch
  const clusterIPMatch = e.clusterIP ? `${comment(`${spn} cluster IP`)} ${match} -d ${e.clusterIP} --dport ${e.port}` : '';
  if (e.clusterIP && hasInternalEndpoints) out.dispatch.push({ chain: KUBE_SERVICES, args: `${clusterIPMatch} -j ${internalChain}` });
  if (hasEndpoints) {
    for (const ip of e.externalIPs) {
      const what = lbIPs.has(ip) ? 'loadbalancer IP' : 'external IP';
      out.dispatch.push({ chain: KUBE_SERVICES, args: `${comment(`${spn} ${what}`)} ${match} -d ${ip} --dport ${e.port} -j ${names.ext}` });
    }
    if (e.nodePort) out.dispatch.push({ chain: KUBE_NODEPORTS, args: `${comment(spn)} ${match} --dport ${e.nodePort} -j ${names.ext}` });
  }

  // the external chain: masquerade (always, see above), short-circuits under Local, then the policy chain
  if (usesExternalChain) {
    const rules: string[] = [];
    const masq = `${comment(`masquerade traffic for ${spn} external destinations`)} -j ${KUBE_MARK_MASQ}`;
    if (!externalLocal) {
      rules.push(masq);
    } else {
      if (ctx.podCIDR) rules.push(`${comment(`pod traffic for ${spn} external destinations`)} -s ${ctx.podCIDR} -j ${names.svc}`);
      rules.push(`${comment(`masquerade LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j ${KUBE_MARK_MASQ}`);
      rules.push(`${comment(`route LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j ${names.svc}`);
      if (hasExternalEndpoints) rules.push(masq);
    }
    if (hasExternalEndpoints) rules.push(`-j ${externalPolicyChain}`);
    out.chains.push({ name: names.ext, rules });
  }

  // the policy chains: the ClusterIP's masquerade mark in the internal one, then the endpoints
  const policyChain = (name: string, eps: Backend[]): Chain => {
    const rules: string[] = [];
    if (name === internalChain && e.clusterIP && hasInternalEndpoints) rules.push(`${clusterIPMatch} -j ${KUBE_MARK_MASQ}`);
    rules.push(...toEndpoints(e, spn, eps));
    return { name, rules };
  };
  if (clusterEndpoints.length > 0) out.chains.push(policyChain(names.svc, clusterEndpoints));
  if (localEndpoints.length > 0) out.chains.push(policyChain(names.svl, localEndpoints));

  // one chain per endpoint: hairpin masquerade, affinity record, DNAT
  for (const b of reachable) {
    const ep = endpointOf(b);
    const name = endpointChain(spn, e.protocol, ep);
    const affinity = e.sessionAffinity === 'ClientIP' ? ` -m recent --name ${name} --set` : '';
    out.chains.push({ name, rules: [`${comment(spn)} -s ${b.ip} -j ${KUBE_MARK_MASQ}`, `${comment(spn)}${affinity} ${match} -j DNAT --to-destination ${ep}`] });
    out.endpoints.push({ chain: name, endpoint: ep });
  }
  return out;
}

/** writeServiceToEndpointRules: affinity checks first, then 1/n, 1/(n-1), …, the last rule unconditional. */
function toEndpoints(e: ProxyEntry, spn: string, eps: Backend[]): string[] {
  const rules: string[] = [];
  const chains = eps.map((b) => ({ ep: endpointOf(b), chain: endpointChain(spn, e.protocol, endpointOf(b)) }));
  if (e.sessionAffinity === 'ClientIP') {
    for (const c of chains) {
      rules.push(`${comment(`${spn} -> ${c.ep}`)} -m recent --name ${c.chain} --rcheck --seconds ${e.affinityTimeoutSeconds} --reap -j ${c.chain}`);
    }
  }
  chains.forEach((c, i) => {
    const stat = i < chains.length - 1 ? ` -m statistic --mode random --probability ${probability(chains.length - i)}` : '';
    rules.push(`${comment(`${spn} -> ${c.ep}`)}${stat} -j ${c.chain}`);
  });
  return rules;
}

/** The rules of one Service (all its ports). */
export function renderService(entries: ProxyEntry[], ctx: RenderContext): PortRules[] {
  return entries.filter(renderable).map((e) => renderPort(e, ctx));
}
