// `mk tunnel`'s part for the ingress addon: 127.0.0.1:80 and :443 on the host while the tunnel
// runs, when the cluster's recorded HTTP/HTTPS host ports are other ones (80/443 were taken at
// `mk start`) and the addon is enabled — as minikube tunnel exposes 80/443 for Ingresses where
// Docker cannot route to the node (Docker Desktop). Each is a TCP forwarder in this process to
// the port the control plane publishes on 127.0.0.1. They follow the addon's state (ConfigMap
// kube-system/mk-addons) and stop with the tunnel; a port another program holds is named and
// skipped.
import net from 'node:net';
import { R } from '../../api/resources.ts';
import type { KubeObject } from '../../api/types.ts';
import { ADDONS_CONFIGMAP, ADDONS_NAMESPACE, isEnabled } from '../../addons/state.ts';
import { Informer, type ListWatchClient } from '../../client/informer.ts';
import type { Output } from '../../lib/output.ts';
import { say } from '../../cli/style.ts';
import { INGRESS_HOST_PORTS, type HostPorts } from '../host-ports.ts';

export interface Forward { listen: number; to: number }

/** What the tunnel forwards for the addon: 80 and 443 where the cluster did not get them itself. */
export function ingressForwards(ports: Pick<HostPorts, 'http' | 'https'> | undefined): Forward[] {
  if (!ports) return [];
  return ([[INGRESS_HOST_PORTS.http, ports.http], [INGRESS_HOST_PORTS.https, ports.https]] as const)
    .filter(([listen, to]) => to > 0 && to !== listen)
    .map(([listen, to]) => ({ listen, to }));
}

export interface Forwarding { close(): Promise<void> }
/** Listens on 127.0.0.1:listen and joins every connection to 127.0.0.1:to. */
export type Forwarder = (f: Forward) => Promise<Forwarding>;

export const tcpForwarder: Forwarder = (f) => new Promise((resolve, reject) => {
  const conns = new Set<net.Socket>();
  // half-open both ways: a client that ends its side still gets the rest of the answer
  const server = net.createServer({ allowHalfOpen: true }, (c) => {
    const up = net.connect({ host: '127.0.0.1', port: f.to, noDelay: true, allowHalfOpen: true });
    c.setNoDelay(true);
    for (const s of [c, up]) {
      conns.add(s);
      s.once('close', () => conns.delete(s));
    }
    c.on('error', () => up.destroy());
    up.on('error', () => c.destroy());
    c.pipe(up).pipe(c);
  });
  server.once('error', reject);
  server.listen(f.listen, '127.0.0.1', () => {
    server.off('error', reject);
    resolve({
      close: () => new Promise<void>((r) => {
        for (const s of conns) s.destroy();
        server.close(() => r());
      }),
    });
  });
});

export interface IngressPortsOptions {
  /** the cluster's recorded host ports (undefined: unknown, nothing to forward) */
  ports: HostPorts | undefined;
  forward?: Forwarder;
  out: Output;
  onError?: (e: unknown) => void;
}

export interface IngressPorts {
  /** resolves once the forwarders match the addon state last seen */
  settled(): Promise<void>;
  /** closes the forwarders (saying so when there were any) */
  stop(): Promise<void>;
}

const arrow = (fs: Forward[]) => fs.map((f) => `127.0.0.1:${f.listen} -> 127.0.0.1:${f.to}`).join(', ');

export function startIngressPorts(client: ListWatchClient, o: IngressPortsOptions): IngressPorts {
  const wanted = ingressForwards(o.ports);
  const forward = o.forward ?? tcpForwarder;
  let open: Forwarding[] | undefined;
  let work: Promise<void> = Promise.resolve();
  let enabled = false;
  let stopped = false;

  const up = async () => {
    open = [];
    const done: Forward[] = [];
    for (const f of wanted) {
      try {
        open.push(await forward(f));
        done.push(f);
      } catch (e) {
        const why = (e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'another program holds it' : (e as Error).message;
        say(o.out, 'warning', `Cannot expose 127.0.0.1:${f.listen} for the ingress addon (${why}): it stays on 127.0.0.1:${f.to}.`, { err: true });
      }
    }
    if (done.length) say(o.out, 'running', `Starting tunnel for the ingress addon: ${arrow(done)}.`);
  };
  const down = async () => {
    const was = open ?? [];
    open = undefined;
    await Promise.all(was.map((f) => f.close()));
    if (was.length) say(o.out, 'stopping', 'Stopping tunnel for the ingress addon.');
  };
  const reconcile = () => {
    work = work.then(async () => {
      if (stopped) return;
      if (enabled && !open) await up();
      else if (!enabled && open) await down();
    }).catch((e) => o.onError?.(e));
  };

  const informer = wanted.length === 0 ? undefined
    : new Informer(client, R.configmaps, { namespace: ADDONS_NAMESPACE, fieldSelector: `metadata.name=${ADDONS_CONFIGMAP}`, onError: o.onError });
  const seen = (cm: KubeObject | undefined) => {
    enabled = isEnabled(cm, 'ingress');
    reconcile();
  };
  informer?.addHandlers({ onAdd: seen, onUpdate: (cm) => seen(cm), onDelete: () => seen(undefined) });
  informer?.start();

  return {
    async settled() {
      await informer?.waitForSync();
      for (;;) {
        const w = work;
        await w;
        if (w === work) return;
      }
    },
    async stop() {
      await informer?.stop();
      await work;
      stopped = true;
      await down();
    },
  };
}
