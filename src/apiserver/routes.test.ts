import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/status.ts';
import { route } from './routes.ts';

test('paths resolve to resources, namespaces, names and subresources', () => {
  const cases: [string, unknown][] = [
    ['/api', { type: 'raw', path: '/api' }],
    ['/apis', { type: 'raw', path: '/apis' }],
    ['/version', { type: 'raw', path: '/version' }],
    ['/apis/apps', { type: 'group', group: 'apps' }],
    ['/api/v1', { type: 'groupVersion', group: '', version: 'v1' }],
    ['/apis/apps/v1', { type: 'groupVersion', group: 'apps', version: 'v1' }],
    ['/api/v1/pods', { plural: 'pods', namespace: undefined, name: undefined, sub: undefined, watchPath: false }],
    ['/api/v1/namespaces', { plural: 'namespaces', namespace: undefined, name: undefined, sub: undefined, watchPath: false }],
    ['/api/v1/namespaces/default', { plural: 'namespaces', namespace: undefined, name: 'default', sub: undefined, watchPath: false }],
    ['/api/v1/namespaces/default/status', { plural: 'namespaces', namespace: undefined, name: 'default', sub: 'status', watchPath: false }],
    ['/api/v1/namespaces/default/services', { plural: 'services', namespace: 'default', name: undefined, sub: undefined, watchPath: false }],
    ['/api/v1/namespaces/default/services/kubia', { plural: 'services', namespace: 'default', name: 'kubia', sub: undefined, watchPath: false }],
    ['/api/v1/namespaces/default/pods/p/log', { plural: 'pods', namespace: 'default', name: 'p', sub: 'log', watchPath: false }],
    ['/apis/apps/v1/namespaces/x/deployments/web/scale', { plural: 'deployments', namespace: 'x', name: 'web', sub: 'scale', watchPath: false }],
    ['/api/v1/watch/namespaces/default/pods/p', { plural: 'pods', namespace: 'default', name: 'p', sub: undefined, watchPath: true }],
    ['/api/v1/nodes/mk', { plural: 'nodes', namespace: undefined, name: 'mk', sub: undefined, watchPath: false }],
  ];
  for (const [path, want] of cases) {
    const got = route(path);
    const shape = got.type === 'resource' ? { plural: got.r.plural, namespace: got.namespace, name: got.name, sub: got.sub, watchPath: got.watchPath } : got;
    assert.deepEqual(shape, want, path);
  }
});

test('unknown paths are 404 the server could not find the requested resource', () => {
  for (const p of ['/api/v2', '/apis/foo', '/apis/apps/v2', '/api/v1/widgets', '/api/v1/pods/x', '/api/v1/namespaces/d/services/x/scale', '/api/v1/namespaces/d/services/x/y/z']) {
    assert.throws(() => route(p), (e: unknown) => e instanceof ApiError && e.code === 404 && e.message === 'the server could not find the requested resource', p);
  }
});

test('names and namespaces are read raw and refused as kube-apiserver does when they are not path segments', () => {
  const cases: [string, string][] = [
    ['/api/v1/namespaces/t/configmaps/..', `Name parameter invalid: "..": may not be '..'`],
    ['/api/v1/namespaces/t/configmaps/%2E%2e', `Name parameter invalid: "..": may not be '..'`],
    ['/api/v1/namespaces/t/configmaps/.', `Name parameter invalid: ".": may not be '.'`],
    ['/api/v1/namespaces/t/configmaps/a%2Fb%25/status', `Name parameter invalid: "a/b%": may not contain '/';may not contain '%'`],
    ['/api/v1/namespaces/..', `Name parameter invalid: "..": may not be '..'`],
    ['/api/v1/namespaces/%2e/finalize', `Name parameter invalid: ".": may not be '.'`],
    ['/api/v1/watch/namespaces/../configmaps', `Namespace parameter invalid: "..": may not be '..'`],
    ['/apis/apps/v1/namespaces/%25/deployments/web/scale', `Namespace parameter invalid: "%": may not contain '%'`],
    ['/api/v1/namespaces/t/configmaps/%G1', 'invalid URL escape "%G1"'],
  ];
  for (const [p, message] of cases) {
    assert.throws(() => route(p), (e: unknown) => e instanceof ApiError && e.code === 400 && e.reason === 'BadRequest' && e.message === message, p);
  }
});
