// A small typed Kubernetes client for one kubeconfig context: HTTPS with the cluster CA and a
// bearer token over a keep-alive agent; CRUD, patch, Table lists and watch as an async
// iterator. Every non-2xx answer becomes an ApiError built from the server's Status.
import https from 'node:https';
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { ResourceType } from '../api/resources.ts';
import type { KubeObject, KubeList, WatchEvent } from '../api/types.ts';
import { ApiError } from '../api/status.ts';
import { UserError } from '../lib/errors.ts';
import type { ResolvedContext } from '../kubeconfig/index.ts';
import { readConfig, kubeconfigPath, resolveContext } from '../kubeconfig/index.ts';
import { checkPathName, resourcePath, query } from './paths.ts';
import { JsonObjectSplitter } from './json-stream.ts';

export { checkPathName, resourcePath, query } from './paths.ts';

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export type PatchType = 'merge' | 'strategic' | 'json';
const PATCH_MEDIA: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

export interface ListOptions {
  namespace?: string;
  allNamespaces?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
}
export interface WriteOptions {
  dryRun?: boolean;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  subresource?: string;
}
export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  /** Seconds a pod gets to terminate; 0 removes it at once (sent in the DeleteOptions body). */
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}
export interface WatchOptions extends ListOptions {
  name?: string;
  resourceVersion?: string;
  table?: boolean;
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

/** The kubeconfig-independent part of a connection. */
export interface Connection {
  server: string;
  caPem?: string;
  token?: string;
  insecure?: boolean;
}

const FIELD_MANAGER = 'mk';

export class KubeClient {
  readonly server: URL;
  readonly defaultNamespace: string;
  private readonly conn: Connection;
  private readonly agent: http.Agent;
  /** Hears each `Warning` the server sends (deprecations, unknown fields with fieldValidation=Warn). */
  onWarning?: (text: string) => void;

