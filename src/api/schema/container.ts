// Schemas of core/v1 Container and what hangs off it: ports, env/envFrom, resources, probes,
// lifecycle hooks, security context, volume mounts; EphemeralContainer; ContainerStatus.
import { arr, bool, core, i32, i64, intOrString, quantity, resourceList, str, strings, time } from './types.ts';
import type { FieldSchema, ObjectSchema } from './types.ts';

export const localObjectReference = core('LocalObjectReference', { name: str });

export const containerPort = core('ContainerPort', { name: str, hostPort: i32, containerPort: i32, protocol: str, hostIP: str }, ['containerPort']);

export const objectFieldSelector = core('ObjectFieldSelector', { apiVersion: str, fieldPath: str }, ['fieldPath']);
export const resourceFieldSelector = core('ResourceFieldSelector', { containerName: str, resource: str, divisor: quantity }, ['resource']);

const envVarSource = core('EnvVarSource', {
  fieldRef: objectFieldSelector,
  resourceFieldRef: resourceFieldSelector,
  configMapKeyRef: core('ConfigMapKeySelector', { name: str, key: str, optional: bool }, ['key']),
  secretKeyRef: core('SecretKeySelector', { name: str, key: str, optional: bool }, ['key']),
  fileKeyRef: core('FileKeySelector', { volumeName: str, path: str, key: str, optional: bool }),
});

export const envVar = core('EnvVar', { name: str, value: str, valueFrom: envVarSource }, ['name']);

export const envFromSource = core('EnvFromSource', {
  prefix: str,
  configMapRef: core('ConfigMapEnvSource', { name: str, optional: bool }),
  secretRef: core('SecretEnvSource', { name: str, optional: bool }),
});

export const resourceRequirements = core('ResourceRequirements', {
  limits: resourceList,
  requests: resourceList,
  claims: arr(core('ResourceClaim', { name: str, request: str }, ['name'])),
});

const execAction = core('ExecAction', { command: strings });
const httpGetAction = core(
  'HTTPGetAction',
  { path: str, port: intOrString, host: str, scheme: str, httpHeaders: arr(core('HTTPHeader', { name: str, value: str }, ['name', 'value'])) },
  ['port'],
);
const tcpSocketAction = core('TCPSocketAction', { port: intOrString, host: str }, ['port']);
const grpcAction = core('GRPCAction', { port: i32, service: str }, ['port']);

export const probe = core('Probe', {
  exec: execAction,
  httpGet: httpGetAction,
  tcpSocket: tcpSocketAction,
  grpc: grpcAction,
  initialDelaySeconds: i32,
  timeoutSeconds: i32,
  periodSeconds: i32,
  successThreshold: i32,
  failureThreshold: i32,
  terminationGracePeriodSeconds: i64,
});

const lifecycleHandler = core('LifecycleHandler', {
  exec: execAction,
  httpGet: httpGetAction,
  tcpSocket: tcpSocketAction,
  sleep: core('SleepAction', { seconds: i64 }, ['seconds']),
});

export const seLinuxOptions = core('SELinuxOptions', { user: str, role: str, type: str, level: str });
export const windowsOptions = core('WindowsSecurityContextOptions', {
  gmsaCredentialSpecName: str,
  gmsaCredentialSpec: str,
  runAsUserName: str,
  hostProcess: bool,
});
export const seccompProfile = core('SeccompProfile', { type: str, localhostProfile: str }, ['type']);
export const appArmorProfile = core('AppArmorProfile', { type: str, localhostProfile: str }, ['type']);

export const securityContext = core('SecurityContext', {
  capabilities: core('Capabilities', { add: strings, drop: strings }),
  privileged: bool,
  seLinuxOptions,
  windowsOptions,
  runAsUser: i64,
  runAsGroup: i64,
  runAsNonRoot: bool,
  readOnlyRootFilesystem: bool,
  allowPrivilegeEscalation: bool,
  procMount: str,
  seccompProfile,
  appArmorProfile,
});

export const volumeMount = core(
  'VolumeMount',
  { name: str, readOnly: bool, recursiveReadOnly: str, mountPath: str, subPath: str, mountPropagation: str, subPathExpr: str },
  ['name', 'mountPath'],
);

/** Fields shared by Container and EphemeralContainer (EphemeralContainerCommon). */
const containerFields: Record<string, FieldSchema> = {
  name: str,
  image: str,
  command: strings,
  args: strings,
  workingDir: str,
  ports: arr(containerPort),
  envFrom: arr(envFromSource),
  env: arr(envVar),
  resources: resourceRequirements,
  resizePolicy: arr(core('ContainerResizePolicy', { resourceName: str, restartPolicy: str }, ['resourceName', 'restartPolicy'])),
  restartPolicy: str,
  restartPolicyRules: arr(
    core('ContainerRestartRule', {
      action: str,
      exitCodes: core('ContainerRestartRuleOnExitCodes', { operator: str, values: arr(i32) }),
    }),
  ),
  volumeMounts: arr(volumeMount),
  volumeDevices: arr(core('VolumeDevice', { name: str, devicePath: str }, ['name', 'devicePath'])),
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
  lifecycle: core('Lifecycle', { postStart: lifecycleHandler, preStop: lifecycleHandler, stopSignal: str }),
  terminationMessagePath: str,
  terminationMessagePolicy: str,
  imagePullPolicy: str,
  securityContext,
  stdin: bool,
  stdinOnce: bool,
  tty: bool,
};

export const container: ObjectSchema = core('Container', containerFields, ['name']);
export const ephemeralContainer: ObjectSchema = core('EphemeralContainer', { ...containerFields, targetContainerName: str }, ['name']);

const containerState = core('ContainerState', {
  waiting: core('ContainerStateWaiting', { reason: str, message: str }),
  running: core('ContainerStateRunning', { startedAt: time }),
  terminated: core(
    'ContainerStateTerminated',
    { exitCode: i32, signal: i32, reason: str, message: str, startedAt: time, finishedAt: time, containerID: str },
    ['exitCode'],
  ),
});

export const containerStatus = core(
  'ContainerStatus',
  {
    name: str,
    state: containerState,
    lastState: containerState,
    ready: bool,
    restartCount: i32,
    image: str,
    imageID: str,
    containerID: str,
    started: bool,
    allocatedResources: resourceList,
    resources: resourceRequirements,
    volumeMounts: arr(core('VolumeMountStatus', { name: str, mountPath: str, readOnly: bool, recursiveReadOnly: str }, ['name', 'mountPath'])),
    user: core('ContainerUser', {
      linux: core('LinuxContainerUser', { uid: i64, gid: i64, supplementalGroups: arr(i64) }, ['uid', 'gid']),
    }),
    allocatedResourcesStatus: arr(
      core('ResourceStatus', {
        name: str,
        resources: arr(core('ResourceHealth', { resourceID: str, health: str }, ['resourceID'])),
      }),
    ),
    stopSignal: str,
  },
  ['name', 'ready', 'restartCount', 'image', 'imageID'],
);
