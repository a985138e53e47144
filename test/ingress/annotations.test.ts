// The ingress-nginx annotations tutorials use, over the wire, with the exact status codes and
// Location headers ingress-nginx answers: rewrite-target with use-regex, app-root, ssl-redirect,
// force-ssl-redirect, backend-protocol, cookie affinity, whitelist-source-range and canary.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { IngressState, startIngressServer, type IngressServer } from '../../src/agent/ingress/index.ts';
import { fakeCertificate, selfSigned } from '../../src/agent/ingress/fake-cert.ts';
import { ask, nginxPage } from './ask.ts';
import { backend, endpoints, ingress, ingressClass, path, rule, service } from './fixtures.ts';

const A = 'nginx.ingress.kubernetes.io/';
const cleanup: Array<() => unknown> = [];
after(async () => { for (const f of cleanup.reverse()) await f(); });

let server: IngressServer;
let state: IngressState;

/** A Service `name` whose one endpoint is a fixture backend on `ip`. */
async function svc(name: string, ip: string): Promise<void> {
  const b = await backend(name, ip);
  cleanup.push(() => b.close());
  state.setService(service(name, [{ port: 80 }]));
  state.setEndpoints(endpoints(name, [ip], [{ port: b.port }]));
}

before(async () => {
  state = new IngressState();
  state.setClass(ingressClass('nginx', 'k8s.io/ingress-nginx', true));
  await svc('web', '127.0.1.1');
  await svc('stable', '127.0.1.2');
  await svc('next', '127.0.1.3');
  // two endpoints for affinity
  const s1 = await backend('sticky-1', '127.0.1.4');
  const s2 = await backend('sticky-2', '127.0.1.5', s1.port);
  cleanup.push(() => s1.close(), () => s2.close());
  state.setService(service('sticky', [{ port: 80 }]));
  state.setEndpoints(endpoints('sticky', ['127.0.1.4', '127.0.1.5'], [{ port: s1.port }]));
  server = await startIngressServer({ host: '127.0.0.1', httpPort: 0, httpsPort: 0, state, fallbackCert: await fakeCertificate() });
  cleanup.push(() => server.close());
});

test('rewrite-target with use-regex: capture groups, case-insensitive, query kept', async () => {
  state.setIngress(ingress('rewrite', { rules: [rule('rewrite.example.com', path('/something(/|$)(.*)', 'ImplementationSpecific', 'web'))] }, { annotations: { [`${A}use-regex`]: 'true', [`${A}rewrite-target`]: '/$2' } }));
  state.setIngress(ingress('rewrite-plain', { rules: [rule('plain.example.com', path('/foo', 'Prefix', 'web'))] }, { annotations: { [`${A}rewrite-target`]: '/' } }));
  const cases: [host: string, p: string, upstream: string][] = [
    ['rewrite.example.com', '/something', '/'],
    ['rewrite.example.com', '/something/', '/'],
    ['rewrite.example.com', '/something/new', '/new'],
    ['rewrite.example.com', '/something/new?x=1&y=2', '/new?x=1&y=2'],
    ['rewrite.example.com', '/SOMETHING/Case', '/Case'],
    // rewrite-target alone also puts the host in regex mode, and the whole path becomes the target
    ['plain.example.com', '/foo', '/'],
    ['plain.example.com', '/foo/bar/baz', '/'],
    ['plain.example.com', '/FOOBAR', '/'],
  ];
  for (const [host, p, want] of cases) {
    const a = await ask(server.httpPort, { host, path: p });
    assert.equal(a.json?.url, want, `${host}${p}`);
  }
  assert.equal((await ask(server.httpPort, { host: 'rewrite.example.com', path: '/other' })).status, 404);
});

test('app-root: / answers 302 to the app root; other paths are served', async () => {
  state.setIngress(ingress('approot', { rules: [rule('approot.example.com', path('/', 'Prefix', 'web'))] }, { annotations: { [`${A}app-root`]: '/app1' } }));
  const a = await ask(server.httpPort, { host: 'approot.example.com', path: '/' });
  assert.deepEqual([a.status, a.headers.location, a.body], [302, 'http://approot.example.com/app1', nginxPage('302 Found')]);
  const b = await ask(server.httpsPort, { https: true, host: 'approot.example.com:443', path: '/' });
  assert.deepEqual([b.status, b.headers.location], [302, 'https://approot.example.com/app1']);
  assert.equal((await ask(server.httpPort, { host: 'approot.example.com', path: '/app1' })).json.url, '/app1');
});

