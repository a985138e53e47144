// Schemas of the service-discovery kinds: core/v1 Service and Endpoints, discovery.k8s.io/v1
// EndpointSlice.
import { metaCondition, topLevel } from './meta.ts';
import { arr, bool, core, i32, intOrString, obj, str, strMap, strings } from './types.ts';

export const objectReference = core('ObjectReference', {
  kind: str,
  namespace: str,
  name: str,
  uid: str,
  apiVersion: str,
  resourceVersion: str,
  fieldPath: str,
});

const servicePort = core('ServicePort', { name: str, protocol: str, appProtocol: str, port: i32, targetPort: intOrString, nodePort: i32 }, ['port']);

const serviceSpec = core('ServiceSpec', {
  ports: arr(servicePort),
  selector: strMap,
  clusterIP: str,
  clusterIPs: strings,
  type: str,
  externalIPs: strings,
  sessionAffinity: str,
  loadBalancerIP: str,
  loadBalancerSourceRanges: strings,
  externalName: str,
  externalTrafficPolicy: str,
  healthCheckNodePort: i32,
  publishNotReadyAddresses: bool,
  sessionAffinityConfig: core('SessionAffinityConfig', { clientIP: core('ClientIPConfig', { timeoutSeconds: i32 }) }),
  ipFamilies: strings,
  ipFamilyPolicy: str,
  allocateLoadBalancerNodePorts: bool,
  loadBalancerClass: str,
  internalTrafficPolicy: str,
  trafficDistribution: str,
});

const portStatus = core('PortStatus', { port: i32, protocol: str, error: str }, ['port', 'protocol']);

export const loadBalancerStatus = core('LoadBalancerStatus', {
  ingress: arr(core('LoadBalancerIngress', { ip: str, hostname: str, ipMode: str, ports: arr(portStatus) })),
});

export const service = topLevel('io.k8s.api.core.v1.Service', {
  spec: serviceSpec,
  status: core('ServiceStatus', { loadBalancer: loadBalancerStatus, conditions: arr(metaCondition) }),
});

const endpointAddress = core('EndpointAddress', { ip: str, hostname: str, nodeName: str, targetRef: objectReference }, ['ip']);

export const endpoints = topLevel('io.k8s.api.core.v1.Endpoints', {
  subsets: arr(
    core('EndpointSubset', {
      addresses: arr(endpointAddress),
      notReadyAddresses: arr(endpointAddress),
      ports: arr(core('EndpointPort', { name: str, port: i32, protocol: str, appProtocol: str }, ['port'])),
    }),
  ),
});

const DISCOVERY = 'io.k8s.api.discovery.v1.';
const forZone = obj(DISCOVERY + 'ForZone', { name: str }, ['name']);
const forNode = obj(DISCOVERY + 'ForNode', { name: str }, ['name']);

export const endpointSlice = topLevel(DISCOVERY + 'EndpointSlice', {
  addressType: str,
  endpoints: arr(
    obj(
      DISCOVERY + 'Endpoint',
      {
        addresses: strings,
        conditions: obj(DISCOVERY + 'EndpointConditions', { ready: bool, serving: bool, terminating: bool }),
        hostname: str,
        targetRef: objectReference,
        deprecatedTopology: strMap,
        nodeName: str,
        zone: str,
        hints: obj(DISCOVERY + 'EndpointHints', { forZones: arr(forZone), forNodes: arr(forNode) }),
      },
      ['addresses'],
    ),
  ),
  ports: arr(obj(DISCOVERY + 'EndpointPort', { name: str, protocol: str, port: i32, appProtocol: str })),
});
