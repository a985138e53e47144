// A cluster survives its own restarts: on a real 2-node cluster with a Deployment of 2 echo
// pods (one restarted once, so RESTARTS is 1) and a client pod, `docker restart` of the control
// plane, then of the worker, then kill -9 of the agent in each node. After each, real kubectl
// works again through the context `mk start` wrote, with no user action, within 10 s; the pods
// are the same (names, IPs, container ids, restart counts), the Service answers from a pod, the
// node's service route is back, and `mk status` says the kubeconfig is Configured. Before all
// that, profile commands without -p act on this cluster: `mk start -p` made its context current.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { busyboxPod, echoDeployment, fromPod, ok, poll, startFlow, type Flow } from '../flows/cluster.ts';

let f: Flow;
const kubectl = (...args: string[]) => f.kubectl('kubectl', ...args);
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();

interface PodFacts { name: string; ip: string; node: string; containers: string[]; restarts: number[] }

/** What `kubectl get pods -o json` says of every pod: name, IP, node, container ids, restarts. */
async function pods(): Promise<PodFacts[]> {
  const r = await kubectl('get', 'pods', '-o', 'json');
  ok(r, 'kubectl get pods -o json');
  return (JSON.parse(r.stdout).items as any[]).map((p) => ({
    name: p.metadata.name,
    ip: p.status.podIP,
    node: p.spec.nodeName,
    containers: (p.status.containerStatuses ?? []).map((c: any) => c.containerID),
    restarts: (p.status.containerStatuses ?? []).map((c: any) => c.restartCount),
  })).sort((a, b) => a.name.localeCompare(b.name));
}

/** kubectl answers again, within 10 s of the disruption, with no user action. */
async function backWithin10s(what: string): Promise<void> {
  let last = '';
  await poll(`kubectl get pods after ${what}`, async () => {
    const r = await kubectl('get', 'pods');
    last = r.stdout + r.stderr;
    return r.exitCode === 0 ? true : undefined;
  }, { ms: 10_000, everyMs: 200, last: () => last });
}

/** The node's kubelet is back: its Ready heartbeat is from after `since` (ms). */
async function kubeletBack(node: string, since: number): Promise<void> {
  await poll(`a heartbeat of ${node} after its restart`, async () => {
    const r = await kubectl('get', 'node', node, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].lastHeartbeatTime}');
    return r.exitCode === 0 && Date.parse(r.stdout) >= Math.floor(since / 1000) * 1000 ? true : undefined;
  }, { ms: 30_000, everyMs: 250 });
}

/** PID of the agent inside a node: the child of its init (docker-init runs the agent). */
const agentPid = (node: string) => docker('exec', node, 'cat', '/proc/1/task/1/children').split(/\s+/)[0]!;
const restartCount = (node: string) => Number(docker('inspect', '-f', '{{.RestartCount}}', node));

let initial: PodFacts[] = [];

before(async () => {
  f = await startFlow('restart');
  ok(await kubectl('apply', '-f', f.file('pods.yaml', `${echoDeployment('echo', { replicas: 2 })}---\n${busyboxPod('client')}`)), 'apply');
  ok(await kubectl('expose', 'deployment', 'echo', '--port=80', '--target-port=8080', '--type=NodePort'), 'expose');
  const running = async () => {
    const ps = await pods();
    return ps.length === 3 && ps.every((p) => p.ip && p.containers.length === 1 && p.containers[0]) ? ps : undefined;
  };
  const first = await poll('3 running pods', running, { ms: 60_000 });
  // one echo container dies and is restarted by the kubelet: RESTARTS 1 must survive what follows
  const victim = first.find((p) => p.name.startsWith('echo-'))!;
  docker('kill', victim.containers[0]!.replace('docker://', ''));
  initial = await poll(`${victim.name} restarted once`, async () => {
    const ps = await running();
    const v = ps?.find((p) => p.name === victim.name);
    return v && v.restarts[0] === 1 && (await kubectl('get', 'pod', victim.name, '-o', 'jsonpath={.status.containerStatuses[0].state.running.startedAt}')).stdout ? ps : undefined;
  }, { ms: 60_000 });
});

after(async () => { await f?.teardown(); });

async function sameClusterAsBefore(what: string): Promise<void> {
  assert.deepEqual(await pods(), initial, `the pods after ${what}: same names, IPs, containers and restart counts`);
  const hosts = await fromPod(f, 'client', 'http://echo', 6);
  const echoes = initial.filter((p) => p.name.startsWith('echo-')).map((p) => p.name);
  assert.ok(hosts.every((h) => echoes.includes(h)), `the Service answers from the echo pods after ${what}: ${hosts.join(', ')}`);
  for (const node of [f.profile, `${f.profile}-m02`]) {
    const route = await f.mk('ssh', '-p', f.profile, '-n', node, '--', 'ip', 'route');
    ok(route, `ip route on ${node}`);
    assert.match(route.stdout, /^local 10\.96\.0\.0\/12 dev lo/m, `the service range route on ${node} after ${what}`);
  }
  const st = await f.mk('status', '-p', f.profile);
  ok(st, `mk status after ${what}`);
  assert.match(st.stdout, /^kubeconfig: Configured$/m);
}

test('without -p, profile commands act on the cluster of the current context (mk start -p made it current)', async () => {
  const ip = (await f.mk('ip', '-p', f.profile)).stdout.trim();
  const nodePort = (await kubectl('get', 'svc', 'echo', '-o', 'jsonpath={.spec.ports[0].nodePort}')).stdout;
  const url = await f.mk('service', 'echo', '--url');
  ok(url, 'mk service echo --url');
  assert.equal(url.stdout, `http://${ip}:${nodePort}\n`);
  assert.equal((await f.mk('ip')).stdout, `${ip}\n`);
  const st = await f.mk('status');
  ok(st, 'mk status');
  assert.match(st.stdout, new RegExp(`^${f.profile}\ntype: Control Plane\n`));
  assert.equal((await f.mk('profile')).stdout, `${f.profile}\n`);
  assert.match((await f.mk('profile', 'list')).stdout, new RegExp(`^\\| ${f.profile} .*\\| \\* +\\|$`, 'm'));
});

test('docker restart of the control plane: kubectl works again by itself, the pods are the same', async () => {
  const kubeconfig = readFileSync(f.kubeconfig, 'utf8');
  const since = Date.now();
  docker('restart', f.profile);
  await backWithin10s('docker restart of the control plane');
  await kubeletBack(f.profile, since);
  assert.equal(readFileSync(f.kubeconfig, 'utf8'), kubeconfig, 'the kubeconfig was not touched');
  await sameClusterAsBefore('docker restart of the control plane');
});

test('docker restart of the worker: its kubelet adopts its pods', async () => {
  const worker = `${f.profile}-m02`;
  const since = Date.now();
  docker('restart', worker);
  await backWithin10s('docker restart of the worker');
  await kubeletBack(worker, since);
  await sameClusterAsBefore('docker restart of the worker');
});

test('kill -9 of the agent in each node: Docker restarts it, nothing is lost', async () => {
  for (const node of [f.profile, `${f.profile}-m02`]) {
    const restarts = restartCount(node);
    const since = Date.now();
    docker('exec', node, 'kill', '-9', agentPid(node));
    await poll(`Docker restarting ${node}`, async () => (restartCount(node) > restarts ? true : undefined), { ms: 10_000, everyMs: 100 });
    await backWithin10s(`kill -9 of the agent in ${node}`);
    await kubeletBack(node, since);
  }
  await sameClusterAsBefore('kill -9 of the agents');
});
