// Steps: the profile's Docker network (one bridge, node IPs from .0.0/24, the rest left for pod
// IPs) and its state volume. Each rolls back only what it created.
import { clusterLabels, networkName, volumeName } from '../names.ts';
import { mustNet, type StartContext } from './context.ts';
import type { Step } from './runner.ts';

export const createNetwork: Step<StartContext> = {
  title: (ctx) => `Creating network ${networkName(ctx.o.profile)} (${mustNet(ctx).subnet})`,
  async run(ctx) {
    const net = mustNet(ctx);
    ctx.created.network = ctx.existing.length === 0;
    await ctx.rt.ensureNetwork({ name: networkName(ctx.o.profile), subnet: net.subnet, gateway: net.gateway, ipRange: net.ipRange, labels: clusterLabels(ctx.o.profile) });
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
