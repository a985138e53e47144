// A real in-process API server on a temp data dir, a KubeClient for it, and controllers with a
// fake clock; plus helpers to wait for a condition and to play kubelet (mark pods ready) and
// node agent (post node heartbeats).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../../src/apiserver/index.ts';
import type { KubeObject } from '../../src/api/types.ts';
import { KubeClient } from '../../src/client/index.ts';
import { FakeClock, rfc3339 } from '../../src/controllers/clock.ts';
import { startControllers, type ControllerOptions, type RunningControllers } from '../../src/controllers/index.ts';
import { R } from '../../src/api/resources.ts';

export interface Harness {
  api: RunningApiServer;
  client: KubeClient;
  clock: FakeClock;
  ctl: RunningControllers;
  errors: unknown[];
  close(): Promise<void>;
}

export async function harness(opts: ControllerOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'mk-ctl-'));
  const api = await startApiServer({ dataDir: dir });
  const client = new KubeClient({ server: api.url, caPem: api.caPem, token: api.token });
  const clock = new FakeClock(Date.now());
  const errors: unknown[] = [];
  let seed = 1;
  const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  const ctl = startControllers(client, { clock, random, onError: (e) => errors.push(e), ...opts });
  await ctl.synced;
  return {
    api,
    client,
    clock,
    ctl,
    errors,
    async close() {
      await ctl.stop();
      client.close();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls fn until it returns a truthy value (bounded: 200 tries, 25 ms apart). */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false>): Promise<T> {
  let last: unknown;
  for (let i = 0; i < 200; i++) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export async function pods(client: KubeClient, ns = 'default'): Promise<KubeObject[]> {
  return (await client.list(R.pods, { namespace: ns })).items;
}

/** What a kubelet would write: phase Running and Ready=True (or not). */
export async function setReady(client: KubeClient, pod: KubeObject, ready: boolean, now: number): Promise<void> {
  const cur = await client.get(R.pods, pod.metadata.namespace, pod.metadata.name!);
  const t = rfc3339(now);
  const conds = ((cur.status?.conditions ?? []) as { type: string }[]).filter((c) => c.type !== 'Ready');
  conds.push({ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: t } as never);
  await client.update(R.pods, cur.metadata.namespace, cur.metadata.name!, { ...cur, status: { ...cur.status, phase: 'Running', conditions: conds } }, { subresource: 'status' });
}

export function node(name: string, labels: Record<string, string>, heartbeat: number, ready = true): KubeObject {
  const t = rfc3339(heartbeat);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: t, lastTransitionTime: t }] },
  };
}

export function deployment(name: string, replicas: number, image: string, strategy?: unknown): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
      ...(strategy ? { strategy } : {}),
    },
  };
}
