import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerEnv, entrypointAndCmd, expand, podServices, serviceEnv, EnvError } from './envvars.ts';
import type { KubeObject } from '../../api/types.ts';
import { SEED_000_SERVICE_ENV } from '../../../test/fixtures/seeds/seed000-env.ts';

const svc = (ns: string, name: string, ip: string, ports: any[]): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { clusterIP: ip, ports } });
const kubernetes = svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]);
const mwishBot = svc('default', 'mwish-bot', '10.104.193.224', [{ port: 6379, protocol: 'TCP' }]);
const redis = svc('default', 'mwish-bot-svc-redis', '10.98.79.92', [{ name: 'redis-port', port: 6379, protocol: 'TCP' }]);
const pod = (ns = 'default', extra: any = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'mwish-bot-another', namespace: ns, uid: 'u1' }, spec: { nodeName: 'mk', containers: [], ...extra } });


test('service variables are exactly seed 000 list (as a set)', () => {
  const got = serviceEnv(podServices(pod(), [kubernetes, mwishBot, redis])).map((v) => `${v.name}=${v.value}`);
  assert.deepEqual([...got].sort(), SEED_000_SERVICE_ENV.split('\n').sort());
});

test('which Services a pod sees', () => {
  const other = svc('other', 'db', '10.96.5.5', [{ port: 5432 }]);
  const headless = svc('other', 'headless', 'None', [{ port: 80 }]);
  const cases: Array<[string, KubeObject, string[]]> = [
    ['own namespace + kubernetes', pod('other'), ['db', 'headless', 'kubernetes']],
    ['enableServiceLinks false: kubernetes only', pod('other', { enableServiceLinks: false }), ['kubernetes']],
    ['default namespace', pod('default'), ['kubernetes', 'mwish-bot']],
  ];
  for (const [name, p, want] of cases) {
    assert.deepEqual(podServices(p, [kubernetes, mwishBot, other, headless]).map((s) => s.metadata.name), want, name);
  }
  assert.deepEqual(serviceEnv([headless]), [], 'headless services give no variables');
});

test('UDP and second ports', () => {
  const dns = svc('kube-system', 'kube-dns', '10.96.0.10', [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]);
  assert.deepEqual(serviceEnv([dns]).map((v) => `${v.name}=${v.value}`), [
    'KUBE_DNS_SERVICE_HOST=10.96.0.10', 'KUBE_DNS_SERVICE_PORT=53', 'KUBE_DNS_SERVICE_PORT_DNS=53', 'KUBE_DNS_SERVICE_PORT_DNS_TCP=53',
    'KUBE_DNS_PORT=udp://10.96.0.10:53',
    'KUBE_DNS_PORT_53_UDP=udp://10.96.0.10:53', 'KUBE_DNS_PORT_53_UDP_PROTO=udp', 'KUBE_DNS_PORT_53_UDP_PORT=53', 'KUBE_DNS_PORT_53_UDP_ADDR=10.96.0.10',
    'KUBE_DNS_PORT_53_TCP=tcp://10.96.0.10:53', 'KUBE_DNS_PORT_53_TCP_PROTO=tcp', 'KUBE_DNS_PORT_53_TCP_PORT=53', 'KUBE_DNS_PORT_53_TCP_ADDR=10.96.0.10',
  ]);
});

test('$(VAR) expansion', () => {
  const vars = new Map([['A', 'x'], ['B', 'y']]);
  const cases: Array<[string, string]> = [
    ['$(A)-$(B)', 'x-y'], ['$$(A)', '$(A)'], ['$(C)', '$(C)'], ['a$b', 'a$b'], ['$(A', '$(A'], ['$', '$'],
  ];
  for (const [input, want] of cases) assert.equal(expand(input, vars), want, input);
});

test('container env: fieldRef, configMap, secret, order and overrides', () => {
  const p = pod('default', { nodeName: 'node-1' });
  const c = {
    env: [
      { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'color' } } },
      { name: 'PASS', valueFrom: { secretKeyRef: { name: 'sec', key: 'pw' } } },
      { name: 'URL', value: 'http://$(IP):80' },
      { name: 'KUBERNETES_SERVICE_HOST', value: 'overridden' },
    ],
  };
  const env = containerEnv(p, c, [kubernetes], {
    podIP: '10.244.1.5', hostIP: '10.244.0.2',
    configMap: (n) => (n === 'cfg' ? { color: 'blue' } : undefined),
    secret: (n) => (n === 'sec' ? { pw: 's3cret' } : undefined),
  });
  assert.equal(env.get('POD'), 'mwish-bot-another');
  assert.equal(env.get('NS'), 'default');
  assert.equal(env.get('IP'), '10.244.1.5');
  assert.equal(env.get('HOST'), '10.244.0.2');
  assert.equal(env.get('NODE'), 'node-1');
  assert.equal(env.get('COLOR'), 'blue');
  assert.equal(env.get('PASS'), 's3cret');
  assert.equal(env.get('URL'), 'http://10.244.1.5:80');
  assert.equal(env.get('KUBERNETES_SERVICE_HOST'), 'overridden');
  assert.equal(env.get('KUBERNETES_SERVICE_PORT_HTTPS'), '443');
});

test('missing ConfigMap or key: CreateContainerConfigError, unless optional', () => {
  const src = { podIP: '', hostIP: '', configMap: (n: string) => (n === 'cfg' ? { a: '1' } : undefined), secret: () => undefined };
  const cases: Array<[any, string | undefined]> = [
    [{ configMapKeyRef: { name: 'nope', key: 'a' } }, 'configmap "nope" not found'],
    [{ configMapKeyRef: { name: 'cfg', key: 'b' } }, "couldn't find key b in ConfigMap default/cfg"],
    [{ secretKeyRef: { name: 's', key: 'a' } }, 'secret "s" not found'],
    [{ configMapKeyRef: { name: 'nope', key: 'a', optional: true } }, undefined],
  ];
  for (const [valueFrom, msg] of cases) {
    const run = () => containerEnv(pod(), { env: [{ name: 'X', valueFrom }] }, [], src);
    if (msg === undefined) assert.equal(run().has('X'), false);
    else assert.throws(run, (e: unknown) => e instanceof EnvError && e.message === msg && e.reason === 'CreateContainerConfigError');
  }
});

test('command/args onto entrypoint/cmd as Kubernetes maps them', () => {
  const env = new Map([['N', '3']]);
  const cases: Array<[any, any]> = [
    [{}, {}],
    [{ args: ['-x', '$(N)'] }, { cmd: ['-x', '3'] }],
    [{ command: ['sh', '-c', 'echo $(N)'] }, { entrypoint: ['sh', '-c', 'echo 3'], cmd: [] }],
    [{ command: ['sleep'], args: ['$(N)'] }, { entrypoint: ['sleep'], cmd: ['3'] }],
  ];
  for (const [c, want] of cases) assert.deepEqual(entrypointAndCmd(c, env), want, JSON.stringify(c));
});
