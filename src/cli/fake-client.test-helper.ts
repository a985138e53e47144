// An in-memory stand-in for KubeClient (get/list/create/patch/delete), recording every call,
// so CLI logic can be tested without a server. Test-only.
import type { ResourceType } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { errors, ApiError } from '../api/status.ts';
import type { KubeClient } from '../client/index.ts';
import { toTable } from '../printers/index.ts';

export class FakeClient {
  readonly objects = new Map<string, KubeObject>();
  readonly calls: string[] = [];
  readonly defaultNamespace = 'default';
  /** Names whose create/patch the fake refuses, as a server would. */
  readonly refuse = new Map<string, ApiError>();

  ns(n?: string): string {
    return n || this.defaultNamespace;
  }
  key(r: ResourceType, ns: string | undefined, name: string): string {
    return `${r.plural}/${r.namespaced ? this.ns(ns) : ''}/${name}`;
  }
  async get(r: ResourceType, ns: string | undefined, name: string): Promise<KubeObject> {
    this.calls.push(`GET ${r.plural} ${name}`);
    const o = this.objects.get(this.key(r, ns, name));
    if (!o) throw errors.notFound(r, name);
    return structuredClone(o);
  }
  async list(r: ResourceType, o: { namespace?: string; labelSelector?: string } = {}): Promise<{ items: KubeObject[]; metadata: object }> {
    this.calls.push(`LIST ${r.plural}${o.labelSelector ? ` ${o.labelSelector}` : ''}`);
    const prefix = `${r.plural}/${r.namespaced ? this.ns(o.namespace) : ''}/`;
    const items = [...this.objects.entries()].filter(([k]) => k.startsWith(prefix)).map(([, v]) => structuredClone(v));
    const [lk, lv] = (o.labelSelector ?? '').split('=');
    return { items: lk ? items.filter((i) => i.metadata.labels?.[lk] === lv) : items, metadata: {} };
  }
  async getTable(r: ResourceType, o: { namespace?: string; name?: string; labelSelector?: string } = {}): Promise<unknown> {
    const objs = o.name !== undefined ? [await this.get(r, o.namespace, o.name)] : (await this.list(r, o)).items;
    return toTable(r, objs.map((x) => ({ ...x, metadata: { creationTimestamp: '2020-01-01T00:00:00Z', ...x.metadata } })), { now: new Date('2020-01-01T00:00:05Z') });
  }
  async create(r: ResourceType, ns: string | undefined, body: KubeObject, o: { dryRun?: boolean } = {}): Promise<KubeObject> {
    this.calls.push(`POST ${r.plural} ${body.metadata.name}${o.dryRun ? ' dryRun' : ''}`);
    const refused = this.refuse.get(body.metadata.name!);
    if (refused) throw refused;
    const k = this.key(r, ns, body.metadata.name!);
    if (this.objects.has(k)) throw errors.alreadyExists(r, body.metadata.name!);
    if (!o.dryRun) this.objects.set(k, structuredClone({ ...body, metadata: { ...body.metadata, uid: `uid-${body.metadata.name}` } }));
    return body;
  }
  async patch(r: ResourceType, ns: string | undefined, name: string, body: any, type: string, o: { dryRun?: boolean; subresource?: string } = {}): Promise<KubeObject> {
    this.calls.push(`PATCH ${r.plural}${o.subresource ? `/${o.subresource}` : ''} ${name} ${type} ${JSON.stringify(body)}${o.dryRun ? ' dryRun' : ''}`);
    const cur = await this.get(r, ns, name);
    this.calls.pop();
    if (!o.dryRun && body.metadata?.labels) {
      const labels = { ...(cur.metadata.labels ?? {}) };
      for (const [k, v] of Object.entries(body.metadata.labels)) if (v === null) delete labels[k];
      else labels[k] = v as string;
      cur.metadata.labels = labels;
      this.objects.set(this.key(r, ns, name), cur);
    }
    return cur;
  }
  async delete(r: ResourceType, ns: string | undefined, name: string, o: { propagationPolicy?: string } = {}): Promise<KubeObject> {
    this.calls.push(`DELETE ${r.plural} ${name} ${o.propagationPolicy ?? ''}`);
    const k = this.key(r, ns, name);
    if (!this.objects.delete(k)) throw errors.notFound(r, name);
    return { apiVersion: 'v1', kind: 'Status', metadata: {} };
  }
  asClient(): KubeClient {
    return this as unknown as KubeClient;
  }
}
