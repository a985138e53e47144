// mk run and mk attach against the in-process API server with a stand-in kubelet (the pod's
// command runs as a local process once attached), each case compared with what kubectl 1.33
// prints for the same command line: created objects, attach output, --rm, exit codes, errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { TestCluster } from '../apiserver/harness.ts';
import { KubeClient, type Connection } from '../../src/client/index.ts';
import { resolveResource } from '../../src/api/resources.ts';
import { formatError } from '../../src/cli/errors.ts';
import type { TerminalIO } from '../../src/cli/exec.ts';
import { runRunCommand, type RunCliOptions } from '../../src/cli/run.ts';
import { runAttachCommand } from '../../src/cli/attach.ts';
import { saveClusterAccess } from '../../src/kubeconfig/index.ts';
import { KUBECTL, sink } from './harness.ts';
import { fakeKubelet, type FakeKubelet } from './fake-kubelet.ts';

let cluster: TestCluster;
let kubelet: FakeKubelet;
let client: KubeClient;
let conn: Connection;
let home: string;
const PODS = resolveResource('pods')!;

before(async () => {
  kubelet = fakeKubelet();
  cluster = await TestCluster.start({ streams: { attach: kubelet.attach, logs: kubelet.logs } });
  conn = { server: cluster.server.url, caPem: cluster.server.caPem, token: cluster.server.token };
  client = new KubeClient(conn, 'default');
  kubelet.start(client);
  home = mkdtempSync(join(tmpdir(), 'mk-cli-run-'));
  saveClusterAccess({ profile: 'mk', server: conn.server, caPem: conn.caPem!, token: conn.token! }, { path: join(home, 'config') });
});
after(async () => {
  kubelet.stop();
  client.close();
  await cluster.stop();
  rmSync(home, { recursive: true, force: true });
});

function kubectl(args: string[], input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = execFile(KUBECTL, ['--kubeconfig', join(home, 'config'), '--cache-dir', join(home, 'cache'), ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    p.stdin!.end(input);
  });
}

const FLAGS: RunCliOptions = {
  stdin: false, tty: false, rm: false, restart: 'Always', env: [], annotations: [], expose: false, command: false, args: [], privileged: false,
  leaveStdinOpen: false, dryRun: 'none', quiet: false, timeoutMs: 20_000,
};

