// `mk port-forward TYPE/NAME [LOCAL:]REMOTE… [--address A]`: kubectl's client side — resolve the
// pod (svc/ and deploy/ through their selector; a Service port becomes its targetPort, named
// ports are looked up in the pod), require it Running, then forward until Ctrl-C (`signal`).
import type { KubeClient, Connection } from '../client/index.ts';
import { resolveResource } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { parsePortSpec, startPortForward } from '../client/streams/portforward.ts';
import type { PortPair, RunningForward } from '../client/streams/portforward.ts';
import { containerPortByName, resolvePod, serviceTargetPort } from '../client/streams/resolve.ts';
import { UserError } from '../lib/errors.ts';
import { processOutput, type Output } from '../lib/output.ts';

export interface PortForwardCliOptions {
  namespace?: string;
  target: string;
  ports: string[];
  addresses: string[]; // default ['localhost']
}

/** Starts forwarding; resolves once listening (lines printed) with the running forward. */
export async function startPortForwardCommand(client: KubeClient, conn: Connection, o: PortForwardCliOptions, out: Output): Promise<RunningForward> {
  if (o.ports.length === 0) throw new UserError('error: TYPE/NAME and list of ports are required for port-forward', 'See \'mk port-forward -h\' for help and examples');
  const namespace = client.ns(o.namespace);
  const { pod } = await resolvePod(client, namespace, o.target);
  const svc = await serviceOf(client, namespace, o.target);
  const ports = o.ports.map((spec) => portPair(spec, pod, svc));
  const phase = pod.status?.phase;
  if (phase !== 'Running') throw new UserError(`error: unable to forward port because pod is not running. Current status=${phase ?? ''}`);
  return startPortForward(conn, {
    namespace,
    pod: pod.metadata.name!,
    addresses: o.addresses.length ? o.addresses.flatMap((a) => a.split(',')).map((a) => a.trim()).filter(Boolean) : ['localhost'],
    ports,
    events: {
      listening: (line) => out.out(`${line}\n`),
      connection: (line) => out.out(`${line}\n`),
      error: (line) => out.err(`${line}\n`),
    },
  });
}

/** Runs until the signal aborts (Ctrl-C) or the connection to the server is lost. */
export async function runPortForwardCommand(client: KubeClient, conn: Connection, o: PortForwardCliOptions, out: Output = processOutput, signal?: AbortSignal): Promise<void> {
  await untilAborted(await startPortForwardCommand(client, conn, o, out), signal ?? new AbortController().signal);
}

/** Keeps a running forward until it ends by itself or the signal aborts (Ctrl-C), then closes it. */
export async function untilAborted(fwd: { close(): unknown; done: Promise<unknown> }, signal: AbortSignal): Promise<void> {
  const stop = () => void fwd.close();
  if (signal.aborted) stop();
  signal.addEventListener('abort', stop, { once: true });
  try {
    await fwd.done;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

async function serviceOf(client: KubeClient, namespace: string, target: string): Promise<KubeObject | undefined> {
  const slash = target.indexOf('/');
  if (slash < 0) return undefined;
  const r = resolveResource(target.slice(0, slash));
  if (r?.kind !== 'Service') return undefined;
  return client.get(r, namespace, target.slice(slash + 1));
}

function portPair(spec: string, pod: KubeObject, svc: KubeObject | undefined): PortPair {
  const { local, remote } = parsePortSpec(spec);
  if (svc) {
    let port = Number(remote);
    if (!/^\d+$/.test(remote)) {
      const named = ((svc.spec?.ports ?? []) as { name?: string; port: number }[]).find((p) => p.name === remote);
      if (!named) throw new UserError(`error: Service '${svc.metadata.name}' does not have a named port '${remote}'`);
      port = named.port;
    }
    return { local: local ?? port, remote: serviceTargetPort(svc, pod, port) };
  }
  const port = /^\d+$/.test(remote) ? Number(remote) : containerPortByName(pod, remote);
  if (port < 1 || port > 65535) throw new UserError(`error: Error parsing remote port '${remote}': port out of range`);
  return { local: local ?? port, remote: port };
}
