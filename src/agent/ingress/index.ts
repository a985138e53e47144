// The ingress controller of a node (DESIGN.md: ingress, in process): informers on Ingresses,
// IngressClasses, Services, Endpoints and Secrets feed IngressState; HTTP and HTTPS listeners
// on the node IP route through the handler chain (server.ts) straight to pod endpoints; the
// agent chosen to write status (the control plane's) also sets Ingress addresses and Events
// (status.ts). Owns src/agent/ingress only; reads the API and writes nothing but Ingress status,
// Events and (node.ts) its mirror Pod.
import { R } from '../../api/resources.ts';
import type { KubeObject } from '../../api/types.ts';
import { InformerFactory, type ListWatchClient } from '../../client/informer.ts';
import { startIngressServer, type IngressServer } from './server.ts';
import { IngressState } from './state.ts';
import { StatusWriter, type StatusClient } from './status.ts';
import type { UpstreamOptions } from './upstream.ts';

export { IngressState } from './state.ts';
export { RoutingTable, type Location, type Server } from './table.ts';
export { startIngressServer, router, type IngressServer } from './server.ts';
export { StatusWriter, warningsFor, COMPONENT } from './status.ts';
export { isServed, CONTROLLER, CLASS_NAME, DEFAULT_CLASS_ANNOTATION } from './class.ts';
export { chain, type Exchange, type Handler } from './types.ts';

export interface IngressControllerOptions {
  client: ListWatchClient & StatusClient;
  /** the node IP: where to listen, and the address written to Ingress status */
  nodeIP: string;
  /** where to listen (default: nodeIP) */
  host?: string;
  httpPort?: number;
  httpsPort?: number;
  /** this agent writes Ingress status and Events (only one agent should) */
  writeStatus?: boolean;
  /** the default certificate (default: a fresh fake one) */
  fallbackCert?: { certPem: string; keyPem: string };
  upstream?: UpstreamOptions;
  /** how long to wait for the first lists before listening anyway (default 5000 ms) */
  syncTimeoutMs?: number;
  onError?: (e: unknown) => void;
}

export interface RunningIngressController {
  server: IngressServer;
  state: IngressState;
  status?: StatusWriter;
  /** resolves once every informer has listed once */
  synced: Promise<void>;
  /** stops listening and watching; `clearStatus` also removes the addresses this controller wrote */
  stop(o?: { clearStatus?: boolean }): Promise<void>;
}

export async function startIngressController(o: IngressControllerOptions): Promise<RunningIngressController> {
  const state = new IngressState();
  const informers = new InformerFactory(o.client, { onError: o.onError });
  const feed = (plural: keyof typeof R, set: (x: KubeObject) => void, del: (x: KubeObject) => void) =>
    informers.for(R[plural]).addHandlers({ onAdd: set, onUpdate: (x) => set(x), onDelete: del });
  feed('ingressclasses', (x) => state.setClass(x), (x) => state.deleteClass(x));
  feed('ingresses', (x) => state.setIngress(x), (x) => state.deleteIngress(x));
  feed('services', (x) => state.setService(x), (x) => state.deleteService(x));
  feed('endpoints', (x) => state.setEndpoints(x), (x) => state.deleteEndpoints(x));
  feed('secrets', (x) => state.setSecret(x), (x) => state.deleteSecret(x));
  informers.start();
  // the x509 library costs ~200 ms to load: only when a certificate has to be made
  const certP = o.fallbackCert ? Promise.resolve(o.fallbackCert) : import('./fake-cert.ts').then((m) => m.fakeCertificate());
  const synced = informers.waitForSync();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([synced, new Promise((r) => { timer = setTimeout(r, o.syncTimeoutMs ?? 5000); })]);
  clearTimeout(timer);
  let server: IngressServer;
  try {
    server = await startIngressServer({
      host: o.host ?? o.nodeIP, httpPort: o.httpPort, httpsPort: o.httpsPort, state, fallbackCert: await certP, upstream: o.upstream, onError: o.onError,
    });
  } catch (e) {
    await informers.stop();
    throw e;
  }
  const status = o.writeStatus ? new StatusWriter({ client: o.client, state, ip: o.nodeIP, onError: o.onError }) : undefined;
  status?.kick();
  return {
    server,
    state,
    status,
    synced,
    async stop(so = {}) {
      if (status) {
        if (so.clearStatus) await status.clear();
        else { status.stop(); await status.idle(); }
      }
      await informers.stop();
      await server.close();
    },
  };
}
