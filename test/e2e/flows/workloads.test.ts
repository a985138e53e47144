// Workloads beyond Deployments on a real 2-node cluster with real kubectl, one cluster for the
// file: the StatefulSet tutorial (headless Service, ordered creation, web-0.nginx in DNS, data
// kept in the claim across a pod's deletion, scale 3 then 1 from the top, rollout status,
// history and undo, delete --cascade=orphan and adoption), `kubectl run -i --rm` of a short command, a DaemonSet on each node and on a node added later, Jobs that complete and
// fail, `create job`, the access review, node leases, an autoscaler without metrics, a
// Deployment's rollout undo, and a CronJob made at the start that has run by the end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_IMAGES } from '../../images/index.ts';
import { busyboxPod, echoDeployment, ok, poll, startFlow, type Flow } from './cluster.ts';

let f: Flow;
const BB = TEST_IMAGES.busybox;
const k = (...args: string[]) => f.kubectl('kubectl', ...args);
const out = async (...args: string[]) => {
  const r = await k(...args);
  ok(r, `kubectl ${args.join(' ')}`);
  return r.stdout;
};
const apply = async (name: string, yaml: string) => ok(await k('apply', '-f', f.file(name, yaml)), `apply ${name}`);
const podNames = async (selector: string) => (await out('get', 'pods', '-l', selector, '-o', 'jsonpath={range .items[*]}{.metadata.name} {end}')).trim().split(' ').filter(Boolean).sort();

const cronJob = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: tick
            image: ${BB}
            imagePullPolicy: IfNotPresent
            command: ["sh", "-c", "date; echo tick"]
`;

before(async () => {
  f = await startFlow('workloads', { nodes: 2 });
  // made first: by the last test a minute has turned at least once
  await apply('cronjob.yaml', cronJob);
  await apply('client.yaml', busyboxPod('client'));
}, { timeout: 180_000 });
after(async () => { await f?.teardown(); }, { timeout: 180_000 });

const web = `apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels: {app: nginx}
spec:
  ports: [{port: 80, name: web}]
  clusterIP: None
  selector: {app: nginx}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 2
  selector:
    matchLabels: {app: nginx}
  template:
    metadata:
      labels: {app: nginx}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: nginx
        image: ${BB}
        imagePullPolicy: IfNotPresent
        command: ["httpd", "-f", "-p", "80", "-h", "/usr/share/nginx/html"]
        ports: [{containerPort: 80, name: web}]
        volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]
  volumeClaimTemplates:
  - metadata: {name: www}
    spec:
      accessModes: ["ReadWriteOnce"]
      resources: {requests: {storage: 1Gi}}
