// The ingress part of a node agent: watches the addon state (ConfigMap kube-system/mk-addons)
// and runs the controller only while `ingress` is enabled. Enabled: listen on the node IP's
// :80/:443 (a taken port is retried), then mark this node's mirror Pod Ready. Disabled: stop
// listening, clear the Ingress addresses this agent wrote (the status writer only) and remove
// the Pod. The agent's own stop leaves Pod and addresses as they are (a restart rewrites them).
import { R } from '../../api/resources.ts';
import type { KubeObject } from '../../api/types.ts';
import { Informer, type ListWatchClient } from '../../client/informer.ts';
import { ADDONS_CONFIGMAP, ADDONS_NAMESPACE, isEnabled } from '../../addons/state.ts';
import type { MirrorClient } from '../dns/mirror.ts';
import { startIngressController, type RunningIngressController } from './index.ts';
import { deleteIngressPod, writeIngressPod } from './mirror.ts';
import type { StatusClient } from './status.ts';
import type { ResourceType } from '../../api/resources.ts';

export interface NodeIngressClient extends ListWatchClient, StatusClient, MirrorClient {
  delete(r: ResourceType, namespace: string | undefined, name: string, o?: { gracePeriodSeconds?: number }): Promise<unknown>;
}

export interface NodeIngressOptions {
  client: NodeIngressClient;
  nodeName: string;
  nodeIP: string;
  /** where to listen (default: nodeIP) */
  host?: string;
  httpPort?: number;
  httpsPort?: number;
  /** this agent writes Ingress status and Events (the control plane's) */
  writeStatus: boolean;
  /** the image the mirror Pod names (the node image) */
  image?: string;
  retryMs?: number;
  log: (line: string) => void;
  onError: (e: unknown) => void;
}

export interface NodeIngress {
  /** the running controller, while the addon is enabled and the listeners are up */
  current(): RunningIngressController | undefined;
  /** resolves once the controller matches the addon state as last seen */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export function startNodeIngress(o: NodeIngressOptions): NodeIngress {
  const retry = o.retryMs ?? 2000;
  let wanted = false;
  let stopped = false;
  let ctrl: RunningIngressController | undefined;
  let cert: Promise<{ certPem: string; keyPem: string }> | undefined;
  let work: Promise<void> = Promise.resolve();
  let wake: (() => void) | undefined;
  const sleep = () => new Promise<void>((r) => { const t = setTimeout(r, retry); wake = () => { clearTimeout(t); r(); }; });
  const mirror = (ready: boolean, message?: string) => writeIngressPod(o.client, { nodeName: o.nodeName, nodeIP: o.nodeIP, image: o.image ?? 'mk-node', ready, message });

  const start = async (): Promise<void> => {
    let reported = '';
    while (!stopped && wanted && !ctrl) {
      try {
        // made once per agent (the x509 library loads only now); a failure is tried again
        cert ??= import('./fake-cert.ts').then((m) => m.fakeCertificate()).catch((e) => { cert = undefined; throw e; });
        ctrl = await startIngressController({
          client: o.client, nodeIP: o.nodeIP, host: o.host, httpPort: o.httpPort, httpsPort: o.httpsPort,
          writeStatus: o.writeStatus, fallbackCert: await cert, onError: o.onError,
        });
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        if (why !== reported) {
          reported = why;
          o.log(`ingress: cannot serve on ${o.host ?? o.nodeIP} (${why}); retrying`);
          await mirror(false, why).catch(o.onError);
        }
        await sleep();
        continue;
      }
      o.log(`ingress: serving http on ${ctrl.server.host}:${ctrl.server.httpPort}, https on ${ctrl.server.host}:${ctrl.server.httpsPort}`);
      for (let i = 0; i < 5 && !stopped && ctrl; i++) {
        try { await mirror(true); break; } catch (e) { o.onError(e); await sleep(); }
      }
    }
  };
  const stopServing = async (): Promise<void> => {
    const c = ctrl;
    ctrl = undefined;
    await c?.stop({ clearStatus: o.writeStatus }).catch(o.onError);
    await deleteIngressPod(o.client, o.nodeName).catch(o.onError);
    o.log('ingress: stopped serving (addon disabled)');
  };
  const reconcile = () => {
    wake?.();
    work = work.then(async () => {
      if (stopped) return;
      if (wanted && !ctrl) await start();
      else if (!wanted && ctrl) await stopServing();
      else if (!wanted && !ctrl) await deleteIngressPod(o.client, o.nodeName).catch(() => undefined);
    });
  };

  const informer = new Informer(o.client, R.configmaps, { namespace: ADDONS_NAMESPACE, fieldSelector: `metadata.name=${ADDONS_CONFIGMAP}`, onError: o.onError });
  const seen = (cm: KubeObject | undefined) => {
    const w = isEnabled(cm, 'ingress');
    if (w === wanted && (w === !!ctrl)) return;
    wanted = w;
    reconcile();
  };
  informer.addHandlers({ onAdd: seen, onUpdate: (cm) => seen(cm), onDelete: () => seen(undefined) });
  informer.start();

  return {
    current: () => ctrl,
    async settled() {
      await informer.waitForSync();
      for (;;) {
        const w = work;
        await w;
        if (w === work) return;
      }
    },
    async stop() {
      stopped = true;
      wake?.();
      await informer.stop();
      await work;
      await ctrl?.stop().catch(o.onError);
      ctrl = undefined;
    },
  };
}
