// Reaching a running cluster from the host: commands run in a node container (output
// captured), the API server's CA and token read from the control plane's state volume, the
// API server's /readyz polled through the published port on 127.0.0.1.
import { request } from 'node:https';
import { join } from 'node:path';
import { APISERVER_DIR } from '../agent/state-dir.ts';
import type { Runtime } from '../runtime/types.ts';
import { STATE_DIR_IN_NODE } from './image/index.ts';
import { UserError } from '../lib/errors.ts';

export interface Captured { code: number; stdout: string; stderr: string }

export async function execCapture(rt: Runtime, container: string, cmd: string[]): Promise<Captured> {
  const s = await rt.exec(container, cmd);
  const collect = (r: NodeJS.ReadableStream) => new Promise<string>((res, rej) => {
    let t = '';
    r.on('data', (c: Buffer) => (t += c.toString()));
    r.on('end', () => res(t));
    r.on('error', rej);
  });
  const [stdout, stderr, code] = await Promise.all([collect(s.stdout), collect(s.stderr), s.exitCode()]);
  return { code, stdout, stderr };
}

export interface ApiAccess { caPem: string; token: string }

/** The CA and token from the control plane's volume; undefined until the API server wrote them. */
export async function readAccess(rt: Runtime, controlPlane: string): Promise<ApiAccess | undefined> {
  const dir = join(STATE_DIR_IN_NODE, APISERVER_DIR);
  const r = await execCapture(rt, controlPlane, ['cat', join(dir, 'ca.crt'), join(dir, 'token')]);
  if (r.code !== 0) return undefined;
  const end = r.stdout.indexOf('-----END CERTIFICATE-----');
  if (end < 0) return undefined;
  const cut = end + '-----END CERTIFICATE-----'.length;
  const token = r.stdout.slice(cut).trim();
  return token ? { caPem: r.stdout.slice(0, cut) + '\n', token } : undefined;
}

/** GET https://127.0.0.1:PORT/PATH with the cluster CA; the status code, or 0 when nothing answers. */
export function probe(port: number, caPem: string, path = '/readyz', timeoutMs = 2000): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, ca: caPem, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** The last lines a container printed (stdout and stderr), for error messages. */
export async function logTail(rt: Runtime, container: string, lines = 15): Promise<string> {
  try {
    const r = await rt.logs(container, { tail: lines });
    let t = '';
    for await (const c of r) t += String(c);
    return t.trimEnd();
  } catch {
    return '';
  }
}

/** Polls f until it returns a value other than undefined; throws fail() after timeoutMs. Errors
 * from f count as "not yet", except UserErrors, which end the wait. */
export async function poll<T>(f: () => Promise<T | undefined>, timeoutMs: number, fail: () => Error, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f().catch((e) => {
      if (e instanceof UserError) throw e;
      return undefined;
    });
    if (v !== undefined) return v;
    if (Date.now() > end) throw fail();
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
