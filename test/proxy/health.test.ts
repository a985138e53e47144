// healthCheckNodePort, as kube-proxy serves it: the answer's exact body and headers, which
// Services get a health check port (and when it closes), and two "nodes" (two proxies with
// their own node names, bound on 127.0.0.2 and 127.0.0.3) answering 200 / 503 over HTTP by
// where the endpoints run; `mk proxy rules` shows the port and the local endpoint count.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { createProxy, healthResponse } from '../../src/agent/proxy/index.ts';
import { renderRules } from '../../src/cli/proxy-rules.ts';
import { ProxyTable, type HealthSink } from '../../src/agent/proxy/table.ts';
import { endpoints, service } from './fixtures.ts';

const cleanup: Array<() => unknown> = [];
after(async () => {
  for (const f of cleanup.reverse()) await f();
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '0.0.0.0', () => r()));
  const p = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return p;
}

function recorder() {
  const events: string[] = [];
  const sink: HealthSink = { open: (port, svc) => events.push(`open ${port} ${svc}`), close: (port) => events.push(`close ${port}`) };
  return { events, sink };
}

const lb = (name: string, spec: Record<string, unknown>) =>
  service(name, { type: 'LoadBalancer', clusterIP: '10.96.0.40', externalTrafficPolicy: 'Local', healthCheckNodePort: 31615, ports: [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'https', port: 443, nodePort: 30443 }], ...spec });

test('the answer: kube-proxy\'s tab-indented JSON, 200 with local endpoints, 503 without', () => {
  const ok = healthResponse('default/x', 2);
  assert.equal(ok.status, 200);
  assert.equal(ok.body, '{\n\t"service": {\n\t\t"namespace": "default",\n\t\t"name": "x"\n\t},\n\t"localEndpoints": 2,\n\t"serviceProxyHealthy": true\n}');
  assert.deepEqual(ok.headers, { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff', 'Content-Length': String(ok.body.length) });
  const none = healthResponse('web/hello', 0);
  assert.equal(none.status, 503);
  assert.deepEqual(JSON.parse(none.body), { service: { namespace: 'web', name: 'hello' }, localEndpoints: 0, serviceProxyHealthy: true });
});

test('which Services get a health check port: LoadBalancer + Local with a port, one per Service', () => {
  const cases: Array<{ name: string; svc: ReturnType<typeof service>; want: string[] }> = [
    { name: 'LoadBalancer Local, two ports', svc: lb('a', {}), want: ['open 31615 default/a'] },
    { name: 'LoadBalancer Cluster (a stray port is ignored)', svc: lb('b', { externalTrafficPolicy: 'Cluster' }), want: [] },
    { name: 'NodePort Local', svc: lb('c', { type: 'NodePort' }), want: [] },
    { name: 'LoadBalancer Local, port not allocated yet', svc: lb('d', { healthCheckNodePort: undefined }), want: [] },
  ];
  for (const c of cases) {
    const r = recorder();
    const t = new ProxyTable({ health: r.sink });
    t.setService(c.svc);
    assert.deepEqual(r.events, c.want, c.name);
  }
});

test('the health check port follows the Service: policy back to Cluster, a new port, deletion', () => {
  const r = recorder();
  const t = new ProxyTable({ health: r.sink });
  t.setService(lb('x', {}));
  t.setEndpoints(endpoints('x', [{ ip: '10.244.1.2', nodeName: 'mk' }], [{ name: 'http', port: 8080 }, { name: 'https', port: 8443 }]));
  t.setService(lb('x', { sessionAffinity: 'ClientIP' }));
  assert.deepEqual(r.events, ['open 31615 default/x'], 'updates that keep the port leave the listener alone');
  assert.deepEqual(t.healthChecks(), [{ port: 31615, service: 'default/x' }]);
  r.events.length = 0;
  t.setService(lb('x', { externalTrafficPolicy: 'Cluster', healthCheckNodePort: undefined }));
  assert.deepEqual(r.events, ['close 31615']);
  t.setService(lb('x', {}));
  t.setService(lb('x', { healthCheckNodePort: 31700 }));
  t.setService(lb('x', { healthCheckNodePort: 31700, ports: [{ name: 'http', port: 80, nodePort: 30080 }] }));
  t.deleteService('default/x');
  assert.deepEqual(r.events, ['close 31615', 'open 31615 default/x', 'open 31700 default/x', 'close 31615', 'close 31700']);
  assert.deepEqual(t.healthChecks(), []);
});

/** One request on its own connection (no keep-alive pool: a closed port must refuse). */
function get(host: string, port: number, path = '/'): Promise<{ status: number; type: string | undefined; nosniff: string | undefined; body: unknown }> {
  return new Promise((resolve, reject) => {
    http.get({ host, port, path, agent: false }, (res) => {
      let d = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (d += c));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], nosniff: res.headers['x-content-type-options'] as string | undefined, body: JSON.parse(d) }));
    }).on('error', reject);
  });
}

