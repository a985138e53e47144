// An in-memory stand-in for the parts of the Runtime the lifecycle uses (networks, volumes,
// containers by label), recording every call, so start/stop/delete logic is tested without
// Docker. Methods the lifecycle never calls throw.
import type { ContainerSpec, ContainerState, ContainerSummary, Runtime } from '../agent/runtime/types.ts';

export interface FakeContainer { id: string; spec: ContainerSpec; running: boolean }

export class FakeRuntime {
  readonly calls: string[] = [];
  readonly networks = new Map<string, string>();
  readonly volumes = new Set<string>();
  readonly containers = new Map<string, FakeContainer>();
  images = new Set<string>(['mk-node:0.1.0']);
  /** names whose start fails */
  failStart = new Set<string>();
  private next = 1;

  asRuntime(): Runtime {
    const unsupported = (m: string) => () => { throw new Error(`fake runtime: ${m} not supported`); };
    const self = this;
    const rt: Partial<Runtime> = {
      async ping() { self.calls.push('ping'); },
      async usedSubnets() { return [...self.networks.values()]; },
      async ensureNetwork(o) { self.calls.push(`ensureNetwork ${o.name} ${o.subnet}`); self.networks.set(o.name, o.subnet); },
      async removeNetwork(n) { self.calls.push(`removeNetwork ${n}`); self.networks.delete(n); },
      async ensureVolume(n) { self.calls.push(`ensureVolume ${n}`); self.volumes.add(n); },
      async removeVolume(n) { self.calls.push(`removeVolume ${n}`); self.volumes.delete(n); },
      async imageExists(r) { return self.images.has(r); },
      async createContainer(spec) {
        const id = `c${self.next++}`;
        self.calls.push(`create ${spec.name}`);
        self.containers.set(id, { id, spec, running: false });
        return id;
      },
      async startContainer(id) {
        const c = self.containers.get(id)!;
        self.calls.push(`start ${c.spec.name}`);
        if (self.failStart.has(c.spec.name)) throw new Error(`cannot start ${c.spec.name}`);
        c.running = true;
      },
      async stopContainer(id) { const c = self.containers.get(id)!; self.calls.push(`stop ${c.spec.name}`); c.running = false; },
      async removeContainer(id) { const c = self.containers.get(id); if (c) self.calls.push(`remove ${c.spec.name}`); self.containers.delete(id); },
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
        return { id, name: c.spec.name, status: c.running ? 'running' : 'exited', running: c.running, exitCode: 0, labels: c.spec.labels, publishedPorts: [], ips: {} } as unknown as ContainerState;
      },
      exec: unsupported('exec'),
      logs: unsupported('logs'),
    };
    return rt as Runtime;
  }
}