test('ssl-redirect: plain HTTP to a TLS host answers 308 to https (trailing slash dropped); off when annotated false', async () => {
  state.setIngress(ingress('tls', { tls: [{ hosts: ['tls.example.com'] }], rules: [rule('tls.example.com', path('/', 'Prefix', 'web'))] }));
  state.setIngress(ingress('tls-off', { tls: [{ hosts: ['tlsoff.example.com'] }], rules: [rule('tlsoff.example.com', path('/', 'Prefix', 'web'))] }, { annotations: { [`${A}ssl-redirect`]: 'false' } }));
  const cases: [p: string, location: string][] = [
    ['/', 'https://tls.example.com'],
    ['/path/', 'https://tls.example.com/path'],
    ['/path', 'https://tls.example.com/path'],
    ['/a?b=1', 'https://tls.example.com/a?b=1'],
  ];
  for (const [p, location] of cases) {
    const a = await ask(server.httpPort, { host: `tls.example.com:${server.httpPort}`, path: p });
    assert.deepEqual([a.status, a.headers.location, a.body], [308, location, nginxPage('308 Permanent Redirect')], p);
  }
  assert.equal((await ask(server.httpsPort, { https: true, host: 'tls.example.com', path: '/' })).json.name, 'web');
  assert.equal((await ask(server.httpPort, { host: 'tlsoff.example.com', path: '/' })).json.name, 'web');
  // no TLS on the host: no redirect
  state.setIngress(ingress('notls', { rules: [rule('notls.example.com', path('/', 'Prefix', 'web'))] }));
  assert.equal((await ask(server.httpPort, { host: 'notls.example.com', path: '/' })).status, 200);
});

test('force-ssl-redirect: redirects even without TLS on the host; HTTPS is served', async () => {
  state.setIngress(ingress('force', { rules: [rule('force.example.com', path('/', 'Prefix', 'web'))] }, { annotations: { [`${A}force-ssl-redirect`]: 'true' } }));
  const a = await ask(server.httpPort, { host: 'force.example.com', path: '/x?y=z' });
  assert.deepEqual([a.status, a.headers.location], [308, 'https://force.example.com/x?y=z']);
  assert.equal((await ask(server.httpsPort, { https: true, host: 'force.example.com', path: '/x' })).json.url, '/x');
});

test('backend-protocol HTTPS: the controller speaks TLS to the endpoint', async () => {
  const pair = await selfSigned({ cn: 'backend', dnsNames: ['backend'] });
  const tlsBackend = https.createServer({ cert: pair.certPem, key: pair.keyPem }, (req, res) => {
    res.writeHead(200, { 'x-backend': 'tls' });
    res.end(JSON.stringify({ name: 'tls-backend', url: req.url, encrypted: (req.socket as { encrypted?: boolean }).encrypted === true }));
  });
  await new Promise<void>((r) => tlsBackend.listen(0, '127.0.1.6', () => r()));
  cleanup.push(() => new Promise((r) => { tlsBackend.closeAllConnections(); tlsBackend.close(r); }));
  state.setService(service('secure-backend', [{ port: 443 }]));
  state.setEndpoints(endpoints('secure-backend', ['127.0.1.6'], [{ port: (tlsBackend.address() as AddressInfo).port }]));
  state.setIngress(ingress('bp', { rules: [rule('bp.example.com', path('/', 'Prefix', 'secure-backend', 443))] }, { annotations: { [`${A}backend-protocol`]: 'HTTPS' } }));
  const a = await ask(server.httpPort, { host: 'bp.example.com', path: '/s' });
  assert.deepEqual([a.status, a.json.name, a.json.encrypted], [200, 'tls-backend', true]);
});

