// Test support, not shipped behaviour: real kubectl as an oracle for the patch engines.
// `kubectlApply` runs `kubectl apply` against a loopback stand-in for the API server that
// serves discovery and one live object, and returns the PATCH kubectl sent; `kubectlPatchLocal`
// runs `kubectl patch --local`, which merges with the same Go code the API server uses.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Obj = Record<string, any>;
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
export const kubectlBinary = (minor: number) => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
export const hasKubectl = (minor = 33) => existsSync(kubectlBinary(minor));

const resources: Record<string, Obj> = {
  '/api/v1': { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'services', singularName: 'service', namespaced: true, kind: 'Service', verbs: ['get', 'patch', 'create'] }, { name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: ['get', 'patch', 'create'] }] },
  '/apis/apps/v1': { kind: 'APIResourceList', groupVersion: 'apps/v1', resources: [{ name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: ['get', 'patch', 'create'] }] },
};

function reply(res: ServerResponse, code: number, body: unknown, type = 'application/json'): void {
  res.writeHead(code, { 'Content-Type': type });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function run(kubectl: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(kubectl, args, { env, timeout: 30_000 }, (err, out, stderr) => (err ? reject(new Error(stderr.replace(/^error: /, '').trim(), { cause: err })) : resolve(out))),
  );
}

export interface Oracle {
  /** What `kubectl apply -f manifest` sends when the server holds `live`: content type and body. */
  apply(minor: number, manifest: Obj, live: Obj): Promise<{ type: string; body: Obj }>;
  /** `kubectl patch --local`: the patched object, or a rejection with kubectl's error text. */
  patchLocal(obj: Obj, patch: unknown, type: 'strategic' | 'merge' | 'json'): Promise<Obj>;
  close(): void;
}

export function oracle(): Oracle {
  const dir = mkdtempSync(join(tmpdir(), 'mk-patch-'));
  let live: Obj | undefined;
  let sent: { type: string; body: Obj } | undefined;
  let n = 0;
  const server = createServer((req, res) => void handle(req, res));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let data = '';
    for await (const chunk of req) data += chunk;
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/version') return reply(res, 200, { major: '1', minor: '33', gitVersion: 'v1.33.0' });
    if (path === '/api') return reply(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (path === '/apis') return reply(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }] });
    if (resources[path]) return reply(res, 200, resources[path]);
    if (path === '/openapi/v2') return reply(res, 200, '', 'application/octet-stream');
    if (live && path.endsWith(`/${live.metadata.name}`)) {
      if (req.method === 'GET') return reply(res, 200, live);
      if (req.method === 'PATCH') {
        sent = { type: String(req.headers['content-type']), body: JSON.parse(data) };
        return reply(res, 200, live);
      }
    }
    reply(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
  }

  return {
    async apply(minor, manifest, current) {
      if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as { port: number }).port;
      const kubeconfig = join(dir, 'config');
      writeFileSync(
        kubeconfig,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 't', cluster: { server: `http://127.0.0.1:${port}` } }],
          users: [{ name: 't', user: {} }],
          contexts: [{ name: 't', context: { cluster: 't', user: 't', namespace: 'default' } }],
          'current-context': 't',
        }),
      );
      const file = join(dir, `m${n++}.json`);
      writeFileSync(file, JSON.stringify(manifest));
      live = current;
      sent = undefined;
      await run(kubectlBinary(minor), ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'apply', '-f', file]);
      if (!sent) throw new Error('kubectl sent no PATCH');
      return sent;
    },
    async patchLocal(obj, patch, type) {
      const file = join(dir, `o${n++}.json`);
      writeFileSync(file, JSON.stringify(obj));
      const out = await run(kubectlBinary(33), ['patch', '--local', '-f', file, '--type', type, '-p', JSON.stringify(patch), '-o', 'json'], { ...process.env, KUBECONFIG: '/dev/null' });
      return JSON.parse(out);
    },
    close() {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** kubectl prints the unstructured result; the API server's typed decode drops null members. */
export const dropNulls = (v: any): any =>
  Array.isArray(v) ? v.map(dropNulls) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, dropNulls(x)])) : v;

/** `o` with the last-applied annotation kubectl writes (its JSON, newline-terminated). */
export const annotated = (o: Obj): Obj => ({ ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, [LAST_APPLIED]: JSON.stringify(o) + '\n' } } });

/** The new config kubectl diffs against: the manifest as it sent it in the last-applied annotation. */
export function modifiedFromPatch(patch: Obj): Obj {
  const annotation = patch.metadata?.annotations?.[LAST_APPLIED] as string;
  const modified = JSON.parse(annotation);
  modified.metadata.annotations = { ...modified.metadata.annotations, [LAST_APPLIED]: annotation };
  return modified;
}
