// `mk dashboard [--url] [--port N]`: serves the dashboard (src/dashboard) from this process on
// 127.0.0.1, prints its URL as minikube does (`🎉  Opening URL in your default browser...`, or
// the URL alone with --url), opens the browser where there is one, and stays up until Ctrl-C.
// The page follows the API with the cluster's own credentials (as `mk status` reaches it, so a
// stale kubeconfig context does not matter) and its traffic comes from every node's proxy
// counters, both through the Cluster.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ListWatchClient } from '../client/informer.ts';
import type { Cluster } from '../cluster/index.ts';
import { startDashboard, type RunningDashboard } from '../dashboard/server/index.ts';
import { UserError } from '../lib/errors.ts';
import { processOutput, type Output } from '../lib/output.ts';
import { say } from './style.ts';

export interface DashboardOptions {
  url?: boolean;
  port?: number;
}

/** What the dashboard needs of the cluster: its API, its nodes' proxy counters, its name. */
export type DashboardCluster = Pick<Cluster, 'profile' | 'proxyRulesOfEveryNode'> & { client(): Promise<ListWatchClient & { close?(): void }> };

/** A command that opens a URL in the user's browser here, or undefined when there is none:
 * $BROWSER; `open` on macOS; `cmd /c start` on Windows; elsewhere xdg-open, with a display. */
export function browserCommand(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string[] | undefined {
  if (env.BROWSER) return [env.BROWSER];
  if (platform === 'darwin') return ['open'];
  if (platform === 'win32') return ['cmd', '/c', 'start', '""'];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined; // xdg-open would start a text browser in this terminal
  const found = (env.PATH ?? '').split(delimiter).some((d) => {
    try {
      accessSync(join(d, 'xdg-open'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  return found ? ['xdg-open'] : undefined;
}

/** Starts the browser on url, detached; false when there is none (never throws). */
export function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const cmd = browserCommand(env);
  if (!cmd) return false;
  try {
    const child = spawn(cmd[0]!, [...cmd.slice(1), url], { detached: true, stdio: 'ignore', env });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

/** Waits for the informers' first lists or their first failure, whichever comes first (at most
 * `ms`: a slow API server does not hold the URL back; the page shows when it answers). */
async function firstAnswer(d: RunningDashboard, ms: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: string | undefined) => {
      if (done) return;
      done = true;
      clearInterval(t);
      clearTimeout(limit);
      resolve(v);
    };
    const t = setInterval(() => d.feed.watch.health !== undefined && finish(d.feed.watch.health), 10);
    const limit = setTimeout(() => finish(undefined), ms);
    void d.feed.watch.synced().then(() => finish(undefined));
  });
}

/** Runs the dashboard until `signal` aborts; returns its URL. */
export async function runDashboard(cluster: DashboardCluster, o: DashboardOptions, out: Output = processOutput, signal: AbortSignal = new AbortController().signal, open: (url: string) => boolean = openBrowser): Promise<string> {
  const client = await cluster.client(); // says when the profile is not there or not running
  let d: RunningDashboard | undefined;
  try {
    d = await startDashboard({ client, port: o.port, traffic: () => cluster.proxyRulesOfEveryNode() });
    const error = await firstAnswer(d, 2000);
    if (error !== undefined) {
      throw new UserError(`the cluster's API server does not answer: ${error}`, `"mk status -p ${cluster.profile}" says how the cluster is; "mk start -p ${cluster.profile}" starts it.`);
    }
    if (o.url) out.out(`${d.url}\n`);
    else {
      say(out, 'celebrate', `Opening ${d.url} in your default browser...`);
      if (!open(d.url)) say(out, 'tip', `No browser to open here (no $BROWSER, or no display for xdg-open): open ${d.url} in yours. Ctrl-C stops the dashboard.`, { err: true });
    }
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    return d.url;
  } finally {
    await d?.close();
    client.close?.();
  }
}
