// The base of every mk command: the flags kubectl users expect (-n, --kubeconfig, --context,
// --verbose), a client built from them, printing, an exit code without a message, and a run
// that Ctrl-C ends cleanly. Errors are not printed here: they propagate to bin/mk.js, which
// prints them once.
// Kept cheap to import (only @oclif/core): the client module is loaded on first use, so that
// `mk --version` and `mk <cmd> --help` never load it.
import { Command, Flags } from '@oclif/core';
import type { KubeClient } from '../client/index.ts';
import type { StreamTarget } from '../client/streams/connection.ts';

export const clientFlags = {
  namespace: Flags.string({ char: 'n', description: 'namespace to use (default: the context\'s)' }),
  kubeconfig: Flags.string({ description: 'path to the kubeconfig file' }),
  context: Flags.string({ description: 'kubeconfig context to use' }),
  verbose: Flags.boolean({ description: 'show stack traces on errors', default: false }),
};

/** What `exec` and `attach` share, as kubectl's: the container, and stdin with or without a TTY. */
export const containerStreamFlags = {
  container: Flags.string({ char: 'c', description: 'container name (default: the pod\'s default container)' }),
  stdin: Flags.boolean({ char: 'i', default: false, description: 'pass stdin to the container' }),
  tty: Flags.boolean({ char: 't', default: false, description: 'stdin is a TTY' }),
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

  /** Where exec, attach, logs and port-forward streams go: the same context as client(). */
  protected async connection(flags: { namespace?: string; kubeconfig?: string; context?: string }): Promise<StreamTarget> {
    const { streamTarget } = await import('../client/streams/connection.ts');
    return streamTarget(flags);
  }

  /** Writes to stdout. */
  protected print(text: string): void {
    process.stdout.write(text);
  }

  /** Ends the command with this exit code (nothing printed) when it is not 0. */
  protected async exitWith(code: number): Promise<void> {
    if (code === 0) return;
    const { SilentExit } = await import('./errors.ts');
    throw new SilentExit(code);
  }

  /** Runs `f` until it settles; Ctrl-C or SIGTERM abort its signal (it then cleans up and returns). */
  protected async untilInterrupted<T>(f: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      return await f(abort.signal);
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  }

  protected async finally(err: Error | undefined): Promise<unknown> {
    this.kc?.close();
    return super.finally(err);
  }

  protected async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    throw err;
  }
}
