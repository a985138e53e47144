// An in-memory stand-in for the parts of the Runtime the lifecycle uses (networks, volumes,
// containers by label, published ports, `cat` in a container), recording every call, so
// start/stop/delete logic is tested without Docker. Published ports behave as Docker's: an
// explicit host port is bound on every start, an omitted one is picked anew at each start.
// `onStart`/`onStop` let a test run something in place of a container (an API server).
// Methods the lifecycle never calls throw.
import { Readable } from 'node:stream';
import type { ContainerSpec, ContainerState, ContainerSummary, ExecSession, PublishedPort, Runtime } from '../runtime/types.ts';
import { nodeImageTag } from './image/node-image.ts';
import { CONTENTS_LABEL, contentsLabel, findNetfilterTools } from './image/netfilter.ts';

/** node images in the fake carry what this machine's node image would (no rebuild) */
const contents = contentsLabel(await findNetfilterTools());

export interface FakeContainer { id: string; spec: ContainerSpec; running: boolean; ports: PublishedPort[] }

export class FakeRuntime {
  readonly calls: string[] = [];
  readonly networks = new Map<string, string>();
  readonly volumes = new Set<string>();
  readonly containers = new Map<string, FakeContainer>();
  images = new Set<string>([nodeImageTag('0.1.0')]);
  /** names whose start fails */
  failStart = new Set<string>();
  /** host ports some other program holds: a start publishing one fails as Docker's does */
  takenPorts = new Set<number>();
  /** file contents by path, what `cat PATH…` prints in any container */
  files = new Map<string, string>();
  onStart?: (c: FakeContainer) => Promise<void>;
  onStop?: (c: FakeContainer) => Promise<void>;
  private next = 1;
  private nextRandomPort = 32768;

  byName(name: string): FakeContainer {
    const c = [...this.containers.values()].find((x) => x.spec.name === name);
    if (!c) throw new Error(`fake runtime: no container ${name}`);
    return c;
  }

  asRuntime(): Runtime {
    const unsupported = (m: string) => () => { throw new Error(`fake runtime: ${m} not supported`); };
    const self = this;
    const rt: Partial<Runtime> = {
      async ping() { self.calls.push('ping'); },
      async version() { return '27.0.0'; },
      async usedSubnets() { return [...self.networks.values()]; },
      async ensureNetwork(o) { self.calls.push(`ensureNetwork ${o.name} ${o.subnet}`); self.networks.set(o.name, o.subnet); },
      async removeNetwork(n) { self.calls.push(`removeNetwork ${n}`); self.networks.delete(n); },
      async ensureVolume(n) { self.calls.push(`ensureVolume ${n}`); self.volumes.add(n); },
      async removeVolume(n) { self.calls.push(`removeVolume ${n}`); self.volumes.delete(n); },
      async listVolumes() { return [...self.volumes].map((name) => ({ name, labels: {} })); },
      async imageExists(r) { return self.images.has(r); },
      async listImages() { return [...self.images].map((t) => ({ id: t, tags: [t], size: 0, createdAt: new Date(0), labels: { [CONTENTS_LABEL]: contents } })); },
      async createContainer(spec) {
        const id = `c${self.next++}`;
        self.calls.push(`create ${spec.name}`);
        self.containers.set(id, { id, spec, running: false, ports: [] });
        return id;
      },
      async startContainer(id) {
        const c = self.containers.get(id)!;
        self.calls.push(`start ${c.spec.name}`);
        if (self.failStart.has(c.spec.name)) throw new Error(`cannot start ${c.spec.name}`);
        const taken = (c.spec.publish ?? []).find((p) => p.hostPort && self.takenPorts.has(p.hostPort));
        if (taken) throw new Error(`driver failed programming external connectivity on endpoint ${c.spec.name}: Bind for 127.0.0.1:${taken.hostPort} failed: port is already allocated`);
        c.ports = (c.spec.publish ?? []).map((p) => ({ containerPort: p.containerPort, protocol: p.protocol ?? 'tcp', hostIp: p.hostIp, hostPort: p.hostPort || self.nextRandomPort++ }));
        c.running = true;
        await self.onStart?.(c);
      },
      async stopContainer(id) {
        const c = self.containers.get(id)!;
        self.calls.push(`stop ${c.spec.name}`);
        if (c.running) await self.onStop?.(c);
        c.running = false;
      },
      async removeContainer(id) {
        const c = self.containers.get(id);
        if (c) self.calls.push(`remove ${c.spec.name}`);
        if (c?.running) await self.onStop?.(c);
        self.containers.delete(id);
      },
      async listContainers(labels, all) {
        const out: ContainerSummary[] = [];
        for (const c of self.containers.values()) {
          if (!all && !c.running) continue;
          if (!Object.entries(labels).every(([k, v]) => c.spec.labels[k] === v)) continue;
          out.push({ id: c.id, name: c.spec.name, image: c.spec.image, labels: c.spec.labels, state: c.running ? 'running' : 'exited', status: '', createdAt: new Date(0) });
        }
        return out;
      },
      async inspectContainer(id) {
        const c = self.containers.get(id)!;
        return { id, name: c.spec.name, status: c.running ? 'running' : 'exited', running: c.running, exitCode: 0, labels: c.spec.labels, publishedPorts: c.running ? c.ports : [], ips: {} } as unknown as ContainerState;
      },
      async exec(id, cmd) {
        const c = self.containers.get(id)!;
        let stdout = '';
        let stderr = '';
        let code = 0;
        if (!c.running) throw new Error(`container ${c.spec.name} is not running`);
        if (cmd[0] !== 'cat') throw new Error(`fake runtime: exec of ${cmd[0]} not supported`);
        for (const path of cmd.slice(1)) {
          const text = self.files.get(path);
          if (text === undefined) { stderr += `cat: can't open '${path}': No such file or directory\n`; code = 1; } else stdout += text;
        }
        const session: ExecSession = {
          stdin: null, stdout: Readable.from([stdout]), stderr: Readable.from([stderr]),
          async resize() {}, async exitCode() { return code; },
        };
        return session;
      },
      logs: unsupported('logs'),
    };
    return rt as Runtime;
  }
}
