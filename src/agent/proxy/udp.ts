// The UDP data path. Node cannot tell which local address a datagram on a wildcard socket was
// sent to, so each Service IP gets its own socket bound to (IP, port) — the node's local route
// makes every service address bindable — and nodePorts one socket on the wildcard address. A
// small NAT table keeps one connected upstream socket per client address and Service port, so
// replies go back to the client from the address it sent to; a flow idle for idleMs is closed.
import dgram from 'node:dgram';
import type { ListenSpec, Protocol, Route } from './table.ts';
import type { Picker } from './picker.ts';

export interface UdpPlaneOptions {
  lookup(protocol: Protocol, ip: string, port: number): Route | undefined;
  picker: Picker;
  /** a flow without traffic for this long is dropped (default 30 s) */
  idleMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

interface Flow {
  upstream: dgram.Socket;
  lastUsed: number;
}

interface Listener {
  spec: ListenSpec;
  socket: dgram.Socket;
  bound: boolean;
  error?: string;
  flows: Map<string, Flow>;
}

export class UdpPlane {
  private readonly o: UdpPlaneOptions;
  private readonly listeners = new Map<string, Listener>();
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(o: UdpPlaneOptions) {
    this.o = o;
    this.now = o.now ?? Date.now;
    const idle = o.idleMs ?? 30_000;
    this.sweeper = setInterval(() => this.sweep(), Math.max(50, Math.min(idle, 5000)));
    this.sweeper.unref();
  }

  open(spec: ListenSpec): void {
    const key = `${spec.host}:${spec.port}`;
    if (this.listeners.has(key)) return;
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    const l: Listener = { spec, socket, bound: false, flows: new Map() };
    this.listeners.set(key, l);
    socket.on('error', (e: NodeJS.ErrnoException) => {
      l.error = `${e.code ?? 'error'}: ${e.message}`;
      this.o.log?.(`proxy: cannot listen on ${spec.host}:${spec.port}/UDP (${l.error})`);
    });
    socket.on('message', (msg, rinfo) => this.forward(l, msg, rinfo));
    socket.bind({ address: spec.host, port: spec.port }, () => (l.bound = true));
  }

  close(spec: ListenSpec): void {
    const key = `${spec.host}:${spec.port}`;
    const l = this.listeners.get(key);
    if (!l) return;
    this.listeners.delete(key);
    this.drop(l);
  }

  async settled(): Promise<void> {
    while ([...this.listeners.values()].some((l) => !l.bound && !l.error)) await new Promise((r) => setTimeout(r, 5));
  }

  status(): Array<{ host: string; port: number; error?: string; flows: number }> {
    return [...this.listeners.values()].map((l) => ({ host: l.spec.host, port: l.spec.port, flows: l.flows.size, ...(l.bound ? {} : { error: l.error ?? 'binding' }) }));
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    for (const l of this.listeners.values()) this.drop(l);
    this.listeners.clear();
  }

  /** Closes flows idle for longer than idleMs. */
  sweep(): void {
    const limit = this.now() - (this.o.idleMs ?? 30_000);
    for (const l of this.listeners.values()) {
      for (const [k, f] of l.flows) {
        if (f.lastUsed >= limit) continue;
        l.flows.delete(k);
        closeQuietly(f.upstream);
      }
    }
  }

  private drop(l: Listener): void {
    for (const f of l.flows.values()) closeQuietly(f.upstream);
    l.flows.clear();
    closeQuietly(l.socket);
  }

  private forward(l: Listener, msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const route = this.o.lookup('UDP', l.spec.host, l.spec.port);
    if (!route) return;
    const key = `${route.entry.id}|${rinfo.address}:${rinfo.port}`;
    let flow = l.flows.get(key);
    if (!flow) {
      const b = this.o.picker.pick(route, rinfo.address)[0];
      if (!b) return;
      const upstream = dgram.createSocket('udp4');
      const f: Flow = { upstream, lastUsed: this.now() };
      flow = f;
      l.flows.set(key, f);
      // ICMP port unreachable shows up as an error on the connected socket: forget the flow.
      upstream.on('error', () => {
        if (l.flows.get(key) === f) l.flows.delete(key);
        closeQuietly(upstream);
      });
      upstream.on('message', (reply) => {
        f.lastUsed = this.now();
        l.socket.send(reply, rinfo.port, rinfo.address);
      });
      upstream.connect(b.port, b.ip);
      this.o.picker.used(route, rinfo.address, b);
    }
    flow.lastUsed = this.now();
    const up = flow.upstream;
    const send = () => up.send(msg, (e) => e && up.emit('error', e));
    try {
      up.remoteAddress();
      send();
    } catch {
      up.once('connect', send);
    }
  }
}

function closeQuietly(s: dgram.Socket): void {
  try {
    s.close();
  } catch { /* already closed */ }
}
