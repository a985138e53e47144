// createNetwork: a subnet taken by another `mk start` between choosing and creating is chosen
// again (node IPs follow); a subnet the user asked for is never changed behind their back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RuntimeError } from '../../runtime/errors.ts';
import { FakeRuntime } from '../fake-runtime.test-helper.ts';
import { startCluster, startOptions } from '../start.ts';
import { silentReporter } from './runner.ts';

const opts = (o: Parameters<typeof startOptions>[0] = {}) => startOptions({ env: { HOME: '/nonexistent-mk-home' }, version: '0.1.0', packageRoot: '/pkg', ...o });

/** A fake engine where another cluster creates 10.244.0.0/16 right after our first look. */
function racing(): FakeRuntime & { specs: string[] } {
  const f = Object.assign(new FakeRuntime(), { specs: [] as string[] });
  const rt = f.asRuntime();
  const ensure = rt.ensureNetwork.bind(rt);
  let looked = 0;
  const used = rt.usedSubnets.bind(rt);
  f.asRuntime = () => ({
    ...rt,
    async usedSubnets() { return looked++ === 0 ? used() : ['10.244.0.0/16', ...(await used())]; },
    async createContainer(spec) { f.specs.push(JSON.stringify(spec)); return rt.createContainer(spec); },
    async ensureNetwork(o) {
      if (o.subnet === '10.244.0.0/16') throw new RuntimeError('Engine', `creating network ${o.name} (${o.subnet}): Pool overlaps with other one on this address space`);
      return ensure(o);
    },
  });
  return f;
}

const cases = [
  { name: 'chosen subnet taken meanwhile: the next free one, nodes on it', subnet: undefined, want: /^10\.245\.0\.0\/16$/ },
  { name: 'requested subnet: the engine\'s refusal stands', subnet: '10.244.0.0/16', want: /Pool overlaps/ },
];

for (const c of cases) {
  test(`createNetwork: ${c.name}`, async () => {
    const f = racing();
    const run = startCluster(opts({ nodes: 2, subnet: c.subnet }), silentReporter, f.asRuntime());
    if (c.subnet) {
      await assert.rejects(run, c.want);
      assert.equal(f.networks.size + f.containers.size, 0);
      return;
    }
    await run.catch(() => undefined); // the fake cannot run agents; the network step is what counts
    assert.ok(f.calls.includes('ensureNetwork mk-mk 10.245.0.0/16'), f.calls.join('\n'));
    const cp = f.specs.find((x) => x.includes('"name":"mk"'));
    assert.ok(cp, `control plane created: ${f.calls.join(' ')}`);
    assert.match(cp, /"10\.245\.0\.2"/);
    assert.doesNotMatch(cp, /10\.244\./);
  });
}
