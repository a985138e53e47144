import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attemptOf, containerName, hostsFile, resolvConf, sandboxScript, sandboxSpec } from './sandbox.ts';
import type { KubeObject } from '../../api/types.ts';

const pod = (spec: any = {}, ns = 'default'): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: ns, uid: 'abc' }, spec: { containers: [], ...spec } });
const dns = { dnsIP: '10.96.0.10', clusterDomain: 'cluster.local', hostResolvConf: '# host\nnameserver 192.168.1.1\nsearch lan\noptions edns0\n' };

test('resolv.conf per dnsPolicy', () => {
  const cases: Array<[string, KubeObject, string]> = [
    ['ClusterFirst (default)', pod({}, 'shop'), 'nameserver 10.96.0.10\nsearch shop.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n'],
    ['Default: the node', pod({ dnsPolicy: 'Default' }), 'nameserver 192.168.1.1\nsearch lan\noptions edns0\n'],
    ['None: dnsConfig', pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.2.3.4'], searches: ['a.b'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }),
      'nameserver 1.2.3.4\nsearch a.b\noptions ndots:2 edns0\n'],
    ['ClusterFirst + dnsConfig option override', pod({ dnsConfig: { options: [{ name: 'ndots', value: '1' }] } }),
      'nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:1\n'],
  ];
  for (const [name, p, want] of cases) assert.equal(resolvConf(p, dns), want, name);
});

test('/etc/hosts as the kubelet writes it', () => {
  const head = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
  assert.equal(hostsFile(pod(), '10.244.1.5', 'cluster.local'), `${head}10.244.1.5\tweb\n`);
  assert.equal(hostsFile(pod({ hostname: 'h', subdomain: 's' }), '10.244.1.5', 'cluster.local'), `${head}10.244.1.5\th.s.default.svc.cluster.local\th\n`);
  assert.equal(hostsFile(pod({ hostAliases: [{ ip: '1.2.3.4', hostnames: ['foo', 'bar'] }] }), '10.244.1.5', 'cluster.local'),
    `${head}10.244.1.5\tweb\n\n# Entries added by HostAliases.\n1.2.3.4\tfoo\tbar\n`);
});

test('sandbox script: route via the node, files quoted, sleeps until TERM', () => {
  const s = sandboxScript({ serviceCIDR: '10.96.0.0/12', nodeIP: '10.244.0.2', resolvConf: "it's\n", hosts: 'h\n' });
  assert.equal(s.split('\n')[0], 'ip route add 10.96.0.0/12 via 10.244.0.2 2>/dev/null || ip route replace 10.96.0.0/12 via 10.244.0.2');
  assert.ok(s.includes(`printf '%s' 'it'\\''s\n' > /etc/resolv.conf`));
  assert.ok(s.includes(`trap 'exit 0' TERM INT`));
});

test('sandbox spec: IP, hostname, NET_ADMIN, labels; names carry the attempt', () => {
  const spec = sandboxSpec(pod(), { cluster: 'mk', node: 'mk', image: 'img', network: 'mk', ip: '10.244.1.5', serviceCIDR: '10.96.0.0/12', nodeIP: '10.244.0.2', dns, attempt: 2 });
  assert.equal(spec.name, 'mk_POD_web_default_abc_2');
  assert.deepEqual(spec.network, { name: 'mk', ip: '10.244.1.5' });
  assert.equal(spec.hostname, 'web');
  assert.deepEqual(spec.capAdd, ['NET_ADMIN']);
  assert.deepEqual(spec.labels, { 'mk.cluster': 'mk', 'mk.role': 'pod', 'mk.node': 'mk', 'mk.pod-uid': 'abc', 'mk.pod-name': 'web', 'mk.pod-namespace': 'default', 'mk.sandbox': 'true' });
  assert.equal(attemptOf(containerName('mk', { uid: 'abc', name: 'web', namespace: 'default' }, 'app', 12)), 12);
  assert.equal(attemptOf('someone-else'), -1);
});
