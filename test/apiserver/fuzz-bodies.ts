// The fuzzer's generator: deterministic (seeded) malformed request bodies for every served kind
// and every write verb. Starts from one valid object per kind and breaks it: a null at every
// position, wrong types, huge strings, deep nesting, odd keys, unknown fields, broken JSON and
// YAML text, garbage protobuf, and patch documents (merge, strategic, JSON patch, apply) made
// of the same. Pure: no I/O; the test sends what this returns.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface FuzzKind {
  plural: string;
  /** Path of the collection, e.g. /api/v1/namespaces/fz/pods. */
  collection: string;
  subresources: string[];
  seed: (name: string) => { [k: string]: Json };
}

export interface FuzzRequest {
  method: 'POST' | 'PUT' | 'PATCH';
  path: string;
  contentType: string;
  /** The body as sent (text or bytes). */
  body: string | Buffer;
  what: string;
}

const NS = 'fz';
const core = (plural: string) => `/api/v1/namespaces/${NS}/${plural}`;
const labels = { app: 'fz', tier: 'web' };
const container = { name: 'c', image: 'busybox:1', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: 'b' }], resources: { limits: { cpu: '100m' } } };
const podSpec = { containers: [container], volumes: [{ name: 'v', emptyDir: {} }] };
const podStatus = {
  phase: 'Running',
  podIP: '10.244.1.5',
  hostIP: '10.0.0.9',
  startTime: '2024-01-01T00:00:00Z',
  conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }],
  containerStatuses: [{ name: 'c', ready: true, restartCount: 1, image: 'busybox:1', imageID: '', started: true, state: { running: { startedAt: '2024-01-01T00:00:00Z' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }],
};
const workloadStatus = { replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1, observedGeneration: 1, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }] };

export const KINDS: FuzzKind[] = [
  { plural: 'namespaces', collection: '/api/v1/namespaces', subresources: ['status'], seed: (name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels }, status: { phase: 'Active', conditions: [{ type: 'NamespaceDeletionDiscoveryFailure', status: 'False' }] } }) },
  {
    plural: 'nodes',
    collection: '/api/v1/nodes',
    subresources: ['status'],
    seed: (name) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { podCIDR: '10.244.9.0/24', taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.9' }], capacity: { cpu: '2', pods: '10' }, conditions: [{ type: 'Ready', status: 'True' }] } }),
  },
  { plural: 'pods', collection: core('pods'), subresources: ['status'], seed: (name) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: podSpec, status: podStatus }) },
  {
    plural: 'services',
    collection: core('services'),
    subresources: ['status'],
    seed: (name) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, labels }, spec: { type: 'NodePort', selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] }, status: { loadBalancer: { ingress: [{ ip: '10.0.0.1', ports: [{ port: 80, protocol: 'TCP' }] }] } } }),
  },
  {
    plural: 'endpoints',
    collection: core('endpoints'),
    subresources: [],
    seed: (name) => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, labels }, subsets: [{ addresses: [{ ip: '10.244.1.5', targetRef: { kind: 'Pod', name: 'p', namespace: NS } }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }] }),
  },
  { plural: 'configmaps', collection: core('configmaps'), subresources: [], seed: (name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels, annotations: { a: 'b' } }, data: { k: 'v' } }) },
  { plural: 'secrets', collection: core('secrets'), subresources: [], seed: (name) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, labels }, type: 'Opaque', data: { k: 'dg==' }, stringData: { s: 'x' } }) },
  {
    plural: 'events',
    collection: core('events'),
    subresources: [],
    seed: (name) => ({ apiVersion: 'v1', kind: 'Event', metadata: { name }, involvedObject: { kind: 'Pod', name: 'p', namespace: NS }, reason: 'Started', message: 'm', type: 'Normal', count: 1, firstTimestamp: '2024-01-01T00:00:00Z', source: { component: 'kubelet' } }),
  },
  {
    plural: 'deployments',
    collection: `/apis/apps/v1/namespaces/${NS}/deployments`,
    subresources: ['status', 'scale'],
    seed: (name) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels }, spec: { replicas: 0, selector: { matchLabels: labels, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } }, template: { metadata: { labels }, spec: podSpec } }, status: workloadStatus }),
  },
  {
    plural: 'replicasets',
    collection: `/apis/apps/v1/namespaces/${NS}/replicasets`,
    subresources: ['status', 'scale'],
    seed: (name) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, labels }, spec: { replicas: 0, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } }, status: workloadStatus }),
  },
  {
    plural: 'ingresses',
    collection: `/apis/networking.k8s.io/v1/namespaces/${NS}/ingresses`,
    subresources: ['status'],
    seed: (name) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, labels }, spec: { ingressClassName: 'nginx', tls: [{ hosts: ['a.example'], secretName: 's' }], rules: [{ host: 'a.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'svc', port: { number: 80 } } } }] } }] }, status: { loadBalancer: { ingress: [{ ip: '10.0.0.1', hostname: 'h' }] } } }),
  },
  {
    plural: 'ingressclasses',
    collection: '/apis/networking.k8s.io/v1/ingressclasses',
    subresources: [],
    seed: (name) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name, labels }, spec: { controller: 'k8s.io/ingress-nginx' } }),
  },
  {
    plural: 'endpointslices',
    collection: `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`,
    subresources: [],
    seed: (name) => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name, labels: { 'kubernetes.io/service-name': 'svc' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'p', namespace: NS } }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }),
  },
];

