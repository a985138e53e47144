// A loopback HTTPS stand-in for the API server, just enough for real kubectl to run `exec`,
// `attach` and `port-forward` against the stream handlers under test: version, legacy discovery
// with pods and their exec/attach/portforward subresources, GET of one Running pod, and the
// upgrade routes. Backends for tests: exec runs a local child process, attach starts one as the
// "main process" (localAttach), port-forward dials 127.0.0.1:<port>.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { attachRequestFromQuery, execRequestFromQuery, handleAttachUpgrade, handleExecUpgrade, handlePortForwardUpgrade } from '../../src/apiserver/streams/index.ts';
import type { AttachBackend, ExecBackend, ExecProcess, PortForwardBackend } from '../../src/apiserver/streams/index.ts';
import { saveClusterAccess } from '../../src/kubeconfig/index.ts';

export const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';
const TOKEN = 'stand-in-token';

function selfSigned(dir: string): { cert: string; key: string } {
  const key = join(dir, 'tls.key');
  const cert = join(dir, 'tls.crt');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

const POD = (ns: string, name: string) => ({
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: { name, namespace: ns, uid: '00000000-0000-0000-0000-000000000001', resourceVersion: '1', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
  status: { phase: 'Running', containerStatuses: [{ name: 'c', ready: true, restartCount: 0, image: 'busybox', imageID: '', state: { running: {} } }] },
});

const API_V1 = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'], shortNames: ['po'] },
    { name: 'pods/attach', singularName: '', namespaced: true, kind: 'PodAttachOptions', verbs: ['create', 'get'] },
    { name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] },
    { name: 'pods/portforward', singularName: '', namespaced: true, kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
  ],
};

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

const SUBRESOURCE = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)$/;

export interface StandIn {
  kubeconfig: string;
  /** https://127.0.0.1:PORT, the serving certificate (also its CA) and the bearer token. */
  url: string;
  caPem: string;
  token: string;
  /** Runs kubectl 1.<minor> (or the dispatcher for 0) with this stand-in's kubeconfig and a fresh cache dir. */
  kubectlArgs(args: string[]): string[];
  kubectlPath(minor: number): string;
  env: NodeJS.ProcessEnv;
  /** Every upgrade request seen: method, Upgrade header, and the stream protocols offered. */
  upgrades: { method: string; upgrade: string; protocols: string }[];
  close(): Promise<void>;
}

export async function startStandIn(exec: ExecBackend, portForward: PortForwardBackend, attach: AttachBackend = localAttach(['cat'])): Promise<StandIn> {
  const dir = mkdtempSync(join(tmpdir(), 'mk-streams-'));
  const { cert, key } = selfSigned(dir);
  const upgrades: StandIn['upgrades'] = [];
  const authorized = (req: IncomingMessage) => req.headers.authorization === `Bearer ${TOKEN}`;

  const server = createServer({ cert, key }, (req, res) => {
    if (!authorized(req)) return json(res, 401, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    const url = new URL(req.url ?? '/', 'https://x');
    const p = url.pathname;
    if (p === '/version') return json(res, 200, { major: '1', minor: '33', gitVersion: 'v1.33.0', platform: 'linux/amd64' });
    if (p === '/api') return json(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
    if (p === '/apis') return json(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    if (p === '/api/v1') return json(res, 200, API_V1);
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(p);
    if (m && req.method === 'GET') return json(res, 200, POD(m[1], m[2]));
    json(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `the server could not find the requested resource`, reason: 'NotFound', code: 404 });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    upgrades.push({ method: req.method ?? '', upgrade: String(req.headers.upgrade), protocols: String(req.headers['x-stream-protocol-version'] ?? req.headers['sec-websocket-protocol'] ?? '') });
    const url = new URL(req.url ?? '/', 'https://x');
    const m = SUBRESOURCE.exec(url.pathname);
    if (!authorized(req) || !m) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const [, ns, pod, sub] = m;
    if (sub === 'exec') handleExecUpgrade(req, socket, head, exec, execRequestFromQuery(ns, pod, url.searchParams));
    else if (sub === 'attach') handleAttachUpgrade(req, socket, head, attach, attachRequestFromQuery(ns, pod, url.searchParams));
    else handlePortForwardUpgrade(req, socket, head, portForward, ns, pod);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const kubeconfig = join(dir, 'kubeconfig');
  saveClusterAccess({ profile: 'mk', server: `https://127.0.0.1:${port}`, caPem: cert, token: TOKEN }, { path: kubeconfig });
  let cacheN = 0;
  return {
    kubeconfig,
    url: `https://127.0.0.1:${port}`,
    caPem: cert,
    token: TOKEN,
    upgrades,
    env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir },
    kubectlPath: (minor) => (minor === 0 ? 'kubectl' : join(KUBECTL_DIR, `kubectl.1.${minor}`)),
    kubectlArgs: (args) => [`--kubeconfig=${kubeconfig}`, `--cache-dir=${join(dir, `cache${cacheN++}`)}`, ...args],
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs the command as a local child process (no TTY), like a container runtime would. */
export const localExec: ExecBackend = {
  exec(req) {
    return new Promise<ExecProcess>((resolve, reject) => {
      const child = spawn(req.command[0], req.command.slice(1), { stdio: [req.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
      child.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') {
          reject(new Error(`error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${req.command[0]}": executable file not found in $PATH: unknown`));
        } else reject(err);
      });
      child.once('spawn', () => {
        const exitCode = new Promise<number>((done) => child.once('close', (code, signal) => done(code ?? (signal ? 128 + 9 : 1))));
        resolve({ stdin: child.stdin ?? undefined, stdout: child.stdout!, stderr: child.stderr!, resize: () => undefined, exitCode });
      });
    });
  },
};

/** Attach: each attachment starts `main` as a local process standing in for the container's main
 * process; the attachment ends (status Success, whatever its exit code) when it exits. */
export function localAttach(main: string[]): AttachBackend {
  return {
    async attach(req) {
      const p = await localExec.exec({ ...req, command: main, stdin: true });
      if (!req.stdin) p.stdin?.end();
      const { stdin, ...rest } = p;
      return { ...rest, ...(req.stdin ? { stdin } : {}), exitCode: p.exitCode.then(() => 0) };
    },
  };
}

/** Dials 127.0.0.1:<port>, standing in for the pod's network namespace. */
export const localPortForward: PortForwardBackend = {
  connect(_ns, _pod, port) {
    return new Promise<Duplex>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => resolve(s));
      s.once('error', (err: NodeJS.ErrnoException) => reject(new Error(`dial tcp 127.0.0.1:${port}: connect: ${err.code === 'ECONNREFUSED' ? 'connection refused' : err.message}`)));
    });
  },
};
