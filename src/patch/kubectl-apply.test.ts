// Real kubectl as the oracle for the three-way patch: the PATCH `kubectl apply` sends to a
// stand-in server holding the live object must equal the patch computed here from the same
// three documents. Skipped without kubectl.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { threeWayStrategicPatch } from './index.ts';
import { annotated, hasKubectl, LAST_APPLIED, modifiedFromPatch, oracle, type Obj } from './kubectl-oracle.ts';

const kubectl = oracle();
after(() => kubectl.close());

/** The live object: what was applied before, plus fields the server and other actors set. */
function liveOf(lastApplied: Obj, extra: (o: Obj) => void): Obj {
  const o = structuredClone(annotated(lastApplied));
  Object.assign(o.metadata, { uid: 'u-1', resourceVersion: '42', creationTimestamp: '2024-01-01T00:00:00Z' });
  extra(o);
  return o;
}

const dep = (containers: Obj[], spec: Obj = {}, meta: Obj = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, ...meta },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, ...spec, template: { metadata: { labels: { app: 'web' } }, spec: { containers } } },
});
const svc = (ports: Obj[], meta: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', ...meta }, spec: { selector: { app: 'web' }, ports } });
function withVolumes(d: Obj, volumes: Obj[]): Obj {
  d.spec.template.spec.volumes = volumes;
  return d;
}
const serverDefaults = (o: Obj) => {
  for (const c of o.spec?.template?.spec?.containers ?? []) Object.assign(c, { imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', resources: {} });
  for (const p of o.spec?.ports ?? []) p.protocol ??= 'TCP';
  if (o.spec?.ports) o.spec.clusterIP = '10.96.0.20';
  o.status = { observedGeneration: 1 };
};

const a = { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }], ports: [{ containerPort: 80 }] };
const b = { name: 'b', image: 'b:1' };

const scenarios: { name: string; before: Obj; after: Obj; extra?: (o: Obj) => void }[] = [
  { name: 'image of one of two containers', before: dep([a, b]), after: dep([a, { ...b, image: 'b:2' }]) },
  { name: 'env var removed', before: dep([a, b]), after: dep([{ ...a, env: [{ name: 'Y', value: '2' }] }, b]) },
  { name: 'container replaced by another', before: dep([a, b]), after: dep([b, { name: 'c', image: 'c:1' }]) },
  { name: 'containers reordered', before: dep([a, b]), after: dep([b, a]) },
  { name: 'port added to a container', before: dep([a, b]), after: dep([{ ...a, ports: [{ containerPort: 80 }, { containerPort: 443, name: 'https' }] }, b]) },
  { name: 'label removed, label added by someone else stays', before: dep([b], {}, { labels: { app: 'web', tier: 'x' } }), after: dep([b]), extra: (o) => (o.metadata.labels.owner = 'ops') },
  { name: 'replicas drifted back', before: dep([b]), after: dep([b]), extra: (o) => (o.spec.replicas = 7) },
  { name: 'field removed from config', before: dep([b], { minReadySeconds: 5, revisionHistoryLimit: 3 }), after: dep([b], { revisionHistoryLimit: 3 }) },
  { name: 'strategy switched to Recreate', before: dep([b], { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }), after: dep([b], { strategy: { type: 'Recreate' } }) },
  {
    name: 'volume source switched (retainKeys on volumes)',
    before: withVolumes(dep([{ ...b, volumeMounts: [{ name: 'data', mountPath: '/data' }] }]), [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }]),
    after: withVolumes(dep([{ ...b, volumeMounts: [{ name: 'data', mountPath: '/data' }] }]), [{ name: 'data', hostPath: { path: '/srv' } }, { name: 'cfg', configMap: { name: 'c' } }]),
  },
  { name: 'container added in front, env value changed', before: dep([a]), after: dep([b, { ...a, env: [{ name: 'X', value: '9' }, { name: 'Y', value: '2' }] }]) },
  { name: 'everything removed from a list', before: dep([a]), after: dep([{ ...a, env: [], ports: [] }]) },
  { name: 'finalizers changed', before: dep([b], {}, { finalizers: ['x/a', 'x/b'] }), after: dep([b], {}, { finalizers: ['x/a', 'x/c'] }) },
  { name: 'Service port added', before: svc([{ name: 'http', port: 80, targetPort: 8080 }]), after: svc([{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }]) },
  { name: 'Service port removed and type set', before: svc([{ name: 'http', port: 80 }, { name: 'https', port: 443 }]), after: { ...svc([{ name: 'https', port: 443 }]), spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'https', port: 443 }] } } },
];

for (const minor of [27, 33]) for (const s of scenarios) {
  test(`kubectl 1.${minor} apply sends what threeWayStrategicPatch computes: ${s.name}`, { skip: !hasKubectl(minor) && 'kubectl not installed' }, async () => {
    const current = liveOf(s.before, (o) => {
      serverDefaults(o);
      s.extra?.(o);
    });
    const sent = await kubectl.apply(minor, s.after, current);
    assert.equal(sent.type, 'application/strategic-merge-patch+json');
    const lastApplied = JSON.parse(current.metadata.annotations[LAST_APPLIED]);
    assert.deepEqual(threeWayStrategicPatch(lastApplied, modifiedFromPatch(sent.body), current, current.kind), sent.body);
  });
}
