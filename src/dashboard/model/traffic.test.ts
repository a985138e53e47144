// Traffic per endpoint from the nodes' proxy counters: summed over nodes and ports by endpoint
// IP, rates from the rise since the last sample, a node that did not answer keeping its last
// figures (and saying why), userspace nodes saying they count nothing per endpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CounterRow, RulesSnapshot } from '../../agent/proxy/rules.ts';
import { TrafficMeter, type NodeRules } from './traffic.ts';

const snap = (node: string, counters: Array<[string, string, number, number?]>, o: Partial<RulesSnapshot> = {}): RulesSnapshot => ({
  node, services: 1, rules: [], listeners: [], connections: { active: 0, accepted: 0, rejected: 0 }, mode: 'iptables',
  counters: counters.map(([service, endpoint, connections, packets]): CounterRow => ({ service, portName: '', endpoint, chain: 'KUBE-SEP-X', connections, ...(packets !== undefined ? { packets } : {}) })),
  ...o,
});

type Step = { at: number; results: NodeRules[]; want: Record<string, Record<string, [number, number, number?]>>; notes?: Array<[string, string | undefined]> };

const cases: Array<{ name: string; steps: Step[] }> = [
  {
    name: 'sums over nodes and ports by endpoint IP; rates are the rise per second',
    steps: [
      {
        at: 0,
        results: [
          { node: 'mk', rules: snap('mk', [['default/web', '10.244.0.10:8080', 5], ['default/web', '10.244.0.10:9090', 1], ['default/web', '10.244.1.11:8080', 2]]) },
          { node: 'mk-m02', rules: snap('mk-m02', [['default/web', '10.244.0.10:8080', 4]]) },
        ],
        want: { 'default/web': { '10.244.0.10': [10, 0], '10.244.1.11': [2, 0] } },
      },
      {
        at: 2000,
        results: [
          { node: 'mk', rules: snap('mk', [['default/web', '10.244.0.10:8080', 9], ['default/web', '10.244.0.10:9090', 1], ['default/web', '10.244.1.11:8080', 2]]) },
          { node: 'mk-m02', rules: snap('mk-m02', [['default/web', '10.244.0.10:8080', 6]]) },
        ],
        want: { 'default/web': { '10.244.0.10': [16, 3], '10.244.1.11': [2, 0] } },
      },
    ],
  },
  {
    name: 'packets where the agent counts them',
    steps: [
      { at: 0, results: [{ node: 'mk', rules: snap('mk', [['default/web', '10.244.0.10:8080', 1, 10]]) }], want: { 'default/web': { '10.244.0.10': [1, 0, 10] } } },
      { at: 1000, results: [{ node: 'mk', rules: snap('mk', [['default/web', '10.244.0.10:8080', 2, 30]]) }], want: { 'default/web': { '10.244.0.10': [2, 1, 30] } } },
    ],
  },
  {
    name: 'a node that does not answer keeps its last figures and says why',
    steps: [
      { at: 0, results: [{ node: 'mk', rules: snap('mk', [['default/web', '10.244.0.10:8080', 7]]) }], want: { 'default/web': { '10.244.0.10': [7, 0] } }, notes: [['mk', undefined]] },
      { at: 1000, results: [{ node: 'mk', error: 'exec failed' }], want: { 'default/web': { '10.244.0.10': [7, 0] } }, notes: [['mk', 'did not answer: exec failed']] },
    ],
  },
  {
    name: 'a counter written anew (its chain rewritten, as patching sessionAffinity does) adds what it counts from zero: the total never falls',
    steps: [
      { at: 0, results: [{ node: 'mk', rules: snap('mk', [['default/web', '10.244.0.10:8080', 50]]) }], want: { 'default/web': { '10.244.0.10': [50, 0] } } },
      { at: 1000, results: [{ node: 'mk', rules: snap('mk', [['default/web', '10.244.0.10:8080', 3]]) }], want: { 'default/web': { '10.244.0.10': [53, 3] } } },
      { at: 2000, results: [{ node: 'mk', rules: snap('mk', [['default/web', '10.244.0.10:8080', 30]]) }], want: { 'default/web': { '10.244.0.10': [80, 27] } } },
    ],
  },
  {
    name: 'a reset on one node is not hidden by a rise on another; packets likewise',
    steps: [
      { at: 0, results: [{ node: 'mk', rules: snap('mk', [['default/web', '10.244.0.10:8080', 10, 100]]) }, { node: 'mk-m02', rules: snap('mk-m02', [['default/web', '10.244.0.10:8080', 1, 10]]) }], want: { 'default/web': { '10.244.0.10': [11, 0, 110] } } },
      { at: 1000, results: [{ node: 'mk', rules: snap('mk', [['default/web', '10.244.0.10:8080', 2, 120]]) }, { node: 'mk-m02', rules: snap('mk-m02', [['default/web', '10.244.0.10:8080', 9, 5]]) }], want: { 'default/web': { '10.244.0.10': [21, 10, 135] } } },
    ],
  },
  {
    name: 'an endpoint whose chain went (not ready) counts from zero when it comes back',
    steps: [
      { at: 0, results: [{ node: 'mk', rules: snap('mk', [['default/web', '10.244.0.10:8080', 8]]) }], want: { 'default/web': { '10.244.0.10': [8, 0] } } },
      { at: 1000, results: [{ node: 'mk', rules: snap('mk', []) }], want: {} },
      { at: 2000, results: [{ node: 'mk', rules: snap('mk', [['default/web', '10.244.0.10:8080', 1]]) }], want: { 'default/web': { '10.244.0.10': [1, 1] } } },
    ],
  },
  {
    name: 'userspace nodes and kernel errors: no per-endpoint counters, and the reason',
    steps: [
      {
        at: 0,
        results: [
          { node: 'mk', rules: snap('mk', [], { mode: 'userspace', modeReason: 'iptables-restore is missing', counters: undefined }) },
          { node: 'mk-m02', rules: snap('mk-m02', [], { kernelError: 'iptables-restore: line 3 failed' }) },
        ],
        want: {},
        notes: [['mk', 'userspace mode (iptables-restore is missing): no per-endpoint counters'], ['mk-m02', 'kernel rules not written: iptables-restore: line 3 failed']],
      },
    ],
  },
];

for (const c of cases) {
  test(`traffic: ${c.name}`, () => {
    const m = new TrafficMeter();
    for (const s of c.steps) {
      const v = m.sample(s.results, s.at);
      const got = Object.fromEntries(Object.entries(v.services).map(([svc, eps]) => [svc, Object.fromEntries(Object.entries(eps).map(([ip, t]) => [ip, [t.connections, t.connectionsPerSecond, ...(t.packets !== undefined ? [t.packets] : [])]]))]));
      assert.deepEqual(got, s.want, `at ${s.at}`);
      if (s.notes) assert.deepEqual(v.nodes.map((n) => [n.node, n.note]), s.notes, `notes at ${s.at}`);
      assert.equal(v.at, s.at);
    }
  });
}
