// Steps: one per node container. A node runs the mk agent (`mk agent` of the executable in its
// image, or, from the sources, Node.js on the package bind-mounted read-only at /opt/mk: see
// image/launch.ts), keeps its state on the profile's volume, reaches the engine through the
// mounted Docker socket (its kubelet runs pods as sibling containers), and has NET_ADMIN (the
// agent sets routes; --privileged is refused by rootless and nested engines). The control plane
// publishes the API server and the ingress ports 80/443 on 127.0.0.1, on host ports chosen once
// (./host-ports.ts) and named explicitly, so Docker binds the same ones on every restart (an
// ingress port taken while the cluster was stopped is chosen again, the control plane made
// again on it as in a roll). A
// restart of the cluster starts the existing containers instead, or, when one runs another mk's
// node image (mk was upgraded), replaces it with one of this mk's: the objects stay, they live in
// the store on the volume.
import { UserError } from '../../lib/errors.ts';
import type { ContainerSpec } from '../../runtime/types.ts';
import { chooseHostPorts, isPortTaken, movedIngressPorts, type HostPorts } from '../host-ports.ts';
import { STATE_DIR_IN_NODE } from '../image/index.ts';
import { agentCommand, agentMounts } from '../image/launch.ts';
import { APISERVER_PORT, DEFAULT_PROXY_MODE, DNS_IP, SERVICE_CIDR } from '../../api/network.ts';
import { networkName, nodeLabels, volumeName } from '../names.ts';
import type { PlannedNode, StartContext, StartOptions } from './context.ts';
import type { Step } from './runner.ts';

/** The node container; the control plane's publishes `ports` (required for it). */
export function nodeSpec(o: StartOptions, n: PlannedNode, controlPlaneIP: string, image: string, ports?: HostPorts): ContainerSpec {
  if (n.role === 'control-plane' && !ports) throw new Error(`node ${n.name}: the control plane needs its host ports`);
  const net = networkName(o.profile);
  return {
    name: n.name,
    image,
    labels: nodeLabels(o.profile, n.role, n.name),
    cmd: [
      ...agentCommand(o),
      '--role', n.role, '--cluster', o.profile, '--node-name', n.name, '--node-ip', n.ip, '--pod-cidr', n.podCIDR,
      '--network', net, '--control-plane-ip', controlPlaneIP, '--sandbox-image', image,
      '--state-dir', STATE_DIR_IN_NODE, '--port', String(APISERVER_PORT), '--service-cidr', SERVICE_CIDR, '--dns-ip', DNS_IP,
      '--proxy-mode', o.proxyMode ?? DEFAULT_PROXY_MODE,
    ],
    hostname: n.name,
    network: { name: net, ip: n.ip },
    mounts: [
      ...agentMounts(o),
      { type: 'volume', source: volumeName(o.profile), target: STATE_DIR_IN_NODE },
      { type: 'bind', source: o.dockerSocket, target: '/var/run/docker.sock' },
    ],
    capAdd: ['NET_ADMIN'],
    publish: n.role === 'control-plane' && ports
      ? ([[APISERVER_PORT, ports.apiserver], [80, ports.http], [443, ports.https]] as const).map(([containerPort, hostPort]) => ({ containerPort, hostPort, hostIp: '127.0.0.1' as const }))
      : undefined,
    restart: 'unless-stopped',
    init: true,
  };
}

const MAX_PORT_TRIES = 3;

const portList = (p?: HostPorts) => (p ? `API server ${p.apiserver}, HTTP ${p.http}, HTTPS ${p.https} on 127.0.0.1` : 'see "docker inspect"');

export function nodeStep(n: PlannedNode): Step<StartContext> {
  return {
    title: (ctx) => (rolls(n, ctx)
      ? `Rolling node ${n.name} (${n.ip}) to ${ctx.image}`
      : `${n.existing ? 'Starting' : 'Creating'} node ${n.name} (${n.ip})`),
    async run(ctx) {
      let remake = rolls(n, ctx);
      if (n.existing && !remake) {
        if (!n.existing.running) {
          try {
            await ctx.rt.startContainer(n.existing.id);
          } catch (e) {
            // an ingress port taken meanwhile: the control plane is made again on other ones, as a roll
            const moved = n.role === 'control-plane' ? await movedIngressPorts(e, ctx.previous?.ports, { probe: ctx.o.portProbe }) : undefined;
            if (!moved) {
              // the cluster keeps its API server port so the kubeconfig stays valid: say which one is held
              if (!isPortTaken(e)) throw e;
              throw new UserError(`node ${n.name} cannot start: ${e instanceof Error ? e.message : String(e)}`, `Another program took a host port of "${ctx.o.profile}" while it was stopped (${portList(ctx.previous?.ports)}): stop that program, or delete the cluster with "mk delete -p ${ctx.o.profile}" and start it again.`, { cause: e });
            }
            ctx.ports = moved;
            remake = true;
          }
        }
        if (!remake) return;
      }
      if (remake) await ctx.rt.removeContainer(n.existing!.id);
      const cp = ctx.nodes[0]!;
      const refused: number[] = [];
      for (let attempt = 1; ; attempt++) {
        // a control plane made again keeps the recorded ports, so an existing kubeconfig stays valid
        if (n.role === 'control-plane') ctx.ports ??= ctx.previous?.ports ?? await chooseHostPorts(refused, ctx.o.portProbe);
        try {
          n.id = await ctx.rt.createContainer(nodeSpec(ctx.o, n, cp.ip, ctx.image!, ctx.ports));
          // a rolled node is the cluster's own: a failure later leaves it, as a restart does
          if (!remake) ctx.created.containers.push(n.id);
          await ctx.rt.startContainer(n.id);
          return;
        } catch (e) {
          // a port taken since it was chosen (another start, another program): choose again
          if (n.role === 'control-plane' && n.id && isPortTaken(e) && attempt < MAX_PORT_TRIES) {
            await ctx.rt.removeContainer(n.id);
            ctx.created.containers = ctx.created.containers.filter((c) => c !== n.id);
            n.id = undefined;
            // a cluster made again keeps its API server port when that one is not the refused one
            const moved = n.existing ? await movedIngressPorts(e, ctx.ports, { avoid: refused, probe: ctx.o.portProbe }) : undefined;
            refused.push(...Object.values(ctx.ports!));
            ctx.ports = moved ?? await chooseHostPorts(refused, ctx.o.portProbe);
            continue;
          }
          throw new UserError(`could not start node ${n.name}: ${e instanceof Error ? e.message : String(e)}`, 'Check that Docker runs containers (docker run --rm hello-world) and that nothing else uses the name.', { cause: e });
        }
      }
    },
    async rollback(ctx) {
      if (!n.existing && n.id) await ctx.rt.removeContainer(n.id);
    },
  };
}

/** An existing node container made from another node image than this mk's. */
function rolls(n: PlannedNode, ctx: StartContext): boolean {
  return Boolean(n.existing && ctx.image && n.existing.summary.image !== ctx.image);
}
