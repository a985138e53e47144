// The kubelet on a real Docker engine, running on the host: an in-process API server, a test
// network (the host is its gateway, playing the node), pods from the locally built test images.
// Everything made is labelled mk.test=<id> and removed in `after`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startApiServer, type RunningApiServer } from '../../../src/apiserver/index.ts';
import { KubeClient } from '../../../src/client/index.ts';
import { LABELS } from '../../../src/runtime/index.ts';
import { startKubelet, type RunningKubelet } from '../../../src/agent/kubelet/index.ts';
import { R } from '../../../src/api/resources.ts';
import { podSummary } from '../../../src/printers/kinds/pod.ts';
import { ensureTestImages, TEST_IMAGES, ECHO_PORT } from '../../images/index.ts';
import { cleanup, freeSubnet, suite, waitFor } from '../runtime/helpers.ts';
import { httpBody } from '../flows/requests.ts';
import type { KubeObject } from '../../../src/api/types.ts';

const s = suite();
let dir: string;
let api: RunningApiServer;
let client: KubeClient;
let kubelet: RunningKubelet;
let launch: () => Promise<void>;
const errors: unknown[] = [];
const NODE = 'mk-test-node';

// only pod IPs on the network this file made are dialled
const httpGet = (url: string) => httpBody(url, 3000);

async function execText(pod: string, cmd: string[]): Promise<{ out: string; code: number }> {
  const p = await kubelet.execBackend.exec({ namespace: 'default', pod, command: cmd, stdin: false, stdout: true, stderr: true, tty: false });
  let out = '';
  p.stdout.on('data', (b: Buffer) => (out += b));
  p.stderr?.resume();
  const code = await p.exitCode;
  return { out, code };
}

const pod = (name: string, spec: any): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: NODE, ...spec } });
const getPod = (name: string) => client.get(R.pods, 'default', name);

before(async () => {
  await s.rt.ping();
  await ensureTestImages(s.rt);
  const net = await freeSubnet(s.rt);
  await s.rt.ensureNetwork({ name: s.name('net'), subnet: net.subnet, gateway: net.gateway, ipRange: `${net.prefix}.0.0/24`, labels: s.labels });
  dir = mkdtempSync(join(tmpdir(), 'mk-kubelet-'));
  api = await startApiServer({ dataDir: dir });
  client = new KubeClient({ server: api.url, caPem: api.caPem, token: api.token });
  const version = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim();
  launch = async () => {
    kubelet = startKubelet({
      client, runtime: s.rt, nodeName: NODE, nodeIP: net.gateway, podCIDR: `${net.prefix}.1.0/24`,
      clusterName: `mk-test-${s.id}`, networkName: s.name('net'), serviceCIDR: '10.96.0.0/12', dnsIP: '10.96.0.10',
      sandboxImage: TEST_IMAGES.busybox, controlPlane: true, runtimeVersion: `docker://${version}`, labels: s.labels,
      resyncMs: 300, onError: (e) => errors.push(e), volumeRoot: { local: join(dir, 'volumes'), engine: join(dir, 'volumes') },
    });
    api.streams.exec = kubelet.execBackend;
    api.streams.portForward = kubelet.portForwardBackend;
    api.streams.logs = kubelet.logsBackend;
    await kubelet.ready;
  };
  await launch();
});

after(async () => {
  await kubelet?.stop();
  client?.close();
  await api?.close();
  await cleanup(s);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the node registers Ready with addresses, capacity and nodeInfo', async () => {
  const node = await client.get(R.nodes, undefined, NODE);
  const ready = node.status.conditions.find((c: any) => c.type === 'Ready');
  assert.equal(ready.status, 'True');
  assert.deepEqual(node.status.addresses.map((a: any) => a.type), ['InternalIP', 'Hostname']);
  assert.equal(node.status.nodeInfo.kubeletVersion, 'v1.33.0');
  assert.match(node.status.nodeInfo.containerRuntimeVersion, /^docker:\/\/\d/);
  assert.equal(node.metadata.labels?.['node-role.kubernetes.io/control-plane'], '');
  assert.match(node.status.capacity.memory, /^\d+Ki$/);
});

