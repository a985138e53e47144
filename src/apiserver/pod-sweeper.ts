// The safety net for graceful pod deletion: a terminating pod is normally removed by its
// kubelet (a DELETE with grace 0 once the containers are stopped). When no kubelet serves its
// node — the Node object does not exist, or its Ready condition is not True — nobody would,
// so once the pod's deletionTimestamp has passed the sweeper removes it (or, with finalizers
// left, sets its grace to 0 so removing the last finalizer removes it). It follows the store's
// pod events to know the terminating pods, and looks at them on an interval with an
// injectable clock; `sweep()` is one look.
import type { KubeObject } from '../api/types.ts';
import { StoreError } from '../store/index.ts';
import type { ServerContext } from './context.ts';
import { removeObject } from './handlers/delete.ts';
import { graceDeadline } from './handlers/pod-grace.ts';

const PODS = '/core/pods/';

export interface PodSweeperOptions {
  /** How often terminating pods are looked at (default 1000 ms; 0 = only when sweep() is called). */
  intervalMs?: number;
  onError?: (e: unknown) => void;
}

/** True when a kubelet is expected to finish this pod: its node exists and is Ready. */
export function nodeServed(ctx: Pick<ServerContext, 'store'>, nodeName: string | undefined): boolean {
  if (!nodeName) return false;
  const node = ctx.store.get(`/core/nodes/${nodeName}`);
  const ready = (node?.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  return ready?.status === 'True';
}

export class PodSweeper {
  private readonly ctx: ServerContext;
  private readonly intervalMs: number;
  private readonly onError: (e: unknown) => void;
  private readonly terminating = new Set<string>(); // store keys of pods with a grace deadline
  private unwatch?: () => void;
  private timer?: NodeJS.Timeout;

  constructor(ctx: ServerContext, opts: PodSweeperOptions = {}) {
    this.ctx = ctx;
    this.intervalMs = opts.intervalMs ?? 1000;
    this.onError = opts.onError ?? ((e) => console.error('pod sweeper:', e));
  }

  start(): void {
    if (this.unwatch) return;
    const { entries, revision } = this.ctx.store.listEntries(PODS);
    for (const [key, pod] of entries) this.track(key, pod);
    this.unwatch = this.ctx.store.watch(PODS, revision, (ev) => {
      if (ev.type === 'DELETED') this.terminating.delete(ev.key);
      else this.track(ev.key, ev.object);
    });
    if (this.intervalMs > 0) {
      this.timer = setInterval(() => {
        try {
          this.sweep();
        } catch (e) {
          this.onError(e);
        }
      }, this.intervalMs);
      this.timer.unref();
    }
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.terminating.clear();
  }

  /** Removes every terminating pod past its deadline whose node has no kubelet; returns their keys. */
  sweep(): string[] {
    const now = this.ctx.now().getTime();
    const done: string[] = [];
    for (const key of [...this.terminating]) {
      const pod = this.ctx.store.get(key);
      const deadline = pod && graceDeadline(pod);
      if (!pod || deadline === undefined) {
        this.terminating.delete(key);
        continue;
      }
      if (deadline > now || nodeServed(this.ctx, pod.spec?.nodeName)) continue;
      try {
        if (pod.metadata.finalizers?.length) {
          const forced = structuredClone(pod);
          forced.metadata.deletionGracePeriodSeconds = 0;
          this.ctx.store.update(key, forced, Number(pod.metadata.resourceVersion));
        } else {
          removeObject(this.ctx, key, pod);
        }
        this.terminating.delete(key);
        done.push(key);
      } catch (e) {
        // gone or changed meanwhile: the next look sees the new state
        if (!(e instanceof StoreError && (e.code === 'NotFound' || e.code === 'Conflict'))) throw e;
      }
    }
    return done;
  }

  private track(key: string, pod: KubeObject): void {
    if (graceDeadline(pod) !== undefined) this.terminating.add(key);
    else this.terminating.delete(key);
  }
}
