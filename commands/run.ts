// `mk run NAME --image=I [-i] [-t] [--rm] [--restart=…] [--env …] [--labels …] [--port P] [--command] [-- CMD ARGS…]`:
// kubectl run's bare Pod; with -i, attached as `mk attach` does. The container's exit code becomes mk's.
import { Args, Flags } from '@oclif/core';
import { MkCommand, clientFlags } from '../src/cli/base-command.ts';

export default class Run extends MkCommand {
  static summary = 'Run a particular image on the cluster';
  static strict = false;
  static args = { name: Args.string({ description: 'the pod\'s name' }) };
  static flags = {
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

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Run);
    const [name, ...args] = argv as string[];
    const client = await this.client(flags);
    const { streamTarget } = await import('../src/client/streams/connection.ts');
    const { runRunCommand } = await import('../src/cli/run.ts');
    const { parseDuration } = await import('../src/cli/logs.ts');
    const code = await runRunCommand(
      client,
      streamTarget(flags),
      {
        namespace: flags.namespace, name, image: flags.image, stdin: flags.stdin, tty: flags.tty, attach: flags.attach, rm: flags.rm,
        restart: flags.restart, env: flags.env, labels: flags.labels, annotations: flags.annotations, port: flags.port, expose: flags.expose,
        command: flags.command, args, imagePullPolicy: flags['image-pull-policy'], privileged: flags.privileged,
        leaveStdinOpen: flags['leave-stdin-open'], quiet: flags.quiet, dryRun: flags['dry-run'] as 'none' | 'server' | 'client',
        timeoutMs: parseDuration(flags['pod-running-timeout']) * 1000,
      },
      { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
    );
    if (code !== 0) {
      const { SilentExit } = await import('../src/cli/errors.ts');
      throw new SilentExit(code);
    }
  }
}
