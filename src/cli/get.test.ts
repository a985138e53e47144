import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClient } from './fake-client.test-helper.ts';
import { bufferOutput } from '../lib/output.ts';
import { get } from './get.ts';
import type { GetOptions } from './get.ts';
import { formatError, SilentExit } from './errors.ts';

function seeded(): FakeClient {
  const c = new FakeClient();
  const svc = (name: string, ip: string) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { type: 'ClusterIP', clusterIP: ip, ports: [{ port: 80, protocol: 'TCP' }], selector: { app: name } },
  });
  c.objects.set('services/default/kubia', svc('kubia', '10.96.0.20'));
  c.objects.set('services/default/web', svc('web', '10.96.0.21'));
  return c;
}

test('mk get', async (t) => {
  const cases: { args: string[]; o?: GetOptions; out: string; err?: string; error?: string }[] = [
    {
      args: ['svc'],
      out: 'NAME    TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nkubia   ClusterIP   10.96.0.20   <none>        80/TCP    5s\nweb     ClusterIP   10.96.0.21   <none>        80/TCP    5s\n',
    },
    { args: ['svc', 'web'], o: { noHeaders: true }, out: 'web   ClusterIP   10.96.0.21   <none>   80/TCP   5s\n' },
    {
      args: ['svc', 'web', 'nope'],
      out: 'NAME   TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nweb    ClusterIP   10.96.0.21   <none>        80/TCP    5s\n',
      err: 'Error from server (NotFound): services "nope" not found\n',
      error: 'exit 1',
    },
    { args: ['deploy'], out: '', err: 'No resources found in default namespace.\n' },
    { args: ['nodes'], out: '', err: 'No resources found\n' },
    { args: ['deploy'], o: { allNamespaces: true }, out: '', err: 'No resources found\n' },
    { args: ['svc,deploy'], o: { output: 'name' }, out: 'service/kubia\nservice/web\n' },
    { args: ['svc/web'], o: { output: 'yaml' }, out: 'apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    app: web\n  name: web\n  namespace: default\nspec:\n  clusterIP: 10.96.0.21\n  ports:\n  - port: 80\n    protocol: TCP\n  selector:\n    app: web\n  type: ClusterIP\n' },
    { args: ['svc'], o: { output: 'toml' }, out: '', error: 'error: unable to match a printer suitable for the output format "toml", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml' },
    { args: ['svc', 'nope'], o: { output: 'json' }, out: '', err: 'Error from server (NotFound): services "nope" not found\n', error: 'exit 1' },
    { args: ['sevrice'], out: '', error: 'error: the server doesn\'t have a resource type "sevrice"' },
  ];
  for (const c of cases) {
    await t.test(`${c.args.join(' ')} ${JSON.stringify(c.o ?? {})}`, async () => {
      const io = bufferOutput();
      let error = '';
      try {
        await get(seeded().asClient(), c.args, c.o ?? {}, io);
      } catch (e) {
        error = e instanceof SilentExit ? `exit ${e.exitCode}` : formatError(e);
      }
      assert.equal(io.stdout, c.out);
      assert.equal(io.stderr, c.err ?? '');
      assert.equal(error, c.error ?? '');
    });
  }
});

test('several kinds: kind prefixes and a blank line between tables', async () => {
  const c = seeded();
  c.objects.set('deployments/default/web', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    status: {},
  });
  const io = bufferOutput();
  await get(c.asClient(), ['svc,deploy'], {}, io);
  const [svc, deploy] = io.stdout.split('\n\n');
  assert.match(svc!, /^NAME\s+TYPE.*\nservice\/kubia\s+ClusterIP/);
  assert.match(deploy!, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\ndeployment\.apps\/web\s+0\/1\s+0\s+0\s+5s\n$/);
});
