// An in-process API server seeded with Services, Pods (with statuses) and Nodes (with
// addresses), real kubectl against it as the oracle, and `mk get` (in process) on the same
// server, each answering { code, stdout, stderr } so tests can compare them byte for byte.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCluster } from '../apiserver/harness.ts';
import { KubeClient } from '../../src/client/index.ts';
import { get } from '../../src/cli/get.ts';
import type { GetOptions } from '../../src/cli/get.ts';
import { bufferOutput } from '../../src/lib/output.ts';
import { formatError, SilentExit } from '../../src/cli/errors.ts';
import { UserError } from '../../src/lib/errors.ts';
import { saveClusterAccess } from '../../src/kubeconfig/index.ts';

export interface Run { code: number; stdout: string; stderr: string }

export interface GetFixture {
  home: string;
  kubectl(args: string[], minor?: number): Promise<Run>;
  /** `mk get ARGS` with the options kubectl's flags would give. */
  mk(args: string[], o: GetOptions): Promise<Run>;
  close(): Promise<void>;
}

const pod = (name: string, app: string, ip: string, node: string, ready: boolean, ports: number[]) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app, tier: name.endsWith('0') ? 'front' : 'back' }, annotations: { 'example.com/owner': 'team<a>&b' } },
  spec: {
    nodeName: node,
    containers: [
      { name: app, image: `luksa/${app}:v1`, ports: ports.map((p) => ({ containerPort: p, protocol: 'TCP' })), resources: { limits: { cpu: '500m' } } },
      { name: 'sidecar', image: 'busybox', args: ['sleep', '3600'] },
    ],
  },
  status: {
    phase: ready ? 'Running' : 'Pending',
    podIP: ip,
    hostIP: node === 'mk' ? '192.168.49.2' : '192.168.49.3',
    conditions: [
      { type: 'Ready', status: ready ? 'True' : 'False' },
      { type: 'PodScheduled', status: 'True' },
    ],
    containerStatuses: [
      { name: app, ready, restartCount: ready ? 0 : 3, image: `luksa/${app}:v1`, imageID: '', started: ready, state: ready ? { running: { startedAt: '2024-01-01T00:00:00Z' } } : { waiting: { reason: 'CrashLoopBackOff' } } },
      { name: 'sidecar', ready: true, restartCount: 1, image: 'busybox', imageID: '', started: true, state: { running: { startedAt: '2024-01-01T00:00:00Z' } } },
    ],
  },
});

const node = (name: string, ip: string, role: string) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, 'node-role.kubernetes.io/control-plane': role } },
  spec: { podCIDR: `10.244.${name === 'mk' ? 0 : 1}.0/24` },
  status: {
    addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }],
    capacity: { cpu: '4', memory: '8Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
  },
});

const service = (name: string, ports: { name?: string; port: number; targetPort: number }[], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, labels: { app: name } },
  spec: { selector: { app: name }, ports: ports.map((p) => ({ ...p, protocol: 'TCP' })), ...extra },
});

export async function startGetFixture(): Promise<GetFixture> {
  const cluster = await TestCluster.start();
  const conn = { server: cluster.server.url, caPem: cluster.server.caPem, token: cluster.server.token };
  const client = new KubeClient(conn, 'default');
  const home = mkdtempSync(join(tmpdir(), 'mk-cli-get-'));
  const kubeconfig = join(home, 'config');
  saveClusterAccess({ profile: 'mk', server: conn.server, caPem: conn.caPem, token: conn.token }, { path: kubeconfig });
  const must = async (p: Promise<{ status: number; text: string }>, what: string) => {
    const r = await p;
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${r.text}`);
  };
  for (const n of [node('mk', '192.168.49.2', ''), node('mk-m02', '192.168.49.3', 'worker')]) await must(cluster.post('/api/v1/nodes', n), n.metadata.name);
  await must(cluster.post('/api/v1/namespaces/default/services', service('kubia', [{ port: 80, targetPort: 8080 }])), 'svc kubia');
  await must(cluster.post('/api/v1/namespaces/default/services', service('web', [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }], { type: 'NodePort' })), 'svc web');
  const pods = [pod('kubia-0', 'kubia', '10.244.0.5', 'mk', true, [8080]), pod('kubia-1', 'kubia', '10.244.1.6', 'mk-m02', false, [8080, 8443])];
  for (const p of pods) {
    await must(cluster.post('/api/v1/namespaces/default/pods', p), p.metadata.name);
    const cur = await cluster.get(`/api/v1/namespaces/default/pods/${p.metadata.name}`);
    await must(cluster.put(`/api/v1/namespaces/default/pods/${p.metadata.name}/status`, { ...cur.json, status: p.status }), `${p.metadata.name} status`);
  }
  return {
    home,
    kubectl: (args, minor = 33) =>
      new Promise((resolve) => {
        const bin = `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
        const p = execFile(bin, ['--kubeconfig', kubeconfig, '--cache-dir', join(home, `cache-${minor}`), ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
        p.stdin!.end();
      }),
    async mk(args, o) {
      const io = bufferOutput();
      let code = 0;
      try {
        await get(client, args, o, io);
      } catch (e) {
        if (e instanceof SilentExit) code = e.exitCode;
        else {
          io.err(`${formatError(e)}\n`);
          code = e instanceof UserError ? e.exitCode : 1;
        }
      }
      return { code, stdout: io.stdout, stderr: io.stderr };
    },
    async close() {
      client.close();
      await cluster.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
