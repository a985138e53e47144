// mk dashboard's server over real HTTP on 127.0.0.1, against a fake API: the SSE feed (hello
// with the whole picture, a graph and a timeline entry when a Deployment scales, traffic each
// interval while a page listens, health when the API fails and answers again), the details of
// an object (YAML and events), the page's files, and what it refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { FeedMessages } from './feed.ts';
import { startDashboard, type RunningDashboard } from './index.ts';
import type { PageFiles } from './page.ts';
import type { NodeRules } from '../model/traffic.ts';
import { deployment, event, FakeClient, pod, webCluster } from '../objects.test-helper.ts';
import type { ClusterObjects } from '../model/graph.ts';
import type { KubeObject } from '../../api/types.ts';

const PAGE: PageFiles = {
  async get(path) {
    return path === '/' ? { type: 'text/html; charset=utf-8', body: Buffer.from('<!doctype html>') } : undefined;
  },
};

type Message = { [K in keyof FeedMessages]: { event: K; data: FeedMessages[K] } }[keyof FeedMessages];

/** A page's EventSource, as a list of messages and a way to wait for the next of a kind. */
function listen(url: string) {
  const messages: Message[] = [];
  const waiters: Array<() => void> = [];
  let buffer = '';
  const req = http.get(`${url}events`, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        const ev = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (ev && data) messages.push({ event: ev, data: JSON.parse(data) } as Message);
        for (const w of waiters.splice(0)) w();
      }
    });
  });
  req.on('error', () => undefined);
  return {
    messages,
    /** the first message of `event` after the first `from` messages that satisfies `ok` */
    async next<K extends keyof FeedMessages>(event: K, ok: (d: FeedMessages[K]) => boolean = () => true, from = 0): Promise<FeedMessages[K]> {
      for (;;) {
        const m = messages.slice(from).find((x) => x.event === event && ok(x.data as FeedMessages[K]));
        if (m) return m.data as FeedMessages[K];
        await new Promise<void>((r) => waiters.push(r));
      }
    },
    close: () => req.destroy(),
  };
}

