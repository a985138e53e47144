// Service accounts on a real 2-node cluster, with real kubectl: every namespace has `default`; a
// pod on either node finds token, ca.crt and namespace at /var/run/secrets/kubernetes.io/
// serviceaccount and calls https://kubernetes.default/api, verifying the server with that ca.crt
// (Node.js in mk's node image): 200 with its token, 401 without; busybox wget in a pod gets the
// same answers; automountServiceAccountToken: false leaves the folder out; `kubectl create token`
// prints a token kubectl can use; a missing account is refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { TEST_IMAGES } from '../../images/index.ts';
import { ok, poll, startFlow, type Flow } from './cluster.ts';

let f: Flow;
let nodeImage: string;
const DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

before(async () => {
  f = await startFlow('serviceaccount', { nodes: 2 });
  nodeImage = execFileSync('docker', ['inspect', f.profile, '--format', '{{.Config.Image}}'], { encoding: 'utf8' }).trim();
}, { timeout: 180_000 });
after(async () => { await f?.teardown(); }, { timeout: 180_000 });

// reads the namespace file, then GET /api through the Service, with and without the token
const CLIENT = `
const https = require('https'), fs = require('fs');
const d = '${DIR}/';
const get = (h) => new Promise((r) => https.get({ host: 'kubernetes.default', path: '/api', ca: fs.readFileSync(d + 'ca.crt'), headers: h }, (s) => {
  let b = ''; s.on('data', (c) => (b += c)); s.on('end', () => r(s.statusCode + ' ' + JSON.parse(b).kind + ' ' + (JSON.parse(b).reason || '')));
}).on('error', (e) => r('ERR ' + e.message)));
(async () => {
  console.log('namespace=' + fs.readFileSync(d + 'namespace', 'utf8'));
  console.log('with token: ' + await get({ authorization: 'Bearer ' + fs.readFileSync(d + 'token', 'utf8') }));
  console.log('without: ' + await get({}));
})();
`;

