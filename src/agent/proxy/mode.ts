// The proxy's mode on this node. `iptables` (the agent's default): the Service table is also
// written to the kernel as kube-proxy's rules (iptables/), so connections are NATed by the kernel
// and no byte crosses user space; the in-process planes keep listening underneath, for whatever
// has no rule (no endpoint, a rule not written yet). When iptables cannot be used here, the
// agent says why, once, and stays in `userspace`. `userspace`: the in-process planes alone, and
// rules an earlier agent left on the node are removed.
import type { Netfilter } from './iptables/netfilter.ts';
import { hostNetfilter, probe } from './iptables/netfilter.ts';
import { cleanupRestore, parseExisting } from './iptables/restore.ts';
import { packetsCleanup, parsePackets } from './iptables/packets.ts';
import { IptablesSync, type SyncTable } from './iptables/sync.ts';

import type { ProxyMode } from '../../api/network.ts';

export { PROXY_MODES, type ProxyMode } from '../../api/network.ts';

export interface KernelOptions {
  mode: ProxyMode;
  table: SyncTable & { onChange?: (service: string) => void };
  nodeName: string;
  podCIDR?: string;
  netfilter?: Netfilter;
  log?: (line: string) => void;
}

export interface ModeState {
  /** what serves the Services on this node */
  mode: ProxyMode;
  /** why iptables mode was asked for and not used */
  reason?: string;
  /** the kernel rules' controller, in iptables mode */
  sync?: IptablesSync;
  /** stops the controller (the rules stay) and the netfilter tools' shell */
  stop?(): Promise<void>;
}

/** Chooses the mode and, in iptables mode, starts the controller (its first write runs in the background: `sync.ready`). */
export async function startMode(o: KernelOptions): Promise<ModeState> {
  const nf = o.netfilter ?? hostNetfilter();
  if (o.mode === 'userspace') {
    await removeLeftovers(nf, o.log);
    nf.close?.();
    return { mode: 'userspace' };
  }
  const reason = await probe(nf);
  if (reason) {
    nf.close?.();
    o.log?.(`proxy: iptables mode cannot be used on this node: ${reason}; Services are served in user space`);
    return { mode: 'userspace', reason };
  }
  const sync = new IptablesSync({ table: o.table, netfilter: nf, nodeName: o.nodeName, podCIDR: o.podCIDR, log: o.log, countPackets: true });
  o.table.onChange = (s) => sync.changed(s);
  sync.start();
  return {
    mode: 'iptables',
    sync,
    stop: async () => {
      await sync.stop();
      nf.close?.();
    },
  };
}

async function removeLeftovers(nf: Netfilter, log?: (line: string) => void): Promise<void> {
  try {
    const text = cleanupRestore(parseExisting(await nf.save('nat'), await nf.save('filter')));
    const packets = packetsCleanup(parsePackets(await nf.save('mangle')));
    if (!text && !packets) return;
    if (text) await nf.restore(text);
    if (packets) await nf.restore(packets);
    log?.('proxy: removed the iptables rules an earlier agent wrote (userspace mode)');
  } catch {
    // no iptables here (an older node image) or not allowed: then there is nothing of ours either
  }
}
