import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../api/resources.ts';
import { ApiError } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';
import { matches, parseSelector } from './selectors.ts';

const pods = R.pods;
const svcs = R.services;
const deploys = R.deployments;
const pod = (name: string, labels: Record<string, string>, phase = 'Running', node = 'mk'): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec: { nodeName: node }, status: { phase },
});
const objs = [pod('a', { app: 'kubia', tier: 'web' }), pod('b', { app: 'kubia' }, 'Pending'), pod('c', { app: 'db', canary: 'true' }, 'Running', 'm02')];

test('label and field selectors pick the objects Kubernetes would', () => {
  const cases: [string, string, string[]][] = [
    ['app=kubia', '', ['a', 'b']],
    ['app==kubia', '', ['a', 'b']],
    ['app!=kubia', '', ['c']],
    ['app in (db, other)', '', ['c']],
    ['app notin (db)', '', ['a', 'b']],
    ['tier', '', ['a']],
    ['!tier', '', ['b', 'c']],
    ['app=kubia,!tier', '', ['b']],
    ['', 'status.phase=Running', ['a', 'c']],
    ['', 'status.phase!=Running', ['b']],
    ['', 'spec.nodeName=m02', ['c']],
    ['', 'metadata.name=b', ['b']],
    ['app=kubia', 'metadata.namespace=default,status.phase==Running', ['a']],
  ];
  for (const [l, f, want] of cases) {
    const q = new URLSearchParams();
    if (l) q.set('labelSelector', l);
    if (f) q.set('fieldSelector', f);
    const sel = parseSelector(q, pods);
    assert.deepEqual(objs.filter((o) => matches(sel, o)).map((o) => o.metadata.name), want, `${l} | ${f}`);
  }
});

test('unsupported field labels are refused with Kubernetes wording', () => {
  const cases: [typeof pods, string, string][] = [
    [svcs, 'spec.type=NodePort', 'field label not supported: spec.type'],
    [deploys, 'status.phase=x', 'field label not supported: status.phase'],
  ];
  for (const [r, f, msg] of cases) {
    assert.throws(() => parseSelector(new URLSearchParams({ fieldSelector: f }), r), (e: unknown) => e instanceof ApiError && e.code === 400 && e.message === msg);
  }
  assert.throws(() => parseSelector(new URLSearchParams({ labelSelector: 'a in b' }), pods), (e: unknown) => e instanceof ApiError && e.code === 400);
});
