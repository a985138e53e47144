// `mk` refuses a name or namespace that is not a path segment ('.', '..', holding '%' or '/')
// before it sends anything, with kubectl's message and exit code (real kubectl 1.33 is the
// oracle); namespace `t` and ConfigMap `keep` stay. Runs bin/mk.js against an in-process API
// server whose access log shows that no request arrived.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestCluster } from '../apiserver/harness.ts';
import { saveClusterAccess } from '../../src/kubeconfig/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';

let c: TestCluster;
let home: string;
let kubeconfig: string;
const requests: string[] = [];

before(async () => {
  c = await TestCluster.start({ log: (line) => requests.push(line) });
  home = mkdtempSync(join(tmpdir(), 'mk-cli-names-'));
  kubeconfig = join(home, 'config');
  saveClusterAccess({ profile: 'mk', server: c.server.url, caPem: c.server.caPem, token: c.server.token }, { path: kubeconfig });
  assert.equal((await c.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 't' } })).status, 201);
  assert.equal((await c.post('/api/v1/namespaces/t/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep' } })).status, 201);
});
after(async () => {
  await c.stop();
  rmSync(home, { recursive: true, force: true });
});

interface Run { code: number; stdout: string; stderr: string }

function run(file: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH ?? '', HOME: home, KUBECONFIG: kubeconfig };
    const p = execFile(file, args, { env, cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    p.stdin!.end();
  });
}

const mk = (args: string[]) => run(process.execPath, [join(ROOT, 'bin', 'mk.js'), ...args]);
const kubectl = (args: string[]) => run(KUBECTL, [`--cache-dir=${join(home, 'cache')}`, ...args]);

/** The requests that reached the server while fn ran (a request of our own marks the end). */
async function arriving(fn: () => Promise<Run>): Promise<{ run: Run; seen: string[] }> {
  requests.length = 0;
  const r = await fn();
  await c.get('/healthz?mark');
  while (!requests.some((l) => l.startsWith('GET /healthz?mark '))) await new Promise((res) => setImmediate(res));
  return { run: r, seen: requests.filter((l) => !l.startsWith('GET /healthz?mark ')) };
}

test('mk delete cm .. -n t: kubectl\'s message and exit code, nothing sent, nothing deleted', async () => {
  const { run: got, seen } = await arriving(() => mk(['delete', 'cm', '..', '-n', 't']));
  assert.deepEqual(got, { code: 1, stdout: '', stderr: `error: invalid resource name "..": [may not be '..']\n` });
  assert.deepEqual(seen, []);
  assert.deepEqual(got, await kubectl(['delete', 'cm', '..', '-n', 't']));
  assert.equal((await c.get('/api/v1/namespaces/t')).json.status.phase, 'Active');
  assert.equal((await c.get('/api/v1/namespaces/t/configmaps/keep')).status, 200);
});

test('every command that takes a name or namespace refuses such names before sending, as kubectl does', async () => {
  const cases: string[][] = [
    ['delete', 'cm', '.', '-n', 't'],
    ['delete', 'configmap/..', '-n', 't'],
    ['delete', 'cm', '%2e', '-n', 't'],
    ['get', 'cm', '..', '-n', 't'],
    ['get', 'cm', 'keep', '-n', '..'],
    ['describe', 'cm', '..', '-n', 't'],
    ['label', 'cm', '..', 'x=y', '-n', 't'],
    ['label', 'cm', 'keep', 'x=y', '-n', '..'],
    ['scale', 'deploy', '..', '--replicas=2', '-n', 't'],
    ['logs', '..', '-n', 't'],
    ['exec', '..', '-n', 't', '--', 'ls'],
    ['port-forward', '..', '8080', '-n', 't'],
    ['expose', 'deployment', '..', '--port=80', '-n', 't'],
    ['delete', 'cm', '', '-n', 't'],
  ];
  for (const args of cases) {
    const { run: got, seen } = await arriving(() => mk(args));
    assert.deepEqual(seen, [], `mk ${args.join(' ')} sent requests`);
    assert.equal(got.code, 1, `mk ${args.join(' ')}: ${got.stderr}`);
    assert.deepEqual(got, await kubectl(args), `mk ${args.join(' ')}`);
  }
  assert.equal((await c.get('/api/v1/namespaces/t/configmaps/keep')).json.metadata.labels, undefined);
});

test('a bad name among good ones stops the command before the good ones are touched', async () => {
  const { run: got, seen } = await arriving(() => mk(['delete', 'cm', 'keep', '..', '-n', 't']));
  assert.deepEqual(got, { code: 1, stdout: '', stderr: `error: invalid resource name "..": [may not be '..']\n` });
  assert.deepEqual(seen, []);
  assert.equal((await c.get('/api/v1/namespaces/t/configmaps/keep')).status, 200);
});
