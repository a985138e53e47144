// The addon end to end against the in-process API server, with the node agent's ingress part on
// loopback: disabled → nothing listens; enableIngress → the IngressClass, the mirror Pod Ready,
// routing to endpoints; status addresses only on served Ingresses (a foreign class keeps an
// empty status); the Sync and ignored-annotation Events; disableIngress → no listener, no
// addresses, no Pod, no class.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../../src/apiserver/index.ts';
import { KubeClient } from '../../src/client/index.ts';
import { R } from '../../src/api/resources.ts';
import type { KubeObject } from '../../src/api/types.ts';
import { startNodeIngress, type NodeIngress } from '../../src/agent/ingress/node.ts';
import { disableIngress, enableIngress, waitForIngress, INGRESS_NAMESPACE } from '../../src/addons/ingress.ts';
import { addonRows } from '../../src/addons/index.ts';
import { ask } from './ask.ts';
import { backend, path, rule } from './fixtures.ts';

const NODE_IP = '127.0.2.1';

let dir: string;
let api: RunningApiServer;
let client: KubeClient;
let agent: NodeIngress;
const errors: unknown[] = [];
const lines: string[] = [];
const cleanup: Array<() => unknown> = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mk-ingress-'));
  api = await startApiServer({ dataDir: dir });
  client = new KubeClient({ server: api.url, caPem: api.caPem, token: api.token });
  agent = startNodeIngress({ client, nodeName: 'minikube', nodeIP: NODE_IP, httpPort: 0, httpsPort: 0, writeStatus: true, retryMs: 50, log: (l) => lines.push(l), onError: (e) => errors.push(e) });
});
after(async () => {
  for (const f of cleanup.reverse()) await f();
  await agent.stop();
  client.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Polls `f` until it returns something truthy (bounded; not a timing assertion). */
async function until<T>(what: string, f: () => Promise<T | undefined | false> | T | undefined | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const ing = (name: string, spec: object, annotations?: Record<string, string>): KubeObject =>
  ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, ...(annotations ? { annotations } : {}) }, spec } as KubeObject);

test('disabled: the addon is listed disabled and nothing serves', async () => {
  await agent.settled();
  assert.deepEqual((await addonRows(client)).map((a) => [a.name, a.status, a.maintainer]), [['default-storageclass', 'enabled', 'Kubernetes'], ['ingress', 'disabled', 'Kubernetes'], ['storage-provisioner', 'enabled', 'minikube']]);
  assert.equal(agent.current(), undefined);
});

test('enable: IngressClass nginx (default), a Ready mirror Pod in ingress-nginx, routing to endpoints', async () => {
  const web = await backend('web', '127.0.2.2');
  cleanup.push(() => web.close());
  await enableIngress(client);
  const pods = await waitForIngress(client, { timeoutMs: 10_000 });
  assert.deepEqual(pods.map((p) => [p.metadata.namespace, p.metadata.name, p.spec?.nodeName, p.status?.podIP]), [[INGRESS_NAMESPACE, 'ingress-nginx-controller-minikube', 'minikube', NODE_IP]]);
  const ic = await client.get(R.ingressclasses, undefined, 'nginx');
  assert.deepEqual([ic.spec?.controller, ic.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class']], ['k8s.io/ingress-nginx', 'true']);
  assert.deepEqual((await addonRows(client)).map((a) => a.status), ['enabled', 'enabled', 'enabled']);
  const port = agent.current()!.server.httpPort;

  await client.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } } as KubeObject);
  // the API refuses loopback endpoint IPs, and pod IPs are loopback here: the endpoints are
  // handed to the controller's cache directly (as the endpoints controller's object would arrive)
  agent.current()!.state.setEndpoints({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' }, subsets: [{ addresses: [{ ip: '127.0.2.2' }], ports: [{ name: 'http', port: web.port }] }] } as KubeObject);
  await client.create(R.ingresses, 'default', ing('web', { ingressClassName: 'nginx', rules: [rule('web.example.com', path('/', 'Prefix', 'web', 'http'))] }, { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m', 'nginx.ingress.kubernetes.io/cors-allow-origin': '*' }));
  await client.create(R.ingresses, 'default', ing('foreign', { ingressClassName: 'other', rules: [rule('foreign.example.com', path('/', 'Prefix', 'web', 'http'))] }));
  await client.create(R.ingressclasses, undefined, { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'other' }, spec: { controller: 'example.com/other' } } as KubeObject);

  const a = await until('routing to web', async () => { const r = await ask(port, { address: NODE_IP, host: 'web.example.com', path: '/x' }); return r.status === 200 && r; });
  assert.equal(a.json.name, 'web');
  assert.equal((await ask(port, { address: NODE_IP, host: 'foreign.example.com' })).status, 404);

  const status = await until('the status address', async () => (await client.get(R.ingresses, 'default', 'web')).status?.loadBalancer?.ingress);
  assert.deepEqual(status, [{ ip: NODE_IP }]);
  const events = await until('Sync and AnnotationsIgnored events', async () => {
    const evs = (await client.list(R.events, { namespace: 'default', fieldSelector: 'involvedObject.name=web' })).items;
    return evs.length >= 2 && evs;
  });
  assert.deepEqual(events.map((e) => [e.type, e.reason, e.message, e.source?.component]).sort(), [
    ['Normal', 'Sync', 'Scheduled for sync', 'nginx-ingress-controller'],
    ['Warning', 'AnnotationsIgnored', "mk's ingress controller does not implement nginx.ingress.kubernetes.io/cors-allow-origin, nginx.ingress.kubernetes.io/proxy-body-size: ignored", 'nginx-ingress-controller'],
  ]);
  // a foreign class: never touched
  await agent.current()!.status!.idle();
  const foreign = await client.get(R.ingresses, 'default', 'foreign');
  assert.deepEqual(foreign.status, { loadBalancer: {} });
  assert.equal((await client.list(R.events, { namespace: 'default', fieldSelector: 'involvedObject.name=foreign' })).items.length, 0);
});

test('disable: listeners closed, addresses cleared, Pod, IngressClass and namespace removed', async () => {
  const port = agent.current()!.server.httpPort;
  await disableIngress(client);
  await until('the controller to stop', () => agent.current() === undefined);
  await agent.settled();
  const refused = await new Promise<string>((r) => {
    const s = net.connect(port, NODE_IP);
    s.on('connect', () => { s.destroy(); r('connected'); });
    s.on('error', (e: NodeJS.ErrnoException) => r(e.code ?? 'error'));
  });
  assert.equal(refused, 'ECONNREFUSED');
  const web = await client.get(R.ingresses, 'default', 'web');
  assert.equal(web.status?.loadBalancer?.ingress, undefined);
  await assert.rejects(client.get(R.ingressclasses, undefined, 'nginx'), { code: 404 });
  await assert.rejects(client.get(R.pods, INGRESS_NAMESPACE, 'ingress-nginx-controller-minikube'), { code: 404 });
  await assert.rejects(client.get(R.namespaces, undefined, INGRESS_NAMESPACE), { code: 404 });
  assert.deepEqual((await addonRows(client)).map((a) => a.status), ['enabled', 'disabled', 'enabled']);
  assert.deepEqual(errors, []);
});