`;

const running = async (selector: string, n: number) =>
  poll(`${n} running pods ${selector}`, async () => {
    const r = await k('get', 'pods', '-l', selector, '--no-headers');
    const rows = r.stdout.trim().split('\n').filter(Boolean);
    return rows.length === n && rows.every((l) => /\s1\/1\s+Running\s/.test(l)) ? rows : undefined;
  }, { ms: 120_000, last: () => '' });

test('the StatefulSet tutorial: ordered pods, stable names in DNS, data kept in the claim, scaling from the top, rollouts', async () => {
  const watch = f.spawn('kubectl', ['get', 'pods', '-w', '-l', 'app=nginx']);
  await apply('web.yaml', web);
  await running('app=nginx', 2);
  await watch.stop();
  const lines = watch.stdout().split('\n');
  const web0Ready = lines.findIndex((l) => /^web-0\s+1\/1\s+Running/.test(l));
  const web1First = lines.findIndex((l) => l.startsWith('web-1 '));
  assert.ok(web0Ready >= 0 && web1First > web0Ready, `web-1 appeared before web-0 ran:\n${watch.stdout()}`);
  // the kubelet says ContainerCreating before the pod runs, as the tutorial's watch shows
  assert.ok(lines.findIndex((l) => /^web-0\s+0\/1\s+ContainerCreating\s/.test(l)) < web0Ready, `no ContainerCreating before Running:\n${watch.stdout()}`);
  assert.ok(lines.some((l) => /^web-0\s+0\/1\s+ContainerCreating\s/.test(l)), `no ContainerCreating:\n${watch.stdout()}`);
  assert.match(await out('get', 'sts', 'web'), /^NAME\s+READY\s+AGE\nweb\s+2\/2\s+\S+\n$/);
  const claims = await out('get', 'pvc', '--no-headers', '-o', 'custom-columns=NAME:.metadata.name,STATUS:.status.phase');
  assert.deepEqual(claims.trim().split('\n').map((l) => l.split(/\s+/).join(' ')), ['www-web-0 Bound', 'www-web-1 Bound']);
  for (const n of ['web-0', 'web-1']) {
    assert.equal(await out('exec', n, '--', 'sh', '-c', 'hostname'), `${n}\n`);
    ok(await k('exec', n, '--', 'sh', '-c', `echo ${n} > /usr/share/nginx/html/index.html`), `write on ${n}`);
  }
  // the headless Service names each pod. busybox 1.35's nslookup does not walk the search path
  // (the tutorial pins busybox:1.28 for that), so it gets the full name; ping resolves the short
  // one through /etc/resolv.conf's search path as any libc client does
  const ip0 = await out('get', 'pod', 'web-0', '-o', 'jsonpath={.status.podIP}');
  const ip = ip0.replaceAll('.', '\\.');
  const lookup = await poll('web-0.nginx resolves', async () => {
    const r = await k('exec', 'client', '--', 'nslookup', 'web-0.nginx.default.svc.cluster.local');
    return r.exitCode === 0 && r.stdout.includes(ip0) ? r.stdout : undefined;
  }, { ms: 30_000 });
  assert.match(lookup, new RegExp(`Name:\\s+web-0\\.nginx\\.default\\.svc\\.cluster\\.local\\nAddress:\\s+${ip}\\n`));
  assert.match(await out('exec', 'client', '--', 'ping', '-c1', '-W2', 'web-0.nginx'), new RegExp(`^PING web-0\\.nginx \\(${ip}\\)`));
  // SRV and PTR records name the pods by hostname, as the DNS specification says
  const srv = await out('exec', 'client', '--', 'nslookup', '-type=srv', 'nginx.default.svc.cluster.local');
  for (const n of ['web-0', 'web-1']) assert.match(srv, new RegExp(`nginx\\.default\\.svc\\.cluster\\.local\\s+service = 0 50 80 ${n}\\.nginx\\.default\\.svc\\.cluster\\.local\\n`));
  assert.match(await out('exec', 'client', '--', 'nslookup', ip0), /in-addr\.arpa\s+name = web-0\.nginx\.default\.svc\.cluster\.local\n/);
  assert.equal(await out('exec', 'client', '--', 'wget', '-qO-', 'http://web-1.nginx'), 'web-1\n');
  // a pod deleted comes back under its name, with its claim and what was written in it
  const uid = await out('get', 'pod', 'web-0', '-o', 'jsonpath={.metadata.uid}');
  ok(await k('delete', 'pod', 'web-0'), 'delete pod web-0');
  await poll('web-0 back', async () => {
    const r = await k('get', 'pod', 'web-0', '-o', 'jsonpath={.metadata.uid} {.status.phase}');
    return r.exitCode === 0 && !r.stdout.startsWith(uid) && r.stdout.endsWith('Running') ? true : undefined;
  }, { ms: 90_000 });
  assert.equal(await out('exec', 'web-0', '--', 'cat', '/usr/share/nginx/html/index.html'), 'web-0\n');
  assert.equal(await out('rollout', 'status', 'sts/web'), 'partitioned roll out complete: 2 new pods have been updated...\n');

  ok(await k('scale', 'sts', 'web', '--replicas=3'), 'scale to 3');
  await running('app=nginx', 3);
  ok(await k('scale', 'sts', 'web', '--replicas=1'), 'scale to 1');
  const seen: string[][] = [];
  await poll('one pod left', async () => {
    const names = await podNames('app=nginx');
    if (JSON.stringify(seen.at(-1)) !== JSON.stringify(names)) seen.push(names);
    return names.length === 1 ? names : undefined;
  }, { ms: 90_000, everyMs: 100 });
  assert.deepEqual(seen.filter((s) => s.length === 2), [['web-0', 'web-1']], `web-2 was to go first: ${JSON.stringify(seen)}`);
  assert.deepEqual(await podNames('app=nginx'), ['web-0']);

  // a template change is a new revision; undo brings the first back
  ok(await k('set', 'env', 'sts/web', 'GREETING=hi'), 'set env');
  assert.match(await out('rollout', 'status', 'sts/web', '--timeout=90s'), /partitioned roll out complete: 1 new pods have been updated\.\.\.\n$/);
  assert.equal(await out('rollout', 'history', 'sts/web'), 'statefulset.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
  assert.equal(await out('rollout', 'undo', 'sts/web'), 'statefulset.apps/web rolled back\n');
  await poll('the first template again', async () => ((await out('get', 'pod', 'web-0', '-o', 'jsonpath={.spec.containers[0].env}')) === '' ? true : undefined), { ms: 90_000 });
  // revision 1 came back as 3 (rows are sorted by name)
  const revs = (await out('get', 'controllerrevisions')).trim().split('\n');
  assert.match(revs[0]!, /^NAME\s+CONTROLLER\s+REVISION\s+AGE$/);
  assert.deepEqual(revs.slice(1).map((l) => l.split(/\s+/).slice(1, 3).join(' ')).sort(), ['statefulset.apps/web 2', 'statefulset.apps/web 3']);

  // deleted with --cascade=orphan, the pods stay; applied again, the set adopts web-0 as it is
  // (same pod, same revision) and makes web-1
  const kept = await out('get', 'pod', 'web-0', '-o', 'jsonpath={.metadata.uid}');
  assert.equal(await out('delete', 'statefulset', 'web', '--cascade=orphan'), 'statefulset.apps "web" deleted\n');
  assert.deepEqual(await podNames('app=nginx'), ['web-0']);
  await apply('web.yaml', web);
  await running('app=nginx', 2);
  assert.equal(await out('get', 'pod', 'web-0', '-o', 'jsonpath={.metadata.uid} {.metadata.ownerReferences[0].name}'), `${kept} web`);
  assert.match(await out('get', 'sts', 'web'), /^NAME\s+READY\s+AGE\nweb\s+2\/2\s+\S+\n$/);
});

test('kubectl run -i --rm of a command that ends at once: its output, its exit code, the pod gone', async () => {
  for (const bin of ['kubectl', '/usr/lib/google-cloud-sdk/bin/kubectl.1.27']) {
    const r = await f.kubectl(bin, 'run', '-i', '--rm', '--restart=Never', 'quick', `--image=${BB}`, '--image-pull-policy=IfNotPresent', '--', 'sh', '-c', 'echo bye; exit 3');
    assert.equal(r.exitCode, 3, `${bin}: ${r.stderr}`);
    assert.match(r.stdout, /^bye\n/m, bin);
    assert.match(r.stderr, /pod default\/quick terminated \(Error\)/, bin);
    assert.equal((await k('get', 'pod', 'quick')).exitCode, 1, `${bin}: the pod is deleted`);
  }
});

const daemon = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: agent
        image: ${BB}
        imagePullPolicy: IfNotPresent
        command: ["sleep", "3600"]
`;

