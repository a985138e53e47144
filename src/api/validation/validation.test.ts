// Validation: bad objects → the message kubectl prints (`The Service "x" is invalid: ...`),
// built by errors.invalid from the causes, after defaulting, as the API server runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults } from '../defaults/index.ts';
import type { KubeObject } from '../types.ts';
import { validate } from './index.ts';
import { message } from './message.test-helper.ts';

const svc = (spec: object, name = 'x') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec });
const pod = (spec: object, name = 'p') => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec });
const deploy = (spec: object, name = 'web') => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' }, spec });
const tmpl = (labels: object, containers: object[] = [{ name: 'web', image: 'nginx' }]) => ({ metadata: { labels }, spec: { containers } });
const ing = (spec: object) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'default' }, spec });
const job = (spec: object, restartPolicy = 'Never') => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default' }, spec: { selector: { matchLabels: { job: 'j' } }, ...spec, template: { metadata: { labels: { job: 'j' } }, spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox' }] } } } });
const cj = (spec: object) => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'default' }, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } }, ...spec } });
const ds = (updateStrategy: object) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd', namespace: 'default' }, spec: { updateStrategy, selector: { matchLabels: { app: 'd' } }, template: tmpl({ app: 'd' }) } });
const backend = { service: { name: 'web', port: { number: 80 } } };

