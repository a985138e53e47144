// Real kubectl as the oracle for the three-way patch: a loopback stand-in for the API server
// serves discovery and one live object, records the PATCH that `kubectl apply` sends, and the
// patch computed here from the same three documents must equal it. Skipped without kubectl.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threeWayStrategicPatch } from './index.ts';

const kubectlBinary = (minor: number) => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
type Obj = Record<string, any>;

const resources: Record<string, Obj> = {
  '/api/v1': { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'services', singularName: 'service', namespaced: true, kind: 'Service', verbs: ['get', 'patch', 'create'] }] },
  '/apis/apps/v1': { kind: 'APIResourceList', groupVersion: 'apps/v1', resources: [{ name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: ['get', 'patch', 'create'] }] },
};

let live: Obj | undefined;
let sent: { type: string; body: Obj } | undefined;

function reply(res: ServerResponse, code: number, body: unknown, type = 'application/json'): void {
  res.writeHead(code, { 'Content-Type': type });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let data = '';
  for await (const chunk of req) data += chunk;
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/version') return reply(res, 200, { major: '1', minor: '33', gitVersion: 'v1.33.0' });
  if (path === '/api') return reply(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
  if (path === '/apis') return reply(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }] });
  if (resources[path]) return reply(res, 200, resources[path]);
  if (path === '/openapi/v2') return reply(res, 200, '', 'application/octet-stream');
  if (live && path.endsWith(`/${live.metadata.name}`)) {
    if (req.method === 'GET') return reply(res, 200, live);
    if (req.method === 'PATCH') {
      sent = { type: String(req.headers['content-type']), body: JSON.parse(data) };
      return reply(res, 200, live);
    }
  }
  reply(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
}

const server = createServer((req, res) => void handle(req, res));
const dir = mkdtempSync(join(tmpdir(), 'mk-patch-'));
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function kubectlApply(kubectl: string, manifest: Obj): Promise<void> {
  if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 't', cluster: { server: `http://127.0.0.1:${port}` } }],
      users: [{ name: 't', user: {} }],
      contexts: [{ name: 't', context: { cluster: 't', user: 't', namespace: 'default' } }],
      'current-context': 't',
    }),
  );
  writeFileSync(join(dir, 'm.json'), JSON.stringify(manifest));
  await new Promise<void>((resolve, reject) =>
    execFile(kubectl, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'apply', '-f', join(dir, 'm.json')], { timeout: 30_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(),
    ),
  );
}

const annotated = (o: Obj): Obj => ({ ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, [LAST_APPLIED]: JSON.stringify(o) + '\n' } } });
/** The live object: what was applied before, plus fields the server and other actors set. */
function liveOf(lastApplied: Obj, extra: (o: Obj) => void): Obj {
  const o = structuredClone(annotated(lastApplied));
  Object.assign(o.metadata, { uid: 'u-1', resourceVersion: '42', creationTimestamp: '2024-01-01T00:00:00Z' });
  extra(o);
  return o;
}

