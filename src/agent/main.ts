// The agent's entry point in a node container (`mk agent …` in the executable's node image):
//   node /opt/mk/src/agent/main.ts --role control-plane|worker --cluster P --node-name N
//     --node-ip IP --pod-cidr CIDR --network NET --control-plane-ip IP --sandbox-image IMG
//     [--proxy-mode iptables|userspace]
// Logs go to stdout (docker logs). SIGTERM/SIGINT stop it cleanly; a start failure exits 1 so
// Docker's restart policy tries again.
import { parseArgs } from 'node:util';
import { runAgent, type AgentOptions } from './agent.ts';
import { APISERVER_PORT, DEFAULT_PROXY_MODE, DNS_IP, PROXY_MODES, SERVICE_CIDR, type ProxyMode } from '../api/network.ts';

export function parseAgentArgs(argv: string[]): AgentOptions {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      role: { type: 'string' },
      cluster: { type: 'string' },
      'node-name': { type: 'string' },
      'node-ip': { type: 'string' },
      'pod-cidr': { type: 'string' },
      network: { type: 'string' },
      'control-plane-ip': { type: 'string' },
      'sandbox-image': { type: 'string' },
      'state-dir': { type: 'string', default: '/var/lib/mk' },
      port: { type: 'string', default: String(APISERVER_PORT) },
      'service-cidr': { type: 'string', default: SERVICE_CIDR },
      'dns-ip': { type: 'string', default: DNS_IP },
      'proxy-mode': { type: 'string', default: DEFAULT_PROXY_MODE },
    },
  });
  const need = (k: keyof typeof v): string => {
    const x = v[k];
    if (typeof x !== 'string' || x === '') throw new Error(`mk agent: --${k} is required`);
    return x;
  };
  const role = need('role');
  if (role !== 'control-plane' && role !== 'worker') throw new Error(`mk agent: --role must be control-plane or worker, not "${role}"`);
  const proxyMode = need('proxy-mode') as ProxyMode;
  if (!PROXY_MODES.includes(proxyMode)) throw new Error(`mk agent: --proxy-mode must be ${PROXY_MODES.join(' or ')}, not "${proxyMode}"`);
  return {
    role,
    cluster: need('cluster'),
    nodeName: need('node-name'),
    nodeIP: need('node-ip'),
    podCIDR: need('pod-cidr'),
    network: need('network'),
    controlPlaneIP: need('control-plane-ip'),
    sandboxImage: need('sandbox-image'),
    stateDir: need('state-dir'),
    port: Number(need('port')),
    serviceCIDR: need('service-cidr'),
    dnsIP: need('dns-ip'),
    proxyMode,
  };
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const opts = parseAgentArgs(argv);
  console.log(`agent: ${opts.role} ${opts.nodeName} of cluster ${opts.cluster}`);
  const agent = await runAgent(opts);
  const stop = () => void agent.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (import.meta.main) {
  main().catch((e) => {
    console.error(`agent: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    process.exit(1);
  });
}
