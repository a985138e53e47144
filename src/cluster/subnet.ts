// Addresses of a cluster's Docker network: choosing a free private /16 that no network of the
// engine overlaps, and the fixed layout inside it (gateway .0.1, node i at .0.(i+1), the engine's
// own picks confined to .0.0/24, node i's pods in .i.0/24). Pure functions; no Docker.
import { UserError } from '../lib/errors.ts';

export const DEFAULT_SUBNET = '10.244.0.0/16';

export interface ClusterNet {
  /** `10.244.0.0/16` */
  subnet: string;
  /** `10.244.0.1` */
  gateway: string;
  /** where Docker may pick addresses itself: `10.244.0.0/24` */
  ipRange: string;
}

interface Cidr { base: number; bits: number }

function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new UserError(`invalid IPv4 address "${ip}"`);
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) throw new UserError(`invalid IPv4 address "${ip}"`);
    n = n * 256 + v;
  }
  return n;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** undefined for IPv6 or malformed entries (they cannot clash with an IPv4 range) */
function parseCidr(s: string): Cidr | undefined {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(s.trim());
  if (!m) return undefined;
  const bits = Number(m[2]);
  if (bits > 32) return undefined;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  try { return { base: (ipToInt(m[1]!) & mask) >>> 0, bits }; } catch { return undefined; }
}

function size(c: Cidr): number { return 2 ** (32 - c.bits); }

export function overlaps(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  return x.base < y.base + size(y) && y.base < x.base + size(x);
}

/** The /16 candidates in order: 10.244 first, then 10.245 … 10.255, 10.0 … 10.243, then 172.16 … 172.31. */
function candidates(): string[] {
  const out = [DEFAULT_SUBNET];
  for (let b = 245; b <= 255; b++) out.push(`10.${b}.0.0/16`);
  for (let b = 0; b < 244; b++) out.push(`10.${b}.0.0/16`);
  for (let b = 16; b <= 31; b++) out.push(`172.${b}.0.0/16`);
  return out;
}

/** The layout of a network on `subnet` (a /16 … /22 IPv4 range). */
export function clusterNet(subnet: string): ClusterNet {
  const c = parseCidr(subnet);
  if (!c) throw new UserError(`invalid subnet "${subnet}"`, 'Give an IPv4 CIDR such as 10.244.0.0/16.');
  if (c.bits > 22 || c.bits < 8) throw new UserError(`subnet ${subnet} must be between /8 and /22`, 'The nodes take x.x.0.0/24 and each node\'s pods the next /24s; 10.244.0.0/16 is the default.');
  const norm = `${intToIp(c.base)}/${c.bits}`;
  return { subnet: norm, gateway: intToIp(c.base + 1), ipRange: `${intToIp(c.base)}/24` };
}

/** A requested subnet (checked against the used ones) or the first free candidate. */
export function chooseSubnet(used: string[], requested?: string): ClusterNet {
  if (requested) {
    const net = clusterNet(requested);
    const clash = used.find((u) => overlaps(u, net.subnet));
    if (clash) throw new UserError(`subnet ${net.subnet} overlaps the Docker network range ${clash}`, 'Choose another --subnet, or leave it out to pick a free one.');
    return net;
  }
  for (const cand of candidates()) if (!used.some((u) => overlaps(u, cand))) return clusterNet(cand);
  throw new UserError('no free private /16 for the cluster network (10.x and 172.16–31 are all in use)', 'Remove unused Docker networks (docker network prune) or pass --subnet.');
}

/** Node number i (1 = control plane) → its address, `.0.(i+1)`. */
export function nodeIP(net: ClusterNet, i: number): string {
  return intToIp(parseCidr(net.subnet)!.base + 1 + i);
}

/** Node number i (1 = control plane) → its pods' /24, `.i.0/24`. */
export function podCIDR(net: ClusterNet, i: number): string {
  const c = parseCidr(net.subnet)!;
  if (i * 256 >= size(c)) throw new UserError(`subnet ${net.subnet} has no room for the pods of node ${i}`, 'Use a larger --subnet (a /16 holds 255 nodes).');
  return `${intToIp(c.base + i * 256)}/24`;
}
