// `mk run NAME --image=I [-i] [-t] [--rm] [--restart=…] [-- ARGS…]`: kubectl run's flow. Create
// the Pod (and the Service of --expose); without attaching print `pod/NAME created`. Attaching
// (-i, or --attach): wait until the pod runs and is ready (a pod that already finished shows its
// log instead), attach as `mk attach` does, then with --restart=Never/OnFailure wait for the pod to
// finish and end with its container's exit code; --rm deletes what was created, printing
// `pod "NAME" deleted`, whatever happened.
import { R } from '../api/resources.ts';
import { ApiError, isNotFound } from '../api/status.ts';
import type { KubeObject } from '../api/types.ts';
import type { Connection, KubeClient } from '../client/index.ts';
import { streamLogs } from '../client/streams/logs.ts';
import { UserError } from '../lib/errors.ts';
import { attachSession } from './attach.ts';
import { deletedMessage } from './delete.ts';
import type { TerminalIO } from './exec.ts';
import { planRun, type RunFlags, type RunPlan } from './run-pod.ts';

const PODS = R.pods;
const SERVICES = R.services;

export interface RunCliOptions extends RunFlags {
  namespace?: string;
  quiet: boolean;
  /** --pod-running-timeout */
  timeoutMs: number;
}

type Condition = (type: string, pod: KubeObject) => boolean;

const isDone = (p: KubeObject) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const runningAndReady: Condition = (_t, p) =>
  isDone(p) || (p.status?.phase === 'Running' && (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'));
const completed: Condition = (_t, p) => isDone(p);
const succeeded: Condition = (_t, p) => p.status?.phase === 'Succeeded';

/** kubectl's waitForPod: list then watch the one pod until `cond` holds; its deletion is an error. */
export async function waitForPod(client: KubeClient, namespace: string, name: string, timeoutMs: number, cond: Condition): Promise<KubeObject> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const list = await client.list(PODS, { namespace, fieldSelector: `metadata.name=${name}` });
    const now = (list.items as KubeObject[])[0];
    if (now && cond('ADDED', now)) return now;
    for await (const ev of client.watch(PODS, { namespace, name, resourceVersion: list.metadata?.resourceVersion, signal: abort.signal })) {
      if (ev.type === 'DELETED') throw new ApiError(404, 'NotFound', `pods "${name}" not found`);
      if (ev.type !== 'BOOKMARK' && cond(ev.type, ev.object as KubeObject)) return ev.object as KubeObject;
    }
    throw new UserError('error: timed out waiting for the condition');
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `mk run`; resolves with the exit code (messages printed), throws what kubectl reports as an error. */
export async function runRunCommand(client: KubeClient, conn: Connection, o: RunCliOptions, io: TerminalIO): Promise<number> {
  const plan = planRun(o);
  const namespace = client.ns(o.namespace);
  const created: { r: typeof PODS; obj: KubeObject }[] = [];
  const dryRun = o.dryRun === 'server';
  const suffix = o.dryRun === 'client' ? ' (dry run)' : o.dryRun === 'server' ? ' (server dry run)' : '';
  const create = async (r: typeof PODS, obj: KubeObject) => {
    const made = o.dryRun === 'client' ? { ...obj, metadata: { ...obj.metadata, namespace } } : await client.create(r, namespace, obj, { dryRun });
    created.push({ r, obj: made });
  };
  await create(PODS, plan.pod);
  const errors: string[] = [];
  if (plan.service) await create(SERVICES, plan.service).catch((e: unknown) => errors.push(e instanceof Error ? e.message : String(e)));
  if (!plan.attach) {
    for (const { r, obj } of created) io.stdout.write(`${r.singular}/${obj.metadata.name} created${suffix}\n`);
    if (errors.length) throw new UserError(`error: ${errors.join('\n')}`);
    return 0;
  }
  let end: Ending;
  try {
    end = await attachAndWait(client, conn, o, plan, namespace, io);
  } finally {
    if (o.rm) await removeCreated(client, created, o.quiet, io);
  }
  // kubectl's CodeExitError, printed after the removal, as it is: the container's exit code is mk's
  if (end.message) io.stderr.write(end.message.endsWith('\n') ? end.message : `${end.message}\n`);
  return end.code;
}

interface Ending {
  code: number;
  message?: string;
}

async function attachAndWait(client: KubeClient, conn: Connection, o: RunCliOptions, plan: RunPlan, namespace: string, io: TerminalIO): Promise<Ending> {
  let pod = await waitForPod(client, namespace, plan.name, o.timeoutMs, runningAndReady);
  if (isDone(pod)) await printLog(conn, namespace, plan.name, io.stdout);
  else {
    try {
      await attachSession(conn, pod, { stdin: o.stdin, tty: o.tty, quiet: o.quiet, commandName: 'mk attach' }, io);
    } catch (e) {
      io.stderr.write(`warning: couldn't attach to pod/${plan.name}, falling back to streaming logs: ${e instanceof Error ? e.message.replace(/^error: /, '') : String(e)}\n`);
      await printLog(conn, namespace, plan.name, io.stdout);
    }
  }
  if (o.leaveStdinOpen || plan.restart === 'Always') return { code: 0 };
  pod = await waitForPod(client, namespace, plan.name, o.timeoutMs, plan.restart === 'OnFailure' ? succeeded : completed);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded') return { code: 0 };
  const ref = `${pod.metadata.namespace}/${pod.metadata.name}`;
  if (phase !== 'Failed') throw new UserError(`error: pod ${ref} left in phase ${phase}`);
  const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
  if (!terminated || !terminated.exitCode) throw new UserError(`error: pod ${ref} failed with unknown exit code`);
  return { code: terminated.exitCode, message: `pod ${ref} terminated (${terminated.reason ?? ''})\n${terminated.message ?? ''}` };
}

async function printLog(conn: Connection, namespace: string, pod: string, out: TerminalIO['stdout']): Promise<void> {
  await streamLogs(conn, { namespace, pod }, out);
}

/** --rm: delete what run made (missing is fine), printing kubectl's `pod "NAME" deleted`. */
async function removeCreated(client: KubeClient, created: { r: typeof PODS; obj: KubeObject }[], quiet: boolean, io: TerminalIO): Promise<void> {
  for (const { r, obj } of created) {
    try {
      await client.delete(r, obj.metadata.namespace, obj.metadata.name!, { propagationPolicy: 'Background' });
      if (!quiet) io.stdout.write(deletedMessage(r, obj.metadata.name!));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
