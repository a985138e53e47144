// Steps: the profile's Docker network (one bridge, node IPs from .0.0/24, the rest left for pod
// IPs) and its state volume. Each rolls back only what it created.
import { clusterLabels, networkName, volumeName } from '../names.ts';
import { chooseSubnet } from '../subnet.ts';
import { mustNet, type StartContext } from './context.ts';
import { planNodes } from './docker.ts';
import type { Step } from './runner.ts';

/** Docker's answer when another network took the subnet between our choice and the create
 * (two `mk start` at once: the second saw the same free /16). */
const isPoolOverlap = (e: unknown) => /Pool overlaps/i.test(String((e as Error | undefined)?.message ?? e));
const MAX_SUBNET_TRIES = 5;

export const createNetwork: Step<StartContext> = {
  title: (ctx) => `Creating network ${networkName(ctx.o.profile)} (${mustNet(ctx).subnet})`,
  async run(ctx) {
    ctx.created.network = ctx.existing.length === 0;
    // Docker may not list the other start's network yet when it already refuses its pool, so
    // the subnets refused here count as used too.
    const refused: string[] = [];
    for (let attempt = 1; ; attempt++) {
      const net = mustNet(ctx);
      try {
        await ctx.rt.ensureNetwork({ name: networkName(ctx.o.profile), subnet: net.subnet, gateway: net.gateway, ipRange: net.ipRange, labels: clusterLabels(ctx.o.profile) });
        return;
      } catch (e) {
        // a subnet we chose ourselves was taken meanwhile: choose again from what is used now
        if (!ctx.created.network || ctx.o.subnet || attempt >= MAX_SUBNET_TRIES || !isPoolOverlap(e)) throw e;
        refused.push(net.subnet);
        ctx.net = chooseSubnet([...(await ctx.rt.usedSubnets()), ...refused]);
        ctx.nodes = planNodes(ctx);
      }
    }
  },
  async rollback(ctx) {
    if (ctx.created.network) await ctx.rt.removeNetwork(networkName(ctx.o.profile));
  },
};

export const createVolume: Step<StartContext> = {
  title: (ctx) => `Creating volume ${volumeName(ctx.o.profile)}`,
  async run(ctx) {
    ctx.created.volume = ctx.existing.length === 0;
    await ctx.rt.ensureVolume(volumeName(ctx.o.profile), clusterLabels(ctx.o.profile));
  },
  async rollback(ctx) {
    if (ctx.created.volume) await ctx.rt.removeVolume(volumeName(ctx.o.profile));
  },
};
