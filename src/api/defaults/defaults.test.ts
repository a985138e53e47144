// Defaulting: what a stored object looks like after Kubernetes fills it in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../types.ts';
import { applyDefaults, defaultPullPolicy } from './index.ts';

function defaulted(obj: object): KubeObject {
  const o = structuredClone(obj) as KubeObject;
  applyDefaults(o);
  return o;
}

const defaultedContainer = {
  name: 'web',
  image: 'nginx:1.25',
  imagePullPolicy: 'IfNotPresent',
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  resources: {},
};
const defaultedPodSpec = {
  containers: [defaultedContainer],
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  dnsPolicy: 'ClusterFirst',
  securityContext: {},
  schedulerName: 'default-scheduler',
  enableServiceLinks: true,
};

test('Pod: the spec Kubernetes stores', () => {
  const pod = defaulted({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } });
  assert.deepEqual(pod.spec, defaultedPodSpec);
});

test('Pod: ports, probes, env, volumes, resources', () => {
  const pod = defaulted({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: {
      volumes: [{ name: 'a' }, { name: 'b', secret: { secretName: 's' } }, { name: 'c', configMap: { name: 'c' } }],
      containers: [
        {
          name: 'web',
          image: 'nginx',
          ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
          readinessProbe: { httpGet: { port: 80 } },
          livenessProbe: { exec: { command: ['true'] }, periodSeconds: 5 },
          env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
          resources: { limits: { cpu: '1' } },
        },
      ],
    },
  });
  const c = pod.spec.containers[0];
  assert.equal(c.imagePullPolicy, 'Always');
  assert.deepEqual(c.ports, [
    { containerPort: 80, protocol: 'TCP' },
    { containerPort: 53, protocol: 'UDP' },
  ]);
  assert.deepEqual(c.readinessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.deepEqual(c.livenessProbe, { exec: { command: ['true'] }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 });
  assert.deepEqual(c.env[0].valueFrom.fieldRef, { apiVersion: 'v1', fieldPath: 'spec.nodeName' });
  assert.deepEqual(c.resources, { limits: { cpu: '1' }, requests: { cpu: '1' } });
  assert.deepEqual(pod.spec.volumes, [
    { name: 'a', emptyDir: {} },
    { name: 'b', secret: { secretName: 's', defaultMode: 420 } },
    { name: 'c', configMap: { name: 'c', defaultMode: 420 } },
  ]);
});

const pullPolicies: [string, string][] = [
  ['nginx', 'Always'],
  ['nginx:latest', 'Always'],
  ['nginx:1.25', 'IfNotPresent'],
  ['localhost:5000/app', 'Always'],
  ['localhost:5000/app:v1', 'IfNotPresent'],
  ['nginx@sha256:abc', 'IfNotPresent'],
];
for (const [image, want] of pullPolicies) {
  test(`imagePullPolicy for ${image} is ${want}`, () => assert.equal(defaultPullPolicy(image), want));
}

test('Deployment: replicas, strategy, history, deadline and the template', () => {
  const d = defaulted({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } },
  });
  assert.deepEqual(d.spec, {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: defaultedPodSpec },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  });
});

test('Deployment: Recreate gets no rollingUpdate; explicit values stay', () => {
  const d = defaulted({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' }, spec: { replicas: 0, strategy: { type: 'Recreate' } } });
  assert.deepEqual(d.spec.strategy, { type: 'Recreate' });
  assert.equal(d.spec.replicas, 0);
});

test('ReplicaSet: replicas 1 and template defaults', () => {
  const rs = defaulted({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } } });
  assert.equal(rs.spec.replicas, 1);
  assert.deepEqual(rs.spec.template.spec, defaultedPodSpec);
});

