// Real kubectl (1.33 reads EndpointSlices in describe, 1.27 reads Endpoints) over what the
// endpoint controllers wrote: seed 002's kubia Service with named ports http/https and its
// hand-written external-service, as `get endpoints` and `describe svc` print them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ER } from '../../src/controllers/endpoints-resources.ts';
import type { KubeObject } from '../../src/api/types.ts';
import { rfc3339 } from '../../src/controllers/clock.ts';
import { harness, type Harness } from './harness.ts';
import { saveClusterAccess } from '../../src/kubeconfig/index.ts';

const BIN = '/usr/lib/google-cloud-sdk/bin';
const VERSIONS = ['1.33', '1.27'].filter((v) => existsSync(`${BIN}/kubectl.${v}`));
let h: Harness;
let home: string;

const service = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec });

/** A pod as its kubelet would have reported it: Running with an IP, Ready or not. */
async function makePod(name: string, ip: string, ready: boolean, ports: unknown[]): Promise<void> {
  const pod = await h.client.create(ER.pods, 'default', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'kubia' } },
    spec: { nodeName: 'mk', containers: [{ name: 'kubia', image: 'luksa/kubia', ports }] },
  });
  const conditions = [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: rfc3339(h.clock.now()) }];
  await h.client.update(ER.pods, 'default', name, { ...pod, status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions } }, { subresource: 'status' });
}

function kubectl(version: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(`${BIN}/kubectl.${version}`, ['--kubeconfig', join(home, 'config'), '--cache-dir', join(home, `cache-${version}`), ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

before(async () => {
  h = await harness();
  home = mkdtempSync(join(tmpdir(), 'mk-ep-kubectl-'));
  saveClusterAccess({ profile: 'mk', server: h.api.url, caPem: h.api.caPem, token: h.api.token }, { path: join(home, 'config') });
  await h.client.create(ER.services, 'default', service('kubia', {
    selector: { app: 'kubia' }, sessionAffinity: 'ClientIP',
    ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'https', port: 443, targetPort: 'https' }],
  }));
  const ports = [{ name: 'http', containerPort: 8080 }, { name: 'https', containerPort: 8443 }];
  for (const [name, ip] of [['kubia-8cgnm', '10.44.0.1'], ['kubia-5rvfq', '10.44.0.2'], ['kubia-8kv8d', '10.44.0.3']]) await makePod(name!, ip!, true, ports);
  // Sorted before the ready ones: kubectl 1.31+ prints "+ 0 more..." when an unready endpoint
  // follows the third ready one (formatEndpointSlices sets `more` before skipping it), as on Kubernetes.
  await makePod('kubia-unready', '10.43.0.9', false, ports);
  await h.client.create(ER.services, 'default', service('external-service', { ports: [{ port: 80 }] }));
  await h.client.create(ER.endpoints, 'default', {
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external-service', namespace: 'default' },
    subsets: [{ addresses: [{ ip: '11.11.11.11' }, { ip: '22.22.22.22' }], ports: [{ port: 80 }] }],
  });
  await h.ctl.whenIdle();
});

after(async () => {
  await h.close();
  rmSync(home, { recursive: true, force: true });
});

/** The values of the `Endpoints:` lines of a describe output, in order. */
const endpointLines = (out: string) => out.split('\n').filter((l) => l.startsWith('Endpoints:')).map((l) => l.replace(/^Endpoints:\s*/, ''));

for (const v of VERSIONS) {
  test(`kubectl ${v} get endpoints: ready addresses, 3 shown then "+ N more..."`, async () => {
    const r = await kubectl(v, ['get', 'endpoints']);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.trim().split('\n').map((l) => l.split(/\s{2,}/));
    assert.deepEqual(rows[0], ['NAME', 'ENDPOINTS', 'AGE']);
    const byName = Object.fromEntries(rows.slice(1).map((c) => [c[0], c[1]]));
    // Seed 002 prints exactly this: Kubernetes orders a subset's ports by hash, https first.
    assert.equal(byName['kubia'], '10.44.0.1:8443,10.44.0.2:8443,10.44.0.3:8443 + 3 more...');
    assert.equal(byName['external-service'], '11.11.11.11:80,22.22.22.22:80');
  });

  test(`kubectl ${v} describe svc lists the endpoints of each port`, async () => {
    const kubia = await kubectl(v, ['describe', 'svc', 'kubia']);
    assert.equal(kubia.code, 0, kubia.stderr);
    assert.deepEqual(endpointLines(kubia.stdout), ['10.44.0.1:8080,10.44.0.2:8080,10.44.0.3:8080', '10.44.0.1:8443,10.44.0.2:8443,10.44.0.3:8443']);
    assert.match(kubia.stdout, /^Session Affinity:\s+ClientIP$/m);
    const ext = await kubectl(v, ['describe', 'svc', 'external-service']);
    assert.equal(ext.code, 0, ext.stderr);
    assert.deepEqual(endpointLines(ext.stdout), ['11.11.11.11:80,22.22.22.22:80']);
  });
}

test('kubectl get endpointslices shows the controller and mirrored slices', async () => {
  const r = await kubectl(VERSIONS[0] ?? '1.33', ['get', 'endpointslices']);
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s{2,}/));
  const kubia = rows.find((c) => c[0]!.startsWith('kubia-'))!;
  assert.deepEqual(kubia.slice(1, 4), ['IPv4', '8080,8443', '10.43.0.9,10.44.0.1,10.44.0.2 + 1 more...']);
  const ext = rows.find((c) => c[0]!.startsWith('external-service-'))!;
  assert.deepEqual(ext.slice(1, 4), ['IPv4', '80', '11.11.11.11,22.22.22.22']);
});
