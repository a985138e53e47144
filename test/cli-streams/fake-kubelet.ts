// A stand-in kubelet for mk run / mk attach against the in-process API server: every new pod is
// bound to node mk and marked Running and Ready at once; attaching starts the pod's container command (command + args)
// as a local process, the "main process"; when it exits the pod becomes Succeeded or Failed with
// the exit code in its container status, as a kubelet would report it. Logs are what the main
// process printed.
import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { resolveResource } from '../../src/api/resources.ts';
import type { KubeObject } from '../../src/api/types.ts';
import type { AttachBackend } from '../../src/apiserver/streams/index.ts';
import type { LogsBackend } from '../../src/apiserver/index.ts';
import type { KubeClient } from '../../src/client/index.ts';

const PODS = resolveResource('pods')!;

export interface FakeKubelet {
  attach: AttachBackend;
  logs: LogsBackend;
  /** starts marking pods Running through this client; stop() ends it */
  start(client: KubeClient): void;
  stop(): void;
}

export function fakeKubelet(): FakeKubelet {
  let client!: KubeClient;
  const abort = new AbortController();
  const output = new Map<string, string>();
  const status = (ns: string, name: string, s: object) => client.patch(PODS, ns, name, { status: s }, 'merge', { subresource: 'status' });
  return {
    attach: {
      async attach(req) {
        const pod = await client.get(PODS, req.namespace, req.pod);
        const c = (pod.spec?.containers ?? []).find((x: { name: string }) => x.name === req.container);
        const argv: string[] = [...(c?.command ?? []), ...(c?.args ?? [])];
        const p = spawn(argv[0] ?? 'sh', argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
        if (!req.stdin) p.stdin.end();
        const stdout = new PassThrough();
        p.stdout.on('data', (d: Buffer) => output.set(req.pod, (output.get(req.pod) ?? '') + d));
        p.stdout.pipe(stdout);
        const exited = new Promise<number>((resolve) => p.on('close', (code) => resolve(code ?? 137)));
        const done = exited.then(async (code) => {
          const terminated = { exitCode: code, reason: code === 0 ? 'Completed' : 'Error', startedAt: new Date().toISOString(), finishedAt: new Date().toISOString() };
          await status(req.namespace, req.pod, { phase: code === 0 ? 'Succeeded' : 'Failed', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: req.container, image: c?.image ?? '', imageID: '', ready: false, restartCount: 0, state: { terminated } }] });
          return 0;
        });
        return { stdin: req.stdin ? p.stdin : undefined, stdout, stderr: req.stderr ? p.stderr : undefined, resize: () => undefined, exitCode: done, cancel: () => p.kill() };
      },
    },
    logs: { logs: async (_ns, pod) => Readable.from([output.get(pod) ?? '']) },
    start(c) {
      client = c;
      void (async () => {
        try {
          for await (const ev of client.watch(PODS, { allNamespaces: true, signal: abort.signal })) {
            const pod = ev.object as KubeObject;
            if (ev.type !== 'ADDED' || pod.status?.phase !== 'Pending') continue;
            const ns = pod.metadata.namespace!;
            await client.update(PODS, ns, pod.metadata.name!, { ...pod, spec: { ...pod.spec, nodeName: 'mk' } }).catch(() => undefined);
            await status(ns, pod.metadata.name!, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }).catch(() => undefined);
          }
        } catch {
          // stopped
        }
      })();
    },
    stop: () => abort.abort(),
  };
}