const serviceCases: { name: string; spec: object; want: object }[] = [
  {
    name: 'ClusterIP',
    spec: { selector: { app: 'a' }, ports: [{ port: 80 }] },
    want: {
      selector: { app: 'a' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    },
  },
  {
    name: 'NodePort with a named targetPort',
    spec: { type: 'NodePort', selector: { app: 'a' }, ports: [{ port: 80, targetPort: 'http' }] },
    want: {
      type: 'NodePort',
      selector: { app: 'a' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 'http' }],
      sessionAffinity: 'None',
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    },
  },
  {
    name: 'LoadBalancer with ClientIP affinity',
    spec: { type: 'LoadBalancer', sessionAffinity: 'ClientIP', ports: [{ port: 443, protocol: 'UDP' }] },
    want: {
      type: 'LoadBalancer',
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      ports: [{ port: 443, protocol: 'UDP', targetPort: 443 }],
      externalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true,
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    },
  },
  {
    name: 'headless without a selector',
    spec: { clusterIP: 'None', ports: [{ port: 80 }] },
    want: {
      clusterIP: 'None',
      clusterIPs: ['None'],
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'RequireDualStack',
      ipFamilies: ['IPv4'],
    },
  },
  {
    name: 'ExternalName gets no IP fields',
    spec: { type: 'ExternalName', externalName: 'db.example.com' },
    want: { type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' },
  },
];
for (const c of serviceCases) {
  test(`Service defaults: ${c.name}`, () => {
    const s = defaulted({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: c.spec });
    assert.deepEqual(s.spec, c.want);
    assert.deepEqual(s.status, { loadBalancer: {} });
  });
}

test('Namespace, Secret, Endpoints, EndpointSlice, Node', () => {
  assert.deepEqual(defaulted({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }).spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(defaulted({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }).status, { phase: 'Active' });
  assert.equal(defaulted({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }).type, 'Opaque');
  assert.equal(defaulted({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'kubernetes.io/tls' }).type, 'kubernetes.io/tls');
  const merged = defaulted({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'b2xk', b: 'Yg==' }, stringData: { a: 'new' } });
  assert.deepEqual([merged.data, merged.stringData], [{ a: 'bmV3', b: 'Yg==' }, undefined]);
  const ep = defaulted({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] });
  assert.deepEqual(ep.subsets[0].ports, [{ port: 80, protocol: 'TCP' }]);
  const slice = defaulted({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'e' }, addressType: 'IPv4', endpoints: [], ports: [{ port: 80 }] });
  assert.deepEqual(slice.ports, [{ port: 80, protocol: 'TCP' }]);
  const node = defaulted({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { capacity: { cpu: '4' } } });
  assert.deepEqual(node.status.allocatable, { cpu: '4' });
});

test('kinds without defaults are left alone', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } };
  assert.deepEqual(defaulted(cm), cm);
});

test('StatefulSet and DaemonSet update strategies as SetDefaults_StatefulSet/DaemonSet fill them', () => {
  const cases: [kind: string, given: unknown, want: unknown][] = [
    ['StatefulSet', undefined, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }],
    ['StatefulSet', { type: 'RollingUpdate' }, { type: 'RollingUpdate' }], // a type given: no rollingUpdate is made
    ['StatefulSet', { type: 'RollingUpdate', rollingUpdate: {} }, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }],
    ['StatefulSet', { type: 'OnDelete' }, { type: 'OnDelete' }],
    ['DaemonSet', undefined, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }],
    ['DaemonSet', { type: 'RollingUpdate' }, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }],
    ['DaemonSet', { type: 'OnDelete' }, { type: 'OnDelete' }],
  ];
  for (const [kind, given, want] of cases) {
    const o = defaulted({ apiVersion: 'apps/v1', kind, metadata: { name: 'w' }, spec: given === undefined ? {} : { updateStrategy: given } });
    assert.deepEqual(o.spec.updateStrategy, want, `${kind} ${JSON.stringify(given)}`);
    assert.equal(o.spec.revisionHistoryLimit, 10);
  }
});
