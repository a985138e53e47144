// What the controller writes back (one agent does it: the control plane's): each served
// Ingress's status.loadBalancer.ingress = [{ip: <node IP>}], a `Sync` Event ("Scheduled for
// sync", from nginx-ingress-controller, as ingress-nginx emits) when it is taken into the
// configuration or its spec/annotations change, and a Warning Event naming what is ignored or
// refused (annotations mk does not implement, bad values, `resource` backends, bad regexes).
// Writes are level-triggered: one pass compares the cache with what is wanted and is repeated
// until nothing changed in between. Status of Ingresses of other classes is never touched.
import { R } from '../../api/resources.ts';
import type { KubeObject } from '../../api/types.ts';
import { buildEvent } from '../../controllers/events.ts';
import { parseAnnotations } from './annotations.ts';
import type { IngressState } from './state.ts';
import { isNotFound } from '../../api/status.ts';

export const COMPONENT = 'nginx-ingress-controller';
const INGRESSES = R.ingresses;
const EVENTS = R.events;

export interface StatusClient {
  patch(r: typeof INGRESSES, namespace: string | undefined, name: string, body: unknown, type: 'merge', o?: { subresource?: string }): Promise<KubeObject>;
  create(r: typeof EVENTS, namespace: string | undefined, body: KubeObject): Promise<KubeObject>;
}

export interface StatusOptions {
  client: StatusClient;
  state: IngressState;
  /** the address Ingresses get (the node IP) */
  ip: string;
  now?: () => number;
  onError?: (e: unknown) => void;
}

/** The Warning events an Ingress deserves: ignored annotations, unusable values, refused backends. */
export function warningsFor(ing: KubeObject, tableProblems: string[] = []): { reason: string; message: string }[] {
  const a = parseAnnotations(ing.metadata.annotations);
  const out: { reason: string; message: string }[] = [];
  if (a.ignored.length) out.push({ reason: 'AnnotationsIgnored', message: `mk's ingress controller does not implement ${a.ignored.sort().join(', ')}: ignored` });
  for (const p of a.problems) out.push({ reason: 'InvalidAnnotation', message: p });
  const backends = [ing.spec?.defaultBackend, ...((ing.spec?.rules ?? []) as any[]).flatMap((r) => (r.http?.paths ?? []).map((p: any) => p.backend))];
  for (const b of backends) {
    if (b?.resource) out.push({ reason: 'UnsupportedBackend', message: `resource backend ${b.resource.kind}/${b.resource.name} is not served by mk's ingress controller: requests get 501` });
  }
  for (const p of tableProblems) out.push({ reason: 'InvalidPath', message: p });
  return out;
}

const sameStatus = (ing: KubeObject, ip: string) => {
  const have = ing.status?.loadBalancer?.ingress as { ip?: string; hostname?: string }[] | undefined;
  return have?.length === 1 && have[0]!.ip === ip && !have[0]!.hostname;
};

export class StatusWriter {
  private readonly o: StatusOptions;
  private readonly synced = new Map<string, string>();
  private readonly warned = new Map<string, Set<string>>();
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private seq = 0;

  constructor(o: StatusOptions) {
    this.o = o;
    o.state.onChange(() => this.kick());
  }

  /** Schedules a pass (coalesced: one runs at a time, and once more if kicked meanwhile). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) { this.again = true; return; }
    this.running = (async () => {
      do {
        this.again = false;
        await new Promise((r) => setImmediate(r));
        try { await this.pass(); } catch (e) { this.o.onError?.(e); }
      } while (this.again && !this.stopped);
      this.running = undefined;
    })();
  }

  /** Resolves when no pass is running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    this.stopped = true;
  }

  /** Removes the address this controller wrote from every served Ingress (the addon is disabled). */
  async clear(): Promise<void> {
    this.stop();
    await this.idle();
    for (const ing of this.o.state.served()) {
      if (!sameStatus(ing, this.o.ip)) continue;
      try {
        await this.o.client.patch(INGRESSES, ing.metadata.namespace, ing.metadata.name!, { status: { loadBalancer: { ingress: null } } }, 'merge', { subresource: 'status' });
      } catch (e) {
        if (!isNotFound(e)) this.o.onError?.(e);
      }
    }
  }

  private async pass(): Promise<void> {
    const served = this.o.state.served();
    const table = this.o.state.table();
    const live = new Set<string>();
    for (const ing of served) {
      const uid = ing.metadata.uid ?? `${ing.metadata.namespace}/${ing.metadata.name}`;
      live.add(uid);
      const sig = JSON.stringify([ing.spec, ing.metadata.annotations ?? {}, ing.metadata.labels ?? {}]);
      if (this.synced.get(uid) !== sig) {
        this.synced.set(uid, sig);
        await this.event(ing, 'Normal', 'Sync', 'Scheduled for sync');
      }
      const seen = this.warned.get(uid) ?? new Set<string>();
      this.warned.set(uid, seen);
      for (const w of warningsFor(ing, table.problems.get(`${ing.metadata.namespace}/${ing.metadata.name}`))) {
        const k = `${w.reason}\n${w.message}`;
        if (seen.has(k)) continue;
        seen.add(k);
        await this.event(ing, 'Warning', w.reason, w.message);
      }
      if (!sameStatus(ing, this.o.ip)) {
        try {
          await this.o.client.patch(INGRESSES, ing.metadata.namespace, ing.metadata.name!, { status: { loadBalancer: { ingress: [{ ip: this.o.ip }] } } }, 'merge', { subresource: 'status' });
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
    }
    for (const k of [...this.synced.keys()]) if (!live.has(k)) { this.synced.delete(k); this.warned.delete(k); }
  }

  private async event(ing: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const obj = { ...ing, apiVersion: ing.apiVersion ?? 'networking.k8s.io/v1', kind: ing.kind ?? 'Ingress' };
    const ev = buildEvent(obj, type, reason, message, COMPONENT, (this.o.now ?? Date.now)(), this.seq++);
    try {
      await this.o.client.create(EVENTS, ev.metadata.namespace, ev);
    } catch (e) {
      this.o.onError?.(e);
    }
  }
}
