// The flags of `mk run`, as kubectl run's (kept cheap to import: only @oclif/core), and the
// options they give src/cli/run.ts.
import { Flags, type Interfaces } from '@oclif/core';
import { clientFlags } from './base-command.ts';
import { parseDuration } from './logs.ts';
import type { RunCliOptions } from './run.ts';

export const runFlags = {
  ...clientFlags,
  image: Flags.string({ description: 'the image for the container to run' }),
  stdin: Flags.boolean({ char: 'i', default: false, description: 'keep stdin open on the container in the pod, even if nothing is attached' }),
  tty: Flags.boolean({ char: 't', default: false, description: 'allocate a TTY for the container in the pod' }),
  attach: Flags.boolean({ allowNo: true, description: 'wait for the pod to start running, then attach to it (default: with -i)' }),
  rm: Flags.boolean({ default: false, description: 'delete the pod after it exits (only when attaching)' }),
  restart: Flags.string({ default: 'Always', description: 'the restart policy for this pod: Always, OnFailure, Never' }),
  env: Flags.string({ multiple: true, default: [], description: 'environment variables to set in the container (NAME=VALUE)' }),
  labels: Flags.string({ char: 'l', description: 'comma separated labels to apply to the pod (default: run=NAME)' }),
  annotations: Flags.string({ multiple: true, default: [], description: 'annotations to apply to the pod' }),
  port: Flags.string({ description: 'the port that this container exposes' }),
  expose: Flags.boolean({ default: false, description: 'create a ClusterIP service for the pod (requires --port)' }),
  command: Flags.boolean({ default: false, description: 'use the arguments after -- as the container\'s command instead of its args' }),
  'image-pull-policy': Flags.string({ description: 'Always, IfNotPresent or Never (default: the server\'s)' }),
  privileged: Flags.boolean({ default: false, description: 'run the container in privileged mode' }),
  'leave-stdin-open': Flags.boolean({ default: false, description: 'leave stdin open after the first attach completes' }),
  quiet: Flags.boolean({ char: 'q', default: false, description: 'suppress prompt messages' }),
  'dry-run': Flags.string({ options: ['none', 'server', 'client'], default: 'none' }),
  'pod-running-timeout': Flags.string({ default: '1m0s', description: 'how long to wait until the pod is running (e.g. 5s, 2m)' }),
};

/** What `mk run NAME [-- ARGS…]`'s flags ask for. */
export function runOptions(name: string | undefined, args: string[], f: Interfaces.InferredFlags<typeof runFlags>): RunCliOptions {
  return {
    namespace: f.namespace, name, image: f.image, stdin: f.stdin, tty: f.tty, attach: f.attach, rm: f.rm,
    restart: f.restart, env: f.env, labels: f.labels, annotations: f.annotations, port: f.port, expose: f.expose,
    command: f.command, args, imagePullPolicy: f['image-pull-policy'], privileged: f.privileged,
    leaveStdinOpen: f['leave-stdin-open'], quiet: f.quiet, dryRun: f['dry-run'] as 'none' | 'server' | 'client',
    timeoutMs: parseDuration(f['pod-running-timeout']) * 1000,
  };
}
