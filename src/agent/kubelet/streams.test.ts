// port-forward's node side finds the pod's address in the agent's cache (its own node's pods),
// else through the API (the control plane's agent serves every pod's port-forward).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { KubeletContext } from './context.ts';
import { RuntimeError } from '../../runtime/errors.ts';
import { makeStreams, serialResize } from './streams.ts';

test('port-forward connects to a pod of another node, its IP read from the API', async () => {
  const server = net.createServer((s) => s.end('hello'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const asked: string[] = [];
    const ctx = {
      client: {
        get: async (_r: unknown, ns: string, name: string) => {
          asked.push(`${ns}/${name}`);
          if (name === 'pending') return { status: {} };
          if (name === 'gone') throw new Error('not found');
          return { status: { podIP: '127.0.0.1' } };
        },
      },
    } as unknown as KubeletContext;
    const cached = new Map([['default/mine', '127.0.0.1']]);
    const { portForwardBackend } = makeStreams(ctx, (ns, pod) => cached.get(`${ns}/${pod}`));
    for (const pod of ['mine', 'elsewhere']) {
      const s = await portForwardBackend.connect('default', pod, port);
      let text = '';
      for await (const c of s) text += c;
      assert.equal(text, 'hello', pod);
    }
    assert.deepEqual(asked, ['default/elsewhere'], 'the cache answers for its own pods');
    for (const pod of ['pending', 'gone']) await assert.rejects(portForwardBackend.connect('default', pod, port), new RegExp(`pod ${pod} has no IP yet`));
  } finally {
    server.close();
  }
});

test('terminal sizes reach the engine in the order kubectl sent them, one at a time', async () => {
  const applied: string[] = [];
  let inFlight = 0;
  let most = 0;
  const resize = serialResize(async (w, h) => {
    most = Math.max(most, ++inFlight);
    // the first call is the slowest: run concurrently, the real size would be overwritten
    await new Promise((r) => setTimeout(r, w === 121 ? 30 : 1));
    applied.push(`${w}x${h}`);
    inFlight--;
  });
  resize(121, 31);
  resize(120, 30);
  resize(100, 25);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(applied, ['121x31', '120x30', '100x25']);
  assert.equal(most, 1);
});

test('attach to a container that exited after it was listed: containerd\'s error, for kubectl to fall back to the log', async () => {
  const cases = [
    { name: 'exited in between', attach: () => Promise.reject(new RuntimeError('Conflict', 'attaching to container c1: container is not running (exited)')), want: /: error attaching to container: container is in CONTAINER_EXITED state$/ },
    { name: 'engine failure kept', attach: () => Promise.reject(new RuntimeError('Engine', 'attaching to container c1: boom')), want: /boom/ },
  ];
  for (const c of cases) {
    const ctx = {
      clusterName: 'c',
      runtime: {
        listContainers: async () => [{ id: 'c1', name: 'k8s_dns-test_dns-test_default_0', state: 'running', labels: {} }],
        inspectContainer: async () => ({ tty: false }),
        attach: c.attach,
      },
    } as unknown as KubeletContext;
    const { attachBackend } = makeStreams(ctx, () => undefined);
    await assert.rejects(attachBackend.attach({ namespace: 'default', pod: 'dns-test', container: 'dns-test', stdin: true, stdout: true, stderr: true, tty: false }), c.want, c.name);
  }
});