const dep = (containers: Obj[], spec: Obj = {}, meta: Obj = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, ...meta },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, ...spec, template: { metadata: { labels: { app: 'web' } }, spec: { containers } } },
});
const svc = (ports: Obj[], meta: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', ...meta }, spec: { selector: { app: 'web' }, ports } });
function withVolumes(d: Obj, volumes: Obj[]): Obj {
  d.spec.template.spec.volumes = volumes;
  return d;
}
const serverDefaults = (o: Obj) => {
  for (const c of o.spec?.template?.spec?.containers ?? []) Object.assign(c, { imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', resources: {} });
  for (const p of o.spec?.ports ?? []) p.protocol ??= 'TCP';
  if (o.spec?.ports) o.spec.clusterIP = '10.96.0.20';
  o.status = { observedGeneration: 1 };
};

const a = { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }], ports: [{ containerPort: 80 }] };
const b = { name: 'b', image: 'b:1' };

const scenarios: { name: string; before: Obj; after: Obj; extra?: (o: Obj) => void }[] = [
  { name: 'image of one of two containers', before: dep([a, b]), after: dep([a, { ...b, image: 'b:2' }]) },
  { name: 'env var removed', before: dep([a, b]), after: dep([{ ...a, env: [{ name: 'Y', value: '2' }] }, b]) },
  { name: 'container replaced by another', before: dep([a, b]), after: dep([b, { name: 'c', image: 'c:1' }]) },
  { name: 'containers reordered', before: dep([a, b]), after: dep([b, a]) },
  { name: 'port added to a container', before: dep([a, b]), after: dep([{ ...a, ports: [{ containerPort: 80 }, { containerPort: 443, name: 'https' }] }, b]) },
  { name: 'label removed, label added by someone else stays', before: dep([b], {}, { labels: { app: 'web', tier: 'x' } }), after: dep([b]), extra: (o) => (o.metadata.labels.owner = 'ops') },
  { name: 'replicas drifted back', before: dep([b]), after: dep([b]), extra: (o) => (o.spec.replicas = 7) },
  { name: 'field removed from config', before: dep([b], { minReadySeconds: 5, revisionHistoryLimit: 3 }), after: dep([b], { revisionHistoryLimit: 3 }) },
  { name: 'strategy switched to Recreate', before: dep([b], { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }), after: dep([b], { strategy: { type: 'Recreate' } }) },
  {
    name: 'volume source switched (retainKeys on volumes)',
    before: withVolumes(dep([{ ...b, volumeMounts: [{ name: 'data', mountPath: '/data' }] }]), [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }]),
    after: withVolumes(dep([{ ...b, volumeMounts: [{ name: 'data', mountPath: '/data' }] }]), [{ name: 'data', hostPath: { path: '/srv' } }, { name: 'cfg', configMap: { name: 'c' } }]),
  },
  { name: 'container added in front, env value changed', before: dep([a]), after: dep([b, { ...a, env: [{ name: 'X', value: '9' }, { name: 'Y', value: '2' }] }]) },
  { name: 'everything removed from a list', before: dep([a]), after: dep([{ ...a, env: [], ports: [] }]) },
  { name: 'finalizers changed', before: dep([b], {}, { finalizers: ['x/a', 'x/b'] }), after: dep([b], {}, { finalizers: ['x/a', 'x/c'] }) },
  { name: 'Service port added', before: svc([{ name: 'http', port: 80, targetPort: 8080 }]), after: svc([{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }]) },
  { name: 'Service port removed and type set', before: svc([{ name: 'http', port: 80 }, { name: 'https', port: 443 }]), after: { ...svc([{ name: 'https', port: 443 }]), spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'https', port: 443 }] } } },
];

for (const minor of [27, 33]) for (const s of scenarios) {
  const kubectl = kubectlBinary(minor);
  test(`kubectl 1.${minor} apply sends what threeWayStrategicPatch computes: ${s.name}`, { skip: !existsSync(kubectl) && 'kubectl not installed' }, async () => {
    const current = liveOf(s.before, (o) => {
      serverDefaults(o);
      s.extra?.(o);
    });
    live = current;
    sent = undefined;
    await kubectlApply(kubectl, s.after);
    const got = sent as { type: string; body: Obj } | undefined;
    assert.ok(got, 'kubectl sent a PATCH');
    assert.equal(got.type, 'application/strategic-merge-patch+json');
    // kubectl's new config is the manifest plus its own serialization of it as last-applied.
    const modifiedAnnotation = got.body.metadata?.annotations?.[LAST_APPLIED] as string;
    const modified = JSON.parse(modifiedAnnotation);
    modified.metadata.annotations = { ...modified.metadata.annotations, [LAST_APPLIED]: modifiedAnnotation };
    const lastApplied = JSON.parse(current.metadata.annotations[LAST_APPLIED]);
    assert.deepEqual(threeWayStrategicPatch(lastApplied, modified, current, current.kind), got.body);
  });
}
