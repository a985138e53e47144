// Test helper: a tiny read-only Kubernetes API (discovery + GET/list of fixed objects, Table
// answers from ../index.ts) on loopback, so tests can ask a real kubectl binary how it prints
// our Tables and how `kubectl describe` lays out the same objects. Never used outside tests.

import { createServer, type Server } from 'node:http';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../api/types.ts';
import { RESOURCES, groupVersion, type ResourceType } from '../../api/resources.ts';
import { toTable } from '../index.ts';

export const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';
export const kubectlPath = (minor: number): string => join(KUBECTL_DIR, `kubectl.1.${minor}`);
export const hasKubectl = (minor: number): boolean => existsSync(kubectlPath(minor));

function discovery(gv: string): unknown {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: RESOURCES.filter((r) => groupVersion(r) === gv).map((r) => ({
      name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs,
      shortNames: r.shortNames.length ? r.shortNames : undefined, categories: r.categories.length ? r.categories : undefined,
    })),
  };
}

function matchesSelectors(obj: KubeObject, q: URLSearchParams): boolean {
  for (const part of (q.get('labelSelector') ?? '').split(',').filter(Boolean)) {
    const [k, v] = part.split('=');
    if (obj.metadata.labels?.[k!] !== v) return false;
  }
  for (const part of (q.get('fieldSelector') ?? '').split(',').filter(Boolean)) {
    const [path, v] = part.split('=');
    const val = path!.split('.').reduce<any>((o, k) => o?.[k], obj);
    if (String(val ?? '') !== v) return false;
  }
  return true;
}

export class Oracle {
  readonly objects: KubeObject[];
  readonly now: Date;
  private server?: Server;
  private dir = mkdtempSync(join(tmpdir(), 'mk-printers-oracle-'));

  constructor(objects: KubeObject[], now: Date) {
    this.objects = objects;
    this.now = now;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const send = (code: number, body: unknown): void => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const p = url.pathname;
      if (p === '/version') return send(200, { major: '1', minor: '30', gitVersion: 'v1.30.0' });
      if (p === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
      if (p === '/apis') {
        const groups = [...new Set(RESOURCES.filter((r) => r.group).map((r) => r.group))].map((g) => {
          const v = RESOURCES.find((r) => r.group === g)!.version;
          return { name: g, versions: [{ groupVersion: `${g}/${v}`, version: v }], preferredVersion: { groupVersion: `${g}/${v}`, version: v } };
        });
        return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
      }
      if (p === '/api/v1') return send(200, discovery('v1'));
      const m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(p);
      if (m) return send(200, discovery(`${m[1]}/${m[2]}`));
      const rm = /^\/(?:api|apis\/([^/]+))\/([^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(p);
      if (!rm) return send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
      const [, group = '', version, ns, plural, name] = rm;
      const r: ResourceType | undefined = RESOURCES.find((x) => x.group === group && x.version === version && x.plural === plural);
      if (!r) return send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
      let items = this.objects.filter((o) => o.kind === r.kind && (!ns || o.metadata.namespace === ns) && matchesSelectors(o, url.searchParams));
      if (name) items = items.filter((o) => o.metadata.name === name);
      const wantsTable = (req.headers.accept ?? '').includes('as=Table');
      if (name && items.length === 0) {
        return send(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${plural} "${name}" not found`, reason: 'NotFound', details: { name, kind: plural }, code: 404 });
      }
      if (wantsTable) {
        const t = toTable(r, items, { now: this.now });
        t.metadata.resourceVersion = '1';
        return send(200, t);
      }
      if (name) return send(200, items[0]);
      return send(200, { kind: r.listKind, apiVersion: groupVersion(r), metadata: { resourceVersion: '1' }, items });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const port = (this.server.address() as { port: number }).port;
    writeFileSync(join(this.dir, 'config'), [
      'apiVersion: v1', 'kind: Config', 'current-context: t',
      'clusters: [{name: t, cluster: {server: "http://127.0.0.1:' + port + '"}}]',
      'users: [{name: t, user: {}}]',
      'contexts: [{name: t, context: {cluster: t, user: t, namespace: default}}]', '',
    ].join('\n'));
  }

  /** Runs `kubectl.1.<minor> args…` against the oracle; resolves with stdout (stderr on failure). */
  kubectl(minor: number, args: string[]): Promise<string> {
    const env = { ...process.env, KUBECONFIG: join(this.dir, 'config'), HOME: this.dir };
    return new Promise((resolve, reject) => {
      execFile(kubectlPath(minor), [...args, '--cache-dir', join(this.dir, 'cache')], { env, timeout: 30_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`));
        else resolve(stdout);
      });
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
