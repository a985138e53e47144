// Records core/v1 Events about objects, as client-go's EventRecorder does: one Event per call,
// named `<object>.<hex nanoseconds>`, in the object's namespace (`default` for cluster-scoped
// objects such as Nodes), with the reporting component as `source.component` (kubectl
// describe's FROM column). Recording is best effort: a failure goes to onError, never to the
// caller's reconcile.
import type { KubeObject } from '../api/types.ts';
import type { Clock } from './clock.ts';
import { rfc3339 } from './clock.ts';
import { type ControllerClient } from './types.ts';
import { R } from '../api/resources.ts';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  event(obj: KubeObject, type: EventType, reason: string, message: string, component: string): Promise<void>;
}

export class ApiEventRecorder implements EventRecorder {
  private readonly client: Pick<ControllerClient, 'create'>;
  private readonly clock: Clock;
  private readonly onError: (e: unknown) => void;
  private seq = 0;

  constructor(client: Pick<ControllerClient, 'create'>, clock: Clock, onError: (e: unknown) => void) {
    this.client = client;
    this.clock = clock;
    this.onError = onError;
  }

  async event(obj: KubeObject, type: EventType, reason: string, message: string, component: string): Promise<void> {
    const ev = buildEvent(obj, type, reason, message, component, this.clock.now(), this.seq++);
    try {
      await this.client.create(R.events, ev.metadata.namespace, ev);
    } catch (e) {
      this.onError(e);
    }
  }
}

export function buildEvent(obj: KubeObject, type: EventType, reason: string, message: string, component: string, nowMs: number, seq = 0): KubeObject {
  const namespace = obj.metadata.namespace || 'default';
  const nanos = BigInt(nowMs) * 1_000_000n + BigInt(seq);
  const time = rfc3339(nowMs);
  const involved: Record<string, string> = { kind: obj.kind, name: obj.metadata.name ?? '', apiVersion: obj.apiVersion };
  if (obj.metadata.namespace) involved.namespace = obj.metadata.namespace;
  if (obj.metadata.uid) involved.uid = obj.metadata.uid;
  if (obj.metadata.resourceVersion) involved.resourceVersion = obj.metadata.resourceVersion;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${obj.metadata.name}.${nanos.toString(16)}`, namespace },
    involvedObject: involved,
    reason,
    message,
    source: { component },
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
    type,
    eventTime: null,
    reportingComponent: component,
    reportingInstance: '',
  };
}
