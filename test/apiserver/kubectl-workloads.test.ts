// Real kubectl against the in-process API server (no controllers): the workload kinds beyond
// Deployments and the kinds kubectl asks for — created the ways users create them (typed
// `create` commands send protobuf in kubectl 1.32+, JSON before), listed with their columns,
// refused with Kubernetes' messages — and `auth can-i|whoami` answered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCluster } from './harness.ts';
import { saveClusterAccess } from '../../src/kubeconfig/index.ts';

const bin = (minor: number) => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
const MINORS = [27, 32, 33].filter((m) => existsSync(bin(m)));
let c: TestCluster;
let home: string;

function kubectl(minor: number, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = execFile(bin(minor), ['--kubeconfig', join(home, 'config'), '--cache-dir', join(home, `cache-${minor}`), ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    if (input !== undefined) p.stdin!.end(input);
  });
}

before(async () => {
  c = await TestCluster.start();
  home = mkdtempSync(join(tmpdir(), 'mk-kubectl-wl-'));
  saveClusterAccess({ profile: 'mk', server: c.server.url, caPem: c.server.caPem, token: c.server.token }, { path: join(home, 'config') });
});
after(async () => {
  await c.stop();
  rmSync(home, { recursive: true, force: true });
});

test('kubectl auth can-i answers yes, --list shows every rule, whoami the admin', { skip: MINORS.length === 0 }, async () => {
  for (const m of MINORS) {
    const r = await kubectl(m, ['auth', 'can-i', 'create', 'pods']);
    assert.deepEqual([r.code, r.stdout], [0, 'yes\n'], `1.${m}: ${r.stderr}`);
    const sa = await kubectl(m, ['auth', 'can-i', 'delete', 'deployments', '-n', 'kube-system']);
    assert.equal(sa.stdout, 'yes\n', sa.stderr);
    const list = await kubectl(m, ['auth', 'can-i', '--list']);
    assert.equal(list.stdout, 'Resources   Non-Resource URLs   Resource Names   Verbs\n*.*         []                  []               [*]\n            [*]                 []               [*]\n', list.stderr);
  }
  const who = await kubectl(MINORS.at(-1)!, ['auth', 'whoami']);
  assert.equal(who.stdout, 'ATTRIBUTE   VALUE\nUsername    kubernetes-admin\nGroups      [system:masters system:authenticated]\n', who.stderr);
});

test('kubectl create job and cronjob, and a job from a cronjob, in protobuf (1.32+) and JSON', { skip: MINORS.length === 0 }, async () => {
  for (const m of MINORS) {
    let r = await kubectl(m, ['create', 'job', `j${m}`, '--image=busybox', '--', 'echo', 'hi']);
    assert.equal(r.stdout, `job.batch/j${m} created\n`, r.stderr);
    const job = (await c.get(`/apis/batch/v1/namespaces/default/jobs/j${m}`)).json;
    const uid = job.metadata.uid;
    assert.deepEqual(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': `j${m}`, 'controller-uid': uid, 'job-name': `j${m}` };
    assert.deepEqual(job.spec.template.metadata.labels, labels);
    assert.deepEqual(job.metadata.labels, labels);
    assert.deepEqual([job.spec.completions, job.spec.parallelism, job.spec.backoffLimit, job.spec.template.spec.restartPolicy], [1, 1, 6, 'Never']);
    assert.deepEqual(job.spec.template.spec.containers[0].command, ['echo', 'hi']);
    r = await kubectl(m, ['create', 'cronjob', `cj${m}`, '--image=busybox', '--schedule=*/5 * * * *', '--', 'date']);
    assert.equal(r.stdout, `cronjob.batch/cj${m} created\n`, r.stderr);
    r = await kubectl(m, ['create', 'job', `manual${m}`, `--from=cronjob/cj${m}`]);
    assert.equal(r.stdout, `job.batch/manual${m} created\n`, r.stderr);
    const manual = (await c.get(`/apis/batch/v1/namespaces/default/jobs/manual${m}`)).json;
    const cj = (await c.get(`/apis/batch/v1/namespaces/default/cronjobs/cj${m}`)).json;
    assert.equal(manual.metadata.annotations['cronjob.kubernetes.io/instantiate'], 'manual');
    // kubectl 1.27 names the owner without `controller: true`; later ones with it
    assert.deepEqual(manual.metadata.ownerReferences.map((o: any) => [o.kind, o.name, o.uid]), [['CronJob', `cj${m}`, cj.metadata.uid]]);
    assert.deepEqual(manual.spec.template.spec.containers[0].command, ['date']);
  }
  const r = await kubectl(MINORS.at(-1)!, ['get', 'cronjobs']);
  assert.match(r.stdout, /^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\ncj\d+\s+\*\/5 \* \* \* \*\s+<none>\s+False\s+0\s+<none>\s+\d+s\n/);
  const jobs = await kubectl(MINORS.at(-1)!, ['get', 'jobs']);
  assert.match(jobs.stdout, /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\nj\d+\s+Running\s+0\/1\s+\d+s\n/);
});

test('bad jobs and cronjobs are refused with the field and Kubernetes\' words', { skip: MINORS.length === 0 }, async () => {
  const m = MINORS.at(-1)!;
  let r = await kubectl(m, ['create', 'cronjob', 'bad', '--image=busybox', '--schedule=61 * * * *']);
  assert.equal(r.stderr, 'error: failed to create cronjob: CronJob.batch "bad" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61\n');
  const job = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: always\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: busybox}]\n';
  r = await kubectl(m, ['apply', '-f', '-'], job);
  assert.equal(r.stderr, 'The Job "always" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"\n');
  r = await kubectl(m, ['apply', '-f', '-'], job.replace('name: always', 'name: neg').replace('spec:\n  template', 'spec:\n  completions: -1\n  template').replace('containers:', 'restartPolicy: Never\n      containers:'));
  assert.equal(r.stderr, 'The Job "neg" is invalid: spec.completions: Invalid value: -1: must be greater than or equal to 0\n');
});

