// Real kubectl (1.27 and 1.33) with service accounts: `get sa` prints kubectl's columns,
// `create serviceaccount`, `create token` (with --duration and --bound-object-*) prints a token
// that kubectl can then use as its credentials, `describe sa`, and a missing account's refusal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCluster } from './harness.ts';
import { saveClusterAccess } from '../../src/kubeconfig/index.ts';

const BIN = (minor: number) => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
let c: TestCluster;
let home: string;
let kubeconfig: string;
function kubectl(minor: number, args: string[], input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = execFile(BIN(minor), ['--kubeconfig', kubeconfig, '--cache-dir', join(home, `cache${minor}`), ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    p.stdin!.end(input);
  });
}
const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());

before(async () => {
  c = await TestCluster.start();
  home = mkdtempSync(join(tmpdir(), 'mk-kubectl-sa-'));
  kubeconfig = join(home, 'config');
  saveClusterAccess({ profile: 'mk', server: c.server.url, caPem: c.server.caPem, token: c.server.token }, { path: kubeconfig });
});
after(async () => {
  await c.stop();
  rmSync(home, { recursive: true, force: true });
});

for (const minor of [27, 33]) {
  test(`kubectl 1.${minor}: create sa, get sa, create token (with --duration), the token as credentials`, async () => {
    const made = await kubectl(minor, ['create', 'serviceaccount', `robot-${minor}`]);
    assert.deepEqual(made, { code: 0, stdout: `serviceaccount/robot-${minor} created\n`, stderr: '' });
    const got = await kubectl(minor, ['get', 'sa']);
    assert.equal(got.code, 0, got.stderr);
    const lines = got.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME\s+SECRETS\s+AGE$/);
    assert.ok(lines.some((l) => /^default\s+0\s+\S+$/.test(l)), got.stdout);
    assert.ok(lines.some((l) => new RegExp(`^robot-${minor}\\s+0\\s+\\S+$`).test(l)), got.stdout);

    const tok = await kubectl(minor, ['create', 'token', `robot-${minor}`]);
    assert.equal(tok.code, 0, tok.stderr);
    assert.match(tok.stdout, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'the token alone (kubectl prints no newline after it)');
    const cl = claims(tok.stdout.trim());
    assert.equal(cl.sub, `system:serviceaccount:default:robot-${minor}`);
    assert.equal(cl.exp - cl.iat, 3600);
    const longer = await kubectl(minor, ['create', 'token', `robot-${minor}`, '--duration=2h']);
    assert.equal(claims(longer.stdout.trim()).exp - claims(longer.stdout.trim()).iat, 7200);

    const asRobot = await kubectl(minor, ['--token', tok.stdout.trim(), 'get', 'sa', `robot-${minor}`, '-o', 'name']);
    assert.deepEqual(asRobot, { code: 0, stdout: `serviceaccount/robot-${minor}\n`, stderr: '' });
    await kubectl(minor, ['delete', 'sa', `robot-${minor}`]);
    const revoked = await kubectl(minor, ['--token', tok.stdout.trim(), 'get', 'pods']);
    assert.equal(revoked.code, 1);
    assert.equal(revoked.stderr, 'error: You must be logged in to the server (Unauthorized)\n');
  });
}

test('kubectl create token: a too short --duration and a missing account are refused as kube-apiserver does', async () => {
  const short = await kubectl(33, ['create', 'token', 'default', '--duration=5m']);
  assert.deepEqual(short, { code: 1, stdout: '', stderr: 'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes\n' });
  const missing = await kubectl(33, ['create', 'token', 'ghost']);
  assert.deepEqual(missing, { code: 1, stdout: '', stderr: 'error: failed to create token: serviceaccounts "ghost" not found\n' });
  const pod = await kubectl(33, ['run', 'lost', '--image=busybox', '--overrides={"spec":{"serviceAccountName":"nobody"}}']);
  assert.deepEqual(pod, { code: 1, stdout: '', stderr: 'Error from server (Forbidden): pods "lost" is forbidden: error looking up service account default/nobody: serviceaccount "nobody" not found\n' });
});

test('kubectl create token --bound-object-kind Pod binds it to the pod', async () => {
  const made = await kubectl(33, ['run', 'holder', '--image=busybox']);
  assert.equal(made.code, 0, made.stderr);
  const tok = await kubectl(33, ['create', 'token', 'default', '--bound-object-kind=Pod', '--bound-object-name=holder']);
  assert.equal(tok.code, 0, tok.stderr);
  const uid = (await c.get('/api/v1/namespaces/default/pods/holder')).json.metadata.uid;
  assert.deepEqual(claims(tok.stdout.trim())['kubernetes.io'].pod, { name: 'holder', uid });
});