function get(url: string, o: { host?: string; method?: string } = {}): Promise<{ status: number; type?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({ host: '127.0.0.1', port: u.port, path: `${u.pathname}${u.search}`, method: o.method ?? 'GET', headers: o.host ? { host: o.host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const all = (o: ClusterObjects) => Object.values(o).flat();

async function withDashboard(objects: ClusterObjects, traffic: (() => Promise<NodeRules[]>) | undefined, fn: (d: RunningDashboard, client: FakeClient) => Promise<void>, extra: KubeObject[] = [], unserved: string[] = []) {
  const client = new FakeClient([...all(objects), ...extra], { unserved });
  const d = await startDashboard({ client, page: PAGE, traffic, trafficEveryMs: 10, backoffInitialMs: 10 });
  try {
    await d.feed.watch.synced();
    await fn(d, client);
  } finally {
    await d.close();
  }
}

test('feed: hello holds the picture; scaling sends a new graph and the timeline\'s entries', async () => {
  await withDashboard(webCluster(2), undefined, async (d, client) => {
    const page = listen(d.url);
    const hello = await page.next('hello', (h) => h.revision > 0);
    assert.deepEqual(hello.graph.nodes.map((n) => [n.name, n.pods]), [['mk', ['default/web-abc-0']], ['mk-m02', ['default/web-abc-1']]]);
    assert.deepEqual(hello.graph.services[0]!.endpoints.map((e) => [e.ip, e.ready]), [['10.244.0.10', true], ['10.244.1.11', true]]);
    assert.deepEqual(hello.timeline, []);

    client.put(deployment('web', 3, 2));
    client.put(pod('web-abc-2', { node: 'mk', ip: '10.244.0.12', rs: 'web-abc' }));
    const g = await page.next('graph', (x) => x.graph.pods.length === 3 && x.graph.workloads[0]!.replicas === 3);
    assert.ok(g.revision > hello.revision);
    const texts: string[] = [];
    for (let from = 0; !texts.includes('Pod default/web-abc-2 created on mk'); from = page.messages.length) {
      const t = await page.next('timeline', () => true, from);
      texts.push(...t.entries.map((e) => e.text));
    }
    assert.deepEqual(texts, ['Deployment default/web scaled from 2 to 3', 'Pod default/web-abc-2 created on mk']);
    page.close();
  });
});

test('feed: traffic each interval while a page listens, from every node\'s counters', async () => {
  let asked = 0;
  const counts = () => ({ node: 'mk', rules: { node: 'mk', services: 1, rules: [], listeners: [], connections: { active: 0, accepted: 0, rejected: 0 }, mode: 'iptables' as const, counters: [{ service: 'default/web', portName: '', endpoint: '10.244.0.10:8080', chain: 'KUBE-SEP-A', connections: 10 * ++asked }] } });
  await withDashboard(webCluster(2), async () => [counts()], async (d) => {
    assert.equal(asked, 0, 'nothing asked before a page listens');
    const page = listen(d.url);
    const t = await page.next('traffic', (x) => (x.services['default/web']?.['10.244.0.10']?.connections ?? 0) >= 30);
    assert.equal(t.nodes[0]!.mode, 'iptables');
    page.close();
  });
});

test('feed: health says when the API fails, and when it answers again', async () => {
  await withDashboard(webCluster(1), undefined, async (d, client) => {
    const page = listen(d.url);
    await page.next('hello');
    client.fail('connect ECONNREFUSED 127.0.0.1:8443');
    const failed = await page.next('health', (h) => h.error !== undefined);
    assert.match(failed.error!, /ECONNREFUSED/);
    const at = page.messages.length;
    client.recover();
    await page.next('health', (h) => h.error === undefined, at);
    page.close();
  });
});

test('server: an object\'s YAML and events; the page; what it refuses', async () => {
  const objects = webCluster(1);
  const p = objects.pods[0]!;
  const events = [
    event(p, 'Started', 'Started container c', '2026-01-01T00:00:05Z'),
    event(p, 'Scheduled', 'Successfully assigned default/web-abc-0 to mk', '2026-01-01T00:00:01Z'),
  ];
  await withDashboard(objects, undefined, async (d) => {
    const cases: Array<{ name: string; path: string; host?: string; method?: string; status: number; check?(body: string): void }> = [
      {
        name: 'a pod\'s YAML and events, oldest first', path: 'api/object?kind=Pod&namespace=default&name=web-abc-0', status: 200,
        check: (b) => {
          const o = JSON.parse(b);
          assert.match(o.yaml, /^apiVersion: v1\nkind: Pod\nmetadata:\n/);
          assert.deepEqual(o.events.map((e: { reason: string; from: string }) => [e.reason, e.from]), [['Scheduled', 'kubelet'], ['Started', 'kubelet']]);
        },
      },
      { name: 'a node, cluster-scoped', path: 'api/object?kind=Node&name=mk', status: 200, check: (b) => assert.match(JSON.parse(b).yaml, /kind: Node/) },
      { name: 'an object that is not there', path: 'api/object?kind=Pod&namespace=default&name=gone', status: 404, check: (b) => assert.equal(JSON.parse(b).error, 'Pod default/gone is not there (any more)') },
      { name: 'a kind the map does not draw', path: 'api/object?kind=Secret&namespace=default&name=x', status: 404 },
      { name: 'the page', path: '', status: 200, check: (b) => assert.equal(b, '<!doctype html>') },
      { name: 'anything else', path: 'nope', status: 404 },
      { name: 'another host name (DNS rebinding)', path: '', host: 'evil.example:80', status: 403, check: (b) => assert.match(b, /answers requests for http:\/\/127\.0\.0\.1:\d+\/ only/) },
      { name: 'a write', path: 'api/object', method: 'POST', status: 405 },
    ];
    for (const c of cases) {
      const r = await get(`${d.url}${c.path}`, { host: c.host, method: c.method });
      assert.equal(r.status, c.status, c.name);
      c.check?.(r.body);
    }
  }, events);
});

test('feed: an API server without StatefulSets (a cluster an older mk started) draws none, and is healthy', async () => {
  await withDashboard(webCluster(2), undefined, async (d) => {
    const page = listen(d.url);
    const hello = await page.next('hello', (h) => h.revision > 0);
    assert.deepEqual(hello.graph.workloads.map((w) => w.id), ['default/web']);
    assert.equal(hello.health, undefined);
    assert.equal(d.feed.watch.health, undefined);
    page.close();
  }, [], ['statefulsets']);
});

test('server: a port in use is a clear error naming --port', async () => {
  await withDashboard(webCluster(1), undefined, async (d) => {
    await assert.rejects(startDashboard({ client: new FakeClient(), page: PAGE, port: d.port }), { message: `--port ${d.port}: the port is in use on 127.0.0.1` });
  });
});
