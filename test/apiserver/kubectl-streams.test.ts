// Real kubectl against the in-process API server: exec, logs and port-forward through pods/* to
// node backends that run local processes and a local echo server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { once } from 'node:events';
import { TestCluster } from './harness.ts';
import type { ExecBackend, PortForwardBackend } from '../../src/apiserver/streams/index.ts';
import type { LogsBackend } from '../../src/apiserver/index.ts';
import { saveClusterAccess } from '../../src/kubeconfig/index.ts';

const KUBECTL = existsSync('/usr/lib/google-cloud-sdk/bin/kubectl.1.33') ? '/usr/lib/google-cloud-sdk/bin/kubectl.1.33' : 'kubectl';
let c: TestCluster;

/** Runs exec commands as local processes (what a node agent would do inside the container). */
const localExec: ExecBackend = {
  async exec(req) {
    const p = spawn(req.command[0], req.command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    if (!req.stdin) p.stdin.end();
    return {
      stdin: req.stdin ? p.stdin : undefined,
      stdout: p.stdout,
      stderr: req.stderr ? p.stderr : undefined,
      resize: () => undefined,
      exitCode: new Promise((resolve) => p.on('close', (code) => resolve(code ?? 1))),
    };
  },
};
/** Port-forward to a pod port reaches a local echo server that prefixes what it sends back. */
const echoForward: PortForwardBackend = {
  async connect(_ns, _pod, port) {
    const sock = connect(echoPort);
    await once(sock, 'connect');
    sock.write(`port ${port}: `);
    return sock;
  },
};
let echoPort = 0;
const fixedLogs: LogsBackend = {
  async logs(_ns, pod, opts) {
    const lines = [`pod ${pod} container ${opts.container}`, 'line 2', 'line 3'];
    return Readable.from([lines.slice(opts.tailLines ? -opts.tailLines : 0).join('\n') + '\n']);
  },
};
let home: string;
let kubeconfig: string;

function kubectl(args: string[], input?: string, bin = KUBECTL): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = execFile(bin, ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    if (input !== undefined) p.stdin!.end(input);
  });
}

let echo: Server;
before(async () => {
  echo = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  echoPort = (echo.address() as AddressInfo).port;
  c = await TestCluster.start({ streams: { exec: localExec, logs: fixedLogs, portForward: echoForward } });
  home = mkdtempSync(join(tmpdir(), 'mk-kubectl-'));
  kubeconfig = join(home, 'config');
  saveClusterAccess({ profile: 'mk', server: c.server.url, caPem: c.server.caPem, token: c.server.token }, { path: kubeconfig });
});
after(async () => {
  echo.close();
  await c.stop();
  rmSync(home, { recursive: true, force: true });
});

test('kubectl exec and logs reach the node backends through pods/exec and pods/log', async () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'runner' }, spec: { nodeName: 'mk', containers: [{ name: 'main', image: 'busybox' }] } };
  const created = await c.post('/api/v1/namespaces/default/pods', pod);
  assert.equal(created.status, 201, created.text);
  await c.patch('/api/v1/namespaces/default/pods/runner/status', { status: { phase: 'Running' } }, 'application/merge-patch+json');
  for (const minor of ['27', '33']) {
    const bin = `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
    if (!existsSync(bin)) continue;
    const r = await kubectl(['exec', 'runner', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'], undefined, bin);
    assert.equal(r.stdout, 'out\n', `${minor}: ${r.stderr}`);
    assert.match(r.stderr, /^err\n/);
    assert.equal(r.code, 3);
  }
  const logs = await kubectl(['logs', 'runner', '--tail=2']);
  assert.equal(logs.stdout, 'line 2\nline 3\n', logs.stderr);
  const all = await kubectl(['logs', 'runner']);
  assert.equal(all.stdout, 'pod runner container main\nline 2\nline 3\n');
  const bad = await kubectl(['exec', 'runner', '-c', 'nope', '--', 'true']);
  assert.match(bad.stderr, /container nope is not valid for pod runner/);
});

test('kubectl port-forward reaches the node backend (SPDY on 1.27, WebSocket tunnel on 1.33)', async () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'fwd' }, spec: { nodeName: 'mk', containers: [{ name: 'main', image: 'busybox' }] } };
  await c.post('/api/v1/namespaces/default/pods', pod);
  await c.patch('/api/v1/namespaces/default/pods/fwd/status', { status: { phase: 'Running' } }, 'application/merge-patch+json');
  for (const minor of ['27', '33']) {
    const bin = `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
    if (!existsSync(bin)) continue;
    const p = spawn(bin, ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), 'port-forward', 'pod/fwd', ':8080']);
    try {
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (out += d));
      const deadline = Date.now() + 10_000;
      let m: RegExpMatchArray | null;
      while (!(m = /Forwarding from 127\.0\.0\.1:(\d+) -> 8080/.exec(out))) {
        if (Date.now() > deadline || p.exitCode !== null) throw new Error(`port-forward: ${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const sock = connect(Number(m[1]), '127.0.0.1');
      await once(sock, 'connect');
      sock.write('hello');
      let got = '';
      sock.on('data', (d) => (got += d));
      while (got !== 'port 8080: hello' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(got, 'port 8080: hello', `${minor}: ${out}`);
      sock.destroy();
    } finally {
      p.kill();
    }
  }
});
