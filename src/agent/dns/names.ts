// Name helpers for the cluster zone: normalising names, dashed IPv4 labels (10-244-1-95) as the
// Kubernetes DNS specification uses them for pods and headless endpoints, and in-addr.arpa names.
import { isIPv4 } from 'node:net';

/** Lower case without the trailing dot. */
export function normalize(name: string): string {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  return n.toLowerCase();
}

export function dashed(ip: string): string {
  return ip.replaceAll('.', '-');
}

/** `10-244-1-95` → `10.244.1.95`; anything else → undefined. */
export function undash(label: string): string | undefined {
  const ip = label.replaceAll('-', '.');
  return label.split('-').length === 4 && isIPv4(ip) && !/(^|\.)0\d/.test(ip) ? ip : undefined;
}

export const REVERSE_ZONE = 'in-addr.arpa';

/** `95.1.244.10.in-addr.arpa` → `10.244.1.95`; partial or invalid names → undefined. */
export function reverseToIP(name: string): string | undefined {
  if (!name.endsWith('.' + REVERSE_ZONE)) return undefined;
  const parts = name.slice(0, -REVERSE_ZONE.length - 1).split('.');
  if (parts.length !== 4) return undefined;
  const ip = parts.reverse().join('.');
  return isIPv4(ip) && !/(^|\.)0\d/.test(ip) ? ip : undefined;
}

/** Is `name` the zone or inside it? */
export function inZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith('.' + zone);
}
