// Old Ingress manifests with real kubectl 1.27–1.33 against the in-process API server: seed
// 002's networking.k8s.io/v1beta1 manifests and an extensions/v1beta1 one are created, applied,
// read and deleted verbatim, stored as networking.k8s.io/v1, with kube-apiserver's deprecation
// warning printed by kubectl; DefaultIngressClass admission fills the class; `get ingress` and
// `describe ingress` print the same from kubectl and mk.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startFixture, type Fixture } from '../cli-service/harness.ts';
import { bufferOutput } from '../../src/lib/output.ts';
import { get } from '../../src/cli/get.ts';
import { describeCmd } from '../../src/cli/describe.ts';
import { formatError } from '../../src/cli/errors.ts';
import { applyFiles } from '../../src/cli/apply.ts';
import { KubeClient, parseWarnings } from '../../src/client/index.ts';

const SEEDS = join(import.meta.dirname, '..', 'fixtures', 'seeds');
const ONE_HOST = join(SEEDS, '002-ingress-v1beta1.yaml');
const HOSTS = join(SEEDS, '002-ingress-v1beta1-hosts.yaml');
const WARN_NETWORKING = 'Warning: networking.k8s.io/v1beta1 Ingress is deprecated in v1.19+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress\n';
const WARN_EXTENSIONS = 'Warning: extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress\n';

let f: Fixture;
before(async () => { f = await startFixture(); });
after(async () => f?.close());

const mk = async (fn: (o: ReturnType<typeof bufferOutput>) => Promise<void>) => {
  const out = bufferOutput();
  try { await fn(out); } catch (e) { out.err(formatError(e) + '\n'); }
  return out;
};
const ageless = (t: string) => t.replace(/ (\d+[smhdy])+( |$)/gm, ' <age>$2');

test('seed 002: v1beta1 manifests created, applied, read and deleted verbatim with kubectl 1.27–1.33, with the deprecation warning', async () => {
  for (const minor of [27, 28, 29, 30, 31, 32, 33]) {
    const ns = `seed-${minor}`;
    const k = (args: string[]) => f.kubectl([...args, '-n', ns], { minor });
    assert.equal((await f.kubectl(['create', 'namespace', ns], { minor })).code, 0);
    let r = await k(['create', '-f', ONE_HOST]);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'ingress.networking.k8s.io/kubia created\n', WARN_NETWORKING], `kubectl 1.${minor} create`);
    r = await k(['get', 'ingress']);
    assert.equal(ageless(r.stdout), 'NAME    CLASS    HOSTS               ADDRESS   PORTS   AGE\nkubia   <none>   kubia.example.com             80      <age>\n', `1.${minor} get`);
    assert.equal(r.stderr, '', 'reading through networking.k8s.io/v1: no warning, no short-name ambiguity');
    r = await k(['apply', '-f', HOSTS]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ingress.networking.k8s.io/kubia configured\n');
    assert.ok(r.stderr.startsWith(WARN_NETWORKING), r.stderr);
    // as on kube-apiserver 1.19–1.21: the paths come back with pathType defaulted, and the
    // atomic rules list then differs from the file, so kubectl patches it again
    r = await k(['apply', '-f', HOSTS]);
    assert.deepEqual([r.stdout, r.stderr], ['ingress.networking.k8s.io/kubia configured\n', WARN_NETWORKING], `1.${minor} apply again`);
    r = await k(['get', 'ing']);
    assert.equal(ageless(r.stdout), 'NAME    CLASS    HOSTS                               ADDRESS   PORTS   AGE\nkubia   <none>   kubia.example.com,bar.example.com             80      <age>\n');
    // stored as v1: the v1beta1 fields converted, pathType defaulted
    const stored = (await f.cluster.get(`/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/kubia`)).json;
    assert.deepEqual(stored.spec.rules[0].http.paths[2], { path: '/foo', pathType: 'ImplementationSpecific', backend: { service: { name: 'bar', port: { number: 80 } } } });
    // and read back in the version asked
    r = await k(['get', 'ingresses.v1beta1.networking.k8s.io', 'kubia', '-o', 'jsonpath={.apiVersion} {.spec.rules[1].http.paths[0].backend.serviceName}:{.spec.rules[1].http.paths[0].backend.servicePort}']);
    assert.deepEqual([r.stdout, r.stderr], ['networking.k8s.io/v1beta1 bar:80', WARN_NETWORKING]);
    r = await k(['delete', '-f', HOSTS]);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'ingress.networking.k8s.io "kubia" deleted\n', WARN_NETWORKING], `1.${minor} delete`);
  }
});

