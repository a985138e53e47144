// Step: check that a Docker engine answers, and settle the network layout: the recorded subnet
// on a restart, else --subnet or the first free private /16; the proxy mode the cluster was made
// with (a different --proxy-mode is refused on a restart); then plan the nodes.
import { ROLES } from '../../runtime/labels.ts';
import { UserError } from '../../lib/errors.ts';
import { nodeIndex, nodeName } from '../names.ts';
import { chooseSubnet, clusterNet, nodeIP, podCIDR } from '../subnet.ts';
import { DEFAULT_PROXY_MODE } from '../../api/network.ts';
import type { PlannedNode, StartContext } from './context.ts';
import type { Step } from './runner.ts';

export function planNodes(ctx: StartContext): PlannedNode[] {
  const net = ctx.net!;
  // A restart keeps the nodes that exist, by name (after `mk node delete` the numbers may have
  // gaps); a new cluster gets nodes 1..N.
  const indexes =
    ctx.existing.length > 0
      ? ctx.existing.map((n) => nodeIndex(ctx.o.profile, n.name)).filter((i): i is number => i !== undefined).sort((a, b) => a - b)
      : Array.from({ length: ctx.o.nodes }, (_, k) => k + 1);
  return indexes.map((i) => {
    const name = nodeName(ctx.o.profile, i);
    const existing = ctx.existing.find((n) => n.name === name);
    return { index: i, name, role: i === 1 ? ROLES.controlPlane : ROLES.worker, ip: nodeIP(net, i), podCIDR: podCIDR(net, i), existing, id: existing?.id };
  });
}

export const checkDocker: Step<StartContext> = {
  title: 'Checking Docker',
  async run(ctx) {
    await ctx.rt.ping();
    if (ctx.existing.length > 0) {
      if (!ctx.previous) {
        throw new UserError(`profile "${ctx.o.profile}" has node containers but no profile file`, `Remove what is left with "mk delete -p ${ctx.o.profile}", then start again.`);
      }
      ctx.net = clusterNet(ctx.previous.subnet);
      const made = ctx.previous.proxyMode ?? DEFAULT_PROXY_MODE;
      if (ctx.o.proxyMode && ctx.o.proxyMode !== made) {
        throw new UserError(`cluster "${ctx.o.profile}" was made with --proxy-mode ${made}; --proxy-mode ${ctx.o.proxyMode} applies to a new cluster`,
          `Delete it and start it again: mk delete -p ${ctx.o.profile} && mk start -p ${ctx.o.profile} --proxy-mode ${ctx.o.proxyMode}`);
      }
      ctx.o.proxyMode = made;
    } else {
      ctx.net = chooseSubnet(await ctx.rt.usedSubnets(), ctx.o.subnet);
      ctx.o.proxyMode ??= DEFAULT_PROXY_MODE;
    }
    ctx.nodes = planNodes(ctx);
  },
};
