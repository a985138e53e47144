// Ingress conversion between the v1beta1 shape and networking.k8s.io/v1, as a table of objects
// and their other form, and the round trip back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ingressFromV1, ingressToV1 } from './ingress.ts';

const beta = (spec: object) => ({ apiVersion: 'networking.k8s.io/v1beta1', kind: 'Ingress', metadata: { name: 'i' }, spec });
const v1 = (spec: object) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec });

const cases: [name: string, old: object, stored: object][] = [
  ['a path without pathType is ImplementationSpecific; serviceName/servicePort number',
    beta({ rules: [{ host: 'kubia.example.com', http: { paths: [{ path: '/', backend: { serviceName: 'kubia', servicePort: 80 } }] } }] }),
    v1({ rules: [{ host: 'kubia.example.com', http: { paths: [{ path: '/', backend: { service: { name: 'kubia', port: { number: 80 } } }, pathType: 'ImplementationSpecific' }] } }] })],
  ['a named port, and a pathType kept',
    beta({ rules: [{ http: { paths: [{ path: '/a', pathType: 'Exact', backend: { serviceName: 'web', servicePort: 'http' } }] } }] }),
    v1({ rules: [{ http: { paths: [{ path: '/a', pathType: 'Exact', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }] })],
  ['backend ↔ defaultBackend; tls and class as they are',
    beta({ ingressClassName: 'nginx', backend: { serviceName: 'default-http-backend', servicePort: 80 }, tls: [{ hosts: ['a.com'], secretName: 's' }] }),
    v1({ ingressClassName: 'nginx', tls: [{ hosts: ['a.com'], secretName: 's' }], defaultBackend: { service: { name: 'default-http-backend', port: { number: 80 } } } })],
  ['a resource backend moves as it is',
    beta({ backend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } } }),
    v1({ defaultBackend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } } })],
];

for (const [name, old, stored] of cases) {
  test(`ingress conversion: ${name}`, () => {
    assert.deepEqual(ingressToV1(old), stored);
    const back = ingressFromV1(stored as never, 'networking.k8s.io/v1beta1') as any;
    const want = structuredClone(old) as any;
    for (const r of want.spec.rules ?? []) for (const p of r.http?.paths ?? []) p.pathType ??= 'ImplementationSpecific';
    assert.deepEqual(back, want);
  });
}

test('ingress conversion: a quoted number is a port name, as Go decodes an IntOrString', () => {
  assert.deepEqual((ingressToV1(beta({ backend: { serviceName: 'a', servicePort: '80' } })) as any).spec.defaultBackend, { service: { name: 'a', port: { name: '80' } } });
});
