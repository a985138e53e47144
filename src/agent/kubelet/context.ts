// What every part of the kubelet is given: the API client (the calls it makes), the runtime, the
// node's identity and addresses, the clock, and an event recorder that signs Events as the
// kubelet on this node (source.component kubelet, source.host = node name).
import { mustResource } from '../../api/resources.ts';
import type { KubeObject } from '../../api/types.ts';
import type { KubeClient } from '../../client/index.ts';
import type { Clock } from '../../controllers/clock.ts';
import { buildEvent } from '../../controllers/events.ts';
import type { Runtime } from '../runtime/types.ts';
import type { DnsSettings } from './sandbox.ts';

export type KubeletClient = Pick<KubeClient, 'list' | 'watch' | 'get' | 'create' | 'update' | 'patch' | 'delete'>;


export const R = {
  pods: mustResource('pods'),
  nodes: mustResource('nodes'),
  services: mustResource('services'),
  configmaps: mustResource('configmaps'),
  secrets: mustResource('secrets'),
  events: mustResource('events'),
  persistentvolumeclaims: mustResource('persistentvolumeclaims'),
  persistentvolumes: mustResource('persistentvolumes'),
};

export interface KubeletContext {
  client: KubeletClient;
  runtime: Runtime;
  clock: Clock;
  nodeName: string;
  nodeIP: string;
  clusterName: string;
  networkName: string;
  serviceCIDR: string;
  sandboxImage: string;
  dns: DnsSettings;
  /** extra labels on every container the kubelet makes (tests mark theirs with mk.test) */
  labels: Record<string, string>;
  onError: (e: unknown) => void;
  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

let seq = 0;

export function kubeletEventSink(client: KubeletClient, clock: Clock, nodeName: string, onError: (e: unknown) => void) {
  return (obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void => {
    const ev = buildEvent(obj, type, reason, message, 'kubelet', clock.now(), seq++);
    ev.source = { component: 'kubelet', host: nodeName };
    ev.reportingInstance = nodeName;
    client.create(R.events, ev.metadata.namespace, ev).catch(onError);
  };
}