export const NAMESPACE = NS;

/** mulberry32: a small seeded PRNG, so every run sends the same bodies. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

type Path = (string | number)[];

/** Every position (object member or list element) in a value, outermost first. */
export function positions(v: Json, at: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push([...at, i], ...positions(x, [...at, i])));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push([...at, k], ...positions(x, [...at, k]));
  return out;
}

/** A copy with `value` at path; unchanged when an earlier change removed the path. */
function setAt(root: Json, path: Path, value: Json): Json {
  const copy = structuredClone(root);
  let cur: any = copy;
  for (const p of path.slice(0, -1)) {
    cur = cur?.[p];
    if (cur === null || typeof cur !== 'object') return copy;
  }
  cur[path[path.length - 1]!] = value;
  return copy;
}

/** Nested `depth` levels deep, as text (never built as a value: too deep for JSON.stringify). */
export function deepText(depth: number, kind: 'array' | 'object', leaf = '1'): string {
  return kind === 'array' ? '['.repeat(depth) + leaf + ']'.repeat(depth) : '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
}

const DEPTHS = [50, 1000, 3000, 9999, 10001, 50000];
const ODD_KEYS = ['__proto__', 'constructor', 'prototype', '', ' ', '😀', '$patch', '$retainKeys', '$setElementOrder/containers', 'a/b', '..', '\u0000', 'é', 'x'.repeat(300)];

/** A value that does not belong where it is put. */
export function junk(rng: Rng): Json {
  switch (rng.int(16)) {
    case 0: return null;
    case 1: return rng.pick([0, -1, 1.5, 2 ** 31, -(2 ** 63), 2 ** 53 + 1, 1e308]);
    case 2: return rng.pick(['', ' ', 'x', '-1', '1e3', 'null', '😀', '\u0000', '0x1F', 'a'.repeat(70)]);
    case 3: return rng.pick([true, false]);
    case 4: return [];
    case 5: return {};
    case 6: return [null];
    case 7: return { x: null };
    case 8: return 'x'.repeat(rng.pick([1000, 100_000, 1_000_000]));
    case 9: return [rng.pick([null, 1, 'x', [], {}]), null, { [rng.pick(ODD_KEYS)]: null }];
    case 10: return { [rng.pick(ODD_KEYS)]: rng.pick([null, 1, 'x', {}, []]) };
    case 11: return Array.from({ length: rng.pick([2, 50, 5000]) }, () => rng.pick([null, 0, '', {}]));
    case 12: return { name: null, port: 'http', value: [], key: {}, operator: 7 };
    case 13: return [{ name: '', port: -1 }, { name: '', port: -1 }];
    case 14: return { [String(rng.int(1000))]: { [String(rng.int(1000))]: [null, { '': null }] } };
    default: return rng.pick(['0', '9999999999999999999999', '-0', '1.0', 'NaN']);
  }
}

