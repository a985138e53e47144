// An in-process API server with stand-in node backends for mk's exec/logs/port-forward commands:
// exec runs a local child process, logs serve a fixed text (tailLines honoured; with follow the
// lines come one by one, then the stream ends), port-forward dials 127.0.0.1:<port> (a TCP echo
// server here). Pods are created with status.phase Running through the status subresource.
// Real kubectl runs against the same server as the oracle for user-visible text.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { Duplex } from 'node:stream';
import { TestCluster } from '../apiserver/harness.ts';
import { KubeClient } from '../../src/client/index.ts';
import type { Connection } from '../../src/client/index.ts';
import type { ExecBackend, ExecProcess, PortForwardBackend } from '../../src/apiserver/streams/index.ts';
import type { LogsBackend } from '../../src/apiserver/index.ts';
import { saveClusterAccess } from '../../src/kubeconfig/index.ts';

export const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';
export const LOG_LINES = ['first line', 'second line', 'third line'];

const children = new Set<number>();
/** Every terminal size the exec backend was given (a TTY exec's initial size and resizes). */
export const resizes: { width: number; height: number }[] = [];

const localExec: ExecBackend = {
  exec(req) {
    return new Promise<ExecProcess>((resolve, reject) => {
      const child = spawn(req.command[0]!, req.command.slice(1), { stdio: [req.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
      child.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') {
          reject(new Error(`error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${req.command[0]}": executable file not found in $PATH: unknown`));
        } else reject(err);
      });
      child.once('spawn', () => {
        children.add(child.pid!);
        const exitCode = new Promise<number>((done) =>
          child.once('close', (code) => {
            children.delete(child.pid!);
            done(code ?? 137);
          }),
        );
        resolve({ stdin: child.stdin ?? undefined, stdout: child.stdout!, stderr: child.stderr!, resize: (width, height) => void resizes.push({ width, height }), exitCode });
      });
    });
  },
};

const fixedLogs: LogsBackend = {
  async logs(_ns, _pod, opts) {
    const lines = opts.tailLines !== undefined ? LOG_LINES.slice(-opts.tailLines || LOG_LINES.length) : LOG_LINES;
    if (!opts.follow) return Readable.from([lines.map((l) => `${l}\n`).join('')]);
    const out = new PassThrough();
    let i = 0;
    const next = () => {
      if (i === lines.length) return void out.end();
      out.write(`${lines[i++]}\n`);
      setTimeout(next, 20);
    };
    next();
    return out;
  },
};

const localForward: PortForwardBackend = {
  connect(_ns, _pod, port) {
    return new Promise<Duplex>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => resolve(s));
      s.once('error', (err: NodeJS.ErrnoException) => reject(new Error(`dial tcp 127.0.0.1:${port}: connect: ${err.code === 'ECONNREFUSED' ? 'connection refused' : err.message}`)));
    });
  },
};

export interface Fixture {
  cluster: TestCluster;
  client: KubeClient;
  conn: Connection;
  /** A TCP echo server on 127.0.0.1 (the "pod port"), and a port nothing listens on. */
  echoPort: number;
  closedPort: number;
  kubectl(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  kubectlArgs(args: string[]): string[];
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function startFixture(): Promise<Fixture> {
  const echo: Server = createServer((s) => {
    s.on('error', () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  const echoPort = (echo.address() as AddressInfo).port;
  const closedPort = await freePort();
  const cluster = await TestCluster.start({ streams: { exec: localExec, logs: fixedLogs, portForward: localForward } });
  const conn: Connection = { server: cluster.server.url, caPem: cluster.server.caPem, token: cluster.server.token };
  const client = new KubeClient(conn, 'default');
  const home = mkdtempSync(join(tmpdir(), 'mk-cli-streams-'));
  const kubeconfig = join(home, 'config');
  saveClusterAccess({ profile: 'mk', server: conn.server, caPem: conn.caPem!, token: conn.token! }, { path: kubeconfig });
  const kubectlArgs = (args: string[]) => ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), ...args];

  const pod = async (name: string, containers: object[], phase: string, labels: Record<string, string> = {}) => {
    const made = await cluster.post('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { nodeName: 'mk', containers } });
    if (made.status !== 201) throw new Error(made.text);
    const conditions = phase === 'Running' ? [{ type: 'Ready', status: 'True' }] : [];
    const st = await cluster.patch(`/api/v1/namespaces/default/pods/${name}/status`, { status: { phase, conditions } }, 'application/merge-patch+json');
    if (st.status !== 200) throw new Error(st.text);
  };
  await pod('runner', [{ name: 'main', image: 'busybox', ports: [{ name: 'echo', containerPort: echoPort }] }], 'Running', { app: 'web' });
  await pod('two', [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'busybox' }], 'Running');
  await pod('waiting', [{ name: 'main', image: 'busybox' }], 'Pending', { app: 'idle' });
  const svc = (name: string, ports: object[]) => cluster.post('/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'web' }, ports } });
  await svc('web', [{ name: 'http', port: 80, targetPort: echoPort }, { name: 'closed', port: 81, targetPort: closedPort }]);
  await svc('named', [{ name: 'http', port: 8080, targetPort: 'echo' }, { name: 'closed', port: 81, targetPort: closedPort }]);
  const deploy = await cluster.post('/apis/apps/v1/namespaces/default/deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'busybox' }] } } },
  });
  if (deploy.status !== 201) throw new Error(deploy.text);

  return {
    cluster,
    client,
    conn,
    echoPort,
    closedPort,
    kubectlArgs,
    kubectl: (args, input) =>
      new Promise((resolve) => {
        const p = execFile(KUBECTL, kubectlArgs(args), { timeout: 30_000 }, (err, stdout, stderr) => {
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
        if (input !== undefined) p.stdin!.end(input);
        else p.stdin!.end();
      }),
    async close() {
      for (const pid of children) {
        try {
          process.kill(pid);
        } catch {
          // already gone
        }
      }
      client.close();
      echo.close();
      await cluster.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A writable that keeps what it is given. */
export function sink(): PassThrough & { text(): string } {
  const chunks: Buffer[] = [];
  const s = new PassThrough() as PassThrough & { text(): string };
  s.on('data', (c: Buffer) => chunks.push(c));
  s.text = () => Buffer.concat(chunks).toString();
  return s;
}
