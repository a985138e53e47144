// Schemas of core/v1 PodSpec (scheduling, security, DNS, volumes, containers), PodStatus,
// PodTemplateSpec and the Pod kind itself.
import { labelSelector, objectMeta, topLevel } from './meta.ts';
import { container, containerStatus, ephemeralContainer, localObjectReference, resourceRequirements, seccompProfile, appArmorProfile, seLinuxOptions, windowsOptions } from './container.ts';
import { volume } from './volume.ts';
import { arr, bool, core, i32, i64, resourceList, str, strMap, strings, time } from './types.ts';

const nodeSelectorRequirement = core('NodeSelectorRequirement', { key: str, operator: str, values: strings }, ['key', 'operator']);
export const nodeSelectorTerm = core('NodeSelectorTerm', { matchExpressions: arr(nodeSelectorRequirement), matchFields: arr(nodeSelectorRequirement) });

const podAffinityTerm = core(
  'PodAffinityTerm',
  { labelSelector, namespaces: strings, topologyKey: str, namespaceSelector: labelSelector, matchLabelKeys: strings, mismatchLabelKeys: strings },
  ['topologyKey'],
);
const weightedPodAffinityTerm = core('WeightedPodAffinityTerm', { weight: i32, podAffinityTerm }, ['weight', 'podAffinityTerm']);

export const affinity = core('Affinity', {
  nodeAffinity: core('NodeAffinity', {
    requiredDuringSchedulingIgnoredDuringExecution: core('NodeSelector', { nodeSelectorTerms: arr(nodeSelectorTerm) }, ['nodeSelectorTerms']),
    preferredDuringSchedulingIgnoredDuringExecution: arr(
      core('PreferredSchedulingTerm', { weight: i32, preference: nodeSelectorTerm }, ['weight', 'preference']),
    ),
  }),
  podAffinity: core('PodAffinity', {
    requiredDuringSchedulingIgnoredDuringExecution: arr(podAffinityTerm),
    preferredDuringSchedulingIgnoredDuringExecution: arr(weightedPodAffinityTerm),
  }),
  podAntiAffinity: core('PodAntiAffinity', {
    requiredDuringSchedulingIgnoredDuringExecution: arr(podAffinityTerm),
    preferredDuringSchedulingIgnoredDuringExecution: arr(weightedPodAffinityTerm),
  }),
});

export const toleration = core('Toleration', { key: str, operator: str, value: str, effect: str, tolerationSeconds: i64 });

const podSecurityContext = core('PodSecurityContext', {
  seLinuxOptions,
  windowsOptions,
  runAsUser: i64,
  runAsGroup: i64,
  runAsNonRoot: bool,
  supplementalGroups: arr(i64),
  supplementalGroupsPolicy: str,
  fsGroup: i64,
  sysctls: arr(core('Sysctl', { name: str, value: str }, ['name', 'value'])),
  fsGroupChangePolicy: str,
  seccompProfile,
  appArmorProfile,
  seLinuxChangePolicy: str,
});

export const podSpec = core(
  'PodSpec',
  {
    volumes: arr(volume),
    initContainers: arr(container),
    containers: arr(container),
    ephemeralContainers: arr(ephemeralContainer),
    restartPolicy: str,
    terminationGracePeriodSeconds: i64,
    activeDeadlineSeconds: i64,
    dnsPolicy: str,
    nodeSelector: strMap,
    serviceAccountName: str,
    serviceAccount: str,
    automountServiceAccountToken: bool,
    nodeName: str,
    hostNetwork: bool,
    hostPID: bool,
    hostIPC: bool,
    shareProcessNamespace: bool,
    securityContext: podSecurityContext,
    imagePullSecrets: arr(localObjectReference),
    hostname: str,
    subdomain: str,
    affinity,
    schedulerName: str,
    tolerations: arr(toleration),
    hostAliases: arr(core('HostAlias', { ip: str, hostnames: strings }, ['ip'])),
    priorityClassName: str,
    priority: i32,
    dnsConfig: core('PodDNSConfig', {
      nameservers: strings,
      searches: strings,
      options: arr(core('PodDNSConfigOption', { name: str, value: str })),
    }),
    readinessGates: arr(core('PodReadinessGate', { conditionType: str }, ['conditionType'])),
    runtimeClassName: str,
    enableServiceLinks: bool,
    preemptionPolicy: str,
    overhead: resourceList,
    topologySpreadConstraints: arr(
      core(
        'TopologySpreadConstraint',
        {
          maxSkew: i32,
          topologyKey: str,
          whenUnsatisfiable: str,
          labelSelector,
          minDomains: i32,
          nodeAffinityPolicy: str,
          nodeTaintsPolicy: str,
          matchLabelKeys: strings,
        },
        ['maxSkew', 'topologyKey', 'whenUnsatisfiable'],
      ),
    ),
    setHostnameAsFQDN: bool,
    os: core('PodOS', { name: str }, ['name']),
    hostUsers: bool,
    schedulingGates: arr(core('PodSchedulingGate', { name: str }, ['name'])),
    resourceClaims: arr(core('PodResourceClaim', { name: str, resourceClaimName: str, resourceClaimTemplateName: str }, ['name'])),
    resources: resourceRequirements,
    hostnameOverride: str,
  },
  ['containers'],
);

const podIP = core('PodIP', { ip: str }, ['ip']);

export const podStatus = core('PodStatus', {
  observedGeneration: i64,
  phase: str,
  conditions: arr(
    core('PodCondition', { type: str, observedGeneration: i64, status: str, lastProbeTime: time, lastTransitionTime: time, reason: str, message: str }, [
      'type',
      'status',
    ]),
  ),
  message: str,
  reason: str,
  nominatedNodeName: str,
  hostIP: str,
  hostIPs: arr(core('HostIP', { ip: str }, ['ip'])),
  podIP: str,
  podIPs: arr(podIP),
  startTime: time,
  initContainerStatuses: arr(containerStatus),
  containerStatuses: arr(containerStatus),
  ephemeralContainerStatuses: arr(containerStatus),
  qosClass: str,
  resize: str,
  resourceClaimStatuses: arr(core('PodResourceClaimStatus', { name: str, resourceClaimName: str }, ['name'])),
  extendedResourceClaimStatus: core('PodExtendedResourceClaimStatus', {
    requestMappings: arr(core('ContainerExtendedResourceRequest', { containerName: str, resourceName: str, requestName: str })),
    resourceClaimName: str,
  }),
});

export const podTemplateSpec = core('PodTemplateSpec', { metadata: objectMeta, spec: podSpec });

export const pod = topLevel('io.k8s.api.core.v1.Pod', { spec: podSpec, status: podStatus });