/** A value of the same JSON type as `current` that is still wrong: empty, huge, negative, duplicated. */
export function typedJunk(rng: Rng, current: Json): Json {
  if (typeof current === 'string') return rng.pick(['', ' ', '-', '*', '..', 'a/b', 'None', '0', '-1', 'UPPER', 'ünï', 'x'.repeat(rng.pick([64, 254, 70_000]))]);
  if (typeof current === 'number') return rng.pick([-1, 0, 1.5, 65536, 2147483647, -2147483648, 2147483648, 9007199254740991]);
  if (typeof current === 'boolean') return !current;
  if (Array.isArray(current)) return rng.pick<Json>([[], [{}], [''], [...current, ...current], Array.from({ length: 2000 }, () => current[0] ?? '')]);
  if (current !== null && typeof current === 'object') return rng.pick<Json>([{}, { '': '' }, { x: '' }, Object.fromEntries(Object.keys(current).map((k) => [k, '']))]);
  return junk(rng);
}

/** The seed with a deep value (as text) at a position: `{"spec":{"x":[[[...]]]}}`. */
function withDeepText(obj: Json, path: Path, depth: number, kind: 'array' | 'object'): string {
  const marker = '"__DEEP__"';
  return JSON.stringify(setAt(obj, path, '__DEEP__')).replace(marker, deepText(depth, kind));
}

/** Bodies for a whole object (create, update, apply): one malformed variant of the seed. */
export function brokenObject(rng: Rng, seed: Json): string {
  const ps = positions(seed).filter((p) => p[0] !== 'apiVersion' && p[0] !== 'kind');
  const p = rng.pick(ps);
  switch (rng.int(10)) {
    case 0:
      return withDeepText(seed, p, rng.pick(DEPTHS), rng.pick(['array', 'object'] as const));
    case 1: {
      // several junk values at once
      let v = seed;
      for (let i = 0; i < 3; i++) v = setAt(v, rng.pick(ps), junk(rng));
      return JSON.stringify(v);
    }
    case 2: {
      // an unknown (or odd) key with junk next to a known one
      const parent = p.slice(0, -1);
      let target: any = seed;
      for (const q of parent) target = target[q];
      if (target === null || typeof target !== 'object' || Array.isArray(target)) return JSON.stringify(setAt(seed, p, junk(rng)));
      return JSON.stringify(setAt(seed, parent, { ...target, [rng.pick(ODD_KEYS)]: junk(rng) }));
    }
    case 3:
      return rng.pick(['', 'null', '1', '"x"', '[]', '[null]', '{', '{"kind":', '{}}', '\u0000', JSON.stringify(seed).slice(0, rng.int(60))]);
    case 4:
    case 5:
    case 6: {
      let v = seed;
      for (let i = 0, n = 1 + rng.int(3); i < n; i++) {
        const q = rng.pick(ps);
        let at: any = v;
        for (const k of q) at = at?.[k];
        v = setAt(v, q, typedJunk(rng, at ?? null));
      }
      return JSON.stringify(v);
    }
    default:
      return JSON.stringify(setAt(seed, p, junk(rng)));
  }
}

/** Every position of the seed set to null, and every list given a null element: the exhaustive part. */
export function nullEverywhere(seed: Json): string[] {
  const out: string[] = [];
  for (const p of positions(seed)) {
    if (p[0] === 'apiVersion' || p[0] === 'kind') continue;
    out.push(JSON.stringify(setAt(seed, p, null)));
    let at: any = seed;
    for (const q of p) at = at[q];
    if (Array.isArray(at)) out.push(JSON.stringify(setAt(seed, p, [...at, null])));
    if (at !== null && typeof at === 'object' && !Array.isArray(at)) out.push(JSON.stringify(setAt(seed, p, { ...at, x: null })));
  }
  return out;
}

const OPS = ['add', 'replace', 'remove', 'test', 'move', 'copy', 'nope', ''];

