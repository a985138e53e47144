// Pod volumes on a real 2-node cluster driven by real kubectl, one cluster for every case: two
// containers sharing an emptyDir; a ConfigMap edit showing up in the mounted file; Secret files
// 0644 by default and defaultMode honoured; hostPath data kept on its node across pods (and seen
// in `mk ssh` at the same path), never on this machine; a claim of the default class bound to a
// provisioned volume and mounted, `get pv,pvc,sc` as kubectl prints it, its data gone with it;
// curl on the node answering a ClusterIP; and a volume type mk cannot provide refused with its
// field path.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { ECHO_PORT, TEST_IMAGES } from '../../images/index.ts';
import { mkCommand, runProcess } from '../harness.ts';
import { json, maskTrailingAge, ok, poll, squash, startFlow, type Flow } from './cluster.ts';

let f: Flow;
const kubectl = (...args: string[]) => f.kubectl('kubectl', ...args);
const apply = async (name: string, yaml: string) => ok(await kubectl('apply', '-f', f.file(name, yaml)), `apply ${name}`);
const sleeper = (name: string, mounts: string) => `  - name: ${name}
    image: ${TEST_IMAGES.busybox}
    imagePullPolicy: IfNotPresent
    command: ["sleep", "3600"]
    volumeMounts:
${mounts}`;
const podYaml = (name: string, spec: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  terminationGracePeriodSeconds: 0
${spec}`;

async function running(pod: string): Promise<void> {
  let last = '';
  await poll(`${pod} Running`, async () => {
    const p = await json(f, 'pod', pod);
    last = JSON.stringify(p.status);
    return p.status?.phase === 'Running' && (p.status.containerStatuses ?? []).every((c: any) => c.ready) ? true : undefined;
  }, { ms: 90_000, last: () => last, retryErrors: true });
}

async function exec(pod: string, script: string, container?: string): Promise<string> {
  const r = await kubectl('exec', pod, ...(container ? ['-c', container] : []), '--', 'sh', '-c', script);
  ok(r, `exec ${pod} ${script}`);
  return r.stdout;
}

before(async () => {
  f = await startFlow('volumes');
}, { timeout: 240_000 });

after(async () => { await f?.teardown(); }, { timeout: 180_000 });

test('two containers share an emptyDir', async () => {
  await apply('share.yaml', podYaml('share', `  containers:
${sleeper('writer', '    - {name: shared, mountPath: /out}')}
${sleeper('reader', '    - {name: shared, mountPath: /in, readOnly: true}')}
  volumes:
  - name: shared
    emptyDir: {}
`));
  await running('share');
  await exec('share', 'echo "from the writer" > /out/msg', 'writer');
  assert.equal(await exec('share', 'cat /in/msg', 'reader'), 'from the writer\n');
  const r = await kubectl('exec', 'share', '-c', 'reader', '--', 'touch', '/in/x');
  assert.notEqual(r.exitCode, 0);
  assert.match(r.stderr + r.stdout, /Read-only file system/);
});

test('a ConfigMap edit shows up in the mounted file, through ..data', async () => {
  ok(await kubectl('create', 'configmap', 'game', '--from-literal=lives=3', '--from-literal=color=blue'), 'create configmap');
  await apply('cfg.yaml', podYaml('cfg', `  containers:
${sleeper('c', '    - {name: cfg, mountPath: /etc/game}')}
  volumes:
  - name: cfg
    configMap:
      name: game
`));
  await running('cfg');
  assert.equal(await exec('cfg', 'cat /etc/game/lives'), '3');
  assert.equal(await exec('cfg', 'readlink /etc/game/lives'), '..data/lives\n');
  ok(await kubectl('patch', 'configmap', 'game', '--type=merge', '-p', '{"data":{"lives":"9"}}'), 'patch configmap');
  await poll('the new value in the file', async () => ((await exec('cfg', 'cat /etc/game/lives')) === '9' ? true : undefined), { ms: 20_000 });
});

test('Secret files: 0644 by default, defaultMode honoured', async () => {
  ok(await kubectl('create', 'secret', 'generic', 'creds', '--from-literal=username=admin', '--from-literal=password=s3cr3t'), 'create secret');
  await apply('sec.yaml', podYaml('sec', `  containers:
${sleeper('c', '    - {name: plain, mountPath: /plain}\n    - {name: tight, mountPath: /tight}')}
  volumes:
  - name: plain
    secret:
      secretName: creds
  - name: tight
    secret:
      secretName: creds
      defaultMode: 0400
`));
  await running('sec');
  assert.equal(await exec('sec', 'stat -L -c "%a %n" /plain/username /plain/password /tight/username /tight/password'),
    '644 /plain/username\n644 /plain/password\n400 /tight/username\n400 /tight/password\n');
  assert.equal(await exec('sec', 'cat /plain/password'), 's3cr3t');
});

test('hostPath data survives its pod on the same node, is the node\'s /data, and is not on this machine', async () => {
  const dir = `/data/mk-e2e-${randomBytes(3).toString('hex')}`;
  const node = `${f.profile}-m02`;
  const hp = (name: string) => podYaml(name, `  nodeName: ${node}
  containers:
${sleeper('c', '    - {name: h, mountPath: /h}')}
  volumes:
  - name: h
    hostPath:
      path: ${dir}
      type: DirectoryOrCreate
`);
  await apply('hp1.yaml', hp('hp1'));
  await running('hp1');
  await exec('hp1', 'echo kept > /h/file');
  ok(await kubectl('delete', 'pod', 'hp1', '--wait=true'), 'delete hp1');
  await apply('hp2.yaml', hp('hp2'));
  await running('hp2');
  assert.equal(await exec('hp2', 'cat /h/file'), 'kept\n');
  const onNode = await f.mk('ssh', '-n', node, '--', 'cat', `${dir}/file`);
  ok(onNode, 'mk ssh cat');
  assert.equal(onNode.stdout, 'kept\n');
  assert.equal(existsSync(dir), false, `${dir} must not exist on this machine`);
  // a type check that fails: the kubelet's event
  await apply('hp3.yaml', podYaml('hp3', `  nodeName: ${node}
  containers:
${sleeper('c', '    - {name: h, mountPath: /h}')}
  volumes:
  - name: h
    hostPath:
      path: ${dir}/file
      type: Directory
`));
  await poll('FailedMount', async () => {
    const r = await kubectl('get', 'events', '--field-selector', 'involvedObject.name=hp3,reason=FailedMount', '-o', 'jsonpath={.items[*].message}');
    return r.stdout.includes(`hostPath type check failed: ${dir}/file is not a directory`) ? true : undefined;
  }, { ms: 30_000 });
});

test('a claim of the default class is bound, mounted, printed as kubectl prints it, and its data goes with it', async () => {
  await apply('pvc.yaml', `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: task-pv-claim
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 3Gi
---
${podYaml('task-pv-pod', `  containers:
${sleeper('c', '    - {name: storage, mountPath: /usr/share/nginx/html}')}
  volumes:
  - name: storage
    persistentVolumeClaim:
      claimName: task-pv-claim
`)}`);
  await running('task-pv-pod');
  const claim = await json(f, 'pvc', 'task-pv-claim');
  assert.equal(claim.status.phase, 'Bound');
  assert.equal(claim.spec.storageClassName, 'standard');
  const pv = `pvc-${claim.metadata.uid}`;
  assert.equal(claim.spec.volumeName, pv);
  await exec('task-pv-pod', 'echo "Hello from Kubernetes storage" > /usr/share/nginx/html/index.html');
  const onNode = await f.mk('ssh', '--', 'cat', '/tmp/hostpath-provisioner/default/task-pv-claim/index.html');
  ok(onNode, 'the provisioned directory on the node');
  assert.equal(onNode.stdout, 'Hello from Kubernetes storage\n');

  const got = await kubectl('get', 'pv,pvc,sc');
  ok(got, 'kubectl get pv,pvc,sc');
  const mine = await f.mk('get', 'pv,pvc,sc');
  ok(mine, 'mk get pv,pvc,sc');
  assert.equal(squash(maskTrailingAge(mine.stdout)), squash(maskTrailingAge(got.stdout)));
  const lines = got.stdout.split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
  assert.ok(lines.includes('NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE'), got.stdout);
  assert.ok(lines.some((l) => new RegExp(`^persistentvolume/${pv} 3Gi RWO Delete Bound default/task-pv-claim standard <unset> \\S+$`).test(l)), got.stdout);
  assert.ok(lines.includes('NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE'), got.stdout);
  assert.ok(lines.some((l) => new RegExp(`^persistentvolumeclaim/task-pv-claim Bound ${pv} 3Gi RWO standard <unset> \\S+$`).test(l)), got.stdout);
  assert.ok(lines.includes('NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE'), got.stdout);
  assert.ok(lines.some((l) => /^storageclass\.storage\.k8s\.io\/standard \(default\) k8s\.io\/minikube-hostpath Delete Immediate false \S+$/.test(l)), got.stdout);

  ok(await kubectl('delete', 'pod', 'task-pv-pod', '--wait=true'), 'delete pod');
  ok(await kubectl('delete', 'pvc', 'task-pv-claim', '--wait=true'), 'delete pvc');
  await poll('the volume gone', async () => ((await kubectl('get', 'pv', pv)).exitCode !== 0 ? true : undefined), { ms: 30_000 });
  const gone = await f.mk('ssh', '--', 'ls', '/tmp/hostpath-provisioner/default');
  assert.doesNotMatch(gone.stdout, /task-pv-claim/);
});

test('curl on the node answers a ClusterIP; the node shell has curl on its PATH', async () => {
  ok(await kubectl('create', 'deployment', 'web', `--image=${TEST_IMAGES.echo}`, `--port=${ECHO_PORT}`), 'create deployment');
  ok(await kubectl('expose', 'deployment', 'web', '--port=80', `--target-port=${ECHO_PORT}`), 'expose');
  const ip = (await json(f, 'svc', 'web')).spec.clusterIP;
  let last = '';
  const body = await poll('curl answering', async () => {
    const r = await f.mk('ssh', '--', 'curl', '-s', '--max-time', '3', ip);
    last = r.stdout + r.stderr;
    return r.exitCode === 0 && /Hello, world!/.test(r.stdout) ? r.stdout : undefined;
  }, { ms: 90_000, last: () => last });
  assert.match(body, /^Hostname: web-/m);
  const shell = await runProcess(...mkCommand(['ssh', '-p', f.profile]), { env: f.env, timeout: 60_000, input: 'command -v curl\nexit\n' });
  ok(shell, 'mk ssh (a shell)');
  assert.match(shell.stdout, /^\/usr\/bin\/curl$/m);
});

test('a volume type mk cannot provide is refused with its field path', async () => {
  const r = await kubectl('apply', '-f', f.file('nfs.yaml', podYaml('nfs', `  containers:
${sleeper('c', '    - {name: share, mountPath: /share}')}
  volumes:
  - name: share
    nfs:
      server: nfs.example.com
      path: /exports
`)));
  assert.notEqual(r.exitCode, 0);
  assert.equal(r.stderr.trim(), 'The Pod "nfs" is invalid: spec.volumes[0].nfs: Forbidden: mk cannot provide nfs volumes; it mounts configMap, downwardAPI, emptyDir, hostPath, persistentVolumeClaim, projected, secret');
  assert.equal((await kubectl('get', 'pod', 'nfs')).exitCode, 1);
});