/** mk run in process with kubectl's flags as an object: stdout, stderr (with the printed error), exit code. */
async function mkRun(o: Partial<RunCliOptions>, input = '') {
  const stdout = sink();
  const stderr = sink();
  const io = { stdin: Readable.from([Buffer.from(input)]), stdout, stderr } as unknown as TerminalIO;
  let code: number;
  try {
    code = await runRunCommand(client, conn, { ...FLAGS, ...o }, io);
  } catch (e) {
    stderr.write(`${formatError(e)}\n`);
    code = (e as { exitCode?: number }).exitCode ?? 1;
  }
  await new Promise((r) => setImmediate(r));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const exists = (name: string) => client.get(PODS, 'default', name).then(() => true, () => false);

const cases: { name: string; mk: Partial<RunCliOptions>; kubectl: string[]; input?: string; code: number; stdout: string; stderr: string; kept: boolean }[] = [
  {
    name: 'a bare pod: pod/NAME created',
    mk: { name: 'NAME', image: 'busybox:1.36', args: ['sleep', '5'] },
    kubectl: ['run', 'NAME', '--image=busybox:1.36', '--', 'sleep', '5'],
    code: 0, stdout: 'pod/NAME created\n', stderr: '', kept: true,
  },
  {
    name: '-i --rm --restart=Never: stdin in, output out, the pod deleted',
    mk: { name: 'NAME', image: 'busybox', stdin: true, rm: true, restart: 'Never', command: true, args: ['sh', '-c', 'read x; echo "got $x"'] },
    kubectl: ['run', 'NAME', '-i', '--rm', '--restart=Never', '--image=busybox', '--command', '--', 'sh', '-c', 'read x; echo "got $x"'],
    input: 'typed\n', code: 0, stdout: 'got typed\npod "NAME" deleted\n', stderr: "If you don't see a command prompt, try pressing enter.\n", kept: false,
  },
  {
    name: 'a failing container: its exit code, kubectl\'s line after the deletion',
    mk: { name: 'NAME', image: 'busybox', stdin: true, rm: true, restart: 'Never', quiet: true, command: true, args: ['sh', '-c', 'echo bye; exit 3'] },
    kubectl: ['run', 'NAME', '-i', '-q', '--rm', '--restart=Never', '--image=busybox', '--command', '--', 'sh', '-c', 'echo bye; exit 3'],
    code: 3, stdout: 'bye\n', stderr: 'pod default/NAME terminated (Error)\n', kept: false,
  },
  {
    name: '--rm without attaching is refused before anything is made',
    mk: { name: 'NAME', image: 'busybox', rm: true },
    kubectl: ['run', 'NAME', '--image=busybox', '--rm'],
    code: 1, stdout: '', stderr: "error: --rm should only be used for attached containers\nSee 'CMD run -h' for help and examples\n", kept: false,
  },
  {
    name: '-t without -i',
    mk: { name: 'NAME', image: 'busybox', tty: true },
    kubectl: ['run', 'NAME', '--image=busybox', '-t'],
    code: 1, stdout: '', stderr: "error: -i/--stdin is required for containers with -t/--tty=true\nSee 'CMD run -h' for help and examples\n", kept: false,
  },
  {
    name: 'a bad restart policy',
    mk: { name: 'NAME', image: 'busybox', restart: 'Sometimes' },
    kubectl: ['run', 'NAME', '--image=busybox', '--restart=Sometimes'],
    code: 1, stdout: '', stderr: "error: invalid restart policy: Sometimes\nSee 'CMD run -h' for help and examples\n", kept: false,
  },
  {
    name: 'an image name that is no reference',
    mk: { name: 'NAME', image: 'Busy Box' },
    kubectl: ['run', 'NAME', '--image=Busy Box'],
    code: 1, stdout: '', stderr: 'error: Invalid image name "Busy Box": invalid reference format\n', kept: false,
  },
  {
    name: 'a bad env',
    mk: { name: 'NAME', image: 'busybox', env: ['1X=y'] },
    kubectl: ['run', 'NAME', '--image=busybox', '--env=1X=y'],
    code: 1, stdout: '', stderr: 'error: invalid env: 1X=y\n', kept: false,
  },
];

let n = 0;
for (const c of cases) {
  test(`mk run: ${c.name} (as kubectl 1.33)`, async () => {
    const names = [`mk-run-${n}`, `kc-run-${n++}`];
    const sub = (s: string, name: string, cmd: string) => s.replaceAll('NAME', name).replaceAll('CMD', cmd);
    const mk = await mkRun({ ...c.mk, name: c.mk.name && names[0] }, c.input);
    assert.deepEqual(mk, { code: c.code, stdout: sub(c.stdout, names[0]!, 'mk'), stderr: sub(c.stderr, names[0]!, 'mk') });
    assert.equal(await exists(names[0]!), c.kept);
    const k = await kubectl(c.kubectl.map((a) => sub(a, names[1]!, 'kubectl')), c.input);
    assert.deepEqual(k, { code: c.code, stdout: sub(c.stdout, names[1]!, 'kubectl'), stderr: sub(c.stderr, names[1]!, 'kubectl') }, 'kubectl 1.33 prints the same');
  });
}

test('mk run: the pod kubectl run makes, field for field', async () => {
  const flags = { image: 'busybox:1.36', stdin: true, tty: true, restart: 'Never', env: ['A=1'], labels: 'app=x,tier=web', port: '8080', command: true, args: ['sh'] };
  await mkRun({ ...flags, name: 'shape-mk', dryRun: 'server', attach: false });
  const mk = await mkRun({ ...flags, name: 'shape-mk', attach: false });
  assert.equal(mk.stdout, 'pod/shape-mk created\n');
  await kubectl(['run', 'shape-kc', '--image=busybox:1.36', '-i', '-t', '--attach=false', '--restart=Never', '--env=A=1', '--labels=app=x,tier=web', '--port=8080', '--command', '--', 'sh']);
  const [a, b] = await Promise.all([client.get(PODS, 'default', 'shape-mk'), client.get(PODS, 'default', 'shape-kc')]);
  for (const p of [a, b]) {
    p.spec.containers[0].name = 'C';
    delete p.spec.containers[0].volumeMounts; // the token volume's name is random
  }
  assert.deepEqual(a.metadata.labels, b.metadata.labels);
  assert.deepEqual(a.spec.containers, b.spec.containers);
  assert.equal(a.spec.restartPolicy, 'Never');
});

test('mk attach -i to a running pod\'s main process; a completed pod is refused as kubectl does', async () => {
  await mkRun({ name: 'att', image: 'busybox', stdin: true, attach: false, command: true, args: ['sh', '-c', 'read x; echo "attached $x"'] });
  for (let i = 0; i < 200 && (await client.get(PODS, 'default', 'att')).status?.phase !== 'Running'; i++) await new Promise((r) => setTimeout(r, 20));
  const stdout = sink();
  const stderr = sink();
  const code = await runAttachCommand(client, conn, { target: 'att', stdin: true, tty: false, quiet: false }, { stdin: Readable.from([Buffer.from('me\n')]), stdout, stderr } as unknown as TerminalIO);
  assert.deepEqual({ code, stdout: stdout.text(), stderr: stderr.text() }, { code: 0, stdout: 'attached me\n', stderr: "If you don't see a command prompt, try pressing enter.\n" });
  for (let i = 0; i < 200 && (await client.get(PODS, 'default', 'att')).status?.phase === 'Running'; i++) await new Promise((r) => setTimeout(r, 20));
  const refused = await runAttachCommand(client, conn, { target: 'att', stdin: true, tty: false, quiet: false }, { stdin: Readable.from([]), stdout, stderr } as unknown as TerminalIO).catch((e: Error) => formatError(e));
  const k = await kubectl(['attach', 'att']);
  assert.equal(`${refused}\n`, k.stderr);
  assert.equal(refused, 'error: cannot attach a container in a completed pod; current phase is Succeeded');
});

test('kubectl 1.27 (SPDY) runs -i --rm --restart=Never against the same server alike', async () => {
  const args = ['--kubeconfig', join(home, 'config'), '--cache-dir', join(home, 'cache27'), 'run', 'old-kc', '-i', '--rm', '--restart=Never', '--image=busybox', '--command', '--', 'sh', '-c', 'read x; echo "got $x"; exit 2'];
  const k = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const p = execFile('/usr/lib/google-cloud-sdk/bin/kubectl.1.27', args, { timeout: 30_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    p.stdin!.end('old\n');
  });
  const mk = await mkRun({ name: 'old-mk', image: 'busybox', stdin: true, rm: true, restart: 'Never', command: true, args: ['sh', '-c', 'read x; echo "got $x"; exit 2'] }, 'old\n');
  assert.deepEqual(mk, { code: 2, stdout: 'got old\npod "old-mk" deleted\n', stderr: "If you don't see a command prompt, try pressing enter.\npod default/old-mk terminated (Error)\n" });
  assert.deepEqual(k, { ...mk, stdout: mk.stdout.replace('old-mk', 'old-kc'), stderr: mk.stderr.replace('old-mk', 'old-kc') });
});