/** A JSON patch document (RFC 6902) with odd operations, paths and values. */
export function brokenJsonPatch(rng: Rng, seed: Json): string {
  const ps = positions(seed);
  const ops: Json[] = [];
  for (let i = 0, n = 1 + rng.int(3); i < n; i++) {
    const path = rng.int(5) === 0 ? rng.pick(['', '/', '/metadata', '/spec/x/y/z', '/~2', '/a~', '/spec/containers/-', '/spec/containers/99', '/metadata/name']) : '/' + rng.pick(ps).join('/');
    const op: { [k: string]: Json } = { op: rng.pick(OPS), path };
    if (rng.int(4) > 0) op.value = junk(rng);
    if (rng.int(3) === 0) op.from = rng.pick(['', '/metadata', '/' + rng.pick(ps).join('/'), '/nope']);
    ops.push(rng.int(8) === 0 ? junk(rng) : op);
  }
  if (rng.int(10) === 0) return rng.pick(['{}', 'null', '[[]]', '"x"', '[{"op":"add"}]', '[{"path":"/a"}]']);
  if (rng.int(10) === 0) return `[{"op":"add","path":"/metadata/annotations/x","value":${deepText(rng.pick(DEPTHS), 'object', '"v"')}}]`;
  return JSON.stringify(ops);
}

/** A merge or strategic merge patch: part of the seed, broken, with directives now and then. */
export function brokenMergePatch(rng: Rng, seed: Json, strategic: boolean): string {
  const roll = rng.int(8);
  if (roll === 0) return rng.pick(['null', '[]', '1', '"x"', '{"metadata":null}', '{"spec":null}', '{"metadata":{"name":null}}']);
  if (roll === 1) return `{"metadata":{"annotations":${deepText(rng.pick(DEPTHS), 'object', '"v"')}}}`;
  if (roll === 2) return `{"spec":${deepText(rng.pick(DEPTHS), rng.pick(['array', 'object'] as const))}}`;
  let patch: Json = brokenObjectValue(rng, seed);
  if (strategic && rng.int(3) === 0) {
    const directive = rng.pick<Json>([{ $patch: rng.pick(['delete', 'replace', 'merge', 'nope', null]) }, { '$setElementOrder/containers': junk(rng) }, { $retainKeys: junk(rng) }, { '$deleteFromPrimitiveList/finalizers': junk(rng) }]);
    patch = { ...(patch as object), spec: { ...(((patch as any).spec as object) ?? {}), ...(directive as object) } };
  }
  return JSON.stringify(patch);
}

function brokenObjectValue(rng: Rng, seed: Json): Json {
  const ps = positions(seed).filter((p) => p[0] !== 'apiVersion' && p[0] !== 'kind');
  let v = seed;
  for (let i = 0, n = 1 + rng.int(3); i < n; i++) v = setAt(v, rng.pick(ps), junk(rng));
  return v;
}

/** Text that is not what its content type says (or is, but holds junk). */
export function brokenText(rng: Rng, seed: Json): { contentType: string; body: string | Buffer } {
  switch (rng.int(6)) {
    case 0: return { contentType: 'application/yaml', body: rng.pick(['a: [', ':', '- - -', '&a [*a]', '*x', 'a: &a {b: *a}', `${'- '.repeat(300)}x`, `${'['.repeat(5000)}`, 'kind: 1\nmetadata: [1]']) };
    case 1: return { contentType: 'application/yaml', body: JSON.stringify(brokenObjectValue(rng, seed)) };
    case 2: return { contentType: 'application/vnd.kubernetes.protobuf', body: Buffer.from([0x6b, 0x38, 0x73, 0x00, ...Array.from({ length: rng.int(64) }, () => rng.int(256))]) };
    case 3: return { contentType: 'application/vnd.kubernetes.protobuf', body: Buffer.from(Array.from({ length: rng.int(64) }, () => rng.int(256))) };
    case 4: return { contentType: 'text/plain', body: rng.pick(['', 'x', '{"a":1}']) };
    default: return { contentType: 'application/json', body: rng.pick(['{"a":1,"a":2}', '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"}}', '\uFEFF{}', '{"metadata":{"name":"x"}}garbage', '1e400', '{"spec":{"replicas":1e400}}']) };
  }
}
