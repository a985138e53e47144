// The control-plane controllers of the mk agent: ReplicaSet, Deployment, StatefulSet, DaemonSet,
// Job, CronJob, TTL-after-finished, HorizontalPodAutoscaler, scheduler, node lifecycle, Endpoints,
// EndpointSlice and EndpointSlice mirroring, the PersistentVolume binder, the default
// StorageClass, claim and volume protection and (given a HostPathStore) the hostPath provisioner,
// sharing one set of informers; they reach the objects only through the API (src/client). (The
// garbage collector works on the store itself, so it lives beside the API server, in
// src/apiserver.) startControllers(client, opts) starts everything and returns stop();
// whenIdle() lets tests wait until every queue has drained.
import { InformerFactory, type InformerOptions } from '../client/informer.ts';
import { realClock, type Clock } from './clock.ts';
import { DeploymentController } from './deployment.ts';
import { EndpointsController } from './endpoints.ts';
import { EndpointSliceMirroringController } from './endpointslice-mirroring.ts';
import { EndpointSliceController } from './endpointslice.ts';
import { ApiEventRecorder, type EventRecorder } from './events.ts';
import { NodeLifecycleController } from './node-lifecycle.ts';
import { ReplicaSetController } from './replicaset.ts';
import { Scheduler } from './scheduler.ts';
import { StatefulSetController } from './statefulset.ts';
import { DaemonSetController } from './daemonset.ts';
import { JobController } from './job.ts';
import { CronJobController } from './cronjob.ts';
import { HorizontalPodAutoscalerController } from './hpa.ts';
import { TTLAfterFinishedController } from './ttl-after-finished.ts';
import { PersistentVolumeBinder } from './storage/binder.ts';
import { DefaultStorageClassController } from './storage/default-class.ts';
import { HostPathProvisioner, type HostPathStore } from './storage/provisioner.ts';
import { StorageProtectionController } from './storage/protection.ts';
import type { ControllerClient, ControllerContext } from './types.ts';

export type { ControllerClient } from './types.ts';
export type { HostPathStore } from './storage/provisioner.ts';

export interface ControllerOptions {
  clock?: Clock;
  random?: () => number;
  onError?: (e: unknown) => void;
  events?: EventRecorder;
  /** Node heartbeat grace period (default 40 s). */
  nodeGracePeriodMs?: number;
  informer?: InformerOptions;
  /** the storage-provisioner's files (the control plane's state volume) and its identity (node name) */
  storage?: { store: HostPathStore; identity: string };
}

export interface RunningControllers {
  replicaSets: ReplicaSetController;
  deployments: DeploymentController;
  statefulSets: StatefulSetController;
  daemonSets: DaemonSetController;
  jobs: JobController;
  cronJobs: CronJobController;
  autoscalers: HorizontalPodAutoscalerController;
  ttlAfterFinished: TTLAfterFinishedController;
  scheduler: Scheduler;
  nodes: NodeLifecycleController;
  endpoints: EndpointsController;
  endpointSlices: EndpointSliceController;
  endpointSliceMirroring: EndpointSliceMirroringController;
  volumeBinder: PersistentVolumeBinder;
  provisioner?: HostPathProvisioner;
  informers: InformerFactory;
  /** Resolves once every informer has listed. */
  synced: Promise<void>;
  /** Resolves when no queue holds or processes a key (delayed retries do not count). */
  whenIdle(): Promise<void>;
  stop(): Promise<void>;
}

export function startControllers(client: ControllerClient, opts: ControllerOptions = {}): RunningControllers {
  const clock = opts.clock ?? realClock;
  const onError = opts.onError ?? ((e: unknown) => console.error('controllers:', e));
  const informers = new InformerFactory(client, { onError, ...opts.informer });
  const ctx: ControllerContext = {
    client,
    informers,
    clock,
    events: opts.events ?? new ApiEventRecorder(client, clock, onError),
    random: opts.random ?? Math.random,
    onError,
  };
  const replicaSets = new ReplicaSetController(ctx);
  const deployments = new DeploymentController(ctx);
  const statefulSets = new StatefulSetController(ctx);
  const daemonSets = new DaemonSetController(ctx);
  const jobs = new JobController(ctx);
  const cronJobs = new CronJobController(ctx);
  const autoscalers = new HorizontalPodAutoscalerController(ctx);
  const ttlAfterFinished = new TTLAfterFinishedController(ctx);
  const scheduler = new Scheduler(ctx);
  const nodes = new NodeLifecycleController(ctx, opts.nodeGracePeriodMs);
  const endpoints = new EndpointsController(ctx);
  const endpointSlices = new EndpointSliceController(ctx);
  const endpointSliceMirroring = new EndpointSliceMirroringController(ctx);
  const volumeBinder = new PersistentVolumeBinder(ctx);
  const defaultClass = new DefaultStorageClassController(ctx);
  const protection = new StorageProtectionController(ctx);
  const provisioner = opts.storage ? new HostPathProvisioner(ctx, opts.storage.store, opts.storage.identity) : undefined;
  const queues = [
    replicaSets.queue, deployments.queue, statefulSets.queue, daemonSets.queue, jobs.queue, cronJobs.queue, autoscalers.queue, ttlAfterFinished.queue,
    scheduler.queue, nodes.queue, endpoints.queue, endpointSlices.queue, endpointSliceMirroring.queue,
    volumeBinder.claimQueue, volumeBinder.volumeQueue, defaultClass.queue, protection.queue, ...(provisioner ? [provisioner.claimQueue, provisioner.volumeQueue] : []),
  ];
  informers.start();
  return {
    replicaSets,
    deployments,
    statefulSets,
    daemonSets,
    jobs,
    cronJobs,
    autoscalers,
    ttlAfterFinished,
    scheduler,
    nodes,
    endpoints,
    endpointSlices,
    endpointSliceMirroring,
    volumeBinder,
    provisioner,
    informers,
    synced: informers.waitForSync(),
    async whenIdle() {
      // Work in one queue feeds the others through the informers: drain until all are quiet.
      for (let i = 0; i < 3; i++) {
        await Promise.all(queues.map((q) => q.whenIdle()));
        await new Promise((r) => setImmediate(r));
      }
    },
    async stop() {
      for (const q of queues) q.shutdown();
      await informers.stop();
    },
  };
}
