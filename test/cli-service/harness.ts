// An in-process API server for mk's expose/service/tunnel commands, a KubeClient on it, and real
// kubectl (any installed minor) against the same server as the oracle for what users see.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { TestCluster } from '../apiserver/harness.ts';
import { KubeClient } from '../../src/client/index.ts';
import type { Connection } from '../../src/client/index.ts';
import type { PortForwardBackend } from '../../src/apiserver/streams/index.ts';
import { saveClusterAccess } from '../../src/kubeconfig/index.ts';

export const kubectlBin = (minor: number) => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;

export interface Fixture {
  cluster: TestCluster;
  client: KubeClient;
  conn: Connection;
  home: string;
  kubectl(args: string[], opts?: { minor?: number; input?: string }): Promise<{ code: number; stdout: string; stderr: string }>;
  /** POST a manifest; throws unless 201. */
  create(path: string, body: object): Promise<any>;
  close(): Promise<void>;
}

/** Port-forward to a pod port dials 127.0.0.1:<port> (a local server standing in for the pod). */
const localForward: PortForwardBackend = {
  connect(_ns, _pod, port) {
    return new Promise<Duplex>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => resolve(s));
      s.once('error', (err) => reject(new Error(`dial tcp 127.0.0.1:${port}: ${err.message}`)));
    });
  },
};

export async function startFixture(): Promise<Fixture> {
  const cluster = await TestCluster.start({ streams: { portForward: localForward } });
  const conn: Connection = { server: cluster.server.url, caPem: cluster.server.caPem, token: cluster.server.token };
  const client = new KubeClient(conn, 'default');
  const home = mkdtempSync(join(tmpdir(), 'mk-cli-service-'));
  const kubeconfig = join(home, 'config');
  saveClusterAccess({ profile: 'mk', server: conn.server, caPem: conn.caPem!, token: conn.token! }, { path: kubeconfig });
  return {
    cluster,
    client,
    conn,
    home,
    kubectl: (args, o = {}) =>
      new Promise((resolve) => {
        const bin = kubectlBin(o.minor ?? 33);
        const p = execFile(bin, ['--kubeconfig', kubeconfig, '--cache-dir', join(home, `cache-${o.minor ?? 33}`), ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
        p.stdin!.end(o.input ?? '');
      }),
    async create(path, body) {
      const r = await cluster.post(path, body);
      if (r.status !== 201) throw new Error(`${path}: ${r.status} ${r.text}`);
      return r.json;
    },
    async close() {
      client.close();
      await cluster.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The parts of a Service that expose decides (no allocated IPs/ports, no server bookkeeping). */
export function decided(svc: any): any {
  const spec = { ...svc.spec };
  for (const k of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'internalTrafficPolicy', 'externalTrafficPolicy', 'allocateLoadBalancerNodePorts', 'healthCheckNodePort']) delete spec[k];
  spec.ports = (spec.ports ?? []).map((p: any) => {
    const { nodePort: _n, ...rest } = p;
    return rest;
  });
  return { name: svc.metadata.name, labels: svc.metadata.labels, annotations: svc.metadata.annotations, spec };
}
