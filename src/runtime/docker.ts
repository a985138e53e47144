// The Runtime (./types.ts) on a Docker engine, through dockerode. The one place mk talks to
// Docker: request shapes come from ./translate.ts, stream framing from ./streams.ts, and
// engine failures become RuntimeErrors (./errors.ts). Nothing here pulls unless asked to.

import Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import type { Duplex, Readable } from 'node:stream';
import { UserError } from '../lib/errors.ts';
import { RuntimeError, fromDocker } from './errors.ts';
import { LABELS } from './labels.ts';
import { demux, jsonLines } from './streams.ts';
import {
  labelFilters, loadedImages, progressError, subnetsOf, toCreateOptions, toExecCreateOptions, toImageSummary, toLogsQuery,
  toNetworkCreateOptions, toRuntimeEvent, toState, toSummary, toVolumeCreateOptions,
} from './translate.ts';
import type { DockerInspectSubset } from './translate.ts';
import type { ExecSession, Runtime, RuntimeEvent } from './types.ts';

const LABEL_KEYS = Object.values(LABELS);

/** Docker's text for an exec whose process could not start, without its trailing newline */
export function execStartFailure(firstOutput: Buffer): string | undefined {
  const s = firstOutput.toString('utf8');
  return /^(OCI runtime exec failed|exec failed|rpc error)/.test(s) ? s.trim() : undefined;
}

