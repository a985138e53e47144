// The base of every cluster-facing command: the flags kubectl users expect on all of them
// (-n, --kubeconfig, --context, --verbose) and a client built from them. Errors are not
// printed here: they propagate to bin/mk.js, which prints them once.
// Kept cheap to import (only @oclif/core): the client module is loaded on first use, so that
// `mk --version` and `mk <cmd> --help` never load it.
import { Command, Flags } from '@oclif/core';
import type { KubeClient } from '../client/index.ts';

export const clientFlags = {
  namespace: Flags.string({ char: 'n', description: 'namespace to use (default: the context\'s)' }),
  kubeconfig: Flags.string({ description: 'path to the kubeconfig file' }),
  context: Flags.string({ description: 'kubeconfig context to use' }),
  verbose: Flags.boolean({ description: 'show stack traces on errors', default: false }),
};

export abstract class MkCommand extends Command {
  private kc?: KubeClient;

  protected async client(flags: { namespace?: string; kubeconfig?: string; context?: string }): Promise<KubeClient> {
    if (!this.kc) {
      const { KubeClient } = await import('../client/index.ts');
      this.kc ??= KubeClient.fromKubeconfig({ path: flags.kubeconfig, context: flags.context, namespace: flags.namespace });
      // as kubectl: each distinct server warning once, on stderr
      const seen = new Set<string>();
      this.kc.onWarning = (w) => {
        if (seen.has(w)) return;
        seen.add(w);
        process.stderr.write(`Warning: ${w}\n`);
      };
    }
    return this.kc;
  }

  protected async finally(err: Error | undefined): Promise<unknown> {
    this.kc?.close();
    return super.finally(err);
  }

  protected async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    throw err;
  }
}