const LABEL_1123 =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const cases: { name: string; obj: object; old?: object; want: string }[] = [
  // metadata
  { name: 'name required', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }, want: 'The ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required' },
  { name: 'generateName is enough', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cm-' } }, want: 'valid' },
  { name: 'pod name is a subdomain', obj: pod({ containers: [{ name: 'a', image: 'b' }] }, 'My_Pod'), want: `The Pod "My_Pod" is invalid: metadata.name: Invalid value: "My_Pod": ${SUBDOMAIN}` },
  { name: 'service name is a DNS-1035 label', obj: svc({ ports: [{ port: 80 }] }, '1web'), want: `The Service "1web" is invalid: metadata.name: Invalid value: "1web": ${LABEL_1035}` },
  {
    name: 'namespace name is a label',
    obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } },
    want: 'The Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": must not contain dots',
  },
  {
    name: 'label key and value',
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { 'a/b/c': 'x', ok: '-bad' } } },
    want:
      'The ConfigMap "c" is invalid: \n* metadata.labels: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\') with an optional DNS subdomain prefix and \'/\' (e.g. \'example.com/MyName\')\n* metadata.labels: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')',
  },
  // Service
  { name: 'port 0', obj: svc({ ports: [{ port: 0, targetPort: 8080 }] }), want: 'The Service "x" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive' },
  { name: 'port too big', obj: svc({ ports: [{ port: 70000 }] }), want: 'The Service "x" is invalid: \n* spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive\n* spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive' },
  { name: 'ports required', obj: svc({ selector: { app: 'a' } }), want: 'The Service "x" is invalid: spec.ports: Required value' },
  { name: 'headless needs no ports', obj: svc({ clusterIP: 'None', selector: { app: 'a' } }), want: 'valid' },
  { name: 'names required with several ports', obj: svc({ ports: [{ name: 'http', port: 80 }, { port: 443 }] }), want: 'The Service "x" is invalid: spec.ports[1].name: Required value' },
  { name: 'duplicate port names', obj: svc({ ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }), want: 'The Service "x" is invalid: spec.ports[1].name: Duplicate value: "http"' },
  {
    name: 'duplicate port and protocol',
    obj: svc({ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }),
    want: 'The Service "x" is invalid: spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
  },
  { name: 'protocol', obj: svc({ ports: [{ port: 80, protocol: 'HTTP' }] }), want: 'The Service "x" is invalid: spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"' },
  { name: 'type', obj: svc({ type: 'Internal', ports: [{ port: 80 }] }), want: 'The Service "x" is invalid: spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"' },
  { name: 'sessionAffinity', obj: svc({ sessionAffinity: 'Cookie', ports: [{ port: 80 }] }), want: 'The Service "x" is invalid: spec.sessionAffinity: Unsupported value: "Cookie": supported values: "ClientIP", "None"' },
  {
    name: 'affinity timeout',
    obj: svc({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } }, ports: [{ port: 80 }] }),
    want: 'The Service "x" is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
  },
  {
    name: 'targetPort name',
    obj: svc({ ports: [{ port: 80, targetPort: 'HTTP_PORT' }] }),
    want: 'The Service "x" is invalid: \n* spec.ports[0].targetPort: Invalid value: "HTTP_PORT": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)\n* spec.ports[0].targetPort: Invalid value: "HTTP_PORT": must contain at least one letter (a-z)',
  },
  { name: 'targetPort as a numeric string', obj: svc({ ports: [{ port: 80, targetPort: '8080' }] }), want: 'The Service "x" is invalid: spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)' },
  { name: 'nodePort on ClusterIP', obj: svc({ ports: [{ port: 80, nodePort: 30080 }] }), want: "The Service \"x\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'" },
  { name: 'nodePort on NodePort', obj: svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }), want: 'valid' },
  { name: 'ExternalName needs a name', obj: svc({ type: 'ExternalName' }), want: 'The Service "x" is invalid: spec.externalName: Required value' },
  { name: 'ExternalName must be a DNS name', obj: svc({ type: 'ExternalName', externalName: 'Bad_Host' }), want: `The Service "x" is invalid: spec.externalName: Invalid value: "Bad_Host": ${SUBDOMAIN}` },
  { name: 'ExternalName with a trailing dot', obj: svc({ type: 'ExternalName', externalName: 'db.example.com.' }), want: 'valid' },
  {
    name: 'externalTrafficPolicy on ClusterIP',
    obj: svc({ externalTrafficPolicy: 'Local', ports: [{ port: 80 }] }),
    want: 'The Service "x" is invalid: spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
  },
  {
    name: 'healthCheckNodePort without Local',
    obj: svc({ type: 'LoadBalancer', healthCheckNodePort: 31615, ports: [{ port: 80 }] }),
    want: "The Service \"x\" is invalid: spec.healthCheckNodePort: Invalid value: 31615: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
  },
  { name: 'NodePort cannot be headless', obj: svc({ type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] }), want: "The Service \"x\" is invalid: spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services" },
  { name: 'clusterIP is an IP', obj: svc({ clusterIP: '10.96.0.300', ports: [{ port: 80 }] }), want: 'The Service "x" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)' },
  {
    name: 'clusterIP may not change',
    obj: svc({ clusterIP: '10.96.0.20', ports: [{ port: 80 }] }),
    old: svc({ clusterIP: '10.96.0.10', ports: [{ port: 80 }] }),
    want: 'The Service "x" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.0.20": may not change once set',
  },
  // Pod
  { name: 'containers required', obj: pod({}), want: 'The Pod "p" is invalid: spec.containers: Required value' },
  { name: 'image required', obj: pod({ containers: [{ name: 'a' }] }), want: 'The Pod "p" is invalid: spec.containers[0].image: Required value' },
  { name: 'container names unique', obj: pod({ containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] }), want: 'The Pod "p" is invalid: spec.containers[1].name: Duplicate value: "a"' },
  { name: 'container name is a label', obj: pod({ containers: [{ name: 'Web', image: 'x' }] }), want: `The Pod "p" is invalid: spec.containers[0].name: Invalid value: "Web": ${LABEL_1123}` },
  {
    name: 'container port range',
    obj: pod({ containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }] }] }),
    want: 'The Pod "p" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
  },
  { name: 'containerPort required', obj: pod({ containers: [{ name: 'a', image: 'x', ports: [{ name: 'http' }] }] }), want: 'The Pod "p" is invalid: spec.containers[0].ports[0].containerPort: Required value' },
  { name: 'restartPolicy', obj: pod({ restartPolicy: 'Sometimes', containers: [{ name: 'a', image: 'x' }] }), want: 'The Pod "p" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"' },
  { name: 'probe needs a handler', obj: pod({ containers: [{ name: 'a', image: 'x', readinessProbe: { periodSeconds: 5 } }] }), want: 'The Pod "p" is invalid: spec.containers[0].readinessProbe: Required value: must specify a handler type' },
  {
    name: 'liveness successThreshold',
    obj: pod({ containers: [{ name: 'a', image: 'x', livenessProbe: { tcpSocket: { port: 80 }, successThreshold: 2 } }] }),
    want: 'The Pod "p" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
  },
  {
    name: 'probe with negative delay',
    obj: pod({ containers: [{ name: 'a', image: 'x', readinessProbe: { exec: { command: ['ls'] }, initialDelaySeconds: -1 } }] }),
    want: 'The Pod "p" is invalid: spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0',
  },
  { name: 'mount of a missing volume', obj: pod({ containers: [{ name: 'a', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/d' }] }] }), want: 'The Pod "p" is invalid: spec.containers[0].volumeMounts[0].name: Not found: "data"' },
  { name: 'imagePullPolicy', obj: pod({ containers: [{ name: 'a', image: 'x', imagePullPolicy: 'Sometimes' }] }), want: 'The Pod "p" is invalid: spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"' },
  {
    name: 'pod spec is immutable but images change',
    obj: pod({ containers: [{ name: 'a', image: 'x:2' }] }),
    old: pod({ containers: [{ name: 'a', image: 'x:1' }] }),
    want: 'valid',
  },
  {
    name: 'pod spec is immutable',
    obj: pod({ containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80 }] }] }),
    old: pod({ containers: [{ name: 'a', image: 'x' }] }),
    want: 'The Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
  },
  // Deployment / ReplicaSet
  { name: 'selector required', obj: deploy({ template: tmpl({ app: 'web' }) }), want: 'The Deployment "web" is invalid: spec.selector: Required value' },
  {
    name: 'selector must match the template',
    obj: deploy({ selector: { matchLabels: { app: 'api' } }, template: tmpl({ app: 'web' }) }),
    want: 'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  },
  {
    name: 'empty selector',
    obj: deploy({ selector: {}, template: tmpl({ app: 'web' }) }),
    want: 'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
  },
  { name: 'negative replicas', obj: deploy({ replicas: -1, selector: { matchLabels: { app: 'web' } }, template: tmpl({ app: 'web' }) }), want: 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0' },
  { name: 'templates need an image too', obj: deploy({ selector: { matchLabels: { app: 'web' } }, template: tmpl({ app: 'web' }, [{ name: 'a' }]) }), want: 'The Deployment "web" is invalid: spec.template.spec.containers[0].image: Required value' },
  { name: 'a blank image is a template placeholder', obj: deploy({ selector: { matchLabels: { app: 'web' } }, template: tmpl({ app: 'web' }, [{ name: 'a', image: ' ' }]) }), want: 'valid' },
  { name: 'pods refuse a blank image', obj: pod({ containers: [{ name: 'a', image: ' ' }] }), want: 'The Pod "p" is invalid: spec.containers[0].image: Invalid value: " ": must not have leading or trailing whitespace' },
  {
    name: 'template restartPolicy',
    obj: deploy({ selector: { matchLabels: { app: 'web' } }, template: { ...tmpl({ app: 'web' }), spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'x' }] } } }),
    want: 'The Deployment "web" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
  },
  {
    name: 'selector is immutable',
    obj: deploy({ selector: { matchLabels: { app: 'web2' } }, template: tmpl({ app: 'web2' }) }),
    old: deploy({ selector: { matchLabels: { app: 'web' } }, template: tmpl({ app: 'web' }) }),
    want: 'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  },
  {
    name: 'maxSurge and maxUnavailable both 0',
    obj: deploy({ selector: { matchLabels: { app: 'web' } }, template: tmpl({ app: 'web' }), strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }),
    want: 'The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
  },
  {
    name: 'ReplicaSet selector mismatch',
    obj: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { selector: { matchLabels: { app: 'a' } }, template: tmpl({ app: 'b' }) } },
    want: 'The ReplicaSet "rs" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`',
  },
  // Endpoints
  {
    name: 'endpoint address is an IP',
    obj: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: 'my-host' }], ports: [{ port: 80 }] }] },
    want: 'The Endpoints "e" is invalid: subsets[0].addresses[0].ip: Invalid value: "my-host": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  },
  {
    name: 'endpoint address is not loopback',
    obj: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: '127.0.0.1' }] }] },
    want: 'The Endpoints "e" is invalid: subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
  },
  {
    name: 'endpoint port range',
    obj: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 0 }] }] },
    want: 'The Endpoints "e" is invalid: subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
  },
  // Ingress
  { name: 'pathType required', obj: ing({ rules: [{ http: { paths: [{ path: '/', backend }] } }] }), want: 'The Ingress "i" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified' },
  {
    name: 'pathType values',
    obj: ing({ rules: [{ http: { paths: [{ path: '/', pathType: 'Regex', backend }] } }] }),
    want: 'The Ingress "i" is invalid: spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
  },
  {
    name: 'backend port required',
    obj: ing({ rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web' } } }] } }] }),
    want: 'The Ingress "i" is invalid: spec.rules[0].http.paths[0].backend.service.port: Required value: port name or number is required',
  },
  {
    name: 'backend service name required',
    obj: ing({ rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { port: { number: 80 } } } }] } }] }),
    want: 'The Ingress "i" is invalid: spec.rules[0].http.paths[0].backend.service.name: Required value',
  },
  { name: 'host is not an IP', obj: ing({ rules: [{ host: '1.2.3.4', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }] }), want: 'The Ingress "i" is invalid: spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address' },
  { name: 'path is absolute', obj: ing({ rules: [{ http: { paths: [{ path: 'api', pathType: 'Prefix', backend }] } }] }), want: 'The Ingress "i" is invalid: spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path' },
  { name: 'rules or defaultBackend', obj: ing({}), want: 'The Ingress "i" is invalid: spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified' },
  { name: 'a default backend alone', obj: ing({ defaultBackend: backend }), want: 'valid' },
  // ConfigMap / Secret
  {
    name: 'configmap key',
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'a b': 'x' } },
    want: 'The ConfigMap "c" is invalid: data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, \'-\', \'_\' or \'.\' (e.g. \'key.name\',  or \'KEY_NAME\',  or \'key-name\', regex used for validation is \'[-._a-zA-Z0-9]+\')',
  },
  {
    name: 'immutable configmap',
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, immutable: true, data: { a: '2' } },
    old: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, immutable: true, data: { a: '1' } },
    want: 'The ConfigMap "c" is invalid: data: Forbidden: field is immutable when `immutable` is set',
  },
  { name: 'tls secret keys', obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'YQ==' } }, want: 'The Secret "s" is invalid: data[tls.key]: Required value' },
  {
    name: 'secret type is immutable',
    obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque' },
    old: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'example.com/x' },
    want: 'The Secret "s" is invalid: type: Invalid value: "Opaque": field is immutable',
  },
  // Job podFailurePolicy, and what mk refuses rather than ignores
  {
    name: 'podFailurePolicy needs restartPolicy Never',
    obj: job({ podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] } }, 'OnFailure'),
    want: 'The Job "j" is invalid: spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
  },
  {
    name: 'podFailurePolicy: an unknown action and operator',
    obj: job({ podFailurePolicy: { rules: [{ action: 'Retry', onExitCodes: { operator: 'Is', values: [1] } }] } }),
    want: 'The Job "j" is invalid: \n* spec.podFailurePolicy.rules[0].action: Unsupported value: "Retry": supported values: "Count", "FailIndex", "FailJob", "Ignore"\n* spec.podFailurePolicy.rules[0].onExitCodes.operator: Unsupported value: "Is": supported values: "In", "NotIn"',
  },
  {
    name: 'backoffLimitPerIndex is refused by mk, naming the field to use',
    obj: job({ completionMode: 'Indexed', completions: 2, backoffLimitPerIndex: 1 }),
    want: 'The Job "j" is invalid: spec.backoffLimitPerIndex: Forbidden: mk does not run per-index back-off limits; use spec.backoffLimit',
  },
  {
    name: 'a valid podFailurePolicy',
    obj: job({ podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }, { action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [0, 1] } }] } }),
    want: 'valid',
  },
  // CronJob time zones (validateTimeZone, then Go's time.LoadLocation, which is case-sensitive)
  { name: 'CronJob: empty time zone', obj: cj({ timeZone: '' }), want: 'The CronJob "c" is invalid: spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string' },
  { name: 'CronJob: Local', obj: cj({ timeZone: 'Local' }), want: 'The CronJob "c" is invalid: spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones' },
  { name: 'CronJob: an offset is no zone name', obj: cj({ timeZone: '+01:00' }), want: 'The CronJob "c" is invalid: spec.timeZone: Invalid value: "+01:00": unknown time zone +01:00' },
  { name: 'CronJob: names are case-sensitive', obj: cj({ timeZone: 'america/new_york' }), want: 'The CronJob "c" is invalid: spec.timeZone: Invalid value: "america/new_york": unknown time zone america/new_york' },
  { name: 'CronJob: a zone and a link', obj: cj({ timeZone: 'Asia/Kolkata' }), want: 'valid' },
  // DaemonSet rolling update: exactly one of maxSurge and maxUnavailable is non-zero (ValidateRollingUpdateDaemonSet)
  {
    name: 'DaemonSet: maxSurge with the default maxUnavailable 1',
    obj: ds({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }),
    want: 'The DaemonSet "d" is invalid: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero',
  },
  {
    name: 'DaemonSet: both zero',
    obj: ds({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '0%', maxUnavailable: 0 } }),
    want: 'The DaemonSet "d" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
  },
  {
    name: 'DaemonSet: more than 100%',
    obj: ds({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '150%' } }),
    want: 'The DaemonSet "d" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
  },
  { name: 'DaemonSet: surge alone', obj: ds({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } }), want: 'valid' },
  // metadata on update
  {
    name: 'name is immutable',
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } },
    old: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
    want: 'The ConfigMap "b" is invalid: metadata.name: Invalid value: "b": field is immutable',
  },
];