const apiClient = (name: string, node: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  nodeName: ${node}
  restartPolicy: Never
  containers:
  - name: client
    image: ${nodeImage}
    imagePullPolicy: IfNotPresent
    command: ["node", "-e", ${JSON.stringify(CLIENT)}]
`;

const phase = async (name: string) => (await f.kubectl('kubectl', 'get', 'pod', name, '-o', 'jsonpath={.status.phase}')).stdout;

test('every namespace has the default account, a new one at once', async () => {
  const all = await f.kubectl('kubectl', 'get', 'sa', '-A', '--no-headers', '-o', 'custom-columns=NS:.metadata.namespace,NAME:.metadata.name');
  ok(all, 'get sa -A');
  assert.deepEqual(all.stdout.trim().split('\n').map((l) => l.split(/\s+/).join('/')), ['default/default', 'kube-node-lease/default', 'kube-public/default', 'kube-system/default']);
  ok(await f.kubectl('kubectl', 'create', 'namespace', 'team'), 'create namespace');
  const sa = await f.kubectl('kubectl', 'get', 'sa', '-n', 'team');
  ok(sa, 'get sa -n team');
  assert.match(sa.stdout, /^NAME\s+SECRETS\s+AGE\ndefault\s+0\s+\S+\n$/);
});

test('a pod on each node reads its namespace and calls the API: 200 with its token, 401 without', async () => {
  const nodes = [f.profile, `${f.profile}-m02`];
  for (const [i, node] of nodes.entries()) ok(await f.kubectl('kubectl', 'apply', '-f', f.file(`client-${i}.yaml`, apiClient(`client-${i}`, node))), `apply client-${i}`);
  for (const i of nodes.keys()) {
    await poll(`client-${i} to finish`, async () => (['Succeeded', 'Failed'].includes(await phase(`client-${i}`)) ? true : undefined), { ms: 60_000 });
    const logs = await f.kubectl('kubectl', 'logs', `client-${i}`);
    assert.equal(logs.stdout, 'namespace=default\nwith token: 200 APIVersions \nwithout: 401 Status Unauthorized\n', `on ${nodes[i]}`);
  }
});

test('the files as a container sees them; automountServiceAccountToken: false leaves them out', async () => {
  const sleeper = (name: string, automount?: boolean) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
${automount === undefined ? '' : `  automountServiceAccountToken: ${automount}\n`}  containers:
  - name: main
    image: ${TEST_IMAGES.busybox}
    command: ["sleep", "3600"]
`;
  ok(await f.kubectl('kubectl', 'apply', '-f', f.file('mounted.yaml', sleeper('mounted'))), 'apply mounted');
  ok(await f.kubectl('kubectl', 'apply', '-f', f.file('plain.yaml', sleeper('plain', false))), 'apply plain');
  for (const p of ['mounted', 'plain']) await poll(`${p} to run`, async () => ((await phase(p)) === 'Running' ? true : undefined));
  const ls = await f.kubectl('kubectl', 'exec', 'mounted', '--', 'sh', '-c', `ls ${DIR}; cat ${DIR}/namespace; echo; head -c 20 ${DIR}/ca.crt; echo; touch ${DIR}/x 2>&1 || true`);
  ok(ls, 'exec mounted');
  assert.equal(ls.stdout, `ca.crt\nnamespace\ntoken\ndefault\n-----BEGIN CERTIFICA\ntouch: ${DIR}/x: Read-only file system\n`);
  // busybox wget (its TLS sends no signature algorithms; the server answers as Go's TLS does)
  const wget = await f.kubectl('kubectl', 'exec', 'mounted', '--', 'sh', '-c',
    `wget -q -O - --no-check-certificate --header "Authorization: Bearer $(cat ${DIR}/token)" https://kubernetes.default/api; echo; wget -q -O - --no-check-certificate https://kubernetes.default/api`);
  assert.match(wget.stdout, /^\{"kind":"APIVersions","versions":\["v1"\],/);
  assert.equal(wget.stderr, 'wget: server returned error: HTTP/1.1 401 Unauthorized\ncommand terminated with exit code 1\n');
  const none = await f.kubectl('kubectl', 'exec', 'plain', '--', 'ls', DIR);
  assert.notEqual(none.exitCode, 0);
  assert.match(none.stderr, /No such file or directory/);
  const vols = await f.kubectl('kubectl', 'get', 'pod', 'plain', '-o', 'jsonpath={.spec.serviceAccountName} {.spec.volumes}');
  assert.equal(vols.stdout, 'default ');
});

test('kubectl create token prints a token kubectl can use; a missing account is refused as Kubernetes refuses it', async () => {
  const tok = await f.kubectl('kubectl', 'create', 'token', 'default', '--duration=15m');
  ok(tok, 'create token');
  const token = tok.stdout.trim();
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
  assert.equal(claims.sub, 'system:serviceaccount:default:default');
  assert.equal(claims.exp - claims.iat, 900);
  const asSa = await f.kubectl('kubectl', '--token', token, 'get', 'sa', 'default', '-o', 'name');
  assert.deepEqual(asSa, { stdout: 'serviceaccount/default\n', stderr: '', exitCode: 0 });
  const bad = await f.kubectl('kubectl', '--token', `${token.slice(0, -4)}AAAA`, 'get', 'pods');
  assert.equal(bad.stderr, 'error: You must be logged in to the server (Unauthorized)\n');
  const lost = await f.kubectl('kubectl', 'run', 'lost', `--image=${TEST_IMAGES.busybox}`, '--overrides={"spec":{"serviceAccountName":"nobody"}}');
  assert.equal(lost.stderr, 'Error from server (Forbidden): pods "lost" is forbidden: error looking up service account default/nobody: serviceaccount "nobody" not found\n');
});
