// Schemas of the remaining core/v1 kinds: Namespace, Node, ConfigMap, Secret, ServiceAccount, Event.
import { topLevel } from './meta.ts';
import { localObjectReference } from './container.ts';
import { objectReference } from './service.ts';
import { arr, bool, bytes, core, i32, i64, mapOf, resourceList, str, strMap, strings, time } from './types.ts';

export const namespace = topLevel('io.k8s.api.core.v1.Namespace', {
  spec: core('NamespaceSpec', { finalizers: strings }),
  status: core('NamespaceStatus', {
    phase: str,
    conditions: arr(core('NamespaceCondition', { type: str, status: str, lastTransitionTime: time, reason: str, message: str }, ['type', 'status'])),
  }),
});

const configMapNodeConfigSource = core('ConfigMapNodeConfigSource', { namespace: str, name: str, uid: str, resourceVersion: str, kubeletConfigKey: str }, [
  'namespace',
  'name',
  'kubeletConfigKey',
]);
const nodeConfigSource = core('NodeConfigSource', { configMap: configMapNodeConfigSource });

export const node = topLevel('io.k8s.api.core.v1.Node', {
  spec: core('NodeSpec', {
    podCIDR: str,
    podCIDRs: strings,
    providerID: str,
    unschedulable: bool,
    taints: arr(core('Taint', { key: str, value: str, effect: str, timeAdded: time }, ['key', 'effect'])),
    configSource: nodeConfigSource,
    externalID: str,
  }),
  status: core('NodeStatus', {
    capacity: resourceList,
    allocatable: resourceList,
    phase: str,
    conditions: arr(
      core('NodeCondition', { type: str, status: str, lastHeartbeatTime: time, lastTransitionTime: time, reason: str, message: str }, ['type', 'status']),
    ),
    addresses: arr(core('NodeAddress', { type: str, address: str }, ['type', 'address'])),
    daemonEndpoints: core('NodeDaemonEndpoints', { kubeletEndpoint: core('DaemonEndpoint', { Port: i32 }, ['Port']) }),
    nodeInfo: core('NodeSystemInfo', {
      machineID: str,
      systemUUID: str,
      bootID: str,
      kernelVersion: str,
      osImage: str,
      containerRuntimeVersion: str,
      kubeletVersion: str,
      kubeProxyVersion: str,
      operatingSystem: str,
      architecture: str,
      swap: core('NodeSwapStatus', { capacity: i64 }),
    }),
    images: arr(core('ContainerImage', { names: strings, sizeBytes: i64 })),
    volumesInUse: strings,
    volumesAttached: arr(core('AttachedVolume', { name: str, devicePath: str }, ['name', 'devicePath'])),
    config: core('NodeConfigStatus', { assigned: nodeConfigSource, active: nodeConfigSource, lastKnownGood: nodeConfigSource, error: str }),
    runtimeHandlers: arr(
      core('NodeRuntimeHandler', {
        name: str,
        features: core('NodeRuntimeHandlerFeatures', { recursiveReadOnlyMounts: bool, userNamespaces: bool }),
      }),
    ),
    features: core('NodeFeatures', { supplementalGroupsPolicy: bool }),
    declaredFeatures: strings,
  }),
});

export const configMap = topLevel('io.k8s.api.core.v1.ConfigMap', {
  immutable: bool,
  data: strMap,
  binaryData: mapOf(bytes),
});

export const secret = topLevel('io.k8s.api.core.v1.Secret', {
  immutable: bool,
  data: mapOf(bytes),
  stringData: strMap,
  type: str,
});

export const serviceAccount = topLevel('io.k8s.api.core.v1.ServiceAccount', {
  secrets: arr(objectReference),
  imagePullSecrets: arr(localObjectReference),
  automountServiceAccountToken: bool,
});

export const event = topLevel('io.k8s.api.core.v1.Event', {
  involvedObject: objectReference,
  reason: str,
  message: str,
  source: core('EventSource', { component: str, host: str }),
  firstTimestamp: time,
  lastTimestamp: time,
  count: i32,
  type: str,
  eventTime: time,
  series: core('EventSeries', { count: i32, lastObservedTime: time }),
  action: str,
  related: objectReference,
  reportingComponent: str,
  reportingInstance: str,
});
