// iptables-restore input for the rules of every Service port, applied with --noflush so that
// nothing but our chains is touched (Docker's own DNS rules live in the same nat table):
//  - fullRestore: every chain written (a chain line flushes it), the base chains (KUBE-SERVICES,
//    KUBE-NODEPORTS, KUBE-POSTROUTING, KUBE-MARK-MASQ, and KUBE-FORWARD in filter), leftover
//    service chains of an earlier run deleted, and the jumps from the built-in chains added
//    where missing. At the agent's start and after a failed update.
//  - partialRestore: only what changed between two renderings of some Services: their changed
//    chains rewritten, their gone chains deleted, and their rules in the dispatch chains
//    deleted (-D) or inserted (-I KUBE-SERVICES 1, before the nodeports rule that must stay
//    last; -A KUBE-NODEPORTS) one by one — never rewriting KUBE-SERVICES, whose length grows
//    with the cluster (rewriting 20,000 rules costs seconds; inserting one, milliseconds).
// One iptables-restore run applies either atomically.
import type { PortRules } from './render.ts';
import { KUBE_FORWARD, KUBE_MARK_MASQ, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_SERVICES, MASQ_MARK, isServiceChain } from './names.ts';

/** A jump from a built-in chain to one of ours, as `iptables-save` prints it. */
export interface Jump { table: 'nat' | 'filter'; from: string; args: string }

export const JUMPS: Jump[] = [
  { table: 'nat', from: 'PREROUTING', args: `-m comment --comment "kubernetes service portals" -j ${KUBE_SERVICES}` },
  { table: 'nat', from: 'OUTPUT', args: `-m comment --comment "kubernetes service portals" -j ${KUBE_SERVICES}` },
  { table: 'nat', from: 'POSTROUTING', args: `-m comment --comment "kubernetes postrouting rules" -j ${KUBE_POSTROUTING}` },
  { table: 'filter', from: 'FORWARD', args: `-m comment --comment "kubernetes forwarding rules" -j ${KUBE_FORWARD}` },
];

/** The last rule of KUBE-SERVICES: nodePorts on every local address but loopback (no route_localnet in a node). */
export const NODEPORTS_JUMP = `-m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j ${KUBE_NODEPORTS}`;

const NAT_BASE = [
  `-A ${KUBE_POSTROUTING} -m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`,
  `-A ${KUBE_POSTROUTING} -j MARK --xor-mark ${MASQ_MARK}`,
  `-A ${KUBE_POSTROUTING} -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully`,
  `-A ${KUBE_MARK_MASQ} -j MARK --or-mark ${MASQ_MARK}`,
];

