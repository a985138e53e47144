// Real kubectl as the oracle for applying patches: `kubectl patch --local` merges a patch into
// a file with the same strategicpatch/json-patch code and Go type tags the API server uses.
// applyPatch must give the same object. Skipped without kubectl.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, type PatchType } from './index.ts';
import type { KubeObject } from '../api/types.ts';
import { dropNulls, hasKubectl, oracle, type Obj } from './kubectl-oracle.ts';

const kubectl = oracle();
after(() => kubectl.close());
const skip = !hasKubectl() && 'kubectl not installed';

const deploy = (containers: Obj[], podSpec: Obj = {}, spec: Obj = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web', tier: 'fe' } },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, ...spec, template: { metadata: { labels: { app: 'web' } }, spec: { containers, ...podSpec } } },
});
const a = { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }], ports: [{ containerPort: 80, name: 'http' }, { containerPort: 81 }] };
const b = { name: 'b', image: 'b:1' };
const c = { name: 'c', image: 'c:1' };
const tmpl = (podSpec: Obj) => ({ spec: { template: { spec: podSpec } } });
const svc: Obj = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] } };
const cm: Obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: ['x/a', 'x/b'] }, data: { k: 'v' } };
const pod: Obj = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: [b], tolerations: [{ key: 'k', operator: 'Exists' }], nodeSelector: { disk: 'ssd' } },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }] },
};