test('mk create/apply/get of the v1beta1 manifests: the same lines, and the warning through the client', async () => {
  const warnings: string[] = [];
  const client = new KubeClient(f.conn, 'mk-seed');
  client.onWarning = (w) => warnings.push(w);
  try {
    assert.equal((await f.kubectl(['create', 'namespace', 'mk-seed'])).code, 0);
    let out = await mk((o) => applyFiles(client, { filename: [ONE_HOST], recursive: false }, 'create', o));
    assert.deepEqual([out.stdout, out.stderr], ['ingress.networking.k8s.io/kubia created\n', '']);
    out = await mk((o) => applyFiles(client, { filename: [HOSTS], recursive: false }, 'apply', o));
    assert.equal(out.stdout, 'ingress.networking.k8s.io/kubia configured\n');
    out = await mk((o) => get(client, ['ingress'], {}, o));
    assert.equal(ageless(out.stdout), 'NAME    CLASS    HOSTS                               ADDRESS   PORTS   AGE\nkubia   <none>   kubia.example.com,bar.example.com             80      <age>\n');
    assert.ok(warnings.length > 0 && warnings.every((w) => w === WARN_NETWORKING.slice('Warning: '.length, -1)), JSON.stringify(warnings));
  } finally {
    client.close();
  }
  assert.deepEqual(parseWarnings(['299 - "a \\"quoted\\" text"', '299 - "one", 299 - "two"']), ['a "quoted" text', 'one', 'two']);
});

test('extensions/v1beta1: backend ↔ defaultBackend, named ports, errors in its own group', async () => {
  const doc = `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: old
spec:
  backend:
    serviceName: web
    servicePort: http
  rules:
  - host: old.example.com
    http:
      paths:
      - path: /api
        pathType: Prefix
        backend:
          serviceName: api
          servicePort: 8080
`;
  for (const minor of [27, 33]) {
    let r = await f.kubectl(['apply', '-f', '-'], { minor, input: doc });
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'ingress.extensions/old created\n', WARN_EXTENSIONS]);
    r = await f.kubectl(['apply', '-f', '-'], { minor, input: doc });
    assert.deepEqual([r.stdout, r.stderr], ['ingress.extensions/old unchanged\n', WARN_EXTENSIONS]);
    r = await f.kubectl(['get', 'ingress', 'old', '-o', 'jsonpath={.apiVersion} {.spec.defaultBackend.service.port.name} {.spec.rules[0].http.paths[0].backend.service.port.number}'], { minor });
    assert.equal(r.stdout, 'networking.k8s.io/v1 http 8080');
    r = await f.kubectl(['get', 'ingresses.extensions', 'old', '-o', 'jsonpath={.apiVersion} {.spec.backend.serviceName}:{.spec.backend.servicePort}'], { minor });
    assert.deepEqual([r.stdout, r.stderr], ['extensions/v1beta1 web:http', WARN_EXTENSIONS]);
    r = await f.kubectl(['get', 'ingresses.extensions', 'nope'], { minor });
    assert.deepEqual([r.code, r.stderr], [1, WARN_EXTENSIONS + 'Error from server (NotFound): ingresses.extensions "nope" not found\n']);
    r = await f.kubectl(['delete', '-f', '-'], { minor, input: doc });
    assert.deepEqual([r.stdout, r.stderr], ['ingress.extensions "old" deleted\n', WARN_EXTENSIONS]);
  }
  // unknown fields are named as the old version has them
  const r = await f.kubectl(['apply', '-f', '-'], { input: doc.replace('    serviceName: web\n', '    serviceName: web\n    sevicePort: 80\n') });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Ingress in version "v1beta1" cannot be handled as a Ingress: strict decoding error: unknown field "spec.backend.sevicePort"/);
});

