// Real kubectl (the dispatcher, 1.27 and 1.33) and `mk` against mk's API server: the
// hello-world manifests go through apply, get, describe, label, scale and delete, and each
// client prints what kubectl prints. No Docker needed: only the API server runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startHarness, KUBECTLS } from './harness.ts';
import { maskAge } from './flows/tables.ts';
import type { Harness, Result } from './harness.ts';

const FIXTURE = 'test/fixtures/hello-world.yaml';
let h: Harness;

before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

function ok(r: Result, what: string): string {
  assert.equal(r.exitCode, 0, `${what} failed (${r.exitCode}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

type Client = (args: string[]) => Promise<Result>;

/** The same flow for any client that speaks kubectl's command line. */
async function helloWorldFlow(name: string, run: Client): Promise<void> {
  assert.equal(
    ok(await run(['apply', '-f', FIXTURE]), `${name} apply`),
    'deployment.apps/hello-world created\nservice/hello-world created\ningress.networking.k8s.io/hello-world created\n',
  );
  assert.equal(
    ok(await run(['apply', '-f', FIXTURE]), `${name} apply again`),
    'deployment.apps/hello-world unchanged\nservice/hello-world unchanged\ningress.networking.k8s.io/hello-world unchanged\n',
  );

  const wide = ok(await run(['get', 'svc,deploy,ep', '-o', 'wide']), `${name} get wide`);
  assert.match(wide, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR$/m);
  assert.match(wide, /^service\/hello-world\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:3\d{4}\/TCP\s+\S+\s+app=hello-world$/m);
  assert.match(wide, /^service\/kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP/m);
  assert.match(wide, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m);
  assert.match(wide, /^deployment\.apps\/hello-world\s+\d\/2\s+\d\s+\d\s+\S+\s+hello-world\s+gcr\.io\/google-samples\/hello-app:1\.0\s+app=hello-world$/m);

  const yaml = ok(await run(['get', 'svc', 'hello-world', '-o', 'yaml']), `${name} get -o yaml`);
  assert.match(yaml, /^apiVersion: v1\nkind: Service\nmetadata:\n  annotations:\n    kubectl\.kubernetes\.io\/last-applied-configuration: \|\n      \{"apiVersion":"v1","kind":"Service"/);
  assert.match(yaml, /^  name: hello-world$/m);
  assert.match(yaml, /^  type: NodePort$/m);

  const desc = ok(await run(['describe', 'svc', 'hello-world']), `${name} describe`);
  assert.match(desc, /^Name:\s+hello-world$/m);
  assert.match(desc, /^Type:\s+NodePort$/m);

  assert.equal(ok(await run(['label', 'svc', 'hello-world', 'tier=web']), `${name} label`), 'service/hello-world labeled\n');
  const clash = await run(['label', 'svc', 'hello-world', 'tier=db']);
  assert.equal(clash.exitCode, 1);
  assert.equal(clash.stderr.trim(), "error: 'tier' already has a value (web), and --overwrite is false");
  assert.equal(ok(await run(['label', 'svc', 'hello-world', 'tier=db', '--overwrite']), `${name} label --overwrite`), 'service/hello-world labeled\n');
  assert.match(ok(await run(['get', 'svc', 'hello-world', '--show-labels']), `${name} --show-labels`), /app=hello-world,tier=db$/m);

  assert.equal(ok(await run(['scale', 'deploy', 'hello-world', '--replicas=3']), `${name} scale`), 'deployment.apps/hello-world scaled\n');
  assert.match(ok(await run(['get', 'deploy', 'hello-world', '-o', 'json']), `${name} get -o json`), /"replicas": 3,/);

  const missing = await run(['get', 'svc', 'nope']);
  assert.equal(missing.exitCode, 1);
  assert.equal(missing.stderr.trim(), 'Error from server (NotFound): services "nope" not found');

  assert.equal(
    ok(await run(['delete', '-f', FIXTURE]), `${name} delete -f`),
    'deployment.apps "hello-world" deleted\nservice "hello-world" deleted\ningress.networking.k8s.io "hello-world" deleted\n',
  );
  const none = await run(['get', 'deploy,ing']);
  assert.equal(none.stdout, '');
  assert.equal(none.stderr, 'No resources found in default namespace.\n');
}

/** Whatever a failed flow left behind must not break the next one. */
async function cleanup(): Promise<void> {
  await h.kubectl('kubectl', ['delete', '-f', FIXTURE, '--ignore-not-found']);
}

for (const bin of KUBECTLS) {
  test(`${bin.split('/').pop()}: hello-world flow`, async () => {
    try {
      await helloWorldFlow(bin, (args) => h.kubectl(bin, args));
    } finally {
      await cleanup();
    }
  });
}

test('mk: hello-world flow', async () => {
  try {
    await helloWorldFlow('mk', (args) => h.mk(args));
  } finally {
    await cleanup();
  }
});

test('mk get prints the table kubectl get prints', async () => {
  ok(await h.mk(['apply', '-f', FIXTURE]), 'mk apply');
  try {
    for (const args of [['get', 'svc'], ['get', 'svc', '-o', 'wide'], ['get', 'all'], ['get', 'svc,deploy', '--show-labels'], ['get', 'svc', '-A']]) {
      // One retry: an age that just grew a digit ('9s' → '10s') widens the column.
      for (let attempt = 1; ; attempt++) {
        const want = maskAge(ok(await h.kubectl('kubectl', args), `kubectl ${args.join(' ')}`));
        const got = maskAge(ok(await h.mk(args), `mk ${args.join(' ')}`));
        if (got === want) break;
        if (attempt === 2) assert.equal(got, want, args.join(' '));
      }
    }
    for (const args of [['get', 'svc', 'hello-world', '-o', 'name'], ['get', 'svc', 'hello-world', '-o', 'yaml'], ['get', 'deploy', '-o', 'json'], ['describe', 'svc'], ['get', 'ep', 'nope', '-o', 'json']]) {
      const [m, k] = [await h.mk(args), await h.kubectl('kubectl', args)];
      assert.deepEqual(m, k, args.join(' '));
    }
  } finally {
    ok(await h.mk(['delete', '-f', FIXTURE]), 'mk delete');
  }
});

test('a typo in a field is refused with its path, by kubectl and by mk', async () => {
  for (const bin of KUBECTLS) {
    const r = await h.kubectl(bin, ['create', '-f', 'test/fixtures/bad-sepc-nested.yaml']);
    assert.equal(r.exitCode, 1, bin);
    assert.match(r.stderr, /unknown field "spec\.sepc"/, `${bin}: ${r.stderr}`);
  }
  const r = await h.mk(['create', '-f', 'test/fixtures/bad-sepc-nested.yaml']);
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /^error: test\/fixtures\/bad-sepc-nested\.yaml \(document 1, Service "kubia-bad"\): .*unknown field "spec\.sepc"/);
  const top = await h.mk(['apply', '-f', 'test/fixtures/bad-sepc.yaml']);
  assert.equal(top.exitCode, 1);
  assert.match(top.stderr, /unknown field "sepc"/);
  assert.equal((await h.mk(['get', 'svc', 'kubia-bad'])).exitCode, 1);
});

test('mk errors: unknown type, unknown apiVersion, nothing half-applied', async () => {
  const t = await h.mk(['get', 'sevrice']);
  assert.equal(t.exitCode, 1);
  assert.equal(t.stderr, 'error: the server doesn\'t have a resource type "sevrice"\n');
  const input = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first}\n---\napiVersion: vl\nkind: Service\nmetadata: {name: kubia}\n';
  const v = await h.mk(['apply', '-f', '-'], input);
  assert.equal(v.exitCode, 1);
  assert.equal(
    v.stderr,
    'error: resource mapping not found for name: "kubia" namespace: "" from "STDIN": no matches for kind "Service" in version "vl"\nensure CRDs are installed first\nService exists in version v1\n',
  );
  assert.equal((await h.mk(['get', 'cm', 'first'])).exitCode, 1);
});

test('mk create deployment, then delete by name and selector', async () => {
  assert.equal(ok(await h.mk(['create', 'deployment', 'web', '--image=nginx:1.25', '--port=80']), 'create deployment'), 'deployment.apps/web created\n');
  const k = ok(await h.kubectl('kubectl', ['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].name} {.metadata.labels.app}']), 'kubectl get');
  assert.equal(k, 'nginx web');
  assert.equal(ok(await h.mk(['delete', 'deploy', '-l', 'app=web']), 'delete -l'), 'deployment.apps "web" deleted\n');
  const gone = await h.mk(['delete', 'deploy', 'web']);
  assert.equal(gone.stderr, 'Error from server (NotFound): deployments.apps "web" not found\n');
});

test('mk get -w prints the table, then a row per change', async () => {
  const w = h.mkStream(['get', 'svc', '-w']);
  const until = async (re: RegExp) => {
    while (!re.test(w.output())) await new Promise((r) => setTimeout(r, 50));
  };
  try {
    await until(/^kubernetes\s+ClusterIP/m);
    assert.match(w.output(), /^NAME\s+TYPE\s+CLUSTER-IP/);
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: watched}\nspec:\n  ports: [{port: 80, targetPort: 8080}]\n';
    ok(await h.kubectl('kubectl', ['apply', '-f', '-'], svc), 'create service');
    await until(/^watched\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP/m);
    assert.equal(w.output().match(/^NAME/gm)?.length, 1);
  } finally {
    await w.stop();
    await h.kubectl('kubectl', ['delete', 'svc', 'watched', '--ignore-not-found']);
  }
});

test('apply interoperates: mk and kubectl see each other\'s last-applied configuration', async () => {
  const changed = readFileSync(FIXTURE, 'utf8').replace('replicas: 2', 'replicas: 4').replace('targetPort: 8080', 'targetPort: 9090');
  const verbs = (out: string) => out.trim().split('\n').map((l) => l.split(' ').pop()).join(',');
  try {
    assert.equal(verbs(ok(await h.mk(['apply', '-f', FIXTURE]), 'mk apply')), 'created,created,created');
    assert.equal(verbs(ok(await h.kubectl('kubectl', ['apply', '-f', FIXTURE]), 'kubectl apply')), 'unchanged,unchanged,unchanged');
    assert.equal(verbs(ok(await h.kubectl('kubectl', ['apply', '-f', '-'], changed), 'kubectl apply changed')), 'configured,configured,unchanged');
    assert.equal(verbs(ok(await h.mk(['apply', '-f', '-'], changed), 'mk apply changed')), 'unchanged,unchanged,unchanged');
    assert.equal(verbs(ok(await h.mk(['apply', '-f', FIXTURE]), 'mk apply back')), 'configured,configured,unchanged');
    const got = ok(await h.kubectl('kubectl', ['get', 'svc,deploy', 'hello-world', '-o', 'jsonpath={.items[*].spec.ports[*].targetPort} {.items[*].spec.replicas}']), 'get');
    assert.equal(got, '8080 2');
  } finally {
    await cleanup();
  }
});
