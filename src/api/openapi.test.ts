// The OpenAPI documents: Kubernetes' definition names, GVK extensions, the fieldValidation
// PATCH parameter kubectl looks for, and every $ref resolving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RESOURCES } from './resources.ts';
import { openapiV2, openapiV3, openapiV3Paths } from './openapi.ts';

type Json = Record<string, any>;

function refs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) refs(x, out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) k === '$ref' ? out.push(x as string) : refs(x, out);
  return out;
}

test('v2: definitions of the served kinds carry their group-version-kind', () => {
  const doc = openapiV2() as Json;
  assert.equal(doc.swagger, '2.0');
  const cases: [string, object][] = [
    ['io.k8s.api.core.v1.Service', { group: '', kind: 'Service', version: 'v1' }],
    ['io.k8s.api.apps.v1.Deployment', { group: 'apps', kind: 'Deployment', version: 'v1' }],
    ['io.k8s.api.networking.v1.Ingress', { group: 'networking.k8s.io', kind: 'Ingress', version: 'v1' }],
    ['io.k8s.api.discovery.v1.EndpointSlice', { group: 'discovery.k8s.io', kind: 'EndpointSlice', version: 'v1' }],
  ];
  for (const [def, gvk] of cases) assert.deepEqual(doc.definitions[def]['x-kubernetes-group-version-kind'], [gvk], def);
  const kinds = Object.values(doc.definitions).filter((d: any) => d['x-kubernetes-group-version-kind']);
  assert.equal(kinds.length, RESOURCES.length);
});

test('v2: svc.spec.ports resolves to ServicePort with int-or-string targetPort', () => {
  const d = (openapiV2() as Json).definitions;
  assert.deepEqual(d['io.k8s.api.core.v1.Service'].properties.spec, { $ref: '#/definitions/io.k8s.api.core.v1.ServiceSpec' });
  assert.deepEqual(d['io.k8s.api.core.v1.ServiceSpec'].properties.ports, { type: 'array', items: { $ref: '#/definitions/io.k8s.api.core.v1.ServicePort' } });
  const port = d['io.k8s.api.core.v1.ServicePort'];
  assert.deepEqual(port.required, ['port']);
  assert.deepEqual(port.properties.port, { type: 'integer', format: 'int32' });
  assert.deepEqual(port.properties.targetPort, { $ref: '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString' });
  assert.deepEqual(d['io.k8s.api.core.v1.ServiceSpec'].properties.selector, { type: 'object', additionalProperties: { type: 'string' } });
});

test('v2: every $ref resolves', () => {
  const doc = openapiV2() as Json;
  for (const r of refs(doc)) assert.ok(doc.definitions[r.replace('#/definitions/', '')], r);
});

test('v2: each kind has a PATCH that accepts fieldValidation', () => {
  const doc = openapiV2() as Json;
  const op = doc.paths['/api/v1/namespaces/{namespace}/services/{name}'].patch;
  assert.deepEqual(op['x-kubernetes-group-version-kind'], { group: '', kind: 'Service', version: 'v1' });
  assert.equal(op.parameters[0].name, 'fieldValidation');
  assert.equal(op.parameters[0].in, 'query');
  assert.ok(doc.paths['/api/v1/nodes/{name}'].patch);
  assert.ok(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch);
  assert.equal(Object.keys(doc.paths).length, RESOURCES.filter((r) => !r.virtual).length);
});

test('v3: one document per group-version with its kinds and resolving refs', () => {
  assert.deepEqual(openapiV3Paths().sort(), [
    'api/v1', 'apis/apps/v1', 'apis/authentication.k8s.io/v1', 'apis/authorization.k8s.io/v1', 'apis/autoscaling/v1', 'apis/autoscaling/v2', 'apis/batch/v1',
    'apis/coordination.k8s.io/v1', 'apis/discovery.k8s.io/v1', 'apis/extensions/v1beta1', 'apis/networking.k8s.io/v1', 'apis/networking.k8s.io/v1beta1',
    'apis/storage.k8s.io/v1',
  ]);
  const apps = openapiV3('apis/apps/v1') as Json;
  assert.equal(apps.openapi, '3.0.0');
  assert.deepEqual(apps.components.schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  assert.ok(apps.components.schemas['io.k8s.api.core.v1.PodSpec']);
  assert.equal(apps.components.schemas['io.k8s.api.core.v1.Service'], undefined);
  for (const p of openapiV3Paths()) {
    const doc = openapiV3(p) as Json;
    for (const r of refs(doc)) assert.ok(doc.components.schemas[r.replace('#/components/schemas/', '')], `${p}: ${r}`);
  }
  assert.equal(openapiV3('apis/policy/v1'), undefined);
});
