// The Ingress routing rules as a table: which backend (Ingress → Service:port) a host and path
// reach, per the Ingress specification (exact and one-label wildcard hosts, Exact/Prefix/
// ImplementationSpecific paths, longest match, Exact over Prefix, merging, default backends)
// and ingress-nginx's regex mode. The same rules over the wire are in server.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IngressState } from '../../src/agent/ingress/state.ts';
import { requestHost } from '../../src/agent/ingress/paths.ts';
import { ingress, ingressClass, path, rule } from './fixtures.ts';

function state(): IngressState {
  const s = new IngressState();
  s.setClass(ingressClass('nginx', 'k8s.io/ingress-nginx', true));
  // oldest first: `a` defines /foo Prefix before `d` does
  s.setIngress(ingress('a', {
    rules: [rule('foo.bar.com',
      path('/foo', 'Prefix', 'prefix'),
      path('/foo', 'Exact', 'exact'),
      path('/foo/bar/', 'Prefix', 'foobar'),
      path('/exact/', 'Exact', 'exactslash'),
      path('/impl', 'ImplementationSpecific', 'impl'),
      path('/', 'Exact', 'root-exact'),
    )],
  }));
  s.setIngress(ingress('b', { rules: [rule('*.wild.com', path('/', 'Prefix', 'wild'))] }));
  s.setIngress(ingress('c', { rules: [rule(undefined, path('/nohost', 'Prefix', 'nohost'))] }));
  s.setIngress(ingress('d', { rules: [rule('foo.bar.com', path('/merged', 'Prefix', 'merged'), path('/foo', 'Prefix', 'dup'))] }));
  s.setIngress(ingress('e', { defaultBackend: { service: { name: 'catchall', port: { number: 8080 } } } }));
  s.setIngress(ingress('f', { defaultBackend: { service: { name: 'fdefault', port: { name: 'http' } } }, rules: [rule('withdefault.com', path('/app', 'Exact', 'app', 'web'))] }));
  s.setIngress(ingress('g', { rules: [rule('regex.com', path('/api(/|$)(.*)', 'ImplementationSpecific', 'api'), path('/', 'Prefix', 'front'))] }, { annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } }));
  s.setIngress(ingress('h', { rules: [rule('regex.com', path('/static', 'Prefix', 'static'))] }));
  s.setIngress(ingress('foreign', { rules: [rule('foreign.com', path('/', 'Prefix', 'foreign'))] }, { className: 'other' }));
  return s;
}

/** `ingress → service:port`, or `404`. */
function route(s: IngressState, hostHeader: string, p: string): string {
  const t = s.table();
  const l = t.location(t.server(requestHost(hostHeader)), p);
  if (!l) return '404';
  return `${l.ingress.split('/')[1]} → ${l.pool!.service}:${l.pool!.port.number ?? l.pool!.port.name}`;
}

const cases: [host: string, path: string, want: string][] = [
  // Exact beats Prefix on the same path; Exact does not match a trailing slash
  ['foo.bar.com', '/foo', 'a → exact:80'],
  ['foo.bar.com', '/foo/', 'a → prefix:80'],
  ['foo.bar.com', '/foo/baz', 'a → prefix:80'],
  // matching is case-sensitive and element-wise
  ['foo.bar.com', '/FOO', '404'],
  ['foo.bar.com', '/foobar', '404'],
  // a Prefix path's trailing slash is ignored; the longest match wins
  ['foo.bar.com', '/foo/bar', 'a → foobar:80'],
  ['foo.bar.com', '/foo/bar/', 'a → foobar:80'],
  ['foo.bar.com', '/foo/bar/x', 'a → foobar:80'],
  ['foo.bar.com', '/foo/barx', 'a → prefix:80'],
  ['foo.bar.com', '/exact/', 'a → exactslash:80'],
  ['foo.bar.com', '/exact', '404'],
  // ImplementationSpecific is served as Prefix
  ['foo.bar.com', '/impl', 'a → impl:80'],
  ['foo.bar.com', '/impl/x', 'a → impl:80'],
  ['foo.bar.com', '/implx', '404'],
  // an Exact `/` is only `/`
  ['foo.bar.com', '/', 'a → root-exact:80'],
  // several Ingresses merge per host; the first definition of a path wins
  ['foo.bar.com', '/merged/x', 'd → merged:80'],
  // the Host header: case and port do not matter
  ['FOO.bar.COM:8080', '/foo', 'a → exact:80'],
  ['foo.bar.com.', '/foo', 'a → exact:80'],
  // a wildcard covers exactly one label
  ['a.wild.com', '/x', 'b → wild:80'],
  ['b.a.wild.com', '/x', 'e → catchall:8080'],
  ['wild.com', '/x', 'e → catchall:8080'],
  // rules without a host serve every other host; then the catch-all default backend
  ['unknown.com', '/nohost', 'c → nohost:80'],
  ['unknown.com', '/nohost/y', 'c → nohost:80'],
  ['unknown.com', '/other', 'e → catchall:8080'],
  ['', '/nohost', 'c → nohost:80'],
  // an Ingress with rules and a defaultBackend: its host's unmatched paths go to the default; ports by name
  ['withdefault.com', '/app', 'f → app:web'],
  ['withdefault.com', '/app/x', 'f → fdefault:http'],
  // a foreign class is not served: the host is unknown
  ['foreign.com', '/', 'e → catchall:8080'],
  // regex mode (use-regex on any Ingress of the host): every path of the host is a
  // case-insensitive regex anchored at the start, longest first
  ['regex.com', '/api', 'g → api:80'],
  ['regex.com', '/API/users', 'g → api:80'],
  ['regex.com', '/apix', 'g → front:80'],
  ['regex.com', '/staticfile', 'h → static:80'],
  ['regex.com', '/Static/x', 'h → static:80'],
  ['regex.com', '/', 'g → front:80'],
];

