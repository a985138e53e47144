// JSON Web Tokens signed with ES256 (ECDSA P-256, SHA-256, the signature as r||s), the form
// kube-apiserver's service account tokens take, with node:crypto only: the per-cluster signing
// key kept in the data dir (sa.key 0600, its public half in sa.pub), its key id (kid) as
// kube-apiserver derives it, signing, and verification of the signature and the header.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SIGNING_KEY_FILE = 'sa.key';
const PUBLIC_KEY_FILE = 'sa.pub';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** base64url(SHA-256(DER public key)), kube-apiserver's keyIDFromPublicKey */
  kid: string;
}

/** The cluster's token signing key from dataDir, made (EC P-256) on the first start. */
export function loadSigningKey(dataDir: string): SigningKey {
  const file = join(dataDir, SIGNING_KEY_FILE);
  let privateKey: KeyObject;
  if (existsSync(file)) privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  else {
    ({ privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' }));
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  const publicKey = createPublicKey(privateKey);
  const pub = join(dataDir, PUBLIC_KEY_FILE);
  if (!existsSync(pub)) writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }));
  const kid = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
  return { privateKey, publicKey, kid };
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** header.payload.signature, header `{"alg":"ES256","kid":…}`. */
export function signJwt(payload: Record<string, unknown>, key: SigningKey): string {
  const input = `${b64({ alg: 'ES256', kid: key.kid })}.${b64(payload)}`;
  const sig = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}

/** A token that looks like a JWT (three base64url parts): the bearer authenticator tries it as one. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

/** The payload when the signature is ours and the header is ES256; else why not. */
export function verifyJwt(token: string, key: SigningKey): { payload: Record<string, unknown> } | { error: string } {
  if (!looksLikeJwt(token)) return { error: 'not a JWT' };
  const [h, p, s] = token.split('.') as [string, string, string];
  let header: { alg?: unknown; kid?: unknown };
  let payload: unknown;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    return { error: 'malformed token' };
  }
  if (header.alg !== 'ES256') return { error: `unsupported signing algorithm ${String(header.alg)}` };
  if (header.kid !== undefined && header.kid !== key.kid) return { error: 'unknown key id' };
  const sig = Buffer.from(s, 'base64url');
  if (sig.length !== 64 || !verify('sha256', Buffer.from(`${h}.${p}`), { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, sig)) return { error: 'invalid signature' };
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { error: 'malformed token' };
  return { payload: payload as Record<string, unknown> };
}
