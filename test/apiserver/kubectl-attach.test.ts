// Real kubectl attach against the in-process API server: pods/attach handed to a node backend
// (a local process standing in for the container's main process) on SPDY (1.27) and WebSocket
// (1.33), with the API server's own checks: the container, a completed pod, a missing backend.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { TestCluster } from './harness.ts';
import type { AttachBackend, AttachRequest } from '../../src/apiserver/streams/index.ts';
import { saveClusterAccess } from '../../src/kubeconfig/index.ts';

const BIN = (minor: number) => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
const seen: AttachRequest[] = [];
/** Each attachment is a fresh `read x; echo got $x` process; it ends when that exits. */
const localAttach: AttachBackend = {
  async attach(req) {
    seen.push(req);
    const p = spawn('sh', ['-c', 'read x; echo "got $x"; echo note >&2; exit 4'], { stdio: ['pipe', 'pipe', 'pipe'] });
    if (!req.stdin) p.stdin.end();
    return {
      stdin: req.stdin ? p.stdin : undefined,
      stdout: p.stdout,
      stderr: req.stderr ? p.stderr : undefined,
      resize: () => undefined,
      exitCode: new Promise((resolve) => p.on('close', () => resolve(0))),
      cancel: () => p.kill(),
    };
  },
};

let c: TestCluster;
let home: string;
let kubeconfig: string;
function kubectl(minor: number, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = execFile(BIN(minor), ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    p.stdin!.end(input ?? '');
  });
}

async function pod(name: string, phase: string, containers = [{ name: 'main', image: 'busybox', stdin: true, stdinOnce: true }]): Promise<void> {
  const created = await c.post('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: 'mk', containers } });
  assert.equal(created.status, 201, created.text);
  await c.patch(`/api/v1/namespaces/default/pods/${name}/status`, { status: { phase } }, 'application/merge-patch+json');
}

before(async () => {
  c = await TestCluster.start({ streams: { attach: localAttach } });
  home = mkdtempSync(join(tmpdir(), 'mk-kubectl-attach-'));
  kubeconfig = join(home, 'config');
  saveClusterAccess({ profile: 'mk', server: c.server.url, caPem: c.server.caPem, token: c.server.token }, { path: kubeconfig });
  await pod('shell', 'Running');
  await pod('two', 'Running', [{ name: 'a', image: 'busybox', stdin: true, stdinOnce: false }, { name: 'b', image: 'busybox', stdin: false, stdinOnce: false }]);
  await pod('done', 'Succeeded');
});
after(async () => {
  await c.stop();
  rmSync(home, { recursive: true, force: true });
});

for (const minor of [27, 33]) {
  test(`kubectl 1.${minor} attach -i: stdin in, stdout and stderr out, Success whatever the exit code`, async () => {
    const r = await kubectl(minor, ['attach', '-i', 'shell'], 'hello\n');
    assert.deepEqual(r, { code: 0, stdout: 'got hello\n', stderr: "If you don't see a command prompt, try pressing enter.\nnote\n" });
    assert.deepEqual(seen.at(-1), { namespace: 'default', pod: 'shell', container: 'main', stdin: true, stdout: true, stderr: true, tty: false });
  });
}

test('attach names the container of a pod with several, and refuses what Kubernetes refuses', async () => {
  const cases: { args: string[]; code: number; stderr: RegExp }[] = [
    { args: ['attach', '-i', 'two', '-c', 'b'], code: 0, stderr: /^If you don't see a command prompt, try pressing enter\.\nnote\n$/ },
    { args: ['attach', 'two', '-c', 'nope'], code: 1, stderr: /container nope not found in pod two/ },
    { args: ['attach', 'done'], code: 1, stderr: /^error: cannot attach a container in a completed pod; current phase is Succeeded\n$/ },
  ];
  for (const k of cases) {
    const r = await kubectl(33, k.args, 'x\n');
    assert.equal(r.code, k.code, `${k.args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, k.stderr, k.args.join(' '));
  }
  assert.equal(seen.at(-1)?.container, 'b');
  // what kubectl checks itself, the API server checks too (a Status before any upgrade)
  const refusals: [string, number, string][] = [
    ['two/attach?stdout=true&container=x', 400, 'container x is not valid for pod two'],
    ['two/attach?stdout=true', 400, 'a container name must be specified for pod two, choose one of: [a b]'],
    ['done/attach?stdout=true', 400, 'cannot attach a container in a completed pod; current phase is Succeeded'],
    ['shell/attach?container=main', 400, 'you must specify at least 1 of stdin, stdout, stderr'],
  ];
  for (const [path, code, message] of refusals) assert.deepEqual(await refusal(`/api/v1/namespaces/default/pods/${path}`), { code, message }, path);
  const plain = await c.call('POST', '/api/v1/namespaces/default/pods/shell/attach?stdout=true', { body: '' });
  assert.equal(plain.json.message, 'Upgrade request required');
});

/** A WebSocket upgrade the API server refuses: its status code and the Status message. */
function refusal(path: string): Promise<{ code: number; message: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${c.server.url.replace('https', 'wss')}${path}`, ['v5.channel.k8s.io'], { ca: c.server.caPem, headers: { Authorization: `Bearer ${c.server.token}` } });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, message: JSON.parse(body).message }));
    });
    ws.on('open', () => reject(new Error(`${path} was upgraded`)));
    ws.on('error', () => undefined);
  });
}