test('DefaultIngressClass admission: a class-less Ingress gets the default class on create', async () => {
  const ic = await f.kubectl(['apply', '-f', '-'], { input: `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: k8s.io/ingress-nginx
` });
  assert.equal(ic.code, 0, ic.stderr);
  const r = await f.kubectl(['create', '-f', ONE_HOST, '-n', 'default']);
  assert.equal(r.code, 0, r.stderr);
  const got = await f.kubectl(['get', 'ingress', 'kubia', '-o', 'jsonpath={.spec.ingressClassName}']);
  assert.equal(got.stdout, 'nginx');
  // an explicit class, or the old annotation, is left alone
  const other = await f.kubectl(['create', 'ingress', 'explicit', '--class=other', '--rule=x.example.com/*=web:80']);
  assert.equal(other.code, 0, other.stderr);
  assert.equal((await f.kubectl(['get', 'ingress', 'explicit', '-o', 'jsonpath={.spec.ingressClassName}'])).stdout, 'other');
  const annotated = await f.kubectl(['create', '-f', '-'], { input: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: annotated
  annotations:
    kubernetes.io/ingress.class: traefik
spec:
  defaultBackend:
    service: {name: web, port: {number: 80}}
` });
  assert.equal(annotated.code, 0, annotated.stderr);
  assert.equal((await f.kubectl(['get', 'ingress', 'annotated', '-o', 'jsonpath={.spec.ingressClassName}'])).stdout, '');
  for (const n of ['kubia', 'explicit', 'annotated']) await f.kubectl(['delete', 'ingress', n]);
  await f.kubectl(['delete', 'ingressclass', 'nginx']);
});

const BACKENDS = `apiVersion: v1
kind: Service
metadata: {name: kubia-nodeport}
spec:
  type: NodePort
  ports: [{port: 80, targetPort: 8080, nodePort: 30123}]
  selector: {app: kubia}
---
apiVersion: v1
kind: Endpoints
metadata: {name: kubia-nodeport}
subsets:
- addresses: [{ip: 10.244.1.5}, {ip: 10.244.2.7}]
  ports: [{port: 8080}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: kubia-nodeport-abc, labels: {kubernetes.io/service-name: kubia-nodeport}}
addressType: IPv4
endpoints: [{addresses: [10.244.1.5], conditions: {ready: true}}, {addresses: [10.244.2.7], conditions: {ready: true}}]
ports: [{name: "", port: 8080, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: bar}
spec:
  ports: [{name: http, port: 80, targetPort: 8080}]
  selector: {app: bar}
---
apiVersion: v1
kind: Endpoints
metadata: {name: bar}
subsets:
- addresses: [{ip: 10.244.1.9}]
  ports: [{name: http, port: 8080}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: bar-xyz, labels: {kubernetes.io/service-name: bar}}
addressType: IPv4
endpoints: [{addresses: [10.244.1.9], conditions: {ready: true}}, {addresses: [10.244.1.10], conditions: {ready: false}}]
ports: [{name: http, port: 8080, protocol: TCP}]
---
apiVersion: v1
kind: Secret
metadata: {name: kubia-tls}
type: kubernetes.io/tls
data: {tls.crt: "", tls.key: ""}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
spec:
  ingressClassName: nginx
  defaultBackend:
    service: {name: bar, port: {name: http}}
  tls:
  - hosts: [kubia.example.com]
    secretName: kubia-tls
  rules:
  - host: kubia.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: kubia-nodeport, port: {number: 80}}}}
      - {path: /api(/|$)(.*), pathType: ImplementationSpecific, backend: {service: {name: missing, port: {number: 80}}}}
  - http:
      paths:
      - {path: /bar, pathType: Exact, backend: {service: {name: bar, port: {name: http}}}}
`;

test('get and describe ingress: kubectl and mk print the same (address, TLS, backends with endpoints, annotations, events)', async () => {
  const r = await f.kubectl(['apply', '-f', '-'], { input: BACKENDS });
  assert.equal(r.code, 0, r.stderr);
  await f.cluster.patch('/apis/networking.k8s.io/v1/namespaces/default/ingresses/shop/status', { status: { loadBalancer: { ingress: [{ ip: '192.168.49.2' }] } } }, 'application/merge-patch+json');
  const shop = (await f.cluster.get('/apis/networking.k8s.io/v1/namespaces/default/ingresses/shop')).json;
  await f.create('/api/v1/namespaces/default/events', {
    apiVersion: 'v1', kind: 'Event', metadata: { name: 'shop.1' },
    involvedObject: { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', name: 'shop', namespace: 'default', uid: shop.metadata.uid },
    reason: 'Sync', message: 'Scheduled for sync', type: 'Normal', source: { component: 'nginx-ingress-controller' },
    firstTimestamp: shop.metadata.creationTimestamp, lastTimestamp: shop.metadata.creationTimestamp, count: 1,
  });
  for (const minor of [27, 33]) {
    const theirs = await f.kubectl(['get', 'ingress', 'shop'], { minor });
    assert.equal(ageless(theirs.stdout), 'NAME   CLASS   HOSTS               ADDRESS        PORTS     AGE\nshop   nginx   kubia.example.com   192.168.49.2   80, 443   <age>\n');
    const mine = await mk((o) => get(f.client, ['ingress', 'shop'], {}, o));
    assert.equal(ageless(mine.stdout), ageless(theirs.stdout));
  }
  // describe as kubectl 1.33 (the version mk's server reports): ready endpoints from
  // EndpointSlices, a missing Service named as such. (1.27–1.30 read Endpoints and name those
  // instead; 1.31–1.32 also list the endpoint that is not ready.)
  const described33 = await f.kubectl(['describe', 'ingress', 'shop'], { minor: 33 });
  assert.equal(described33.code, 0, described33.stderr);
  const mineD = await mk((o) => describeCmd(f.client, ['ingress', 'shop'], {}, o));
  assert.equal(ageless(mineD.stdout), ageless(described33.stdout));
  const described = await f.kubectl(['describe', 'ingress', 'shop']);
  assert.match(described.stdout, /^\s+\/\s+kubia-nodeport:80 \(10\.244\.1\.5:8080,10\.244\.2\.7:8080\)$/m);
  assert.match(described.stdout, /^Default backend:\s+bar:http \(10\.244\.1\.9:8080\)$/m);
  assert.match(described.stdout, /^\s+\/api\(\/\|\$\)\(\.\*\)\s+missing:80 \(<error: services "missing" not found>\)$/m);
  assert.match(described.stdout, /^\s+kubia-tls terminates kubia\.example\.com$/m);
  assert.match(described.stdout, /^\s+Normal\s+Sync\s+\S+\s+nginx-ingress-controller\s+Scheduled for sync$/m);
});