test('an echo pod runs 1/1 with an IP, answers HTTP from the host, has its env, toggles Ready by probe', async () => {
  await client.create(R.pods, 'default', pod('echo', {
    terminationGracePeriodSeconds: 1,
    containers: [{
      name: 'echo', image: TEST_IMAGES.echo, imagePullPolicy: 'IfNotPresent',
      env: [{ name: 'MY_POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'MY_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
      readinessProbe: { exec: { command: ['ls', '/tmp/ready'] }, periodSeconds: 1 },
    }],
  }));
  const running = await waitFor('echo Running', async () => {
    const p = await getPod('echo');
    return p.status?.phase === 'Running' && p.status?.podIP ? p : undefined;
  }, 30_000);
  assert.equal(running.status.containerStatuses[0].ready, false);
  assert.equal(running.status.qosClass, 'BestEffort');
  assert.match(running.status.containerStatuses[0].containerID, /^docker:\/\//);
  const ip: string = running.status.podIP;
  const body = await waitFor('HTTP answer', async () => httpGet(`http://${ip}:${ECHO_PORT}/`).catch(() => undefined));
  assert.match(body, /Hello, world!/);
  assert.match(body, /Hostname: echo/);

  const env = await execText('echo', ['env']);
  assert.equal(env.code, 0);
  assert.match(env.out, /^MY_POD=echo$/m);
  assert.match(env.out, new RegExp(`^MY_IP=${ip.replace(/\./g, '\\.')}$`, 'm'));
  assert.match(env.out, /^KUBERNETES_SERVICE_HOST=10\.96\.0\.1$/m);
  assert.match(env.out, /^KUBERNETES_PORT_443_TCP=tcp:\/\/10\.96\.0\.1:443$/m);
  const resolv = await execText('echo', ['cat', '/etc/resolv.conf']);
  assert.equal(resolv.out, 'nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n');
  const hosts = await execText('echo', ['cat', '/etc/hosts']);
  assert.match(hosts.out, new RegExp(`^${ip.replace(/\./g, '\\.')}\techo$`, 'm'));

  await execText('echo', ['touch', '/tmp/ready']);
  await waitFor('Ready', async () => {
    const p = await getPod('echo');
    return p.status.conditions.find((c: any) => c.type === 'Ready')?.status === 'True' ? true : undefined;
  });
  await execText('echo', ['rm', '/tmp/ready']);
  await waitFor('not Ready', async () => {
    const p = await getPod('echo');
    return p.status.containerStatuses[0].ready === false ? true : undefined;
  });
  const events = await client.list(R.events, { namespace: 'default', fieldSelector: 'involvedObject.name=echo' });
  const reasons = new Set(events.items.map((e: any) => e.reason));
  for (const r of ['Pulled', 'Created', 'Started', 'Unhealthy']) assert.ok(reasons.has(r), `event ${r} in ${[...reasons].join(',')}`);
  const pulled = events.items.find((e: any) => e.reason === 'Pulled');
  assert.equal(pulled?.message, `Container image "${TEST_IMAGES.echo}" already present on machine`);
  assert.deepEqual(pulled?.source, { component: 'kubelet', host: NODE });
});

test('exec of a missing executable fails with the runtime words and a hint to use sh', async () => {
  await assert.rejects(execText('echo', ['bash']), (e: any) => /executable file not found in \$PATH/.test(e.message) && /sh/.test(e.hint));
});

test('port-forward connects to the pod port; a closed port is an error', async () => {
  const sock = await kubelet.portForwardBackend.connect('default', 'echo', ECHO_PORT);
  sock.end('GET / HTTP/1.0\r\n\r\n');
  let text = '';
  for await (const c of sock) text += c;
  assert.match(text, /Hello, world!/);
  await assert.rejects(kubelet.portForwardBackend.connect('default', 'echo', 9), /connection refused/);
});

test('a failing liveness probe restarts the container', async () => {
  await client.create(R.pods, 'default', pod('live', {
    terminationGracePeriodSeconds: 1,
    containers: [{ name: 'live', image: TEST_IMAGES.busybox, command: ['sleep', '3600'], livenessProbe: { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 1 } }],
  }));
  await waitFor('a restart', async () => {
    const p = await getPod('live');
    return (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 ? true : undefined;
  }, 30_000);
  const events = await client.list(R.events, { namespace: 'default', fieldSelector: 'involvedObject.name=live' });
  assert.ok(events.items.some((e: any) => e.reason === 'Killing' && e.message === 'Container live failed liveness probe, will be restarted'));
  assert.ok(events.items.some((e: any) => e.reason === 'Unhealthy' && e.message.startsWith('Liveness probe failed')));
  await client.delete(R.pods, 'default', 'live');
});

test('a crashing container restarts into CrashLoopBackOff', async () => {
  await client.create(R.pods, 'default', pod('crash', { containers: [{ name: 'crash', image: TEST_IMAGES.busybox, command: ['sh', '-c', 'echo boom; exit 3'] }] }));
  const p = await waitFor('CrashLoopBackOff', async () => {
    const p = await getPod('crash');
    const cs = p.status?.containerStatuses?.[0];
    return cs?.state?.waiting?.reason === 'CrashLoopBackOff' ? p : undefined;
  }, 30_000);
  const cs = p.status.containerStatuses[0];
  assert.ok(cs.restartCount >= 1);
  assert.equal(cs.lastState.terminated.exitCode, 3);
  assert.equal(cs.lastState.terminated.reason, 'Error');
  assert.equal(p.status.phase, 'Running');
  const logs = await kubelet.logs('default', 'crash', 'crash', {});
  let text = '';
  for await (const c of logs) text += c;
  assert.equal(text, 'boom\n');
  const stamped = await kubelet.logs('default', 'crash', 'crash', { timestamps: true, tailLines: 1 });
  let line = '';
  for await (const c of stamped) line += c;
  assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z boom\n$/);
  const events = await client.list(R.events, { namespace: 'default', fieldSelector: 'involvedObject.name=crash' });
  const backoff = events.items.find((e: any) => e.reason === 'BackOff');
  assert.equal(backoff?.message, `Back-off restarting failed container crash in pod crash_default(${p.metadata.uid})`);
});

test('a restarted kubelet adopts running pods: same container, same IP, no new IP handed out twice', async () => {
  const before = await getPod('echo');
  await kubelet.stop();
  await launch();
  await client.create(R.pods, 'default', pod('second', { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: TEST_IMAGES.busybox, command: ['sleep', '3600'] }] }));
  const second = await waitFor('second Running', async () => {
    const p = await getPod('second');
    return p.status?.phase === 'Running' ? p : undefined;
  }, 30_000);
  const after = await getPod('echo');
  assert.equal(after.status.containerStatuses[0].containerID, before.status.containerStatuses[0].containerID);
  assert.equal(after.status.podIP, before.status.podIP);
  assert.notEqual(second.status.podIP, before.status.podIP);
  const crash = await getPod('crash');
  assert.ok(crash.status.containerStatuses[0].restartCount >= 1, 'restart count kept from container names');
  await client.delete(R.pods, 'default', 'second');
});

test('what `kubectl get pods -w` shows: Pending, ContainerCreating, Running; deleted: Terminating, then its container\'s end (Failed: Error) before it goes', async () => {
  const seen: string[] = [];
  const phases: string[] = [];
  const stop = new AbortController();
  const watching = (async () => {
    for await (const ev of client.watch(R.pods, { namespace: 'default', name: 'watched', signal: stop.signal })) {
      const { ready, status } = podSummary(ev.object, new Date());
      if (seen.at(-1) !== `${ready} ${status}`) seen.push(`${ready} ${status}`);
      phases.push(String(ev.object.status?.phase));
      if (ev.type === 'DELETED') return;
    }
  })().catch((e) => { if (!stop.signal.aborted) throw e; });
  try {
    // SIGTERM is ignored by a shell that is PID 1 with no trap: killed after the 1 s grace (137)
    await client.create(R.pods, 'default', pod('watched', { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: TEST_IMAGES.busybox, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'sleep 3600'] }] }));
    await waitFor('watched Running', async () => (seen.includes('1/1 Running') ? true : undefined), 30_000);
    await client.delete(R.pods, 'default', 'watched');
    await watching;
  } finally {
    stop.abort();
  }
  // kubectl 1.28+ prints a deleted pod in a terminal phase by its container's end, not Terminating
  assert.deepEqual(seen, ['0/1 Pending', '0/1 ContainerCreating', '1/1 Running', '1/1 Terminating', '0/1 Error']);
  assert.equal(phases.at(-1), 'Failed', 'deleted, its container killed: Failed, as kubelets since 1.27 write it');
});

test('deleting pods removes every container, then the kubelet removes the Terminating pods', async () => {
  for (const [name, grace] of [['echo', 1], ['crash', 30]] as const) {
    const marked = await client.delete(R.pods, 'default', name);
    assert.ok(marked.metadata.deletionTimestamp, `${name} is Terminating, not gone`);
    assert.equal(marked.metadata.deletionGracePeriodSeconds, grace, name);
  }
  await waitFor('containers gone', async () => {
    const left = await s.rt.listContainers({ ...s.labels, [LABELS.role]: 'pod' }, true);
    return left.length === 0 ? true : undefined;
  }, 30_000);
  await waitFor('pod objects gone', async () => ((await client.list(R.pods, { namespace: 'default' })).items.length === 0 ? true : undefined), 30_000);
  assert.deepEqual(errors.map(String), []);
});