const FILTER_BASE = [
  `-A ${KUBE_FORWARD} -m conntrack --ctstate INVALID -j DROP`,
  `-A ${KUBE_FORWARD} -m comment --comment "kubernetes forwarding rules" -m mark --mark ${MASQ_MARK}/${MASQ_MARK} -j ACCEPT`,
  `-A ${KUBE_FORWARD} -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
];

const chainLine = (name: string) => `:${name} - [0:0]`;

/** What an `iptables-save` of the nat and filter tables says is there already. */
export interface Existing {
  /** chain names of the nat table */
  natChains: Set<string>;
  /** `table from` of every jump of JUMPS present */
  jumps: Set<string>;
}

const jumpKey = (j: Pick<Jump, 'table' | 'from'>) => `${j.table} ${j.from}`;

/** Reads chains and our jumps out of `iptables-save -t nat` and `-t filter` text. */
export function parseExisting(nat: string, filter: string): Existing {
  const natChains = new Set<string>();
  const jumps = new Set<string>();
  for (const line of nat.split('\n')) {
    const m = /^:(\S+)/.exec(line);
    if (m) natChains.add(m[1]!);
  }
  for (const [table, text] of [['nat', nat], ['filter', filter]] as const) {
    for (const j of JUMPS.filter((x) => x.table === table)) {
      const target = j.args.split(' -j ')[1]!;
      if (text.split('\n').some((l) => l.startsWith(`-A ${j.from} `) && l.trimEnd().endsWith(`-j ${target}`))) jumps.add(jumpKey(j));
    }
  }
  return { natChains, jumps };
}

/** Every rule of every Service port, from scratch. */
export function fullRestore(ports: Iterable<PortRules>, existing: Existing): string {
  const all = [...ports];
  const filter = ['*filter', chainLine(KUBE_FORWARD), ...FILTER_BASE];
  for (const j of JUMPS) if (j.table === 'filter' && !existing.jumps.has(jumpKey(j))) filter.push(`-I ${j.from} 1 ${j.args}`);
  filter.push('COMMIT');

  const declared = new Set<string>([KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ]);
  for (const p of all) for (const c of p.chains) declared.add(c.name);
  const stale = [...existing.natChains].filter((c) => isServiceChain(c) && !declared.has(c)).sort();
  // chain lines in name order: iptables-nft keeps its chain list sorted, and inserting in order
  // makes a first write of 10,000 Services 3x faster (20,000: minutes become seconds)
  const nat = ['*nat', ...[...declared, ...stale].sort().map(chainLine), ...NAT_BASE];
  for (const chain of [KUBE_SERVICES, KUBE_NODEPORTS]) {
    for (const p of all) for (const d of p.dispatch) if (d.chain === chain) nat.push(`-A ${chain} ${d.args}`);
  }
  nat.push(`-A ${KUBE_SERVICES} ${NODEPORTS_JUMP}`);
  for (const p of all) for (const c of p.chains) for (const r of c.rules) nat.push(`-A ${c.name} ${r}`);
  for (const c of stale) nat.push(`-X ${c}`);
  for (const j of JUMPS) if (j.table === 'nat' && !existing.jumps.has(jumpKey(j))) nat.push(`-I ${j.from} 1 ${j.args}`);
  nat.push('COMMIT');
  return [...filter, ...nat, ''].join('\n');
}

/** The changes from `before` to `after` (the rules of the changed Service ports; a port absent
 * from `after` is gone). Empty string when nothing changed. */
export function partialRestore(before: Iterable<PortRules>, after: Iterable<PortRules>): string {
  const oldChains = new Map<string, string[]>();
  const newChains = new Map<string, string[]>();
  const oldDispatch = new Set<string>();
  const newDispatch = new Set<string>();
  const key = (chain: string, args: string) => `${chain} ${args}`;
  for (const p of before) {
    for (const c of p.chains) oldChains.set(c.name, c.rules);
    for (const d of p.dispatch) oldDispatch.add(key(d.chain, d.args));
  }
  for (const p of after) {
    for (const c of p.chains) newChains.set(c.name, c.rules);
    for (const d of p.dispatch) newDispatch.add(key(d.chain, d.args));
  }
  const written = [...newChains].filter(([name, rules]) => !sameRules(oldChains.get(name), rules));
  const deleted = [...oldChains.keys()].filter((name) => !newChains.has(name));
  const removed = [...oldDispatch].filter((d) => !newDispatch.has(d));
  const added = [...newDispatch].filter((d) => !oldDispatch.has(d));
  if (!written.length && !deleted.length && !removed.length && !added.length) return '';
  const out = ['*nat', ...[...written.map(([name]) => name), ...deleted].sort().map(chainLine)];
  for (const d of removed) out.push(`-D ${d}`);
  for (const d of added) out.push(d.startsWith(`${KUBE_SERVICES} `) ? `-I ${KUBE_SERVICES} 1 ${d.slice(KUBE_SERVICES.length + 1)}` : `-A ${d}`);
  for (const [name, rules] of written) for (const r of rules) out.push(`-A ${name} ${r}`);
  for (const name of deleted) out.push(`-X ${name}`);
  out.push('COMMIT', '');
  return out.join('\n');
}

function sameRules(a: string[] | undefined, b: string[]): boolean {
  return !!a && a.length === b.length && a.every((r, i) => r === b[i]);
}

/** What removes every rule and chain of ours (an agent started in userspace mode on a node
 * whose earlier agent wrote kernel rules); empty when there is nothing of ours. */
export function cleanupRestore(existing: Existing): string {
  const base = [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ];
  const chains = [...existing.natChains].filter((c) => base.includes(c) || isServiceChain(c)).sort();
  const jumps = JUMPS.filter((j) => existing.jumps.has(jumpKey(j)));
  if (!chains.length && !jumps.length) return '';
  const filter = jumps.some((j) => j.table === 'filter')
    ? ['*filter', chainLine(KUBE_FORWARD), ...jumps.filter((j) => j.table === 'filter').map((j) => `-D ${j.from} ${j.args}`), `-X ${KUBE_FORWARD}`, 'COMMIT']
    : [];
  const nat = ['*nat', ...chains.map(chainLine), ...jumps.filter((j) => j.table === 'nat').map((j) => `-D ${j.from} ${j.args}`), ...chains.map((c) => `-X ${c}`), 'COMMIT'];
  return [...filter, ...nat, ''].join('\n');
}