export function dockerRuntime(opts: { socketPath?: string } = {}): Runtime {
  // Without options docker-modem honours DOCKER_HOST, else /var/run/docker.sock.
  const docker = opts.socketPath ? new Docker({ socketPath: opts.socketPath }) : new Docker();
  const where = opts.socketPath ?? process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';

  async function call<T>(doing: string, f: () => Promise<T>, ok: { notFound?: T; notModified?: T } = {}): Promise<T> {
    try {
      return await f();
    } catch (e) {
      const status = (e as { statusCode?: number }).statusCode;
      if (status === 404 && 'notFound' in ok) return ok.notFound as T;
      if (status === 304 && 'notModified' in ok) return ok.notModified as T;
      throw fromDocker(doing, e);
    }
  }

  /** Reads a build/pull progress stream to its end; throws the first error it reports. */
  async function drainProgress(doing: string, stream: NodeJS.ReadableStream): Promise<void> {
    const events: Array<Record<string, unknown>> = [];
    for await (const ev of jsonLines(stream as AsyncIterable<Buffer>)) events.push(ev);
    const error = progressError(events);
    if (error) throw new RuntimeError(error.includes('not found') || error.includes('does not exist') ? 'NotFound' : 'Engine', `${doing}: ${error}`);
  }

  const rt: Runtime = {
    async ping() {
      try {
        await docker.ping();
      } catch (e) {
        throw new UserError(
          `no Docker engine answers at ${where} (${(e as Error).message})`,
          'Start Docker (on Debian: `sudo apt-get install docker.io && sudo dockerd &`, or run scripts/ensure-docker.sh), make sure your user may use its socket, or point DOCKER_HOST at a running engine.',
          { cause: e },
        );
      }
    },

    async version() {
      return (await call('asking the engine its version', () => docker.version())).Version;
    },

    async ensureNetwork(o) {
      const existing = await call(`inspecting network ${o.name}`, () => docker.getNetwork(o.name).inspect(), { notFound: undefined });
      if (existing) {
        const subnets = subnetsOf([existing]);
        if (!subnets.includes(o.subnet)) {
          throw new UserError(`Docker network ${o.name} exists with subnet ${subnets.join(', ') || 'none'}, not ${o.subnet}`,
            `Remove it (docker network rm ${o.name}) or start with --subnet ${subnets[0] ?? ''}`.trim());
        }
        return;
      }
      await call(`creating network ${o.name} (${o.subnet})`, () => docker.createNetwork(toNetworkCreateOptions(o)));
    },

    async removeNetwork(name) {
      await call(`removing network ${name}`, () => docker.getNetwork(name).remove(), { notFound: undefined });
    },

    async usedSubnets() {
      const nets = await call('listing networks', () => docker.listNetworks());
      return subnetsOf(nets);
    },

    async ensureVolume(name, labels, o = {}) {
      const existing = await call(`inspecting volume ${name}`, () => docker.getVolume(name).inspect(), { notFound: undefined });
      if (existing) return;
      await call(`creating volume ${name}`, () => docker.createVolume(toVolumeCreateOptions(name, labels, o)));
    },

    async listVolumes(labels) {
      const list = await call('listing volumes', () => docker.listVolumes({ filters: labelFilters(labels) }));
      return (list.Volumes ?? []).map((v) => ({ name: v.Name, labels: { ...(v.Labels ?? {}) } }));
    },

    async removeVolume(name) {
      await call(`removing volume ${name}`, () => docker.getVolume(name).remove(), { notFound: undefined });
    },

    async imageExists(ref) {
      const info = await call(`inspecting image ${ref}`, () => docker.getImage(ref).inspect(), { notFound: undefined });
      return info !== undefined;
    },

    async listImages(labels = {}) {
      const list = await call('listing images', () => docker.listImages({ filters: labelFilters(labels) }));
      return list.map(toImageSummary);
    },

    async buildImage(context, tag, labels = {}) {
      const stream = await call(`building image ${tag}`, () => docker.buildImage(context, { t: tag, labels, rm: true, forcerm: true }));
      await drainProgress(`building image ${tag}`, stream);
    },

    async pullImage(ref) {
      const stream = await call(`pulling image ${ref}`, () => docker.pull(ref));
      await drainProgress(`pulling image ${ref}`, stream);
    },

    async removeImage(ref) {
      await call(`removing image ${ref}`, () => docker.getImage(ref).remove({ force: true }), { notFound: undefined });
    },

    async loadImage(tar) {
      const stream = await call('loading images', () => docker.loadImage(tar, { quiet: false }));
      const events: Array<Record<string, unknown>> = [];
      for await (const ev of jsonLines(stream as AsyncIterable<Buffer>)) events.push(ev);
      const error = progressError(events);
      if (error) throw new RuntimeError('Engine', `loading images: ${error}`);
      return loadedImages(events);
    },

    async saveImage(ref) {
      await call(`saving image ${ref}`, () => docker.getImage(ref).inspect());
      return (await call(`saving image ${ref}`, () => docker.getImage(ref).get())) as unknown as Readable;
    },

    async createContainer(spec) {
      const c = await call(`creating container ${spec.name}`, () => docker.createContainer(toCreateOptions(spec)));
      return c.id;
    },

    async startContainer(id) {
      await call(`starting container ${id}`, () => docker.getContainer(id).start(), { notModified: undefined });
    },

    async stopContainer(id, timeoutSeconds) {
      await call(`stopping container ${id}`, () => docker.getContainer(id).stop({ t: Math.max(0, Math.round(timeoutSeconds)) }), { notModified: undefined });
    },

    async removeContainer(id) {
      await call(`removing container ${id}`, () => docker.getContainer(id).remove({ force: true, v: true }), { notFound: undefined });
    },

    async listContainers(labels, all = false) {
      const list = await call('listing containers', () => docker.listContainers({ all, filters: labelFilters(labels) }));
      return list.map(toSummary);
    },

    async inspectContainer(id) {
      const info = await call(`inspecting container ${id}`, () => docker.getContainer(id).inspect());
      return toState(info as unknown as DockerInspectSubset);
    },

    async exec(id, cmd, o = {}) {
      const ex = await call(`exec in container ${id}`, () => docker.getContainer(id).exec(toExecCreateOptions(cmd, o)));
      const sock = (await call(`exec in container ${id}`, () => ex.start({ hijack: true, stdin: o.stdin === true, Tty: o.tty === true }))) as Duplex;
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      // Docker reports a command that cannot start as the first output, exit code 126/127: keep
      // it out of the user's stdout and turn it into an ExecFailed error from exitCode().
      let startFailure: string | undefined;
      const firstOut = new PassThrough();
      let first = true;
      firstOut.on('data', (chunk: Buffer) => {
        if (first) {
          first = false;
          const msg = execStartFailure(chunk);
          if (msg) { startFailure = msg; return; }
        }
        stdout.write(chunk);
      });
      firstOut.on('end', () => stdout.end());
      if (o.tty) {
        sock.pipe(firstOut);
        stderr.end();
      } else {
        demux(sock, firstOut, stderr);
      }
      const ended = new Promise<void>((resolve) => {
        let done = false;
        const finish = () => { if (!done) { done = true; resolve(); } };
        sock.once('end', finish);
        sock.once('close', finish);
        sock.once('error', finish);
      });
      let finished = false;
      void ended.then(() => { finished = true; });
      const session: ExecSession = {
        stdin: o.stdin ? sock : null,
        stdout,
        stderr,
        async resize(width, height) {
          // right after start the process may not exist yet: retry briefly; after it ended, ignore
          for (let i = 0; ; i++) {
            try {
              await ex.resize({ w: width, h: height });
              return;
            } catch (e) {
              if (finished) return;
              if (i >= 25) throw fromDocker(`resizing exec in ${id}`, e);
              await new Promise((r) => setTimeout(r, 20));
            }
          }
        },
        async exitCode() {
          await ended;
          for (let i = 0; ; i++) {
            const info = await call(`inspecting exec in ${id}`, () => ex.inspect());
            if (!info.Running || i >= 100) {
              if (startFailure) throw new RuntimeError('ExecFailed', startFailure);
              return info.ExitCode ?? -1;
            }
            await new Promise((r) => setTimeout(r, 20));
          }
        },
      };
      return session;
    },

    async attach(id, o = {}) {
      const c = docker.getContainer(id);
      const opts = { stream: true, stdin: o.stdin === true, stdout: true, stderr: true, hijack: true };
      const sock = (await call(`attaching to container ${id}`, () => c.attach(opts))) as unknown as Duplex;
      // the engine accepts an attach to a container that has exited and then never ends it; one
      // that exits after this point ends the attachment itself
      const state = await call(`attaching to container ${id}`, () => c.inspect()).catch((e: unknown) => {
        sock.destroy();
        throw e;
      });
      if (!state.State.Running) {
        sock.destroy();
        throw new RuntimeError('Conflict', `attaching to container ${id}: container is not running (${state.State.Status})`);
      }
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      if (o.tty) {
        sock.pipe(stdout);
        stderr.end();
      } else {
        demux(sock, stdout, stderr);
      }
      const ended = new Promise<void>((resolve) => {
        sock.once('end', () => resolve());
        sock.once('close', () => resolve());
        sock.once('error', () => resolve());
      });
      return {
        stdin: o.stdin ? sock : null,
        stdout,
        stderr,
        async resize(width, height) {
          await call(`resizing the terminal of ${id}`, () => c.resize({ w: width, h: height }), { notFound: undefined });
        },
        ended,
        detach: () => sock.destroy(),
      };
    },

    async logs(id, o = {}) {
      const c = docker.getContainer(id);
      const info = await call(`reading logs of ${id}`, () => c.inspect());
      const q = toLogsQuery(o);
      const out = new PassThrough();
      const raw = q.follow
        ? await call(`reading logs of ${id}`, () => c.logs({ ...q, follow: true }))
        : await call(`reading logs of ${id}`, () => c.logs({ ...q, follow: false }));
      const src: Readable = Buffer.isBuffer(raw) ? PassThrough.from([raw]) as Readable : raw as unknown as Readable;
      if (info.Config.Tty) src.pipe(out);
      else demux(src, out, out);
      out.on('close', () => { if (!src.destroyed) src.destroy(); });
      return out;
    },

    events(labels, signal) {
      return (async function* (): AsyncGenerator<RuntimeEvent> {
        if (signal.aborted) return;
        const filters = JSON.stringify({ type: ['container'], ...labelFilters(labels) });
        const stream = (await call('watching engine events', () => docker.getEvents({ filters }))) as unknown as Readable;
        const stop = () => stream.destroy();
        signal.addEventListener('abort', stop, { once: true });
        try {
          for await (const ev of jsonLines(stream)) {
            const e = toRuntimeEvent(ev, LABEL_KEYS);
            if (e) yield e;
          }
        } catch (e) {
          if (!signal.aborted) throw fromDocker('watching engine events', e);
        } finally {
          signal.removeEventListener('abort', stop);
          stream.destroy();
        }
      })();
    },
  };
  return rt;
}
