// The cluster's addresses and ports, defined once (DESIGN.md's "Addresses" table): the service
// range and the Services mk itself makes there, the DNS zone, the nodePort range and the API
// server's port inside the control-plane node. `mk start`, the agent, the API server's
// allocators and `mk tunnel` all read them from here.

/** the Service IP range: held by every node as one local route, routed from pods to their node */
export const SERVICE_CIDR = '10.96.0.0/12';
/** Service `default/kubernetes`: the API server, port 443 */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
/** Service `kube-system/kube-dns`: every node's agent answers DNS here */
export const DNS_IP = '10.96.0.10';
/** the cluster's DNS zone (`<svc>.<ns>.svc.cluster.local`) */
export const CLUSTER_DOMAIN = 'cluster.local';
/** inclusive */
export const NODE_PORT_RANGE: readonly [number, number] = [30000, 32767];
/** the API server's port inside the control-plane node (published on 127.0.0.1 to the host) */
export const APISERVER_PORT = 6443;
/** how a node's agent serves Services: kube-proxy's iptables rules (the kernel forwards, where
 * the node allows it) or its in-process proxy alone (`mk start --proxy-mode`) */
export const PROXY_MODES = ['iptables', 'userspace'] as const;
export type ProxyMode = (typeof PROXY_MODES)[number];
export const DEFAULT_PROXY_MODE: ProxyMode = 'iptables';
