// `mk start`: the cluster's steps shown as they run (ink's progress view on a terminal, plain
// lines otherwise), then what happened, in minikube's words: created or restarted and kubectl
// pointed at it, already running (with a context repaired), or started by another mk.
import type { Cluster, StartOptions, StartResult } from '../cluster/index.ts';
import { processOutput, type Output } from '../lib/output.ts';
import { styled } from './style.ts';

export type StartFlags = Pick<Partial<StartOptions>, 'nodes' | 'subnet' | 'keepContext' | 'wait' | 'proxyMode'>;

export async function runStart(cluster: Cluster, o: StartFlags, io: Output = processOutput): Promise<StartResult> {
  const { plainReporter } = await import('../cluster/index.ts');
  const ui = io.tty ? await (await import('../ui/index.ts')).progressReporter(`Starting "${cluster.profile}"`) : undefined;
  let r: StartResult;
  try {
    r = await cluster.start(o, ui?.reporter ?? plainReporter((t) => io.out(t)));
  } finally {
    await ui?.close();
  }
  io.err(otherMkWarning(r));
  io.out(resultLines(r, o, Boolean(io.tty)));
  return r;
}

function otherMkWarning(r: StartResult): string {
  if (!r.otherVersion) return '';
  return `! The "${r.profile}" cluster was started by another mk: its nodes run ${r.otherVersion.running}, this mk's are ${r.otherVersion.mine}. `
    + `To roll its nodes to this mk, keeping every object: mk stop -p ${r.profile} && mk start -p ${r.profile}\n`;
}

function resultLines(r: StartResult, o: StartFlags, tty: boolean): string {
  const nodes = `${r.nodes} node${r.nodes === 1 ? '' : 's'}`;
  if (r.outcome === 'running' && r.contextUpdated) {
    return `The "${r.profile}" cluster is already running (${nodes}).\n`
      + styled('celebrate', `"${r.profile}" context has been updated to point to 127.0.0.1:${r.apiServerPort}`, tty);
  }
  if (r.outcome === 'running') return `The "${r.profile}" cluster is already running (${nodes}); nothing changed.\n`;
  if (o.keepContext) return `Done! Context "${r.profile}" written to ${r.kubeconfigPath}; the current context is unchanged (--keep-context)\n`;
  return `Done! kubectl is now configured to use "${r.profile}" cluster and "default" namespace by default\n`;
}
