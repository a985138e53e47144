// kube-proxy's iptables names, computed as pkg/proxy/iptables/proxier.go computes them, so a
// Service's chains on an mk node have the names a tutorial shows (`default/hello-world`, port
// unnamed, TCP -> KUBE-SVC-DZ6LTOHRG6HQWHYE): the first 16 characters of the base32 (RFC 4648,
// upper case) of the SHA-256 of the service port's name (`namespace/name` or
// `namespace/name:port`) followed by the lower-case protocol, plus, for an endpoint's chain, its
// `ip:port`. Also the fixed chains, the masquerade mark and the statistic probabilities.
import { createHash } from 'node:crypto';

export const KUBE_SERVICES = 'KUBE-SERVICES';
export const KUBE_NODEPORTS = 'KUBE-NODEPORTS';
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING';
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ';
export const KUBE_FORWARD = 'KUBE-FORWARD';

/** kube-proxy's default --iptables-masquerade-bit 14 */
export const MASQ_MARK = '0x4000';

/** The prefixes of the chains made per Service port and per endpoint (the ones a sync may delete). */
export const SERVICE_CHAIN_PREFIXES = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-EXT-', 'KUBE-FW-', 'KUBE-SEP-'] as const;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding needed: only a prefix is used). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = ((value << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

const hash16 = (s: string) => base32(createHash('sha256').update(s).digest()).slice(0, 16);

/** `namespace/name` or `namespace/name:port` (proxy.ServicePortName.String()) */
export function servicePortName(service: string, portName: string): string {
  return portName ? `${service}:${portName}` : service;
}

/** The per-port hash (portProtoHash): protocol is TCP, UDP or SCTP, hashed in lower case. */
export function portProtoHash(servicePort: string, protocol: string): string {
  return hash16(servicePort + protocol.toLowerCase());
}

/** The chains of one Service port: Cluster policy, Local policy, external traffic, firewall. */
export function serviceChains(servicePort: string, protocol: string): { svc: string; svl: string; ext: string; fw: string } {
  const h = portProtoHash(servicePort, protocol);
  return { svc: `KUBE-SVC-${h}`, svl: `KUBE-SVL-${h}`, ext: `KUBE-EXT-${h}`, fw: `KUBE-FW-${h}` };
}

/** An endpoint's chain (servicePortEndpointChainName); `endpoint` is `ip:port`. */
export function endpointChain(servicePort: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${hash16(servicePort + protocol.toLowerCase() + endpoint)}`;
}

export function isServiceChain(chain: string): boolean {
  return SERVICE_CHAIN_PREFIXES.some((p) => chain.startsWith(p));
}

/** The probability of the i-th of n endpoints' rule (1/(n-i)), as kube-proxy prints it: %0.10f. */
export function probability(remaining: number): string {
  return (1 / remaining).toFixed(10);
}
