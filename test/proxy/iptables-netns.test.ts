// The kernel mode against the real iptables (nf_tables) in a network namespace made for the test
// (`ip netns add`, removed at the end; needs root, skipped without): a first write, then partial
// writes as Services come, change and go, leave exactly the rules one full write of the final
// table gives; a second start finds the first one's jumps and leftover chains. What iptables
// itself accepts is the point: -D by rule text, -I before the nodeports rule, chain deletion.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../../src/api/types.ts';
import { ProxyTable } from '../../src/agent/proxy/table.ts';
import { hostNetfilter, probe, shellRun, type Netfilter } from '../../src/agent/proxy/iptables/netfilter.ts';
import { IptablesSync } from '../../src/agent/proxy/iptables/sync.ts';

const ns = `mk-test-${randomBytes(3).toString('hex')}`;
const made = spawnSync('ip', ['netns', 'add', ns]).status === 0;
// the tools run as in a node: from one long-lived shell, here inside the namespace
const shell = shellRun(['ip', 'netns', 'exec', ns, 'sh']);
const nf: Netfilter = hostNetfilter(shell);
const skip = !made ? 'needs root and `ip netns` (iproute2)' : undefined;

before(async () => {
  if (!made) return;
  const why = await probe(nf);
  if (why) throw new Error(`iptables in ${ns}: ${why}`);
});
after(() => {
  shell.close();
  if (made) spawnSync('ip', ['netns', 'del', ns]);
});

const svc = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { type: 'ClusterIP', sessionAffinity: 'None', ...spec } });
const eps = (name: string, ips: string[], port = 8080, protocol = 'TCP'): KubeObject => ({
  apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: 'default' },
  subsets: ips.length ? [{ addresses: ips.map((a) => ({ ip: a.split('@')[0], nodeName: a.split('@')[1] ?? 'node-b' })), ports: [{ port, protocol }] }] : [],
});

/** The nat table's rules as iptables-save prints them, ours only (counters and Docker's lines aside). */
async function ours(): Promise<string[]> {
  return (await nf.save('nat')).split('\n').filter((l) => /^(:|-A )(KUBE-|PREROUTING|OUTPUT|POSTROUTING)/.test(l)).map((l) => l.replace(/ \[\d+:\d+\]$/, '')).sort();
}

test('partial writes leave what one full write of the final table gives', { skip }, async () => {
  const table = new ProxyTable();
  const sync = new IptablesSync({ table, netfilter: nf, nodeName: 'node-a', podCIDR: '10.244.1.0/24' });
  table.onChange = (s) => sync.changed(s);
  table.setService(svc('kubernetes', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] }));
  table.setEndpoints(eps('kubernetes', ['10.244.0.2@node-a'], 6443));
  sync.start();
  await sync.ready;
  const steps: Array<() => void> = [
    () => { table.setService(svc('web', { type: 'NodePort', clusterIP: '10.96.5.5', ports: [{ port: 80, nodePort: 30080 }] })); table.setEndpoints(eps('web', ['10.244.1.2@node-a'])); },
    () => table.setEndpoints(eps('web', ['10.244.1.2@node-a', '10.244.2.2'])),
    () => { table.setService(svc('dns', { clusterIP: '10.96.0.53', ports: [{ port: 53, protocol: 'UDP' }] })); table.setEndpoints(eps('dns', ['10.244.2.5'], 5353, 'UDP')); },
    () => table.setService(svc('web', { type: 'NodePort', clusterIP: '10.96.5.5', sessionAffinity: 'ClientIP', externalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 30080 }] })),
    () => table.setEndpoints(eps('web', ['10.244.2.2'])),
    () => table.setEndpoints(eps('dns', [], 5353, 'UDP')),
    () => table.deleteService('default/web'),
  ];
  for (const step of steps) {
    step();
    await sync.settled();
    assert.equal(sync.lastError, undefined, sync.lastError);
  }
  const partial = await ours();
  await sync.stop();

  // a second agent on the same node: it finds the jumps (no duplicates) and rewrites everything
  const again = new IptablesSync({ table, netfilter: nf, nodeName: 'node-a', podCIDR: '10.244.1.0/24' });
  again.start();
  await again.ready;
  assert.deepEqual(await ours(), partial);
  assert.equal(partial.filter((l) => l.startsWith('-A PREROUTING ')).length, 1);
  assert.ok(!partial.some((l) => l.includes('10.96.5.5')), 'the deleted Service left no rule');
  await again.stop();
});
