// One pass over one pod (level-triggered, safe to repeat): make its sandbox and containers on
// Docker match the spec, restart what restartPolicy says with the crash-loop back-off, run due
// probes, and write the status when it changed. Killing a pod (deleted, or deletionTimestamp
// set) stops its containers with SIGTERM and the grace period, removes them and frees the IP.
// All memory here (probes, back-off, IPs) can be lost: it is rebuilt from Docker labels/names.
import type { KubeObject } from '../../api/types.ts';
import { rfc3339 } from '../../controllers/clock.ts';
import { LABELS } from '../../runtime/labels.ts';
import type { ContainerState, ContainerSummary } from '../../runtime/types.ts';
import { Backoff, goDuration } from './backoff.ts';
import { appContainerSpec, ensureImage, k8sState } from './containers.ts';
import { type KubeletContext } from './context.ts';
import { EnvError } from './envvars.ts';
import { loadEnv } from './env-load.ts';
import type { PodIPAllocator } from './ipam.ts';
import { ProbeState, parseProbe, runProbe, unhealthyMessage, type ProbeKind } from './probes.ts';
import { attemptOf, sandboxSpec } from './sandbox.ts';
import { computePodStatus, creating, statusChanged, type ContainerStatusK8s } from './status.ts';
import { R } from '../../api/resources.ts';
import { isNotFound } from '../../api/status.ts';
import { MountError } from './volumes/projection.ts';
import type { PodVolumes, VolumeManager } from './volumes/manager.ts';

interface Probes { readiness?: ProbeState; liveness?: ProbeState; startup?: ProbeState }

export class PodSyncer {
  private readonly ctx: KubeletContext;
  private readonly ipam: PodIPAllocator;
  readonly backoff = new Backoff();
  private readonly pullBackoff = new Backoff();
  private readonly probes = new Map<string, Probes>(); // docker id -> probes
  private readonly killing = new Set<string>(); // docker ids being stopped
  private readonly terminating = new Map<string, Promise<void>>(); // pod uid
  private readonly written = new Map<string, unknown>(); // pod uid -> last status written
  private readonly eventAt = new Map<string, number>();
  services: () => KubeObject[] = () => [];
  private readonly volumes: VolumeManager;

  constructor(ctx: KubeletContext, ipam: PodIPAllocator, volumes: VolumeManager) {
    this.ctx = ctx;
    this.ipam = ipam;
    this.volumes = volumes;
  }

  isTerminating(uid: string): boolean {
    return this.terminating.has(uid);
  }

  /** Waits for every kill in progress. */
  async drain(): Promise<void> {
    await Promise.all([...this.terminating.values()]);
  }

