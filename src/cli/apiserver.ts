// `mk apiserver`: the API server in the foreground, with the kubeconfig context written for it.
// Resolves when the server has been closed after SIGINT/SIGTERM (or `stop` is aborted).
// It never replaces a context it did not write: the name of a cluster `mk start` made (running
// or not), or a context that points somewhere else, is refused before anything starts, naming
// the cluster and the -p/--profile flag that picks another context name.
import { Cluster, isRecorded, MK_VERSION } from '../cluster/index.ts';
import { kubeconfigPath, mkExtensionOf, readConfig, saveClusterAccess, MK_PROVIDER } from '../kubeconfig/index.ts';
import { UserError } from '../lib/errors.ts';
import { processOutput, type Output } from '../lib/output.ts';

export interface ApiServerRunOptions {
  dataDir: string;
  host?: string;
  port?: number;
  profile?: string;
  kubeconfig?: string;
  env?: NodeJS.ProcessEnv;
  /** whether the cluster `mk start` made under a name runs (for the refusal's words; default: ask Docker) */
  clusterState?: (profile: string) => Promise<'running' | 'stopped' | undefined>;
  /** Aborting stops the server; by default SIGINT and SIGTERM do. */
  stop?: AbortSignal;
}

export async function runApiServer(o: ApiServerRunOptions, io: Output = processOutput): Promise<void> {
  const profile = o.profile ?? 'mk';
  const env = o.env ?? process.env;
  const path = o.kubeconfig ?? kubeconfigPath(env);
  await mustBeFree(profile, path, env, o.clusterState ?? dockerClusterState);
  const { startApiServer } = await import('../apiserver/index.ts');
  const srv = await startApiServer({ dataDir: o.dataDir, host: o.host, port: o.port });
  saveClusterAccess({ profile, server: srv.url, caPem: srv.caPem, token: srv.token, extension: { provider: MK_PROVIDER, version: MK_VERSION, server: 'apiserver' } }, { path });
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

/** Refuses a context name that belongs to a cluster `mk start` made, or to another server. */
async function mustBeFree(name: string, path: string, env: NodeJS.ProcessEnv, clusterState: NonNullable<ApiServerRunOptions['clusterState']>): Promise<void> {
  const other = `Run this API server under another context name with -p/--profile NAME (e.g. -p ${name}-apiserver)`;
  if (await isRecorded(name, { env })) {
    const state = await clusterState(name).catch(() => undefined);
    throw new UserError(
      `the kubeconfig context "${name}" belongs to the ${state ? `${state} ` : ''}cluster "${name}" (made by "mk start"); mk apiserver will not replace it`,
      `${other}, or delete that cluster first with "mk delete -p ${name}".`,
    );
  }
  const cfg = readConfig(path);
  const ctx = cfg.contexts.find((c) => c.name === name);
  if (!ctx || mkExtensionOf(cfg, name)?.server === 'apiserver') return;
  const server = cfg.clusters.find((c) => c.name === ctx.context.cluster)?.cluster.server;
  throw new UserError(
    `the kubeconfig context "${name}" in ${path} points at ${server ?? 'another cluster'}, not at an API server "mk apiserver" ran; mk apiserver will not replace it`,
    `${other}, or remove that context first with "kubectl config delete-context ${name}".`,
  );
}

async function dockerClusterState(profile: string): Promise<'running' | 'stopped' | undefined> {
  const state = await Cluster.open(profile).state();
  return state === 'running' || state === 'stopped' ? state : undefined;
}
