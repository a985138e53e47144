import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, OwnerReference } from '../api/types.ts';
import { Store } from '../store/index.ts';
import { GarbageCollector } from './garbage-collector.ts';

const kinds: Record<string, [string, string, string]> = {
  Deployment: ['apps/v1', 'apps', 'deployments'],
  ReplicaSet: ['apps/v1', 'apps', 'replicasets'],
  Pod: ['v1', 'core', 'pods'],
  ConfigMap: ['v1', 'core', 'configmaps'],
};

const key = (kind: string, name: string) => `/${kinds[kind][1]}/${kinds[kind][2]}/default/${name}`;
const ref = (kind: string, name: string): OwnerReference => ({ apiVersion: kinds[kind][0], kind, name, uid: `uid-${name}` });

function put(store: Store, kind: string, name: string, owners: OwnerReference[] = []): void {
  const obj: KubeObject = { apiVersion: kinds[kind][0], kind, metadata: { name, namespace: 'default', uid: `uid-${name}` } };
  if (owners.length > 0) obj.metadata.ownerReferences = owners;
  store.create(key(kind, name), obj);
}

const names = (store: Store) => store.list('/').items.map((o) => `${o.kind}/${o.metadata.name}`).sort();

/** Deployment web -> ReplicaSet web-1 -> Pods web-1-a, web-1-b; plus a lone ConfigMap. */
function cluster(): Store {
  const s = Store.open(':memory:');
  put(s, 'Deployment', 'web');
  put(s, 'ReplicaSet', 'web-1', [ref('Deployment', 'web')]);
  put(s, 'Pod', 'web-1-a', [ref('ReplicaSet', 'web-1')]);
  put(s, 'Pod', 'web-1-b', [ref('ReplicaSet', 'web-1')]);
  put(s, 'ConfigMap', 'settings');
  return s;
}

test('owner deleted: dependents and grand-dependents go, unrelated objects stay', async () => {
  const s = cluster();
  const gc = new GarbageCollector(s, { onError: (e) => assert.fail(String(e)) });
  gc.start();
  s.delete(key('Deployment', 'web'));
  await gc.whenIdle();
  assert.deepEqual(names(s), ['ConfigMap/settings']);
  gc.stop();
  s.close();
});

test('a dependent with a second, living owner stays', async () => {
  const s = cluster();
  put(s, 'Pod', 'shared', [ref('ReplicaSet', 'web-1'), ref('ConfigMap', 'settings')]);
  const gc = new GarbageCollector(s);
  gc.start();
  s.delete(key('ReplicaSet', 'web-1'));
  await gc.whenIdle();
  assert.deepEqual(names(s), ['ConfigMap/settings', 'Deployment/web', 'Pod/shared']);
  // Once the last owner goes, so does the pod.
  s.delete(key('ConfigMap', 'settings'));
  await gc.whenIdle();
  assert.deepEqual(names(s), ['Deployment/web']);
  gc.stop();
  s.close();
});

test('dependentsOf follows creates, updates and deletes', async () => {
  const s = cluster();
  const gc = new GarbageCollector(s);
  gc.start();
  assert.deepEqual(gc.dependentsOf('uid-web-1'), [key('Pod', 'web-1-a'), key('Pod', 'web-1-b')]);
  assert.deepEqual(gc.dependentsOf('uid-web'), [key('ReplicaSet', 'web-1')]);
  assert.deepEqual(gc.dependentsOf('uid-settings'), []);
  put(s, 'Pod', 'web-1-c', [ref('ReplicaSet', 'web-1')]);
  // Orphaning: the pod loses its ownerReferences, then the owner is deleted; the pod stays.
  const a = s.get(key('Pod', 'web-1-a'))!;
  delete a.metadata.ownerReferences;
  s.update(key('Pod', 'web-1-a'), a);
  assert.deepEqual(gc.dependentsOf('uid-web-1'), [key('Pod', 'web-1-b'), key('Pod', 'web-1-c')]);
  s.delete(key('ReplicaSet', 'web-1'));
  await gc.whenIdle();
  assert.deepEqual(names(s), ['ConfigMap/settings', 'Deployment/web', 'Pod/web-1-a']);
  assert.deepEqual(gc.dependentsOf('uid-web-1'), []);
  gc.stop();
  s.close();
});

test('at start, dependents whose owners vanished while no collector ran are collected', async () => {
  const s = cluster();
  s.delete(key('Deployment', 'web'));
  const gc = new GarbageCollector(s);
  gc.start();
  await gc.whenIdle();
  assert.deepEqual(names(s), ['ConfigMap/settings']);
  gc.stop();
  s.close();
});

test('a custom deleteObject is used for every cascaded delete', async () => {
  const s = cluster();
  const deleted: string[] = [];
  const gc = new GarbageCollector(s, {
    deleteObject: (k, obj) => {
      deleted.push(k);
      s.delete(k, Number(obj.metadata.resourceVersion));
    },
  });
  gc.start();
  s.delete(key('Deployment', 'web'));
  await gc.whenIdle();
  assert.deepEqual(deleted, [key('ReplicaSet', 'web-1'), key('Pod', 'web-1-a'), key('Pod', 'web-1-b')], 'owner first, then its dependents');
  gc.stop();
  s.close();
});

test('after stop() nothing is collected', async () => {
  const s = cluster();
  const gc = new GarbageCollector(s);
  gc.start();
  gc.stop();
  s.delete(key('Deployment', 'web'));
  await new Promise((r) => setImmediate(r));
  await gc.whenIdle();
  assert.deepEqual(names(s), ['ConfigMap/settings', 'Pod/web-1-a', 'Pod/web-1-b', 'ReplicaSet/web-1']);
  s.close();
});