test('affinity cookie: INGRESSCOOKIE is set once and keeps the client on its endpoint', async () => {
  state.setIngress(ingress('sticky', { rules: [rule('sticky.example.com', path('/', 'Prefix', 'sticky'))] }, { annotations: { [`${A}affinity`]: 'cookie' } }));
  const first = await ask(server.httpPort, { host: 'sticky.example.com', path: '/' });
  const set = first.headers['set-cookie']?.[0] ?? '';
  assert.match(set, /^INGRESSCOOKIE=[0-9a-f]{32}; Path=\/; HttpOnly$/);
  const cookie = set.split(';')[0]!;
  const names = new Set<string>();
  for (let i = 0; i < 6; i++) {
    const a = await ask(server.httpPort, { host: 'sticky.example.com', path: '/', headers: { cookie: `other=1; ${cookie}` } });
    names.add(a.json.name);
    assert.equal(a.headers['set-cookie'], undefined);
  }
  assert.deepEqual([...names], [first.json.name]);
  // a cookie naming no current endpoint gets a new one
  const stale = await ask(server.httpPort, { host: 'sticky.example.com', path: '/', headers: { cookie: 'INGRESSCOOKIE=0000' } });
  assert.match(stale.headers['set-cookie']?.[0] ?? '', /^INGRESSCOOKIE=[0-9a-f]{32}; Path=\/; HttpOnly$/);
  // over HTTPS the cookie is Secure
  const sec = await ask(server.httpsPort, { https: true, host: 'sticky.example.com', path: '/' });
  assert.match(sec.headers['set-cookie']?.[0] ?? '', /^INGRESSCOOKIE=[0-9a-f]{32}; Path=\/; Secure; HttpOnly$/);
});

test('whitelist-source-range: clients outside the CIDRs get 403', async () => {
  const cases: [range: string, status: number][] = [
    ['10.0.0.0/8, 192.168.0.0/16', 403],
    ['10.0.0.0/8,127.0.0.0/8', 200],
    ['127.0.0.1', 200],
    ['not-a-cidr', 403],
  ];
  for (const [range, status] of cases) {
    state.setIngress(ingress('allow', { rules: [rule('allow.example.com', path('/', 'Prefix', 'web'))] }, { annotations: { [`${A}whitelist-source-range`]: range } }));
    const a = await ask(server.httpPort, { host: 'allow.example.com', path: '/' });
    assert.equal(a.status, status, range);
    if (status === 403) assert.equal(a.body, nginxPage('403 Forbidden'));
  }
});

test('canary: by header (always/never, or a value), by cookie, by weight', async () => {
  state.setIngress(ingress('main', { rules: [rule('canary.example.com', path('/', 'Prefix', 'stable'))] }));
  const canary = (ann: Record<string, string>) =>
    state.setIngress(ingress('canary', { rules: [rule('canary.example.com', path('/', 'Prefix', 'next'))] }, { annotations: { [`${A}canary`]: 'true', ...ann } }));
  const hit = async (headers: Record<string, string> = {}) => (await ask(server.httpPort, { host: 'canary.example.com', path: '/', headers })).json.name;
  canary({ [`${A}canary-by-header`]: 'X-Canary' });
  assert.equal(await hit({ 'x-canary': 'always' }), 'next');
  assert.equal(await hit({ 'x-canary': 'never' }), 'stable');
  assert.equal(await hit(), 'stable');
  canary({ [`${A}canary-by-header`]: 'X-Canary', [`${A}canary-by-header-value`]: 'beta' });
  assert.equal(await hit({ 'x-canary': 'beta' }), 'next');
  assert.equal(await hit({ 'x-canary': 'always' }), 'stable');
  canary({ [`${A}canary-by-cookie`]: 'use_canary' });
  assert.equal(await hit({ cookie: 'use_canary=always' }), 'next');
  assert.equal(await hit({ cookie: 'use_canary=never' }), 'stable');
  canary({ [`${A}canary-weight`]: '100' });
  for (let i = 0; i < 5; i++) assert.equal(await hit(), 'next');
  canary({ [`${A}canary-weight`]: '0', [`${A}canary-by-header`]: 'X-Canary' });
  for (let i = 0; i < 5; i++) assert.equal(await hit(), 'stable');
  assert.equal(await hit({ 'x-canary': 'always' }), 'next');
});