const cases: { name: string; obj: Obj; type: 'strategic' | 'merge' | 'json'; patch: unknown }[] = [
  { name: 'new container, no order given', obj: deploy([a, b]), type: 'strategic', patch: tmpl({ containers: [c] }) },
  { name: 'image of the second container', obj: deploy([a, b]), type: 'strategic', patch: tmpl({ containers: [{ name: 'b', image: 'b:2' }] }) },
  { name: '$patch: delete of a container', obj: deploy([a, b]), type: 'strategic', patch: tmpl({ containers: [{ name: 'a', $patch: 'delete' }] }) },
  { name: '$patch: replace of the container list', obj: deploy([a, b]), type: 'strategic', patch: tmpl({ containers: [c, { $patch: 'replace' }] }) },
  { name: '$setElementOrder with a new container', obj: deploy([a, b]), type: 'strategic', patch: tmpl({ '$setElementOrder/containers': [{ name: 'b' }, { name: 'c' }, { name: 'a' }], containers: [c] }) },
  { name: '$setElementOrder with a deletion and an addition', obj: deploy([a, b]), type: 'strategic', patch: tmpl({ '$setElementOrder/containers': [{ name: 'b' }, { name: 'c' }], containers: [c, { name: 'a', $patch: 'delete' }] }) },
  { name: 'env merged by name, a field nulled', obj: deploy([a, b]), type: 'strategic', patch: tmpl({ containers: [{ name: 'a', env: [{ name: 'Z', value: '3' }, { name: 'X', value: null, valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] }] }) },
  { name: 'ports merged by containerPort', obj: deploy([a, b]), type: 'strategic', patch: tmpl({ containers: [{ name: 'a', ports: [{ containerPort: 81, name: 'metrics' }, { containerPort: 90 }] }] }) },
  {
    name: 'volume source switched with $retainKeys',
    obj: deploy([b], { volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }] }),
    type: 'strategic',
    patch: tmpl({ volumes: [{ name: 'data', $retainKeys: ['hostPath', 'name'], hostPath: { path: '/srv' } }] }),
  },
  { name: 'strategy switched with $retainKeys', obj: deploy([b], {}, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }), type: 'strategic', patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } } },
  { name: 'finalizer added', obj: cm, type: 'strategic', patch: { metadata: { finalizers: ['x/c'] } } },
  { name: 'finalizer deleted and added with order', obj: cm, type: 'strategic', patch: { metadata: { '$setElementOrder/finalizers': ['x/c', 'x/a'], '$deleteFromPrimitiveList/finalizers': ['x/b'], finalizers: ['x/c'] } } },
  { name: 'label removed, label added', obj: deploy([b]), type: 'strategic', patch: { metadata: { labels: { tier: null, env: 'prod' } } } },
  { name: 'Service port added', obj: svc, type: 'strategic', patch: { spec: { ports: [{ name: 'https', port: 443, targetPort: 8443 }] } } },
  { name: 'Service port changed by port', obj: svc, type: 'strategic', patch: { spec: { ports: [{ port: 80, targetPort: 9090 }] } } },
  { name: 'tolerations replaced, nodeSelector merged', obj: pod, type: 'strategic', patch: { spec: { tolerations: [{ key: 'j', operator: 'Exists' }], nodeSelector: { zone: 'a' } } } },
  { name: 'pod condition updated by type', obj: pod, type: 'strategic', patch: { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }] } } },
  { name: 'nested new map with nulls', obj: pod, type: 'strategic', patch: { spec: { securityContext: { runAsUser: 1000, fsGroup: null } } } },
  { name: '$patch: replace on a map', obj: deploy([b]), type: 'strategic', patch: { metadata: { labels: { env: 'x', $patch: 'replace' } } } },
  { name: 'a map replaces a list (types differ)', obj: pod, type: 'strategic', patch: { spec: { tolerations: { key: 'x' } } } },
  { name: 'hostAliases by ip, imagePullSecrets by name', obj: { ...pod, spec: { ...pod.spec, hostAliases: [{ ip: '1.2.3.4', hostnames: ['a'] }], imagePullSecrets: [{ name: 'r1' }] } }, type: 'strategic', patch: { spec: { hostAliases: [{ ip: '1.2.3.4', hostnames: ['b'] }, { ip: '5.6.7.8', hostnames: ['c'] }], imagePullSecrets: [{ name: 'r2' }] } } },
  { name: '$deleteFromPrimitiveList on an atomic list', obj: deploy([{ ...b, args: ['x', 'y', 'z'] }]), type: 'strategic', patch: tmpl({ containers: [{ name: 'b', '$deleteFromPrimitiveList/args': ['y'] }] }) },
  { name: 'new container carrying nulls', obj: deploy([b]), type: 'strategic', patch: tmpl({ containers: [{ name: 'n', image: 'n:1', command: null, env: [{ name: 'A', value: '1' }] }] }) },
  { name: 'duplicate keys already in the list', obj: deploy([b, { ...b, image: 'b:9' }, c]), type: 'strategic', patch: tmpl({ containers: [{ name: 'b', tty: true }] }) },
  { name: 'delete of a duplicated key', obj: deploy([b, { ...b, image: 'b:9' }, c]), type: 'strategic', patch: tmpl({ containers: [{ name: 'b', $patch: 'delete' }] }) },
  { name: 'node addresses and conditions by type', obj: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: { podCIDRs: ['10.244.1.0/24'] }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.2' }, { type: 'Hostname', address: 'n' }], conditions: [{ type: 'Ready', status: 'False' }] } }, type: 'strategic', patch: { spec: { podCIDRs: ['fd00::/64'] }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.3' }], conditions: [{ type: 'Ready', status: 'True' }] } } },
  { name: 'ownerReferences by uid', obj: { ...pod, metadata: { name: 'p', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r', uid: 'u1' }] } }, type: 'strategic', patch: { metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r2', uid: 'u2', controller: true }] } } },
  { name: 'Deployment status conditions by type', obj: { ...deploy([b]), status: { conditions: [{ type: 'Available', status: 'False' }, { type: 'Progressing', status: 'True' }] } }, type: 'strategic', patch: { status: { conditions: [{ type: 'Available', status: 'True' }] } } },
  { name: 'Ingress rules are atomic', obj: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: [{ host: 'a.example' }, { host: 'b.example' }] } }, type: 'strategic', patch: { spec: { rules: [{ host: 'c.example' }] } } },
  { name: 'merge patch: nulls in a list stay, nulls in a new map go', obj: deploy([b]), type: 'merge', patch: { spec: { template: { spec: { containers: [{ name: 'x', image: 'x', args: ['a'] }] } } }, metadata: { annotations: { a: 'b', c: null } } } },
  { name: 'merge patch: labels', obj: deploy([b]), type: 'merge', patch: { metadata: { labels: { tier: null, env: 'prod' } } } },
  { name: 'merge patch: replicas', obj: deploy([b]), type: 'merge', patch: { spec: { replicas: 5 } } },
  { name: 'merge patch: containers replaced', obj: deploy([a, b]), type: 'merge', patch: tmpl({ containers: [c] }) },
  { name: 'json patch: add, replace, remove, move, copy', obj: deploy([a, b]), type: 'json', patch: [
    { op: 'add', path: '/spec/template/spec/containers/-', value: c },
    { op: 'replace', path: '/spec/replicas', value: 3 },
    { op: 'remove', path: '/metadata/labels/tier' },
    { op: 'copy', from: '/spec/template/spec/containers/0/image', path: '/spec/template/spec/containers/1/image' },
    { op: 'move', from: '/spec/template/spec/containers/0/env/1', path: '/spec/template/spec/containers/0/env/0' },
    { op: 'test', path: '/spec/template/spec/containers/1/image', value: 'a:1' },
  ] },
  { name: 'json patch: v4 leniencies (replace adds, copy of missing, negative index)', obj: deploy([a, b]), type: 'json', patch: [
    { op: 'replace', path: '/spec/paused', value: true },
    { op: 'copy', from: '/spec/nope', path: '/spec/minReadySeconds' },
    { op: 'add', path: '/spec/template/spec/containers/-1', value: c },
    { op: 'remove', path: '/spec/template/spec/containers/-3' },
    { op: 'test', path: '/metadata/nope', value: null },
  ] },
];