  /** Stops and removes a pod's containers in the background; deletes the pod object last when
   * it carries a deletionTimestamp (graceful deletion). */
  kill(uid: string, containers: ContainerSummary[], pod: KubeObject | undefined): void {
    if (this.terminating.has(uid) || containers.length === 0 && !pod?.metadata.deletionTimestamp) return;
    const work = (async () => {
      const grace = Number(pod?.metadata.deletionGracePeriodSeconds ?? pod?.spec?.terminationGracePeriodSeconds ?? 30);
      const apps = containers.filter((c) => c.labels[LABELS.sandbox] !== 'true');
      await Promise.all(apps.map(async (c) => {
        if (c.state === 'running' && pod) this.ctx.event(pod, 'Normal', 'Killing', `Stopping container ${c.labels[LABELS.container]}`);
        if (c.state === 'running') await this.ctx.runtime.stopContainer(c.id, grace).catch(this.ctx.onError);
      }));
      // what `kubectl get pods -w` shows between the kill and the removal: 0/1 Terminating
      if (pod?.metadata.deletionTimestamp && apps.length > 0) await this.writeStopped(pod, apps).catch(this.ctx.onError);
      for (const c of containers) {
        await this.ctx.runtime.removeContainer(c.id).catch(this.ctx.onError);
        this.probes.delete(c.id);
      }
      await this.volumes.tearDown(uid).catch(this.ctx.onError);
      this.ipam.release(uid);
      this.backoff.forget(`${uid}/`);
      this.pullBackoff.forget(`${uid}/`);
      this.written.delete(uid);
      if (pod?.metadata.deletionTimestamp) {
        await this.ctx.client.delete(R.pods, pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0 }).catch((e) => {
          if (!isNotFound(e)) this.ctx.onError(e);
        });
      }
    })().finally(() => this.terminating.delete(uid));
    this.terminating.set(uid, work);
  }

  private throttled(key: string, everyMs: number): boolean {
    const now = this.ctx.clock.now();
    const last = this.eventAt.get(key);
    if (last !== undefined && now - last < everyMs) return true;
    this.eventAt.set(key, now);
    return false;
  }

  /** One pass for a pod bound to this node; `containers` are its Docker containers (all states). */
  async sync(pod: KubeObject, containers: ContainerSummary[]): Promise<void> {
    const uid = pod.metadata.uid!;
    if (this.terminating.has(uid)) return;
    if (pod.metadata.deletionTimestamp) { this.kill(uid, containers, pod); return; }
    const { runtime } = this.ctx;
    const phase = pod.status?.phase;
    const finished = phase === 'Succeeded' || phase === 'Failed';
    const sandboxes = containers.filter((c) => c.labels[LABELS.sandbox] === 'true').sort((a, b) => attemptOf(b.name) - attemptOf(a.name));
    let sandbox = sandboxes[0] ? await runtime.inspectContainer(sandboxes[0].id).catch(() => undefined) : undefined;
    // volumes first (and refreshed on every pass): a pod whose volumes cannot be set up waits
    const volumes = finished ? undefined : await this.volumes.setUp(pod);
    if (!finished && !volumes) {
      await this.writeStatus(pod, (pod.spec?.containers ?? []).map(creating), pod.status?.podIP);
      return;
    }
    if (!finished && (!sandbox || !sandbox.running)) {
      // a new pod says ContainerCreating before its sandbox and containers are made, as the
      // kubelet's first status does (`kubectl get pods -w` shows it between Pending and Running)
      if (containers.length === 0) await this.writeStatus(pod, (pod.spec?.containers ?? []).map(creating), undefined);
      // a sandbox that died takes the pod's containers with it: start over with a new one
      for (const c of containers) await runtime.removeContainer(c.id);
      containers = [];
      const ip = this.ipam.allocate(uid);
      const spec = sandboxSpec(pod, {
        cluster: this.ctx.clusterName, node: this.ctx.nodeName, image: this.ctx.sandboxImage, network: this.ctx.networkName, ip,
        serviceCIDR: this.ctx.serviceCIDR, nodeIP: this.ctx.nodeIP, dns: this.ctx.dns, labels: this.ctx.labels,
        attempt: sandboxes[0] ? attemptOf(sandboxes[0].name) + 1 : 0, mounts: volumes?.sandbox,
      });
      try {
        const id = await runtime.createContainer(spec);
        await runtime.startContainer(id);
        sandbox = await runtime.inspectContainer(id);
      } catch (e) {
        if (!this.throttled(`${uid}/sandbox`, 10_000)) this.ctx.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(e as Error).message}`);
        await this.writeStatus(pod, (pod.spec?.containers ?? []).map(creating), undefined);
        return;
      }
    }
    const podIP = sandbox?.ips[this.ctx.networkName] || pod.status?.podIP;
    if (podIP) this.ipam.reserve(podIP, uid);
    const statuses: ContainerStatusK8s[] = [];
    for (const c of (pod.spec?.containers ?? []) as any[]) {
      const mine = containers.filter((x) => x.labels[LABELS.container] === c.name).sort((a, b) => attemptOf(b.name) - attemptOf(a.name));
      statuses.push(await this.syncContainer(pod, c, mine, sandbox, podIP ?? '', finished, volumes));
    }
    await this.writeStatus(pod, statuses, podIP);
  }

  private async syncContainer(pod: KubeObject, c: any, mine: ContainerSummary[], sandbox: ContainerState | undefined, podIP: string, finished: boolean, volumes: PodVolumes | undefined): Promise<ContainerStatusK8s> {
    const { runtime, clock } = this.ctx;
    const uid = pod.metadata.uid!;
    const key = `${uid}/${c.name}`;
    const current = mine[0] ? await runtime.inspectContainer(mine[0].id).catch(() => undefined) : undefined;
    const previous = mine[1] ? await runtime.inspectContainer(mine[1].id).catch(() => undefined) : undefined;
    const attempt = mine[0] ? attemptOf(mine[0].name) : -1;
    const base: ContainerStatusK8s = { name: c.name, image: c.image, imageID: '', ready: false, started: false, restartCount: Math.max(0, attempt), state: {}, lastState: {} };
    if (previous && !previous.running) base.lastState = k8sState(previous);
    if (current) {
      base.containerID = `docker://${current.id}`;
      base.imageID = current.imageId;
    }

    if (current?.running && !this.killing.has(current.id)) {
      base.state = k8sState(current);
      const pr = this.probesFor(current, c);
      await this.runDueProbes(pod, c, current, pr, podIP);
      base.started = pr.startup ? pr.startup.result : true;
      base.ready = base.started && (pr.readiness ? pr.readiness.result : true);
      const failed = (pr.liveness && !pr.liveness.result) || (pr.startup && pr.startup.gaveUp);
      if (failed) {
        const which = pr.liveness && !pr.liveness.result ? 'liveness' : 'startup';
        this.ctx.event(pod, 'Normal', 'Killing', `Container ${c.name} failed ${which} probe, will be restarted`);
        this.killing.add(current.id);
        const grace = Number(pod.spec?.terminationGracePeriodSeconds ?? 30);
        runtime.stopContainer(current.id, grace).catch(this.ctx.onError).finally(() => this.killing.delete(current.id));
      }
      return base;
    }
    if (current && (current.status === 'running' || this.killing.has(current.id))) {
      base.state = k8sState(current);
      return base;
    }

    if (current) {
      // exited (or never started): restart per restartPolicy, with the back-off
      const state = k8sState(current);
      const exit = state.terminated?.exitCode ?? 0;
      const policy = pod.spec?.restartPolicy ?? 'Always';
      const restart = !finished && sandbox?.running && (policy === 'Always' || (policy === 'OnFailure' && exit !== 0));
      if (!restart) { base.state = state; return base; }
      const finishedAt = current.finishedAt?.getTime() ?? clock.now();
      if (this.backoff.inBackOffSince(key, finishedAt, clock.now())) {
        const wait = goDuration(this.backoff.get(key));
        const ref = `${pod.metadata.name}_${pod.metadata.namespace ?? 'default'}(${uid})`;
        base.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${wait} restarting failed container=${c.name} pod=${ref}` } };
        base.lastState = state;
        if (!this.throttled(`${key}/backoff`, 10_000)) this.ctx.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${ref}`);
        return base;
      }
      this.backoff.next(key, finishedAt, clock.now());
      base.lastState = state;
    }
    if (!sandbox?.running || finished || !volumes) { base.state = { waiting: { reason: 'ContainerCreating' } }; return base; }
    return this.startContainer(pod, c, mine, sandbox, podIP, attempt + 1, base, volumes);
  }

  private async startContainer(pod: KubeObject, c: any, mine: ContainerSummary[], sandbox: ContainerState, podIP: string, attempt: number, base: ContainerStatusK8s, volumes: PodVolumes): Promise<ContainerStatusK8s> {
    const { runtime, clock } = this.ctx;
    const key = `${pod.metadata.uid}/${c.name}`;
    const waiting = (reason: string, message?: string): ContainerStatusK8s => ({ ...base, state: { waiting: message ? { reason, message } : { reason } } });
    const lastPullFail = this.eventAt.get(`${key}/pullfail`);
    if (lastPullFail !== undefined && clock.now() - lastPullFail < this.pullBackoff.get(key)) {
      if (!this.throttled(`${key}/pullbackoff`, 10_000)) {
        this.ctx.event(pod, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`);
        this.ctx.event(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff');
      }
      return waiting('ImagePullBackOff', `Back-off pulling image "${c.image}"`);
    }
    const pulled = await ensureImage(this.ctx, pod, c);
    if (!pulled.ok) {
      this.pullBackoff.next(key, clock.now(), clock.now());
      this.eventAt.set(`${key}/pullfail`, clock.now());
      return waiting(pulled.reason, pulled.message);
    }
    let env: Map<string, string>;
    try {
      env = await loadEnv(this.ctx, this.services(), pod, c, podIP);
    } catch (e) {
      if (!(e instanceof EnvError)) throw e;
      this.ctx.event(pod, 'Warning', 'Failed', `Error: ${e.message}`);
      return waiting(e.reason, e.message);
    }
    const spec = appContainerSpec(this.ctx, pod, c, env, sandbox.id, attempt);
    try {
      spec.mounts = await volumes.mountsFor(c, env);
    } catch (e) {
      if (!(e instanceof MountError)) throw e;
      const message = `failed to prepare subPath for volumeMount of container "${c.name}": ${e.message}`;
      if (!this.throttled(`${key}/mounts`, 10_000)) this.ctx.event(pod, 'Warning', 'Failed', `Error: ${message}`);
      return waiting('CreateContainerConfigError', message);
    }
    let id: string;
    try {
      id = await runtime.createContainer(spec);
    } catch (e) {
      this.ctx.event(pod, 'Warning', 'Failed', `Error: ${(e as Error).message}`);
      return waiting('CreateContainerError', (e as Error).message);
    }
    this.ctx.event(pod, 'Normal', 'Created', `Created container ${c.name}`);
    // keep the previous attempt for `logs --previous`; older ones go
    for (const old of mine.slice(1)) await runtime.removeContainer(old.id);
    try {
      await runtime.startContainer(id);
      this.ctx.event(pod, 'Normal', 'Started', `Started container ${c.name}`);
    } catch (e) {
      this.ctx.event(pod, 'Warning', 'Failed', `Error: failed to start container "${c.name}": ${(e as Error).message}`);
    }
    const now = await runtime.inspectContainer(id);
    const out: ContainerStatusK8s = { ...base, containerID: `docker://${id}`, imageID: now.imageId, restartCount: attempt, state: k8sState(now) };
    if (now.running) {
      const pr = this.probesFor(now, c);
      out.started = pr.startup ? pr.startup.result : true;
      out.ready = out.started && (pr.readiness ? pr.readiness.result : true);
    }
    return out;
  }

  private probesFor(s: ContainerState, c: any): Probes {
    let pr = this.probes.get(s.id);
    if (!pr) {
      const started = s.startedAt?.getTime() ?? this.ctx.clock.now();
      pr = {};
      for (const [kind, field] of [['readiness', 'readinessProbe'], ['liveness', 'livenessProbe'], ['startup', 'startupProbe']] as const) {
        const p = parseProbe(c[field]);
        if (p) pr[kind] = new ProbeState(kind, p, started);
      }
      this.probes.set(s.id, pr);
    }
    return pr;
  }

  private async runDueProbes(pod: KubeObject, c: any, s: ContainerState, pr: Probes, podIP: string): Promise<void> {
    const now = this.ctx.clock.now();
    const order: ProbeKind[] = pr.startup && !pr.startup.result ? ['startup'] : ['readiness', 'liveness'];
    await Promise.all(order.map(async (kind) => {
      const st = pr[kind];
      if (!st || !st.due(now)) return;
      st.running = true;
      try {
        const r = await runProbe(st.probe, {
          podIP,
          container: c,
          exec: (cmd, timeoutMs) => this.execCapture(s.id, cmd, timeoutMs),
        });
        st.record(this.ctx.clock.now(), r.ok);
        if (!r.ok) this.ctx.event(pod, 'Warning', 'Unhealthy', unhealthyMessage(kind, r.message));
      } finally {
        st.running = false;
      }
    }));
  }

  /** Runs a command in a container; output is stdout+stderr; a timeout counts as failure. */
  async execCapture(id: string, cmd: string[], timeoutMs: number): Promise<{ exitCode: number; output: string }> {
    const session = await this.ctx.runtime.exec(id, cmd);
    const chunks: Buffer[] = [];
    session.stdout.on('data', (b: Buffer) => chunks.push(b));
    session.stderr.on('data', (b: Buffer) => chunks.push(b));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((_, reject) => { timer = setTimeout(() => reject(new Error(`command ${JSON.stringify(cmd.join(' '))} timed out`)), timeoutMs); });
    try {
      const exitCode = await Promise.race([session.exitCode(), timeout]);
      return { exitCode, output: Buffer.concat(chunks).toString('utf8') };
    } catch (e) {
      return { exitCode: -1, output: (e as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }

  /** The status of a deleted pod whose containers have just been stopped: each terminated, none
   * ready, the phase terminal; the pod keeps its IP until it is gone. */
  private async writeStopped(pod: KubeObject, apps: ContainerSummary[]): Promise<void> {
    const uid = pod.metadata.uid!;
    const last = (this.written.get(uid) ?? pod.status ?? {}) as Record<string, any>;
    const previous = (last.containerStatuses ?? []) as ContainerStatusK8s[];
    if (previous.length === 0) return;
    const statuses: ContainerStatusK8s[] = [];
    for (const st of previous) {
      const c = apps.filter((x) => x.labels[LABELS.container] === st.name).sort((a, b) => attemptOf(b.name) - attemptOf(a.name))[0];
      const now = c ? await this.ctx.runtime.inspectContainer(c.id).catch(() => undefined) : undefined;
      statuses.push(now && !now.running ? { ...st, ready: false, started: false, state: k8sState(now) } : { ...st, ready: false });
    }
    await this.writeStatus(pod, statuses, last.podIP as string | undefined, true);
  }

  private async writeStatus(pod: KubeObject, containers: ContainerStatusK8s[], podIP: string | undefined, terminal = false): Promise<void> {
    const uid = pod.metadata.uid!;
    const last = (this.written.get(uid) ?? pod.status) as KubeObject['status'];
    const status = computePodStatus({ ...pod, status: last }, { containers, podIP, hostIP: this.ctx.nodeIP, now: rfc3339(this.ctx.clock.now()), terminal });
    if (!statusChanged(status, last)) return;
    try {
      await this.ctx.client.patch(R.pods, pod.metadata.namespace, pod.metadata.name!, { status }, 'merge', { subresource: 'status' });
      this.written.set(uid, status);
    } catch (e) {
      if (!isNotFound(e)) this.ctx.onError(e);
    }
  }
}