test('statefulsets and daemonsets: created, scaled through /scale, listed; a forbidden update refused', { skip: MINORS.length === 0 }, async () => {
  const m = MINORS.at(-1)!;
  const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 2
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers: [{name: nginx, image: nginx-slim:0.24, volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]}]
  volumeClaimTemplates:
  - metadata: {name: www}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {kubernetes.io/os: linux}
      containers: [{name: agent, image: agent:1}]
`;
  let r = await kubectl(m, ['apply', '-f', '-'], sts);
  assert.equal(r.stdout, 'statefulset.apps/web created\ndaemonset.apps/agent created\n', r.stderr);
  const got = (await c.get('/apis/apps/v1/namespaces/default/statefulsets/web')).json;
  assert.deepEqual([got.spec.podManagementPolicy, got.spec.updateStrategy, got.spec.revisionHistoryLimit, got.spec.persistentVolumeClaimRetentionPolicy],
    ['OrderedReady', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, 10, { whenDeleted: 'Retain', whenScaled: 'Retain' }]);
  // claim templates are defaulted as claims are (kubectl get sts -o yaml shows them so)
  assert.deepEqual([got.spec.volumeClaimTemplates[0].spec.volumeMode, got.spec.volumeClaimTemplates[0].status], ['Filesystem', { phase: 'Pending' }]);
  r = await kubectl(m, ['scale', 'sts', 'web', '--replicas=3']);
  assert.equal(r.stdout, 'statefulset.apps/web scaled\n', r.stderr);
  r = await kubectl(m, ['get', 'sts,ds']);
  assert.match(r.stdout, /^NAME\s+READY\s+AGE\nstatefulset\.apps\/web\s+0\/3\s+\d+s\n\nNAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\ndaemonset\.apps\/agent\s+0\s+0\s+0\s+0\s+0\s+kubernetes\.io\/os=linux\s+\d+s\n$/);
  r = await kubectl(m, ['patch', 'sts', 'web', '-p', '{"spec":{"serviceName":"other"}}']);
  assert.equal(r.stderr, 'The StatefulSet "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than \'replicas\', \'ordinals\', \'template\', \'updateStrategy\', \'revisionHistoryLimit\', \'persistentVolumeClaimRetentionPolicy\' and \'minReadySeconds\' are forbidden\n');
  r = await kubectl(m, ['apply', '-f', '-'], sts.split('---')[0]!.replace('name: web', 'name: bad').replace('{name: www, mountPath', '{name: wwww, mountPath'));
  assert.equal(r.stderr, 'The StatefulSet "bad" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: "wwww"\n');
  r = await kubectl(m, ['get', 'all']);
  const kinds = [...r.stdout.matchAll(/^([a-z.]+)\//gm)].map((x) => x[1]);
  assert.deepEqual([...new Set(kinds)], ['service', 'daemonset.apps', 'statefulset.apps', 'cronjob.batch', 'job.batch'], r.stdout);
});

test('kubectl autoscale writes v2 (1.33) or v1 (1.27, 1.32); get hpa says the CPU is unknown', { skip: MINORS.length === 0 }, async () => {
  const m = MINORS.at(-1)!;
  let r = await kubectl(m, ['create', 'deployment', 'php-apache', '--image=php-apache:1']);
  assert.equal(r.code, 0, r.stderr);
  for (const v of MINORS) {
    r = await kubectl(v, ['autoscale', 'deployment', 'php-apache', `--name=hpa${v}`, '--cpu-percent=50', '--min=1', '--max=10']);
    assert.equal(r.stdout, `horizontalpodautoscaler.autoscaling/hpa${v} autoscaled\n`, r.stderr);
  }
  r = await kubectl(m, ['get', 'hpa', `hpa${m}`]);
  assert.match(r.stdout, /^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\nhpa\d+\s+Deployment\/php-apache\s+cpu: <unknown>\/50%\s+1\s+10\s+0\s+\d+s\n$/);
  const v1 = (await c.get(`/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/hpa${MINORS[0]}`)).json;
  assert.deepEqual([v1.apiVersion, v1.spec.targetCPUUtilizationPercentage, v1.spec.minReplicas], ['autoscaling/v1', 50, 1]);
  const v2 = (await c.get(`/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/hpa${MINORS[0]}`)).json;
  assert.deepEqual(v2.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
});
