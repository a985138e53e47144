// The node side of `kubectl exec`, `attach`, `port-forward` and `logs`: finds the pod's running
// Docker container by labels and runs the command through the runtime (or attaches to its main
// process), connects from this process to podIP:port (the agent sits on the pod network), and
// streams the container's log.
import net from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import { ApiError } from '../../api/status.ts';
import type { LogOptions, LogsBackend } from '../../apiserver/handlers/pods.ts';
import type { AttachBackend, ExecBackend, ExecProcess, PortForwardBackend } from '../../apiserver/streams/types.ts';
import { UserError } from '../../lib/errors.ts';
import { isConflict, isExecFailed } from '../../runtime/errors.ts';
import { LABELS } from '../../runtime/labels.ts';
import type { ContainerSummary } from '../../runtime/types.ts';
import { type KubeletContext } from './context.ts';
import { attemptOf } from './sandbox.ts';
import { R } from '../../api/resources.ts';

export interface ContainerLogOptions {
  follow?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
  sinceTime?: string;
  previous?: boolean;
}

/** Adds kubectl's hint to a missing-executable failure (images may lack bash). */
export function execFailure(message: string): Error {
  const m = /exec: "([^"]+)": executable file not found/.exec(message);
  const hint = m ? `The image has no "${m[1]}"; try \`sh\` instead (e.g. \`-- sh\`).` : undefined;
  return new UserError(message, hint);
}

/** Terminal sizes applied one after the other, in the order they came (kubectl sends a size one
 * larger, then the real one, at once: applied concurrently, the engine could keep the first). */
export function serialResize(apply: (w: number, h: number) => Promise<void>): (w: number, h: number) => void {
  let chain = Promise.resolve();
  return (w, h) => {
    chain = chain.then(() => apply(w, h)).catch(() => undefined);
  };
}

export function makeStreams(ctx: KubeletContext, podIP: (ns: string, pod: string) => string | undefined) {
  async function attempts(ns: string, pod: string, container: string | undefined): Promise<ContainerSummary[]> {
    const labels: Record<string, string> = { [LABELS.cluster]: ctx.clusterName, [LABELS.podNamespace]: ns, [LABELS.podName]: pod };
    if (container) labels[LABELS.container] = container;
    const list = (await ctx.runtime.listContainers(labels, true)).filter((c) => c.labels[LABELS.sandbox] !== 'true');
    return list.sort((a, b) => attemptOf(b.name) - attemptOf(a.name));
  }

  const execBackend: ExecBackend = {
    async exec(req) {
      const list = await attempts(req.namespace, req.pod, req.container);
      const target = list.find((c) => c.state === 'running');
      if (!target) throw new ApiError(400, 'BadRequest', `container ${req.container ?? ''} is not valid for pod ${req.pod}`.replace('  ', ' '));
      const s = await ctx.runtime.exec(target.id, req.command, { tty: req.tty, stdin: req.stdin });
      const proc: ExecProcess = {
        stdout: s.stdout,
        resize: serialResize((w, h) => s.resize(w, h)),
        exitCode: s.exitCode().catch((e) => { throw isExecFailed(e) ? execFailure((e as Error).message) : e; }),
      };
      if (s.stdin) proc.stdin = s.stdin;
      if (!req.tty) proc.stderr = s.stderr;
      else s.stderr.resume();
      return proc;
    },
  };

  const attachBackend: AttachBackend = {
    async attach(req) {
      const list = await attempts(req.namespace, req.pod, req.container);
      const target = list.find((c) => c.state === 'running');
      if (!target) throw new ApiError(404, 'NotFound', `container not found (${JSON.stringify(req.container ?? '')})`);
      // the terminal is the container's: a client without one still gets the raw tty stream
      const { tty } = await ctx.runtime.inspectContainer(target.id);
      // exited since it was listed (a short `kubectl run -i` command): containerd's words, on which
      // kubectl falls back to printing the container's log
      const s = await ctx.runtime.attach(target.id, { stdin: req.stdin, tty }).catch((e: unknown) => {
        throw isConflict(e) ? new Error('error attaching to container: container is in CONTAINER_EXITED state') : e;
      });
      const proc: ExecProcess = {
        stdout: s.stdout,
        resize: serialResize((w, h) => s.resize(w, h)),
        exitCode: s.ended.then(() => 0),
        cancel: () => s.detach(),
      };
      if (s.stdin) proc.stdin = s.stdin;
      if (!tty && req.stderr) proc.stderr = s.stderr;
      else s.stderr.resume();
      return proc;
    },
  };

  const portForwardBackend: PortForwardBackend = {
    async connect(namespace, pod, port) {
      // the control plane's agent serves every pod's port-forward; its cache holds its own node's
      // pods only, so another node's pod's address is read from the API
      const ip = podIP(namespace, pod) ?? ((await ctx.client.get(R.pods, namespace, pod).catch(() => undefined))?.status?.podIP as string | undefined);
      if (!ip) throw new Error(`pod ${pod} has no IP yet`);
      return new Promise<Duplex>((resolve, reject) => {
        const s = net.connect({ host: ip, port });
        s.once('connect', () => resolve(s));
        s.once('error', (e: NodeJS.ErrnoException) => {
          reject(new Error(`failed to connect to localhost:${port} inside namespace "${pod}", IPv4: dial tcp4 127.0.0.1:${port}: connect: ${e.code === 'ECONNREFUSED' ? 'connection refused' : e.message}`));
        });
      });
    },
  };

  async function logs(ns: string, pod: string, container: string, o: ContainerLogOptions = {}): Promise<Readable> {
    const list = await attempts(ns, pod, container);
    const target = o.previous ? list[1] : list[0];
    if (!target) {
      if (o.previous) throw new ApiError(400, 'BadRequest', `previous terminated container "${container}" in pod "${pod}" not found`);
      throw new ApiError(400, 'BadRequest', `container "${container}" in pod "${pod}" is waiting to start: ContainerCreating`);
    }
    let since: number | undefined;
    if (o.sinceSeconds !== undefined) since = Math.floor(ctx.clock.now() / 1000) - o.sinceSeconds;
    else if (o.sinceTime) since = Math.floor(Date.parse(o.sinceTime) / 1000);
    return ctx.runtime.logs(target.id, { follow: o.follow && !o.previous, tail: o.tailLines, timestamps: o.timestamps, since });
  }

  const logsBackend: LogsBackend = {
    logs: (ns: string, pod: string, opts: LogOptions) => logs(ns, pod, opts.container, opts),
  };

  return { execBackend, attachBackend, portForwardBackend, logs, logsBackend };
}
