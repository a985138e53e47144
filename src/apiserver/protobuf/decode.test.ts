import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/status.ts';
import { decodeProtobuf } from './decode.ts';

// A tiny encoder for the tests: [field, value] pairs; strings/Buffers/arrays are length-delimited, numbers are varints.
type Msg = [number, string | number | Buffer | Msg][];
function varint(n: number): Buffer {
  const out: number[] = [];
  let v = BigInt.asUintN(64, BigInt(n));
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Buffer.from(out);
}
function enc(m: Msg): Buffer {
  return Buffer.concat(
    m.map(([field, v]) => {
      if (typeof v === 'number') return Buffer.concat([varint(field << 3), varint(v)]);
      const body = typeof v === 'string' ? Buffer.from(v) : Buffer.isBuffer(v) ? v : enc(v);
      return Buffer.concat([varint((field << 3) | 2), varint(body.length), body]);
    }),
  );
}
const envelope = (apiVersion: string, kind: string, raw: Msg) => Buffer.concat([Buffer.from('k8s\0', 'binary'), enc([[1, [[1, apiVersion], [2, kind]]], [2, enc(raw)], [3, ''], [4, '']])]);

test('a Deployment as kubectl 1.33 encodes it decodes to its JSON form', () => {
  const meta: Msg = [[1, 'web'], [2, ''], [7, 0], [8, []], [11, [[1, 'app'], [2, 'web']]]];
  const container: Msg = [[1, 'web'], [2, 'nginx'], [3, 'sh'], [3, '-c'], [6, [[1, ''], [3, 8080]]], [8, []], [16, 0], [13, '']];
  const body = envelope('apps/v1', 'Deployment', [
    [1, meta],
    [2, [[1, 0], [2, [[1, [[1, 'app'], [2, 'web']]]]], [3, [[1, [[11, [[1, 'app'], [2, 'web']]]]], [2, [[2, container], [3, ''], [11, 0]]]]], [4, [[2, [[1, [[1, 1], [3, '25%']]], [2, [[2, 1]]]]]]]]],
    [3, [[1, 0], [2, 0]]],
  ]);
  assert.deepEqual(decodeProtobuf(body), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', command: ['sh', '-c'], ports: [{ containerPort: 8080 }], resources: {} }] } },
      strategy: { rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } },
    },
    status: {},
  });
});

test('unknown fields with a value, unknown kinds and bad framing are refused with 415', () => {
  const cases: [Buffer, RegExp][] = [
    [envelope('v1', 'ConfigMap', [[1, [[1, 'x']]], [99, 'surprise']]), /field 99 of ConfigMap/],
    [envelope('v1', 'Pod', [[1, [[1, 'x']]]]), /not Pod/],
    [Buffer.from('{"kind":"x"}'), /k8s\\0/],
    [Buffer.concat([Buffer.from('k8s\0', 'binary'), Buffer.from([0x0a, 0x50])]), /truncated/],
  ];
  for (const [buf, re] of cases) {
    assert.throws(() => decodeProtobuf(buf), (e: unknown) => e instanceof ApiError && e.code === 415 && re.test(e.message));
  }
  // an unknown field carrying only its zero value is what Go's marshaller always writes: ignored
  assert.deepEqual(decodeProtobuf(envelope('v1', 'ConfigMap', [[1, [[1, 'x'], [15, '']]], [99, 0]])), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
});