test('routing table: host × path → backend', () => {
  const s = state();
  const got = cases.map(([h, p]) => `${h} ${p} => ${route(s, h, p)}`);
  assert.deepEqual(got, cases.map(([h, p, w]) => `${h} ${p} => ${w}`));
});

test('routing table: without a default backend an unknown host is 404', () => {
  const s = new IngressState();
  s.setClass(ingressClass('nginx', 'k8s.io/ingress-nginx', true));
  s.setIngress(ingress('only', { rules: [rule('only.com', path('/', 'Prefix', 'web'))] }));
  assert.equal(route(s, 'only.com', '/anything'), 'only → web:80');
  assert.equal(route(s, 'other.com', '/'), '404');
});

test('class filtering: annotation, ingressClassName, default class for class-less Ingresses', () => {
  const s = new IngressState();
  s.setClass(ingressClass('nginx', 'k8s.io/ingress-nginx'));
  s.setClass(ingressClass('traefik', 'traefik.io/ingress-controller', true));
  s.setIngress(ingress('named', { rules: [rule('a.com', path('/', 'Prefix', 'a'))] }, { className: 'nginx' }));
  s.setIngress(ingress('other', { rules: [rule('b.com', path('/', 'Prefix', 'b'))] }, { className: 'traefik' }));
  s.setIngress(ingress('missing-class', { rules: [rule('c.com', path('/', 'Prefix', 'c'))] }, { className: 'nope' }));
  s.setIngress(ingress('classless', { rules: [rule('d.com', path('/', 'Prefix', 'd'))] }));
  s.setIngress(ingress('annotated', { rules: [rule('e.com', path('/', 'Prefix', 'e'))] }, { annotations: { 'kubernetes.io/ingress.class': 'nginx' } }));
  s.setIngress(ingress('annotated-other', { rules: [rule('f.com', path('/', 'Prefix', 'f'))] }, { className: 'nginx', annotations: { 'kubernetes.io/ingress.class': 'traefik' } }));
  const names = () => s.served().map((i) => i.metadata.name).sort();
  // nginx is not the default: class-less Ingresses belong to the default (traefik)
  assert.deepEqual(names(), ['annotated', 'named']);
  s.setClass(ingressClass('traefik', 'traefik.io/ingress-controller', false));
  s.setClass(ingressClass('nginx', 'k8s.io/ingress-nginx', true));
  assert.deepEqual(names(), ['annotated', 'classless', 'named']);
  assert.equal(route(s, 'd.com', '/'), 'classless → d:80');
  assert.equal(route(s, 'b.com', '/'), '404');
});

test('canary Ingresses add no paths: they become the alternative of the main location', () => {
  const s = new IngressState();
  s.setClass(ingressClass('nginx', 'k8s.io/ingress-nginx', true));
  s.setIngress(ingress('main', { rules: [rule('c.com', path('/', 'Prefix', 'stable'))] }));
  s.setIngress(ingress('canary', { rules: [rule('c.com', path('/', 'Prefix', 'next'), path('/only-canary', 'Prefix', 'next'))] }, { annotations: { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '30' } }));
  const t = s.table();
  const l = t.location(t.server('c.com'), '/x')!;
  assert.equal(l.pool!.service, 'stable');
  assert.equal(l.canary!.pool!.service, 'next');
  assert.equal(l.canary!.policy.weight, 30);
  assert.equal(t.location(t.server('c.com'), '/only-canary')!.pool!.service, 'stable');
});

test('TLS hosts: listed in a tls entry, or a rule host of an Ingress that has tls (default certificate)', () => {
  const s = new IngressState();
  s.setClass(ingressClass('nginx', 'k8s.io/ingress-nginx', true));
  s.setIngress(ingress('t', { tls: [{ hosts: ['secure.com'], secretName: 'secure-tls' }], rules: [rule('secure.com', path('/', 'Prefix', 'web')), rule('also.com', path('/', 'Prefix', 'web'))] }));
  s.setIngress(ingress('plain', { rules: [rule('plain.com', path('/', 'Prefix', 'web'))] }));
  s.setIngress(ingress('w', { tls: [{ hosts: ['*.wild.org'] }], rules: [rule('*.wild.org', path('/', 'Prefix', 'web'))] }));
  const t = s.table();
  assert.equal(t.tlsFor('secure.com'), 'default/secure-tls');
  assert.equal(t.tlsFor('also.com'), '');
  assert.equal(t.tlsFor('plain.com'), undefined);
  assert.equal(t.tlsFor('a.wild.org'), '');
  assert.equal(t.tlsFor('b.a.wild.org'), undefined);
});