for (const c of cases) {
  test(`validate: ${c.name}`, () => assert.equal(message(c.obj, c.old), c.want));
}

test('causes carry Kubernetes reasons and field paths', () => {
  const o = svc({ ports: [{ port: 0, protocol: 'HTTP' }] }) as KubeObject;
  applyDefaults(o);
  assert.deepEqual(validate(o), [
    { reason: 'FieldValueInvalid', field: 'spec.ports[0].port', message: 'Invalid value: 0: must be between 1 and 65535, inclusive' },
    { reason: 'FieldValueNotSupported', field: 'spec.ports[0].protocol', message: 'Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"' },
    // targetPort defaulted to port (0), so Kubernetes reports it too
    { reason: 'FieldValueInvalid', field: 'spec.ports[0].targetPort', message: 'Invalid value: 0: must be between 1 and 65535, inclusive' },
  ]);
});

test("a Job's template: only scheduling directives change, and only while it is suspended and has not started", () => {
  const base = (suspend: boolean, podSpec: object = {}, started = false) => {
    const j = job({ suspend }) as any;
    j.spec.template.spec = { ...j.spec.template.spec, ...podSpec };
    if (started) j.status = { startTime: '2024-05-01T12:00:00Z' };
    return j;
  };
  const immutable = /^The Job "j" is invalid: spec\.template: Invalid value: core\.PodTemplateSpec\{.*\}: field is immutable$/;
  const cases: { name: string; old: object; obj: object; ok: boolean }[] = [
    { name: 'suspended, not started: nodeSelector and tolerations', old: base(true), obj: base(true, { nodeSelector: { zone: 'a' }, tolerations: [{ key: 'k', operator: 'Exists' }] }), ok: true },
    { name: 'suspended, not started: node affinity', old: base(true), obj: base(true, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } } }), ok: true },
    { name: 'suspended, not started: the image', old: base(true), obj: base(true, { containers: [{ name: 'c', image: 'busybox:2' }] }), ok: false },
    { name: 'suspended after it started: nodeSelector', old: base(true, {}, true), obj: base(true, { nodeSelector: { zone: 'a' } }, true), ok: false },
    { name: 'running: nodeSelector', old: base(false), obj: base(false, { nodeSelector: { zone: 'a' } }), ok: false },
  ];
  for (const c of cases) {
    const got = message(c.obj, c.old);
    if (c.ok) assert.equal(got, 'valid', c.name);
    else assert.match(got, immutable, c.name);
  }
});
