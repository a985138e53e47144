// Steps: wait for the API server (its CA and token on the control plane's volume, then /readyz
// through the published port) and, with --wait, for every node to be registered and Ready.
import { R } from '../../api/resources.ts';
import { KubeClient } from '../../client/index.ts';
import { UserError } from '../../lib/errors.ts';
import { logTail, poll, probe, readAccess } from '../access.ts';
import { APISERVER_PORT } from '../../api/network.ts';
import type { StartContext } from './context.ts';
import type { Step } from './runner.ts';

// a new cluster is rolled back (its containers and their logs go); a restarted one stays
const hint = (ctx: StartContext, node: string) => (ctx.existing.length > 0
  ? `See what the agent says with "docker logs ${node}"; remove the cluster with "mk delete -p ${ctx.o.profile}".`
  : 'What this start made has been removed again; run it with --verbose for details.');

export const waitApiServer: Step<StartContext> = {
  title: 'Waiting for the API server',
  async run(ctx) {
    const cp = ctx.nodes[0]!;
    const st = await ctx.rt.inspectContainer(cp.id!);
    const pub = (p: number) => st.publishedPorts.find((x) => x.containerPort === p && x.protocol === 'tcp')?.hostPort;
    const apiserver = pub(APISERVER_PORT);
    if (!apiserver) throw new UserError(`node ${cp.name} publishes no port for the API server`, hint(ctx, cp.name));
    ctx.ports = { apiserver, http: pub(80) ?? 0, https: pub(443) ?? 0 };
    const timeout = () => new UserError(`the API server of "${ctx.o.profile}" did not become ready in ${ctx.o.waitTimeoutMs / 1000}s`, hint(ctx, cp.name));
    const end = Date.now() + ctx.o.waitTimeoutMs;
    ctx.access = await poll(async () => {
      await mustBeRunning(ctx, cp.id!, cp.name);
      return readAccess(ctx.rt, cp.id!);
    }, ctx.o.waitTimeoutMs, timeout);
    await poll(async () => ((await probe(apiserver, ctx.access!.caPem)) === 200 ? true : undefined), Math.max(0, end - Date.now()), timeout);
  },
};

/** A node whose agent crashed is restarted by Docker: say so at once, with what it printed. */
async function mustBeRunning(ctx: StartContext, id: string, name: string): Promise<void> {
  const st = await ctx.rt.inspectContainer(id);
  if (st.status === 'running') return;
  const tail = await logTail(ctx.rt, id);
  throw new UserError(`the mk agent in node ${name} stopped (${st.status}, exit code ${st.exitCode})${tail ? `:\n${tail}` : ''}`, hint(ctx, name));
}

export const waitNodesReady: Step<StartContext> = {
  title: (ctx) => `Waiting for ${ctx.nodes.length === 1 ? 'the node' : `${ctx.nodes.length} nodes`} to be Ready`,
  async run(ctx) {
    const client = new KubeClient({ server: `https://127.0.0.1:${ctx.ports!.apiserver}`, caPem: ctx.access!.caPem, token: ctx.access!.token });
    const nodes = R.nodes;
    const want = new Set(ctx.nodes.map((n) => n.name));
    // after a restart the stored Nodes still say Ready: count only heartbeats since this start
    // (heartbeats carry whole seconds)
    const since = ctx.existing.length > 0 ? Math.floor(ctx.startedAt / 1000) * 1000 : -Infinity;
    try {
      await poll(async () => {
        for (const n of ctx.nodes) await mustBeRunning(ctx, n.id!, n.name);
        const list = await client.list(nodes);
        const ready = list.items.filter((n) => want.has(n.metadata.name!) && isReadySince(n.status?.conditions ?? [], since));
        return ready.length === want.size ? true : undefined;
      }, ctx.o.waitTimeoutMs, () => new UserError(`the nodes of "${ctx.o.profile}" were not Ready in ${ctx.o.waitTimeoutMs / 1000}s`, hint(ctx, ctx.nodes[0]!.name)), 200);
    } finally {
      client.close();
    }
  },
};

interface Condition { type: string; status: string; lastHeartbeatTime?: string }

/** Ready=True with a heartbeat at or after `since` (ms; -Infinity: any) */
export function isReadySince(conditions: Condition[], since: number): boolean {
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True' && (since === -Infinity || Date.parse(c.lastHeartbeatTime ?? '') >= since));
}