test('two nodes: 200 with the count where the endpoints run, 503 on the other; closed when the Service goes', async () => {
  const hcPort = await freePort();
  // SCTP ports: the data plane binds nothing for them, so two proxies in one process share no socket
  const svc = (spec: Record<string, unknown> = {}) => lb('x', { healthCheckNodePort: hcPort, ports: [{ name: 'a', port: 80, protocol: 'SCTP', nodePort: 30080 }, { name: 'b', port: 81, protocol: 'SCTP', nodePort: 30081 }], ...spec });
  const nodes = [['mk', '127.0.0.2'], ['mk-m02', '127.0.0.3']].map(([nodeName, host]) => {
    const p = createProxy({ nodeName: nodeName!, healthCheckHost: host, log: () => {} });
    cleanup.push(() => p.stop());
    return { p, host: host! };
  });
  const [mk, m02] = nodes as [typeof nodes[0], typeof nodes[0]];
  // two pods on mk (one serving both ports: one endpoint, by IP), one on mk-m02, one not ready on mk-m02
  const eps = {
    ...endpoints('x', [], []),
    subsets: [{
      addresses: [{ ip: '10.244.1.2', nodeName: 'mk' }, { ip: '10.244.1.3', nodeName: 'mk' }, { ip: '10.244.2.2', nodeName: 'mk-m02' }],
      notReadyAddresses: [{ ip: '10.244.2.3', nodeName: 'mk-m02' }],
      ports: [{ name: 'a', port: 8080, protocol: 'SCTP' }, { name: 'b', port: 8081, protocol: 'SCTP' }],
    }],
  };
  for (const n of nodes) {
    n.p.table.setService(svc());
    await n.p.settled();
  }
  const body = (count: number) => ({ service: { namespace: 'default', name: 'x' }, localEndpoints: count, serviceProxyHealthy: true });
  assert.deepEqual(await get(mk.host, hcPort), { status: 503, type: 'application/json', nosniff: 'nosniff', body: body(0) }, 'no Endpoints yet');
  for (const n of nodes) n.p.table.setEndpoints(eps);
  assert.deepEqual(await get(mk.host, hcPort, '/healthz?x=1'), { status: 200, type: 'application/json', nosniff: 'nosniff', body: body(2) });
  assert.deepEqual(await get(m02.host, hcPort), { status: 200, type: 'application/json', nosniff: 'nosniff', body: body(1) });

  // the pod on mk-m02 goes away: that node says 503, mk still 200
  for (const n of nodes) n.p.table.setEndpoints({ ...eps, subsets: [{ ...eps.subsets[0], addresses: eps.subsets[0]!.addresses.slice(0, 2) }] });
  assert.equal((await get(m02.host, hcPort)).status, 503);
  assert.deepEqual((await get(mk.host, hcPort)).body, body(2));
  assert.deepEqual(mk.p.snapshot().healthChecks, [{ service: 'default/x', port: hcPort, localEndpoints: 2 }]);
  assert.deepEqual(m02.p.snapshot().healthChecks, [{ service: 'default/x', port: hcPort, localEndpoints: 0 }]);

  // policy back to Cluster on mk: its listener closes; deletion on mk-m02: closed too
  mk.p.table.setService(svc({ externalTrafficPolicy: 'Cluster' }));
  m02.p.table.deleteService('default/x');
  for (const n of nodes) {
    await assert.rejects(get(n.host, hcPort), /ECONNREFUSED/, n.host);
    assert.deepEqual(n.p.snapshot().healthChecks, []);
  }
});

test('mk proxy rules: one line per health check port after the rules, other rows unchanged', async () => {
  const [hcPort, port, np] = [await freePort(), await freePort(), await freePort()];
  const p = createProxy({ nodeName: 'mk', healthCheckHost: '127.0.0.4', log: () => {} });
  cleanup.push(() => p.stop());
  p.table.setService(service('web', { clusterIP: '127.0.0.5', ports: [{ port }] }));
  p.table.setService(lb('x', { clusterIP: '127.0.0.6', healthCheckNodePort: hcPort, ports: [{ port, nodePort: np }] }));
  p.table.setEndpoints(endpoints('x', [{ ip: '10.244.1.2', nodeName: 'mk' }], [{ port: 8080 }]));
  await p.settled();
  const out = renderRules(p.snapshot());
  const w3 = Math.max(`<nodes>:${np}/TCP`.length, `127.0.0.5:${port}/TCP`.length) + 3;
  const line = (a: string, b: string, c: string, d: string, e: string, f: string) => `${a.padEnd(14)}${b.padEnd(12)}${c.padEnd(w3)}${d.padEnd(18)}${e.padEnd(11)}${f}\n`;
  assert.equal(out,
    line('SERVICE', 'TYPE', 'ADDRESS', 'ENDPOINTS', 'AFFINITY', 'POLICY') +
    line('default/web', 'ClusterIP', `127.0.0.5:${port}/TCP`, '<none>', 'None', 'Cluster') +
    line('default/x', 'ClusterIP', `127.0.0.6:${port}/TCP`, '10.244.1.2:8080', 'None', 'Cluster') +
    line('default/x', 'NodePort', `<nodes>:${np}/TCP`, '10.244.1.2:8080', 'None', 'Local') +
    `default/x${' '.repeat(5)}healthCheckNodePort ${hcPort} -> 1 local endpoints\n`);
  assert.equal((await get('127.0.0.4', hcPort)).status, 200);
});

test('a taken health check port is reported as a warning and retried', async () => {
  const hcPort = await freePort();
  const squatter = net.createServer();
  await new Promise<void>((r) => squatter.listen(hcPort, '127.0.0.7', () => r()));
  cleanup.push(() => new Promise((r) => squatter.close(r)));
  const p = createProxy({ nodeName: 'mk', healthCheckHost: '127.0.0.7', log: () => {} });
  cleanup.push(() => p.stop());
  p.table.setService(lb('x', { healthCheckNodePort: hcPort, ports: [{ port: 80, protocol: 'SCTP' }] }));
  await p.settled();
  const [h] = p.snapshot().healthChecks!;
  assert.match(h!.error!, /^EADDRINUSE/);
  assert.match(renderRules(p.snapshot()), new RegExp(`\\nwarning: not serving the health check of default/x on <nodes>:${hcPort}/TCP: EADDRINUSE`));
});
