// `mk expose (deployment|rs|pod|svc) NAME [--port] [--target-port] [--type] …`: kubectl's expose.
import { Args, Flags } from '@oclif/core';
import { MkCommand, clientFlags } from '../src/cli/base-command.ts';

export default class Expose extends MkCommand {
  static summary = 'Take a deployment, replica set, pod or service and expose it as a new Service';
  static strict = false;
  static args = { resource: Args.string({ description: 'TYPE NAME or TYPE/NAME (deployment, rs, pod, svc)' }) };
  static flags = {
    ...clientFlags,
    port: Flags.string({ description: 'the port the service serves on (default: the ports of the exposed object)' }),
    'target-port': Flags.string({ description: 'name or number of the port on the pods to send traffic to (default: --port)' }),
    type: Flags.string({ description: 'ClusterIP, NodePort, LoadBalancer or ExternalName (default ClusterIP)' }),
    name: Flags.string({ description: 'the name of the new Service (default: the object\'s)' }),
    protocol: Flags.string({ description: 'TCP, UDP or SCTP (default: the object\'s, else TCP)' }),
    selector: Flags.string({ description: 'k=v,... pod selector (default: the object\'s)' }),
    'session-affinity': Flags.string({ description: 'None or ClientIP' }),
    'external-ip': Flags.string({ description: 'an external IP address to accept traffic on' }),
    'load-balancer-ip': Flags.string({ description: 'the IP to ask for a LoadBalancer Service' }),
    'cluster-ip': Flags.string({ description: 'the ClusterIP to ask for ("None" for a headless Service)' }),
    labels: Flags.string({ char: 'l', description: 'labels for the Service (default: the object\'s)' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Expose);
    const { runExpose, exposeOptions } = await import('../src/cli/expose.ts');
    await runExpose(await this.client(flags), argv as string[], exposeOptions(flags));
  }
}
