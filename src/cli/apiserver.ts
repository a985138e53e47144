// `mk apiserver`: the API server in the foreground, with the kubeconfig context written for it.
// Resolves when the server has been closed after SIGINT/SIGTERM (or `stop` is aborted).
import { saveClusterAccess } from '../kubeconfig/index.ts';
import type { Output } from './io.ts';

export interface ApiServerRunOptions {
  dataDir: string;
  host?: string;
  port?: number;
  profile?: string;
  kubeconfig?: string;
  /** Aborting stops the server; by default SIGINT and SIGTERM do. */
  stop?: AbortSignal;
}

export async function runApiServer(o: ApiServerRunOptions, io: Output): Promise<void> {
  const { startApiServer } = await import('../apiserver/index.ts');
  const srv = await startApiServer({ dataDir: o.dataDir, host: o.host, port: o.port });
  const profile = o.profile ?? 'mk';
  const path = saveClusterAccess({ profile, server: srv.url, caPem: srv.caPem, token: srv.token }, { path: o.kubeconfig });
  io.out(`API server listening on ${srv.url}\n`);
  io.out(`Wrote context "${profile}" to ${path} (now the current context)\n`);
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    if (o.stop) o.stop.addEventListener('abort', done, { once: true });
    else {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    }
  });
  io.out('Stopping the API server\n');
  await srv.close();
}