  constructor(conn: Connection, defaultNamespace = 'default') {
    this.conn = conn;
    this.server = new URL(conn.server);
    this.defaultNamespace = defaultNamespace;
    this.agent =
      this.server.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, ca: conn.caPem, rejectUnauthorized: !conn.insecure })
        : new http.Agent({ keepAlive: true });
  }

  /** A client for the current (or named) context of the user's kubeconfig. */
  static fromKubeconfig(opts: { path?: string; context?: string; namespace?: string } = {}): KubeClient {
    const ctx: ResolvedContext = resolveContext(readConfig(opts.path ?? kubeconfigPath()), opts.context);
    return new KubeClient(ctx, opts.namespace || ctx.namespace);
  }

  close(): void {
    this.agent.destroy();
  }

  ns(namespace?: string): string {
    return namespace || this.defaultNamespace;
  }

  async get(r: ResourceType, namespace: string | undefined, name: string, opts: { subresource?: string } = {}): Promise<KubeObject> {
    return this.json('GET', resourcePath(r, { namespace: this.ns(namespace), name, subresource: opts.subresource }));
  }

  async list(r: ResourceType, o: ListOptions = {}): Promise<KubeList> {
    return this.json('GET', this.listPath(r, o));
  }

  /** The server-printed Table for a list (no name) or one object. */
  async getTable(r: ResourceType, o: ListOptions & { name?: string } = {}): Promise<Table> {
    const path = o.name !== undefined ? resourcePath(r, { namespace: this.ns(o.namespace), name: o.name }) : this.listPath(r, { limit: 500, ...o });
    return this.json('GET', path, undefined, { accept: TABLE_ACCEPT });
  }

  async create(r: ResourceType, namespace: string | undefined, body: KubeObject, o: WriteOptions = {}): Promise<KubeObject> {
    return this.json('POST', resourcePath(r, { namespace: this.ns(namespace) }) + writeQuery(o), body);
  }

  async update(r: ResourceType, namespace: string | undefined, name: string, body: KubeObject, o: WriteOptions = {}): Promise<KubeObject> {
    return this.json('PUT', resourcePath(r, { namespace: this.ns(namespace), name, subresource: o.subresource }) + writeQuery(o), body);
  }

  async patch(r: ResourceType, namespace: string | undefined, name: string, body: unknown, type: PatchType, o: WriteOptions = {}): Promise<KubeObject> {
    const path = resourcePath(r, { namespace: this.ns(namespace), name, subresource: o.subresource }) + writeQuery(o);
    return this.json('PATCH', path, body, { contentType: PATCH_MEDIA[type] });
  }

  async delete(r: ResourceType, namespace: string | undefined, name: string, o: DeleteOptions = {}): Promise<KubeObject> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (o.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = o.gracePeriodSeconds;
    if (o.propagationPolicy) body.propagationPolicy = o.propagationPolicy;
    const q = query({ dryRun: o.dryRun ? 'All' : undefined });
    return this.json('DELETE', resourcePath(r, { namespace: this.ns(namespace), name }) + q, body);
  }

  /** Watch events until the server closes the stream or `signal` aborts. */
  async *watch(r: ResourceType, o: WatchOptions = {}): AsyncGenerator<WatchEvent> {
    if (o.name !== undefined) checkPathName('resource name', o.name);
    const fieldSelector = o.name !== undefined ? joinSel(`metadata.name=${o.name}`, o.fieldSelector) : o.fieldSelector;
    const path =
      resourcePath(r, { namespace: r.namespaced && !o.allNamespaces ? this.ns(o.namespace) : undefined }) +
      query({
        labelSelector: o.labelSelector,
        fieldSelector,
        resourceVersion: o.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: o.timeoutSeconds,
        watch: true,
      });
    const res = await this.send('GET', path, undefined, { accept: o.table ? TABLE_ACCEPT : 'application/json', signal: o.signal });
    if (res.statusCode! >= 300) throw toApiError(res.statusCode!, await readBody(res));
    const split = new JsonObjectSplitter();
    res.setEncoding('utf8');
    try {
      for await (const chunk of res) {
        for (const text of split.push(chunk as string)) {
          const ev = JSON.parse(text) as WatchEvent;
          if (ev.type === 'ERROR') throw ApiError.fromStatus(ev.object as never);
          yield ev;
        }
      }
    } catch (e) {
      if (o.signal?.aborted) return;
      throw e;
    } finally {
      res.destroy();
    }
  }

  private listPath(r: ResourceType, o: ListOptions): string {
    const namespace = r.namespaced && !o.allNamespaces ? this.ns(o.namespace) : undefined;
    return resourcePath(r, { namespace }) + query({ labelSelector: o.labelSelector, fieldSelector: o.fieldSelector, limit: o.limit });
  }

  async json<T = any>(method: string, path: string, body?: unknown, h: { accept?: string; contentType?: string } = {}): Promise<T> {
    const res = await this.send(method, path, body, h);
    const text = await readBody(res);
    if (res.statusCode! < 200 || res.statusCode! >= 300) throw toApiError(res.statusCode!, text);
    return (text ? JSON.parse(text) : {}) as T;
  }

  private send(method: string, path: string, body: unknown, h: { accept?: string; contentType?: string; signal?: AbortSignal }): Promise<IncomingMessage> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = { accept: h.accept ?? 'application/json', 'user-agent': 'mk' };
    if (this.conn.token) headers.authorization = `Bearer ${this.conn.token}`;
    if (payload) {
      headers['content-type'] = h.contentType ?? 'application/json';
      headers['content-length'] = payload.length;
    }
    const mod = this.server.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(
        { protocol: this.server.protocol, hostname: this.server.hostname, port: this.server.port, path, method, headers, agent: this.agent, signal: h.signal },
        (res) => {
          const w = res.headers.warning;
          if (w && this.onWarning) for (const text of parseWarnings(w)) this.onWarning(text);
          resolve(res);
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) => reject(connectionError(e, this.server)));
      req.end(payload);
    });
  }
}

export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description?: string;
  priority: number;
}
export interface TableRow {
  cells: unknown[];
  object?: { kind?: string; apiVersion?: string; metadata: KubeObject['metadata'] } & Record<string, any>;
}
export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumn[];
  rows: TableRow[];
}

/** The texts of `Warning: 299 - "text"` headers (several may come joined with ', '). */
export function parseWarnings(header: string | string[]): string[] {
  const out: string[] = [];
  for (const h of Array.isArray(header) ? header : [header]) {
    for (const m of h.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)) out.push(m[1]!.replace(/\\(.)/g, '$1'));
  }
  return out;
}

function writeQuery(o: WriteOptions): string {
  return query({ dryRun: o.dryRun ? 'All' : undefined, fieldManager: FIELD_MANAGER, fieldValidation: o.fieldValidation ?? 'Strict' });
}

function joinSel(a: string, b?: string): string {
  return b ? `${a},${b}` : a;
}

async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function toApiError(code: number, text: string): ApiError {
  try {
    const body = JSON.parse(text);
    if (body && body.kind === 'Status') return ApiError.fromStatus(body, code);
  } catch {
    // not JSON: fall through
  }
  const reason = code === 404 ? 'NotFound' : code === 401 ? 'Unauthorized' : code === 403 ? 'Forbidden' : 'InternalError';
  return new ApiError(code, reason, text.trim() || `the server responded with the status code ${code}`);
}

function connectionError(e: NodeJS.ErrnoException, server: URL): Error {
  if (e.name === 'AbortError') return e;
  if (e.code === 'ECONNREFUSED') {
    return new UserError(`The connection to the server ${server.host} was refused - did you specify the right host or port?`, undefined, { cause: e });
  }
  return new UserError(`Unable to connect to the server: ${e.message}`, undefined, { cause: e });
}
