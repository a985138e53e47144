// Pod IPs from the node's pod CIDR, held in memory and rebuilt from the sandboxes that exist
// (their IPs are on the Docker containers). Network, broadcast and the first host address
// (the bridge's in Kubernetes' CNI convention) are never handed out.
import { UserError } from '../../lib/errors.ts';

function toInt(ip: string): number {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) throw new UserError(`${ip} is not an IPv4 address`);
  return ((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!;
}
const toIP = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

export class PodIPAllocator {
  readonly cidr: string;
  private readonly first: number;
  private readonly last: number;
  private readonly used = new Map<string, string>(); // ip -> owner (pod uid)
  private cursor: number;

  constructor(cidr: string) {
    const [base, bitsText] = cidr.split('/');
    const bits = Number(bitsText);
    if (!base || !Number.isInteger(bits) || bits < 8 || bits > 30) throw new UserError(`pod CIDR ${cidr} is not an IPv4 CIDR between /8 and /30`);
    const size = 2 ** (32 - bits);
    const net = Math.floor(toInt(base) / size) * size;
    this.cidr = cidr;
    this.first = net + 2;
    this.last = net + size - 2;
    this.cursor = this.first;
  }

  contains(ip: string): boolean {
    const n = toInt(ip);
    return n >= this.first && n <= this.last;
  }

  /** Marks an address taken (rebuilding from existing sandboxes); false when outside the range. */
  reserve(ip: string, owner: string): boolean {
    if (!this.contains(ip)) return false;
    this.used.set(ip, owner);
    return true;
  }

  /** The owner's address if it has one, else the next free one. */
  allocate(owner: string): string {
    for (const [ip, o] of this.used) if (o === owner) return ip;
    const count = this.last - this.first + 1;
    for (let i = 0; i < count; i++) {
      const n = this.first + ((this.cursor - this.first + i) % count);
      const ip = toIP(n);
      if (!this.used.has(ip)) {
        this.used.set(ip, owner);
        this.cursor = n + 1 > this.last ? this.first : n + 1;
        return ip;
      }
    }
    throw new UserError(`no free pod IP left in ${this.cidr}`, 'Delete pods on this node or give it a larger pod CIDR.');
  }

  release(owner: string): void {
    for (const [ip, o] of [...this.used]) if (o === owner) this.used.delete(ip);
  }

  inUse(): number {
    return this.used.size;
  }
}