const contentType: Record<string, PatchType> = { strategic: 'application/strategic-merge-patch+json', merge: 'application/merge-patch+json', json: 'application/json-patch+json' };

for (const cs of cases) {
  test(`kubectl patch --local agrees: ${cs.name}`, { skip }, async () => {
    const want = dropNulls(await kubectl.patchLocal(cs.obj, cs.patch, cs.type));
    assert.deepEqual(applyPatch(cs.obj as KubeObject, cs.patch, contentType[cs.type]), want);
  });
}

function kubectlPatchError(obj: Obj, patch: unknown, type: 'strategic' | 'json'): Promise<string> {
  return kubectl.patchLocal(obj, patch, type).then(
    () => assert.fail('kubectl accepted the patch'),
    (e: Error) => e.message,
  );
}

const failing: { name: string; obj: Obj; type: 'strategic' | 'json'; patch: unknown }[] = [
  { name: 'keyed item without its key', obj: deploy([a, b]), type: 'strategic', patch: tmpl({ containers: [{ image: 'x' }] }) },
  { name: 'unknown $patch directive', obj: deploy([a, b]), type: 'strategic', patch: tmpl({ containers: [{ name: 'a', $patch: 'explode' }] }) },
  { name: 'json test fails', obj: deploy([b]), type: 'json', patch: [{ op: 'test', path: '/spec/replicas', value: 9 }] },
  { name: 'json remove of a missing key', obj: deploy([b]), type: 'json', patch: [{ op: 'remove', path: '/spec/nope' }] },
  { name: 'json add under a missing parent', obj: deploy([b]), type: 'json', patch: [{ op: 'add', path: '/spec/nope/x', value: 1 }] },
  { name: 'json move from a missing key', obj: deploy([b]), type: 'json', patch: [{ op: 'move', from: '/spec/nope', path: '/spec/x' }] },
  { name: '$retainKeys missing a patched field', obj: deploy([b], {}, { strategy: { type: 'RollingUpdate' } }), type: 'strategic', patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: { maxSurge: 1 } } } } },
  { name: '$setElementOrder contradicting the patch', obj: deploy([a, b]), type: 'strategic', patch: tmpl({ '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'b', image: 'b:2' }, { name: 'a', image: 'a:2' }] }) },
  { name: 'json unknown op', obj: deploy([b]), type: 'json', patch: [{ op: 'frob', path: '/spec/x' }] },
  { name: 'json index out of range', obj: deploy([b]), type: 'json', patch: [{ op: 'add', path: '/spec/template/spec/containers/5', value: {} }] },
];

for (const cs of failing) {
  test(`kubectl patch --local fails alike: ${cs.name}`, { skip }, async () => {
    const want = await kubectlPatchError(cs.obj, cs.patch, cs.type);
    assert.throws(
      () => applyPatch(cs.obj as KubeObject, cs.patch, contentType[cs.type]),
      (e: Error) => {
        // The API server hides json-patch details behind its generic 422 text; they stay on `cause`.
        const detail = cs.type === 'json' ? (e.cause as Error).message : e.message;
        assert.equal(detail.trim(), want);
        return true;
      },
    );
  });
}