test('a DaemonSet runs a pod on each node, and on a node added afterwards', async () => {
  await apply('ds.yaml', daemon);
  const nodesOf = async () => (await out('get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={range .items[*]}{.spec.nodeName}={.status.phase} {end}')).trim().split(' ').filter(Boolean).sort();
  const nodes = (await out('get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}')).split(' ');
  const onEach = (names: string[]) => JSON.stringify(names.map((n) => `${n}=Running`).sort());
  await poll('a daemon on each node', async () => (JSON.stringify(await nodesOf()) === onEach(nodes) ? true : undefined), { ms: 90_000 });
  assert.equal(await out('rollout', 'status', 'ds/agent', '--timeout=60s'), 'daemon set "agent" successfully rolled out\n');
  assert.match(await out('get', 'ds', 'agent'), /^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\nagent\s+2\s+2\s+2\s+2\s+2\s+<none>\s+\S+\n$/);
  ok(await f.mk('node', 'add', '-p', f.profile), 'mk node add');
  const all = (await out('get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}')).split(' ').sort();
  assert.equal(all.length, 3);
  await poll('a daemon on the new node', async () => (JSON.stringify(await nodesOf()) === onEach(all) ? true : undefined), { ms: 120_000 });
  const added = all.find((n) => !nodes.includes(n))!;
  ok(await f.mk('node', 'delete', added, '-p', f.profile), 'mk node delete');
  await poll('gone with its node', async () => (JSON.stringify(await nodesOf()) === onEach(nodes) ? true : undefined), { ms: 90_000 });
});

