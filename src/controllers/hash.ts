// Names the controllers make: the pod-template-hash of a Deployment's template (Kubernetes'
// controller.ComputeHash: FNV-32a over the template, then the collision count as 8
// little-endian bytes, printed in decimal and mapped through rand.SafeEncodeString), and the
// 5-character suffixes of generated pod names (utilrand.String). Kubernetes hashes a spew dump
// of the Go struct; mk hashes the template's JSON with sorted keys: stable, not identical.

import { canonicalJson } from '../lib/canonical-json.ts';

export { canonicalJson };

/** Kubernetes' alphabet for generated names: no vowels, no 0/1/3 (no words, no look-alikes). */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: each byte of s becomes SAFE_ALPHABET[byte % 27]. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += SAFE_ALPHABET[b % SAFE_ALPHABET.length];
  return out;
}

export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(Buffer.from(canonicalJson(template), 'utf8'));
  if (collisionCount !== undefined && collisionCount !== null) {
    const extra = Buffer.alloc(8);
    extra.writeUInt32LE(collisionCount >>> 0, 0);
    h = fnv32a(extra, h);
  }
  return safeEncodeString(String(h));
}

/** utilrand.String(n): n characters of SAFE_ALPHABET. */
export function randomSuffix(random: () => number, n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += SAFE_ALPHABET[Math.floor(random() * SAFE_ALPHABET.length) % SAFE_ALPHABET.length];
  return s;
}
