// Test harness: an in-process API server on a random port with a temp data dir, and a small
// HTTPS client (keep-alive, the cluster CA, the bearer token) for requests and watch streams.
import { Agent, request } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer, type ApiServerOptions } from '../../src/apiserver/index.ts';

export interface Answer { status: number; headers: IncomingHttpHeaders; text: string; json: any }
export interface CallOptions { body?: unknown; contentType?: string; accept?: string; token?: string | null }
// body: a string or Buffer goes as is; anything else as JSON.

export class TestCluster {
  server!: RunningApiServer;
  dir: string;
  agent!: Agent;
  constructor(dir?: string) {
    this.dir = dir ?? mkdtempSync(join(tmpdir(), 'mk-apiserver-'));
  }

  static async start(opts: Partial<ApiServerOptions> = {}, dir?: string): Promise<TestCluster> {
    const c = new TestCluster(dir);
    c.server = await startApiServer({ dataDir: c.dir, port: 0, ...opts });
    c.agent = new Agent({ keepAlive: true, ca: c.server.caPem });
    return c;
  }

  async stop(keepDir = false): Promise<void> {
    this.agent.destroy();
    await this.server.close();
    if (!keepDir) rmSync(this.dir, { recursive: true, force: true });
  }

  private open(method: string, path: string, o: CallOptions): Promise<IncomingMessage> {
    const headers: Record<string, string> = {};
    if (o.token !== null) headers.authorization = `Bearer ${o.token ?? this.server.token}`;
    if (o.accept) headers.accept = o.accept;
    let payload: string | Buffer | undefined;
    if (o.body !== undefined) {
      payload = typeof o.body === 'string' || Buffer.isBuffer(o.body) ? o.body : JSON.stringify(o.body);
      headers['content-type'] = o.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      // The path goes out as written (a URL string would be normalised: `configmaps/..` → the namespace).
      const { hostname, port } = new URL(this.server.url);
      const req = request({ hostname, port, path, method, headers, agent: this.agent }, resolve);
      req.on('error', reject);
      req.end(payload);
    });
  }

  async call(method: string, path: string, o: CallOptions = {}): Promise<Answer> {
    const res = await this.open(method, path, o);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.statusCode ?? 0, headers: res.headers, text, json };
  }

  get = (path: string, o: CallOptions = {}) => this.call('GET', path, o);
  post = (path: string, body: unknown, o: CallOptions = {}) => this.call('POST', path, { ...o, body });
  put = (path: string, body: unknown, o: CallOptions = {}) => this.call('PUT', path, { ...o, body });
  patch = (path: string, body: unknown, contentType: string, o: CallOptions = {}) => this.call('PATCH', path, { ...o, body, contentType });
  del = (path: string, body?: unknown, o: CallOptions = {}) => this.call('DELETE', path, { ...o, body });

  /** Opens a watch stream; events arrive in `events`; `until(n)` waits for n events (or the stream end). */
  async watch(path: string, o: CallOptions = {}): Promise<Watch> {
    const res = await this.open('GET', path, o);
    return new Watch(res);
  }
}

export class Watch {
  events: { type: string; object: any }[] = [];
  ended = false;
  status: number;
  private waiters: (() => void)[] = [];
  private res: IncomingMessage;
  constructor(res: IncomingMessage) {
    this.res = res;
    this.status = res.statusCode ?? 0;
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => {
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.trim()) this.events.push(JSON.parse(line));
      }
      this.wake();
    });
    res.on('end', () => {
      this.ended = true;
      this.wake();
    });
    res.on('error', () => {
      this.ended = true;
      this.wake();
    });
  }
  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }
  async until(n: number, ms = 5000): Promise<{ type: string; object: any }[]> {
    const deadline = Date.now() + ms;
    while (this.events.length < n && !this.ended) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`watch: got ${this.events.length} events, wanted ${n}: ${JSON.stringify(this.events.map((e) => e.type))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.events;
  }
  close() {
    this.res.destroy();
  }
}

export const svc = (name: string, extra: Record<string, any> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, ...(extra.metadata ?? {}) },
  spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...(extra.spec ?? {}) },
});

export const deployment = (name: string, replicas = 1) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: name, image: `luksa/${name}:v1` }] } },
  },
});