const job = (name: string, spec: string, script: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${spec}
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: ${name}
        image: ${BB}
        imagePullPolicy: IfNotPresent
        command: ["sh", "-c", "${script}"]
`;

test('Jobs: completions 3 at 2 a time complete and kubectl wait returns; a failing one stops at its backoffLimit', async () => {
  await apply('work.yaml', job('work', '  completions: 3\n  parallelism: 2', 'sleep 1; echo done'));
  await apply('fail.yaml', job('fail', '  backoffLimit: 1', 'echo no; exit 1'));
  assert.equal(await out('wait', '--for=condition=complete', 'job/work', '--timeout=120s'), 'job.batch/work condition met\n');
  assert.match(await out('get', 'job', 'work'), /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\nwork\s+Complete\s+3\/3\s+\S+\s+\S+\n$/);
  assert.equal((await podNames('job-name=work')).length, 3);
  assert.equal(await out('wait', '--for=condition=failed', 'job/fail', '--timeout=120s'), 'job.batch/fail condition met\n');
  assert.match(await out('get', 'job', 'fail'), /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\nfail\s+Failed\s+0\/1\s+\S+\s+\S+\n$/);
  const d = await out('describe', 'job', 'fail');
  assert.match(d, /Pods Statuses:\s+0 Active \(0 Ready\) \/ 0 Succeeded \/ 2 Failed\n/);
  assert.match(d, /Warning\s+BackoffLimitExceeded\s+\S+\s+job-controller\s+Job has reached the specified backoff limit/);
  ok(await k('create', 'job', 'hello', `--image=${BB}`, '--', 'echo', 'hi'), 'create job');
  assert.equal(await out('wait', '--for=condition=complete', 'job/hello', '--timeout=90s'), 'job.batch/hello condition met\n');
  assert.equal(await out('logs', 'job/hello'), 'hi\n');
});

test('auth can-i, node leases, an autoscaler without metrics', async () => {
  assert.equal(await out('auth', 'can-i', 'create', 'pods'), 'yes\n');
  const leases = await out('get', 'leases', '-n', 'kube-node-lease', '--no-headers', '-o', 'custom-columns=NAME:.metadata.name,HOLDER:.spec.holderIdentity');
  const nodes = (await out('get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}')).split(' ').sort();
  assert.deepEqual(leases.trim().split('\n').map((l) => l.split(/\s+/)), nodes.map((n) => [n, n]));
  await apply('echo.yaml', echoDeployment('echo', { replicas: 1 }));
  ok(await k('autoscale', 'deployment', 'echo', '--min=2', '--max=4'), 'autoscale');
  const row = await poll('scaled to its minimum', async () => {
    const r = await k('get', 'hpa', 'echo', '--no-headers');
    return /^echo\s+Deployment\/echo\s+cpu: <unknown>\/80%\s+2\s+4\s+2\s+\S+\n$/.test(r.stdout) ? r.stdout : undefined;
  }, { ms: 60_000 });
  assert.ok(row);
  assert.equal(await out('get', 'deploy', 'echo', '-o', 'jsonpath={.spec.replicas}'), '2');
});

test('a Deployment\'s rollout undo after a template change', async () => {
  ok(await k('rollout', 'status', 'deploy/echo', '--timeout=90s'), 'first rollout');
  ok(await k('set', 'env', 'deploy/echo', 'VERSION=2.0.0'), 'set env');
  ok(await k('rollout', 'status', 'deploy/echo', '--timeout=90s'), 'second rollout');
  assert.equal(await out('rollout', 'history', 'deploy/echo'), 'deployment.apps/echo \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
  assert.equal(await out('rollout', 'undo', 'deploy/echo'), 'deployment.apps/echo rolled back\n');
  ok(await k('rollout', 'status', 'deploy/echo', '--timeout=90s'), 'undone');
  assert.equal(await out('get', 'deploy', 'echo', '-o', 'jsonpath={.spec.template.spec.containers[0].env}'), '');
});

test('the CronJob made at the start has run a Job; create job --from=cronjob works', async () => {
  const jobName = await poll('a scheduled job', async () => {
    const r = await out('get', 'jobs', '-o', 'jsonpath={range .items[*]}{.metadata.ownerReferences[0].name}={.metadata.name} {end}');
    return r.split(' ').find((x) => x.startsWith('tick=tick-'))?.slice('tick='.length);
  }, { ms: 90_000, everyMs: 1000 });
  assert.equal(await out('wait', '--for=condition=complete', `job/${jobName}`, '--timeout=90s'), `job.batch/${jobName} condition met\n`);
  assert.match(await out('get', 'cj', 'tick'), /^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\ntick\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+[01]\s+\d+s\s+\S+\n$/);
  ok(await k('create', 'job', 'manual', '--from=cronjob/tick'), 'create job --from');
  assert.equal(await out('wait', '--for=condition=complete', 'job/manual', '--timeout=90s'), 'job.batch/manual condition met\n');
  assert.match(await out('logs', 'job/manual'), /tick\n$/);
  const all = await out('get', 'all');
  for (const kind of ['pod/', 'service/nginx', 'daemonset.apps/agent', 'statefulset.apps/web', 'horizontalpodautoscaler.autoscaling/echo', 'cronjob.batch/tick', 'job.batch/work']) assert.ok(all.includes(kind), `get all lacks ${kind}:\n${all}`);
});
