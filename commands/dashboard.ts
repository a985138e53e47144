// `mk dashboard [-p PROFILE] [--url] [--port N]`: minikube's dashboard command for mk — a page
// served from this process on 127.0.0.1 showing the cluster's Services, endpoints and traffic,
// live, until Ctrl-C.
import { Flags } from '@oclif/core';
import { ClusterCommand, profileFlag } from '../src/cli/cluster-command.ts';

export default class Dashboard extends ClusterCommand {
  static summary = 'Open a live map of the cluster\'s Services, endpoints and traffic in your browser';
  static flags = {
    profile: profileFlag,
    url: Flags.boolean({ default: false, description: 'print the dashboard\'s URL instead of opening a browser' }),
    port: Flags.integer({ default: 0, min: 0, max: 65535, description: 'the port on 127.0.0.1 to serve the dashboard on (0: any free port)' }),
    verbose: Flags.boolean({ default: false, description: 'show stack traces on errors' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Dashboard);
    const cluster = await this.cluster(flags);
    const { runDashboard } = await import('../src/cli/dashboard.ts');
    await this.untilInterrupted((signal) => runDashboard(cluster, { url: flags.url, port: flags.port }, undefined, signal));
  }
}
