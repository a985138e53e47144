// Strict decoding: what the API server reports for typos and wrong types, in Kubernetes' words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byKind } from '../resources.ts';
import type { ResourceType } from '../resources.ts';
import { decode, schemaFor, strictDecodingError } from './index.ts';
import { base64ErrorOffset, quantityError } from './decode.ts';
import { RESOURCES } from '../resources.ts';

const svc = byKind('v1', 'Service')!;
const deploy = byKind('apps/v1', 'Deployment')!;
const pod = byKind('v1', 'Pod')!;
const secret = byKind('v1', 'Secret')!;

const deployment = (spec: object, metadata: object = { name: 'web' }) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec });
const template = (containers: object[]) => ({ selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers } } });

const unknownCases: { name: string; r: ResourceType; obj: unknown; want: string[] }[] = [
  { name: 'typo at the top level', r: svc, obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, sepc: {} }, want: ['sepc'] },
  { name: 'typo in spec', r: svc, obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { selctor: {}, ports: [] } }, want: ['spec.selctor'] },
  { name: 'typo in a list item', r: svc, obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 1 }, { prot: 2 }] } }, want: ['spec.ports[1].prot'] },
  { name: 'typo in metadata', r: pod, obj: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', lables: {} }, spec: { containers: [] } }, want: ['metadata.lables'] },
  {
    name: 'typo in a container of a template',
    r: deploy,
    obj: deployment(template([{ name: 'a', imagee: 'nginx' }])),
    want: ['spec.template.spec.containers[0].imagee'],
  },
  {
    name: 'several, sorted as kubectl sends them',
    r: deploy,
    obj: deployment({ ...template([{ name: 'a' }]), template: { metadata: { volumes: [], containers: [] } } }),
    want: ['spec.template.metadata.containers', 'spec.template.metadata.volumes'],
  },
  {
    name: 'case matters',
    r: pod,
    obj: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, Spec: {} },
    want: ['Spec'],
  },
  {
    name: 'restartPolicy on a container is known (sidecars)',
    r: deploy,
    obj: deployment(template([{ name: 'a', image: 'x', restartPolicy: 'Always' }])),
    want: [],
  },
  {
    name: 'free-form managedFields.fieldsV1 is not checked',
    r: svc,
    obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', managedFields: [{ fieldsV1: { 'f:spec': { 'f:anything': {} } } }] } },
    want: [],
  },
  {
    name: 'deep pod fields',
    r: pod,
    obj: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'x' },
      spec: {
        containers: [{ name: 'a', image: 'b', livenessProbe: { httpGet: { port: 'http', path: '/', httpHeaders: [{ name: 'a', value: 'b' }] }, initialDelaySeconds: 1 } }],
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'In', values: ['v'] }] }] } } },
        volumes: [{ name: 'v', configMap: { name: 'c', items: [{ key: 'k', path: 'p', mdoe: 1 }] } }],
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
      },
    },
    want: ['spec.volumes[0].configMap.items[0].mdoe'],
  },
];

for (const c of unknownCases) {
  test(`unknown fields: ${c.name}`, () => {
    const res = decode(c.obj, c.r);
    assert.deepEqual(res.unknownFields, c.want);
    assert.deepEqual(res.typeErrors, []);
  });
}

const typeCases: { name: string; r: ResourceType; obj: unknown; want: string }[] = [
  {
    name: 'replicas as a string',
    r: deploy,
    obj: deployment({ ...template([{ name: 'a', image: 'b' }]), replicas: '3' }),
    want: 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
  },
  {
    name: 'env value as a number',
    r: deploy,
    obj: deployment(template([{ name: 'a', image: 'b', env: [{ name: 'PORT', value: 7070 }] }])),
    want: 'json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string',
  },
  {
    name: 'an unquoted `gpu: true` in a template nodeSelector',
    r: deploy,
    obj: deployment({ ...template([{ name: 'a', image: 'b' }]), template: { metadata: { labels: { app: 'web' } }, spec: { nodeSelector: { gpu: true }, containers: [] } } }),
    want: 'json: cannot unmarshal bool into Go struct field PodSpec.spec.template.spec.nodeSelector of type string',
  },
  {
    name: 'containers as an object',
    r: pod,
    obj: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers: { name: 'a' } } },
    want: 'json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container',
  },
  {
    name: 'spec as a string',
    r: svc,
    obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: 'x' },
    want: 'json: cannot unmarshal string into Go struct field Service.spec of type v1.ServiceSpec',
  },
  {
    name: 'label value as a bool',
    r: svc,
    obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', labels: { gpu: true } } },
    want: 'json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string',
  },
  {
    name: 'a fractional port',
    r: svc,
    obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 80.5 }] } },
    want: 'json: cannot unmarshal number 80.5 into Go struct field ServicePort.spec.ports.port of type int32',
  },
  {
    name: 'targetPort as a bool',
    r: svc,
    obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 80, targetPort: true }] } },
    want: 'json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32',
  },
  {
    name: 'a bad quantity',
    r: pod,
    obj: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [{ name: 'a', resources: { limits: { memory: '1 GB' } } }] } },
    want: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  },
  {
    name: 'secret data not base64',
    r: secret,
    obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, data: { password: 'abc$' } },
    want: 'illegal base64 data at input byte 3',
  },
];

for (const c of typeCases) {
  test(`type errors: ${c.name}`, () => {
    assert.equal(decode(c.obj, c.r).typeErrors[0], c.want);
  });
}

test('strictDecodingError: unknown fields as Kubernetes words them', () => {
  const err = strictDecodingError(svc, { unknownFields: ['spec.sepc'], typeErrors: [] });
  assert.equal(err?.code, 400);
  assert.equal(err?.reason, 'BadRequest');
  assert.equal(err?.message, 'Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.sepc"');
  assert.equal(
    strictDecodingError(deploy, { unknownFields: ['spec.a', 'spec.b'], typeErrors: [] })?.message,
    'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.a", unknown field "spec.b"',
  );
});

test('strictDecodingError: a type error wins and is reported even when not strict', () => {
  const res = { unknownFields: ['spec.x'], typeErrors: ['json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'] };
  assert.equal(
    strictDecodingError(deploy, res, { strict: false })?.message,
    'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
  );
  assert.equal(strictDecodingError(deploy, { unknownFields: ['spec.x'], typeErrors: [] }, { strict: false }), undefined);
  assert.equal(strictDecodingError(deploy, { unknownFields: [], typeErrors: [] }), undefined);
});

test('every served kind has a schema', () => {
  for (const r of RESOURCES) assert.equal(schemaFor(r).type, 'object', r.kind);
});

const base64Cases: [string, number][] = [
  ['aGVsbG8=', -1],
  ['aGVsbG8h', -1],
  ['aGk=', -1],
  ['aA==', -1],
  ['', -1],
  ['abc', 0],
  ['abcde', 4],
  ['ab$d', 2],
  ['a=bc', 1],
];
for (const [s, at] of base64Cases) {
  test(`base64 check: ${JSON.stringify(s)} → ${at}`, () => assert.equal(base64ErrorOffset(s), at));
}

const quantityCases: [unknown, boolean][] = [
  ['100m', true],
  ['1Gi', true],
  ['1e3', true],
  [2, true],
  ['0.5', true],
  ['1 GB', false],
  ['1GB', false],
  ['abc', false],
  [true, false],
];
for (const [q, ok] of quantityCases) {
  test(`quantity ${JSON.stringify(q)} ${ok ? 'parses' : 'is refused'}`, () => assert.equal(quantityError(q) === undefined, ok));
}
