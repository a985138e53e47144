import { test } from 'node:test';
import assert from 'node:assert/strict';
import { qualifiedSingular, R, resolveResource } from './resources.ts';

test('resolveResource finds kinds by every name kubectl accepts', () => {
  const cases: [string, string | undefined][] = [
    ['svc', 'Service'], ['services', 'Service'], ['service', 'Service'], ['Service', 'Service'],
    ['po', 'Pod'], ['deploy', 'Deployment'], ['deployments.apps', 'Deployment'], ['rs', 'ReplicaSet'],
    ['ep', 'Endpoints'], ['endpoints', 'Endpoints'], ['ing', 'Ingress'], ['no', 'Node'], ['ns', 'Namespace'],
    ['cm', 'ConfigMap'], ['ev', 'Event'], ['endpointslices', 'EndpointSlice'], ['ingressclass', 'IngressClass'],
    ['sevrice', undefined], ['deployments.extensions', undefined],
  ];
  for (const [name, kind] of cases) assert.equal(resolveResource(name)?.kind, kind, name);
});

test('qualifiedSingular names objects as kubectl messages do', () => {
  assert.equal(qualifiedSingular(R.services), 'service');
  assert.equal(qualifiedSingular(R.deployments), 'deployment.apps');
  assert.equal(qualifiedSingular(R.ingresses), 'ingress.networking.k8s.io');
});
